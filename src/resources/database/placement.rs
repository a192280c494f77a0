//! Decision 6 for databases: a database lives in the cluster that created it. A create plans
//! the provider's cluster; a provider now pointing elsewhere plans a replacement.

use crate::api::Cluster;
use crate::framework::{PlanChange, attr, set_attr};
use crate::value::{AttributePath, Value};

use super::state::state_cluster;

/// Plans `account_id` and `cluster_id` from the provider's cluster (`None` while unknown).
pub fn plan_cluster(provider: Option<&Cluster>, change: &mut PlanChange) {
    let Some(provider) = provider else {
        return;
    };
    let planned_ids = |change: &mut PlanChange| {
        set_attr(
            &mut change.planned,
            "account_id",
            Value::String(provider.account_id.clone()),
        );
        set_attr(
            &mut change.planned,
            "cluster_id",
            Value::String(provider.cluster_id.clone()),
        );
    };
    if change.prior.is_null() {
        planned_ids(change);
        return;
    }
    let Some(current) = state_cluster(&change.prior) else {
        return;
    };
    if &current == provider {
        return;
    }
    planned_ids(change);
    for name in ["account_id", "cluster_id"] {
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
            ("account_id".to_owned(), Value::String(account.into())),
            ("cluster_id".to_owned(), Value::String(cluster.into())),
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
        assert_eq!(c.requires_replace, vec![AttributePath::attr("cluster_id")]);
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
