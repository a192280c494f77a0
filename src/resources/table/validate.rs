//! Plan-time checks of an `influxdb3_table` configuration (only what is known).

use crate::framework::{Diagnostics, attr};
use crate::resources::database::template;
use crate::resources::database::validate::check_name;
use crate::value::{AttributePath, Value};

/// Checks the database name, the table name and the template.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    if let Some(database) = attr(config, "database").as_str() {
        check_name(database, AttributePath::attr("database"), diags);
    }
    if let Some(name) = attr(config, "name").as_str()
        && (name.is_empty() || name.chars().any(char::is_control))
    {
        diags.attr_error(
            AttributePath::attr("name"),
            "Invalid Table Name",
            format!("The table name {name:?} must be non-empty and contain no control characters."),
        );
    }
    template::validate(attr(config, "partition_template"), diags);
}
