//! Sending requests: one attempt (in-flight cap, timeout, capped body read, debug log) and the
//! two retry disciplines of docs/design.md#decision-8-create-is-not-idempotent, idempotent calls and creates.

use std::error::Error as _;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use time::OffsetDateTime;

use super::Client;
use super::cache::ListCache;
use super::error::{self, ApiError, CallContext};
use super::list_stream::{ListScanner, ListSink, MAX_ENTRY_BYTES, MAX_LIST_BYTES, ScanError};
use super::models::{Cluster, DeleteOutcome};
use super::retry::{RetryPolicy, parse_retry_after};

/// Largest response body read whole (every answer but a list's 2xx, which is streamed: see
/// `list_stream`); a longer one is an error (resists a misbehaving endpoint).
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// One API call, ready to send (possibly several times).
#[derive(Debug)]
pub(crate) struct Call {
    pub method: Method,
    pub url: Url,
    /// JSON body; sent with `Content-Type: application/json`.
    pub body: Option<Vec<u8>>,
    pub ctx: CallContext,
}

/// A 2xx answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub body: Vec<u8>,
}

/// How a delete ended, from its last answer: a 2xx deleted the object, a 404 found it gone, a
/// definite refusal is the error. Any other failure may hide an earlier attempt that acted
/// with its answer lost: `confirm` looks the object up and returns the failure it is given
/// when the look-up proves nothing.
pub(crate) async fn delete_outcome<F, Fut>(
    sent: Result<Reply, ApiError>,
    confirm: F,
) -> Result<DeleteOutcome, ApiError>
where
    F: FnOnce(ApiError) -> Fut,
    Fut: Future<Output = Result<DeleteOutcome, ApiError>>,
{
    match sent {
        Ok(_) => Ok(DeleteOutcome::Revoked),
        Err(e) if e.is_not_found() => Ok(DeleteOutcome::AlreadyGone),
        Err(e) if e.is_definite_refusal() => Err(e),
        Err(e) => confirm(e).await,
    }
}

/// Logs one attempt at debug level: never a body, only its size for a list (`bytes`).
fn log_attempt(
    call: &Call,
    attempt: u32,
    started: Instant,
    what: &str,
    status: Result<u16, &AttemptError>,
    bytes: Option<u64>,
) {
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match status {
        Ok(status) => tracing::debug!(
            method = %call.method,
            path = call.url.path(),
            status,
            attempt,
            elapsed_ms,
            bytes,
            "management API {what}"
        ),
        Err(e) => tracing::debug!(
            method = %call.method,
            path = call.url.path(),
            error = e.kind(),
            attempt,
            elapsed_ms,
            bytes,
            "management API {what} failed"
        ),
    }
}

/// How a create ended without a 2xx.
#[derive(Debug)]
pub(crate) enum CreateFailure {
    /// The server certainly did not create anything (4xx, 429 or unreachable every time).
    Definite(ApiError),
    /// The request may have been acted on; reconcile against a fresh list.
    Ambiguous(ApiError),
    /// The server answered 503 Service Unavailable (status line and body read in full). HTTP
    /// defines 503 as "not able to handle the request", yet a proxy in front of the API may
    /// answer it after the request got through, so it is reconciled like
    /// [`CreateFailure::Ambiguous`]; only when that reconcile proves nothing was made may the
    /// create be sent again (see `create_retry`).
    Unavailable(ApiError),
}

/// An attempt that produced a status line and a fully read body.
struct Raw {
    status: StatusCode,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

/// An attempt that did not.
enum AttemptError {
    /// No connection was made, so the request never reached the server.
    Connect(String),
    /// The per-attempt timeout passed; the server may have acted.
    Timeout,
    /// The connection broke after it was made; the server may have acted.
    Transport(String),
    /// The body was longer than [`MAX_BODY_BYTES`].
    TooLarge,
    /// A list answer was longer than [`MAX_LIST_BYTES`].
    ListTooLarge,
    /// A list answer could not be read as one (malformed, or an entry over its bound).
    Scan(ScanError),
}

/// How one attempt at a list ended, when it produced a status line.
enum ListAttempt<T> {
    /// A 2xx whose body the scan read through.
    Scanned(T),
    /// Any other status, its body read whole.
    Status(Raw),
}

impl Client {
    /// Sends a call that is safe to repeat (GET, PATCH, DELETE): retries 429, 500, 502, 503,
    /// 504, timeouts and connection failures with backoff, up to `max_retries` times.
    pub(crate) async fn send_idempotent(&self, call: &Call) -> Result<Reply, ApiError> {
        let http = self.0.http.get().await?;
        let policy = &self.0.policy;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self.attempt(http, call, attempt).await;
            let (retryable, retry_after) = match &outcome {
                Ok(raw) if raw.status.is_success() => (false, None),
                Ok(raw) => (
                    RetryPolicy::is_retryable_status(raw.status),
                    raw.retry_after,
                ),
                Err(e) => (e.is_retryable(), None),
            };
            if !retryable || attempt > policy.max_retries {
                return match outcome {
                    Ok(raw) if raw.status.is_success() => Ok(Reply { body: raw.body }),
                    Ok(raw) => Err(self.status_error(call, &raw, attempt)),
                    Err(e) => Err(self.attempt_error(call, e, attempt)),
                };
            }
            self.back_off(attempt, retry_after).await;
        }
    }

    /// Sends a write that is safe to repeat (PATCH, DELETE, PUT) and drops `cached`, the
    /// cluster's list, which any outcome may have made stale.
    pub(crate) async fn send_write<T>(
        &self,
        call: &Call,
        cluster: &Cluster,
        cached: &ListCache<T>,
    ) -> Result<Reply, ApiError> {
        let sent = self.send_idempotent(call).await;
        cached.invalidate(cluster);
        sent
    }

    /// Sends a list GET and reads a 2xx answer into a fresh sink from `sink` while it arrives
    /// (see `list_stream`), so the answer is never held whole; returns the sink. Retried like
    /// [`Client::send_idempotent`]; each attempt reads into a new sink. A body over
    /// [`MAX_LIST_BYTES`], an entry over [`MAX_ENTRY_BYTES`] or malformed JSON is an
    /// [`ApiError::Decode`], not retried.
    pub(crate) async fn send_list<S, M>(&self, call: &Call, sink: M) -> Result<S, ApiError>
    where
        S: ListSink,
        M: Fn() -> S,
    {
        let http = self.0.http.get().await?;
        let policy = &self.0.policy;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self.attempt_list(http, call, attempt, sink()).await;
            let (retryable, retry_after) = match &outcome {
                Ok(ListAttempt::Scanned(_)) => (false, None),
                Ok(ListAttempt::Status(raw)) => (
                    RetryPolicy::is_retryable_status(raw.status),
                    raw.retry_after,
                ),
                Err(e) => (e.is_retryable(), None),
            };
            if !retryable || attempt > policy.max_retries {
                return match outcome {
                    Ok(ListAttempt::Scanned(list)) => Ok(list),
                    Ok(ListAttempt::Status(raw)) => Err(self.status_error(call, &raw, attempt)),
                    Err(e) => Err(self.attempt_error(call, e, attempt)),
                };
            }
            self.back_off(attempt, retry_after).await;
        }
    }

    /// One attempt of [`Client::send_list`]: each chunk of the body goes through the scanner
    /// as it arrives. Scanning a chunk takes microseconds, so it runs on the request's own
    /// task: a blocking thread of its own cost more (a thread, its stack and, with glibc, its
    /// own malloc arena) than it spared.
    async fn attempt_list<S: ListSink>(
        &self,
        http: &reqwest::Client,
        call: &Call,
        attempt: u32,
        sink: S,
    ) -> Result<ListAttempt<S>, AttemptError> {
        let _permit = self.permit().await?;
        let started = Instant::now();
        let request = self.request(http, call);
        let mut bytes = 0u64;
        let result = async {
            let mut response = request.send().await.map_err(classify)?;
            let status = response.status();
            let retry_after = retry_after(&response);
            if !status.is_success() {
                let body = read_whole(&mut response).await?;
                return Ok(ListAttempt::Status(Raw {
                    status,
                    retry_after,
                    body,
                }));
            }
            if response
                .content_length()
                .is_some_and(|n| n > MAX_LIST_BYTES)
            {
                return Err(AttemptError::ListTooLarge);
            }
            let mut scanner = ListScanner::new(sink);
            // A transport failure or an oversized body is found before the bytes it cut short
            // are scanned, so it explains a decode error, never the other way round.
            while let Some(chunk) = response.chunk().await.map_err(classify)? {
                bytes += chunk.len() as u64;
                if bytes > MAX_LIST_BYTES {
                    return Err(AttemptError::ListTooLarge);
                }
                scanner.feed(&chunk).map_err(AttemptError::Scan)?;
            }
            scanner
                .end()
                .map(ListAttempt::Scanned)
                .map_err(AttemptError::Scan)
        }
        .await;
        let status = result.as_ref().map(|outcome| match outcome {
            ListAttempt::Scanned(_) => 200,
            ListAttempt::Status(raw) => raw.status.as_u16(),
        });
        log_attempt(call, attempt, started, "list", status, Some(bytes));
        result
    }

    /// An in-flight permit, held by one attempt from before sending until its body is read.
    async fn permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, AttemptError> {
        self.0
            .permits
            .acquire()
            .await
            .map_err(|_| AttemptError::Transport("the client is shutting down".into()))
    }

    /// The request of `call`, with its headers and body.
    fn request(&self, http: &reqwest::Client, call: &Call) -> reqwest::RequestBuilder {
        let mut request = http
            .request(call.method.clone(), call.url.clone())
            .header(AUTHORIZATION, self.0.auth_header.clone())
            .header(ACCEPT, "application/json");
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        request
    }

    /// Sends a create (POST), which the API does not deduplicate. Retries only when the
    /// request provably did not reach the server (no connection) or was refused with 429;
    /// a 503 answer is [`CreateFailure::Unavailable`], every other failure after sending is
    /// [`CreateFailure::Ambiguous`].
    pub(crate) async fn send_create(&self, call: &Call) -> Result<Reply, CreateFailure> {
        // Nothing has been sent if there is no client: a definite failure.
        let http = self.0.http.get().await.map_err(CreateFailure::Definite)?;
        let policy = &self.0.policy;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self.attempt(http, call, attempt).await;
            let retry_after = match outcome {
                Ok(raw) if raw.status.is_success() => {
                    return Ok(Reply { body: raw.body });
                }
                Ok(raw) if raw.status == StatusCode::TOO_MANY_REQUESTS => {
                    if attempt > policy.max_retries {
                        return Err(CreateFailure::Definite(
                            self.status_error(call, &raw, attempt),
                        ));
                    }
                    raw.retry_after
                }
                Ok(raw) if raw.status == StatusCode::SERVICE_UNAVAILABLE => {
                    return Err(CreateFailure::Unavailable(
                        self.status_error(call, &raw, attempt),
                    ));
                }
                Ok(raw) if raw.status.is_server_error() => {
                    return Err(CreateFailure::Ambiguous(
                        self.status_error(call, &raw, attempt),
                    ));
                }
                Ok(raw) => {
                    return Err(CreateFailure::Definite(
                        self.status_error(call, &raw, attempt),
                    ));
                }
                Err(AttemptError::Connect(detail)) => {
                    if attempt > policy.max_retries {
                        return Err(CreateFailure::Definite(self.attempt_error(
                            call,
                            AttemptError::Connect(detail),
                            attempt,
                        )));
                    }
                    None
                }
                Err(e) => {
                    return Err(CreateFailure::Ambiguous(
                        self.attempt_error(call, e, attempt),
                    ));
                }
            };
            self.back_off(attempt, retry_after).await;
        }
    }

    /// One HTTP attempt, holding an in-flight permit from before sending until the body is
    /// read (never during backoff).
    async fn attempt(
        &self,
        http: &reqwest::Client,
        call: &Call,
        attempt: u32,
    ) -> Result<Raw, AttemptError> {
        let _permit = self.permit().await?;
        let started = Instant::now();
        let request = self.request(http, call);
        let result: Result<Raw, AttemptError> = async {
            let mut response = request.send().await.map_err(classify)?;
            let status = response.status();
            let retry_after = retry_after(&response);
            let body = read_whole(&mut response).await?;
            Ok(Raw {
                status,
                retry_after,
                body,
            })
        }
        .await;
        let status = result.as_ref().map(|raw| raw.status.as_u16());
        log_attempt(call, attempt, started, "request", status, None);
        result
    }

    fn status_error(&self, call: &Call, raw: &Raw, attempts: u32) -> ApiError {
        error::from_status(
            &call.ctx,
            raw.status,
            &raw.body,
            attempts,
            self.0.management_token.expose(),
            &self.0.endpoint_display,
        )
    }

    fn attempt_error(&self, call: &Call, e: AttemptError, attempts: u32) -> ApiError {
        let op = call.ctx.op.clone();
        let endpoint = self.0.endpoint_display.clone();
        match e {
            AttemptError::Connect(detail) | AttemptError::Transport(detail) => {
                ApiError::Transport {
                    op,
                    endpoint,
                    detail,
                    attempts,
                }
            }
            AttemptError::Timeout => ApiError::Timeout {
                op,
                endpoint,
                timeout: self.0.request_timeout,
                attempts,
            },
            AttemptError::TooLarge => ApiError::Decode {
                op,
                detail: format!("the response body is larger than {MAX_BODY_BYTES} bytes"),
            },
            AttemptError::ListTooLarge => ApiError::Decode {
                op,
                detail: format!(
                    "the list is longer than {} MiB, the most this provider reads in one answer \
                     (about 1.5 million tokens of 10 permissions); the list was not read",
                    MAX_LIST_BYTES >> 20
                ),
            },
            AttemptError::Scan(ScanError::EntryTooLarge) => ApiError::Decode {
                op,
                detail: format!(
                    "one entry of the list is longer than {} KiB, the most this provider reads \
                     in one entry; the list was not read",
                    MAX_ENTRY_BYTES >> 10
                ),
            },
            AttemptError::Scan(ScanError::Decode { error, at }) => ApiError::Decode {
                op,
                detail: error::decode_detail_at(
                    &error,
                    (at.line, at.column),
                    self.0.management_token.expose(),
                    false,
                ),
            },
            AttemptError::Scan(e @ ScanError::NotAnArray { .. }) => ApiError::Decode {
                op,
                detail: e.to_string(),
            },
        }
    }
}

/// The `Retry-After` of an answer, as a delay from now.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, OffsetDateTime::now_utc()))
}

/// The whole body, at most [`MAX_BODY_BYTES`].
async fn read_whole(response: &mut reqwest::Response) -> Result<Vec<u8>, AttemptError> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(AttemptError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(AttemptError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl AttemptError {
    fn kind(&self) -> &'static str {
        match self {
            AttemptError::Connect(_) => "connect",
            AttemptError::Timeout => "timeout",
            AttemptError::Transport(_) => "transport",
            AttemptError::TooLarge | AttemptError::ListTooLarge => "body too large",
            AttemptError::Scan(ScanError::EntryTooLarge) => "list entry too large",
            AttemptError::Scan(ScanError::Decode { .. } | ScanError::NotAnArray { .. }) => {
                "list not decodable"
            }
        }
    }

    /// Whether another attempt may fare better: a transport failure may pass; an answer too
    /// large or malformed would only come back the same.
    fn is_retryable(&self) -> bool {
        !matches!(
            self,
            AttemptError::TooLarge | AttemptError::ListTooLarge | AttemptError::Scan(_)
        )
    }
}

/// Sorts a reqwest error into "never sent" (connect), timeout, or "broken after sending".
fn classify(e: reqwest::Error) -> AttemptError {
    if e.is_connect() {
        AttemptError::Connect(describe(&e))
    } else if e.is_timeout() {
        AttemptError::Timeout
    } else {
        AttemptError::Transport(describe(&e))
    }
}

/// The error and its causes on one line, without the URL (the message already names the call)
/// and without repeats. reqwest errors never contain request headers.
fn describe(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = e.source();
    while let Some(err) = source {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}
