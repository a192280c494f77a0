//! Durations written Go-style (`30s`, `1500ms`, `1m30s`, or bare seconds), as the provider
//! block's timeouts and the ephemeral token's `expires_in` take them. One parser, so both accept
//! and reject the same spellings with the same words.

use std::time::Duration;

/// Parses `30s`, `1500ms`, `2m`, `1h`, `1m30s`; also a bare number of seconds.
pub(crate) fn parse_duration(v: &str) -> Result<Duration, &'static str> {
    let v = v.trim();
    if v.is_empty() {
        return Err("is empty");
    }
    // A bare number is seconds. It goes through the zero check too: otherwise `"0"` passed
    // validate and failed only when the client was built, with a vaguer message.
    let total = match v.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => sum_of_terms(v)?,
    };
    if total.is_zero() {
        return Err("must be longer than zero");
    }
    Ok(total)
}

/// Adds up `<whole number><unit>` terms, as in `1m30s`.
fn sum_of_terms(v: &str) -> Result<Duration, &'static str> {
    let mut total = Duration::ZERO;
    let mut rest = v;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err("is not a duration");
        }
        // `1.5s` has a known unit: "unknown unit" would send the user looking at the `s`.
        if rest[digits..].starts_with(['.', ',']) {
            return Err("must use whole numbers (write 1500ms, not 1.5s)");
        }
        let amount: u64 = rest[..digits].parse().map_err(|_| "is not a duration")?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let step = match unit {
            "ms" => Duration::from_millis(amount),
            "s" => Duration::from_secs(amount),
            "m" => Duration::from_secs(amount.saturating_mul(60)),
            "h" => Duration::from_secs(amount.saturating_mul(3600)),
            _ => return Err("has an unknown unit (use ms, s, m or h)"),
        };
        total = total.saturating_add(step);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_go_style() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1500ms"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert!(parse_duration("0s").is_err());
        assert_eq!(parse_duration("0"), Err("must be longer than zero"));
        assert!(parse_duration("1.5s").is_err_and(|e| e.contains("whole numbers")));
        assert!(parse_duration("5 parsecs").is_err());
    }
}
