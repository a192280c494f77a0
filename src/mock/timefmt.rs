//! Timestamps on the wire: parsing RFC 3339 input and the two output styles the mock emits.
//!
//! Formatting is written out by hand from the date/time components so that it cannot fail;
//! parsing refuses instants whose UTC form would fall outside years 0000–9999 (not expressible
//! in RFC 3339), so every stored instant can be formatted.

use std::sync::OnceLock;

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use tokio::time::Instant;

/// The current instant, truncated to whole milliseconds (the precision of `createdAt` and
/// `revokedAt`), so stored and shown values agree. It is the wall time first read, moved on by
/// tokio's clock since then, so a test on paused tokio time moves the mock's time (list lag,
/// undelete windows) by advancing it, without waiting.
pub(crate) fn now_millis() -> OffsetDateTime {
    // The origin is read on the real clock, whichever runtime reads it first, so a paused
    // runtime cannot skew the mock's time in the others.
    static ORIGIN: OnceLock<(OffsetDateTime, std::time::Instant)> = OnceLock::new();
    let (wall, at) = *ORIGIN.get_or_init(|| (OffsetDateTime::now_utc(), std::time::Instant::now()));
    let (tick, at) = (Instant::now(), Instant::from_std(at));
    // A paused test runtime that started before the origin was read stands before `at`.
    let now = match tick.checked_duration_since(at) {
        Some(since) => wall + since,
        None => wall - at.saturating_duration_since(tick),
    };
    let millis = now.millisecond();
    now.replace_millisecond(millis).unwrap_or(now)
}

/// Parses an RFC 3339 timestamp with any number of fractional digits and any offset, and
/// returns it in UTC. `None` when the text is not RFC 3339 or the UTC year is out of range.
/// The date/time separator must be `T` (or `t`): the space that RFC 3339 mentions as a
/// readability option is refused, as JSON Schema's `date-time` format refuses it.
pub(crate) fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't')) {
        return None;
    }
    let parsed = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    let utc = parsed.checked_to_offset(UtcOffset::UTC)?;
    (0..=9999).contains(&utc.year()).then_some(utc)
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the style of the spec's examples (`createdAt`, `revokedAt`, the
/// request log).
pub(crate) fn format_millis(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    )
}

/// RFC 3339 in UTC with `Z`, fractional seconds only when non-zero and without trailing zeros
/// (how a user-supplied `expiresAt` is echoed after normalisation).
pub(crate) fn format_rfc3339_utc(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    let nanos = utc.nanosecond();
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    text.push('Z');
    text
}
