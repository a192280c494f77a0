//! Receipts: how the provider knows which token a create made
//! (docs/design.md#decision-8-create-is-not-idempotent).
//!
//! The API has no idempotency key and no uniqueness rule, and a token's list entry says
//! nothing about which request made it: two configurations may create identical tokens (same
//! description, permissions, expiry) at the same moment. So every create carries a receipt, a
//! random value unique to that create, at the end of the description it sends. A token whose
//! description carries the receipt was made by that create and by nothing else; a token
//! without it is never this create's, however alike it looks.
//!
//! The receipt is 128 random bits, so no other create (of this or any other configuration)
//! can carry the same one. It is not a secret: it proves nothing to anyone but the process
//! that made it, and it leaves the description once the create is settled.

use rand::RngCore;

/// Opens the receipt at the end of a description.
const OPEN: &str = " [tf-receipt:";
/// Closes it.
const CLOSE: &str = "]";
/// Hex digits of the random part.
const DIGITS: usize = 32;

/// The receipt of one create: every send of that create carries the same one, so a token any
/// of them made is found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt(String);

impl Receipt {
    /// A fresh receipt from the operating system's random source.
    pub fn new() -> Self {
        let mut bytes = [0u8; DIGITS / 2];
        rand::rng().fill_bytes(&mut bytes);
        Receipt(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// A receipt from its text (as [`Receipt::as_str`] gives it), e.g. one a state kept.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == DIGITS && text.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Receipt(text.to_ascii_lowercase()))
    }

    /// The receipt's text, as the description carries it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `description` with this receipt at its end: what the create sends.
    pub fn stamp(&self, description: &str) -> String {
        format!("{description}{OPEN}{}{CLOSE}", self.0)
    }

    /// Whether `description` carries this receipt.
    pub fn is_on(&self, description: &str) -> bool {
        found_in(description).is_some_and(|(_, receipt)| receipt.eq_ignore_ascii_case(&self.0))
    }
}

impl Default for Receipt {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A receipt a description carries at its end, as `(description without it, receipt)`. A
/// token still carrying one was made by a create that did not finish (its run was interrupted
/// or its answer lost); only that run can tell whether the token is its own.
pub fn found_in(description: &str) -> Option<(&str, &str)> {
    let body = description.strip_suffix(CLOSE)?;
    let at = body.rfind(OPEN)?;
    let receipt = &body[at + OPEN.len()..];
    Receipt::parse(receipt).map(|_| (&description[..at], receipt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamped_description_carries_its_receipt_and_no_other() {
        let mine = Receipt::new();
        let theirs = Receipt::new();
        assert_ne!(mine, theirs, "two receipts are never equal");
        let sent = mine.stamp("ci writer");
        assert!(mine.is_on(&sent));
        assert!(!theirs.is_on(&sent));
        assert!(!mine.is_on("ci writer"));
        assert_eq!(found_in(&sent), Some(("ci writer", mine.as_str())));
    }

    #[test]
    fn only_a_whole_receipt_at_the_end_counts() {
        let r = Receipt::new();
        assert_eq!(found_in("plain"), None);
        assert_eq!(found_in(&format!("{} and more", r.stamp("x"))), None);
        assert_eq!(found_in("x [tf-receipt:abc]"), None, "too short");
        let not_hex = format!("x [tf-receipt:{}]", "z".repeat(DIGITS));
        assert_eq!(found_in(&not_hex), None);
        // A description may itself end in something receipt-like; the last one counts.
        let twice = r.stamp(&Receipt::new().stamp("x"));
        assert!(r.is_on(&twice));
    }
}
