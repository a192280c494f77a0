//! What the identities of this provider's types share: the object's home account and
//! cluster (decision 6: an object lives where it was created), then its own key.

use super::cluster::{ACCOUNT_ID, CLUSTER_ID};
use super::ids::is_uuid;
use crate::api::{Cluster, shape};
use crate::framework::{Diagnostics, IdentityAttribute, IdentitySchema};
use crate::value::Value;

/// An identity of `{account_id, cluster_id, <key>...}`: the object's key within its cluster.
pub(crate) fn home_identity(key: &[IdentityAttribute]) -> IdentitySchema {
    let mut attributes = vec![
        IdentityAttribute {
            name: ACCOUNT_ID,
            description: "The UUID of the account the object lives in.",
        },
        IdentityAttribute {
            name: CLUSTER_ID,
            description: "The UUID of the cluster the object lives in.",
        },
    ];
    attributes.extend_from_slice(key);
    IdentitySchema::new(attributes)
}

/// The cluster an identity names (the server has checked both ids are present), or an error
/// when either is not a UUID. Checked here, before they become part of a request's URL path
/// or of the imported object's state; the error describes a bad value by its shape only,
/// since whatever was written there may be a token pasted into the wrong place.
pub(crate) fn cluster_of(identity: &Value, diags: &mut Diagnostics) -> Option<Cluster> {
    let account = IdentitySchema::get(identity, ACCOUNT_ID)?;
    let cluster = IdentitySchema::get(identity, CLUSTER_ID)?;
    let mut ok = true;
    for (name, value) in [(ACCOUNT_ID, account), (CLUSTER_ID, cluster)] {
        if !is_uuid(value) {
            ok = false;
            diags.error(
                "Invalid Import Identity",
                format!(
                    "The identity's {name} must be a UUID such as \
                     11111111-1111-4111-8111-111111111111, got {}.",
                    shape(value)
                ),
            );
        }
    }
    ok.then(|| Cluster::new(account, cluster))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn an_identity_whose_ids_are_not_uuids_names_no_cluster_and_is_not_echoed() {
        let token = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";
        let identity = Value::Object(BTreeMap::from([
            (ACCOUNT_ID.to_owned(), Value::String(token.to_owned())),
            (CLUSTER_ID.to_owned(), Value::String("../../x".to_owned())),
        ]));
        let mut d = Diagnostics::new();
        assert!(cluster_of(&identity, &mut d).is_none());
        let shown = format!("{d:?}");
        assert!(d.has_errors() && !shown.contains(&token[6..20]), "{shown}");
        assert!(!shown.contains("../../x"), "{shown}");
    }
}
