//! Errors: [`MockError`] for callers of the in-process API, [`ApiError`] for HTTP answers.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Why the mock refused a setting given by its caller.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum MockError {
    /// A behaviour-switch patch (`POST /__mock/config` or [`crate::mock::MockServer::configure`])
    /// was rejected; nothing of it was applied.
    #[error("invalid mock configuration: {0}")]
    InvalidConfig(String),
    /// A [`crate::mock::MockOptions`] field or a listen address was unusable.
    #[error("invalid mock option `{option}`: {reason}")]
    InvalidOption {
        /// The option's name, as spelled in `MockOptions` or on the command line.
        option: &'static str,
        /// What is wrong with the value.
        reason: String,
    },
}

impl From<MockError> for std::io::Error {
    fn from(err: MockError) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, err)
    }
}

/// An HTTP error answer of the mock: the status plus the API's `{"code","message"}` body, where
/// `code` is the integer status (as the spec's shared error responses require).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

/// The API's error body.
#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    code: u16,
    message: &'a str,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 400: the request is malformed (path id, body, field value).
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: missing or wrong management token. The message never echoes the token sent.
    pub(crate) fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized")
    }

    /// 404 with a message naming what was not found.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409 with a message naming the conflict.
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.status.as_u16(),
            message: &self.message,
        };
        (self.status, Json(body)).into_response()
    }
}
