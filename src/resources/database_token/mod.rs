//! `influxdb3_database_token`: a database token, created by POST, refreshed from the shared
//! token list (confirmed by id when absent from it), changed by PATCH and revoked by DELETE in
//! the cluster that created it.
//!
//! Laid out like every resource folder: `schema`, `validate`, `plan`, `crud`, `import`.

mod crud;
mod identity;
mod import;
mod list;
mod plan;
mod schema;
mod validate;

pub use list::DatabaseTokenList;

use async_trait::async_trait;

use crate::framework::{Diagnostics, IdentitySchema, PlanChange, Resource, Schema, UpgradeStep};
use crate::model::ProviderContext;
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

    fn destroy_guard(&self) -> Option<&'static str> {
        Some(crate::model::protection::DELETION_PROTECTION)
    }

    fn state_upgrades(&self) -> &'static [UpgradeStep] {
        crate::model::upgrades::TOKEN_STEPS
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

    fn plan_destroy(
        &self,
        ctx: Option<&ProviderContext>,
        prior: &Value,
        replacing: bool,
        diags: &mut Diagnostics,
    ) {
        plan::plan_destroy(ctx, prior, replacing, diags);
    }

    async fn read(
        &self,
        ctx: &ProviderContext,
        state: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        crud::read(ctx, state, diags).await
    }

    async fn create(
        &self,
        ctx: &ProviderContext,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        crud::create(ctx, planned, diags).await
    }

    async fn update(
        &self,
        ctx: &ProviderContext,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        crud::update(ctx, prior, planned, diags).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
        crud::delete(ctx, prior, diags).await;
    }

    async fn import(
        &self,
        ctx: &ProviderContext,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        import::import(ctx, id, diags).await
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(identity::schema())
    }

    async fn import_by_identity(
        &self,
        ctx: &ProviderContext,
        identity: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        identity::import(ctx.client(diags)?, identity, diags).await
    }
}
