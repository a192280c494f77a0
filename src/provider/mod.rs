//! The influxdb3 provider: its block, and the list of its resource and data source types.

pub mod config;
pub mod incumbent;
pub mod moves;
pub mod protected_revocation;
pub mod protected_tokens;
#[cfg(test)]
pub(crate) mod testing;

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::{
    Action, DataSource, Diagnostics, EphemeralResource, ListResource, Provider, Resource, Schema,
};
use crate::model::ProviderContext;
use crate::value::Value;

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
        let token: Arc<dyn Resource<ProviderContext>> =
            Arc::new(crate::resources::database_token::DatabaseTokenResource);
        let database: Arc<dyn Resource<ProviderContext>> =
            Arc::new(crate::resources::database::DatabaseResource);
        let table: Arc<dyn Resource<ProviderContext>> =
            Arc::new(crate::resources::table::TableResource);
        let mut all: Vec<Arc<dyn Resource<ProviderContext>>> =
            vec![database.clone(), token.clone(), table.clone()];
        all.extend(crate::resources::aliases::all(&token, &database, &table));
        all
    }

    fn accepts_move(&self, provider: &str, source: &str, target: &str) -> Result<(), String> {
        moves::accepts_move(provider, source, target)
    }

    fn foreign_state_version(&self, source_provider: &str) -> Option<i64> {
        moves::foreign_state_version(source_provider)
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<ProviderContext>>> {
        crate::data_sources::all()
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource<ProviderContext>>> {
        crate::ephemeral::all()
    }

    fn actions(&self) -> Vec<Arc<dyn Action<ProviderContext>>> {
        vec![Arc::new(crate::actions::RevokeDatabaseTokens)]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource<ProviderContext>>> {
        vec![
            Arc::new(crate::resources::database::DatabaseList),
            Arc::new(crate::resources::database_token::DatabaseTokenList),
        ]
    }
}
