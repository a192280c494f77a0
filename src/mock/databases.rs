//! The database endpoints under `/accounts/{accountId}/clusters/{clusterId}/databases`.
//!
//! Delete removes the database outright, so its name is free again at once (the real service
//! soft-deletes and allows undelete; the mock implements neither undelete nor rename nor
//! tables). `list_lag_ms` hides recently created databases from the list.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use time::Duration;

use super::access;
use super::body;
use super::database_body;
use super::error::ApiError;
use super::model::Database;
use super::state::App;
use super::timefmt;
use super::wire::DatabaseJson;

type ClusterPath = Result<Path<(String, String)>, PathRejection>;
type DatabasePath = Result<Path<(String, String, String)>, PathRejection>;
type Body = Result<Bytes, BytesRejection>;

/// `GET .../databases`: a bare array, creation order.
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    path: ClusterPath,
) -> Result<Response, ApiError> {
    let cluster = access::cluster(&app, &headers, path)?;
    let ids = app.ids(cluster);
    let now = timefmt::now_millis();
    let mut data = app.lock();
    let lag = Duration::milliseconds(i64::try_from(data.config.list_lag_ms).unwrap_or(i64::MAX));
    let listed: Vec<DatabaseJson<'_>> = data
        .cluster(cluster)
        .databases
        .iter()
        .filter(|d| now - d.created_at >= lag)
        .map(|d| DatabaseJson::new(ids, d, true))
        .collect();
    Ok(Json(listed).into_response())
}

/// `POST .../databases`: 200 with the new database; 409 when the name is taken.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    path: ClusterPath,
    bytes: Body,
) -> Result<Response, ApiError> {
    let cluster = access::cluster(&app, &headers, path)?;
    let new = database_body::new_database(&body::json_object(&headers, &body::bytes(bytes)?)?)?;
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let databases = &mut data.cluster(cluster).databases;
    if databases.iter().any(|d| d.name == new.name) {
        return Err(ApiError::conflict(format!(
            "database `{}` already exists",
            new.name
        )));
    }
    databases.push(Database {
        name: new.name,
        max_tables: new.max_tables,
        max_columns_per_table: new.max_columns_per_table,
        retention_period: new.retention_period,
        partition_template: new.partition_template,
        created_at: timefmt::now_millis(),
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
    path: DatabasePath,
    bytes: Body,
) -> Result<Response, ApiError> {
    let (cluster, name) = access::cluster_and(&app, &headers, path)?;
    database_body::check_name(&name)?;
    let patch = database_body::database_patch(&body::json_object(&headers, &body::bytes(bytes)?)?)?;
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let db = data
        .cluster(cluster)
        .databases
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(|| not_found(&name))?;
    if let Some(v) = patch.max_tables {
        db.max_tables = v;
    }
    if let Some(v) = patch.max_columns_per_table {
        db.max_columns_per_table = v;
    }
    if let Some(v) = patch.retention_period {
        db.retention_period = v;
    }
    Ok(Json(DatabaseJson::new(ids, db, false)).into_response())
}

/// `DELETE .../databases/{databaseName}`: 204 with no body.
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    path: DatabasePath,
) -> Result<Response, ApiError> {
    let (cluster, name) = access::cluster_and(&app, &headers, path)?;
    database_body::check_name(&name)?;
    let mut data = app.lock();
    let databases = &mut data.cluster(cluster).databases;
    let index = databases
        .iter()
        .position(|d| d.name == name)
        .ok_or_else(|| not_found(&name))?;
    databases.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("database `{name}` not found"))
}
