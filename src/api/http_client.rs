//! The reqwest client, built on a thread of its own for `https` endpoints.
//!
//! Building it loads and parses the system's CA store, about 4 ms, and the provider builds its
//! client in `ConfigureProvider`, once per launch that configures it (two or three per apply).
//! Built in the background, that work overlaps with what Terraform does between configuring
//! the provider and its first call that needs the API; the first request waits for it only if
//! it is not ready yet. A plain `http` endpoint (the mock) loads no roots and is built in place.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::Url;
use tokio::sync::{OnceCell, oneshot};

use super::error::ApiError;
use super::proxy::ProxyChoice;

/// What the client is built from; cheap to keep, so a build can be retried in place.
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    pub user_agent: String,
    pub request_timeout: Duration,
    /// Direct, or an https proxy from `HTTPS_PROXY` (see `proxy`); reqwest's own proxy
    /// lookup is always off.
    pub proxy: ProxyChoice,
}

impl HttpSettings {
    fn build(&self, plain_http: bool) -> Result<reqwest::Client, String> {
        let mut builder = reqwest::Client::builder();
        if plain_http {
            // A plain-HTTP endpoint never makes a TLS connection: redirects are off, and every
            // URL is built from the endpoint. Skip the CA store altogether.
            builder = builder.tls_certs_only(Vec::new());
        }
        self.proxy
            .apply(builder)?
            .user_agent(self.user_agent.clone())
            .timeout(self.request_timeout)
            .connect_timeout(self.request_timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            // Shorter than the usual load-balancer idle timeout (60 s), so a create is rarely
            // sent on a connection the other side is closing (which makes its outcome unknown).
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())
    }
}

type Pending = oneshot::Receiver<Result<reqwest::Client, String>>;

/// The HTTP client, ready now or being built.
pub(crate) struct HttpClient {
    ready: OnceCell<reqwest::Client>,
    pending: Mutex<Option<Pending>>,
    settings: HttpSettings,
}

impl HttpClient {
    /// Starts building the client for `base`: in place for `http`, on a new thread for
    /// `https` (in place too if no thread can be started).
    pub(super) fn start(base: &Url, settings: HttpSettings) -> Result<HttpClient, ApiError> {
        let client = HttpClient {
            ready: OnceCell::new(),
            pending: Mutex::new(None),
            settings,
        };
        if base.scheme() == "http" {
            let built = client.settings.build(true).map_err(config_error)?;
            let _ = client.ready.set(built);
            return Ok(client);
        }
        let (tx, rx) = oneshot::channel();
        let settings = client.settings.clone();
        let spawned = std::thread::Builder::new()
            .name("influxdb3-http-client".into())
            .spawn(move || {
                let _ = tx.send(settings.build(false));
            });
        if spawned.is_ok() {
            *client.lock_pending() = Some(rx);
        }
        Ok(client)
    }

    /// The client, waiting for the background build if it has not finished.
    pub(super) async fn get(&self) -> Result<&reqwest::Client, ApiError> {
        self.ready
            .get_or_try_init(|| async {
                let pending = self.lock_pending().take();
                let built = match pending {
                    Some(rx) => rx
                        .await
                        .unwrap_or_else(|_| Err("its build thread ended".into())),
                    // No thread could be started, or an earlier wait failed: build here.
                    None => self.settings.build(false),
                };
                built.map_err(config_error)
            })
            .await
    }

    fn lock_pending(&self) -> std::sync::MutexGuard<'_, Option<Pending>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn config_error(detail: String) -> ApiError {
    ApiError::Config(format!("cannot build the HTTP client: {detail}"))
}
