//! Client of the InfluxDB Cloud Dedicated Management API (database tokens, databases and
//! tables).
//!
//! One [`Client`] serves one provider instance: it is cheap to clone, caps the requests it has
//! in flight, retries what is safe to retry (docs/design.md#decision-8-create-is-not-idempotent), reconciles creates whose outcome is
//! unknown against a fresh list, and keeps a short-lived single-flight list cache per cluster
//! for drift detection (docs/design.md#decision-5-read-detects-drift-from-the-list). Every call names its [`Cluster`] (docs/design.md#decision-6-a-token-lives-where-it-was-created).
//!
//! No secret (management token, access token) appears in any error, `Debug` output or log
//! line: both are [`Secret`]s, bodies are never logged, and error excerpts mask the token.

mod bounds;
mod cache;
mod clock;
mod config;
mod create_retry;
mod database_models;
mod database_recovery;
mod database_trust;
mod databases;
mod error;
mod http;
mod http_client;
mod list_stream;
mod list_trust;
mod models;
mod paths;
mod proxy;
mod receipt;
mod reconcile;
mod redact;
mod retry;
mod secret;
mod table_models;
mod tables;
mod timestamps;
mod tokens;

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;

pub use config::{
    ClientConfig, DEFAULT_ENDPOINT, DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_RETRY_BASE_DELAY, DEFAULT_RETRY_MAX_DELAY, MAX_MAX_RETRIES,
};
pub(crate) use create_retry::MAX_CREATE_SENDS;
pub use database_models::{
    CreateDatabaseRequest, Database, DatabaseSettings, PartitionPart, RenameRequest,
};
pub use error::{ApiError, CreateKind, Unsettled};
pub use list_trust::TokenIndex;
pub use models::{
    Cluster, CreateTokenRequest, CreatedToken, DatabaseToken, DeleteOutcome, Permission,
    UpdateTokenRequest, canonical_id,
};
pub use receipt::{Receipt, found_in as receipt_in};
pub(crate) use reconcile::{Absent, Found};
pub(crate) use redact::looks_secret;
pub use redact::shape;
pub use retry::{RETRIED_STATUSES, RETRIED_STATUSES_TEXT, RETRY_AFTER_CAP_FACTOR};
pub use secret::Secret;
pub use table_models::{CreateTableRequest, Table, TableCreateError};
pub use tokens::Description;

use cache::ListCache;
use clock::{Clock, RealClock};
use error::CallContext;
use http::Call;
use http_client::{HttpClient, HttpSettings};
use proxy::ProxyChoice;
use retry::RetryPolicy;

/// The Management API client. Clones share one connection pool, in-flight limit and cache.
#[derive(Clone)]
pub struct Client(Arc<Inner>);

struct Inner {
    http: HttpClient,
    base: Url,
    /// The endpoint as configured, for error messages.
    endpoint_display: String,
    management_token: Secret,
    /// `Bearer …`, marked sensitive so the HTTP stack never prints it.
    auth_header: HeaderValue,
    request_timeout: Duration,
    reconcile_window: Duration,
    policy: RetryPolicy,
    clock: Arc<dyn Clock>,
    permits: tokio::sync::Semaphore,
    token_cache: ListCache<TokenIndex>,
    database_cache: ListCache<Vec<Database>>,
    /// The keys of this client's token digests (see [`TokenIndex`]).
    digest_keys: std::collections::hash_map::RandomState,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.0.endpoint_display)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client. Fails with [`ApiError::Config`] for an unusable endpoint, an empty
    /// management token or invalid limits. Makes no request.
    ///
    /// Installs the process's rustls provider as the default if none is installed yet (one
    /// crypto provider for the whole binary, docs/design.md#decision-2-a-go-plugin-compatible-handshake).
    pub fn new(cfg: ClientConfig) -> Result<Client, ApiError> {
        Self::on_clock(cfg, Arc::new(RealClock::new()))
    }

    /// [`Client::new`] on `clock`, which tests replace to check the waits without a wall clock.
    fn on_clock(cfg: ClientConfig, clock: Arc<dyn Clock>) -> Result<Client, ApiError> {
        crate::crypto::install_default();
        cfg.validate()?;
        let base = paths::parse_endpoint(&cfg.endpoint)?;
        let mut auth_header =
            HeaderValue::from_str(&format!("Bearer {}", cfg.management_token.expose())).map_err(
                |_| {
                    ApiError::Config(
                        "management_token contains characters that cannot be sent in an HTTP \
                         header (such as a line break); check how it was copied"
                            .into(),
                    )
                },
            )?;
        auth_header.set_sensitive(true);
        let http = HttpClient::start(
            &base,
            HttpSettings {
                user_agent: cfg.user_agent.clone(),
                request_timeout: cfg.request_timeout,
                proxy: ProxyChoice::for_endpoint(&base, |k| std::env::var(k).ok()),
            },
        )?;
        Ok(Client(Arc::new(Inner {
            http,
            endpoint_display: base.as_str().to_owned(),
            base,
            management_token: cfg.management_token,
            auth_header,
            request_timeout: cfg.request_timeout,
            reconcile_window: cfg.reconcile_window,
            policy: RetryPolicy {
                max_retries: cfg.max_retries,
                base_delay: cfg.retry_base_delay,
                max_delay: cfg.retry_max_delay,
            },
            clock,
            permits: tokio::sync::Semaphore::new(cfg.max_in_flight),
            token_cache: ListCache::new(cfg.list_cache_ttl, cfg.list_cache_max_age),
            database_cache: ListCache::new(cfg.list_cache_ttl, cfg.list_cache_max_age),
            digest_keys: std::collections::hash_map::RandomState::new(),
        })))
    }

    /// Waits out the backoff before retry number `retry`.
    async fn back_off(&self, retry: u32, retry_after: Option<Duration>) {
        self.0
            .clock
            .sleep(self.0.policy.delay(retry, retry_after))
            .await;
    }

    /// Prepares a call to `{endpoint}/accounts/{a}/clusters/{c}/{tail…}`.
    fn call(
        &self,
        method: Method,
        cluster: &Cluster,
        tail: &[&str],
        body: Option<Vec<u8>>,
        ctx: CallContext,
    ) -> Result<Call, ApiError> {
        Ok(Call {
            method,
            url: paths::cluster_url(&self.0.base, cluster, tail)?,
            body,
            ctx,
        })
    }

    /// Prepares a rename (`PUT {tail…}/rename` with the new name) of what `tail` names.
    fn rename_call(
        &self,
        cluster: &Cluster,
        tail: &[&str],
        new_name: &str,
        ctx: CallContext,
    ) -> Result<Call, ApiError> {
        let body = to_body(&RenameRequest {
            name: new_name.to_owned(),
        })?;
        let path: Vec<&str> = tail.iter().copied().chain(["rename"]).collect();
        self.call(Method::PUT, cluster, &path, Some(body), ctx)
    }

    /// Parses a 2xx body. With `sensitive` (a create-token answer, which holds the access
    /// token), or when serde's message looks like it quotes a secret, the error names only the
    /// position of the problem, never a value from the body.
    fn decode<T: DeserializeOwned>(
        &self,
        ctx: &CallContext,
        body: &[u8],
        sensitive: bool,
    ) -> Result<T, ApiError> {
        serde_json::from_slice(body).map_err(|e| {
            let detail = error::decode_detail(&e, self.0.management_token.expose(), sensitive);
            ApiError::Decode {
                op: ctx.op.clone(),
                detail,
            }
        })
    }
}

/// Serialises a request body.
fn to_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value)
        .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))
}
