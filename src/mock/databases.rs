//! The database endpoints under `/accounts/{accountId}/clusters/{clusterId}/databases`.
//!
//! Delete is soft, like the real service's: the database can be undeleted within
//! `undelete_window_ms` (see `soft_delete`); rename and undelete are in `database_recovery`.
//! `list_lag_ms` hides recently created databases from the list.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;

use super::access::{DatabaseName, Scoped};
use super::body::{self, Body};
use super::database_body;
use super::error::ApiError;
use super::model::Database;
use super::soft_delete;
use super::state::{App, ClusterData};
use super::switches::MockConfig;
use super::timefmt;
use super::wire::DatabaseJson;

/// `GET .../databases`: a bare array, creation order.
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    Scoped(cluster, ()): Scoped<()>,
) -> Result<Response, ApiError> {
    let ids = app.ids(cluster);
    let now = timefmt::now_millis();
    let mut data = app.lock();
    let config = data.config.clone();
    let listed: Vec<DatabaseJson<'_>> = data
        .cluster(cluster)
        .databases
        .iter()
        .filter(|d| config.lists(d.created_at, now))
        .map(|d| DatabaseJson::new(ids, d, true))
        .collect();
    Ok(Json(listed).into_response())
}

/// `POST .../databases`: 200 with the new database; 409 when the name is taken.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Scoped(cluster, ()): Scoped<()>,
    bytes: Body,
) -> Result<Response, ApiError> {
    let new = database_body::new_database(&body::json(&headers, bytes)?)?;
    let ids = app.ids(cluster);
    let now = timefmt::now_millis();
    let mut guard = app.lock();
    let data = &mut *guard;
    let config = &data.config;
    let cluster = &mut data.clusters[cluster.0];
    check_free(cluster, config, &new.name, now)?;
    let id = cluster.next_id();
    let databases = &mut cluster.databases;
    databases.push(Database {
        id,
        name: new.name,
        max_tables: new.max_tables,
        max_columns_per_table: new.max_columns_per_table,
        retention_period: new.retention_period,
        partition_template: new.partition_template,
        created_at: now,
        tables: Vec::new(),
        deleted_tables: Vec::new(),
    });
    let stored = databases
        .last()
        .ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal server error"))?;
    Ok(Json(DatabaseJson::new(ids, stored, true)).into_response())
}

/// `PATCH .../databases/{databaseName}`: changes the limits. The answer has no
/// `partitionTemplate`, as the operation's response schema defines none.
pub(crate) async fn update(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Scoped(cluster, DatabaseName(name)): Scoped<DatabaseName>,
    bytes: Body,
) -> Result<Response, ApiError> {
    let patch = database_body::database_patch(&body::json(&headers, bytes)?)?;
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let cluster = data.cluster(cluster);
    let index = index_of(cluster, &name)?;
    let db = &mut cluster.databases[index];
    body::apply(&mut db.max_tables, patch.max_tables);
    body::apply(&mut db.max_columns_per_table, patch.max_columns_per_table);
    body::apply(&mut db.retention_period, patch.retention_period);
    Ok(Json(DatabaseJson::new(ids, db, false)).into_response())
}

/// `DELETE .../databases/{databaseName}`: 204 with no body; the database is kept for undelete
/// (with its tables) unless the window is 0.
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    Scoped(cluster, DatabaseName(name)): Scoped<DatabaseName>,
) -> Result<Response, ApiError> {
    let now = timefmt::now_millis();
    let mut guard = app.lock();
    let data = &mut *guard;
    let cluster = &mut data.clusters[cluster.0];
    let index = index_of(cluster, &name)?;
    let removed = cluster.databases.remove(index);
    soft_delete::expire(cluster, &data.config, now);
    soft_delete::keep(&mut cluster.deleted_databases, removed, &data.config, now);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// 409 when a live database has `name`, or (with `deleted_names: reserved`) a deleted one
/// that can still be undeleted.
pub(crate) fn check_free(
    cluster: &mut ClusterData,
    config: &MockConfig,
    name: &str,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    if cluster.databases.iter().any(|d| d.name == name) {
        return Err(ApiError::conflict(format!(
            "database `{name}` already exists"
        )));
    }
    soft_delete::expire(cluster, config, now);
    let deleted = cluster
        .deleted_databases
        .iter()
        .find(|d| d.item.name == name)
        .map(|d| d.item.id);
    soft_delete::check_reserved(config, "database", name, deleted)
}

/// Where the live database `name` is in the cluster's list (404 when it is not live).
pub(crate) fn index_of(cluster: &ClusterData, name: &str) -> Result<usize, ApiError> {
    cluster
        .databases
        .iter()
        .position(|d| d.name == name)
        .ok_or_else(|| not_found(name))
}

pub(crate) fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("database `{name}` not found"))
}
