//! Read, create, update and delete of `influxdb3_database_token`, each in the same steps:
//! decode the value through the model, call the API in the token's cluster, build the state
//! through the model.
//!
//! Refresh finds the token in the cluster's cached list (docs/design.md#decision-5-read-detects-drift-from-the-list)
//! and confirms with a GET by id before declaring a token that is absent from the list gone. A
//! list may lag behind a create (eventual consistency). Dropping a just-created token from the
//! state on a lagging list would make the next apply create a second one and orphan the first,
//! whose access token nobody holds any more; the GET is the tie-breaker.

use crate::api::{ApiError, Client, Cluster, DatabaseToken, DeleteOutcome};
use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::model::token::{self, TokenValue};
use crate::value::Value;

use super::{elsewhere, plan};

/// What the API says about a token the state holds.
enum Found {
    Active(DatabaseToken),
    Revoked,
    Missing,
}

/// The refreshed state of `state`'s token, `None` when it is gone (with a warning), or the
/// prior state with an error when the API cannot tell.
pub(super) async fn read(
    ctx: &ProviderContext,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let client = ctx.client(diags)?;
    let cluster = home_cluster(state, diags)?;
    let id = TokenValue(state).id().unwrap_or_default();
    match find(client, &cluster, id).await {
        Ok(Found::Active(found)) => Some(token::state(&found, state)),
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
                    TokenValue(state).display_name()
                ),
            );
            None
        }
        Err(e) => {
            let summary = "Cannot Read Database Token";
            elsewhere::report(ctx, state, &cluster, "read", summary, &e, diags);
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

/// Creates the token in the provider's cluster. An ambiguous create reconciled to one token
/// keeps it (tainted, without its secret) so it is replaced, never forgotten.
pub(super) async fn create(
    ctx: &ProviderContext,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (client, cluster) = ctx.api(diags)?;
    let request = match token::create_request(planned) {
        Ok(r) => r,
        Err(e) => {
            diags.error("Cannot Create Database Token", e.to_string());
            return None;
        }
    };
    match client.create_token(cluster, &request).await {
        Ok(created) => {
            let mut state = token::state(&created.token, planned);
            token::set_access_token(&mut state, Some(created.access_token.expose()));
            Some(state)
        }
        Err(e) => {
            let adopted = e.adopted_token().map(|t| {
                let mut state = token::state(t, planned);
                token::set_access_token(&mut state, None);
                state
            });
            let summary = if adopted.is_some() {
                "Database Token Created Without Its Access Token"
            } else {
                "Cannot Create Database Token"
            };
            diags.error(summary, e.to_string());
            adopted
        }
    }
}

/// Changes description and permissions in place, in the token's own cluster.
pub(super) async fn update(
    ctx: &ProviderContext,
    prior: &Value,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let Some(request) = token::update_request(prior, planned) else {
        return Some(planned.clone());
    };
    let client = ctx.client(diags)?;
    let cluster = home_cluster(prior, diags)?;
    let id = TokenValue(prior).id().unwrap_or_default();
    match client.update_token(&cluster, id, &request).await {
        Ok(updated) => Some(token::state(&updated, planned)),
        Err(e) if ctx.cluster() == Some(&cluster) => {
            diags.error("Cannot Update Database Token", update_error(&e));
            None
        }
        Err(e) => {
            let summary = "Cannot Update Database Token";
            elsewhere::report(ctx, prior, &cluster, "update", summary, &e, diags);
            None
        }
    }
}

/// Revokes the token in its own cluster; already revoked or gone is success. Refused under
/// deletion protection.
pub(super) async fn delete(ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
    if TokenValue(prior).is_protected() {
        // Terraform before 1.3 never plans a destroy with the provider: refuse here too,
        // unless the provider configuration names this token.
        let mut refusal = Diagnostics::new();
        plan::plan_destroy(Some(ctx), prior, false, &mut refusal);
        if refusal.has_errors() {
            diags.extend(refusal);
            return;
        }
        tracing::info!(
            token_id = TokenValue(prior).id().unwrap_or_default(),
            "revoking a protected token the provider configuration names"
        );
    }
    let Some(client) = ctx.client(diags) else {
        return;
    };
    let Some(cluster) = home_cluster(prior, diags) else {
        return;
    };
    if !elsewhere::check_reachable(ctx, client, prior, &cluster, diags).await {
        return;
    }
    let id = TokenValue(prior).id().unwrap_or_default();
    match client.delete_token(&cluster, id).await {
        Ok(DeleteOutcome::Revoked) => {}
        Ok(DeleteOutcome::AlreadyGone) => {
            tracing::info!(token_id = id, "token was already revoked or deleted");
        }
        Err(e) => {
            let summary = "Cannot Revoke Database Token";
            elsewhere::report(ctx, prior, &cluster, "revoke", summary, &e, diags);
        }
    }
}

/// The cluster a token lives in, from its state (docs/design.md#decision-6-a-token-lives-where-it-was-created):
/// read, update and delete act there even when the provider now points elsewhere.
fn home_cluster(state: &Value, diags: &mut Diagnostics) -> Option<Cluster> {
    let cluster = TokenValue(state).cluster();
    if cluster.is_none() {
        diags.error(
            "Database Token Without A Cluster",
            format!(
                "The state of the database token {} has no account_id or cluster_id, so the \
                 provider cannot tell where it lives. Remove it from the state (terraform state \
                 rm) and import it again by id.",
                TokenValue(state).display_name()
            ),
        );
    }
    cluster
}

fn update_error(e: &ApiError) -> String {
    if e.is_not_found() {
        format!(
            "{e}. The token was probably revoked outside Terraform; refresh (terraform plan) to \
             plan a new one."
        )
    } else {
        e.to_string()
    }
}
