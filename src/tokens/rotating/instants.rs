//! The instants of a rotation, all counted from the provider's clock at the apply that
//! rotated (not from the API's `createdAt`): plan and apply compare them with the same clock,
//! so a server whose clock disagrees with the provider's cannot make plans flap.
//!
//! A rotation at `r` sets `next_rotation_at = r + rotation_period`, hands the previous token
//! over until `previous_revoke_at = r + overlap`, and creates the new token with
//! `expiresAt = r + rotation_period + overlap + EXPIRY_MARGIN`: the token dies on its own even
//! if nobody ever applies again, yet outlives its whole hand-over when the next rotation is
//! applied within the margin of being due.

use std::time::Duration;

use time::OffsetDateTime;

use crate::model::duration::parse_duration;
use crate::model::instant;

/// How long a created token outlives `rotation_period + overlap`: room for the next rotation
/// to be planned and applied after it is due (a pipeline run, an approval), and for clock skew
/// between the provider and the API.
pub(crate) const EXPIRY_MARGIN: Duration = Duration::from_secs(3600);

/// The longest `rotation_period` accepted: the expiry must stay a date the API can store, and a
/// "rotating" token that lives longer than this is not rotating in any useful sense.
pub(crate) const MAX_PERIOD: Duration = Duration::from_secs(10 * 366 * 24 * 3600);

/// Test-only: an RFC 3339 instant the provider takes for "now" in everything a rotating token
/// decides (which plan is due, which expiry a new token gets). It exists so acceptance tests
/// move time forward without sleeping; it is not a user setting and is not documented as one.
pub(crate) const TEST_NOW_ENV: &str = "INFLUXDB3_TEST_ONLY_NOW";

/// The provider's "now" for rotations.
pub(crate) fn now() -> OffsetDateTime {
    match std::env::var(TEST_NOW_ENV)
        .ok()
        .and_then(|t| instant::parse(&t))
    {
        Some(t) => {
            tracing::warn!(env = TEST_NOW_ENV, "using a test-only clock for rotations");
            t
        }
        None => OffsetDateTime::now_utc(),
    }
}

/// Why a schedule cannot be used; each names its attribute's problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ScheduleError {
    #[error("rotation_period {text:?} {why}")]
    Period { text: String, why: &'static str },
    #[error("overlap {text:?} {why}")]
    Overlap { text: String, why: &'static str },
    #[error("overlap ({overlap}) must be shorter than rotation_period ({period})")]
    OverlapTooLong { overlap: String, period: String },
    #[error("rotation_period must be at most 87840h (10 years)")]
    PeriodTooLong,
}

/// A parsed `rotation_period` and `overlap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Schedule {
    pub(crate) period: Duration,
    pub(crate) overlap: Duration,
}

impl Schedule {
    /// Parses both durations and checks that the previous token is revoked before the next
    /// rotation is due (otherwise three tokens would be live at once).
    pub(crate) fn parse(period: &str, overlap: &str) -> Result<Self, ScheduleError> {
        let p = parse_duration(period).map_err(|why| ScheduleError::Period {
            text: period.to_owned(),
            why,
        })?;
        let o = parse_duration(overlap).map_err(|why| ScheduleError::Overlap {
            text: overlap.to_owned(),
            why,
        })?;
        if p > MAX_PERIOD {
            return Err(ScheduleError::PeriodTooLong);
        }
        if o >= p {
            return Err(ScheduleError::OverlapTooLong {
                overlap: overlap.to_owned(),
                period: period.to_owned(),
            });
        }
        Ok(Self {
            period: p,
            overlap: o,
        })
    }

    /// When a token created at `rotated` is due for rotation.
    pub(crate) fn next_rotation(&self, rotated: OffsetDateTime) -> Option<OffsetDateTime> {
        add(rotated, self.period)
    }

    /// When the token that was current until a rotation at `rotated` is revoked.
    pub(crate) fn previous_revoke(&self, rotated: OffsetDateTime) -> Option<OffsetDateTime> {
        add(rotated, self.overlap)
    }

    /// The `expiresAt` of a token created at `rotated`.
    pub(crate) fn expiry(&self, rotated: OffsetDateTime) -> Option<OffsetDateTime> {
        add(
            rotated,
            self.period
                .checked_add(self.overlap)?
                .checked_add(EXPIRY_MARGIN)?,
        )
    }
}

/// Whether an instant has come: at the instant itself it has (a plan run exactly at
/// `next_rotation_at` rotates).
pub(crate) fn has_come(at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now >= at
}

fn add(t: OffsetDateTime, d: Duration) -> Option<OffsetDateTime> {
    t.checked_add(time::Duration::try_from(d).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const R: OffsetDateTime = datetime!(2030-01-01 00:00:00 UTC);
    const MS: time::Duration = time::Duration::milliseconds(1);

    fn schedule() -> Schedule {
        Schedule::parse("720h", "24h").expect("valid")
    }

    #[test]
    fn a_rotation_is_due_at_its_instant_and_not_a_millisecond_before() {
        let next = schedule().next_rotation(R).expect("in range");
        assert_eq!(next, datetime!(2030-01-31 00:00:00 UTC));
        assert!(!has_come(next, next - MS));
        assert!(has_come(next, next));
        assert!(has_come(next, next + MS));
    }

    #[test]
    fn the_previous_token_is_revoked_one_overlap_after_the_rotation() {
        let revoke = schedule().previous_revoke(R).expect("in range");
        assert_eq!(revoke, datetime!(2030-01-02 00:00:00 UTC));
        assert!(!has_come(revoke, revoke - MS));
        assert!(has_come(revoke, revoke));
    }

    #[test]
    fn a_token_expires_one_margin_after_its_hand_over_would_end() {
        let s = schedule();
        let expiry = s.expiry(R).expect("in range");
        assert_eq!(expiry, datetime!(2030-02-01 01:00:00 UTC));
        // Rotated exactly when due, the token stays valid through the whole overlap, and the
        // margin beyond it.
        let rotated_when_due = s.next_rotation(R).expect("in range");
        let revoked = s.previous_revoke(rotated_when_due).expect("in range");
        assert_eq!(expiry - revoked, time::Duration::hours(1));
        // Rotated a full margin late, it still covers the overlap to the millisecond.
        let late = rotated_when_due + time::Duration::hours(1);
        assert_eq!(s.previous_revoke(late), Some(expiry));
        assert!(!has_come(expiry, expiry - MS));
        assert!(has_come(expiry, expiry));
    }

    #[test]
    fn overlap_must_be_shorter_than_the_period() {
        assert!(Schedule::parse("24h", "23h59m59s").is_ok());
        assert_eq!(
            Schedule::parse("24h", "24h"),
            Err(ScheduleError::OverlapTooLong {
                overlap: "24h".into(),
                period: "24h".into()
            })
        );
        assert!(matches!(
            Schedule::parse("1d", "1h"),
            Err(ScheduleError::Period { .. })
        ));
        assert!(matches!(
            Schedule::parse("24h", "0s"),
            Err(ScheduleError::Overlap { .. })
        ));
        assert!(Schedule::parse("87840h", "1h").is_ok());
        assert_eq!(
            Schedule::parse("87841h", "1h"),
            Err(ScheduleError::PeriodTooLong)
        );
    }
}
