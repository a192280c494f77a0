//! The request log entry served by `GET /__mock/requests` and [`crate::mock::MockServer::requests`].

use serde::{Deserialize, Serialize};

/// One API request the mock answered (control requests under `/__mock/` are not logged).
///
/// Entries are appended when the answer is decided, so concurrent requests appear in the order
/// they finished. Requests answered by an injected fault are logged with the fault's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The request path without the query string, as sent (still percent-encoded).
    pub path: String,
    /// The status sent back; `0` when `drop_response_after_commit` closed the connection
    /// instead of answering (the change was applied, the client saw a transport error).
    pub status: u16,
    /// When the mock received the request: RFC 3339, UTC, milliseconds, `Z`.
    pub at: String,
}
