//! A string that must never be printed: the management token and database access tokens.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A secret string (a management token or a database token's access token).
///
/// `Debug` and `Display` print `<redacted>`, so a `Secret` can sit inside any struct that derives
/// `Debug` or ends up in an error message without leaking. The only way to read the value is
/// [`Secret::expose`]; call it only where the value is sent (an `Authorization` header) or stored
/// (Terraform state, as a sensitive attribute).
///
/// `Secret` deliberately does not implement `Serialize`: serialising one has to be an explicit
/// `expose()` at the call site. On drop the bytes are overwritten (best effort: copies made by
/// the allocator or by callers of `expose` are out of its reach).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Never log or format it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty (an unset token).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Secret::new("apiv1_supersecret");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(s.expose(), "apiv1_supersecret");
    }

    #[test]
    fn deserializes_from_a_json_string() -> Result<(), serde_json::Error> {
        let s: Secret = serde_json::from_str("\"abc\"")?;
        assert_eq!(s.expose(), "abc");
        Ok(())
    }
}
