//! Sending a create again once it is proven that nothing of it is left
//! (docs/design.md#decision-8-create-is-not-idempotent).
//!
//! A token create is sent again only when one of these holds:
//! - the lists showed tokens carrying its receipt (so made by it, their secrets lost with the
//!   answer) and each was revoked: nothing of the create is left, whatever the first failure;
//! - the server answered it with HTTP 503 Service Unavailable (a status line and a whole body,
//!   not a timeout or a dropped connection, which may hide a create still being committed), and
//!   the look-up that followed proved nothing was made: the last list, started a whole
//!   reconcile window (the list lag the docs promise to tolerate) after the answer, succeeded,
//!   left out no entry, and had no token carrying the receipt.
//!
//! A database create is sent again on the second rule only (a name is its receipt). Anything
//! else keeps the first outcome, and every send of one create carries the same receipt, so a
//! later look-up finds whatever any of them made.

use super::Client;
use super::error::ApiError;
use super::http::{Call, CreateFailure, Reply};
use super::reconcile::Unconfirmed;

/// Most times one create is sent, counting the first. With 20% of creates answered 503, one
/// create fails all six with probability 0.2⁶ ≈ 0.006%, so a run of 100 tokens is held up by
/// this bound in about 0.6% of runs (five sends: 3%). Each resend follows a full reconcile
/// window, so against a server that answers nothing but 503 a create ends after about a minute.
pub(crate) const MAX_CREATE_SENDS: u32 = 6;

/// What one send of a create came to, short of a definite failure.
pub(super) enum Sent {
    /// A 2xx answer, still to be read.
    Answered(Reply),
    /// No usable answer: the cause, to reconcile, and whether the create may be sent again
    /// once the reconcile proves nothing was made.
    Unknown { cause: ApiError, may_resend: bool },
}

/// Counts the sends of one create and decides whether another is allowed.
pub(super) struct CreateSends {
    sent: u32,
}

impl CreateSends {
    pub(super) fn new() -> Self {
        CreateSends { sent: 0 }
    }

    /// Sends the create once more and counts it. A definite failure is the error; any other
    /// outcome is what the caller decodes or reconciles.
    pub(super) async fn send(&mut self, client: &Client, call: &Call) -> Result<Sent, ApiError> {
        self.sent += 1;
        match client.send_create(call).await {
            Ok(reply) => Ok(Sent::Answered(reply)),
            Err(CreateFailure::Definite(e)) => Err(e),
            Err(CreateFailure::Ambiguous(cause)) => Ok(Sent::Unknown {
                cause,
                may_resend: false,
            }),
            // Only a 503 answer may be sent again once proven not made.
            Err(CreateFailure::Unavailable(cause)) => Ok(Sent::Unknown {
                cause,
                may_resend: true,
            }),
        }
    }

    /// Decides after a look-up found nothing to return. `may_resend` says whether the outcome
    /// allows another send at all (see the module docs); `Ok(())` (after the backoff) means send
    /// again; `Err` is the error to report, telling how many times the create was sent.
    pub(super) async fn again(
        &self,
        client: &Client,
        may_resend: bool,
        outcome: Unconfirmed,
    ) -> Result<(), ApiError> {
        if may_resend && outcome.proven_absent && self.sent < MAX_CREATE_SENDS {
            tracing::debug!(
                sent = self.sent,
                "nothing of the create is left; sending it again"
            );
            client.back_off(self.sent, None).await;
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
