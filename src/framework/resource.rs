//! What a managed resource type implements. The server decodes and encodes values, runs the
//! shared plan rules of [`super::plan`] and calls these methods; a resource only speaks values,
//! diagnostics and its API client (the provider's context `C`).

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::identity::IdentitySchema;
use super::schema::Schema;
use super::upgrade::UpgradeStep;
use crate::value::{AttributePath, Value};

/// A planned create or update, after the shared plan rules, for the resource to adjust.
#[derive(Debug, Clone)]
pub struct PlanChange {
    /// The prior state; null on create.
    pub prior: Value,
    /// The configuration (may hold unknown values).
    pub config: Value,
    /// The planned state; the resource may set computed values or mark them unknown.
    pub planned: Value,
    /// Attributes whose change forces replacement; the resource may add to them.
    pub requires_replace: Vec<AttributePath>,
}

/// A managed resource type.
///
/// Terraform calls, per instance: `validate` (at `terraform validate` and every plan, with
/// possibly unknown values), `read` (refresh), the plan hooks, then `create`, `update` or
/// `delete` at apply. Each method reports problems through `diags` and never panics.
#[async_trait]
pub trait Resource<C: Send + Sync>: Send + Sync {
    /// The Terraform type name, e.g. `influxdb3_database_token`.
    fn type_name(&self) -> &'static str;

    /// The schema. Called once when the server starts.
    fn schema(&self) -> Schema;

    /// The upgrade chain of stored state: `steps[n]` takes schema version `n` to `n + 1`, so
    /// there are exactly as many steps as the schema's version. Bump the version and add a
    /// step whenever stored state changes shape (an attribute renamed, removed or retyped).
    fn state_upgrades(&self) -> &'static [UpgradeStep] {
        &[]
    }

    /// The bool attribute that guards this type's destroy (deletion protection), if it has
    /// one. `plan_destroy` and `delete` enforce it; the server needs its name only because
    /// Terraform applies the destroy half of a replaced tainted object with the old state: a
    /// configuration that sets it to `false` in the plan must reach that destroy (see
    /// `server::replacement`).
    fn destroy_guard(&self) -> Option<&'static str> {
        None
    }

    /// Checks the configuration without calling any API. Values may be unknown: check only
    /// what is known.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Adjusts a planned create or update. `ctx` is `None` when the provider configuration is
    /// not yet known (for example, it depends on another resource).
    async fn modify_plan(
        &self,
        _ctx: Option<&C>,
        _change: &mut PlanChange,
        _diags: &mut Diagnostics,
    ) {
    }

    /// Called when a plan destroys `prior`, or replaces it (`replacing`): the place for
    /// warnings about what destruction means and for refusing it. `ctx` is `None` when the
    /// provider configuration is not known yet.
    fn plan_destroy(
        &self,
        _ctx: Option<&C>,
        _prior: &Value,
        _replacing: bool,
        _diags: &mut Diagnostics,
    ) {
    }

    /// Refreshes `state` from the API. `None` means the object is gone; Terraform removes it
    /// from state and plans to create it again.
    async fn read(&self, ctx: &C, state: &Value, diags: &mut Diagnostics) -> Option<Value>;

    /// Creates the object. On failure, returning `Some` state together with an error keeps the
    /// object in state as tainted (so nothing created is forgotten).
    async fn create(&self, ctx: &C, planned: &Value, diags: &mut Diagnostics) -> Option<Value>;

    /// Updates the object in place.
    async fn update(
        &self,
        ctx: &C,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value>;

    /// Deletes the object. An error keeps the prior state.
    async fn delete(&self, ctx: &C, prior: &Value, diags: &mut Diagnostics);

    /// Builds the state of an existing object from the id the user gave. Terraform reads it
    /// right after.
    async fn import(&self, _ctx: &C, _id: &str, diags: &mut Diagnostics) -> Option<Value> {
        diags.error(
            "Import Not Supported",
            format!("The resource type {} cannot be imported.", self.type_name()),
        );
        None
    }

    /// The identity schema, for types that have one (Terraform 1.12+: identity in state,
    /// `import { identity = … }`, list resources). The server derives identities from state
    /// with it.
    fn identity_schema(&self) -> Option<IdentitySchema> {
        None
    }

    /// Builds the state of an existing object from an identity (all attributes known and
    /// non-empty, checked by the server). The identity names its own cluster, which may not be
    /// the provider's. Terraform reads it right after.
    async fn import_by_identity(
        &self,
        _ctx: &C,
        _identity: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        diags.error(
            "Import By Identity Not Supported",
            format!(
                "The resource type {} cannot be imported by identity; import it by id.",
                self.type_name()
            ),
        );
        None
    }
}
