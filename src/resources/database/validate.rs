//! Plan-time checks of an `influxdb3_database` configuration (only what is known).

use crate::framework::{Diagnostics, attr};
use crate::value::{AttributePath, Value};

use super::naming::{NAME_RULES, name_problem};
use super::{retention, template};

/// The API's int32 limit on `max_tables` and `max_columns_per_table`.
const INT32_MAX: i64 = i32::MAX as i64;

/// Checks every known attribute of `config`.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    if let Some(name) = attr(config, "name").as_str() {
        check_name(name, AttributePath::attr("name"), diags);
    }
    for limit in ["max_tables", "max_columns_per_table"] {
        if let Some(n) = attr(config, limit).as_number()
            && n.as_i64().is_none_or(|n| !(1..=INT32_MAX).contains(&n))
        {
            diags.attr_error(
                AttributePath::attr(limit),
                "Invalid Database Limit",
                format!("{limit} is {n}; use a whole number from 1 to {INT32_MAX}."),
            );
        }
    }
    if let Some(text) = attr(config, "retention_period").as_str()
        && let Err(e) = retention::parse(text)
    {
        diags.attr_error(
            AttributePath::attr("retention_period"),
            "Invalid Retention Period",
            format!(
                "retention_period {text:?} {e}. Write a duration such as \"30d\", \"12h\" or \
                 \"1h30m\", or \"0\" (or \"infinite\") to keep data forever."
            ),
        );
    }
    template::validate(attr(config, "partition_template"), diags);
}

/// Reports a database name that breaks the rules, at `path`.
pub fn check_name(name: &str, path: AttributePath, diags: &mut Diagnostics) {
    if let Some(problem) = name_problem(name) {
        diags.attr_error(
            path,
            "Invalid Database Name",
            format!("The database name {name:?} {problem}. {NAME_RULES}"),
        );
    }
}
