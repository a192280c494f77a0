//! Proxy variables (issue 20, item 1): with `HTTP_PROXY`, `ALL_PROXY` and `HTTPS_PROXY` all
//! pointing at a recording "proxy", a loopback endpoint is still reached directly; the proxy
//! sees nothing, in particular no `Authorization` header.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use super::database_token::{ADDR, setup, token_config};
use super::support::actions;
use super::support::terraform_or_return;

/// A loopback listener that records what each connection sends and answers every request
/// with a forged empty list, as the proxy of the report did.
fn recording_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the fake proxy");
    let addr = listener.local_addr().expect("fake proxy address");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            record
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n[]",
            );
        }
    });
    (format!("http://{addr}"), seen)
}

#[test]
fn proxy_variables_never_divert_a_loopback_endpoint() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    let (proxy, seen) = recording_proxy();
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
    ] {
        wd.set_env(var, &proxy);
    }
    wd.set_env("NO_PROXY", "");
    wd.set_env("no_proxy", "");
    let plan = wd.step(&token_config("  description = \"behind a proxy\""));
    assert_eq!(actions(&plan, ADDR), ["create"]);
    let seen = seen
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    assert!(seen.is_empty(), "the proxy received requests: {seen:?}");
    assert!(
        mock.requests().iter().any(|r| r.method == "POST"),
        "the mock received the create"
    );
}
