//! Soft delete: deleted databases and tables stay undeletable for `undelete_window_ms`
//! (default 7 days, the docs' "approximately 7 days"); `deleted_names` decides whether their
//! names are free meanwhile. Expired entries are dropped lazily, whenever a handler looks.

use time::{Duration, OffsetDateTime};

use super::error::ApiError;
use super::model::{Database, Deleted, Table};
use super::state::ClusterData;
use super::switches::{DeletedNames, MockConfig};

/// Forgets what was deleted longer ago than the window, databases and tables alike.
pub(crate) fn expire(cluster: &mut ClusterData, config: &MockConfig, now: OffsetDateTime) {
    let window =
        Duration::milliseconds(i64::try_from(config.undelete_window_ms).unwrap_or(i64::MAX));
    let live = |deleted_at: OffsetDateTime| now - deleted_at < window;
    cluster.deleted_databases.retain(|d| live(d.deleted_at));
    for db in &mut cluster.databases {
        db.deleted_tables.retain(|t| live(t.deleted_at));
    }
}

/// Keeps `item` for undelete, unless the window is 0 (delete outright).
pub(crate) fn keep<T>(
    bin: &mut Vec<Deleted<T>>,
    item: T,
    config: &MockConfig,
    now: OffsetDateTime,
) {
    if config.undelete_window_ms > 0 {
        bin.push(Deleted {
            item,
            deleted_at: now,
        });
    }
}

/// What soft delete tells its entities by: a numeric id and a name.
pub(crate) trait Recoverable {
    fn id(&self) -> i64;
    fn name(&self) -> &str;
}

impl Recoverable for Database {
    fn id(&self) -> i64 {
        self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Recoverable for Table {
    fn id(&self) -> i64 {
        self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// Moves the deleted `what` with `id` from `bin` back among the `live` ones and returns it:
/// 404 when the bin holds none with that id, 400 when a live one has its name.
pub(crate) fn restore<'a, T: Recoverable>(
    bin: &mut Vec<Deleted<T>>,
    live: &'a mut Vec<T>,
    what: &str,
    id: i64,
) -> Result<&'a T, ApiError> {
    let index = bin.iter().position(|d| d.item.id() == id).ok_or_else(|| {
        ApiError::not_found(format!("no deleted {what} with id {id} can be undeleted"))
    })?;
    let name = bin[index].item.name();
    if live.iter().any(|l| l.name() == name) {
        return Err(ApiError::bad_request(format!(
            "{what} `{name}` exists; rename or delete it before undeleting {what} {id}"
        )));
    }
    live.push(bin.remove(index).item);
    live.last()
        .ok_or_else(|| ApiError::not_found(format!("{what} vanished")))
}

/// 409 when `deleted_names` is `reserved` and a deleted entity still holds `name`.
pub(crate) fn check_reserved(
    config: &MockConfig,
    what: &str,
    name: &str,
    deleted_id: Option<i64>,
) -> Result<(), ApiError> {
    match (config.deleted_names, deleted_id) {
        (DeletedNames::Reserved, Some(id)) => Err(ApiError::conflict(format!(
            "{what} `{name}` was deleted and can still be undeleted (id {id}); undelete it, or wait until its recovery window ends"
        ))),
        _ => Ok(()),
    }
}

/// The id of a deleted table named `name`, if any.
pub(crate) fn deleted_table_id(bin: &[Deleted<Table>], name: &str) -> Option<i64> {
    bin.iter().find(|t| t.item.name == name).map(|t| t.item.id)
}
