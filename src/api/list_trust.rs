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

use std::collections::hash_map::{DefaultHasher, RandomState};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};

use super::list_stream::ListSink;
use super::models::{Cluster, DatabaseToken, Permission, canonical_id};

/// Ids named in a warning about left-out entries, at most: the count says the rest.
const IDS_IN_A_WARNING: usize = 20;

/// The entries of a token list an operation kept, with the entries that contradict it left out.
pub(crate) struct Trusted {
    /// The kept entries that can be read as facts about the cluster.
    pub(crate) tokens: Vec<DatabaseToken>,
    /// No entry of the whole list was left out. Only a complete list can prove that a token is
    /// absent: a left-out entry may be the very token looked for (see `reconcile`).
    pub(crate) complete: bool,
}

/// What a refresh keeps of a token list: a few bytes per entry, enough to tell whether a token
/// is listed exactly as the state has it, and nothing else (docs/design.md#decision-5-read-detects-drift-from-the-list).
///
/// A refresh cannot know in advance which tokens it will read (Terraform sends the reads a
/// few at a time, each after the list may have been fetched), so it cannot keep "the entries
/// the state manages". Keeping every entry whole makes memory grow with the cluster (a token
/// of 10 permissions decodes into about 1 KiB); this index keeps 24 bytes of key and digest
/// per entry instead, and a read compares the digest of the token its state describes with
/// the listed one. Equal, the token is listed exactly as the state has it (no drift); else the
/// read asks the API for that one token by id, as it already does for a token the list lacks.
/// The digests are keyed per process, so an answer cannot be made to collide on purpose.
pub struct TokenIndex {
    digests: HashMap<u128, u64>,
    hasher: RandomState,
}

impl TokenIndex {
    /// Whether `token` (as a state describes it) is listed exactly so: same id, cluster,
    /// description, permission set, timestamps, and not revoked.
    pub fn lists_unchanged(&self, cluster: &Cluster, token: &DatabaseToken) -> bool {
        cluster.is(&token.account_id, &token.cluster_id)
            && self.digests.get(&id_key(&token.id)) == Some(&digest(&self.hasher, token))
    }

    /// Whether the token `id` is listed (live or revoked, not left out).
    pub fn lists(&self, id: &str) -> bool {
        self.digests.contains_key(&id_key(id))
    }

    /// How many entries the index holds.
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }
}

impl std::fmt::Debug for TokenIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenIndex")
            .field("entries", &self.digests.len())
            .finish_non_exhaustive()
    }
}

/// The compact key of a token id: the UUID's 128 bits (ids are canonical, so two spellings
/// are one key), or for an id that is no UUID a 128-bit hash of it (a collision could only
/// make two ids look like one listed twice, which is read by id: never a wrong fact).
fn id_key(id: &str) -> u128 {
    if let Ok(uuid) = uuid::Uuid::try_parse(id) {
        return uuid.as_u128();
    }
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        (salt, id).hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// What a listed token says about itself, as one number: what a refresh compares with its
/// state (ids and cluster are compared apart).
fn digest(hasher: &RandomState, token: &DatabaseToken) -> u64 {
    let mut permissions: Vec<&Permission> = token.permissions.iter().collect();
    permissions.sort();
    permissions.dedup();
    let mut h = hasher.build_hasher();
    token.description.hash(&mut h);
    permissions.hash(&mut h);
    token.created_at.unix_timestamp_nanos().hash(&mut h);
    token
        .expires_at
        .map(|t| t.unix_timestamp_nanos())
        .hash(&mut h);
    token
        .revoked_at
        .map(|t| t.unix_timestamp_nanos())
        .hash(&mut h);
    h.finish()
}

/// What a token list is read into as it streams past (see `list_stream`): entries of another
/// account or cluster are counted and dropped at once; every other entry is remembered by its
/// compact key (16 bytes, so that an id listed twice is caught wherever its copies are) and,
/// when the operation asks, kept whole or as a digest. Nothing else of the list stays.
pub(crate) struct TokenSieve<K> {
    cluster: Cluster,
    keep: K,
    /// Keys of the entries seen, when no index holds them.
    seen: HashSet<u128>,
    index: Option<TokenIndex>,
    duplicated: HashSet<u128>,
    foreign: Vec<String>,
    foreign_count: usize,
    kept: Vec<DatabaseToken>,
}

impl<K: FnMut(&DatabaseToken) -> bool> TokenSieve<K> {
    /// A sieve for a list of `cluster` that keeps whole the trusted entries `keep` accepts.
    pub(crate) fn keeping(cluster: Cluster, keep: K) -> Self {
        TokenSieve {
            cluster,
            keep,
            seen: HashSet::new(),
            index: None,
            duplicated: HashSet::new(),
            foreign: Vec::new(),
            foreign_count: 0,
            kept: Vec::new(),
        }
    }

    /// Takes one entry of the list.
    pub(crate) fn push(&mut self, token: DatabaseToken) {
        if !self.cluster.is(&token.account_id, &token.cluster_id) {
            self.foreign_count += 1;
            if self.foreign.len() < IDS_IN_A_WARNING {
                self.foreign.push(token.id);
            }
            return;
        }
        let key = id_key(&token.id);
        let first = match &mut self.index {
            Some(index) => {
                let digest = digest(&index.hasher, &token);
                index.digests.insert(key, digest).is_none()
            }
            None => self.seen.insert(key),
        };
        if !first {
            self.duplicated.insert(key);
        }
        if (self.keep)(&token) {
            self.kept.push(token);
        }
    }

    /// The kept entries, without those whose id is listed more than once; warns in the log
    /// about what was left out.
    pub(crate) fn finish(mut self) -> (Trusted, Option<TokenIndex>) {
        let duplicated = self.duplicated;
        let mut twice: Vec<String> = Vec::new();
        self.kept.retain(|t| {
            let listed_once = !duplicated.contains(&id_key(&t.id));
            if !listed_once && twice.len() < IDS_IN_A_WARNING && !twice.contains(&t.id) {
                twice.push(t.id.clone());
            }
            listed_once
        });
        if let Some(index) = &mut self.index {
            index.digests.retain(|key, _| !duplicated.contains(key));
        }
        let complete = self.foreign_count == 0 && duplicated.is_empty();
        if self.foreign_count > 0 {
            tracing::warn!(
                cluster = %self.cluster,
                count = self.foreign_count,
                ids = ?self.foreign,
                "the token list holds entries of another account or cluster; they are ignored"
            );
        }
        if !duplicated.is_empty() {
            tracing::warn!(
                cluster = %self.cluster,
                count = duplicated.len(),
                ids = ?twice,
                "the token list holds some ids more than once; those entries are ignored and \
                 the tokens are read by id"
            );
        }
        (
            Trusted {
                tokens: self.kept,
                complete,
            },
            self.index,
        )
    }
}

impl<K: FnMut(&DatabaseToken) -> bool> ListSink for TokenSieve<K> {
    fn entry(&mut self, text: &[u8]) -> Result<(), serde_json::Error> {
        self.push(serde_json::from_slice(text)?);
        Ok(())
    }
}

impl TokenSieve<fn(&DatabaseToken) -> bool> {
    /// A sieve that keeps the digest of every trusted entry, and no entry whole: a refresh's.
    pub(crate) fn indexing(cluster: Cluster, hasher: RandomState) -> Self {
        let mut sieve = TokenSieve::keeping(cluster, (|_| false) as fn(&DatabaseToken) -> bool);
        sieve.index = Some(TokenIndex {
            digests: HashMap::new(),
            hasher,
        });
        sieve
    }

    /// The index of an indexing sieve, its untrusted entries left out.
    pub(crate) fn into_index(self) -> TokenIndex {
        let hasher = self.index.as_ref().map(|i| i.hasher.clone());
        self.finish().1.unwrap_or_else(|| TokenIndex {
            digests: HashMap::new(),
            hasher: hasher.unwrap_or_default(),
        })
    }
}

/// `tokens` without the entries that contradict a list of `cluster` (see the module docs).
#[cfg(test)]
pub(crate) fn trusted_tokens(cluster: &Cluster, tokens: Vec<DatabaseToken>) -> Trusted {
    let mut sieve = TokenSieve::keeping(cluster.clone(), |_: &DatabaseToken| true);
    for token in tokens {
        sieve.push(token);
    }
    sieve.finish().0
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
