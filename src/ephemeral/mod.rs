//! Ephemeral resource types (Terraform ≥ 1.10, OpenTofu ≥ 1.11), one folder per type. Their
//! results live for one run and are never written to plan or state.

pub mod database_token;

use std::sync::Arc;

use crate::framework::EphemeralResource;
use crate::model::ProviderContext;

/// Every ephemeral resource type of the provider.
pub fn all() -> Vec<Arc<dyn EphemeralResource<ProviderContext>>> {
    vec![Arc::new(database_token::EphemeralDatabaseToken)]
}
