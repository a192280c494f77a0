//! The warning for a `retention_period` written the incumbent's way, as a number without a
//! unit. It is read as nanoseconds (what the API and the incumbent take), which is rarely what
//! was meant: the incumbent's own example, `604800`, is 604.8µs, where 604800 seconds is 7 days.
//! So the warning shows the duration readably and, when the number reads better in a larger
//! unit, suggests that reading.

use super::retention::{self, format};

const MINUTE_NS: i64 = 60_000_000_000;

/// Units for showing a duration as one decimal number, largest first.
const READABLE_UNITS: &[(&str, i64)] = &[
    ("d", 86_400_000_000_000),
    ("h", 3_600_000_000_000),
    ("m", MINUTE_NS),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("µs", 1_000),
    ("ns", 1),
];

/// The longest retention a guess may suggest (10 years): a reading beyond it is not what the
/// number meant.
const PLAUSIBLE_NS: i64 = 3650 * 86_400_000_000_000;

/// Units a unitless number was likely meant in, tried in this order.
const LIKELY_UNITS: &[(&str, i64)] = &[
    ("seconds", 1_000_000_000),
    ("milliseconds", 1_000_000),
    ("microseconds", 1_000),
];

/// `ns` as one number in the largest unit it fills, with at most three decimals:
/// `604.8µs`, `1.5h`, `7d`; "about" when rounded.
pub(crate) fn readable(ns: i64) -> String {
    let Some((unit, scale)) = READABLE_UNITS.iter().find(|(_, s)| ns >= *s) else {
        return "0 (infinite)".to_owned();
    };
    let thousandths = (i128::from(ns) * 1000 + i128::from(*scale) / 2) / i128::from(*scale);
    let exact = (i128::from(ns) * 1000) % i128::from(*scale) == 0;
    let whole = thousandths / 1000;
    let fraction = format!("{:03}", thousandths % 1000);
    let fraction = fraction.trim_end_matches('0');
    let number = if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    };
    let about = if exact { "" } else { "about " };
    format!("{about}{number}{unit}")
}

/// The warning's detail for a configured `retention_period` text, or `None` when the text has
/// a unit, is `0`, or is not a number that fits (validate reports those).
pub(crate) fn unitless_warning(text: &str) -> Option<String> {
    let ns = retention::unitless(text)?.ok().filter(|ns| *ns > 0)?;
    let number = text.trim();
    let shown = format!("{number} ns = {}", readable(ns));
    // A whole number of minutes in nanoseconds was meant as nanoseconds.
    if ns % MINUTE_NS == 0 {
        let ours = format(ns);
        return Some(format!(
            "retention_period {number:?} has no unit, so it is read as nanoseconds, as the \
             incumbent provider reads it: {shown}. Write it as \"{ours}\" to say so."
        ));
    }
    let guess = LIKELY_UNITS.iter().find_map(|(name, scale)| {
        let meant = ns.checked_mul(*scale)?;
        (meant % MINUTE_NS == 0 && meant <= PLAUSIBLE_NS).then(|| (format(meant), *name))
    });
    Some(match guess {
        Some((meant, unit)) => format!(
            "retention_period {number:?} has no unit, so it is read as nanoseconds, as the \
             incumbent provider reads it: {shown}; did you mean {meant}? ({number} {unit}). \
             Write retention_period = \"{meant}\" for that, or \"{number}ns\" to keep \
             {} without this warning.",
            readable(ns)
        ),
        None => format!(
            "retention_period {number:?} has no unit, so it is read as nanoseconds, as the \
             incumbent provider reads it: {shown}. Write it with a unit (\"{number}ns\", or a \
             duration such as \"30d\") to say what you mean."
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_one_number() {
        assert_eq!(readable(604_800), "604.8µs");
        assert_eq!(readable(604_800_000_000_000), "7d");
        assert_eq!(readable(5_400_000_000_000), "1.5h");
        assert_eq!(readable(1), "1ns");
        assert_eq!(readable(1_000_001), "about 1ms");
        assert_eq!(readable(1_234_567), "about 1.235ms");
    }

    #[test]
    fn the_incumbent_example_suggests_seven_days() {
        let w = unitless_warning("604800").unwrap_or_default();
        assert!(w.contains("604800 ns = 604.8µs; did you mean 7d?"), "{w}");
        assert!(w.contains("604800 seconds"), "{w}");
        assert!(w.contains("\"604800ns\""), "{w}");
    }

    #[test]
    fn other_numbers_get_the_likely_unit_or_none() {
        let w = unitless_warning("2592000000").unwrap_or_default();
        assert!(
            w.contains("did you mean 30d? (2592000000 milliseconds)"),
            "{w}"
        );
        let w = unitless_warning("604800000000000").unwrap_or_default();
        assert!(
            w.contains("= 7d") && w.contains("\"7d\"") && !w.contains("did you"),
            "{w}"
        );
        let w = unitless_warning("1234").unwrap_or_default();
        assert!(
            w.contains("1234 ns = 1.234µs") && !w.contains("did you"),
            "{w}"
        );
        for text in ["0", "7d", "604800ns", "abc", "99999999999999999999"] {
            assert_eq!(unitless_warning(text), None, "{text}");
        }
    }
}
