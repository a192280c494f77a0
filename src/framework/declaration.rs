//! What a Terraform type states once, before any call: its name, its schema and the checks and
//! hooks that need no API. A type writes them as one constant ([`Declare`]); every kind reads
//! them through [`Declared`], so no type repeats a method per fact.

use super::diag::Diagnostics;
use super::identity::IdentitySchema;
use super::schema::Schema;
use super::upgrade::UpgradeStep;
use crate::value::Value;

/// The fixed facts of one Terraform type. Built in a `const` with [`Declaration::new`] and the
/// builder methods, so what a type leaves out keeps the framework's default.
#[derive(Clone, Copy)]
pub struct Declaration {
    /// The Terraform type name, e.g. `influxdb3_database_token`.
    pub name: &'static str,
    /// Builds the schema. Called once when the server starts.
    pub schema: fn() -> Schema,
    /// Checks a configuration without calling any API. Values may be unknown: check only what
    /// is known. Called at `terraform validate` and before every plan or use.
    pub validate: fn(&Value, &mut Diagnostics),
    /// Managed resources: the bool attribute that guards the type's destroy (deletion
    /// protection), if it has one. `plan_destroy` and `delete` enforce it; the server needs its
    /// name only because Terraform applies the destroy half of a replaced tainted object with
    /// the old state: a configuration that sets it to `false` in the plan must reach that
    /// destroy (see `server::replacement`).
    pub destroy_guard: Option<&'static str>,
    /// Managed resources: the upgrade chain of stored state. `steps[n]` takes schema version `n`
    /// to `n + 1`, so there are exactly as many steps as the schema's version. Bump the version
    /// and add a step whenever stored state changes shape (an attribute renamed, removed or
    /// retyped).
    pub state_upgrades: &'static [UpgradeStep],
    /// Managed resources: the identity schema, for types that have one (Terraform 1.12+:
    /// identity in state, `import { identity = … }`, list resources). The server derives
    /// identities from state with it.
    pub identity: Option<fn() -> IdentitySchema>,
}

impl Declaration {
    /// A type named `name` with the schema `schema` builds, no checks and no hooks.
    pub const fn new(name: &'static str, schema: fn() -> Schema) -> Self {
        Declaration {
            name,
            schema,
            validate: no_checks,
            destroy_guard: None,
            state_upgrades: &[],
            identity: None,
        }
    }

    /// Checks configurations with `validate`.
    pub const fn validated_by(self, validate: fn(&Value, &mut Diagnostics)) -> Self {
        Declaration { validate, ..self }
    }

    /// Guards destroys with the bool attribute `attribute`.
    pub const fn guarded_by(self, attribute: &'static str) -> Self {
        Declaration {
            destroy_guard: Some(attribute),
            ..self
        }
    }

    /// Upgrades stored state with `steps`.
    pub const fn upgraded_by(self, steps: &'static [UpgradeStep]) -> Self {
        Declaration {
            state_upgrades: steps,
            ..self
        }
    }

    /// Gives the type the identity schema `identity` builds.
    pub const fn identified_by(self, identity: fn() -> IdentitySchema) -> Self {
        Declaration {
            identity: Some(identity),
            ..self
        }
    }
}

impl std::fmt::Debug for Declaration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Declaration")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

fn no_checks(_config: &Value, _diags: &mut Diagnostics) {}

/// Implemented by each type: its facts, as one constant.
pub trait Declare {
    /// The type's name, schema, checks and hooks.
    const DECLARATION: Declaration;
}

/// What the server asks every type of every kind before any call, answered from its
/// declaration. Only a type standing for another (an alias) answers otherwise.
pub trait Declared {
    /// The type's fixed facts.
    fn declaration(&self) -> Declaration;

    /// The Terraform type name.
    fn type_name(&self) -> &'static str {
        self.declaration().name
    }

    /// The schema. Called once when the server starts.
    fn schema(&self) -> Schema {
        (self.declaration().schema)()
    }

    /// Checks the configuration without calling any API; values may be unknown.
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        (self.declaration().validate)(config, diags);
    }
}

impl<T: Declare> Declared for T {
    fn declaration(&self) -> Declaration {
        T::DECLARATION
    }
}
