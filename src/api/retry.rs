//! Retry policy (docs/design.md#decision-8-create-is-not-idempotent): which answers are worth another attempt, and how long to wait.

use std::time::Duration;

use rand::Rng;
use reqwest::StatusCode;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Backoff settings; see [`ClientConfig`](super::ClientConfig) for their meaning.
#[derive(Clone, Debug)]
pub(crate) struct RetryPolicy {
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

/// The statuses an idempotent call retries: the server refused without acting (429) or could
/// not handle the request now (500, 502, 503, 504). 501 and 505 say the server will never
/// handle it, so they are final. The docs name this list through [`RETRIED_STATUSES_TEXT`].
pub const RETRIED_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// [`RETRIED_STATUSES`] as the docs write it (a unit test keeps the two together).
pub const RETRIED_STATUSES_TEXT: &str = "429, 500, 502, 503 and 504";

/// A `Retry-After` is honoured up to this many times the backoff cap, so a server cannot
/// stall an apply for long with one header.
pub const RETRY_AFTER_CAP_FACTOR: u32 = 4;

impl RetryPolicy {
    /// Statuses an idempotent call retries. For a create, only 429 is retried (the server
    /// refused without acting); a 5xx may have acted, so it is reconciled instead.
    pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
        RETRIED_STATUSES.contains(&status.as_u16())
    }

    /// The wait before retry number `retry` (1 for the first retry): the server's
    /// `Retry-After` capped at 4× the max delay when given, else capped exponential backoff
    /// with full jitter, `random(0 ..= min(max, base·2^(retry-1)))`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay.saturating_mul(RETRY_AFTER_CAP_FACTOR));
        }
        let exp = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = self.base_delay.saturating_mul(exp).min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }
}

/// Reads a `Retry-After` value: delay-seconds or an HTTP date (RFC 9110 IMF-fixdate).
/// A date in the past means "now". Anything else is ignored.
pub(crate) fn parse_retry_after(value: &str, now: OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let format = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let at = PrimitiveDateTime::parse(value, &format).ok()?.assume_utc();
    let wait = at - now;
    Some(if wait.is_negative() {
        Duration::ZERO
    } else {
        wait.unsigned_abs()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
        }
    }

    #[test]
    fn backoff_is_jittered_exponential_and_capped() {
        let p = policy();
        for _ in 0..200 {
            assert!(p.delay(1, None) <= Duration::from_millis(100));
            assert!(p.delay(2, None) <= Duration::from_millis(200));
            assert!(p.delay(3, None) <= Duration::from_millis(400));
            assert!(p.delay(40, None) <= Duration::from_millis(400));
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_four_times_the_cap() {
        let p = policy();
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(1))),
            Duration::from_secs(1)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(60))),
            Duration::from_millis(1600)
        );
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        let now = datetime!(2015-10-21 07:28:00 UTC);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn exactly_the_listed_statuses_are_retried_and_the_docs_text_names_them() {
        let retried: Vec<u16> = (100..=599)
            .filter(|s| StatusCode::from_u16(*s).is_ok_and(RetryPolicy::is_retryable_status))
            .collect();
        assert_eq!(retried, RETRIED_STATUSES);
        for final_status in [400, 401, 403, 404, 409, 501, 505, 511] {
            assert!(!retried.contains(&final_status), "{final_status}");
        }
        let (last, rest) = RETRIED_STATUSES.split_last().expect("some");
        let rest: Vec<String> = rest.iter().map(u16::to_string).collect();
        assert_eq!(
            RETRIED_STATUSES_TEXT,
            format!("{} and {last}", rest.join(", "))
        );
    }
}
