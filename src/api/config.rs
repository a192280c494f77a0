//! Settings of a [`Client`](super::Client): where the API is, how to authenticate, and the
//! limits on timeouts, retries, concurrency and caching.

use std::time::Duration;

use super::error::ApiError;
use super::secret::Secret;

/// The production Management API endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://console.influxdata.com/api/v0";
/// The limit of one HTTP attempt unless configured otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Retries of a retryable failure unless configured otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 4;
/// The most retries the provider's `max_retries` accepts: with the backoff cap, 20 retries can
/// already hold one request for minutes.
pub const MAX_MAX_RETRIES: u32 = 20;
/// The first backoff step unless configured otherwise.
pub const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(250);
/// The cap of one backoff step unless configured otherwise.
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(8);

/// Settings for [`Client::new`](super::Client::new).
///
/// Build it with [`ClientConfig::new`] and override fields with struct update syntax; every
/// field has a documented default. `Debug` never shows the management token.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Base URL of the Management API up to and including `/api/v0`, e.g.
    /// [`DEFAULT_ENDPOINT`] or a mock's `http://127.0.0.1:PORT/api/v0`. A trailing slash is
    /// ignored; `http` is accepted (for the mock), other schemes are a config error.
    pub endpoint: String,
    /// Sent as `Authorization: Bearer …` on every request.
    pub management_token: Secret,
    /// Limit for one HTTP attempt (connect, send, and reading the whole response). Default 30 s.
    pub request_timeout: Duration,
    /// Retries after the first attempt for retryable failures (docs/design.md#decision-8-create-is-not-idempotent). Default 4.
    pub max_retries: u32,
    /// Most HTTP attempts this client has on the wire at once, across all resources. Default 8.
    pub max_in_flight: usize,
    /// First backoff step; attempt *n* waits a random time in `[0, min(max, base·2ⁿ)]`. Default 250 ms.
    pub retry_base_delay: Duration,
    /// Cap of one backoff step. A `Retry-After` from the server is honoured up to 4× this.
    /// Default 8 s.
    pub retry_max_delay: Duration,
    /// `User-Agent` header. Default `terraform-provider-influxdb3/<crate version>`.
    pub user_agent: String,
    /// How long a list fetched for [`Client::cached_token_index`](super::Client::cached_token_index) /
    /// [`Client::cached_databases`](super::Client::cached_databases) is reused after its last
    /// use: reads less than this apart (a refresh) keep sharing one list. Default 5 s.
    pub list_cache_ttl: Duration,
    /// The longest a cached list is reused however busy it is, counted from its request.
    /// Default 120 s.
    pub list_cache_max_age: Duration,
    /// After an ambiguous create, how long to keep re-listing while no matching object is
    /// visible yet (in case the list lags behind the create). Default 10 s: the list lag the
    /// docs promise to tolerate.
    pub reconcile_window: Duration,
}

impl ClientConfig {
    /// Settings with every default, for the given endpoint and management token.
    pub fn new(endpoint: impl Into<String>, management_token: Secret) -> Self {
        ClientConfig {
            endpoint: endpoint.into(),
            management_token,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            max_in_flight: 8,
            retry_base_delay: DEFAULT_RETRY_BASE_DELAY,
            retry_max_delay: DEFAULT_RETRY_MAX_DELAY,
            user_agent: format!("terraform-provider-influxdb3/{}", env!("CARGO_PKG_VERSION")),
            list_cache_ttl: Duration::from_secs(5),
            list_cache_max_age: Duration::from_secs(120),
            reconcile_window: Duration::from_secs(10),
        }
    }

    /// Checks the settings that would otherwise fail later in a confusing way.
    pub(crate) fn validate(&self) -> Result<(), ApiError> {
        if self.management_token.expose().trim().is_empty() {
            return Err(ApiError::Config(
                "management_token is empty: set it in the provider block or in \
                 INFLUXDB3_MANAGEMENT_TOKEN"
                    .into(),
            ));
        }
        if self.request_timeout.is_zero() {
            return Err(ApiError::Config(
                "request_timeout must be greater than zero".into(),
            ));
        }
        if self.max_in_flight == 0 {
            return Err(ApiError::Config("max_in_flight must be at least 1".into()));
        }
        if self.retry_base_delay > self.retry_max_delay {
            return Err(ApiError::Config(
                "retry_base_delay must not be greater than retry_max_delay".into(),
            ));
        }
        Ok(())
    }
}
