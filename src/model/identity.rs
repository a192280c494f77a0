//! What the identities of this provider's types share: the object's home account and
//! cluster (decision 6: an object lives where it was created), then its own key.

use super::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::api::Cluster;
use crate::framework::{IdentityAttribute, IdentitySchema};
use crate::value::Value;

/// An identity of `{account_id, cluster_id, <key>}`.
pub(crate) fn home_identity(key: IdentityAttribute) -> IdentitySchema {
    IdentitySchema::new(vec![
        IdentityAttribute {
            name: ACCOUNT_ID,
            description: "The UUID of the account the object lives in.",
        },
        IdentityAttribute {
            name: CLUSTER_ID,
            description: "The UUID of the cluster the object lives in.",
        },
        key,
    ])
}

/// The cluster an identity names (the server has checked both ids are present).
pub(crate) fn cluster_of(identity: &Value) -> Option<Cluster> {
    Some(Cluster::new(
        IdentitySchema::get(identity, ACCOUNT_ID)?,
        IdentitySchema::get(identity, CLUSTER_ID)?,
    ))
}
