//! Refresh: find the token in the cluster's cached list (decision 5), and confirm with a GET by
//! id before declaring a token that is absent from the list gone.
//!
//! A list may lag behind a create (eventual consistency). Dropping a just-created token from
//! the state on a lagging list would make the next apply create a second one and orphan the
//! first, whose access token nobody holds any more; the GET is the tie-breaker.

use crate::api::{ApiError, Client, Cluster, DatabaseToken};
use crate::framework::{Diagnostics, attr};
use crate::value::Value;

use super::model;

/// What the API says about a token the state holds.
enum Found {
    Active(DatabaseToken),
    Revoked,
    Missing,
}

/// The refreshed state of `state`'s token, `None` when it is gone (with a warning), or the
/// prior state with an error when the API cannot tell.
pub async fn read(
    client: &Client,
    cluster: &Cluster,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let id = attr(state, "id").as_str().unwrap_or_default();
    match find(client, cluster, id).await {
        Ok(Found::Active(token)) => Some(model::state(&token, state)),
        Ok(gone) => {
            let how = if matches!(gone, Found::Revoked) {
                "has been revoked"
            } else {
                "no longer exists"
            };
            diags.warning(
                "Database Token Gone",
                format!(
                    "The database token {} {how} in {cluster} (changed outside Terraform). It \
                     was removed from the state; the next plan creates a new token, with a new \
                     access token.",
                    model::display_name(state)
                ),
            );
            None
        }
        Err(e) => {
            diags.error("Cannot Read Database Token", e.to_string());
            Some(state.clone())
        }
    }
}

/// The token in the cached list; when the list does not have it, the answer of a GET by id.
async fn find(client: &Client, cluster: &Cluster, id: &str) -> Result<Found, ApiError> {
    let tokens = client.cached_tokens(cluster).await?;
    if let Some(token) = tokens.iter().find(|t| t.id == id) {
        return Ok(if token.is_revoked() {
            Found::Revoked
        } else {
            Found::Active(token.clone())
        });
    }
    match client.get_token(cluster, id).await {
        Ok(token) if token.is_revoked() => Ok(Found::Revoked),
        Ok(token) => {
            tracing::debug!(token_id = id, "token missing from the list but found by id");
            Ok(Found::Active(token))
        }
        Err(e) if e.is_not_found() => Ok(Found::Missing),
        Err(e) => Err(e),
    }
}
