//! What a mock is started with, and its validation into the ids the server uses.

use uuid::Uuid;

use super::error::MockError;
use super::ids;

/// How to start a mock. `Default` gives a random account id, cluster id and management token.
///
/// Ids must be UUIDs in the hyphenated form; the mock reports them back (and puts them in
/// responses) in lowercase. All clusters share the one management token.
#[derive(Debug, Clone, Default)]
pub struct MockOptions {
    /// The only token accepted in `Authorization: Bearer …`. Must be non-empty visible ASCII
    /// without spaces (it has to fit in a header).
    pub management_token: Option<String>,
    /// The default (first) cluster's account id.
    pub account_id: Option<String>,
    /// The default (first) cluster's id.
    pub cluster_id: Option<String>,
    /// More `(account_id, cluster_id)` pairs served besides the default one, each with its own
    /// tokens and databases.
    pub extra_clusters: Vec<(String, String)>,
    /// Tokens the default cluster starts with, and holds again after every reset: a large
    /// cluster in an instant, for tests and benchmarks that would otherwise send one POST per
    /// token. They are live, never expire, and are described `generated token N`.
    pub generate_tokens: usize,
    /// Permissions of each generated token: `read` and `write` in turn, on databases
    /// `generated-db-K`.
    pub permissions_per_token: usize,
}

/// Most permissions a generated token may have: as many as the provider reads in one token.
const MAX_GENERATED_PERMISSIONS: usize = 2_000;

/// One (account, cluster) pair the mock serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClusterIds {
    pub(crate) account_id: Uuid,
    pub(crate) cluster_id: Uuid,
}

/// Validated options: the token and the served clusters, the default one first.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub(crate) management_token: String,
    pub(crate) clusters: Vec<ClusterIds>,
    /// `(tokens, permissions per token)` the default cluster starts with.
    pub(crate) generated: (usize, usize),
}

impl MockOptions {
    /// Checks the options and fills in random values for those not given.
    pub(crate) fn resolve(&self) -> Result<Identity, MockError> {
        let management_token = match &self.management_token {
            Some(token) => check_token(token)?.to_owned(),
            None => ids::management_token(),
        };
        let default = ClusterIds {
            account_id: id_or_random("account_id", self.account_id.as_deref())?,
            cluster_id: id_or_random("cluster_id", self.cluster_id.as_deref())?,
        };
        let mut clusters = vec![default];
        for (account, cluster) in &self.extra_clusters {
            let ids = ClusterIds {
                account_id: id_or_random("extra_clusters", Some(account))?,
                cluster_id: id_or_random("extra_clusters", Some(cluster))?,
            };
            if clusters.contains(&ids) {
                return Err(MockError::InvalidOption {
                    option: "extra_clusters",
                    reason: format!("cluster {account}/{cluster} is listed twice"),
                });
            }
            clusters.push(ids);
        }
        if self.permissions_per_token > MAX_GENERATED_PERMISSIONS {
            return Err(MockError::InvalidOption {
                option: "permissions_per_token",
                reason: format!("at most {MAX_GENERATED_PERMISSIONS}"),
            });
        }
        Ok(Identity {
            management_token,
            clusters,
            generated: (self.generate_tokens, self.permissions_per_token),
        })
    }
}

fn id_or_random(option: &'static str, given: Option<&str>) -> Result<Uuid, MockError> {
    match given {
        None => Ok(Uuid::new_v4()),
        Some(text) => ids::parse_uuid(text).ok_or_else(|| MockError::InvalidOption {
            option,
            reason: format!("`{text}` is not a hyphenated UUID"),
        }),
    }
}

fn check_token(token: &str) -> Result<&str, MockError> {
    let usable = !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic());
    if usable {
        Ok(token)
    } else {
        Err(MockError::InvalidOption {
            option: "management_token",
            reason: "must be non-empty visible ASCII without spaces".to_owned(),
        })
    }
}
