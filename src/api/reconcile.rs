//! Settling a create whose outcome is unknown (docs/design.md#decision-8-create-is-not-idempotent):
//! look in a fresh list for what the request made, instead of sending it again and risking a
//! duplicate. A token is recognised by the receipt its create carried (see `receipt`), never
//! by its likeness to the request: an identical token without the receipt belongs to someone
//! else and is never adopted, named or revoked.

use std::time::Duration;

use super::Client;
use super::clock::Clock;
use super::database_models::Database;
use super::error::{ApiError, CreateKind, Unsettled};
use super::models::{Cluster, DatabaseToken};
use super::receipt::Receipt;

/// The reconcile window is split into this many pauses while nothing is found: one list at
/// the start and one after each pause, the last at the window's end.
const LISTS_PER_WINDOW: u32 = 4;

/// What the lists say about the tokens a create with a given receipt made.
pub(crate) enum Found {
    /// Live tokens carrying the receipt: that create made them, and nobody but the lost answer
    /// ever held their secrets.
    Made(Vec<DatabaseToken>),
    /// No live token carries the receipt.
    Absent(Absent),
}

/// No live token carries the receipt, as far as the last list could tell.
pub(crate) struct Absent {
    /// The last list was complete (nothing left out as untrustworthy) and, during a create,
    /// started a whole reconcile window after the answer: nothing was made.
    pub(crate) proven: bool,
    /// The last list's failure, if it failed.
    pub(crate) lookup_error: Option<ApiError>,
}

impl Absent {
    /// The [`Unsettled`] outcome this look-up establishes.
    pub(crate) fn unsettled(self) -> Unsettled {
        if self.proven {
            Unsettled::NotMade
        } else {
            Unsettled::Unknown {
                lookup_error: self.lookup_error.map(Box::new),
            }
        }
    }

    /// Why an unproven look-up proves nothing, for messages.
    pub(crate) fn why_unproven(&self) -> String {
        self.lookup_error.as_ref().map_or_else(
            || "the token list left out entries the provider cannot trust".to_owned(),
            ToString::to_string,
        )
    }
}

impl Client {
    /// Looks for the live tokens carrying `receipt` in fresh lists of `cluster`, re-listing over
    /// the reconcile window while none is visible (the list may lag behind the create).
    pub(crate) async fn find_receipt(&self, cluster: &Cluster, receipt: &Receipt) -> Found {
        let mut lists = Relist::new(&*self.0.clock, self.0.reconcile_window);
        loop {
            lists.begin();
            let found = self.look_for_receipt(cluster, receipt).await;
            let retry = match &found {
                Found::Made(_) => false,
                // A list that failed for a passing reason (5xx, transport) before the window's
                // end only delays the proof: the last list decides, and a token made by the
                // request stays listed. A refusal (401, 403, 404) ends the look-up at once.
                Found::Absent(Absent {
                    lookup_error: Some(e),
                    ..
                }) => e.is_transient(),
                Found::Absent(_) => true,
            };
            if !retry || !lists.pause().await {
                return found;
            }
        }
    }

    /// One fresh list, searched for `receipt` as it arrives: only the entries carrying it are
    /// kept. A listed token carrying it that is marked revoked is confirmed by a GET by id: a
    /// list that wrongly says "revoked" must not make a live token of this create look absent.
    pub(crate) async fn look_for_receipt(&self, cluster: &Cluster, receipt: &Receipt) -> Found {
        let wanted = receipt.clone();
        let carrying = move |token: &DatabaseToken| wanted.is_on(&token.description);
        let trusted = match self.list_tokens_keeping(cluster, carrying).await {
            Ok(trusted) => trusted,
            Err(e) => {
                return Found::Absent(Absent {
                    proven: false,
                    lookup_error: Some(e),
                });
            }
        };
        let mut made = Vec::new();
        for token in trusted.tokens {
            if !receipt.is_on(&token.description) {
                continue;
            }
            if !token.is_revoked() {
                made.push(token);
                continue;
            }
            match self.get_token(cluster, &token.id).await {
                Ok(live) if !live.is_revoked() => made.push(live),
                Ok(_) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => {
                    return Found::Absent(Absent {
                        proven: false,
                        lookup_error: Some(e),
                    });
                }
            }
        }
        if made.is_empty() {
            Found::Absent(Absent {
                proven: trusted.complete,
                lookup_error: None,
            })
        } else {
            tracing::debug!(
                count = made.len(),
                "found the tokens an unanswered create made"
            );
            Found::Made(made)
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
        let unconfirmed = |outcome: Unsettled| ApiError::CreateUnconfirmed {
            kind: CreateKind::Database,
            name: name.to_owned(),
            receipt: None,
            outcome,
            cause: Box::new(cause.clone()),
        };
        let mut lists = Relist::new(&*self.0.clock, self.0.reconcile_window);
        loop {
            lists.begin();
            let databases = match self.list_databases(cluster).await {
                Ok(databases) => databases,
                Err(e) if e.is_transient() && lists.pause().await => continue,
                Err(e) => {
                    return Err(Unconfirmed::open(unconfirmed(Unsettled::Unknown {
                        lookup_error: Some(Box::new(e)),
                    })));
                }
            };
            if let Some(db) = databases.into_iter().find(|d| d.name == name) {
                tracing::debug!(name, "ambiguous database create found in the list");
                return Ok(db);
            }
            if !lists.pause().await {
                return Err(Unconfirmed {
                    error: unconfirmed(Unsettled::NotMade),
                    proven_absent: true,
                });
            }
        }
    }
}

/// The outcome of a reconcile that found nothing to return as a success.
pub(crate) struct Unconfirmed {
    /// The [`ApiError::CreateUnconfirmed`] to report when the create is not sent again.
    pub(crate) error: ApiError,
    /// The last list started a whole reconcile window (the list lag the docs promise to
    /// tolerate) after the answer came back, succeeded, was complete, and showed nothing the
    /// request made. (A list that failed for a passing reason earlier in the window proves
    /// nothing either way; the last one decides.)
    pub(crate) proven_absent: bool,
}

impl Unconfirmed {
    /// An outcome that leaves "not created" unproven.
    pub(crate) fn open(error: ApiError) -> Self {
        Unconfirmed {
            error,
            proven_absent: false,
        }
    }
}

/// Paces re-lists while the list may lag behind the create: lists spread over the window,
/// the last one started no earlier than the window's end, so an object committed before the
/// answer came back is visible to it under any lag up to the window.
struct Relist<'a> {
    clock: &'a dyn Clock,
    deadline: Duration,
    pause: Duration,
    last_list: Option<Duration>,
}

impl<'a> Relist<'a> {
    fn new(clock: &'a dyn Clock, window: Duration) -> Self {
        Relist {
            clock,
            deadline: clock.now() + window,
            pause: window / LISTS_PER_WINDOW,
            last_list: None,
        }
    }

    /// Notes that a list is being sent now.
    fn begin(&mut self) {
        self.last_list = Some(self.clock.now());
    }

    /// Waits before the next list; `false` once a list has started at or after the deadline.
    async fn pause(&mut self) -> bool {
        if self.last_list.is_some_and(|at| at >= self.deadline) {
            return false;
        }
        let left = self.deadline.saturating_sub(self.clock.now());
        self.clock.sleep(self.pause.min(left)).await;
        true
    }
}
