//! Data source types, one file per Terraform type. Each reads through the client's list cache
//! in the provider's cluster, so a plan lists each cluster's tokens and databases once.

mod aliases;
mod common;
pub(crate) mod database;
pub(crate) mod database_token;
pub(crate) mod database_tokens;
pub(crate) mod databases;

use std::sync::Arc;

use crate::framework::DataSource;
use crate::model::ProviderContext;

/// Every data source type of the provider, then the deprecated aliases of the incumbent's
/// names.
pub(crate) fn all() -> Vec<Arc<dyn DataSource<ProviderContext>>> {
    let ours: Vec<Arc<dyn DataSource<ProviderContext>>> = vec![
        Arc::new(database_token::DatabaseTokenDataSource),
        Arc::new(database_tokens::DatabaseTokensDataSource),
        Arc::new(database::DatabaseDataSource),
        Arc::new(databases::DatabasesDataSource),
    ];
    let aliases = aliases::all(&ours);
    ours.into_iter().chain(aliases).collect()
}
