//! What a managed resource type implements. The server decodes and encodes values, runs the
//! shared plan rules of [`super::plan`] and calls these methods; a resource only speaks values,
//! diagnostics and its API client (the provider's context `C`).

use async_trait::async_trait;

use super::call::{Call, PlanCall};
use super::declaration::Declared;
use super::identity::IdentitySchema;
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
/// `delete` at apply. Each method reports problems through its call's diagnostics and never
/// panics. The fixed facts (name, schema, checks, destroy guard, upgrades, identity) come from
/// the type's declaration ([`Declared`]); only a type standing for another (an alias) overrides them.
#[async_trait]
pub trait Resource<C: Send + Sync>: Declared + Send + Sync {
    /// The upgrade chain of stored state (see
    /// [`Declaration::state_upgrades`](super::Declaration::state_upgrades)).
    fn state_upgrades(&self) -> &'static [UpgradeStep] {
        self.declaration().state_upgrades
    }

    /// The bool attribute that guards this type's destroy (see
    /// [`Declaration::destroy_guard`](super::Declaration::destroy_guard)).
    fn destroy_guard(&self) -> Option<&'static str> {
        self.declaration().destroy_guard
    }

    /// The identity schema, for types that have one (see
    /// [`Declaration::identity`](super::Declaration::identity)).
    fn identity_schema(&self) -> Option<IdentitySchema> {
        self.declaration().identity.map(|identity| identity())
    }

    /// Adjusts a planned create or update.
    async fn modify_plan(&self, _call: PlanCall<'_, C>, _change: &mut PlanChange) {}

    /// Called when a plan destroys `prior`, or replaces it (`replacing`): the place for
    /// warnings about what destruction means and for refusing it.
    fn plan_destroy(&self, _call: PlanCall<'_, C>, _prior: &Value, _replacing: bool) {}

    /// Refreshes `state` from the API. `None` means the object is gone; Terraform removes it
    /// from state and plans to create it again.
    async fn read(&self, call: Call<'_, C>, state: &Value) -> Option<Value>;

    /// Creates the object. On failure, returning `Some` state together with an error keeps the
    /// object in state as tainted (so nothing created is forgotten).
    async fn create(&self, call: Call<'_, C>, planned: &Value) -> Option<Value>;

    /// Updates the object in place.
    async fn update(&self, call: Call<'_, C>, prior: &Value, planned: &Value) -> Option<Value>;

    /// Deletes the object. An error keeps the prior state.
    async fn delete(&self, call: Call<'_, C>, prior: &Value);

    /// Builds the state of an existing object from the id the user gave. Terraform reads it
    /// right after.
    async fn import(&self, call: Call<'_, C>, _id: &str) -> Option<Value> {
        call.diags.error(
            "Import Not Supported",
            format!("The resource type {} cannot be imported.", self.type_name()),
        );
        None
    }

    /// Builds the state of an existing object from an identity (all attributes known and
    /// non-empty, checked by the server). The identity names its own cluster, which may not be
    /// the provider's. Terraform reads it right after.
    async fn import_by_identity(&self, call: Call<'_, C>, _identity: &Value) -> Option<Value> {
        call.diags.error(
            "Import By Identity Not Supported",
            format!(
                "The resource type {} cannot be imported by identity; import it by id.",
                self.type_name()
            ),
        );
        None
    }
}
