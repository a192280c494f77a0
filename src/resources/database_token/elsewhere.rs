//! A token whose cluster the provider configuration in use cannot reach.
//!
//! Read, update and delete act in the cluster the state records
//! (docs/design.md#decision-6-a-token-lives-where-it-was-created), through the credentials of
//! whichever provider configuration the resource block names now. When the block moved to
//! another provider alias, those credentials may belong to another account or endpoint: the
//! API then answers 404 (it does not say whether the token or the cluster is unknown), 401 or
//! 403. Reported as is, that reads as a missing cluster; the user needs to hear that the block
//! changed provider configuration and what to write.
//!
//! A DELETE answered 404 normally means "already gone" and ends the token's life in state. In
//! a cluster other than the provider's, that 404 may only mean "not reachable from here", so
//! [`check_reachable`] lists the token's cluster first and refuses the revoke when the list
//! fails: the token stays in state, never orphaned.

use crate::api::{ApiError, Client, Cluster};
use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::model::token::TokenValue;
use crate::value::Value;

/// Summary of the diagnostic.
const SUMMARY: &str = "Database Token Not Reachable Through This Provider Configuration";

/// Whether `e`, met in `home` while the provider points elsewhere, means the provider's
/// credentials cannot reach `home` rather than something about the token.
fn is_unreachable(e: &ApiError) -> bool {
    matches!(e.status(), Some(401 | 403 | 404))
}

/// Reports `e`: as an unreachable home cluster when the provider configuration points at
/// another cluster and the answer says it cannot act there, else under `summary` as it is.
/// `what` says what was being done ("read", "revoke", ...).
pub(super) fn report(
    ctx: &ProviderContext,
    state: &Value,
    home: &Cluster,
    what: &str,
    summary: &str,
    e: &ApiError,
    diags: &mut Diagnostics,
) {
    if ctx.cluster() == Some(home) || !is_unreachable(e) {
        diags.error(summary, e.to_string());
        return;
    }
    let provider = ctx
        .cluster()
        .map_or_else(|| "no cluster".to_owned(), ToString::to_string);
    diags.error(
        SUMMARY,
        format!(
            "Could not {what} the database token {name}. Its state records that it lives in \
             {home}, but the provider configuration this resource block now uses points at \
             {provider}, and its credentials cannot reach it (the Management API answered \
             HTTP {status}). This happens when the \
             block moved to another provider configuration (its `provider` argument changed). \
             Nothing was revoked and the token stays in state. Point the block back at the \
             provider configuration for {home} (`provider = influxdb3.<alias>` naming it, or no \
             `provider` argument if it is the default one) and plan again. A token cannot move \
             between clusters: repointing it plans a replacement (a new token in the new \
             cluster, the old one revoked in its own), which needs credentials that reach both; \
             otherwise declare the new token in a new resource block and remove this one while \
             it still uses the configuration for {home}.",
            name = TokenValue(state).display_name(),
            status = e.status().unwrap_or_default(),
        ),
    );
}

/// Before a revoke in `home`: when the provider points at another cluster, proves that its
/// credentials reach `home` (a list of its tokens), so that a 404 from the DELETE means the
/// token is gone and not that the cluster is out of reach. `false` with an error otherwise.
pub(super) async fn check_reachable(
    ctx: &ProviderContext,
    client: &Client,
    state: &Value,
    home: &Cluster,
    diags: &mut Diagnostics,
) -> bool {
    if ctx.cluster() == Some(home) {
        return true;
    }
    match client.cached_tokens(home).await {
        Ok(_) => true,
        Err(e) => {
            report(
                ctx,
                state,
                home,
                "revoke",
                "Cannot Revoke Database Token",
                &e,
                diags,
            );
            false
        }
    }
}
