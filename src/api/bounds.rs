//! Limits on what one entry of an answer may expand into.
//!
//! Bytes alone do not bound memory: a list of tiny entries decodes into far more memory than
//! its text. So the bounds are per entry, where a hostile answer cannot hide behind a large
//! valid cluster: a token may have at most [`MAX_PERMISSIONS_PER_TOKEN`] permissions, and a
//! list entry at most `list_stream::MAX_ENTRY_BYTES` of text. How many entries a list has is
//! not limited: lists are read while they arrive and only what an operation needs is kept
//! (see `list_stream` and `list_trust`), so a cluster of any size can be read, within a byte
//! budget far above any plausible one (`list_stream::MAX_LIST_BYTES`). A cluster has at most
//! a few hundred databases, so a token granting read and write on each has about a thousand
//! permissions; the API's specification states no limits of its own.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

/// Most permissions one token may have in an answer.
pub(super) const MAX_PERMISSIONS_PER_TOKEN: usize = 2_000;

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
                    "the answer has more than {} {}, the most this provider reads (no real \
                     token has that many: the answer was damaged or forged on its way)",
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
}
