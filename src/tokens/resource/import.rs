//! `terraform import` and `import` blocks: a token id, read in the provider's cluster.

use crate::api::{ApiError, Client, Cluster, shape};
use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::model::ids::is_uuid;
use crate::tokens::model as token;
use crate::value::Value;

/// The state of the token `id` in the provider's cluster; an error when the id is malformed,
/// unknown or revoked. The access token cannot be recovered: it is null.
pub(super) async fn import(
    ctx: &ProviderContext,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (client, cluster) = ctx.api(diags)?;
    import_in(client, cluster, id, diags).await
}

/// The state of the token `id` in `cluster` (the provider's, or an import identity's).
pub(super) async fn import_in(
    client: &Client,
    cluster: &Cluster,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<Value> {
    if !is_uuid(id) {
        diags.error(
            "Invalid Import ID",
            format!(
                "The import id ({}) is not a database token id. Import a token by its id, a UUID such as \
                 \"11111111-2222-4333-8444-555555555555\" (the Admin UI and `influxctl token \
                 list` show it).",
                shape(id)
            ),
        );
        return None;
    }
    match client.get_token(cluster, id).await {
        Ok(found) if found.is_revoked() => {
            diags.error(
                "Cannot Import Revoked Database Token",
                format!(
                    "The database token {id} in {cluster} has been revoked; a revoked token \
                     never works again and cannot be managed. Create a new one instead."
                ),
            );
            None
        }
        Ok(found) => Some(token::state(&found, &Value::Null)),
        // The client's NotFound text would repeat the id, the cluster and a hint this message
        // already gives, so it is left out: a 404 says no more than "not there".
        Err(ApiError::NotFound { .. }) => {
            diags.error(
                "Cannot Import Database Token",
                format!(
                    "There is no database token {id} in {cluster}. Check the id, and that the \
                     provider's account_id and cluster_id name the cluster the token is in."
                ),
            );
            None
        }
        Err(e) => {
            diags.error("Cannot Import Database Token", e.to_string());
            None
        }
    }
}
