//! `influxdb3_database_token`: a database token, created by POST, refreshed from the shared
//! token list (confirmed by id when absent from it), changed by PATCH and revoked by DELETE in the cluster that created it.

mod import;
mod instant;
pub(crate) mod model;
mod plan;
mod read;
mod schema;
pub(crate) mod validate;

use async_trait::async_trait;

use crate::api::{ApiError, Cluster, DeleteOutcome};
use crate::framework::{Diagnostics, PlanChange, Resource, Schema, attr, set_attr};
use crate::provider::ProviderContext;
use crate::value::Value;

/// The resource type.
#[derive(Debug, Default)]
pub struct DatabaseTokenResource;

#[async_trait]
impl Resource<ProviderContext> for DatabaseTokenResource {
    fn type_name(&self) -> &'static str {
        "influxdb3_database_token"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate::validate(config, diags);
    }

    async fn modify_plan(
        &self,
        ctx: Option<&ProviderContext>,
        change: &mut PlanChange,
        diags: &mut Diagnostics,
    ) {
        plan::modify_plan(ctx, change, diags);
    }

    fn plan_destroy(&self, prior: &Value, replacing: bool, diags: &mut Diagnostics) {
        plan::plan_destroy(prior, replacing, diags);
    }

    async fn read(
        &self,
        ctx: &ProviderContext,
        state: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let client = ctx.client(diags)?;
        let cluster = home_cluster(state, diags)?;
        read::read(client, &cluster, state, diags).await
    }

    async fn create(
        &self,
        ctx: &ProviderContext,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let (client, cluster) = ctx.api(diags)?;
        let request = match model::create_request(planned) {
            Ok(r) => r,
            Err(e) => {
                diags.error("Cannot Create Database Token", e.to_string());
                return None;
            }
        };
        match client.create_token(cluster, &request).await {
            Ok(created) => {
                let mut state = model::state(&created.token, planned);
                let secret = created.access_token.expose().to_owned();
                set_attr(&mut state, "access_token", Value::String(secret));
                Some(state)
            }
            Err(e) => {
                // An ambiguous create reconciled to one token: keep it (tainted, without its
                // secret) so it is replaced, never forgotten.
                let adopted = e.adopted_token().map(|t| {
                    let mut state = model::state(t, planned);
                    set_attr(&mut state, "access_token", Value::Null);
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

    async fn update(
        &self,
        ctx: &ProviderContext,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let Some(request) = model::update_request(prior, planned) else {
            return Some(planned.clone());
        };
        let client = ctx.client(diags)?;
        let cluster = home_cluster(prior, diags)?;
        let id = attr(prior, "id").as_str().unwrap_or_default();
        match client.update_token(&cluster, id, &request).await {
            Ok(token) => Some(model::state(&token, planned)),
            Err(e) => {
                diags.error("Cannot Update Database Token", update_error(&e));
                None
            }
        }
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
        if plan::is_protected(prior) {
            // Terraform before 1.3 never plans a destroy with the provider: refuse here too.
            plan::plan_destroy(prior, false, diags);
            return;
        }
        let Some(client) = ctx.client(diags) else {
            return;
        };
        let Some(cluster) = home_cluster(prior, diags) else {
            return;
        };
        let id = attr(prior, "id").as_str().unwrap_or_default();
        match client.delete_token(&cluster, id).await {
            Ok(DeleteOutcome::Revoked) => {}
            Ok(DeleteOutcome::AlreadyGone) => {
                tracing::info!(token_id = id, "token was already revoked or deleted");
            }
            Err(e) => diags.error("Cannot Revoke Database Token", e.to_string()),
        }
    }

    async fn import(
        &self,
        ctx: &ProviderContext,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let (client, cluster) = ctx.api(diags)?;
        import::import(client, cluster, id, diags).await
    }
}

/// The cluster a token lives in, from its state (decision 6): read, update and delete act
/// there even when the provider now points elsewhere.
fn home_cluster(state: &Value, diags: &mut Diagnostics) -> Option<Cluster> {
    let cluster = model::cluster_of(state);
    if cluster.is_none() {
        diags.error(
            "Database Token Without A Cluster",
            format!(
                "The state of the database token {} has no account_id or cluster_id, so the \
                 provider cannot tell where it lives. Remove it from the state (terraform state \
                 rm) and import it again by id.",
                model::display_name(state)
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
