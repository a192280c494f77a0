//! The `influxdb3_database` resource: a database of the cluster that created it.
//!
//! Create is POST (a taken name suggests import, or restoring a soft-deleted database), a
//! `name` change an in-place rename, other updates a PATCH of only what changed, delete a
//! DELETE that is refused under `deletion_protection` and treats 404 as done. Read finds the
//! database in the cluster's cached list: absent means deleted outside Terraform.

//!
//! Laid out like every resource folder: `schema`, `validate`, `plan`, `crud`, `import`; plus
//! `rename` (the plan warning and the apply of a name change) and `conflict` (a create's 409).

mod conflict;
mod crud;
mod identity;
mod import;
mod plan;
mod rename;
mod schema;
mod validate;

pub use identity::DatabaseList;

use async_trait::async_trait;

use crate::framework::{Diagnostics, IdentitySchema, PlanChange, Resource, Schema, UpgradeStep};
use crate::model::ProviderContext;
use crate::value::Value;

/// The resource type.
#[derive(Debug, Default)]
pub struct DatabaseResource;

#[async_trait]
impl Resource<ProviderContext> for DatabaseResource {
    fn type_name(&self) -> &'static str {
        "influxdb3_database"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn destroy_guard(&self) -> Option<&'static str> {
        Some(crate::model::protection::DELETION_PROTECTION)
    }

    fn state_upgrades(&self) -> &'static [UpgradeStep] {
        crate::model::upgrades::DATABASE_STEPS
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
        rename::plan_rename(ctx, change, diags).await;
    }

    fn plan_destroy(
        &self,
        _ctx: Option<&ProviderContext>,
        prior: &Value,
        replacing: bool,
        diags: &mut Diagnostics,
    ) {
        plan::plan_destroy(prior, replacing, diags);
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
        Some(identity::schema())
    }

    async fn import_by_identity(
        &self,
        _ctx: &ProviderContext,
        identity: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        identity::import(identity, diags)
    }
}
