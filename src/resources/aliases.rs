//! Deprecated aliases carrying the incumbent provider's resource type names
//! (`influxdb3_token`, `influxdb3_cloud_token`).
//!
//! They exist for the route that works on every Terraform and OpenTofu version: after
//! `terraform state replace-provider <incumbent> registry.terraform.io/ironflux/influxdb3`,
//! state entries keep the incumbent's type names, now under this provider. An alias behaves
//! exactly like the type it stands for (same schema, plan and API calls), so the incumbent's
//! state (schema version 0, upgraded by the server's state fitting) and configuration plan no
//! change. Each configuration gets a warning naming our type and the `moved` block to get there.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::{Diagnostics, PlanChange, Resource, Schema};
use crate::model::ProviderContext;
use crate::value::Value;

/// The incumbent's token type names; each is an alias of `influxdb3_database_token`.
pub const TOKEN_ALIASES: &[&str] = &["influxdb3_token", "influxdb3_cloud_token"];

/// A resource type under another name, with a deprecation warning at validate.
pub struct Alias {
    name: &'static str,
    target: Arc<dyn Resource<ProviderContext>>,
}

impl std::fmt::Debug for Alias {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Alias")
            .field("name", &self.name)
            .field("target", &self.target.type_name())
            .finish()
    }
}

impl Alias {
    /// `name` stands for `target`.
    pub fn new(name: &'static str, target: Arc<dyn Resource<ProviderContext>>) -> Self {
        Alias { name, target }
    }
}

/// The warning every configuration of an alias gets.
pub fn deprecation(alias: &str, target: &str) -> (String, String) {
    (
        format!("Deprecated Resource Type {alias}"),
        format!(
            "{alias} is the incumbent provider's name, kept so its state and configuration work \
             unchanged. Rename the resource to {target} and add, for each one, a block such as\n\
             \n  moved {{\n    from = {alias}.NAME\n    to   = {target}.NAME\n  }}\n\n\
             (Terraform 1.8 or later; the move makes no API call and keeps the access token)."
        ),
    )
}

#[async_trait]
impl Resource<ProviderContext> for Alias {
    fn type_name(&self) -> &'static str {
        self.name
    }

    fn schema(&self) -> Schema {
        let mut schema = self.target.schema();
        schema.description = format!(
            "**Deprecated**: the incumbent provider's name for `{}`; see that type. {}",
            self.target.type_name(),
            schema.description
        );
        schema
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let (summary, detail) = deprecation(self.name, self.target.type_name());
        diags.warning(summary, detail);
        self.target.validate(config, diags);
    }

    async fn modify_plan(
        &self,
        ctx: Option<&ProviderContext>,
        change: &mut PlanChange,
        diags: &mut Diagnostics,
    ) {
        self.target.modify_plan(ctx, change, diags).await;
    }

    fn plan_destroy(
        &self,
        ctx: Option<&ProviderContext>,
        prior: &Value,
        replacing: bool,
        diags: &mut Diagnostics,
    ) {
        self.target.plan_destroy(ctx, prior, replacing, diags);
    }

    async fn read(
        &self,
        ctx: &ProviderContext,
        state: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        self.target.read(ctx, state, diags).await
    }

    async fn create(
        &self,
        ctx: &ProviderContext,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        self.target.create(ctx, planned, diags).await
    }

    async fn update(
        &self,
        ctx: &ProviderContext,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        self.target.update(ctx, prior, planned, diags).await
    }

    async fn delete(&self, ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
        self.target.delete(ctx, prior, diags).await;
    }

    async fn import(
        &self,
        ctx: &ProviderContext,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        self.target.import(ctx, id, diags).await
    }
}
