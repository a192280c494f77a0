//! Plan-time checks of an `influxdb3_database` configuration (only what is known).

use crate::databases::model::{
    DatabaseValue, MAX_COLUMNS_PER_TABLE, MAX_TABLES, NAME, RETENTION_PERIOD,
};
use crate::databases::name::check_name;
use crate::databases::{retention, retention_hint};
use crate::framework::Diagnostics;
use crate::model::template;
use crate::value::{AttributePath, Value};

/// The API's int32 limit on `max_tables` and `max_columns_per_table`.
const INT32_MAX: i64 = i32::MAX as i64;

/// Checks every known attribute of `config`.
pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    let config = DatabaseValue(config);
    if let Some(name) = config.name() {
        check_name(name, AttributePath::attr(NAME), diags);
    }
    let limits = [
        (MAX_TABLES, config.max_tables_value()),
        (MAX_COLUMNS_PER_TABLE, config.max_columns_per_table_value()),
    ];
    for (limit, value) in limits {
        if let Some(n) = value
            && n.as_i64().is_none_or(|n| !(1..=INT32_MAX).contains(&n))
        {
            diags.attr_error(
                AttributePath::attr(limit),
                "Invalid Database Limit",
                format!("{limit} is {n}; use a whole number from 1 to {INT32_MAX}."),
            );
        }
    }
    if let Some(text) = config.retention_text()
        && let Some(hint) = retention_hint::unitless_warning(text)
    {
        diags.attr_warning(
            AttributePath::attr(RETENTION_PERIOD),
            "Retention Period Without Unit",
            hint,
        );
    }
    if let Some(text) = config.retention_text()
        && let Err(e) = retention::parse(text)
    {
        diags.attr_error(
            AttributePath::attr(RETENTION_PERIOD),
            "Invalid Retention Period",
            format!(
                "retention_period {text:?} {e}. Write a duration such as \"30d\", \"12h\" or \
                 \"1h30m\", or \"0\" (or \"infinite\") to keep data forever."
            ),
        );
    }
    template::validate(config.partition_template(), diags);
}
