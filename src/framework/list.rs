//! List resources (Terraform 1.14+ `terraform query`): a `list` block finds existing objects
//! of a managed resource type, each named by its identity, so that unmanaged ones can be
//! imported. A list type shares its name and identity schema with the managed type.

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::schema::Schema;
use crate::value::Value;

/// One object a list found: its state as the managed resource would store it (identity
/// attributes included; the server derives the identity from it) and a name for people.
#[derive(Debug, Clone)]
pub struct ListedObject {
    /// Shown by `terraform query` next to the identity.
    pub display_name: String,
    /// The object's state, in the managed resource's schema.
    pub state: Value,
}

/// A list resource type.
#[async_trait]
pub trait ListResource<C: Send + Sync>: Send + Sync {
    /// The Terraform type name; the same as the managed resource type it lists.
    fn type_name(&self) -> &'static str;

    /// The schema of the `config` block of a `list` block (the filters).
    fn schema(&self) -> Schema;

    /// Checks the filters without calling any API; values may be unknown.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Finds the objects the filters select, in a stable order, with one API list call.
    /// The server applies the query's `limit`.
    async fn list(&self, ctx: &C, config: &Value, diags: &mut Diagnostics) -> Vec<ListedObject>;
}
