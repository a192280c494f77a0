//! How far a token list is trusted: an entry that contradicts the request is never read as a
//! fact about the request's cluster.
//!
//! A list is the answer for one cluster. Two kinds of entries contradict that:
//! - an entry whose `accountId` or `clusterId` differs from the request's: read as a fact, it
//!   would move a token of the state to another cluster (whose later revoke misses the real
//!   token, which stays active untracked);
//! - an id listed more than once: the entries cannot both be true, and whichever is believed
//!   may drop a live token from the state (and a new one be created beside it).
//!
//! The safe reading is to leave such entries out, with a warning in the provider's log. A
//! reader that misses a token in a list confirms with a GET by id before calling it gone (see
//! [`super::Client::get_token`], which refuses an answer about another token or cluster), so an
//! entry left out can never drop a token from the state; it only costs one more request. The
//! tokens data source simply does not show entries it cannot trust.

use std::collections::HashMap;

use super::models::{Cluster, DatabaseToken};

/// `tokens` without the entries that contradict a list of `cluster` (see the module docs).
pub(crate) fn trusted_tokens(cluster: &Cluster, tokens: Vec<DatabaseToken>) -> Vec<DatabaseToken> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for token in &tokens {
        *seen.entry(token.id.as_str()).or_default() += 1;
    }
    let duplicated: Vec<String> = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id.to_owned())
        .collect();
    let mut foreign = Vec::new();
    let kept = tokens
        .into_iter()
        .filter(|t| {
            if t.account_id != cluster.account_id || t.cluster_id != cluster.cluster_id {
                foreign.push(t.id.clone());
                return false;
            }
            !duplicated.contains(&t.id)
        })
        .collect();
    if !foreign.is_empty() {
        tracing::warn!(
            cluster = %cluster,
            ids = ?foreign,
            "the token list holds entries of another account or cluster; they are ignored"
        );
    }
    if !duplicated.is_empty() {
        tracing::warn!(
            cluster = %cluster,
            ids = ?duplicated,
            "the token list holds some ids more than once; those entries are ignored and the \
             tokens are read by id"
        );
    }
    kept
}

/// Whether a single-token answer is about `id` in `cluster`.
pub(crate) fn is_about(token: &DatabaseToken, cluster: &Cluster, id: &str) -> bool {
    token.id == id
        && token.account_id == cluster.account_id
        && token.cluster_id == cluster.cluster_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn token(id: &str, cluster: &Cluster) -> DatabaseToken {
        DatabaseToken {
            id: id.into(),
            account_id: cluster.account_id.clone(),
            cluster_id: cluster.cluster_id.clone(),
            description: "d".into(),
            permissions: vec![],
            created_at: OffsetDateTime::UNIX_EPOCH,
            expires_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn foreign_and_duplicated_entries_are_left_out() {
        let here = Cluster::new("a", "c");
        let other_cluster = Cluster::new("a", "other");
        let other_account = Cluster::new("other", "c");
        let mut revoked = token("dup", &here);
        revoked.revoked_at = Some(OffsetDateTime::UNIX_EPOCH);
        let list = vec![
            token("kept", &here),
            token("moved", &other_cluster),
            token("moved2", &other_account),
            revoked,
            token("dup", &here),
        ];
        let ids: Vec<String> = trusted_tokens(&here, list)
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, ["kept"]);
        assert!(is_about(&token("x", &here), &here, "x"));
        assert!(!is_about(&token("x", &other_cluster), &here, "x"));
        assert!(!is_about(&token("y", &here), &here, "x"));
    }
}
