//! The checks every API request passes first, in this order: the Bearer token (401), the path
//! ids' syntax (400), then whether the account/cluster is served (404).

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use uuid::Uuid;

use super::database_body;
use super::error::ApiError;
use super::ids;
use super::state::{App, ClusterRef};
use super::table_body;

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

/// An authorized request's cluster and what its path names after it (`T`), checked in the
/// order above: 401, 400, 404, then `T`'s own checks (400).
pub(crate) struct Scoped<T>(pub(crate) ClusterRef, pub(crate) T);

impl<T: FromSegments> FromRequestParts<Arc<App>> for Scoped<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        authorize(app, &parts.headers)?;
        let Path(mut segments) = Path::<Vec<String>>::from_request_parts(parts, app)
            .await
            .map_err(path_error)?;
        if segments.len() < 2 {
            return Err(ApiError::bad_request(
                "invalid path: no account and cluster",
            ));
        }
        let rest = segments.split_off(2);
        let cluster = find_cluster(app, &segments[0], &segments[1])?;
        Ok(Scoped(cluster, T::from_segments(rest)?))
    }
}

/// What a path names after `/accounts/{accountId}/clusters/{clusterId}`, read from its
/// segments (400 when they name nothing valid).
pub(crate) trait FromSegments: Sized {
    fn from_segments(segments: Vec<String>) -> Result<Self, ApiError>;
}

/// The cluster itself.
impl FromSegments for () {
    fn from_segments(segments: Vec<String>) -> Result<Self, ApiError> {
        let [] = exactly(segments)?;
        Ok(())
    }
}

/// A token, by id (400 when it is not a UUID).
pub(crate) struct TokenId(pub(crate) Uuid);

impl FromSegments for TokenId {
    fn from_segments(segments: Vec<String>) -> Result<Self, ApiError> {
        let [id] = exactly(segments)?;
        ids::parse_uuid(&id)
            .map(TokenId)
            .ok_or_else(|| ApiError::bad_request(format!("token id `{id}` is not a UUID")))
    }
}

/// A database, by name (400 when the name breaks the naming rules).
pub(crate) struct DatabaseName(pub(crate) String);

impl FromSegments for DatabaseName {
    fn from_segments(segments: Vec<String>) -> Result<Self, ApiError> {
        let [name] = exactly(segments)?;
        database_body::check_name(&name)?;
        Ok(DatabaseName(name))
    }
}

/// A deleted database, by numeric id.
pub(crate) struct DatabaseId(pub(crate) i64);

impl FromSegments for DatabaseId {
    fn from_segments(segments: Vec<String>) -> Result<Self, ApiError> {
        let [id] = exactly(segments)?;
        numeric_id("database", &id).map(DatabaseId)
    }
}

/// A table of a database, by name (database name checked first).
pub(crate) struct TableName {
    pub(crate) database: String,
    pub(crate) name: String,
}

impl FromSegments for TableName {
    fn from_segments(segments: Vec<String>) -> Result<Self, ApiError> {
        let [database, name] = exactly(segments)?;
        database_body::check_name(&database)?;
        table_body::check_name(&name)?;
        Ok(TableName { database, name })
    }
}

/// A deleted table of a database, by numeric id (database name checked first).
pub(crate) struct TableId {
    pub(crate) database: String,
    pub(crate) id: i64,
}

impl FromSegments for TableId {
    fn from_segments(segments: Vec<String>) -> Result<Self, ApiError> {
        let [database, id] = exactly(segments)?;
        database_body::check_name(&database)?;
        let id = numeric_id("table", &id)?;
        Ok(TableId { database, id })
    }
}

/// The `N` segments a [`FromSegments`] type reads; another count is a mistake of the route
/// table.
fn exactly<const N: usize>(segments: Vec<String>) -> Result<[String; N], ApiError> {
    <[String; N]>::try_from(segments)
        .map_err(|_| ApiError::bad_request("invalid path: unexpected segments"))
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
