//! Rename and undelete of a database: `PUT .../databases/{databaseName}/rename` and
//! `PUT .../databases/{databaseId}/undelete`. Both answer 200 with the database including its
//! numeric `id` (the only responses that carry it).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::access::{DatabaseId, DatabaseName, Scoped};
use super::body;
use super::body::Body;
use super::database_body;
use super::databases;
use super::error::ApiError;
use super::state::App;
use super::timefmt;
use super::wire::DatabaseJson;

/// `PUT .../databases/{databaseName}/rename` with `{"name": new}`: 404 when the database is
/// not live, 409 when `new` is taken (see `databases::check_free`). Renaming to the current
/// name changes nothing and answers 200. Tables go with the database.
pub(crate) async fn rename(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Scoped(cluster, DatabaseName(name)): Scoped<DatabaseName>,
    bytes: Body,
) -> Result<Response, ApiError> {
    let new_name = database_body::rename_body(&body::json(&headers, bytes)?)?;
    database_body::check_name(&new_name)?;
    let ids = app.ids(cluster);
    let now = timefmt::now_millis();
    let mut guard = app.lock();
    let data = &mut *guard;
    let cluster = &mut data.clusters[cluster.0];
    let index = databases::index_of(cluster, &name)?;
    if new_name != name {
        databases::check_free(cluster, &data.config, &new_name, now)?;
        cluster.databases[index].name = new_name;
    }
    let db = &cluster.databases[index];
    Ok(Json(DatabaseJson::new(ids, db, true).with_id()).into_response())
}

/// `PUT .../databases/{databaseId}/undelete`: 400 when the id is no integer ≥ 1 or a live
/// database now has the deleted one's name (the spec lists no 409 here); 404 when no deleted
/// database with that id is inside the undelete window.
pub(crate) async fn undelete(
    State(app): State<Arc<App>>,
    Scoped(cluster, DatabaseId(id)): Scoped<DatabaseId>,
) -> Result<Response, ApiError> {
    let ids = app.ids(cluster);
    let now = timefmt::now_millis();
    let mut guard = app.lock();
    let data = &mut *guard;
    let cluster = &mut data.clusters[cluster.0];
    super::soft_delete::expire(cluster, &data.config, now);
    let db = super::soft_delete::restore(
        &mut cluster.deleted_databases,
        &mut cluster.databases,
        "database",
        id,
    )?;
    Ok(Json(DatabaseJson::new(ids, db, true).with_id()).into_response())
}
