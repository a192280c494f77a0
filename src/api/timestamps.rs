//! RFC 3339 timestamps on the wire (tests/data/openapi/cloud-dedicated-management.yml).
//!
//! Parsing accepts any fractional precision and any offset and normalises to UTC, so callers
//! can compare instants with `==`. An optional timestamp that is absent, `null` or the Unix
//! epoch (a protobuf zero value some tools print for "never") reads as `None`.

use serde::{Deserialize, Deserializer, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// Parses an RFC 3339 timestamp into a UTC `OffsetDateTime`.
pub(crate) fn parse(text: &str) -> Result<OffsetDateTime, time::error::Parse> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).map(|t| t.to_offset(UtcOffset::UTC))
}

/// Formats as RFC 3339 in UTC (`Z`), with fractional seconds only when there are any.
pub(crate) fn format(t: OffsetDateTime) -> Result<String, time::error::Format> {
    t.to_offset(UtcOffset::UTC).format(&Rfc3339)
}

/// Serde adapter for a required timestamp.
pub(crate) mod required {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text)
            .map_err(|e| serde::de::Error::custom(format!("invalid RFC 3339 timestamp: {e}")))
    }
}

/// Serde adapter for an optional timestamp (`#[serde(default, with = …)]`).
pub(crate) mod optional {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Ok(None),
            Some(text) => {
                let t = parse(&text).map_err(|e| {
                    serde::de::Error::custom(format!("invalid RFC 3339 timestamp: {e}"))
                })?;
                Ok((t != OffsetDateTime::UNIX_EPOCH).then_some(t))
            }
        }
    }

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(t) => s.serialize_str(&format(*t).map_err(serde::ser::Error::custom)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn parses_any_precision_and_offset() -> Result<(), time::error::Parse> {
        let base = datetime!(2023-12-21 17:32:28 UTC);
        assert_eq!(parse("2023-12-21T17:32:28Z")?, base);
        assert_eq!(parse("2023-12-21T17:32:28.000Z")?, base);
        assert_eq!(parse("2023-12-21T19:32:28+02:00")?, base);
        assert_eq!(
            parse("2023-12-21T17:32:28.123456789Z")?,
            datetime!(2023-12-21 17:32:28.123456789 UTC)
        );
        assert_eq!(
            parse("2023-12-21T17:32:28.5Z")?,
            datetime!(2023-12-21 17:32:28.5 UTC)
        );
        assert_eq!(
            parse("2023-12-21T17:32:28.123456Z")?.offset(),
            UtcOffset::UTC
        );
        Ok(())
    }

    #[test]
    fn formats_in_utc() -> Result<(), time::error::Format> {
        assert_eq!(
            format(datetime!(2030-01-01 00:00:00 +01:00))?,
            "2029-12-31T23:00:00Z"
        );
        Ok(())
    }
}
