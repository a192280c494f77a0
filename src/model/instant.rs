//! RFC 3339 timestamps in state (`expires_at`, `created_at`, `revoked_at`): written in UTC,
//! compared as instants, so a respelling (offset, fractional
//! digits) or the API's precision never shows as a change.

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::value::Value;

/// Instants closer than this are the same (the API keeps at least millisecond precision).
const TOLERANCE: Duration = Duration::milliseconds(1);

/// Parses RFC 3339 text into UTC.
pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .ok()
        .and_then(|t| t.checked_to_offset(UtcOffset::UTC))
}

/// Formats as RFC 3339 in UTC; `None` for an instant RFC 3339 cannot express.
pub(crate) fn format(t: OffsetDateTime) -> Option<String> {
    t.to_offset(UtcOffset::UTC).format(&Rfc3339).ok()
}

/// An instant as an RFC 3339 state value in UTC, or null when absent.
pub(crate) fn timestamp_value(t: Option<OffsetDateTime>) -> Value {
    t.and_then(format).map_or(Value::Null, Value::String)
}

/// Whether two instants are the same, within the API's precision.
pub(crate) fn close(a: OffsetDateTime, b: OffsetDateTime) -> bool {
    (a - b).abs() < TOLERANCE
}

/// The attribute's semantic equality: both values are RFC 3339 strings of the same instant.
/// Text that does not parse is compared as text.
pub(crate) fn same_instant(a: &Value, b: &Value) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => match (parse(x), parse(y)) {
            (Some(p), Some(q)) => close(p, q),
            _ => x == y,
        },
        _ => a == b,
    }
}

/// The state value for an instant the API returned: `known`'s spelling when it names the same
/// instant (so a refresh never rewrites what the user or the state wrote), else the API's.
pub(crate) fn keep_spelling(known: &Value, api: Option<OffsetDateTime>) -> Value {
    let Some(api) = api else {
        return Value::Null;
    };
    if let Some(k) = known.as_str().and_then(parse)
        && close(k, api)
    {
        return known.clone();
    }
    timestamp_value(Some(api))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.to_owned())
    }

    #[test]
    fn respellings_and_precision_are_the_same_instant() {
        assert!(same_instant(
            &s("2030-01-01T01:00:00+01:00"),
            &s("2030-01-01T00:00:00.000Z")
        ));
        assert!(same_instant(
            &s("2030-01-01T00:00:00.000123Z"),
            &s("2030-01-01T00:00:00Z")
        ));
        assert!(!same_instant(
            &s("2030-01-01T00:00:01Z"),
            &s("2030-01-01T00:00:00Z")
        ));
    }

    #[test]
    fn keep_spelling_prefers_the_known_text_for_the_same_instant() {
        let api = parse("2030-01-01T00:00:00.000Z");
        let known = s("2030-01-01T01:00:00+01:00");
        assert_eq!(keep_spelling(&known, api), known);
        assert_eq!(
            keep_spelling(&s("2031-01-01T00:00:00Z"), api),
            s("2030-01-01T00:00:00Z")
        );
        assert_eq!(keep_spelling(&known, None), Value::Null);
    }
}
