//! How far a database list is trusted: the token list's rules (see `list_trust`), with a rule
//! of its own for a repeated name.
//!
//! - An entry of another account or cluster is left out (with a warning in the log): read as a
//!   fact about the request's cluster, it would describe a database that is not there.
//! - A name listed more than once cannot be left out as a token's repeated id is: a token
//!   left out is confirmed by a GET by id, but no call reads one database by name, so leaving
//!   the name out would make a read call a live database gone (and the next plan create it
//!   again, against a taken name). So the name stays listed once. Copies that agree are one
//!   entry; copies that disagree keep the first, marked [`Database::contradicted`], so that a
//!   read keeps the state as it is instead of planning from settings it cannot trust, and the
//!   data sources leave it out.

use std::collections::HashMap;

use super::database_models::Database;
use super::models::Cluster;

/// `databases` as a list of `cluster` can be trusted (see the module docs).
pub(crate) fn trusted_databases(cluster: &Cluster, databases: Vec<Database>) -> Vec<Database> {
    let mut foreign = Vec::new();
    let mut kept: Vec<Database> = Vec::new();
    // Where each name is in `kept`: a long list costs one look-up per entry, not a scan.
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut contradicted = Vec::new();
    for db in databases {
        if db.account_id != cluster.account_id || db.cluster_id != cluster.cluster_id {
            foreign.push(db.name);
            continue;
        }
        match at.get(&db.name).and_then(|&i| kept.get_mut(i)) {
            None => {
                at.insert(db.name.clone(), kept.len());
                kept.push(db);
            }
            Some(first) if same_settings(first, &db) => {}
            Some(first) => {
                if !first.contradicted {
                    contradicted.push(first.name.clone());
                }
                first.contradicted = true;
            }
        }
    }
    if !foreign.is_empty() {
        tracing::warn!(
            cluster = %cluster,
            names = ?foreign,
            "the database list holds entries of another account or cluster; they are ignored"
        );
    }
    if !contradicted.is_empty() {
        tracing::warn!(
            cluster = %cluster,
            names = ?contradicted,
            "the database list holds some names more than once with different settings; they \
             count as present, and their settings are not read"
        );
    }
    kept
}

/// Whether two entries of one name say the same (the marker aside).
fn same_settings(a: &Database, b: &Database) -> bool {
    Database {
        contradicted: a.contradicted,
        ..b.clone()
    } == *a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(name: &str, cluster: &Cluster, max_tables: i64) -> Database {
        Database {
            account_id: cluster.account_id.clone(),
            cluster_id: cluster.cluster_id.clone(),
            id: None,
            name: name.into(),
            max_tables,
            max_columns_per_table: 250,
            retention_period: 0,
            partition_template: None,
            contradicted: false,
        }
    }

    #[test]
    fn foreign_entries_go_and_a_repeated_name_stays_once() {
        let here = Cluster::new("a", "c");
        let other = Cluster::new("a", "other");
        let list = vec![
            db("kept", &here, 500),
            db("elsewhere", &other, 500),
            db("twice", &here, 500),
            db("twice", &here, 500),
            db("torn", &here, 500),
            db("torn", &here, 10),
            db("torn", &here, 20),
        ];
        let got = trusted_databases(&here, list);
        let names: Vec<(&str, bool)> = got
            .iter()
            .map(|d| (d.name.as_str(), d.contradicted))
            .collect();
        assert_eq!(
            names,
            [("kept", false), ("twice", false), ("torn", true)],
            "a repeated name is never left out, so no read calls it gone"
        );
    }
}
