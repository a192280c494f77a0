//! The table endpoints under `.../databases/{databaseName}/tables`: create, delete (soft, like
//! databases), rename, and undelete by numeric id. The API has no table read or list; the
//! tables exist for the mock's state dump only.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;

use super::access::{DatabaseName, Scoped, TableId, TableName};
use super::body;
use super::body::Body;
use super::database_body;
use super::databases;
use super::error::ApiError;
use super::model::{Database, Table};
use super::soft_delete;
use super::state::{App, ClusterRef, Data};
use super::switches::MockConfig;
use super::table_body;
use super::timefmt;
use super::wire::TableJson;

/// `POST .../tables`: 200 with the table (no `id`, as the response schema has none); 404 when
/// the database is not live; 409 when the name is taken.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Scoped(cluster, DatabaseName(database)): Scoped<DatabaseName>,
    bytes: Body,
) -> Result<Response, ApiError> {
    let new = table_body::new_table(&body::json(&headers, bytes)?)?;
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let id = data.cluster(cluster).next_id();
    let (db, config) = live_database(&mut data, cluster, &database)?;
    check_free(db, config, &new.name)?;
    db.tables.push(Table {
        id,
        name: new.name,
        partition_template: new.partition_template,
    });
    let table = db
        .tables
        .last()
        .ok_or_else(|| ApiError::not_found("table vanished"))?;
    Ok(Json(TableJson::new(ids, &db.name, table)).into_response())
}

/// `DELETE .../tables/{tableName}`: 204; the table is kept for undelete unless the window is 0.
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    Scoped(cluster, TableName { database, name }): Scoped<TableName>,
) -> Result<Response, ApiError> {
    let mut data = app.lock();
    let (db, config) = live_database(&mut data, cluster, &database)?;
    let index = table_index(db, &name)?;
    let removed = db.tables.remove(index);
    soft_delete::keep(
        &mut db.deleted_tables,
        removed,
        config,
        timefmt::now_millis(),
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PUT .../tables/{tableName}/rename` with `{"name": new}`: 200 with the table and its `id`;
/// 404 when absent, 409 when `new` is taken.
pub(crate) async fn rename(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Scoped(cluster, TableName { database, name }): Scoped<TableName>,
    bytes: Body,
) -> Result<Response, ApiError> {
    let new_name = database_body::rename_body(&body::json(&headers, bytes)?)?;
    table_body::check_name(&new_name)?;
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let (db, config) = live_database(&mut data, cluster, &database)?;
    let index = table_index(db, &name)?;
    if new_name != name {
        check_free(db, config, &new_name)?;
        db.tables[index].name = new_name;
    }
    Ok(Json(TableJson::new(ids, &db.name, &db.tables[index]).with_id()).into_response())
}

/// `PUT .../tables/{tableId}/undelete`: 200 with the table and its `id`; 400 for a bad id or
/// when a live table has its name; 404 when no deleted table has that id.
pub(crate) async fn undelete(
    State(app): State<Arc<App>>,
    Scoped(cluster, TableId { database, id }): Scoped<TableId>,
) -> Result<Response, ApiError> {
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let (db, _) = live_database(&mut data, cluster, &database)?;
    let table = soft_delete::restore(&mut db.deleted_tables, &mut db.tables, "table", id)?;
    Ok(Json(TableJson::new(ids, &db.name, table).with_id()).into_response())
}

/// The live database `name` (404 otherwise), with expired deletions dropped, and the switches.
fn live_database<'a>(
    data: &'a mut Data,
    cluster: ClusterRef,
    name: &str,
) -> Result<(&'a mut Database, &'a MockConfig), ApiError> {
    let config = &data.config;
    let cluster = &mut data.clusters[cluster.0];
    soft_delete::expire(cluster, config, now());
    let db = cluster
        .databases
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(|| databases::not_found(name))?;
    Ok((db, config))
}

fn table_index(db: &Database, name: &str) -> Result<usize, ApiError> {
    db.tables
        .iter()
        .position(|t| t.name == name)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "table `{name}` not found in database `{}`",
                db.name
            ))
        })
}

fn check_free(db: &Database, config: &MockConfig, name: &str) -> Result<(), ApiError> {
    if db.tables.iter().any(|t| t.name == name) {
        return Err(ApiError::conflict(format!(
            "table `{name}` already exists in database `{}`",
            db.name
        )));
    }
    let deleted = soft_delete::deleted_table_id(&db.deleted_tables, name);
    soft_delete::check_reserved(config, "table", name, deleted)
}

fn now() -> OffsetDateTime {
    timefmt::now_millis()
}
