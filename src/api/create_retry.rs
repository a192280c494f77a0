//! Sending a create again after it was proven not to have been made
//! (docs/design.md#decision-8-create-is-not-idempotent).
//!
//! A create is sent again only when both hold:
//! - the server answered it with HTTP 503 Service Unavailable (a status line and a whole body,
//!   not a timeout or a dropped connection, which may hide a committed create), and
//! - the reconcile that followed proved nothing was made: the last list, started a whole
//!   reconcile window (the list lag the docs promise to tolerate) after the answer, succeeded,
//!   and no list showed a matching object, not even one created shortly before the request
//!   (see `reconcile`; a list that failed for a passing reason earlier in the window is
//!   skipped, a refusal ends the reconcile).
//!
//! Anything else keeps the first outcome: adopt the one match, or report the candidates.

use super::Client;
use super::error::ApiError;
use super::http::CreateFailure;
use super::reconcile::Unconfirmed;

/// Most times one create is sent, counting the first. With 20% of creates answered 503, one
/// create fails all six with probability 0.2⁶ ≈ 0.006%, so a run of 100 tokens is held up by
/// this bound in about 0.6% of runs (five sends: 3%). Each resend follows a full reconcile
/// window, so against a server that answers nothing but 503 a create ends after about a minute.
pub(crate) const MAX_CREATE_SENDS: u32 = 6;

/// Counts the sends of one create and decides whether another is allowed.
pub(super) struct CreateSends {
    sent: u32,
}

impl CreateSends {
    pub(super) fn new() -> Self {
        CreateSends { sent: 0 }
    }

    /// Notes one more send.
    pub(super) fn record(&mut self) {
        self.sent += 1;
    }

    /// Whether this failure may be retried at all once proven absent: only a 503 answer.
    pub(super) fn retryable(failure: &CreateFailure) -> bool {
        matches!(failure, CreateFailure::Unavailable(_))
    }

    /// Decides after a reconcile found nothing to return. `Ok(())` (after the backoff) means
    /// send again; `Err` is the error to report, telling how many times the create was sent.
    pub(super) async fn again(
        &self,
        client: &Client,
        retryable: bool,
        outcome: Unconfirmed,
    ) -> Result<(), ApiError> {
        if retryable && outcome.proven_absent && self.sent < MAX_CREATE_SENDS {
            tracing::debug!(
                sent = self.sent,
                "create answered 503 and proven not made; sending it again"
            );
            tokio::time::sleep(client.0.policy.delay(self.sent, None)).await;
            return Ok(());
        }
        Err(with_sends(outcome.error, self.sent))
    }
}

/// Sets the attempt count of the cause inside an unconfirmed create to the number of sends.
fn with_sends(mut error: ApiError, sends: u32) -> ApiError {
    if sends > 1
        && let ApiError::CreateUnconfirmed { cause, .. } = &mut error
        && let ApiError::Server { attempts, .. } = cause.as_mut()
    {
        *attempts = sends;
    }
    error
}
