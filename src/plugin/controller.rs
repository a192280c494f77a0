//! The go-plugin side services: `GRPCController` (the host tells the plugin to exit),
//! `GRPCStdio` (nothing is streamed: logs go to stderr, which the host reads directly) and the
//! health check go-plugin's guide asks plugins to answer.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::sync::watch;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use crate::proto::health::health_check_response::ServingStatus;
use crate::proto::health::health_server::Health;
use crate::proto::health::{HealthCheckRequest, HealthCheckResponse};
use crate::proto::plugin::grpc_controller_server::GrpcController;
use crate::proto::plugin::grpc_stdio_server::GrpcStdio;
use crate::proto::plugin::{Empty, StdioData};

/// Answers `Shutdown` and tells the serve loop to stop. In debug mode the host does not own the
/// process, so Shutdown is answered but ignored.
#[derive(Debug, Clone)]
pub struct Controller {
    shutdown: watch::Sender<bool>,
    honour_shutdown: bool,
}

impl Controller {
    /// `shutdown` is set to true once the host asks the plugin to exit.
    pub fn new(shutdown: watch::Sender<bool>, honour_shutdown: bool) -> Self {
        Self {
            shutdown,
            honour_shutdown,
        }
    }
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        if self.honour_shutdown {
            tracing::debug!("host asked the plugin to shut down");
            self.shutdown.send_replace(true);
        }
        Ok(Response::new(Empty {}))
    }
}

/// A stdio stream that carries no data (the provider writes its logs to stderr) and ends when
/// the plugin shuts down, so that an open stream never holds the exit back.
#[derive(Debug, Clone)]
pub struct Stdio {
    shutdown: watch::Receiver<bool>,
}

impl Stdio {
    /// The stream ends once `shutdown` turns true.
    pub fn new(shutdown: watch::Receiver<bool>) -> Self {
        Self { shutdown }
    }
}

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = Pin<Box<dyn Stream<Item = Result<StdioData, Status>> + Send>>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        let mut shutdown = self.shutdown.clone();
        let ended = async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        };
        Ok(Response::new(Box::pin(EndsWhen(Box::pin(ended)))))
    }
}

/// A stream with no items that ends when its future completes.
struct EndsWhen(Pin<Box<dyn Future<Output = ()> + Send>>);

impl Stream for EndsWhen {
    type Item = Result<StdioData, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll(cx).map(|()| None)
    }
}

/// Reports `SERVING` for the whole server and for service `plugin`.
#[derive(Debug, Default, Clone)]
pub struct HealthCheck;

#[tonic::async_trait]
impl Health for HealthCheck {
    async fn check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let service = request.into_inner().service;
        let status = if service.is_empty() || service == "plugin" {
            ServingStatus::Serving
        } else {
            ServingStatus::ServiceUnknown
        };
        Ok(Response::new(HealthCheckResponse {
            status: status as i32,
        }))
    }
}
