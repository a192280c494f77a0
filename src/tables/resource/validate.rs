//! Plan-time checks of an `influxdb3_table` configuration (only what is known).

use crate::databases::name::check_name;
use crate::framework::Diagnostics;
use crate::model::template;
use crate::tables::model::{DATABASE, DATABASE_NAME, NAME, TableValue};
use crate::value::{AttributePath, Value};

/// Checks the database name, the table name and the template.
pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    let config = TableValue(config);
    check_database(config, diags);
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

/// Exactly one of `database` and the deprecated `database_name` is set (an unknown value
/// counts as set); `database_name` warns with what to write instead. The name set is checked.
fn check_database(config: TableValue<'_>, diags: &mut Diagnostics) {
    let (ours, theirs) = (config.database_value(), config.database_name());
    match (ours.is_null(), theirs.is_null()) {
        (true, true) => diags.attr_error(
            AttributePath::attr(DATABASE),
            "Missing Database",
            "Set `database` to the name of the table's database.",
        ),
        (false, false) => diags.attr_error(
            AttributePath::attr(DATABASE_NAME),
            "Database Set Twice",
            "`database_name` is the deprecated spelling of `database`: set only one of them \
             (write `database`, and remove `database_name`).",
        ),
        (true, false) => diags.attr_warning(
            AttributePath::attr(DATABASE_NAME),
            "Deprecated Attribute database_name",
            "`database_name` is the incumbent provider's spelling of `database`. It still \
             works; to silence this warning, write `database` in place of `database_name` \
             (same value): the plan then shows an in-place update of the state that sends \
             nothing to the API.",
        ),
        (false, true) => {}
    }
    let path = if ours.is_null() {
        DATABASE_NAME
    } else {
        DATABASE
    };
    if let Some(database) = config.database_value().as_str().or(theirs.as_str()) {
        check_name(database, AttributePath::attr(path), diags);
    }
}
