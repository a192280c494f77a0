//! [`MockServer`]: starting a mock in-process and the in-process control API.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;

use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::connections::accept_loop;
use super::error::MockError;
use super::request_log::RequestRecord;
use super::router::router;
use super::start_options::MockOptions;
use super::state::App;

/// A running mock Management API on a loopback port.
///
/// The server stops when this value is dropped: with [`MockServer::spawn`] its accept task
/// ends (open connections are dropped), with [`MockServer::start`] its thread is stopped and
/// joined. The control methods ([`requests`](Self::requests), [`state`](Self::state),
/// [`configure`](Self::configure), [`reset`](Self::reset)) work on the shared state directly
/// and need no runtime.
#[derive(Debug)]
pub struct MockServer {
    app: Arc<App>,
    addr: SocketAddr,
    ids: Ids,
    runner: Runner,
}

/// The ids as text, so the accessors can hand out `&str`.
#[derive(Debug)]
struct Ids {
    account_id: String,
    cluster_id: String,
}

#[derive(Debug)]
enum Runner {
    /// A task on the caller's runtime; dropping the sender stops it.
    Task { _shutdown: oneshot::Sender<()> },
    /// A thread with its own runtime.
    Thread {
        shutdown: Option<oneshot::Sender<()>>,
        thread: Option<JoinHandle<()>>,
    },
}

/// The line the binary prints when ready; field order is part of the contract.
#[derive(Debug, Serialize)]
struct ReadyLine<'a> {
    endpoint: &'a str,
    account_id: &'a str,
    cluster_id: &'a str,
    management_token: &'a str,
    /// Every served cluster, the default first; only when there is more than one, so the
    /// single-cluster line stays as it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    clusters: Option<Vec<ClusterLine>>,
}

/// One entry of the ready line's `clusters`.
#[derive(Debug, Serialize)]
struct ClusterLine {
    account_id: String,
    cluster_id: String,
}

impl MockServer {
    /// Starts a mock on `127.0.0.1:0` as a task on the current tokio runtime (panics, as
    /// `tokio::spawn` does, outside one). Fails on invalid options (`InvalidInput`) or when
    /// the port cannot be bound.
    pub async fn spawn(opts: MockOptions) -> io::Result<MockServer> {
        Self::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), opts).await
    }

    /// Like [`spawn`](Self::spawn) on a given address, which must be a loopback address (the
    /// control endpoints have no auth); used by the `influxdb3-mock-api` binary.
    pub async fn bind(addr: SocketAddr, opts: MockOptions) -> io::Result<MockServer> {
        let app = Arc::new(App::new(opts.resolve()?));
        check_loopback(addr)?;
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (shutdown, stop) = oneshot::channel();
        tokio::spawn(accept_loop(listener, router(app.clone()), stop));
        Ok(Self::new(
            app,
            addr,
            Runner::Task {
                _shutdown: shutdown,
            },
        ))
    }

    /// Starts a mock on `127.0.0.1:0` on its own thread and single-threaded runtime, for
    /// synchronous tests. Usable from inside or outside a runtime.
    pub fn start(opts: MockOptions) -> io::Result<MockServer> {
        let app = Arc::new(App::new(opts.resolve()?));
        let std_listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let (shutdown, stop) = oneshot::channel();
        let (ready, is_ready) = std::sync::mpsc::channel::<io::Result<()>>();
        let service = router(app.clone());
        // The runtime is built and dropped on the server thread only: dropping a runtime on a
        // thread that is itself running async code would panic.
        let thread = std::thread::Builder::new()
            .name("influxdb3-mock-api".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        let _ = ready.send(Err(err));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match TcpListener::from_std(std_listener) {
                        Ok(listener) => {
                            let _ = ready.send(Ok(()));
                            accept_loop(listener, service, stop).await;
                        }
                        Err(err) => {
                            let _ = ready.send(Err(err));
                        }
                    }
                });
            })?;
        let started = is_ready.recv().unwrap_or_else(|_| {
            Err(io::Error::other(
                "the mock thread ended before it was ready",
            ))
        });
        if let Err(err) = started {
            let _ = thread.join();
            return Err(err);
        }
        Ok(Self::new(
            app,
            addr,
            Runner::Thread {
                shutdown: Some(shutdown),
                thread: Some(thread),
            },
        ))
    }

    fn new(app: Arc<App>, addr: SocketAddr, runner: Runner) -> Self {
        let default = app.identity.clusters[0];
        let ids = Ids {
            account_id: default.account_id.to_string(),
            cluster_id: default.cluster_id.to_string(),
        };
        Self {
            app,
            addr,
            ids,
            runner,
        }
    }

    /// The API base URL to configure a client with: `http://127.0.0.1:PORT/api/v0`.
    pub fn endpoint(&self) -> String {
        format!("{}/api/v0", self.base_url())
    }

    /// The server root, for the control endpoints: `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The default cluster's account id (lowercase hyphenated UUID).
    pub fn account_id(&self) -> &str {
        &self.ids.account_id
    }

    /// The default cluster's id (lowercase hyphenated UUID).
    pub fn cluster_id(&self) -> &str {
        &self.ids.cluster_id
    }

    /// Every served `(account_id, cluster_id)`, the default cluster first, then the
    /// [`MockOptions::extra_clusters`] in order (lowercase hyphenated UUIDs).
    pub fn clusters(&self) -> Vec<(String, String)> {
        self.app
            .identity
            .clusters
            .iter()
            .map(|c| (c.account_id.to_string(), c.cluster_id.to_string()))
            .collect()
    }

    /// The management token the API accepts.
    pub fn management_token(&self) -> &str {
        &self.app.identity.management_token
    }

    /// The request log, oldest first (same as `GET /__mock/requests`).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.app.requests()
    }

    /// All tokens (revoked included, without secrets) and databases of every cluster, and the
    /// current switches (same as `GET /__mock/state`).
    pub fn state(&self) -> serde_json::Value {
        self.app.state_json()
    }

    /// Applies a behaviour-switch patch (same as `POST /__mock/config`); on error nothing
    /// changes.
    pub fn configure(&self, patch: serde_json::Value) -> Result<(), MockError> {
        self.app.configure(patch).map(|_| ())
    }

    /// Forgets all tokens, databases and logged requests and restores the default switches
    /// (same as `POST /__mock/reset`). Ids and the management token stay.
    pub fn reset(&self) {
        self.app.reset();
    }

    /// The one JSON line the binary prints when ready (no trailing newline):
    /// `{"endpoint":…,"account_id":…,"cluster_id":…,"management_token":…}`, plus
    /// `"clusters":[{"account_id":…,"cluster_id":…},…]` (every cluster, the default first)
    /// when the mock serves more than one.
    pub fn ready_line(&self) -> String {
        let endpoint = self.endpoint();
        let clusters = self.clusters();
        let line = ReadyLine {
            endpoint: &endpoint,
            account_id: self.account_id(),
            cluster_id: self.cluster_id(),
            management_token: self.management_token(),
            clusters: (clusters.len() > 1).then(|| {
                clusters
                    .into_iter()
                    .map(|(account_id, cluster_id)| ClusterLine {
                        account_id,
                        cluster_id,
                    })
                    .collect()
            }),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Runner::Thread { shutdown, thread } = &mut self.runner {
            drop(shutdown.take());
            if let Some(thread) = thread.take() {
                let _ = thread.join();
            }
        }
    }
}

fn check_loopback(addr: SocketAddr) -> Result<(), MockError> {
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        Err(MockError::InvalidOption {
            option: "listen",
            reason: format!(
                "{} is not a loopback address (the control endpoints have no auth)",
                addr.ip()
            ),
        })
    }
}
