//! Where the plugin listens and how accepted connections become gRPC transports: a unix socket
//! in a directory only this user can enter (on unix), else TCP loopback in the host's
//! `PLUGIN_MIN_PORT`..`PLUGIN_MAX_PORT` range, each connection wrapped in TLS when the host
//! asked for AutoMTLS, within the limits of [`super::accept`].
//!
//! The socket directory is named `tfplugin-influxdb3-*` and removed when serving stops (after
//! `Shutdown`, Ctrl-C in debug mode, or SIGTERM). A process killed with SIGKILL cannot clean up:
//! its directory stays in the temp dir until removed by hand or by the system's tmp cleaner.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
#[cfg(unix)]
use tokio::net::UnixListener;
use tokio::sync::{Semaphore, mpsc};
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::server::Connected;

use super::accept::{AcceptBackoff, AcceptLimits, LogLimiter, WARNING_INTERVAL};
use super::handshake::ListenAddr;

/// Something a connection can be read from and written to.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// One accepted connection, plain or TLS, over a unix socket or TCP.
pub struct Conn(Pin<Box<dyn Io>>);

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Conn")
    }
}

impl Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.0.as_mut().poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.0.as_mut().poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.0.as_mut().poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.0.as_mut().poll_shutdown(cx)
    }
}

/// A bound listener and, for unix sockets, the private directory that holds the socket (removed
/// by [`Listener::cleanup`]).
#[derive(Debug)]
pub struct Listener {
    inner: Inner,
    /// The address for the handshake line or the reattach value.
    pub addr: ListenAddr,
    socket_dir: Option<PathBuf>,
}

#[derive(Debug)]
enum Inner {
    #[cfg(unix)]
    Unix(UnixListener),
    Tcp(TcpListener),
}

/// The loopback ports the host allows (`PLUGIN_MIN_PORT`, `PLUGIN_MAX_PORT`, both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    /// The first port tried.
    pub min: u16,
    /// The last port tried.
    pub max: u16,
}

impl PortRange {
    /// Reads the two variables as go-plugin does: neither set means any ephemeral port; a
    /// missing bound is 0 or 65535; a value that is not a port, or min above max, is an error
    /// naming the variable.
    pub fn from_vars(min: Option<&str>, max: Option<&str>) -> io::Result<Option<PortRange>> {
        if min.is_none() && max.is_none() {
            return Ok(None);
        }
        let parse = |name: &str, v: Option<&str>, default: u16| -> io::Result<u16> {
            match v {
                None => Ok(default),
                Some(v) => v.trim().parse().map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("{name}={v:?} is not a port number (0-65535)"),
                    )
                }),
            }
        };
        let range = PortRange {
            min: parse("PLUGIN_MIN_PORT", min, 0)?,
            max: parse("PLUGIN_MAX_PORT", max, u16::MAX)?,
        };
        if range.min > range.max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "PLUGIN_MIN_PORT ({}) is above PLUGIN_MAX_PORT ({})",
                    range.min, range.max
                ),
            ));
        }
        Ok(Some(range))
    }
}

/// Which kind of listener to open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Transport {
    /// A unix socket where the platform has them, else TCP loopback.
    #[default]
    Auto,
    /// TCP loopback even where unix sockets exist (`INFLUXDB3_PLUGIN_TRANSPORT=tcp`).
    Tcp,
}

impl Listener {
    /// Binds a unix socket in a new 0700 directory under `socket_dir` (the system temp
    /// directory when `None`); falls back to TCP on 127.0.0.1 if that fails. Non-unix builds
    /// always listen on TCP loopback.
    pub async fn bind(socket_dir: Option<&Path>) -> io::Result<Listener> {
        Self::bind_with(Transport::Auto, socket_dir, None).await
    }

    /// Binds as `transport` says; TCP honours `ports`.
    pub async fn bind_with(
        transport: Transport,
        socket_dir: Option<&Path>,
        ports: Option<PortRange>,
    ) -> io::Result<Listener> {
        #[cfg(unix)]
        if transport == Transport::Auto {
            match bind_unix(socket_dir) {
                Ok(listener) => return Ok(listener),
                Err(e) => {
                    tracing::debug!(error = %e, "unix socket unavailable, listening on TCP loopback");
                }
            }
        }
        let _ = (transport, socket_dir);
        Self::bind_tcp(ports).await
    }

    /// Binds TCP on 127.0.0.1: the first free port of `ports`, or an ephemeral one.
    pub async fn bind_tcp(ports: Option<PortRange>) -> io::Result<Listener> {
        let tcp = match ports {
            None => TcpListener::bind(("127.0.0.1", 0)).await?,
            Some(range) => bind_in_range(range).await?,
        };
        let addr = ListenAddr::Tcp(tcp.local_addr()?.to_string());
        tracing::debug!(address = %addr.address(), "listening on TCP loopback");
        Ok(Listener {
            inner: Inner::Tcp(tcp),
            addr,
            socket_dir: None,
        })
    }

    /// The directory to remove once serving stops, if this listener made one.
    pub fn socket_cleanup(&self) -> Option<PathBuf> {
        self.socket_dir.clone()
    }

    /// Removes the socket directory.
    pub fn cleanup(&self) {
        if let Some(dir) = &self.socket_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// Accepts connections in the background and yields them, after the TLS handshake when
    /// `tls` is set. A failed or late handshake (for example a client without the pinned
    /// certificate, or one that sends nothing) drops that connection only.
    pub fn incoming(
        self,
        tls: Option<TlsAcceptor>,
        limits: AcceptLimits,
    ) -> ReceiverStream<io::Result<Conn>> {
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(async move {
            let handshakes = Arc::new(Semaphore::new(limits.max_handshakes));
            let refusals = Arc::new(std::sync::Mutex::new(LogLimiter::new(WARNING_INTERVAL)));
            let mut accept_failures = LogLimiter::new(WARNING_INTERVAL);
            let mut over_cap = LogLimiter::new(WARNING_INTERVAL);
            let mut backoff = AcceptBackoff::default();
            loop {
                let stream = match self.accept().await {
                    Ok(s) => {
                        backoff.succeeded();
                        s
                    }
                    Err(e) => {
                        let delay = backoff.failed();
                        if let Some(suppressed) = accept_failures.allow(Instant::now()) {
                            tracing::warn!(error = %e, suppressed, retry_in_ms = delay.as_millis() as u64,
                                "accepting a connection failed");
                        }
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                };
                tracing::trace!("connection accepted");
                let tx = tx.clone();
                let Some(acceptor) = tls.clone() else {
                    let _ = tx.send(Ok(Conn(stream))).await;
                    continue;
                };
                let Ok(permit) = handshakes.clone().try_acquire_owned() else {
                    if let Some(suppressed) = over_cap.allow(Instant::now()) {
                        tracing::warn!(
                            max = limits.max_handshakes,
                            suppressed,
                            "too many TLS handshakes in progress; closed a new connection"
                        );
                    }
                    continue;
                };
                let refusals = refusals.clone();
                tokio::spawn(async move {
                    let handshake = acceptor.accept(stream);
                    let why = match tokio::time::timeout(limits.handshake_timeout, handshake).await
                    {
                        Ok(Ok(s)) => {
                            drop(permit);
                            tracing::trace!("TLS handshake complete");
                            let _ = tx.send(Ok(Conn(Box::pin(s)))).await;
                            return;
                        }
                        Ok(Err(e)) => e.to_string(),
                        Err(_) => "no TLS handshake within the time allowed".to_owned(),
                    };
                    drop(permit);
                    let allowed = refusals.lock().map(|mut l| l.allow(Instant::now()));
                    if let Ok(Some(suppressed)) = allowed {
                        tracing::warn!(error = %why, suppressed, "refused a TLS connection");
                    }
                });
            }
        });
        ReceiverStream::new(rx)
    }

    async fn accept(&self) -> io::Result<Pin<Box<dyn Io>>> {
        match &self.inner {
            #[cfg(unix)]
            Inner::Unix(l) => l.accept().await.map(|(s, _)| Box::pin(s) as _),
            Inner::Tcp(l) => l.accept().await.map(|(s, _)| {
                let _ = s.set_nodelay(true);
                Box::pin(s) as _
            }),
        }
    }

    /// Wraps a rustls configuration for [`Listener::incoming`].
    pub fn tls_acceptor(config: rustls::ServerConfig) -> TlsAcceptor {
        TlsAcceptor::from(Arc::new(config))
    }
}

async fn bind_in_range(range: PortRange) -> io::Result<TcpListener> {
    let mut last = None;
    for port in range.min..=range.max {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    let why = last.map(|e| e.to_string()).unwrap_or_default();
    Err(io::Error::new(
        io::ErrorKind::AddrInUse,
        format!(
            "no free loopback port between PLUGIN_MIN_PORT={} and PLUGIN_MAX_PORT={}: {why}",
            range.min, range.max
        ),
    ))
}

#[cfg(unix)]
fn bind_unix(socket_dir: Option<&Path>) -> io::Result<Listener> {
    use std::os::unix::fs::PermissionsExt;
    let mut builder = tempfile::Builder::new();
    // Mode 0700 from the moment it exists: only this user can reach the socket.
    builder
        .prefix("tfplugin-influxdb3-")
        .permissions(std::fs::Permissions::from_mode(0o700));
    let dir = match socket_dir {
        Some(parent) => builder.tempdir_in(parent)?,
        None => builder.tempdir()?,
    };
    let dir = dir.keep();
    let path = dir.join("plugin.sock");
    let listener = match UnixListener::bind(&path) {
        Ok(l) => l,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
    };
    restrict_to_owner(&path)?;
    let addr = ListenAddr::Unix(path.to_string_lossy().into_owned());
    Ok(Listener {
        inner: Inner::Unix(listener),
        addr,
        socket_dir: Some(dir),
    })
}

#[cfg(unix)]
fn restrict_to_owner(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[tokio::test]
    async fn the_socket_and_its_directory_are_private_to_the_user() {
        let parent = tempfile::tempdir().expect("tempdir");
        let listener = Listener::bind(Some(parent.path())).await.expect("bind");
        let ListenAddr::Unix(path) = &listener.addr else {
            panic!("expected a unix socket, got {:?}", listener.addr);
        };
        let path = Path::new(path);
        let dir = path.parent().expect("socket dir");
        assert!(dir.starts_with(parent.path()), "honours the socket dir");
        let dir_mode = std::fs::metadata(dir).expect("dir").permissions().mode() & 0o777;
        let sock_mode = std::fs::metadata(path).expect("sock").permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
        assert_eq!(sock_mode, 0o600);
        listener.cleanup();
        assert!(!dir.exists(), "cleanup removes the socket directory");
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;
    use crate::plugin::tls;
    use std::time::Duration;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpStream;
    use tokio_stream::StreamExt;

    fn acceptor() -> TlsAcceptor {
        let identity = tls::generate_server_identity().expect("identity");
        let pinned = tls::generate_server_identity().expect("identity").cert_der;
        Listener::tls_acceptor(tls::server_config(&identity, pinned).expect("config"))
    }

    /// Whether the server closed `conn` (EOF or reset) within `within`.
    async fn closed_within(conn: &mut TcpStream, within: Duration) -> bool {
        let mut buf = [0u8; 64];
        matches!(
            tokio::time::timeout(within, conn.read(&mut buf)).await,
            Ok(Ok(0) | Err(_))
        )
    }

    async fn tcp_listener(limits: AcceptLimits) -> (String, ReceiverStream<io::Result<Conn>>) {
        let listener = Listener::bind_tcp(None).await.expect("bind");
        let addr = listener.addr.address().to_owned();
        (addr, listener.incoming(Some(acceptor()), limits))
    }

    #[tokio::test]
    async fn a_connection_that_sends_no_handshake_is_closed_at_the_deadline() {
        let limits = AcceptLimits {
            handshake_timeout: Duration::from_millis(200),
            max_handshakes: 4,
        };
        let (addr, _incoming) = tcp_listener(limits).await;
        let mut idle = TcpStream::connect(&addr).await.expect("connect");
        assert!(
            closed_within(&mut idle, Duration::from_secs(10)).await,
            "an idle connection must not hold a handshake slot forever"
        );
    }

    #[tokio::test]
    async fn connections_beyond_the_handshake_cap_are_closed_at_once_and_slots_come_back() {
        let limits = AcceptLimits {
            handshake_timeout: Duration::from_secs(2),
            max_handshakes: 2,
        };
        let (addr, _incoming) = tcp_listener(limits).await;
        let mut held = Vec::new();
        for _ in 0..2 {
            held.push(TcpStream::connect(&addr).await.expect("connect"));
        }
        // Let the server take the first two into handshakes before the third arrives.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut extra = TcpStream::connect(&addr).await.expect("connect");
        assert!(
            closed_within(&mut extra, Duration::from_secs(1)).await,
            "a connection beyond the cap is closed without waiting for the deadline"
        );
        for conn in &mut held {
            assert!(closed_within(conn, Duration::from_secs(10)).await);
        }
        let mut later = TcpStream::connect(&addr).await.expect("connect");
        assert!(
            !closed_within(&mut later, Duration::from_millis(500)).await,
            "once the deadline freed the slots a new connection gets a handshake again"
        );
    }

    #[tokio::test]
    async fn without_tls_every_connection_is_handed_over() {
        let listener = Listener::bind_tcp(None).await.expect("bind");
        let addr = listener.addr.address().to_owned();
        let mut incoming = listener.incoming(None, AcceptLimits::default());
        let _client = TcpStream::connect(&addr).await.expect("connect");
        let got = tokio::time::timeout(Duration::from_secs(10), incoming.next()).await;
        assert!(matches!(got, Ok(Some(Ok(_)))));
    }

    #[tokio::test]
    async fn tcp_takes_a_port_from_the_host_range_and_names_the_range_when_it_is_full() {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("probe");
        let port = probe.local_addr().expect("addr").port();
        let range = PortRange {
            min: port,
            max: port,
        };
        let err = Listener::bind_tcp(Some(range))
            .await
            .expect_err("port busy");
        assert!(err.to_string().contains("PLUGIN_MIN_PORT"), "{err}");
        drop(probe);
        let listener = Listener::bind_tcp(Some(range)).await.expect("bind");
        assert_eq!(listener.addr, ListenAddr::Tcp(format!("127.0.0.1:{port}")));
    }

    #[test]
    fn the_port_variables_are_read_as_go_plugin_does() {
        assert_eq!(PortRange::from_vars(None, None).expect("none"), None);
        assert_eq!(
            PortRange::from_vars(Some("10000"), Some("25000")).expect("both"),
            Some(PortRange {
                min: 10000,
                max: 25000
            })
        );
        let err = PortRange::from_vars(Some("9"), Some("x")).expect_err("bad");
        assert!(err.to_string().contains("PLUGIN_MAX_PORT=\"x\""), "{err}");
        let err = PortRange::from_vars(Some("20"), Some("10")).expect_err("reversed");
        assert!(err.to_string().contains("above"), "{err}");
    }
}
