//! The stored entities: database tokens and databases as the mock keeps them.

use time::OffsetDateTime;
use uuid::Uuid;

/// What a permission allows. The spec gives no enum; the docs, the Admin UI and every client
/// use exactly these two, so the mock refuses anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Action {
    Read,
    Write,
}

impl Action {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "read" => Some(Self::Read),
            "write" => Some(Self::Write),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }
}

/// One permission entry: an action on a database name or on `*` (all databases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Permission {
    pub(crate) action: Action,
    pub(crate) resource: String,
}

/// A database token. The secret is not kept: like the real service, the mock only shows it in
/// the create response.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) id: Uuid,
    pub(crate) description: String,
    /// In the order the client sent them; response order is applied when rendering.
    pub(crate) permissions: Vec<Permission>,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) expires_at: Option<OffsetDateTime>,
    pub(crate) revoked_at: Option<OffsetDateTime>,
}

/// One part of a database partition template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PartitionPart {
    Tag(String),
    Time(String),
    Bucket {
        tag_name: String,
        number_of_buckets: u32,
    },
}

/// A database. `created_at` is internal (for `list_lag_ms`); the API has no such field. `id`
/// is the numeric id that only the rename and undelete responses show.
#[derive(Debug, Clone)]
pub(crate) struct Database {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) max_tables: i64,
    pub(crate) max_columns_per_table: i64,
    pub(crate) retention_period: i64,
    pub(crate) partition_template: Option<Vec<PartitionPart>>,
    pub(crate) created_at: OffsetDateTime,
    /// Live tables, in creation order.
    pub(crate) tables: Vec<Table>,
    /// Soft-deleted tables still inside the undelete window.
    pub(crate) deleted_tables: Vec<Deleted<Table>>,
}

/// A table of a database. `id` is shown only by the rename and undelete responses.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) partition_template: Option<Vec<PartitionPart>>,
}

/// A soft-deleted entity and when it was deleted (the undelete window counts from then).
#[derive(Debug, Clone)]
pub(crate) struct Deleted<T> {
    pub(crate) item: T,
    pub(crate) deleted_at: OffsetDateTime,
}
