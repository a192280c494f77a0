//! What a provider implements: its own schema and configuration, and the list of its types.

use std::sync::Arc;

use async_trait::async_trait;

use super::action::Action;
use super::data_source::DataSource;
use super::diag::Diagnostics;
use super::ephemeral::EphemeralResource;
use super::list::ListResource;
use super::resource::Resource;
use super::schema::Schema;
use crate::value::Value;

/// A provider. `Context` is what configuration produces (typically the API client) and what
/// every resource and data source receives.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// What [`Provider::configure`] builds.
    type Context: Send + Sync + 'static;

    /// The schema of the `provider` block.
    fn schema(&self) -> Schema;

    /// Checks the provider block at `terraform validate`; values may be unknown.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Builds the context from the provider block. Returns `None` when values are still unknown
    /// (resources then plan without it) or on error (with diagnostics).
    async fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
        diags: &mut Diagnostics,
    ) -> Option<Self::Context>;

    /// The managed resource types.
    fn resources(&self) -> Vec<Arc<dyn Resource<Self::Context>>>;

    /// The data source types.
    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Self::Context>>>;

    /// The ephemeral resource types (none unless the provider declares some).
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource<Self::Context>>> {
        Vec::new()
    }

    /// Whether state of `source_type` from the provider at `source_provider` (a full address
    /// such as `registry.terraform.io/ironflux/influxdb3`) may move to `target_type`, for
    /// `moved` blocks across types or providers. `Err` says what is accepted instead.
    fn accepts_move(
        &self,
        source_provider: &str,
        source_type: &str,
        target_type: &str,
    ) -> Result<(), String> {
        let _ = (source_provider, source_type);
        Err(format!(
            "{target_type} accepts no state moved from another type"
        ))
    }

    /// For state moved from another provider (`source_provider`, a full address), the schema
    /// version of ours whose upgrade steps read its shape; `None` when the source is this
    /// provider itself, whose stored version the request carries. Only consulted after
    /// [`Provider::accepts_move`] accepted the move.
    fn foreign_state_version(&self, source_provider: &str) -> Option<i64> {
        let _ = source_provider;
        None
    }

    /// The list resource types (`terraform query`); each needs a managed type of the same
    /// name with an identity schema.
    fn list_resources(&self) -> Vec<Arc<dyn ListResource<Self::Context>>> {
        Vec::new()
    }

    /// The action types (Terraform 1.14+); none unless the provider declares some. Older
    /// clients never ask for them: the schema's action part is a field they do not know.
    fn actions(&self) -> Vec<Arc<dyn Action<Self::Context>>> {
        Vec::new()
    }
}
