//! The `influxdb3_table` resource: a table of a database, created with its own partition
//! template, renamed in place, deleted (soft, like databases). The API has no table read or
//! list, so refresh checks only that the database still exists (see `schema::DRIFT_DOC`).
//!
//! Laid out like every resource folder: `schema`, `validate`, `plan`, `crud`, `import`.

mod crud;
mod import;
mod plan;
mod schema;
mod validate;

use async_trait::async_trait;

use crate::framework::{Diagnostics, IdentitySchema, PlanChange, Resource, Schema, UpgradeStep};
use crate::model::ProviderContext;
use crate::value::Value;

/// The resource type.
#[derive(Debug, Default)]
pub struct TableResource;

#[async_trait]
impl Resource<ProviderContext> for TableResource {
    fn type_name(&self) -> &'static str {
        "influxdb3_table"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn state_upgrades(&self) -> &'static [UpgradeStep] {
        crate::model::upgrades::TABLE_STEPS
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate::validate(config, diags);
    }

    async fn modify_plan(
        &self,
        ctx: Option<&ProviderContext>,
        change: &mut PlanChange,
        _diags: &mut Diagnostics,
    ) {
        plan::modify_plan(ctx, change);
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
        import::import(ctx, id, diags)
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(import::identity_schema())
    }

    async fn import_by_identity(
        &self,
        _ctx: &ProviderContext,
        identity: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        import::import_by_identity(identity, diags)
    }
}
