//! Runs the provider as a go-plugin server: launched by Terraform (handshake, AutoMTLS, exit on
//! `Shutdown`) or, with `--debug`, standing alone for `TF_REATTACH_PROVIDERS`.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::watch;
use tonic::transport::Server;

use super::accept::AcceptLimits;
use super::controller::{Controller, HealthCheck, Stdio};
use super::handshake::{self, HandshakeError, ListenAddr};
use super::listen::{Listener, PortRange, Transport};
use super::tls::{self, TlsError};
use crate::proto::health::health_server::HealthServer;
use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::proto::tfplugin6::provider_server::{Provider, ProviderServer};

/// Terraform accepts messages up to this size; tonic's default of 4 MiB is too small for large
/// states.
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// How long a graceful stop may take before the process exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(250);

/// How often a launched plugin checks that the host that started it is still its parent.
const PARENT_CHECK_INTERVAL: Duration = Duration::from_millis(500);

/// The provider's full source address: the key of `TF_REATTACH_PROVIDERS`.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/ironflux/influxdb3";

/// Why the plugin could not serve.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    /// The launch contract was not met.
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
    /// TLS setup failed.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// Binding, writing the handshake line or serving failed.
    #[error("plugin I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// The gRPC server failed.
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// What the host put in the environment, read once so tests can supply it.
#[derive(Debug, Clone, Default)]
pub struct LaunchEnv {
    /// `TF_PLUGIN_MAGIC_COOKIE`.
    pub cookie: Option<String>,
    /// `PLUGIN_PROTOCOL_VERSIONS`.
    pub protocol_versions: Option<String>,
    /// `PLUGIN_CLIENT_CERT` (PEM).
    pub client_cert: Option<String>,
    /// `TF_DISABLE_PLUGIN_TLS` set to anything non-empty.
    pub disable_tls: bool,
    /// `PLUGIN_UNIX_SOCKET_DIR`.
    pub socket_dir: Option<PathBuf>,
    /// `PLUGIN_MIN_PORT`, as the host wrote it.
    pub min_port: Option<String>,
    /// `PLUGIN_MAX_PORT`, as the host wrote it.
    pub max_port: Option<String>,
    /// `INFLUXDB3_PLUGIN_TRANSPORT`: `tcp` listens on TCP loopback even where unix sockets
    /// exist (how the TCP path, the only one on Windows, is tested on Linux).
    pub transport: Option<String>,
}

impl LaunchEnv {
    fn listen_settings(&self) -> Result<(Transport, Option<PortRange>), std::io::Error> {
        let transport = match self.transport.as_deref().map(str::trim) {
            None | Some("" | "auto" | "unix") => Transport::Auto,
            Some("tcp") => Transport::Tcp,
            Some(other) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "INFLUXDB3_PLUGIN_TRANSPORT={other:?} is not a transport; use \"tcp\" or leave it unset"
                    ),
                ));
            }
        };
        let ports = PortRange::from_vars(self.min_port.as_deref(), self.max_port.as_deref())?;
        Ok((transport, ports))
    }
}

impl LaunchEnv {
    /// Reads the variables go-plugin hosts set.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        LaunchEnv {
            cookie: var(handshake::MAGIC_COOKIE_KEY),
            protocol_versions: var("PLUGIN_PROTOCOL_VERSIONS"),
            client_cert: var("PLUGIN_CLIENT_CERT"),
            disable_tls: var("TF_DISABLE_PLUGIN_TLS").is_some(),
            socket_dir: var("PLUGIN_UNIX_SOCKET_DIR").map(PathBuf::from),
            min_port: var("PLUGIN_MIN_PORT"),
            max_port: var("PLUGIN_MAX_PORT"),
            transport: var("INFLUXDB3_PLUGIN_TRANSPORT"),
        }
    }
}

/// Serves `provider` to the host that launched this process and returns when the host has
/// called `Shutdown`. SIGINT is ignored (the host handles Ctrl-C and then calls `Shutdown`).
pub async fn serve_launched<P: Provider>(
    provider: ProviderServer<P>,
    env: LaunchEnv,
) -> Result<(), PluginError> {
    handshake::check_cookie(env.cookie.as_deref())?;
    catch_interrupts().await;
    let version = handshake::negotiate(env.protocol_versions.as_deref())?;
    let (transport, ports) = env.listen_settings()?;
    let terminate = TerminateSignal::install()?;
    #[cfg(unix)]
    let parent = std::os::unix::process::parent_id();
    let tls = match (&env.client_cert, env.disable_tls) {
        (Some(pem), false) => {
            let pinned = tls::parse_client_cert(pem)?;
            let identity = tls::generate_server_identity()?;
            let config = tls::server_config(&identity, pinned)?;
            Some((identity.cert_der, Listener::tls_acceptor(config)))
        }
        _ => None,
    };
    let listener = Listener::bind_with(transport, env.socket_dir.as_deref(), ports).await?;
    let line = handshake::handshake_line(
        version,
        &listener.addr,
        tls.as_ref().map(|(der, _)| der.as_ref()),
    );
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()?;
    }
    tracing::trace!(tls = tls.is_some(), "handshake line written");
    let tls = tls.map(|(_, acceptor)| acceptor);
    #[cfg(unix)]
    let terminate = terminate.or_orphaned(parent);
    run_server(provider, listener, tls, true, terminate).await
}

/// Serves without TLS and prints the `TF_REATTACH_PROVIDERS` value to paste into the shell
/// that runs Terraform; stops on Ctrl-C. Only on a unix socket in a private directory: where
/// none can be made, it refuses to start rather than listen on TCP in the clear.
pub async fn serve_debug<P: Provider>(provider: ProviderServer<P>) -> Result<(), PluginError> {
    catch_interrupts().await;
    let terminate = TerminateSignal::install()?;
    let listener = Listener::bind_private()?;
    let reattach = reattach_value(&listener.addr, std::process::id());
    {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Provider started in debug mode. To use it, set this in the shell that runs \
             Terraform or OpenTofu:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n\n\
             Press Ctrl-C to stop the provider."
        )?;
        out.flush()?;
    }
    run_server(provider, listener, None, false, terminate).await
}

/// Replaces SIGINT's default action (exit) by tokio's handler before the host learns of us,
/// so a Ctrl-C right after the handshake cannot kill the process: `ctrl_c` installs it on
/// first poll, and it stays installed for the life of the process.
async fn catch_interrupts() {
    let mut interrupt = std::pin::pin!(tokio::signal::ctrl_c());
    std::future::poll_fn(|cx| {
        let _ = interrupt.as_mut().poll(cx);
        std::task::Poll::Ready(())
    })
    .await;
}

/// The JSON value of `TF_REATTACH_PROVIDERS` for a plugin listening at `addr`.
pub fn reattach_value(addr: &ListenAddr, pid: u32) -> String {
    serde_json::json!({
        PROVIDER_ADDRESS: {
            "Protocol": "grpc",
            "ProtocolVersion": handshake::PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": {"Network": addr.network(), "String": addr.address()},
        }
    })
    .to_string()
}

/// Serves until the host calls `Shutdown` (when `launched`; Ctrl-C is then ignored) or, in
/// debug mode, until the process gets Ctrl-C.
async fn run_server<P: Provider>(
    provider: ProviderServer<P>,
    listener: Listener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    launched: bool,
    terminate: TerminateSignal,
) -> Result<(), PluginError> {
    let (shutdown, stopping) = watch::channel(false);
    let on_terminate = shutdown.clone();
    tokio::spawn(async move {
        let why = terminate.received().await;
        tracing::debug!(reason = why, "stopping");
        on_terminate.send_replace(true);
    });
    let on_signal = shutdown.clone();
    tokio::spawn(async move {
        // A terminal's Ctrl-C reaches the whole process group. A launched plugin must outlive
        // it, as go-plugin's do: the host stops gracefully, lets in-flight calls (a create the
        // API has committed) finish, and then calls Shutdown. Stopping here would lose them.
        while tokio::signal::ctrl_c().await.is_ok() {
            if !launched {
                on_signal.send_replace(true);
                return;
            }
            tracing::debug!("interrupt received; ignored until the host calls Shutdown");
        }
    });
    let cleanup = ListenerCleanup(listener.socket_cleanup());
    let incoming = listener.incoming(tls, AcceptLimits::default());
    let provider = provider
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    let mut stop = stopping.clone();
    let server = Server::builder()
        .add_service(provider)
        .add_service(GrpcControllerServer::new(Controller::new(
            shutdown, launched,
        )))
        .add_service(GrpcStdioServer::new(Stdio::new(stopping.clone())))
        .add_service(HealthServer::new(HealthCheck))
        .serve_with_incoming_shutdown(incoming, async move {
            let _ = stop.wait_for(|s| *s).await;
        });
    let mut stopping = stopping;
    tokio::pin!(server);
    // Once the host has asked us to stop, give in-flight responses a moment, then return even
    // if a connection lingers: the host waits for the process to exit.
    let outcome = tokio::select! {
        r = &mut server => r.map_err(PluginError::from),
        _ = async {
            let _ = stopping.wait_for(|s| *s).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => Ok(()),
    };
    drop(cleanup);
    tracing::debug!("plugin server stopped");
    outcome
}

/// SIGTERM (what `kill`, systemd and CI runners send), SIGHUP (the terminal went away),
/// SIGQUIT and SIGUSR1 stop the server like `Shutdown` does, so the socket directory is
/// removed; their default actions would end the process without cleaning up. So does, for a
/// launched plugin, the death of the host that started it (its parent changes): nothing would
/// ever call `Shutdown` then. The handlers are installed before the handshake line is written,
/// so no such signal can arrive while the default action still applies. SIGKILL cannot be
/// caught: a killed provider leaves its `tfplugin-influxdb3-*` directory behind.
struct TerminateSignal {
    #[cfg(unix)]
    signals: Vec<(tokio::signal::unix::Signal, &'static str)>,
    /// The parent process id to watch, for a launched plugin.
    parent: Option<u32>,
}

impl TerminateSignal {
    fn install() -> std::io::Result<TerminateSignal> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut signals = Vec::new();
            for (kind, name) in [
                (SignalKind::terminate(), "SIGTERM"),
                (SignalKind::hangup(), "SIGHUP"),
                (SignalKind::quit(), "SIGQUIT"),
                (SignalKind::user_defined1(), "SIGUSR1"),
            ] {
                signals.push((signal(kind)?, name));
            }
            Ok(TerminateSignal {
                signals,
                parent: None,
            })
        }
        #[cfg(not(unix))]
        Ok(TerminateSignal { parent: None })
    }

    /// Also resolves when this process's parent is no longer `parent`.
    #[cfg(unix)]
    fn or_orphaned(mut self, parent: u32) -> Self {
        self.parent = Some(parent);
        self
    }

    /// Resolves with the reason on the first of the signals (or the parent's death); never
    /// where there is neither.
    async fn received(self) -> &'static str {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<&'static str>(1);
        #[cfg(unix)]
        for (mut signal, name) in self.signals {
            let tx = tx.clone();
            tokio::spawn(async move {
                if signal.recv().await.is_some() {
                    let _ = tx.send(name).await;
                }
            });
        }
        #[cfg(unix)]
        if let Some(parent) = self.parent {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(PARENT_CHECK_INTERVAL);
                loop {
                    every.tick().await;
                    if std::os::unix::process::parent_id() != parent {
                        let _ = tx.send("the host process is gone").await;
                        return;
                    }
                }
            });
        }
        let _ = self.parent;
        // Keep a sender so the channel never closes when nothing is watched.
        let _keep = tx;
        match rx.recv().await {
            Some(why) => why,
            None => std::future::pending().await,
        }
    }
}

/// Removes the socket directory when the server stops, however it stops.
struct ListenerCleanup(Option<PathBuf>);

impl Drop for ListenerCleanup {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reattach_value_names_the_full_source_address() {
        let v = reattach_value(&ListenAddr::Unix("/tmp/p/plugin.sock".into()), 42);
        let parsed: serde_json::Value = serde_json::from_str(&v).expect("json");
        let entry = &parsed[PROVIDER_ADDRESS];
        assert_eq!(entry["ProtocolVersion"], 6);
        assert_eq!(entry["Pid"], 42);
        assert_eq!(entry["Addr"]["Network"], "unix");
        assert_eq!(entry["Addr"]["String"], "/tmp/p/plugin.sock");
    }
}
