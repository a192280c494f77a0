//! What the identities of this provider's types share: the object's home account and
//! cluster (decision 6: an object lives where it was created), then its own key.

use crate::api::Cluster;
use crate::framework::{IdentityAttribute, IdentitySchema};
use crate::value::Value;

/// An identity of `{account_id, cluster_id, <key>}`.
pub fn home_identity(key: IdentityAttribute) -> IdentitySchema {
    IdentitySchema::new(vec![
        IdentityAttribute {
            name: "account_id",
            description: "The UUID of the account the object lives in.",
        },
        IdentityAttribute {
            name: "cluster_id",
            description: "The UUID of the cluster the object lives in.",
        },
        key,
    ])
}

/// The cluster an identity names (the server has checked both ids are present).
pub fn cluster_of(identity: &Value) -> Option<Cluster> {
    Some(Cluster::new(
        IdentitySchema::get(identity, "account_id")?,
        IdentitySchema::get(identity, "cluster_id")?,
    ))
}
