//! Who may use the control endpoints under `/__mock/`.
//!
//! They have no authentication, so a web page open in a browser on the same machine could
//! otherwise reach them (a "simple" cross-origin `text/plain` POST needs no preflight) and reset
//! the mock or make it fail every call. A browser always sends `Origin` on a cross-origin POST
//! and cannot forge `Host` or send `application/json` without a preflight the mock never
//! answers, so the guard refuses: any `Host` that is not a loopback name or address (DNS
//! rebinding), any request with an `Origin` header, and a POST whose `Content-Type` is not
//! `application/json`. Test code and `curl -H 'Content-Type: application/json'` pass.

use axum::extract::Request;
use axum::http::header::{HOST, ORIGIN};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// The axum middleware of the control routes; see the module docs.
pub(crate) async fn control_guard(request: Request, next: Next) -> Response {
    match refusal(&request) {
        Some(error) => error.into_response(),
        None => next.run(request).await,
    }
}

/// Why `request` may not use a control endpoint, if it may not.
fn refusal(request: &Request) -> Option<ApiError> {
    let headers = request.headers();
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(is_loopback_host) {
        return Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "control endpoints answer only requests whose Host is a loopback address \
             (127.0.0.1, [::1] or localhost)",
        ));
    }
    if headers.contains_key(ORIGIN) {
        return Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "control endpoints refuse requests with an Origin header (browser requests)",
        ));
    }
    if request.method() == Method::POST && !super::body::is_json(headers) {
        return Some(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "control endpoints accept POST bodies only as Content-Type: application/json",
        ));
    }
    None
}

/// `127.0.0.1`, any `127.x.y.z`, `[::1]` or `localhost`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        // `[::1]` or `[::1]:port`
        match rest.split_once(']') {
            Some((inside, tail)) if tail.is_empty() || tail.starts_with(':') => inside,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            Some(_) => return false,
            None => host,
        }
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    name.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn loopback_hosts_are_names_and_addresses_of_this_machine_only() {
        for ok in [
            "127.0.0.1:80",
            "127.0.0.1",
            "127.9.9.9:1",
            "[::1]:8080",
            "[::1]",
            "LOCALHOST:3",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example:80",
            "localhost.evil.example",
            "127.0.0.1.nip.io:80",
            "[::1]x",
            "10.0.0.1:80",
            "0.0.0.0:80",
            "",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}
