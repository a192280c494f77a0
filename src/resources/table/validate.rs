//! Plan-time checks of an `influxdb3_table` configuration (only what is known).

use crate::framework::Diagnostics;
use crate::model::database_name::check_name;
use crate::model::table::{DATABASE, NAME, TableValue};
use crate::model::template;
use crate::value::{AttributePath, Value};

/// Checks the database name, the table name and the template.
pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    let config = TableValue(config);
    if let Some(database) = config.database() {
        check_name(database, AttributePath::attr(DATABASE), diags);
    }
    if let Some(name) = config.name()
        && (name.is_empty() || name.chars().any(char::is_control))
    {
        diags.attr_error(
            AttributePath::attr(NAME),
            "Invalid Table Name",
            format!("The table name {name:?} must be non-empty and contain no control characters."),
        );
    }
    template::validate(config.partition_template(), diags);
}
