//! List resources (Terraform 1.14+ `terraform query`): a `list` block finds existing objects
//! of a managed resource type, each named by its identity, so that unmanaged ones can be
//! imported. A list type shares its name and identity schema with the managed type.

use async_trait::async_trait;

use super::call::Call;
use super::declaration::Declared;
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

/// A list resource type. Its name (the managed type's), the schema of its filters and their
/// checks are [`Declared`].
#[async_trait]
pub trait ListResource<C: Send + Sync>: Declared + Send + Sync {
    /// Finds the objects the filters select, in a stable order, with one API list call.
    /// The server applies the query's `limit`.
    async fn list(&self, call: Call<'_, C>, config: &Value) -> Vec<ListedObject>;
}
