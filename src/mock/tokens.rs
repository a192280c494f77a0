//! The database token endpoints under `/accounts/{accountId}/clusters/{clusterId}/tokens`.
//!
//! Create and update answer 200, delete 204 with no body; `accessToken` only ever appears in
//! the create response. Delete revokes (sets `revokedAt`); how revoked tokens then show is set
//! by the `revoked_visibility` and `delete_revoked` switches. `list_lag_ms` hides recently
//! created tokens from the list only.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::access::{Scoped, TokenId};
use super::body::{self, Body};
use super::error::ApiError;
use super::ids;
use super::model::Token;
use super::state::{App, ClusterData};
use super::switches::{DeleteRevoked, Lie, RevokedVisibility};
use super::timefmt;
use super::token_body;
use super::wire::TokenJson;

/// `GET .../tokens`: a bare array, creation order.
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    Scoped(cluster, ()): Scoped<()>,
) -> Result<Response, ApiError> {
    let ids = app.ids(cluster);
    let now = timefmt::now_millis();
    let mut data = app.lock();
    let config = data.config.clone();
    let listed: Vec<TokenJson<'_>> = data
        .cluster(cluster)
        .tokens
        .iter()
        .filter(|t| {
            t.revoked_at.is_none() || config.revoked_visibility == RevokedVisibility::Listed
        })
        .filter(|t| config.lists(t.created_at, now))
        .map(|t| TokenJson::new(ids, t, config.permission_order))
        .collect();
    if config.lies.is_empty() {
        return Ok(Json(listed).into_response());
    }
    let revoked_now = timefmt::format_millis(now);
    let mut told = Vec::new();
    for token in listed {
        let mut entry = serde_json::to_value(&token).map_err(|_| internal())?;
        if config.lies.contains(&Lie::ListSaysRevoked) && entry.get("revokedAt").is_none() {
            entry["revokedAt"] = serde_json::Value::String(revoked_now.clone());
        }
        if config.lies.contains(&Lie::ListRepeatsIds) {
            told.push(entry.clone());
        }
        told.push(entry);
    }
    Ok(Json(told).into_response())
}

/// `POST .../tokens`: 200 with the new token and its secret.
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Scoped(cluster, ()): Scoped<()>,
    bytes: Body,
) -> Result<Response, ApiError> {
    let new = token_body::new_token(&body::json(&headers, bytes)?)?;
    let token = Token {
        id: Uuid::new_v4(),
        description: new.description,
        permissions: new.permissions,
        created_at: timefmt::now_millis(),
        expires_at: new.expires_at,
        revoked_at: None,
    };
    let secret = ids::access_token();
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let order = data.config.permission_order;
    let misplace = data.config.lies.contains(&Lie::CreateNamesOtherCluster);
    let tokens = &mut data.cluster(cluster).tokens;
    tokens.push(token);
    let stored = tokens.last().ok_or_else(internal)?;
    let answer = TokenJson::new(ids, stored, order).with_access_token(&secret);
    if misplace {
        let mut told = serde_json::to_value(&answer).map_err(|_| internal())?;
        told["clusterId"] = serde_json::Value::String(Uuid::new_v4().to_string());
        return Ok(Json(told).into_response());
    }
    Ok(Json(answer).into_response())
}

/// `GET .../tokens/{tokenId}`.
pub(crate) async fn get(
    State(app): State<Arc<App>>,
    Scoped(cluster, TokenId(id)): Scoped<TokenId>,
) -> Result<Response, ApiError> {
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let config = data.config.clone();
    let token = find(data.cluster(cluster), id)?;
    if token.revoked_at.is_some() && config.revoked_visibility == RevokedVisibility::Hidden {
        return Err(not_found(id));
    }
    Ok(Json(TokenJson::new(ids, token, config.permission_order)).into_response())
}

/// `PATCH .../tokens/{tokenId}`: replaces `description` and/or the whole `permissions` list.
/// A revoked token is 404 whatever the switches say.
pub(crate) async fn update(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Scoped(cluster, TokenId(id)): Scoped<TokenId>,
    bytes: Body,
) -> Result<Response, ApiError> {
    let patch = token_body::token_patch(&body::json(&headers, bytes)?)?;
    let ids = app.ids(cluster);
    let mut data = app.lock();
    let order = data.config.permission_order;
    let token = find_mut(data.cluster(cluster), id)?;
    if token.revoked_at.is_some() {
        return Err(not_found(id));
    }
    body::apply(&mut token.description, patch.description);
    body::apply(&mut token.permissions, patch.permissions);
    Ok(Json(TokenJson::new(ids, token, order)).into_response())
}

/// `DELETE .../tokens/{tokenId}`: revokes; 204 with no body.
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    Scoped(cluster, TokenId(id)): Scoped<TokenId>,
) -> Result<Response, ApiError> {
    let mut data = app.lock();
    let delete_revoked = data.config.delete_revoked;
    let token = find_mut(data.cluster(cluster), id)?;
    if token.revoked_at.is_some() {
        return match delete_revoked {
            DeleteRevoked::NotFound => Err(not_found(id)),
            DeleteRevoked::NoContent => Ok(StatusCode::NO_CONTENT.into_response()),
        };
    }
    token.revoked_at = Some(timefmt::now_millis());
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn find(cluster: &ClusterData, id: Uuid) -> Result<&Token, ApiError> {
    cluster
        .tokens
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| not_found(id))
}

fn find_mut(cluster: &mut ClusterData, id: Uuid) -> Result<&mut Token, ApiError> {
    cluster
        .tokens
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(|| not_found(id))
}

fn not_found(id: Uuid) -> ApiError {
    ApiError::not_found(format!("database token {id} not found"))
}

fn internal() -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal server error")
}
