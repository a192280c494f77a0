//! What the data sources share: computed attributes from a type map, and reading a list
//! through the client's cache in the provider's cluster.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use crate::api::{ApiError, Cluster, Database, DatabaseToken};
use crate::framework::{Attribute, Diagnostics, Schema};
use crate::model::ProviderContext;
use crate::value::Type;

/// The schema of a data source that reads one object by `key` (a required string described by
/// `key_doc`): every other attribute of `types` is computed, described from `docs`.
pub(crate) fn one_by(
    description: &str,
    (key, key_doc): (&'static str, &str),
    types: BTreeMap<String, Type>,
    docs: &[(&'static str, &str)],
) -> Schema {
    let mut attributes = vec![Attribute::required(key, Type::String).describe(key_doc)];
    attributes.extend(computed_attributes(types, &[key], docs));
    Schema::new(description, attributes)
}

/// Computed attributes for every entry of `types` except `skip`, described from `docs`.
fn computed_attributes(
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

/// The provider's cluster and the list `fetch` returns for it, or `None` with an error whose
/// summary is `failure`.
async fn list<'a, T, F, Fut>(
    ctx: &'a ProviderContext,
    failure: &str,
    fetch: F,
    diags: &mut Diagnostics,
) -> Option<(Arc<Vec<T>>, &'a Cluster)>
where
    F: FnOnce(&'a crate::api::Client, &'a Cluster) -> Fut,
    Fut: Future<Output = Result<Arc<Vec<T>>, ApiError>>,
{
    let (client, cluster) = ctx.api(diags)?;
    match fetch(client, cluster).await {
        Ok(list) => Some((list, cluster)),
        Err(e) => {
            diags.error(failure, format!("{e}."));
            None
        }
    }
}

/// The provider's cluster and the tokens of its list that `keep` accepts, or `None` with an
/// error. The list is fresh and read while it arrives, keeping only what the data source
/// returns: a data source's memory grows with its answer, not with the cluster.
pub(crate) async fn tokens<'a, K>(
    ctx: &'a ProviderContext,
    keep: K,
    diags: &mut Diagnostics,
) -> Option<(Vec<DatabaseToken>, &'a Cluster)>
where
    K: FnMut(&DatabaseToken) -> bool + Clone + Send + 'static,
{
    let (client, cluster) = ctx.api(diags)?;
    match client.list_tokens_keeping(cluster, keep).await {
        Ok(trusted) => Some((trusted.tokens, cluster)),
        Err(e) => {
            diags.error("Cannot List Database Tokens", format!("{e}."));
            None
        }
    }
}

/// The provider's cluster and its database list (cached), or `None` with an error. A name
/// the list holds more than once with different settings is left out: a data source shows
/// only what the list says consistently.
pub(crate) async fn databases<'a>(
    ctx: &'a ProviderContext,
    diags: &mut Diagnostics,
) -> Option<(Arc<Vec<Database>>, &'a Cluster)> {
    let (list, cluster) = list(
        ctx,
        "Cannot List Databases",
        |c, k| c.cached_databases(k),
        diags,
    )
    .await?;
    if list.iter().any(|d| d.contradicted) {
        let kept = list.iter().filter(|d| !d.contradicted).cloned().collect();
        return Some((Arc::new(kept), cluster));
    }
    Some((list, cluster))
}
