//! Validation of table names and of the table create body.
//!
//! The spec bounds a table name only by `minLength: 1`; the mock adds that it must not contain
//! a control character (it has to travel in a URL path and in line protocol).

use super::body::{self, Object};
use super::database_body;
use super::error::ApiError;
use super::model::PartitionPart;

/// A valid create request. Unknown fields are ignored.
#[derive(Debug)]
pub(crate) struct NewTable {
    pub(crate) name: String,
    pub(crate) partition_template: Option<Vec<PartitionPart>>,
}

/// 400 unless `name` is non-empty and free of control characters.
pub(crate) fn check_name(name: &str) -> Result<(), ApiError> {
    if !name.is_empty() && !name.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "table name {name:?} must be non-empty and contain no control characters"
        )))
    }
}

pub(crate) fn new_table(obj: &Object) -> Result<NewTable, ApiError> {
    let name = body::required_str(obj, "name")?;
    check_name(name)?;
    Ok(NewTable {
        name: name.to_owned(),
        partition_template: database_body::opt_template(obj)?,
    })
}
