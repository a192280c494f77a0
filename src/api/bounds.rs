//! Limits on what one response may expand into.
//!
//! The body cap ([`super::http::MAX_BODY_BYTES`], 16 MiB) bounds bytes, not objects: a list of
//! tiny entries decodes into far more memory than its text, and every entry becomes a value
//! in Terraform's state too. So a response is also refused, with a clear error, when it holds
//! more entries than any real cluster has. The limits are far above real use (a cluster has at
//! most a few hundred databases, so a token granting read and write on each has about a
//! thousand permissions); the API's specification states no limits of its own.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

/// Most permissions one token may have in an answer.
pub(super) const MAX_PERMISSIONS_PER_TOKEN: usize = 2_000;
/// Most tokens one token list may hold.
pub(super) const MAX_TOKENS_PER_LIST: usize = 10_000;
/// Most permissions all the tokens of one list may hold together.
pub(super) const MAX_PERMISSIONS_PER_LIST: usize = 100_000;
/// Most databases one database list may hold.
pub(super) const MAX_DATABASES_PER_LIST: usize = 10_000;

/// A JSON array of at most `MAX` entries; decoding stops at the first entry past the limit.
pub(crate) struct BoundedList<T, const MAX: usize>(pub Vec<T>);

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for BoundedList<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(Bounded {
            max: MAX,
            what: "entries in one list",
            item: PhantomData,
        })
        .map(BoundedList)
    }
}

/// `deserialize_with` for a token's `permissions`: at most [`MAX_PERMISSIONS_PER_TOKEN`].
/// Generic over the element so this module does not depend on the models that use it.
pub(crate) fn permissions<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    d.deserialize_seq(Bounded {
        max: MAX_PERMISSIONS_PER_TOKEN,
        what: "permissions in one token",
        item: PhantomData,
    })
}

/// `deserialize_with` for a permission's `action` and `resource`: present and non-empty (a
/// permission without them is malformed, never a default).
pub(crate) fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.is_empty() {
        return Err(de::Error::invalid_value(
            de::Unexpected::Str(""),
            &"a non-empty string",
        ));
    }
    Ok(s)
}

struct Bounded<T> {
    max: usize,
    what: &'static str,
    item: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Bounded<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of at most {} {}", self.max, self.what)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(item) = seq.next_element()? {
            if out.len() == self.max {
                return Err(de::Error::custom(format!(
                    "the answer has more than {} {}, the most this provider accepts; the server \
                     or something between it and the provider is misbehaving",
                    self.max, self.what
                )));
            }
            out.push(item);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{DatabaseToken, Permission};

    fn token_with(permissions: &str) -> String {
        format!(
            r#"{{"id":"t","accountId":"a","clusterId":"c","description":"d",
                "createdAt":"2024-01-01T00:00:00Z","permissions":[{permissions}]}}"#
        )
    }

    #[test]
    fn a_permission_without_action_or_resource_is_malformed() {
        for bad in [
            "{}",
            r#"{"action":"read"}"#,
            r#"{"resource":"db"}"#,
            r#"{"action":"","resource":"db"}"#,
        ] {
            let r = serde_json::from_str::<DatabaseToken>(&token_with(bad));
            assert!(r.is_err(), "{bad} was accepted");
        }
        let ok = serde_json::from_str::<DatabaseToken>(&token_with(
            r#"{"action":"read","resource":"db"}"#,
        ));
        assert!(ok.is_ok_and(|t| t.permissions == [Permission::new("read", "db")]));
    }

    #[test]
    fn a_token_may_have_up_to_the_limit_of_permissions_and_not_one_more() {
        let one = r#"{"action":"read","resource":"db"}"#;
        let at_limit = vec![one; MAX_PERMISSIONS_PER_TOKEN].join(",");
        let parsed = serde_json::from_str::<DatabaseToken>(&token_with(&at_limit));
        assert!(parsed.is_ok_and(|t| t.permissions.len() == MAX_PERMISSIONS_PER_TOKEN));
        let over = format!("{at_limit},{one}");
        let err = serde_json::from_str::<DatabaseToken>(&token_with(&over))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("more than 2000 permissions in one token"),
            "{err}"
        );
    }

    #[test]
    fn a_list_may_hold_up_to_its_limit() {
        let ok = serde_json::from_str::<BoundedList<u8, 3>>("[1,2,3]");
        assert!(ok.is_ok_and(|l| l.0 == [1, 2, 3]));
        let err = serde_json::from_str::<BoundedList<u8, 3>>("[1,2,3,4]")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("more than 3 entries in one list"), "{err}");
    }
}
