//! The token's identity `{account_id, cluster_id, id}` and import by identity, which reads
//! the token in the cluster the identity names (not necessarily the provider's).

use crate::api::Client;
use crate::framework::{Diagnostics, IdentityAttribute, IdentitySchema};
use crate::model::identity::{cluster_of, home_identity};
use crate::value::Value;

use super::import;
use crate::tokens::model::ID;

/// `{account_id, cluster_id, id}`.
pub(super) fn schema() -> IdentitySchema {
    home_identity(&[IdentityAttribute {
        name: ID,
        description: "The UUID of the database token.",
    }])
}

/// The state of the token an identity names, read in the identity's cluster.
pub(super) async fn import(
    client: &Client,
    identity: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let cluster = cluster_of(identity, diags)?;
    let id = IdentitySchema::get(identity, ID)?;
    import::import_in(client, &cluster, id, diags).await
}
