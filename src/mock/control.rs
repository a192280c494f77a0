//! The control endpoints under `/__mock/`: no auth, never logged, never delayed or faulted;
//! only loopback, non-browser, JSON requests reach them (see `control_guard`).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::error::ApiError;
use super::state::App;

/// `GET /__mock/requests`: the request log, oldest first.
pub(crate) async fn requests(State(app): State<Arc<App>>) -> Response {
    Json(app.requests()).into_response()
}

/// `GET /__mock/state`: all tokens (revoked included, no secrets) and databases per cluster,
/// and the current switches.
pub(crate) async fn state(State(app): State<Arc<App>>) -> Response {
    Json(app.state_json()).into_response()
}

/// `POST /__mock/config`: applies a switch patch; 200 with the resulting switches, or 400 with
/// `{code,message}` and nothing changed. The guard admits only `Content-Type: application/json`.
pub(crate) async fn configure(
    State(app): State<Arc<App>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let patch: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("request body is not valid JSON: {e}")))?;
    let config = app
        .configure(patch)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(Json(config).into_response())
}

/// `POST /__mock/reset`: back to an empty mock with default switches; 204.
pub(crate) async fn reset(State(app): State<Arc<App>>) -> StatusCode {
    app.reset();
    StatusCode::NO_CONTENT
}
