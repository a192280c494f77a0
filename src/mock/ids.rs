//! Identifiers and secrets: strict UUID parsing for path ids, random token strings.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use uuid::Uuid;

/// Parses a UUID in the hyphenated 8-4-4-4-12 form only (the spec's `format: uuid`); the
/// braced, URN and bare-hex forms that `uuid` also accepts are refused. Hex case is free.
pub(crate) fn parse_uuid(text: &str) -> Option<Uuid> {
    if text.len() != 36 {
        return None;
    }
    Uuid::try_parse(text).ok()
}

/// A database token secret: `apiv1_` followed by 86 URL-safe base64 characters (no padding)
/// of 64 random bytes (512 bits, as the security reference describes).
pub(crate) fn access_token() -> String {
    format!("apiv1_{}", random_base64::<64>())
}

/// A random management token for a mock started without one.
pub(crate) fn management_token() -> String {
    format!("mock_mgmt_{}", random_base64::<32>())
}

fn random_base64<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    rand::rng().fill(&mut bytes[..]);
    URL_SAFE_NO_PAD.encode(bytes)
}
