//! The checks every API request passes first, in this order: the Bearer token (401), the path
//! ids' syntax (400), then whether the account/cluster is served (404).

use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use uuid::Uuid;

use super::database_body;
use super::error::ApiError;
use super::ids;
use super::state::{App, ClusterRef};

/// Checks `Authorization: Bearer <management token>` (scheme name case-insensitive, token
/// exact).
pub(crate) fn authorize(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let credential = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match credential {
        Some(token) if token == app.identity.management_token => Ok(()),
        _ => Err(ApiError::unauthorized()),
    }
}

/// Authorizes the request and resolves `/accounts/{accountId}/clusters/{clusterId}`.
pub(crate) fn cluster(
    app: &App,
    headers: &HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<ClusterRef, ApiError> {
    authorize(app, headers)?;
    let Path((account, cluster)) = path.map_err(path_error)?;
    find_cluster(app, &account, &cluster)
}

/// Like [`cluster`], with one more path segment (a token id or a database name) returned as
/// decoded text.
pub(crate) fn cluster_and(
    app: &App,
    headers: &HeaderMap,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<(ClusterRef, String), ApiError> {
    authorize(app, headers)?;
    let Path((account, cluster, last)) = path.map_err(path_error)?;
    Ok((find_cluster(app, &account, &cluster)?, last))
}

/// Like [`cluster_and`], the segment a database name (400 when it breaks the naming rules).
pub(crate) fn cluster_and_database(
    app: &App,
    headers: &HeaderMap,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<(ClusterRef, String), ApiError> {
    let (cluster, name) = cluster_and(app, headers, path)?;
    database_body::check_name(&name)?;
    Ok((cluster, name))
}

/// Like [`cluster_and`], the segment a token id (400 when it is not a UUID).
pub(crate) fn cluster_and_token(
    app: &App,
    headers: &HeaderMap,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<(ClusterRef, Uuid), ApiError> {
    let (cluster, id) = cluster_and(app, headers, path)?;
    Ok((cluster, token_id(&id)?))
}

/// Like [`cluster_and`], with two more path segments (a database name and a table name or id).
pub(crate) fn cluster_and_two(
    app: &App,
    headers: &HeaderMap,
    path: Result<Path<(String, String, String, String)>, PathRejection>,
) -> Result<(ClusterRef, String, String), ApiError> {
    authorize(app, headers)?;
    let Path((account, cluster, first, second)) = path.map_err(path_error)?;
    Ok((find_cluster(app, &account, &cluster)?, first, second))
}

/// Parses the numeric id of a database or table (`int64`, minimum 1): 400 otherwise.
pub(crate) fn numeric_id(what: &str, text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id >= 1)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "{what} id `{text}` is not an integer of at least 1"
            ))
        })
}

/// Parses a token id from the path: 400 when it is not a UUID.
pub(crate) fn token_id(text: &str) -> Result<Uuid, ApiError> {
    ids::parse_uuid(text)
        .ok_or_else(|| ApiError::bad_request(format!("token id `{text}` is not a UUID")))
}

fn find_cluster(app: &App, account: &str, cluster: &str) -> Result<ClusterRef, ApiError> {
    let account_id = ids::parse_uuid(account)
        .ok_or_else(|| ApiError::bad_request(format!("account id `{account}` is not a UUID")))?;
    let cluster_id = ids::parse_uuid(cluster)
        .ok_or_else(|| ApiError::bad_request(format!("cluster id `{cluster}` is not a UUID")))?;
    app.identity
        .clusters
        .iter()
        .position(|c| c.account_id == account_id && c.cluster_id == cluster_id)
        .map(ClusterRef)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "cluster {cluster_id} of account {account_id} not found"
            ))
        })
}

fn path_error(rejection: PathRejection) -> ApiError {
    ApiError::bad_request(format!("invalid path: {rejection}"))
}
