//! The influxdb3 provider: its block, and the list of its resource and data source types.

pub mod config;
mod data_source_aliases;
pub mod incumbent;
pub mod moves;
pub mod protected_revocation;
pub mod protected_tokens;
pub mod resource_aliases;
#[cfg(test)]
pub(crate) mod testing;
mod token_id_list;

use std::sync::{Arc, LazyLock};

use async_trait::async_trait;

use crate::framework::{
    Action, DataSource, Diagnostics, EphemeralResource, ListResource, Provider, Registry, Resource,
    Schema,
};
use crate::model::ProviderContext;
use crate::value::Value;

/// Every type the provider serves, family by family; adding a family is one line here.
static TYPES: LazyLock<Registry<ProviderContext>> = LazyLock::new(|| {
    let mut types = Registry::default();
    crate::databases::register(&mut types);
    crate::tokens::register(&mut types);
    crate::tables::register(&mut types);
    types
});

/// The provider. Stateless until configured; the context holds the API client.
#[derive(Debug, Default)]
pub struct InfluxDb3Provider;

#[async_trait]
impl Provider for InfluxDb3Provider {
    type Context = ProviderContext;

    fn schema(&self) -> Schema {
        config::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        config::validate(config, diags);
    }

    async fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
        diags: &mut Diagnostics,
    ) -> Option<ProviderContext> {
        let settings = config::resolve(config, |k| std::env::var(k).ok(), diags)?;
        tracing::debug!(
            terraform_version,
            endpoint = %settings.endpoint,
            "configuring the provider"
        );
        ProviderContext::new(settings, terraform_version, diags)
    }

    fn resources(&self) -> Vec<Arc<dyn Resource<ProviderContext>>> {
        let ours = TYPES.resources.clone();
        let aliases = resource_aliases::all(&ours);
        ours.into_iter().chain(aliases).collect()
    }

    fn accepts_move(&self, provider: &str, source: &str, target: &str) -> Result<(), String> {
        moves::accepts_move(provider, source, target)
    }

    fn foreign_state_version(&self, source_provider: &str) -> Option<i64> {
        moves::foreign_state_version(source_provider)
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<ProviderContext>>> {
        let ours = TYPES.data_sources.clone();
        let aliases = data_source_aliases::all(&ours);
        ours.into_iter().chain(aliases).collect()
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource<ProviderContext>>> {
        TYPES.ephemeral_resources.clone()
    }

    fn actions(&self) -> Vec<Arc<dyn Action<ProviderContext>>> {
        TYPES.actions.clone()
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource<ProviderContext>>> {
        TYPES.list_resources.clone()
    }
}
