//! A scripted HTTP server for the client tests.
//!
//! Each request takes the next [`Step`] from a queue (or from a fallback responder when the
//! queue is empty). A step either answers with a status, body and headers after an optional
//! delay, or reads the request and closes the connection without answering: the listener's
//! streams can be "killed", after which every write fails and hyper drops the socket.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri};
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server does with one request.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Reply {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
        delay: Duration,
    },
    /// Read the request, then close the connection with no answer.
    Drop,
}

impl Step {
    pub(crate) fn json(status: u16, body: impl ToString) -> Step {
        Step::Reply {
            status,
            body: body.to_string(),
            headers: vec![("content-type".into(), "application/json".into())],
            delay: Duration::ZERO,
        }
    }

    pub(crate) fn raw(status: u16, content_type: &str, body: impl Into<String>) -> Step {
        Step::Reply {
            status,
            body: body.into(),
            headers: vec![("content-type".into(), content_type.into())],
            delay: Duration::ZERO,
        }
    }

    pub(crate) fn empty(status: u16) -> Step {
        Step::Reply {
            status,
            body: String::new(),
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Step {
        if let Step::Reply { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    pub(crate) fn after(mut self, wait: Duration) -> Step {
        if let Step::Reply { delay, .. } = &mut self {
            *delay = wait;
        }
        self
    }
}

/// Stands, in a scripted reply body, for the description of the last token create the server
/// received (receipt included): a script can then list or answer "the token this create made"
/// without knowing the receipt the client chose.
pub(crate) const SENT: &str = "@sent-description@";

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub method: Method,
    /// Path as sent (still percent-encoded).
    pub path: String,
    pub headers: HeaderMap,
    pub body: String,
}

type Responder = Arc<dyn Fn(&Seen) -> Step + Send + Sync>;

#[derive(Default)]
struct Shared {
    queue: Mutex<VecDeque<Step>>,
    fallback: Mutex<Option<Responder>>,
    seen: Mutex<Vec<Seen>>,
    current: AtomicUsize,
    peak: AtomicUsize,
    /// The description of the last token create, JSON-escaped (see [`SENT`]).
    sent: Mutex<String>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The running server; stops when dropped.
pub(crate) struct TestServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    pub(crate) async fn start() -> io::Result<TestServer> {
        Self::start_on("127.0.0.1:0".parse().map_err(io::Error::other)?).await
    }

    pub(crate) async fn start_on(addr: SocketAddr) -> io::Result<TestServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared))
            .into_make_service_with_connect_info::<Kill>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(KillListener(listener), app).await;
        });
        Ok(TestServer { addr, shared, task })
    }

    pub(crate) fn endpoint(&self) -> String {
        format!("http://{}/api/v0", self.addr)
    }

    pub(crate) fn push(&self, step: Step) {
        lock(&self.shared.queue).push_back(step);
    }

    pub(crate) fn fallback(&self, f: impl Fn(&Seen) -> Step + Send + Sync + 'static) {
        *lock(&self.shared.fallback) = Some(Arc::new(f));
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        lock(&self.shared.seen).clone()
    }

    pub(crate) fn count(&self, method: Method) -> usize {
        lock(&self.shared.seen)
            .iter()
            .filter(|s| s.method == method)
            .count()
    }

    /// Most requests the server was handling at once.
    pub(crate) fn peak(&self) -> usize {
        self.shared.peak.load(Ordering::SeqCst)
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(kill): ConnectInfo<Kill>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let seen = Seen {
        method,
        path: uri.path().to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    lock(&shared.seen).push(seen.clone());
    if seen.method == Method::POST && seen.path.ends_with("/tokens") {
        let sent = serde_json::from_str::<serde_json::Value>(&seen.body)
            .ok()
            .and_then(|b| b.get("description").map(ToString::to_string))
            .unwrap_or_default();
        *lock(&shared.sent) = sent.trim_matches('"').to_owned();
    }
    let now = shared.current.fetch_add(1, Ordering::SeqCst) + 1;
    shared.peak.fetch_max(now, Ordering::SeqCst);
    let step = lock(&shared.queue).pop_front();
    let step = match step {
        Some(step) => step,
        None => match lock(&shared.fallback).clone() {
            Some(f) => f(&seen),
            None => Step::json(
                599,
                r#"{"code":599,"message":"test server: no step scripted"}"#,
            ),
        },
    };
    let response = match step {
        Step::Drop => {
            kill.0.store(true, Ordering::SeqCst);
            Response::new(Body::empty())
        }
        Step::Reply {
            status,
            body,
            headers,
            delay,
        } => {
            tokio::time::sleep(delay).await;
            let mut builder =
                Response::builder().status(StatusCode::from_u16(status).unwrap_or_default());
            for (name, value) in headers {
                builder = builder.header(name, value);
            }
            let body = body.replace(SENT, &lock(&shared.sent));
            builder.body(Body::from(body)).unwrap_or_default()
        }
    };
    shared.current.fetch_sub(1, Ordering::SeqCst);
    response
}

/// Per-connection switch: once set, the connection can no longer be written to.
#[derive(Clone, Debug)]
struct Kill(Arc<AtomicBool>);

impl Connected<IncomingStream<'_, KillListener>> for Kill {
    fn connect_info(stream: IncomingStream<'_, KillListener>) -> Self {
        stream.remote_addr().clone()
    }
}

struct KillListener(TcpListener);

impl Listener for KillListener {
    type Io = KillableStream;
    type Addr = Kill;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, _)) => {
                    let kill = Arc::new(AtomicBool::new(false));
                    return (
                        KillableStream {
                            inner: stream,
                            kill: Arc::clone(&kill),
                        },
                        Kill(kill),
                    );
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(Kill(Arc::new(AtomicBool::new(false))))
    }
}

struct KillableStream {
    inner: TcpStream,
    kill: Arc<AtomicBool>,
}

impl KillableStream {
    fn killed(&self) -> bool {
        self.kill.load(Ordering::SeqCst)
    }
}

fn broken() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "test server dropped the connection",
    )
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.killed() {
            return Poll::Ready(Err(broken()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.killed() {
            return Poll::Ready(Err(broken()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.killed() {
            return Poll::Ready(Err(broken()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.killed() {
            return Poll::Ready(Err(broken()));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
