//! Reading request bodies: the JSON object itself and typed fields of it, all failures 400.
//!
//! Bodies are parsed by hand (not with axum's `Json` extractor) so every failure gets the API's
//! `{code,message}` body and a message naming the field.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use super::error::ApiError;

/// A request body's top-level JSON object.
pub(crate) type Object = Map<String, Value>;

/// A request body as the handlers extract it: the bytes, or why axum could not read them.
pub(crate) type Body = Result<Bytes, BytesRejection>;

/// Whether the request says its body is JSON: `Content-Type: application/json`, parameters
/// such as `charset` allowed.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses the body of a POST or PATCH. Requires `Content-Type: application/json` (parameters
/// such as `charset` allowed), a non-empty body, valid JSON, and a top-level object.
pub(crate) fn json_object(headers: &HeaderMap, body: &[u8]) -> Result<Object, ApiError> {
    if !is_json(headers) {
        return Err(ApiError::bad_request(
            "Content-Type must be application/json",
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("request body is required"));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("request body must be a JSON object")),
        Err(e) => Err(ApiError::bad_request(format!(
            "request body is not valid JSON: {e}"
        ))),
    }
}

/// The top-level JSON object of a request body (see [`json_object`] and [`bytes`]).
pub(crate) fn json(headers: &HeaderMap, body: Body) -> Result<Object, ApiError> {
    json_object(headers, &bytes(body)?)
}

/// The body bytes, or the extractor's own status (e.g. 413 over axum's default 2 MB body
/// limit) with a `{code,message}` body.
pub(crate) fn bytes(bytes: Body) -> Result<Bytes, ApiError> {
    bytes.map_err(|rejection| ApiError::new(rejection.status(), rejection.body_text()))
}

/// A string field; absent → `None`; present with another type (including `null`) → 400.
pub(crate) fn opt_str<'a>(obj: &'a Object, key: &str) -> Result<Option<&'a str>, ApiError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::bad_request(format!("`{key}` must be a string"))),
    }
}

/// A string field that must be there; absent → 400 saying so, another type → 400.
pub(crate) fn required_str<'a>(obj: &'a Object, key: &str) -> Result<&'a str, ApiError> {
    opt_str(obj, key)?.ok_or_else(|| ApiError::bad_request(format!("`{key}` is required")))
}

/// An array field; absent → `None`; present with another type (including `null`) → 400.
pub(crate) fn opt_array<'a>(obj: &'a Object, key: &str) -> Result<Option<&'a [Value]>, ApiError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(_) => Err(ApiError::bad_request(format!("`{key}` must be an array"))),
    }
}

/// An integer field within `min..=max`; absent → `None`; non-integer (`1.0` included), `null`
/// or out of range → 400.
pub(crate) fn opt_int(
    obj: &Object,
    key: &str,
    min: i64,
    max: i64,
) -> Result<Option<i64>, ApiError> {
    match obj.get(key) {
        None => Ok(None),
        Some(value) => value
            .as_i64()
            .filter(|n| (min..=max).contains(n))
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad_request(format!("`{key}` must be an integer from {min} to {max}"))
            }),
    }
}

/// The number of Unicode scalar values (what JSON Schema's `minLength`/`maxLength` count).
pub(crate) fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// A PATCH's field: given, it replaces the value; left out, the value stays.
pub(crate) fn apply<T>(value: &mut T, given: Option<T>) {
    if let Some(given) = given {
        *value = given;
    }
}
