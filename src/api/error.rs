//! The client's error type, and how an HTTP error response becomes one.
//!
//! Every message says what happened and what to check. None contains the management token or
//! an access token: error bodies are cut to a short excerpt with the management token masked,
//! a server's text that looks like it quotes any token (by shape, see `redact`) is not quoted
//! at all, and bodies of successful token creates (which hold the access token) are never
//! quoted.

use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

use super::models::{Cluster, DatabaseToken};
use super::redact::looks_secret;

/// Longest server message or body excerpt quoted in an error.
const DETAIL_MAX_CHARS: usize = 200;

/// What an ambiguous create was creating (for [`ApiError::CreateUnconfirmed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateKind {
    /// A database token.
    Token,
    /// A database.
    Database,
}

/// What the look-up after an unanswered create established (see [`ApiError::CreateUnconfirmed`]).
#[derive(Clone, Debug)]
pub enum Unsettled {
    /// Nothing was made: the last list, complete and read after the list lag the client
    /// tolerates, had no live token carrying the receipt (or no database of that name).
    NotMade,
    /// The create made these tokens (they carried its receipt), their secrets were in lost
    /// answers, and they were revoked; the create was sent as often as it may be.
    Revoked {
        /// The revoked tokens' ids.
        ids: Vec<String>,
    },
    /// The create made this token (it carries the receipt), its secret was in the lost answer,
    /// and revoking it so it could be made again failed. The caller keeps it as tainted state,
    /// so the next apply revokes it and creates a new one.
    Made {
        /// The token, as the list showed it.
        token: Box<DatabaseToken>,
        /// Why it could not be revoked.
        revoke_error: Box<ApiError>,
    },
    /// Whether anything was made cannot be told yet: the list failed (`lookup_error`) or left
    /// out entries it could not trust (`lookup_error` is `None`). A later look-up for the
    /// receipt settles it.
    Unknown {
        /// The list's failure, when it failed.
        lookup_error: Option<Box<ApiError>>,
    },
}

/// A failed Management API call.
///
/// Match on the variant (or use the `is_*` helpers) to decide what to do; show `Display` to
/// the user. Fields named `op` describe the call, e.g. `list tokens of cluster C (account A)`.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// HTTP 404. The object is gone, or the account/cluster in the path does not exist (the
    /// API does not say which), or the endpoint lacks the API's base path: a user who writes
    /// `https://console.influxdata.com` gets 404 on every call with correct ids.
    #[error(
        "{what} was not found (HTTP 404: {detail}); if every request fails this way, check that \
         account_id and cluster_id name an existing cluster, and that the endpoint {endpoint} \
         is the Management API's base URL (it ends in /api/v0)"
    )]
    NotFound {
        /// What was looked for, e.g. "database token 1234…".
        what: String,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
        /// The configured Management API base URL, shown to help spot a wrong endpoint.
        endpoint: String,
    },

    /// HTTP 401: the management token is missing, invalid, expired or revoked.
    #[error(
        "the Management API rejected the management token while trying to {op} (HTTP 401: \
         {detail}); check that management_token (or INFLUXDB3_MANAGEMENT_TOKEN) is a valid \
         management token that has not expired or been revoked"
    )]
    Unauthorized {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
    },

    /// HTTP 403: the token is valid but may not act on this account or cluster.
    #[error(
        "the management token is not allowed to {op} (HTTP 403: {detail}); check that it \
         belongs to this account_id and has access to this cluster_id"
    )]
    Forbidden {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
    },

    /// HTTP 409. For a database create: the name is taken.
    #[error(
        "could not {op}: the Management API reports a conflict (HTTP 409: {detail}); if an \
         object with this name already exists, import it or choose another name"
    )]
    Conflict {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
    },

    /// HTTP 400 (or another 4xx that says the request itself is wrong).
    #[error("the Management API rejected the request to {op} as invalid (HTTP {status}: {detail})")]
    BadRequest {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The HTTP status code of the last answer.
        status: u16,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
    },

    /// HTTP 5xx, after any retries the call was allowed.
    #[error(
        "the Management API failed to {op} (HTTP {status}: {detail}) after {attempts} \
         attempt(s); try again later"
    )]
    Server {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The HTTP status code of the last answer.
        status: u16,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
        /// How many attempts were made, including the first.
        attempts: u32,
    },

    /// HTTP 429 on every attempt.
    #[error(
        "the Management API kept rate limiting the request to {op} (HTTP 429: {detail}) for \
         {attempts} attempt(s); lower terraform's -parallelism or try again later"
    )]
    RateLimited {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
        /// How many attempts were made, including the first.
        attempts: u32,
    },

    /// The connection failed (refused, reset, closed, TLS, DNS) on every attempt.
    #[error(
        "could not {op}: {detail} (after {attempts} attempt(s)); check that the endpoint \
         {endpoint} is right and reachable"
    )]
    Transport {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The configured Management API base URL, shown to help spot a wrong endpoint.
        endpoint: String,
        /// The last connection error, with the management token masked.
        detail: String,
        /// How many attempts were made, including the first.
        attempts: u32,
    },

    /// Every attempt exceeded the per-attempt request timeout.
    #[error(
        "the request to {op} timed out after {timeout:?} (after {attempts} attempt(s)); check \
         that the endpoint {endpoint} is reachable, or raise the request timeout"
    )]
    Timeout {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The configured Management API base URL, shown to help spot a wrong endpoint.
        endpoint: String,
        /// The per-attempt request timeout that was exceeded.
        timeout: Duration,
        /// How many attempts were made, including the first.
        attempts: u32,
    },

    /// A response could not be read or did not have the documented shape.
    #[error("could not read the Management API's answer to {op}: {detail}")]
    Decode {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
    },

    /// A status the API does not document for this call (e.g. a redirect or 405).
    #[error("unexpected answer to {op}: HTTP {status}: {detail}")]
    UnexpectedStatus {
        /// What was being attempted, e.g. `create database D`; it completes the message.
        op: String,
        /// The HTTP status code of the last answer.
        status: u16,
        /// The API's error text (an excerpt, management token masked), or what was wrong.
        detail: String,
    },

    /// A create that got no usable answer (timeout, connection closed, 5xx, an unreadable
    /// 200, or a 200 about another token or cluster), after the client looked for what it made
    /// (docs/design.md#decision-8-create-is-not-idempotent). What the look-up found is
    /// `outcome`; a token create also names its `receipt`, the random value its description
    /// carried, which is how any token it made is recognised (see `receipt`).
    #[error("{}", unconfirmed_message(*.kind, .name, .receipt.as_deref(), .outcome, .cause))]
    CreateUnconfirmed {
        /// Whether a token or a database was being created.
        kind: CreateKind,
        /// The token's description or the database's name.
        name: String,
        /// The receipt the token create carried; `None` for a database create.
        receipt: Option<String>,
        /// What the look-up established.
        outcome: Unsettled,
        /// The failure that left the outcome unknown.
        cause: Box<ApiError>,
    },

    /// A list this call needed failed for another caller of the same burst of reads (a
    /// refresh reads every object from one list): that caller reports the failure in full,
    /// every other one gets this, so an outage is explained once and not once per object.
    /// Every predicate (`status`, `is_transient`, ...) answers for `cause`.
    #[error(
        "the list this needs failed ({}); the failure is reported in full once, for another \
         resource read at the same time",
        cause.brief()
    )]
    ListFailedEarlier {
        /// The list's failure, as reported to the caller that made the request.
        cause: Box<ApiError>,
    },

    /// A setting of [`ClientConfig`](super::ClientConfig) is unusable.
    #[error("invalid Management API client configuration: {0}")]
    Config(String),

    /// An argument cannot be sent (e.g. an empty id or a name of `.` or `..`).
    #[error("invalid argument: {0}")]
    InvalidInput(String),
}

impl ApiError {
    /// The failure itself: the cause of a [`ApiError::ListFailedEarlier`], else this error.
    fn root(&self) -> &ApiError {
        match self {
            ApiError::ListFailedEarlier { cause } => cause.root(),
            other => other,
        }
    }

    /// A few words naming the failure, for [`ApiError::ListFailedEarlier`].
    fn brief(&self) -> String {
        match (self.root(), self.status()) {
            (_, Some(status)) => format!("HTTP {status}"),
            (ApiError::Transport { .. }, None) => "no connection".to_owned(),
            (ApiError::Timeout { .. }, None) => "timed out".to_owned(),
            (ApiError::Decode { .. }, None) => "unreadable answer".to_owned(),
            _ => "not sent".to_owned(),
        }
    }

    /// HTTP 404 (object gone, or unknown account/cluster).
    pub fn is_not_found(&self) -> bool {
        matches!(self.root(), ApiError::NotFound { .. })
    }

    /// The API refused the request as such (400, 401, 403) or it was never sendable: every
    /// attempt was refused alike, so none of them acted.
    pub fn is_definite_refusal(&self) -> bool {
        matches!(
            self.root(),
            ApiError::BadRequest { .. }
                | ApiError::Unauthorized { .. }
                | ApiError::Forbidden { .. }
                | ApiError::Config(_)
                | ApiError::InvalidInput(_)
        )
    }

    /// A failure that may pass if the call is made again later (a 5xx, 429 or transport
    /// error): anything but a refusal of the request as such or a 404.
    pub fn is_transient(&self) -> bool {
        !(self.is_definite_refusal() || self.is_not_found())
    }

    /// HTTP 401.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self.root(), ApiError::Unauthorized { .. })
    }

    /// HTTP 409.
    pub fn is_conflict(&self) -> bool {
        matches!(self.root(), ApiError::Conflict { .. })
    }

    /// A create whose outcome could not be confirmed (see [`ApiError::CreateUnconfirmed`]).
    pub fn is_create_unconfirmed(&self) -> bool {
        matches!(self, ApiError::CreateUnconfirmed { .. })
    }

    /// The token an unanswered create provably made and could not revoke: the caller keeps it
    /// (tainted) so it is replaced, never forgotten.
    pub fn adopted_token(&self) -> Option<&DatabaseToken> {
        match self {
            ApiError::CreateUnconfirmed {
                outcome: Unsettled::Made { token, .. },
                ..
            } => Some(token),
            _ => None,
        }
    }

    /// The receipt of a token create whose outcome is still unknown: whatever it made carries
    /// it, and a later look-up for it settles the create.
    pub fn unsettled_receipt(&self) -> Option<&str> {
        match self {
            ApiError::CreateUnconfirmed {
                receipt: Some(receipt),
                outcome: Unsettled::Unknown { .. },
                ..
            } => Some(receipt),
            _ => None,
        }
    }

    /// The HTTP status behind this error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self.root() {
            ApiError::NotFound { .. } => Some(404),
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::Forbidden { .. } => Some(403),
            ApiError::Conflict { .. } => Some(409),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::BadRequest { status, .. }
            | ApiError::Server { status, .. }
            | ApiError::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Describes the call an error is about.
#[derive(Clone, Debug)]
pub(crate) struct CallContext {
    /// e.g. `read token T of cluster C (account A)`.
    pub op: String,
    /// What a 404 means was not found, e.g. `token T in cluster C (account A)`.
    pub what: String,
}

impl CallContext {
    /// A call on the cluster itself (a list, a create), described by `op`: a 404 means the
    /// cluster was not found.
    pub(crate) fn on_cluster(op: String, cluster: &Cluster) -> Self {
        CallContext {
            op,
            what: cluster.to_string(),
        }
    }
}

/// Maps a non-2xx response to an error. `mask` (the management token) is cut out of any quoted
/// body text; `endpoint` is the configured base URL, as shown to the user.
pub(crate) fn from_status(
    ctx: &CallContext,
    status: StatusCode,
    body: &[u8],
    attempts: u32,
    mask: &str,
    endpoint: &str,
) -> ApiError {
    let detail = error_detail(status, body, mask);
    let op = ctx.op.clone();
    match status.as_u16() {
        400 | 422 => ApiError::BadRequest {
            op,
            status: status.as_u16(),
            detail,
        },
        401 => ApiError::Unauthorized { op, detail },
        403 => ApiError::Forbidden { op, detail },
        404 => ApiError::NotFound {
            what: ctx.what.clone(),
            detail,
            endpoint: endpoint.to_owned(),
        },
        409 => ApiError::Conflict { op, detail },
        429 => ApiError::RateLimited {
            op,
            detail,
            attempts,
        },
        s @ 500..=599 => ApiError::Server {
            op,
            status: s,
            detail,
            attempts,
        },
        s => ApiError::UnexpectedStatus {
            op,
            status: s,
            detail,
        },
    }
}

/// The `Error` body of the spec (`{code, message}`); `code` is an integer there, but other
/// InfluxDB APIs use strings, so both are accepted.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<String>,
}

/// A short, printable description of an error response body.
pub(crate) fn error_detail(status: StatusCode, body: &[u8], mask: &str) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return format!(
            "{}, no response body",
            status.canonical_reason().unwrap_or("no reason phrase")
        );
    }
    if let Ok(ErrorBody {
        code,
        message: Some(message),
    }) = serde_json::from_slice::<ErrorBody>(body)
    {
        let message = server_text(&message, mask);
        return match code {
            Some(serde_json::Value::String(code))
                if !code.is_empty() && !looks_secret(&masked(&code, mask), mask) =>
            {
                format!("{message} (code {})", excerpt(&code, mask))
            }
            _ => message,
        };
    }
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if looks_secret(&masked(trimmed, mask), mask) {
        return format!("{SECRET_LIKE} ({} bytes)", body.len());
    }
    if trimmed.starts_with('<') {
        format!(
            "HTML page instead of JSON: {}",
            excerpt(&strip_tags(trimmed), mask)
        )
    } else {
        format!("unreadable body: {}", excerpt(trimmed, mask))
    }
}

/// Why a 2xx answer could not be parsed. serde's message quotes values from the body (`invalid
/// type: string "…"`), so it is shown only when the answer may be shown (`sensitive` is false:
/// not a token create's answer) and it looks like it quotes no secret; otherwise only the kind
/// and position of the problem are given.
pub(crate) fn decode_detail(e: &serde_json::Error, mask: &str, sensitive: bool) -> String {
    decode_detail_at(e, (e.line() as u64, e.column() as u64), mask, sensitive)
}

/// [`decode_detail`] of an error whose text was decoded apart from the rest of the answer (an
/// entry of a streamed list), so that its position `at` (line, column) is given in the answer.
pub(crate) fn decode_detail_at(
    e: &serde_json::Error,
    at: (u64, u64),
    mask: &str,
    sensitive: bool,
) -> String {
    let mut message = e.to_string();
    let (line, column) = at;
    if e.line() != 0 {
        let own = format!(" at line {} column {}", e.line(), e.column());
        if let Some(text) = message.strip_suffix(&own) {
            message = format!("{text} at line {line} column {column}");
        }
    }
    if !sensitive && !looks_secret(&masked(&message, mask), mask) {
        return excerpt(&message, mask);
    }
    let category = match e.classify() {
        serde_json::error::Category::Io => "I/O",
        serde_json::error::Category::Syntax => "syntax",
        serde_json::error::Category::Data => "shape",
        serde_json::error::Category::Eof => "truncated JSON",
    };
    let why = if sensitive {
        "it holds a secret"
    } else {
        "it contains a token-like string"
    };
    format!("{category} error at line {line}, column {column} (body not shown: {why})")
}

/// What replaces a server's text that looks like it quotes a secret.
const SECRET_LIKE: &str = "response body not shown: it contains a token-like string";

/// A server's `message`, excerpted, or a note when it looks like it quotes a secret (see
/// [`looks_secret`]): only an exact copy of the management token could be masked in place.
fn server_text(message: &str, mask: &str) -> String {
    if looks_secret(&masked(message, mask), mask) {
        "message not shown: it contains a token-like string".into()
    } else {
        excerpt(message, mask)
    }
}

/// `text` with every exact copy of `mask` replaced by `<redacted>`.
fn masked<'a>(text: &'a str, mask: &str) -> std::borrow::Cow<'a, str> {
    if !mask.is_empty() && text.contains(mask) {
        std::borrow::Cow::Owned(text.replace(mask, "<redacted>"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Collapses whitespace, masks `mask` and cuts to [`DETAIL_MAX_CHARS`] characters.
pub(crate) fn excerpt(text: &str, mask: &str) -> String {
    let text = masked(text, mask);
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars >= DETAIL_MAX_CHARS {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars >= DETAIL_MAX_CHARS {
                out.push('…');
                return out;
            }
            out.push(if c.is_control() { '?' } else { c });
            chars += 1;
        }
    }
    if out.is_empty() {
        out.push_str("(blank)");
    }
    out
}

/// Drops `<…>` tags so an HTML error page reads as its text ("502 Bad Gateway nginx").
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(4096));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
        if out.len() > 4 * DETAIL_MAX_CHARS {
            break;
        }
    }
    out
}

/// An error as the cause of an unconfirmed create: a lost answer or a timeout, without the
/// advice to check the endpoint (the request reached the server, which may have acted on it).
fn as_cause(e: &ApiError) -> String {
    match e {
        ApiError::Transport {
            op,
            detail,
            attempts,
            ..
        } => format!("could not {op}: {detail} (after {attempts} attempt(s))"),
        ApiError::Timeout {
            op,
            timeout,
            attempts,
            ..
        } => {
            format!("the request to {op} timed out after {timeout:?} (after {attempts} attempt(s))")
        }
        other => other.to_string(),
    }
}

fn unconfirmed_message(
    kind: CreateKind,
    name: &str,
    receipt: Option<&str>,
    outcome: &Unsettled,
    cause: &ApiError,
) -> String {
    let cause = as_cause(cause);
    let subject = match kind {
        CreateKind::Token => format!("creating the token {name:?}"),
        CreateKind::Database => format!("creating the database {name:?}"),
    };
    let carried = receipt
        .map(|r| format!(" (its description carried the receipt [tf-receipt:{r}])"))
        .unwrap_or_default();
    match (kind, outcome) {
        (CreateKind::Token, Unsettled::NotMade) => format!(
            "{subject}{carried} got no usable answer ({cause}), and the cluster's token list, \
             read after the list lag this provider tolerates and complete, has no token \
             carrying its receipt: it was not created, so applying again is safe"
        ),
        (CreateKind::Database, Unsettled::NotMade) => format!(
            "{subject} got no usable answer ({cause}), and the database is not in the \
             cluster's database list, so it was most likely not created; apply again, and if \
             that reports that the database already exists, import it"
        ),
        (_, Unsettled::Revoked { ids }) => format!(
            "{subject}{carried} got no usable answer ({cause}), each time it was sent. The \
             tokens it made ({list}, each carrying its receipt, so this request's and nobody \
             else's) were revoked, since their access tokens were in the lost answers. Nothing \
             of it is left; applying again is safe",
            list = ids.join(", ")
        ),
        (
            _,
            Unsettled::Made {
                token,
                revoke_error,
            },
        ) => format!(
            "{subject}{carried} got no usable answer ({cause}). The token it made is {id} (it \
             carries the receipt, so it is this request's and nobody else's); its access token \
             was in the lost answer, and revoking it failed ({revoke_error})",
            id = token.id
        ),
        (
            _,
            Unsettled::Unknown {
                lookup_error: Some(lookup),
            },
        ) => format!(
            "{subject}{carried} got no usable answer ({cause}), and listing the cluster to see \
             whether it was created failed too ({lookup}). {}",
            settle_later(kind)
        ),
        (_, Unsettled::Unknown { lookup_error: None }) => format!(
            "{subject}{carried} got no usable answer ({cause}), and the cluster's token list \
             left out entries this provider cannot trust (see the provider log), so it cannot \
             prove that nothing was made. {}",
            settle_later(kind)
        ),
    }
}

/// What happens to a create whose outcome is still unknown.
fn settle_later(kind: CreateKind) -> &'static str {
    match kind {
        CreateKind::Token => {
            "Whatever it made carries the receipt: the next apply looks for it (the state \
             keeps a placeholder for a managed token), revokes a token that carries it (its \
             access token reached nobody) and creates the token again. Revoke no token by its \
             description: only the receipt tells which one is this configuration's"
        }
        CreateKind::Database => {
            "Before applying again, look in the cluster for it and import or remove it, or the \
             create will be refused as a duplicate"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_capped_and_masked() {
        let long = "x ".repeat(1000);
        let e = excerpt(&long, "");
        assert!(e.chars().count() <= DETAIL_MAX_CHARS + 1, "{e}");
        assert!(e.ends_with('…'));
        assert_eq!(excerpt("a SECRET b", "SECRET"), "a <redacted> b");
    }

    #[test]
    fn bodies_quoting_an_altered_token_are_not_echoed() {
        let token = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";
        let mask = "mgmt_Q2xvdWREZWRpY2F0ZWQc2lnbmF0dXJlMTIzNDU2Nzg5";
        let split = format!("{}<b>{}</b>{}", &token[..20], &token[20..40], &token[40..]);
        let bodies = [
            format!(
                r#"{{"code":401,"message":"token {} rejected"}}"#,
                mask.to_uppercase()
            ),
            format!(
                r#"{{"code":400,"message":"bad token {}"}}"#,
                token.to_lowercase()
            ),
            format!("<html><body>bad token {split}</body></html>"),
            format!("token={} is unknown", &token[6..]),
        ];
        for body in bodies {
            let d = error_detail(StatusCode::BAD_REQUEST, body.as_bytes(), mask);
            for secret in [token, mask] {
                let lower = secret.to_lowercase();
                for start in (6..secret.len() - 12).step_by(6) {
                    let piece = &lower[start..start + 12];
                    assert!(!d.to_lowercase().contains(piece), "{d} quotes {piece}");
                }
            }
            assert!(d.contains("token-like"), "{d}");
        }
        assert_eq!(
            error_detail(
                StatusCode::NOT_FOUND,
                br#"{"code":404,"message":"token 11111111-1111-4111-8111-111111111111 not found"}"#,
                mask
            ),
            "token 11111111-1111-4111-8111-111111111111 not found"
        );
    }

    #[test]
    fn detail_reads_int_and_string_codes_html_and_garbage() {
        let s = StatusCode::BAD_REQUEST;
        assert_eq!(
            error_detail(s, br#"{"code":400,"message":"bad"}"#, ""),
            "bad"
        );
        assert_eq!(
            error_detail(s, br#"{"code":"invalid","message":"bad"}"#, ""),
            "bad (code invalid)"
        );
        let html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let d = error_detail(StatusCode::BAD_GATEWAY, html, "");
        assert!(d.starts_with("HTML page"), "{d}");
        assert!(d.contains("502 Bad Gateway") && d.contains("nginx"), "{d}");
        let d = error_detail(s, br#"{"code":400,"mess"#, "");
        assert!(d.contains("unreadable body") && d.contains("mess"), "{d}");
        assert!(error_detail(s, b"", "").contains("no response body"));
    }
}
