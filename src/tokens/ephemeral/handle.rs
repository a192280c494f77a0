//! The `private` bytes of an open ephemeral token: all Close receives, so they name the token
//! and the cluster it lives in (never its access token). Terraform keeps them in memory for the
//! run only.

use serde::{Deserialize, Serialize};

use crate::api::Cluster;

/// Format version of the bytes, so a later provider can tell an older layout.
const VERSION: u32 = 1;

/// Which token Close revokes, and when it dies on its own if Close cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenHandle {
    v: u32,
    /// The account of the token.
    pub account_id: String,
    /// The cluster of the token.
    pub cluster_id: String,
    /// The token id.
    pub id: String,
    /// Its expiry (RFC 3339), for messages.
    pub expires_at: String,
}

/// Bytes that are not a handle this provider wrote.
#[derive(Debug, thiserror::Error)]
#[error("the ephemeral token handle Terraform sent back is not one this provider wrote: {0}")]
pub struct HandleError(#[from] serde_json::Error);

impl TokenHandle {
    /// A handle for token `id` of `cluster`.
    pub fn new(cluster: &Cluster, id: &str, expires_at: &str) -> Self {
        TokenHandle {
            v: VERSION,
            account_id: cluster.account_id.clone(),
            cluster_id: cluster.cluster_id.clone(),
            id: id.to_owned(),
            expires_at: expires_at.to_owned(),
        }
    }

    /// The cluster the token lives in.
    pub fn cluster(&self) -> Cluster {
        Cluster::new(&self.account_id, &self.cluster_id)
    }

    /// The bytes for Terraform.
    pub fn encode(&self) -> Vec<u8> {
        // Serializing plain strings into JSON cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads bytes [`TokenHandle::encode`] wrote.
    pub fn decode(bytes: &[u8]) -> Result<Self, HandleError> {
        Ok(serde_json::from_slice(bytes)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_survives_the_round_trip_and_garbage_is_refused() {
        let h = TokenHandle::new(&Cluster::new("a", "c"), "t", "2030-01-01T00:00:00Z");
        let back = TokenHandle::decode(&h.encode()).expect("decode");
        assert_eq!(back, h);
        assert_eq!(back.cluster(), Cluster::new("a", "c"));
        assert!(TokenHandle::decode(b"").is_err());
        assert!(TokenHandle::decode(br#"{"id":"t"}"#).is_err());
    }
}
