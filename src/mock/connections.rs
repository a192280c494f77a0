//! Serving connections: an accept loop that runs each HTTP/1.1 connection in its own task.
//!
//! The mock serves connections itself (hyper directly, not `axum::serve`) so that one can be
//! closed with no answer at all: every request carries a [`ConnectionControl`]; when
//! `drop_response_after_commit` fires, the API layer calls [`ConnectionControl::abort`] and
//! never finishes the response, and the connection task drops the connection, which closes
//! the socket. The client sees a transport error, not an HTTP status.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinSet;

/// Lets a request's handler close the connection it arrived on without answering.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnectionControl(Arc<Notify>);

impl ConnectionControl {
    /// Asks the connection task to drop the connection. The caller must then not complete its
    /// response (await a future that never resolves): the task drops it with the connection.
    pub(crate) fn abort(&self) {
        self.0.notify_one();
    }

    async fn aborted(&self) {
        self.0.notified().await;
    }
}

/// Accepts connections until `shutdown` fires or its sender is dropped; then stops accepting
/// and drops every open connection.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    router: Router,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(stream: TcpStream, router: Router) {
    // Requests are small and latency matters more than throughput in tests and benchmarks.
    let _ = stream.set_nodelay(true);
    let control = ConnectionControl::default();
    let inner = TowerToHyperService::new(router);
    let per_request = control.clone();
    let service = service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(per_request.clone());
        hyper::service::Service::call(&inner, request)
    });
    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        // A connection error (client went away, malformed request) only ends this connection.
        _ = connection => {}
        () = control.aborted() => {}
    }
}
