//! Reconciling a create whose outcome is unknown (docs/design.md#decision-8-create-is-not-idempotent): look for what the request would
//! have made in a fresh list, instead of sending it again and risking a duplicate.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::Client;
use super::database_models::Database;
use super::error::{ApiError, CreateKind};
use super::models::{Cluster, CreateTokenRequest, DatabaseToken, Permission};

/// A token created by the request cannot be older than the request, but clocks differ: a
/// candidate must be created at or after the send time minus this allowance (documented in
/// the token resource's docs). Small, so that an identical token made moments earlier by
/// another configuration sharing the cluster is never taken for this request's.
pub(super) const CLOCK_SKEW: time::Duration = time::Duration::seconds(1);

/// Matching tokens created this long before the request still mean "not created" is not
/// proven (the clocks may be further apart than [`CLOCK_SKEW`]): they are reported, never
/// adopted or offered for revocation.
const NOT_PROVEN_WINDOW: time::Duration = time::Duration::minutes(5);

/// Servers may store `expiresAt` at a coarser precision than was sent.
const EXPIRY_TOLERANCE: time::Duration = time::Duration::seconds(1);

/// The reconcile window is split into this many pauses while nothing matches: one list at
/// the start and one after each pause, the last at the window's end.
const LISTS_PER_WINDOW: u32 = 4;

impl Client {
    /// Finds the token an ambiguous create may have made and returns the
    /// [`ApiError::CreateUnconfirmed`] that describes it, marked proven absent when the lists
    /// showed no matching token at all through the whole window.
    pub(crate) async fn reconcile_token_create(
        &self,
        cluster: &Cluster,
        req: &CreateTokenRequest,
        started: OffsetDateTime,
        cause: ApiError,
    ) -> Unconfirmed {
        let unconfirmed = |adopted: Option<DatabaseToken>,
                           (candidates, earlier): (Vec<String>, Vec<String>),
                           lookup_error: Option<ApiError>| {
            ApiError::CreateUnconfirmed {
                kind: CreateKind::Token,
                name: req.description.clone(),
                adopted: adopted.map(Box::new),
                candidates,
                earlier,
                cause: Box::new(cause.clone()),
                lookup_error: lookup_error.map(Box::new),
            }
        };
        let not_before = started - CLOCK_SKEW;
        let wanted: BTreeSet<_> = req.permissions.iter().collect();
        let mut lists = Relist::new(self.0.reconcile_window);
        loop {
            lists.begin();
            let tokens = match self.list_tokens(cluster).await {
                Ok(tokens) => tokens,
                // A list that failed for a passing reason (5xx, transport) before the window's
                // end only delays the proof: the last list decides, and a token made by the
                // request stays listed. A refusal (401, 403, 404) ends the reconcile at once.
                Err(e) if e.is_transient() && lists.pause().await => continue,
                Err(e) => return Unconfirmed::open(unconfirmed(None, Default::default(), Some(e))),
            };
            match self.pick_candidate(tokens, req, &wanted, not_before) {
                Pick::One(token) => {
                    tracing::debug!(id = %token.id, "ambiguous token create adopted");
                    return Unconfirmed::open(unconfirmed(Some(*token), Default::default(), None));
                }
                Pick::Several(ids) => {
                    return Unconfirmed::open(unconfirmed(None, (ids, Vec::new()), None));
                }
                Pick::None(earlier) => {
                    if !lists.pause().await {
                        // Identical tokens from just before the request leave "not created"
                        // unproven: with clocks further apart than CLOCK_SKEW one of them
                        // could be this request's.
                        let proven_absent = earlier.is_empty();
                        return Unconfirmed {
                            error: unconfirmed(None, (Vec::new(), earlier), None),
                            proven_absent,
                        };
                    }
                }
            }
        }
    }

    /// Filters a fresh list down to the tokens `req` may have created, and claims the match
    /// when there is exactly one (atomically, so two concurrent reconciles never adopt the
    /// same token).
    fn pick_candidate(
        &self,
        tokens: Vec<DatabaseToken>,
        req: &CreateTokenRequest,
        wanted: &BTreeSet<&Permission>,
        not_before: OffsetDateTime,
    ) -> Pick {
        let mut claimed = self.claimed();
        let (mut candidates, earlier): (Vec<DatabaseToken>, Vec<DatabaseToken>) = tokens
            .into_iter()
            .filter(|t| {
                !t.is_revoked()
                    && t.description == req.description
                    && t.permission_set() == *wanted
                    && same_expiry(t.expires_at, req.expires_at)
                    && t.created_at >= not_before - NOT_PROVEN_WINDOW
                    && !claimed.contains(&t.id)
            })
            .partition(|t| t.created_at >= not_before);
        match candidates.len() {
            0 => Pick::None(earlier.into_iter().map(|t| t.id).collect()),
            1 => {
                let token = candidates.remove(0);
                claimed.insert(token.id.clone());
                Pick::One(Box::new(token))
            }
            _ => Pick::Several(candidates.into_iter().map(|t| t.id).collect()),
        }
    }

    /// Looks for the database an ambiguous create may have made: found, it is the result;
    /// not listed through the whole window, the error is marked proven absent.
    pub(crate) async fn reconcile_database_create(
        &self,
        cluster: &Cluster,
        name: &str,
        cause: ApiError,
    ) -> Result<Database, Unconfirmed> {
        let unconfirmed = |lookup_error: Option<ApiError>| ApiError::CreateUnconfirmed {
            kind: CreateKind::Database,
            name: name.to_owned(),
            adopted: None,
            candidates: Vec::new(),
            earlier: Vec::new(),
            cause: Box::new(cause.clone()),
            lookup_error: lookup_error.map(Box::new),
        };
        let mut lists = Relist::new(self.0.reconcile_window);
        loop {
            lists.begin();
            let databases = match self.list_databases(cluster).await {
                Ok(databases) => databases,
                Err(e) if e.is_transient() && lists.pause().await => continue,
                Err(e) => return Err(Unconfirmed::open(unconfirmed(Some(e)))),
            };
            if let Some(db) = databases.into_iter().find(|d| d.name == name) {
                tracing::debug!(name, "ambiguous database create found in the list");
                return Ok(db);
            }
            if !lists.pause().await {
                return Err(Unconfirmed {
                    error: unconfirmed(None),
                    proven_absent: true,
                });
            }
        }
    }
}

fn same_expiry(listed: Option<OffsetDateTime>, requested: Option<OffsetDateTime>) -> bool {
    let requested = requested.filter(|t| *t != OffsetDateTime::UNIX_EPOCH);
    match (listed, requested) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() < EXPIRY_TOLERANCE,
        _ => false,
    }
}

/// What a fresh list says about an ambiguous token create.
enum Pick {
    /// No candidate; the ids of matching tokens created before the request.
    None(Vec<String>),
    One(Box<DatabaseToken>),
    Several(Vec<String>),
}

/// The outcome of a reconcile that found nothing to return as a success.
pub(crate) struct Unconfirmed {
    /// The [`ApiError::CreateUnconfirmed`] to report when the create is not sent again.
    pub(crate) error: ApiError,
    /// The last list started a whole reconcile window (the list lag the docs promise to
    /// tolerate) after the answer came back and succeeded, and no list showed a matching
    /// object, not even one created shortly before the request. (A list that failed for a
    /// passing reason earlier in the window proves nothing either way; the last one decides.)
    pub(crate) proven_absent: bool,
}

impl Unconfirmed {
    /// An outcome that leaves "not created" unproven.
    fn open(error: ApiError) -> Self {
        Unconfirmed {
            error,
            proven_absent: false,
        }
    }
}

/// Paces re-lists while the list may lag behind the create: lists spread over the window,
/// the last one started no earlier than the window's end, so an object committed before the
/// answer came back is visible to it under any lag up to the window.
struct Relist {
    deadline: Instant,
    pause: Duration,
    last_list: Option<Instant>,
}

impl Relist {
    fn new(window: Duration) -> Self {
        Relist {
            deadline: Instant::now() + window,
            pause: window / LISTS_PER_WINDOW,
            last_list: None,
        }
    }

    /// Notes that a list is being sent now.
    fn begin(&mut self) {
        self.last_list = Some(Instant::now());
    }

    /// Waits before the next list; `false` once a list has started at or after the deadline.
    async fn pause(&mut self) -> bool {
        if self.last_list.is_some_and(|at| at >= self.deadline) {
            return false;
        }
        let left = self.deadline.saturating_duration_since(Instant::now());
        tokio::time::sleep(self.pause.min(left)).await;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn expiry_matches_as_instants_with_tolerance() {
        let t = datetime!(2030-01-01 00:00 UTC);
        assert!(same_expiry(None, None));
        assert!(same_expiry(None, Some(OffsetDateTime::UNIX_EPOCH)));
        assert!(same_expiry(
            Some(t),
            Some(t + time::Duration::milliseconds(300))
        ));
        assert!(!same_expiry(Some(t), Some(t + time::Duration::seconds(2))));
        assert!(!same_expiry(Some(t), None));
    }
}
