//! Where an object lives (docs/design.md#decision-6-a-token-lives-where-it-was-created): a token or a
//! database stays in the cluster that created it. State keeps `account_id` and `cluster_id`;
//! read, update and delete act there, a create plans the provider's cluster, and a provider now
//! pointing elsewhere plans a replacement.

use crate::api::Cluster;
use crate::framework::{Attribute, PlanChange, attr, set_attr};
use crate::value::{AttributePath, Type, Value};

/// The account an object lives in (state attribute, also a provider setting).
pub(crate) const ACCOUNT_ID: &str = "account_id";
/// The cluster an object lives in (state attribute, also a provider setting).
pub(crate) const CLUSTER_ID: &str = "cluster_id";

/// A managed object's `account_id` and `cluster_id`: computed at create, then kept (a provider
/// pointing elsewhere plans a replacement, see [`plan_cluster`]). The descriptions are the
/// type's own.
pub(crate) fn cluster_attributes(account_doc: &str, cluster_doc: &str) -> [Attribute; 2] {
    [(ACCOUNT_ID, account_doc), (CLUSTER_ID, cluster_doc)].map(|(name, doc)| {
        Attribute::computed(name, Type::String)
            .use_state_for_unknown()
            .describe(doc)
    })
}

/// The cluster a state value records, if both ids are known.
pub(crate) fn cluster_of(state: &Value) -> Option<Cluster> {
    let account = attr(state, ACCOUNT_ID).as_str()?;
    let cluster = attr(state, CLUSTER_ID).as_str()?;
    Some(Cluster::new(account, cluster))
}

/// Sets `account_id` and `cluster_id` of an object value to `cluster`.
pub(crate) fn set_cluster(value: &mut Value, cluster: &Cluster) {
    set_attr(value, ACCOUNT_ID, Value::String(cluster.account_id.clone()));
    set_attr(value, CLUSTER_ID, Value::String(cluster.cluster_id.clone()));
}

/// Plans `account_id` and `cluster_id` from the provider's cluster (`None` while unknown): a
/// create takes the provider's cluster; an object whose recorded cluster differs from it is
/// replaced (created in the provider's, deleted in its own).
pub(crate) fn plan_cluster(provider: Option<&Cluster>, change: &mut PlanChange) {
    let Some(provider) = provider else {
        return;
    };
    if change.prior.is_null() {
        set_cluster(&mut change.planned, provider);
        return;
    }
    let Some(current) = cluster_of(&change.prior) else {
        return;
    };
    if &current == provider {
        return;
    }
    set_cluster(&mut change.planned, provider);
    for name in [ACCOUNT_ID, CLUSTER_ID] {
        let path = AttributePath::attr(name);
        if attr(&change.prior, name) != attr(&change.planned, name)
            && !change.requires_replace.contains(&path)
        {
            change.requires_replace.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn ids(account: &str, cluster: &str) -> Value {
        Value::Object(BTreeMap::from([
            (ACCOUNT_ID.to_owned(), Value::String(account.into())),
            (CLUSTER_ID.to_owned(), Value::String(cluster.into())),
        ]))
    }

    fn change(prior: Value) -> PlanChange {
        PlanChange {
            planned: if prior.is_null() {
                ids("?", "?")
            } else {
                prior.clone()
            },
            prior,
            config: Value::Null,
            requires_replace: Vec::new(),
        }
    }

    #[test]
    fn a_create_plans_the_providers_cluster() {
        let mut c = change(Value::Null);
        plan_cluster(Some(&Cluster::new("a", "c")), &mut c);
        assert_eq!(c.planned, ids("a", "c"));
        assert!(c.requires_replace.is_empty());
    }

    #[test]
    fn another_cluster_plans_a_replacement_and_the_same_one_nothing() {
        let mut c = change(ids("a", "c"));
        plan_cluster(Some(&Cluster::new("a", "c")), &mut c);
        assert!(c.requires_replace.is_empty());

        let mut c = change(ids("a", "c"));
        plan_cluster(Some(&Cluster::new("a", "other")), &mut c);
        assert_eq!(c.requires_replace, vec![AttributePath::attr(CLUSTER_ID)]);
        assert_eq!(c.planned, ids("a", "other"));

        let mut c = change(ids("a", "c"));
        plan_cluster(None, &mut c);
        assert_eq!(
            c.planned,
            ids("a", "c"),
            "unknown provider: keep the state's"
        );
    }
}
