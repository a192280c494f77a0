//! Read, create, update and delete of `influxdb3_database_token`, each in the same steps:
//! decode the value through the model, call the API in the token's cluster, build the state
//! through the model.
//!
//! Refresh finds the token in the cluster's cached list (docs/design.md#decision-5-read-detects-drift-from-the-list)
//! and confirms with a GET by id before declaring a token that is absent from the list gone. A
//! list may lag behind a create (eventual consistency). Dropping a just-created token from the
//! state on a lagging list would make the next apply create a second one and orphan the first,
//! whose access token nobody holds any more; the GET is the tie-breaker.

use crate::api::{
    Absent, ApiError, Client, Cluster, DatabaseToken, DeleteOutcome, Description, Found, Receipt,
    canonical_id, receipt_in,
};
use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::model::token::{self, TokenValue, placeholder_receipt};
use crate::value::Value;

use super::plan;
use crate::resources::elsewhere::{self, TOKEN};

/// What the API says about a token the state holds.
enum Lookup {
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
    if let Some(receipt) = placeholder_receipt(state) {
        return read_placeholder(client, &cluster, &receipt, state, diags).await;
    }
    let id = TokenValue(state).id().unwrap_or_default();
    match find(client, &cluster, id, state).await {
        Ok(Lookup::Active(found)) => Some(token::state(&found, state)),
        Ok(gone) => {
            let how = if matches!(gone, Lookup::Revoked) {
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
            elsewhere::report(
                ctx,
                &TOKEN,
                &TokenValue(state).display_name(),
                &cluster,
                ("read", summary),
                &e,
                diags,
            );
            Some(state.clone())
        }
    }
}

/// Refreshes a placeholder (the state of a create whose outcome was unknown) without changing
/// anything: a complete list without its receipt proves the create made nothing, and the
/// placeholder leaves the state (the next plan creates the token); otherwise it stays, tainted,
/// and its replacement revokes whatever carries the receipt.
async fn read_placeholder(
    client: &Client,
    cluster: &Cluster,
    receipt: &Receipt,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let name = TokenValue(state).description().unwrap_or_default();
    match client.look_for_receipt(cluster, receipt).await {
        Found::Absent(Absent { proven: true, .. }) => {
            diags.warning(
                "Unsettled Database Token Create Made Nothing",
                format!(
                    "The create of the database token {name:?} whose outcome was not known \
                     made no token: no token in {cluster} carries its receipt \
                     [tf-receipt:{receipt}]. It was removed from the state; the next plan \
                     creates the token."
                ),
            );
            None
        }
        Found::Made(tokens) => {
            let ids: Vec<&str> = tokens.iter().map(|t| t.id.as_str()).collect();
            diags.warning(
                "Unsettled Database Token Create Found",
                format!(
                    "The create of the database token {name:?} whose outcome was not known \
                     made {} (it carries the create's receipt [tf-receipt:{receipt}]); its \
                     access token was lost, so nobody holds it. The placeholder stays tainted: \
                     the next apply revokes that token and creates a new one.",
                    ids.join(", ")
                ),
            );
            Some(state.clone())
        }
        Found::Absent(absent) => {
            let why = absent.why_unproven();
            diags.warning(
                "Unsettled Database Token Create",
                format!(
                    "Whether the create of the database token {name:?} made a token is still not \
                     known ({why}). The placeholder stays in the state until a list settles it."
                ),
            );
            Some(state.clone())
        }
    }
}

/// Revokes what a placeholder's create made: every live token carrying its receipt, and no
/// other. A list that cannot prove the create made nothing keeps the placeholder (an error).
async fn delete_placeholder(
    client: &Client,
    cluster: &Cluster,
    receipt: &Receipt,
    prior: &Value,
    diags: &mut Diagnostics,
) {
    let name = TokenValue(prior).description().unwrap_or_default();
    let summary = "Cannot Settle Database Token Create";
    match client.look_for_receipt(cluster, receipt).await {
        Found::Absent(Absent { proven: true, .. }) => {}
        Found::Made(tokens) => {
            for token in tokens {
                tracing::info!(
                    token_id = %token.id,
                    "revoking the token an unsettled create made (it carries its receipt)"
                );
                if let Err(e) = client.delete_token(cluster, &token.id).await {
                    diags.error(summary, format!("{e}. The placeholder stays in the state."));
                    return;
                }
            }
        }
        Found::Absent(absent) => {
            let why = absent.why_unproven();
            diags.error(
                summary,
                format!(
                    "Whether the create of the database token {name:?} made a token is still \
                     not known ({why}), so nothing was revoked and the placeholder stays in the \
                     state. Apply again once the cluster's token list can be read."
                ),
            );
        }
    }
}

/// The token as the state has it when the cached list shows it so (the list's index keeps a
/// digest per entry, see `api::TokenIndex`); otherwise, the answer of a GET by id: a token
/// changed outside Terraform, missing from the list or listed as revoked. A list entry marked
/// revoked is confirmed by the GET too: a list that wrongly says so must not drop a live token
/// from the state (and have a second one created beside it).
async fn find(
    client: &Client,
    cluster: &Cluster,
    id: &str,
    state: &Value,
) -> Result<Lookup, ApiError> {
    let id = canonical_id(id);
    let index = client.cached_token_index(cluster).await?;
    if let Some(described) = token::described(state, cluster)
        && described.id == id
        && index.lists_unchanged(cluster, &described)
    {
        return Ok(Lookup::Active(described));
    }
    match client.get_token(cluster, &id).await {
        Ok(token) if token.is_revoked() => Ok(Lookup::Revoked),
        Ok(token) => {
            tracing::debug!(
                token_id = id,
                "token not listed as the state has it; read by id"
            );
            Ok(Lookup::Active(token))
        }
        Err(e) if e.is_not_found() => Ok(Lookup::Missing),
        Err(e) => Err(e),
    }
}

/// Creates the token in the provider's cluster. A create whose answer was lost and whose token
/// could not be revoked keeps that token (tainted, without its secret) so it is replaced,
/// never forgotten; one whose outcome is unknown keeps a placeholder naming its receipt, which
/// the next refresh or apply settles.
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
    match client
        .create_token(cluster, &request, Description::Restore)
        .await
    {
        Ok(created) => {
            let mut state = token::state(&created.token, planned);
            token::set_access_token(&mut state, Some(created.access_token.expose()));
            if receipt_in(&created.token.description).is_some() {
                token::set_description(&mut state, &request.description);
                diags.warning(
                    "Database Token Description Not Yet Set",
                    format!(
                        "The database token {:?} (id {}) was created, but setting its \
                         description back to the configured text after the create failed; \
                         its description still ends with the create's receipt. The next apply \
                         sets it (an update in place).",
                        request.description, created.token.id
                    ),
                );
            }
            Some(state)
        }
        Err(e) => {
            if let Some(token) = e.adopted_token() {
                let mut state = token::state(token, planned);
                token::set_description(&mut state, &request.description);
                token::set_access_token(&mut state, None);
                diags.error(
                    "Database Token Created Without Its Access Token",
                    format!(
                        "{e}. It is kept in the state as tainted: the next apply revokes it and \
                         creates a new one."
                    ),
                );
                return Some(state);
            }
            diags.error("Cannot Create Database Token", e.to_string());
            e.unsettled_receipt()
                .map(|receipt| token::placeholder(planned, receipt))
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
            elsewhere::report(
                ctx,
                &TOKEN,
                &TokenValue(prior).display_name(),
                &cluster,
                ("update", summary),
                &e,
                diags,
            );
            None
        }
    }
}

/// Revokes the token in its own cluster; already revoked or gone is success. Refused under
/// deletion protection.
pub(super) async fn delete(ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
    if let Some(receipt) = placeholder_receipt(prior) {
        let (Some(client), Some(cluster)) = (ctx.client(diags), home_cluster(prior, diags)) else {
            return;
        };
        delete_placeholder(client, &cluster, &receipt, prior, diags).await;
        return;
    }
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
    let name = TokenValue(prior).display_name();
    let what = ("revoke", "Cannot Revoke Database Token");
    let probe = client.cached_token_index(&cluster);
    if !elsewhere::check_reachable(ctx, &TOKEN, &name, &cluster, what, probe, diags).await {
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
            elsewhere::report(
                ctx,
                &TOKEN,
                &TokenValue(prior).display_name(),
                &cluster,
                ("revoke", summary),
                &e,
                diags,
            );
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
