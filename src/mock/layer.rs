//! The layer around every API request (everything outside `/__mock/`): latency, injected
//! faults, lost responses, and the request log.
//!
//! Order per request: sleep `latency_ms` (plus up to `latency_jitter_ms`); if a fault matches (and its `rate` roll hits), answer
//! it without running the handler; otherwise run the handler, and if the answer is a success
//! and `drop_response_after_commit` matches and hits, close the connection instead of
//! answering. Every outcome is logged, a dropped one with status 0.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::connections::ConnectionControl;
use super::error::ApiError;
use super::request_log::RequestRecord;
use super::state::App;
use super::switches::{MockConfig, latency, roll};
use super::timefmt;

/// Paths under this prefix are the control API: not logged, delayed or faulted.
pub(crate) const CONTROL_PREFIX: &str = "/__mock/";

/// The axum middleware function; see the module docs.
pub(crate) async fn api_layer(
    State(app): State<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with(CONTROL_PREFIX) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let at = timefmt::format_millis(timefmt::now_millis());
    let log = |status: u16| {
        app.record(RequestRecord {
            method: method.to_string(),
            path: path.clone(),
            status,
            at: at.clone(),
        });
    };

    let delay = latency(&app.lock().config);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }

    let (fault, drop_after_commit) = {
        let mut data = app.lock();
        let fault = fault_status(&data.config, &method, &path);
        (fault, drop_rolls(&mut data.config, &method, &path))
    };
    if let Some(status) = fault {
        log(status.as_u16());
        return ApiError::new(status, "injected fault").into_response();
    }

    let control = request.extensions().get::<ConnectionControl>().cloned();
    let response = next.run(request).await;
    if drop_after_commit && response.status().is_success() {
        // Without a control (never the case when served by `serve`), answer normally.
        if let Some(control) = control {
            log(0);
            control.abort();
            return std::future::pending().await;
        }
    }
    log(response.status().as_u16());
    response
}

/// The status of the first matching fault whose roll hits.
fn fault_status(config: &MockConfig, method: &Method, path: &str) -> Option<StatusCode> {
    config
        .faults
        .iter()
        .filter(|f| f.matches(method, path))
        .find(|f| roll(f.rate))
        .and_then(|f| StatusCode::from_u16(f.status).ok())
}

/// Whether this request's response is to be lost if it commits. A rule with a `count` counts
/// the hit and turns itself off after its last.
fn drop_rolls(config: &mut MockConfig, method: &Method, path: &str) -> bool {
    let Some(rule) = config.drop_response_after_commit.as_mut() else {
        return false;
    };
    if !(rule.matches(method, path) && roll(rule.rate)) {
        return false;
    }
    if let Some(left) = rule.count.as_mut() {
        *left = left.saturating_sub(1);
        if *left == 0 {
            config.drop_response_after_commit = None;
        }
    }
    true
}
