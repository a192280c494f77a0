//! `influxdb3_database_token`: a database token, created by POST, refreshed from the shared
//! token list (confirmed by id when absent from it), changed by PATCH and revoked by DELETE in
//! the cluster that created it.
//!
//! This file holds the type and its read, create, update and delete, each in the same steps:
//! find where the token lives ([`Home`]), call the API there, build the state through the
//! model. Beside it: `schema`, `plan` (plan adjustments, the revoke warning and refusal),
//! `import` and `identity`.
//!
//! Refresh finds the token in the cluster's cached list (docs/design.md#decision-5-read-detects-drift-from-the-list)
//! and confirms with a GET by id before declaring a token that is absent from the list gone. A
//! list may lag behind a create (eventual consistency). Dropping a just-created token from the
//! state on a lagging list would make the next apply create a second one and orphan the first,
//! whose access token nobody holds any more; the GET is the tie-breaker.

mod identity;
mod import;
pub(crate) mod plan;
mod schema;

use async_trait::async_trait;

use crate::api::{
    Absent, ApiError, Client, Cluster, DatabaseToken, DeleteOutcome, Description, Found, Receipt,
    canonical_id,
};
use crate::framework::{Declaration, Declare, Diagnostics, PlanChange, Resource};
use crate::model::home::{Doing, Home, TOKEN, sentence};
use crate::model::protection::{self, DELETION_PROTECTION};
use crate::model::{Call, PlanCall, ProviderContext};
use crate::tokens::model::{self as token, TokenValue, placeholder_receipt};
use crate::value::Value;

/// The resource type.
#[derive(Debug, Default)]
pub struct DatabaseTokenResource;

#[async_trait]
impl Resource<ProviderContext> for DatabaseTokenResource {
    async fn modify_plan(&self, call: PlanCall<'_>, change: &mut PlanChange) {
        plan::modify_plan(call.ctx, change, call.diags);
    }

    fn plan_destroy(&self, call: PlanCall<'_>, prior: &Value, replacing: bool) {
        plan::plan_destroy(call.ctx, prior, replacing, call.diags);
    }

    /// The refreshed state of `state`'s token, `None` when it is gone (with a warning), or the
    /// prior state with an error when the API cannot tell.
    async fn read(&self, Call { ctx, diags }: Call<'_>, state: &Value) -> Option<Value> {
        let home = home(ctx, state, diags)?;
        let cluster = &home.cluster;
        if let Some(receipt) = placeholder_receipt(state) {
            return read_placeholder(home.client, cluster, &receipt, state, diags).await;
        }
        let id = TokenValue(state).id().unwrap_or_default();
        match find(home.client, cluster, id, token::described(state, cluster)).await {
            Ok(Lookup::Active(found)) => Some(token::state(&found, state)),
            Ok(gone) => {
                let how = gone.gone_words();
                diags.warning(
                    "Database Token Gone",
                    format!(
                        "The database token {} {how} in {cluster} (changed outside Terraform). It \
                         was removed from the state; the next plan creates a new token, with a new \
                         access token.",
                        home.name()
                    ),
                );
                None
            }
            Err(e) => {
                home.report(READ, &e, diags);
                Some(state.clone())
            }
        }
    }

    /// Creates the token in the provider's cluster. A create whose answer was lost and whose token
    /// could not be revoked keeps that token (tainted, without its secret) so it is replaced,
    /// never forgotten; one whose outcome is unknown keeps a placeholder naming its receipt, which
    /// the next refresh or apply settles.
    async fn create(&self, Call { ctx, diags }: Call<'_>, planned: &Value) -> Option<Value> {
        let (client, cluster) = ctx.api(diags)?;
        let request = match token::create_request(planned) {
            Ok(r) => r,
            Err(e) => {
                diags.error(TOKEN.doing("create").summary(), e.to_string());
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
                if token::receipt_left(&created.token, &request.description, diags) {
                    token::set_description(&mut state, &request.description);
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
                diags.error(TOKEN.doing("create").summary(), e.to_string());
                e.unsettled_receipt()
                    .map(|receipt| token::placeholder(planned, receipt))
            }
        }
    }

    /// Changes description and permissions in place, in the token's own cluster.
    async fn update(&self, call: Call<'_>, prior: &Value, planned: &Value) -> Option<Value> {
        let Call { ctx, diags } = call;
        let Some(request) = token::update_request(prior, planned) else {
            return Some(planned.clone());
        };
        let home = home(ctx, prior, diags)?;
        let id = TokenValue(prior).id().unwrap_or_default();
        match home.client.update_token(&home.cluster, id, &request).await {
            Ok(updated) => Some(token::state(&updated, planned)),
            Err(e) if home.is_providers() => {
                diags.error(UPDATE.summary(), update_error(&e));
                None
            }
            Err(e) => {
                home.report(UPDATE, &e, diags);
                None
            }
        }
    }

    /// Revokes the token in its own cluster; already revoked or gone is success. Refused under
    /// deletion protection.
    async fn delete(&self, Call { ctx, diags }: Call<'_>, prior: &Value) {
        if let Some(receipt) = placeholder_receipt(prior) {
            let Some(home) = home(ctx, prior, diags) else {
                return;
            };
            delete_placeholder(home.client, &home.cluster, &receipt, prior, diags).await;
            return;
        }
        let plan_destroy = |d: &mut Diagnostics| plan::plan_destroy(Some(ctx), prior, false, d);
        if protection::delete_refused(prior, plan_destroy, diags) {
            return;
        }
        if protection::is_protected(prior) {
            tracing::info!(
                token_id = TokenValue(prior).id().unwrap_or_default(),
                "revoking a protected token the provider configuration names"
            );
        }
        let Some(home) = home(ctx, prior, diags) else {
            return;
        };
        if !home.check_reachable(REVOKE, diags).await {
            return;
        }
        let id = TokenValue(prior).id().unwrap_or_default();
        match home.client.delete_token(&home.cluster, id).await {
            Ok(DeleteOutcome::Revoked) => {}
            Ok(DeleteOutcome::AlreadyGone) => {
                tracing::info!(token_id = id, "token was already revoked or deleted");
            }
            Err(e) => home.report(REVOKE, &e, diags),
        }
    }

    async fn import(&self, call: Call<'_>, id: &str) -> Option<Value> {
        import::import(call.ctx, id, call.diags).await
    }

    async fn import_by_identity(&self, call: Call<'_>, identity: &Value) -> Option<Value> {
        identity::import(call.ctx.client(call.diags)?, identity, call.diags).await
    }
}

impl Declare for DatabaseTokenResource {
    const DECLARATION: Declaration = Declaration::new(crate::tokens::TYPE_NAME, schema::schema)
        .validated_by(crate::tokens::rules::validate)
        .guarded_by(DELETION_PROTECTION)
        .upgraded_by(schema::TOKEN_STEPS)
        .identified_by(identity::schema);
}

const READ: Doing = TOKEN.doing("read");

const UPDATE: Doing = TOKEN.doing("update");

const REVOKE: Doing = TOKEN.doing("revoke");

/// Where the token a state holds lives (the cluster the state records).
fn home<'a>(ctx: &'a ProviderContext, state: &Value, diags: &mut Diagnostics) -> Option<Home<'a>> {
    let name = TokenValue(state).display_name();
    Home::of_state(ctx, &TOKEN, state, name, diags)
}

/// What the API says about a token the state holds.
pub(crate) enum Lookup {
    Active(DatabaseToken),
    Revoked,
    Missing,
}

impl Lookup {
    /// How a warning says that a token is no longer active ("has been revoked").
    pub(crate) fn gone_words(&self) -> &'static str {
        if matches!(self, Lookup::Revoked) {
            "has been revoked"
        } else {
            "no longer exists"
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
    match revoke_made_by(client, cluster, receipt).await {
        Ok(()) => {}
        Err(Unrevoked::Api(e)) => {
            diags.error(summary, format!("{e}. The placeholder stays in the state."));
        }
        Err(Unrevoked::Unsettled { why }) => diags.error(
            summary,
            format!(
                "Whether the create of the database token {name:?} made a token is still not \
                 known ({why}), so nothing was revoked and the placeholder stays in the state. \
                 Apply again once the cluster's token list can be read."
            ),
        ),
    }
}

/// Why the tokens a create made were not all revoked.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Unrevoked {
    /// A list or a revoke failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// No list could prove what the create made.
    #[error("whether the create made a token is still not known ({why}), so nothing was revoked")]
    Unsettled { why: String },
}

/// Revokes every token carrying `receipt` (made by the create whose outcome was unknown, its
/// access token held by nobody) and no other. Done when a complete list proves the create made
/// nothing.
pub(crate) async fn revoke_made_by(
    client: &Client,
    cluster: &Cluster,
    receipt: &Receipt,
) -> Result<(), Unrevoked> {
    match client.look_for_receipt(cluster, receipt).await {
        Found::Absent(Absent { proven: true, .. }) => Ok(()),
        Found::Made(tokens) => {
            for token in tokens {
                tracing::info!(
                    token_id = %token.id,
                    "revoking the token an unsettled create made (it carries its receipt)"
                );
                client.delete_token(cluster, &token.id).await?;
            }
            Ok(())
        }
        Found::Absent(absent) => Err(Unrevoked::Unsettled {
            why: absent.why_unproven(),
        }),
    }
}

/// The token `described` (what the caller's state says of it) when the cached list shows it
/// exactly so (the list's index keeps a digest per entry, see `api::TokenIndex`); otherwise,
/// or with nothing described, the answer of a GET by id: a token changed outside Terraform,
/// missing from the list or listed as revoked. A list entry marked revoked is confirmed by the
/// GET too: a list that wrongly says so must not drop a live token from the state (and have a
/// second one created beside it).
pub(crate) async fn find(
    client: &Client,
    cluster: &Cluster,
    id: &str,
    described: Option<DatabaseToken>,
) -> Result<Lookup, ApiError> {
    let id = canonical_id(id);
    let index = client.cached_token_index(cluster).await?;
    if let Some(described) = described
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

fn update_error(e: &ApiError) -> String {
    if e.is_not_found() {
        format!(
            "{e}. The token was probably revoked outside Terraform; refresh (terraform plan) to \
             plan a new one."
        )
    } else {
        sentence(e)
    }
}
