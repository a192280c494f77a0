//! `retention_period` as people write it (`"30d"`, `"12h"`, `"1h30m"`, `"0"`, `"infinite"`),
//! converted to and from the API's nanoseconds (0 = keep data forever). A number without a
//! unit (`604800`) is nanoseconds, as the incumbent provider reads it; validate warns about it
//! (see [`super::retention_hint`]).

use crate::value::Value;

/// Units a duration may use, longest spelling first where one is a prefix of another.
const UNITS: &[(&str, u128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60 * 1_000_000_000),
    ("h", 3_600 * 1_000_000_000),
    ("d", 86_400 * 1_000_000_000),
    ("w", 7 * 86_400 * 1_000_000_000),
];

/// Units used when writing a duration back, largest first.
const FORMAT_UNITS: &[(&str, i64)] = &[
    ("d", 86_400 * 1_000_000_000),
    ("h", 3_600 * 1_000_000_000),
    ("m", 60 * 1_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("ns", 1),
];

/// Why a retention period cannot be used; the text completes "retention_period "…" …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RetentionError {
    /// Starts with `-`.
    Negative,
    /// Not a duration at all.
    Unparseable(String),
    /// A fraction finer than one nanosecond, e.g. `1.5ns`.
    SubNanosecond,
    /// More than the API's int64 nanoseconds (about 292 years).
    TooLong,
}

impl std::fmt::Display for RetentionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RetentionError::Negative => write!(f, "is negative"),
            RetentionError::Unparseable(why) => write!(f, "is not a duration: {why}"),
            RetentionError::SubNanosecond => {
                write!(f, "is not a whole number of nanoseconds")
            }
            RetentionError::TooLong => {
                write!(f, "is longer than the API accepts (about 292 years)")
            }
        }
    }
}

/// Parses a retention period into nanoseconds: `0` or `infinite` (any case) is 0; a whole
/// number without a unit is nanoseconds (the incumbent's spelling); otherwise one or more
/// `<number><unit>` terms (units `ns`, `us`, `ms`, `s`, `m`, `h`, `d`, `w`; numbers may have
/// a decimal fraction), e.g. `30d`, `1h30m`, `1.5h`.
pub(crate) fn parse(text: &str) -> Result<i64, RetentionError> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err(RetentionError::Negative);
    }
    if text == "0" || text.eq_ignore_ascii_case("infinite") {
        return Ok(0);
    }
    if let Some(ns) = unitless(text) {
        return ns;
    }
    if text.is_empty() {
        return Err(RetentionError::Unparseable("it is empty".into()));
    }
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let (term, tail) = term(rest)?;
        total = total
            .checked_add(term)
            .filter(|t| *t <= i64::MAX as u128)
            .ok_or(RetentionError::TooLong)?;
        rest = tail;
    }
    i64::try_from(total).map_err(|_| RetentionError::TooLong)
}

/// The nanoseconds of a whole number written without a unit (`None` for anything else).
pub(crate) fn unitless(text: &str) -> Option<Result<i64, RetentionError>> {
    let text = text.trim();
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<i64>().map_err(|_| RetentionError::TooLong))
}

/// Reads one `<number><unit>` term from the front of `text`.
fn term(text: &str) -> Result<(u128, &str), RetentionError> {
    let number_len = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, after) = text.split_at(number_len);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return Err(RetentionError::Unparseable(format!(
            "expected a number at {text:?}"
        )));
    }
    let Some((unit, scale)) = UNITS
        .iter()
        .filter(|(u, _)| after.starts_with(u))
        .max_by_key(|(u, _)| u.len())
    else {
        return Err(RetentionError::Unparseable(format!(
            "{number:?} needs a unit (ns, us, ms, s, m, h, d or w), as in \"30d\""
        )));
    };
    let too_long = |_| RetentionError::TooLong;
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(too_long)?
    };
    let mut ns = whole.checked_mul(*scale).ok_or(RetentionError::TooLong)?;
    if !fraction.is_empty() {
        let digits = fraction.trim_end_matches('0');
        if digits.len() > 30 {
            return Err(RetentionError::SubNanosecond);
        }
        let denominator = 10u128.pow(u32::try_from(digits.len()).unwrap_or(0));
        let numerator: u128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(too_long)?
        };
        let scaled = numerator
            .checked_mul(*scale)
            .ok_or(RetentionError::TooLong)?;
        if scaled % denominator != 0 {
            return Err(RetentionError::SubNanosecond);
        }
        ns = ns
            .checked_add(scaled / denominator)
            .ok_or(RetentionError::TooLong)?;
    }
    Ok((ns, &after[unit.len()..]))
}

/// Writes nanoseconds the way [`parse`] reads them, largest units first: `0`, `30d`, `1h30m`.
pub(crate) fn format(ns: i64) -> String {
    if ns <= 0 {
        return "0".to_owned();
    }
    let mut rest = ns;
    let mut out = String::new();
    for (unit, scale) in FORMAT_UNITS {
        let count = rest / scale;
        if count > 0 {
            out.push_str(&format!("{count}{unit}"));
            rest -= count * scale;
        }
    }
    out
}

/// Whether two `retention_period` values mean the same duration (`"720h"` and `"30d"`).
/// Values that do not parse are equal only when spelled alike.
pub(crate) fn same_duration(a: &Value, b: &Value) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => match (parse(x), parse(y)) {
            (Ok(x), Ok(y)) => x == y,
            _ => x == y,
        },
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000_000_000;

    #[test]
    fn readable_durations_become_nanoseconds() {
        for (text, ns) in [
            ("0", 0),
            ("infinite", 0),
            ("Infinite", 0),
            ("30d", 720 * HOUR),
            ("12h", 12 * HOUR),
            ("1h30m", 3 * HOUR / 2),
            ("1.5h", 3 * HOUR / 2),
            ("2w", 336 * HOUR),
            ("1s500ms", 1_500_000_000),
            ("250us", 250_000),
            ("1ns", 1),
            (".5s", 500_000_000),
            ("604800", 604_800),
            (" 3600000000000 ", HOUR),
        ] {
            assert_eq!(parse(text), Ok(ns), "{text}");
        }
    }

    #[test]
    fn bad_durations_say_why() {
        assert_eq!(parse("-1h"), Err(RetentionError::Negative));
        assert_eq!(parse("1.5ns"), Err(RetentionError::SubNanosecond));
        assert_eq!(parse("300000d"), Err(RetentionError::TooLong));
        assert_eq!(parse("9223372036854775808"), Err(RetentionError::TooLong));
        for text in ["", "30.5", "abc", "1x", "1..5h", "h", "+30"] {
            assert!(
                matches!(parse(text), Err(RetentionError::Unparseable(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn nanoseconds_are_written_back_readably() {
        assert_eq!(format(0), "0");
        assert_eq!(format(720 * HOUR), "30d");
        assert_eq!(format(3 * HOUR / 2), "1h30m");
        assert_eq!(format(1_500_000_001), "1s500ms1ns");
        for ns in [1, 59_999_999_999, 720 * HOUR + 1, i64::MAX] {
            assert_eq!(parse(&format(ns)), Ok(ns));
        }
    }

    #[test]
    fn spellings_of_one_duration_are_the_same() {
        let s = |t: &str| Value::String(t.to_owned());
        assert!(same_duration(&s("30d"), &s("720h")));
        assert!(same_duration(&s("0"), &s("infinite")));
        assert!(same_duration(&s("7d"), &s("604800000000000")));
        assert!(!same_duration(&s("7d"), &s("604800")));
        assert!(!same_duration(&s("30d"), &s("31d")));
        assert!(!same_duration(&s("bad"), &s("worse")));
    }
}
