//! The Terraform types a provider serves, gathered by kind. Each family of types (the ones
//! that share a domain object) adds its own with one line per type; the provider reads the
//! lists from here.

use std::sync::Arc;

use super::{Action, DataSource, Declared, EphemeralResource, ListResource, Resource};

/// Every type a provider serves, by kind, in the order they were added.
pub struct Registry<C: Send + Sync> {
    /// Managed resource types.
    pub resources: Vec<Arc<dyn Resource<C>>>,
    /// Data source types.
    pub data_sources: Vec<Arc<dyn DataSource<C>>>,
    /// Ephemeral resource types.
    pub ephemeral_resources: Vec<Arc<dyn EphemeralResource<C>>>,
    /// List resource types (`terraform query`).
    pub list_resources: Vec<Arc<dyn ListResource<C>>>,
    /// Action types (Terraform 1.14+).
    pub actions: Vec<Arc<dyn Action<C>>>,
}

impl<C: Send + Sync> Default for Registry<C> {
    fn default() -> Self {
        Self {
            resources: Vec::new(),
            data_sources: Vec::new(),
            ephemeral_resources: Vec::new(),
            list_resources: Vec::new(),
            actions: Vec::new(),
        }
    }
}

impl<C: Send + Sync> std::fmt::Debug for Registry<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("resources", &names(&self.resources))
            .field("data_sources", &names(&self.data_sources))
            .field("ephemeral_resources", &names(&self.ephemeral_resources))
            .field("list_resources", &names(&self.list_resources))
            .field("actions", &names(&self.actions))
            .finish()
    }
}

fn names<T: Declared + ?Sized>(types: &[Arc<T>]) -> Vec<&'static str> {
    types.iter().map(|t| t.type_name()).collect()
}

/// Writes the adder of one kind: it takes the type by value and appends it to the kind's list,
/// returning the registry so a family chains one call per type.
macro_rules! adders {
    ($($(#[$doc:meta])* $adder:ident: $kind:ident => $list:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $adder(&mut self, t: impl $kind<C> + 'static) -> &mut Self {
                self.$list.push(Arc::new(t));
                self
            }
        )*
    };
}

impl<C: Send + Sync> Registry<C> {
    adders! {
        /// Adds a managed resource type.
        resource: Resource => resources;
        /// Adds a data source type.
        data_source: DataSource => data_sources;
        /// Adds an ephemeral resource type.
        ephemeral_resource: EphemeralResource => ephemeral_resources;
        /// Adds a list resource type.
        list_resource: ListResource => list_resources;
        /// Adds an action type.
        action: Action => actions;
    }
}
