//! Where the plugin listens and how accepted connections become gRPC transports: a unix socket
//! in a directory only this user can enter (TCP loopback when that fails), each connection
//! wrapped in TLS when the host asked for AutoMTLS.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::server::Connected;

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
    Unix(UnixListener),
    Tcp(TcpListener),
}

impl Listener {
    /// Binds a unix socket in a new 0700 directory under `socket_dir` (the system temp
    /// directory when `None`); falls back to TCP on 127.0.0.1 if that fails.
    pub async fn bind(socket_dir: Option<&Path>) -> io::Result<Listener> {
        match bind_unix(socket_dir) {
            Ok(listener) => Ok(listener),
            Err(e) => {
                tracing::debug!(error = %e, "unix socket unavailable, listening on TCP loopback");
                Self::bind_tcp().await
            }
        }
    }

    /// Binds TCP on an ephemeral loopback port.
    pub async fn bind_tcp() -> io::Result<Listener> {
        let tcp = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = ListenAddr::Tcp(tcp.local_addr()?.to_string());
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
    /// `tls` is set. A failed handshake (for example a client without the pinned certificate)
    /// drops that connection only.
    pub fn incoming(self, tls: Option<TlsAcceptor>) -> ReceiverStream<io::Result<Conn>> {
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(async move {
            loop {
                let accepted: io::Result<Pin<Box<dyn Io>>> = match &self.inner {
                    Inner::Unix(l) => l.accept().await.map(|(s, _)| Box::pin(s) as _),
                    Inner::Tcp(l) => l.accept().await.map(|(s, _)| {
                        let _ = s.set_nodelay(true);
                        Box::pin(s) as _
                    }),
                };
                let stream = match accepted {
                    Ok(s) => s,
                    Err(e) => {
                        tracing::warn!(error = %e, "accepting a connection failed");
                        continue;
                    }
                };
                tracing::trace!("connection accepted");
                let tx = tx.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    let conn = match tls {
                        None => Conn(stream),
                        Some(acceptor) => match acceptor.accept(stream).await {
                            Ok(s) => {
                                tracing::trace!("TLS handshake complete");
                                Conn(Box::pin(s))
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "refused a TLS connection");
                                return;
                            }
                        },
                    };
                    let _ = tx.send(Ok(conn)).await;
                });
            }
        });
        ReceiverStream::new(rx)
    }

    /// Wraps a rustls configuration for [`Listener::incoming`].
    pub fn tls_acceptor(config: rustls::ServerConfig) -> TlsAcceptor {
        TlsAcceptor::from(Arc::new(config))
    }
}

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

fn restrict_to_owner(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(test)]
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
