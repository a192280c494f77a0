//! What the data sources share: computed attributes from a type map, and reading a list
//! through the client's cache in the provider's cluster.

use std::collections::BTreeMap;

use std::sync::Arc;

use crate::api::{Cluster, Database, DatabaseToken};
use crate::framework::{Attribute, Diagnostics};
use crate::provider::ProviderContext;
use crate::value::Type;

/// Computed attributes for every entry of `types` except `skip`, described from `docs`.
pub fn computed_attributes(
    types: BTreeMap<String, Type>,
    skip: &[&str],
    docs: &[(&'static str, &str)],
) -> Vec<Attribute> {
    docs.iter()
        .filter(|(name, _)| !skip.contains(name))
        .filter_map(|(name, doc)| {
            let ty = types.get(*name)?.clone();
            Some(Attribute::computed(name, ty).describe(*doc))
        })
        .collect()
}

/// The provider's cluster and its token list (cached), or `None` with an error.
pub async fn tokens<'a>(
    ctx: &'a ProviderContext,
    diags: &mut Diagnostics,
) -> Option<(Arc<Vec<DatabaseToken>>, &'a Cluster)> {
    let (client, cluster) = ctx.api(diags)?;
    match client.cached_tokens(cluster).await {
        Ok(list) => Some((list, cluster)),
        Err(e) => {
            diags.error("Cannot List Database Tokens", format!("{e}."));
            None
        }
    }
}

/// The provider's cluster and its database list (cached), or `None` with an error.
pub async fn databases<'a>(
    ctx: &'a ProviderContext,
    diags: &mut Diagnostics,
) -> Option<(Arc<Vec<Database>>, &'a Cluster)> {
    let (client, cluster) = ctx.api(diags)?;
    match client.cached_databases(cluster).await {
        Ok(list) => Some((list, cluster)),
        Err(e) => {
            diags.error("Cannot List Databases", format!("{e}."));
            None
        }
    }
}
