//! Table wire types (spec: `…/databases/{databaseName}/tables…`). The API has no table read or
//! list: these are only ever the answers of create, rename and undelete.

use serde::{Deserialize, Serialize};

use super::database_models::PartitionPart;
use super::error::ApiError;

/// A table as create, rename and undelete return it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    /// The account the table's cluster belongs to (a UUID).
    #[serde(deserialize_with = "super::models::canonical")]
    pub account_id: String,
    /// The cluster that holds the table's database (a UUID).
    #[serde(deserialize_with = "super::models::canonical")]
    pub cluster_id: String,
    /// The database the table is in; tables are addressed by database and table name.
    pub database_name: String,
    /// The numeric id, the key to undelete; only rename and undelete answers carry it.
    #[serde(default)]
    pub id: Option<i64>,
    /// The table's name, unique within its database.
    pub name: String,
    /// Present when the table has its own template (else it uses its database's).
    #[serde(default)]
    pub partition_template: Option<Vec<PartitionPart>>,
}

/// Body of `POST …/databases/{databaseName}/tables`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTableRequest {
    /// The name of the new table.
    pub name: String,
    /// The table's own partition template; `None` leaves it on the database's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionPart>>,
}

/// Why a table create failed: the server surely did not create it (`Refused`: 4xx, or no
/// connection), or it may have (`Unconfirmed`: timeout, connection lost, 5xx, unreadable 200).
/// With no table read or list, an unconfirmed create cannot be checked.
#[derive(Clone, Debug, thiserror::Error)]
pub enum TableCreateError {
    /// The API answered that it did not create the table; applying again is safe.
    #[error("{0}")]
    Refused(ApiError),
    /// The outcome is unknown: the table may exist.
    #[error("{0}")]
    Unconfirmed(ApiError),
}
