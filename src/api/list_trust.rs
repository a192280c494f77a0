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

use super::models::{Cluster, DatabaseToken, canonical_id};

/// A token list with the entries that contradict it left out.
pub(crate) struct Trusted {
    /// The entries that can be read as facts about the cluster.
    pub(crate) tokens: Vec<DatabaseToken>,
    /// No entry was left out. Only a complete list can prove that a token is absent: a left-out
    /// entry may be the very token looked for (see `reconcile`).
    pub(crate) complete: bool,
}

/// `tokens` without the entries that contradict a list of `cluster` (see the module docs).
pub(crate) fn trusted_tokens(cluster: &Cluster, tokens: Vec<DatabaseToken>) -> Trusted {
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
            if !cluster.is(&t.account_id, &t.cluster_id) {
                foreign.push(t.id.clone());
                return false;
            }
            !duplicated.contains(&t.id)
        })
        .collect();
    let complete = foreign.is_empty() && duplicated.is_empty();
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
    Trusted {
        tokens: kept,
        complete,
    }
}

/// Whether a single-token answer is about `id` in `cluster`.
pub(crate) fn is_about(token: &DatabaseToken, cluster: &Cluster, id: &str) -> bool {
    token.id == canonical_id(id) && cluster.is(&token.account_id, &token.cluster_id)
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
    fn ids_compare_in_any_spelling() {
        let lower = Cluster::new(
            "0b9a1c3e-5f7d-4e2a-9c8b-1d2e3f4a5b6c",
            "7c6b5a4f-3e2d-4c1b-8a9f-0e1d2c3b4a59",
        );
        let upper = Cluster::new(
            "0B9A1C3E-5F7D-4E2A-9C8B-1D2E3F4A5B6C",
            "7C6B5A4F-3E2D-4C1B-8A9F-0E1D2C3B4A59",
        );
        assert_eq!(lower, upper);
        let mut listed = token("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", &lower);
        listed.account_id = listed.account_id.to_uppercase();
        assert!(trusted_tokens(&upper, vec![listed.clone()]).complete);
        assert!(is_about(
            &listed,
            &upper,
            "5D4C3B2A-1F0E-4D9C-8B7A-6F5E4D3C2B1A"
        ));
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
        let trusted = trusted_tokens(&here, list);
        assert!(!trusted.complete);
        let ids: Vec<String> = trusted.tokens.into_iter().map(|t| t.id).collect();
        assert_eq!(ids, ["kept"]);
        assert!(trusted_tokens(&here, vec![token("kept", &here)]).complete);
        assert!(is_about(&token("x", &here), &here, "x"));
        assert!(!is_about(&token("x", &other_cluster), &here, "x"));
        assert!(!is_about(&token("y", &here), &here, "x"));
    }
}
