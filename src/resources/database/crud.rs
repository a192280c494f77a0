//! Read, create, update and delete of `influxdb3_database`, each in the same steps: decode the
//! value through the model, call the API in the database's cluster, build the state through
//! the model.

use crate::api::{ApiError, Client, Cluster, Database};
use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::model::database::{self, DatabaseValue, NAME};
use crate::value::{AttributePath, Value};

use super::plan;

/// The database's name in a state or plan.
fn name_of(value: &Value) -> &str {
    DatabaseValue(value).name().unwrap_or_default()
}

/// The cluster a state names, else the provider's.
fn cluster_for<'a>(
    ctx: &'a ProviderContext,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<(&'a Client, Cluster)> {
    match DatabaseValue(state).cluster() {
        Some(cluster) => Some((ctx.client(diags)?, cluster)),
        None => ctx
            .api(diags)
            .map(|(client, cluster)| (client, cluster.clone())),
    }
}

fn api_error(diags: &mut Diagnostics, summary: &str, e: &ApiError) {
    diags.error(summary, format!("{e}."));
}

/// Refreshes the state from the cluster's (cached) database list. A database absent from it
/// is looked for once more in a fresh list before it is declared gone: a list may lag behind a
/// create, and dropping a just-created database from the state would plan it again (the API
/// has no GET by name).
pub(super) async fn read(
    ctx: &ProviderContext,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (client, cluster) = cluster_for(ctx, state, diags)?;
    let name = name_of(state);
    let found = match find(client, &cluster, name).await {
        Ok(found) => found,
        Err(e) => {
            api_error(diags, "Cannot Read Database", &e);
            return None;
        }
    };
    let Some(db) = found else {
        diags.warning(
            "Database Deleted Outside Terraform",
            format!(
                "The database {name:?} is no longer in {cluster}; it was removed from the \
                 Terraform state, and the next plan creates it again."
            ),
        );
        return None;
    };
    Some(database::state(&db, state))
}

/// The database in the cached list, else in a fresh one.
async fn find(
    client: &Client,
    cluster: &Cluster,
    name: &str,
) -> Result<Option<Database>, ApiError> {
    let cached = client.cached_databases(cluster).await?;
    if let Some(db) = cached.iter().find(|db| db.name == name) {
        return Ok(Some(db.clone()));
    }
    let fresh = client.list_databases(cluster).await?;
    Ok(fresh.into_iter().find(|db| db.name == name))
}

/// Creates the database in the provider's cluster.
pub(super) async fn create(
    ctx: &ProviderContext,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (client, cluster) = ctx.api(diags)?;
    let request = database::create_request(planned);
    let name = &request.name;
    match client.create_database(cluster, &request).await {
        Ok(db) => Some(database::state(&db, planned)),
        Err(e) if e.is_conflict() => {
            diags.attr_error(
                AttributePath::attr(NAME),
                "Database Already Exists",
                format!(
                    "A database named {name:?} already exists in {cluster} (HTTP 409). To manage \
                     it with Terraform, import it: `terraform import <resource address> {name}` \
                     (or an `import {{ to = <resource address>, id = \"{name}\" }}` block with \
                     Terraform 1.5 or later). Otherwise choose another name."
                ),
            );
            None
        }
        Err(e) => {
            api_error(diags, "Cannot Create Database", &e);
            None
        }
    }
}

/// Updates limits and retention in place, in the database's own cluster.
pub(super) async fn update(
    ctx: &ProviderContext,
    prior: &Value,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let Some(request) = database::update_request(prior, planned) else {
        return Some(planned.clone());
    };
    let (client, cluster) = cluster_for(ctx, prior, diags)?;
    match client
        .update_database(&cluster, name_of(prior), &request)
        .await
    {
        Ok(db) => Some(database::state(&db, planned)),
        Err(e) => {
            api_error(diags, "Cannot Update Database", &e);
            None
        }
    }
}

/// Deletes the database from its own cluster; already gone is fine. Refused under deletion
/// protection.
pub(super) async fn delete(ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
    if plan::refuse_delete(prior, diags) {
        return;
    }
    let Some((client, cluster)) = cluster_for(ctx, prior, diags) else {
        return;
    };
    if let Err(e) = client.delete_database(&cluster, name_of(prior)).await {
        api_error(diags, "Cannot Delete Database", &e);
    }
}
