//! The Terraform types a provider serves, gathered by kind. Each family of types (the ones
//! that share a domain object) adds its own with one line per type; the provider reads the
//! lists from here.

use std::sync::Arc;

use super::{Action, DataSource, EphemeralResource, ListResource, Resource};

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
        let names = |it: &mut dyn Iterator<Item = &'static str>| it.collect::<Vec<_>>();
        f.debug_struct("Registry")
            .field(
                "resources",
                &names(&mut self.resources.iter().map(|t| t.type_name())),
            )
            .field(
                "data_sources",
                &names(&mut self.data_sources.iter().map(|t| t.type_name())),
            )
            .field(
                "ephemeral_resources",
                &names(&mut self.ephemeral_resources.iter().map(|t| t.type_name())),
            )
            .field(
                "list_resources",
                &names(&mut self.list_resources.iter().map(|t| t.type_name())),
            )
            .field(
                "actions",
                &names(&mut self.actions.iter().map(|t| t.type_name())),
            )
            .finish()
    }
}

impl<C: Send + Sync> Registry<C> {
    /// Adds a managed resource type.
    pub fn resource(&mut self, t: impl Resource<C> + 'static) -> &mut Self {
        self.resources.push(Arc::new(t));
        self
    }

    /// Adds a data source type.
    pub fn data_source(&mut self, t: impl DataSource<C> + 'static) -> &mut Self {
        self.data_sources.push(Arc::new(t));
        self
    }

    /// Adds an ephemeral resource type.
    pub fn ephemeral_resource(&mut self, t: impl EphemeralResource<C> + 'static) -> &mut Self {
        self.ephemeral_resources.push(Arc::new(t));
        self
    }

    /// Adds a list resource type.
    pub fn list_resource(&mut self, t: impl ListResource<C> + 'static) -> &mut Self {
        self.list_resources.push(Arc::new(t));
        self
    }

    /// Adds an action type.
    pub fn action(&mut self, t: impl Action<C> + 'static) -> &mut Self {
        self.actions.push(Arc::new(t));
        self
    }
}
