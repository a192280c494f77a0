//! `expires_in`: how long an ephemeral token may live. Every ephemeral token is created with an
//! expiry, so one whose Close never runs (a killed run, a lost connection) stops working on its
//! own; the bounds keep that window short.

use std::time::Duration;

use time::OffsetDateTime;

use crate::framework::Diagnostics;
use crate::model::duration::parse_duration;
use crate::tokens::ephemeral::model::{EXPIRES_IN, EphemeralTokenValue};
use crate::value::{AttributePath, Value};

/// The lifetime when `expires_in` is not set.
pub const DEFAULT: &str = "1h";

/// The shortest lifetime accepted: a run needs time to use the token.
pub(super) const MIN: Duration = Duration::from_secs(60);

/// The longest lifetime accepted, so a forgotten token cannot outlive a working day.
pub const MAX: Duration = Duration::from_secs(24 * 60 * 60);

/// `expires_in` of a configuration, or [`DEFAULT`] when null. `None` while unknown.
pub(super) fn configured(config: &Value) -> Option<&str> {
    match EphemeralTokenValue(config).expires_in() {
        Value::Null => Some(DEFAULT),
        v => v.as_str(),
    }
}

/// The lifetime `text` asks for, or what is wrong with it (a sentence fragment).
pub(super) fn parse(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text).map_err(str::to_owned)?;
    if d < MIN {
        return Err("is shorter than one minute (1m)".to_owned());
    }
    if d > MAX {
        return Err("is longer than the maximum of 24h".to_owned());
    }
    Ok(d)
}

/// Reports a known `expires_in` that is not a duration within bounds.
pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    if let Some(text) = EphemeralTokenValue(config).expires_in().as_str()
        && let Err(problem) = parse(text)
    {
        diags.attr_error(
            AttributePath::attr(EXPIRES_IN),
            "Invalid Token Lifetime",
            format!(
                "expires_in {text:?} {problem}. Write a duration from 1m to 24h, such as \
                 \"30m\", \"2h\" or \"1h30m\"; without it the token lives {DEFAULT}."
            ),
        );
    }
}

/// When a token created now with this lifetime expires, to the whole second (the API and
/// `influxctl` show seconds).
pub(super) fn expiry(now: OffsetDateTime, lifetime: Duration) -> OffsetDateTime {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now + lifetime
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn config(v: Value) -> Value {
        Value::Object(BTreeMap::from([(EXPIRES_IN.to_owned(), v)]))
    }

    #[test]
    fn bounds_are_enforced_and_named() {
        assert_eq!(parse("1m"), Ok(MIN));
        assert_eq!(parse("24h"), Ok(MAX));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert!(parse("59s").is_err_and(|e| e.contains("one minute")));
        assert!(parse("25h").is_err_and(|e| e.contains("24h")));
        assert!(parse("soon").is_err());
    }

    #[test]
    fn null_means_the_default_and_unknown_is_not_judged() {
        assert_eq!(configured(&config(Value::Null)), Some(DEFAULT));
        assert_eq!(configured(&config(Value::Unknown)), None);
        let mut d = Diagnostics::new();
        validate(&config(Value::Unknown), &mut d);
        validate(&config(Value::Null), &mut d);
        assert!(d.is_empty());
        validate(&config(Value::from("2d")), &mut d);
        let paths: Vec<_> = d.iter().filter_map(|x| x.path.clone()).collect();
        assert_eq!(paths, [AttributePath::attr(EXPIRES_IN)]);
    }

    #[test]
    fn expiry_is_whole_seconds_after_now() {
        let now = time::macros::datetime!(2030-01-01 00:00:00.75 UTC);
        assert_eq!(
            expiry(now, Duration::from_secs(3600)),
            time::macros::datetime!(2030-01-01 01:00:00 UTC)
        );
    }
}
