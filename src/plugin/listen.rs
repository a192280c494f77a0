//! Where the plugin listens and how accepted connections become gRPC transports: a unix socket
//! in a directory only this user can enter (on unix), else TCP loopback in the host's
//! `PLUGIN_MIN_PORT`..`PLUGIN_MAX_PORT` range, each connection wrapped in TLS when the host
//! asked for AutoMTLS, within the limits of [`super::accept`].
//!
//! The socket directory is named `tfplugin-influxdb3-*` and removed when serving stops (after
//! `Shutdown`, Ctrl-C in debug mode, SIGTERM, SIGHUP, SIGQUIT or SIGUSR1, or the death of the
//! host that launched the plugin). A process killed with SIGKILL cannot clean up:
//! its directory stays in the temp dir until removed by hand or by the system's tmp cleaner.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use tokio::io::AsyncReadExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
#[cfg(unix)]
use tokio::net::UnixListener;
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::server::Connected;

use super::accept::{AcceptBackoff, AcceptLimits, Evicting, LogLimiter, WARNING_INTERVAL};
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

    /// Binds a unix socket in a new 0700 directory of the system temp directory, and nothing
    /// else. Debug mode serves without TLS, so the directory's permissions are its only
    /// protection: over TCP, any local process could connect, configure the provider with its
    /// own endpoint and receive the management token from the developer's environment.
    pub fn bind_private() -> io::Result<Listener> {
        #[cfg(unix)]
        {
            bind_unix(None).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "debug mode serves without TLS and so only on a unix socket in a private \
                         directory, which cannot be made in {} ({e}); set TMPDIR to a writable \
                         directory",
                        std::env::temp_dir().display()
                    ),
                )
            })
        }
        #[cfg(not(unix))]
        {
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "debug mode serves without TLS and so only on a unix socket, which this \
                 platform lacks",
            ))
        }
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
    /// certificate, or one that sends nothing) drops that connection only, and no number of
    /// idle or stalled connections keeps a new one from its handshake (see [`AcceptLimits`]).
    pub fn incoming(
        self,
        tls: Option<TlsAcceptor>,
        limits: AcceptLimits,
    ) -> ReceiverStream<io::Result<Conn>> {
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(async move {
            let waiting = Evicting::new(limits.max_waiting);
            let handshakes = Evicting::new(limits.max_handshakes);
            let refusals = Arc::new(std::sync::Mutex::new(LogLimiter::new(WARNING_INTERVAL)));
            let mut accept_failures = LogLimiter::new(WARNING_INTERVAL);
            let mut accepted = LogLimiter::new(WARNING_INTERVAL);
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
                if let Some(suppressed) = accepted.allow(Instant::now()) {
                    tracing::trace!(suppressed, "connection accepted");
                }
                let tx = tx.clone();
                let Some(acceptor) = tls.clone() else {
                    let _ = tx.send(Ok(Conn(stream))).await;
                    continue;
                };
                let (waiting, handshakes, refusals) =
                    (waiting.clone(), handshakes.clone(), refusals.clone());
                tokio::spawn(async move {
                    let why = match handshake(stream, acceptor, limits, &waiting, &handshakes).await
                    {
                        Ok(conn) => {
                            tracing::trace!("TLS handshake complete");
                            let _ = tx.send(Ok(conn)).await;
                            return;
                        }
                        Err(why) => why,
                    };
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

/// One connection's way to a TLS session, in two stages. Until its first bytes arrive it only
/// waits (in `waiting`, holding no handshake slot), so idle connections cannot crowd out the
/// host; then it takes a place in `handshakes` for the TLS handshake proper. Either stage
/// evicts its oldest member when full, and each has the handshake deadline.
async fn handshake(
    mut stream: Pin<Box<dyn Io>>,
    acceptor: TlsAcceptor,
    limits: AcceptLimits,
    waiting: &Arc<std::sync::Mutex<Evicting>>,
    handshakes: &Arc<std::sync::Mutex<Evicting>>,
) -> Result<Conn, String> {
    let mut head = vec![0u8; 1024];
    let mut ticket = Evicting::admit(waiting);
    let read = tokio::select! {
        _ = ticket.evicted() => return Err("closed the longest-idle connection to make room".into()),
        r = tokio::time::timeout(limits.handshake_timeout, stream.read(&mut head)) => r,
    };
    drop(ticket);
    match read {
        Ok(Ok(n)) if n > 0 => head.truncate(n),
        Ok(Ok(_)) => return Err("closed before sending anything".into()),
        Ok(Err(e)) => return Err(e.to_string()),
        Err(_) => return Err("no TLS handshake within the time allowed".into()),
    }
    let stream = Prefixed {
        head,
        at: 0,
        inner: stream,
    };
    let mut ticket = Evicting::admit(handshakes);
    let done = tokio::select! {
        _ = ticket.evicted() => return Err("closed the longest-running handshake to make room".into()),
        r = tokio::time::timeout(limits.handshake_timeout, acceptor.accept(stream)) => r,
    };
    match done {
        Ok(Ok(s)) => Ok(Conn(Box::pin(s))),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no TLS handshake within the time allowed".into()),
    }
}

/// A stream whose first bytes were already read: they are read again first.
struct Prefixed {
    head: Vec<u8>,
    at: usize,
    inner: Pin<Box<dyn Io>>,
}

impl AsyncRead for Prefixed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.at < self.head.len() {
            let n = (self.head.len() - self.at).min(buf.remaining());
            let at = self.at;
            buf.put_slice(&self.head[at..at + n]);
            self.at += n;
            return Poll::Ready(Ok(()));
        }
        self.inner.as_mut().poll_read(cx, buf)
    }
}

impl AsyncWrite for Prefixed {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.inner.as_mut().poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.as_mut().poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.as_mut().poll_shutdown(cx)
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
            max_waiting: 4,
        };
        let (addr, _incoming) = tcp_listener(limits).await;
        let mut idle = TcpStream::connect(&addr).await.expect("connect");
        assert!(
            closed_within(&mut idle, Duration::from_secs(10)).await,
            "an idle connection must not hold a handshake slot forever"
        );
    }

    #[tokio::test]
    async fn idle_connections_beyond_the_cap_push_out_the_oldest_not_the_newest() {
        let limits = AcceptLimits {
            handshake_timeout: Duration::from_secs(30),
            max_handshakes: 1,
            max_waiting: 2,
        };
        let (addr, _incoming) = tcp_listener(limits).await;
        let mut oldest = TcpStream::connect(&addr).await.expect("connect");
        let mut held = TcpStream::connect(&addr).await.expect("connect");
        // The server admits connections in order; wait until it has the first two.
        assert!(!closed_within(&mut oldest, Duration::from_millis(100)).await);
        let mut newest = TcpStream::connect(&addr).await.expect("connect");
        assert!(
            closed_within(&mut oldest, Duration::from_secs(5)).await,
            "the longest-idle connection makes room, long before the deadline"
        );
        assert!(!closed_within(&mut held, Duration::from_millis(100)).await);
        assert!(
            !closed_within(&mut newest, Duration::from_millis(100)).await,
            "the newest connection is kept"
        );
    }

    #[tokio::test]
    async fn a_stalled_handshake_does_not_hold_the_only_slot_against_a_new_one() {
        use tokio::io::AsyncWriteExt;
        let limits = AcceptLimits {
            handshake_timeout: Duration::from_secs(30),
            max_handshakes: 1,
            max_waiting: 8,
        };
        let (addr, _incoming) = tcp_listener(limits).await;
        // Sends the start of a ClientHello, then nothing: it holds the one handshake slot.
        let mut stalled = TcpStream::connect(&addr).await.expect("connect");
        stalled.write_all(&[0x16, 0x03, 0x01]).await.expect("write");
        assert!(!closed_within(&mut stalled, Duration::from_millis(100)).await);
        let mut next = TcpStream::connect(&addr).await.expect("connect");
        next.write_all(&[0x16, 0x03, 0x01]).await.expect("write");
        assert!(
            closed_within(&mut stalled, Duration::from_secs(5)).await,
            "the stalled handshake gives its slot to the new one"
        );
        assert!(!closed_within(&mut next, Duration::from_millis(100)).await);
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
