//! Starting and stopping, options, the ready line, and lock-poisoning recovery.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::super::start_options::Identity;
use super::super::state::App;
use super::super::{MockOptions, MockServer};
use super::Mock;

const ACCOUNT: &str = "11111111-1111-4111-8111-111111111111";
const CLUSTER: &str = "33333333-3333-4333-8333-333333333333";

fn fixed() -> MockOptions {
    MockOptions {
        management_token: Some("secret-token".to_owned()),
        account_id: Some(ACCOUNT.to_owned()),
        cluster_id: Some(CLUSTER.to_owned()),
        ..MockOptions::default()
    }
}

/// A blocking HTTP/1.1 request; returns the whole raw response.
fn raw_http(addr: &str, request: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[tokio::test]
async fn the_ready_line_is_one_json_object_with_the_fields_in_contract_order() {
    let mock = Mock::with(fixed()).await;
    let line = mock.server.ready_line();
    assert!(!line.contains('\n'));
    let expected = format!(
        r#"{{"endpoint":"{}","account_id":"{ACCOUNT}","cluster_id":"{CLUSTER}","management_token":"secret-token"}}"#,
        mock.server.endpoint()
    );
    assert_eq!(line, expected);
    let parsed: Value = serde_json::from_str(&line).expect("json");
    let endpoint = parsed["endpoint"].as_str().expect("endpoint");
    assert!(endpoint.starts_with("http://127.0.0.1:"));
    assert!(endpoint.ends_with("/api/v0"));
}

#[tokio::test]
async fn endpoint_and_base_url_point_at_the_bound_port() {
    let mock = Mock::new().await;
    let base = mock.server.base_url();
    let port: u16 = base
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .expect("port");
    assert_ne!(port, 0);
    assert_eq!(mock.server.endpoint(), format!("{base}/api/v0"));
}

#[tokio::test]
async fn default_options_give_random_uuids_and_a_token() {
    let a = Mock::new().await;
    let b = Mock::new().await;
    for mock in [&a, &b] {
        assert!(uuid::Uuid::try_parse(mock.server.account_id()).is_ok());
        assert!(uuid::Uuid::try_parse(mock.server.cluster_id()).is_ok());
        assert!(mock.server.management_token().len() >= 32);
    }
    assert_ne!(a.server.account_id(), b.server.account_id());
    assert_ne!(a.server.management_token(), b.server.management_token());
}

#[tokio::test]
async fn given_ids_are_reported_in_lowercase() {
    let mock = Mock::with(MockOptions {
        cluster_id: Some("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE".to_owned()),
        ..MockOptions::default()
    })
    .await;
    assert_eq!(
        mock.server.cluster_id(),
        "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    );
}

#[tokio::test]
async fn invalid_options_are_refused_with_invalid_input() {
    let cases = [
        MockOptions {
            account_id: Some("nope".to_owned()),
            ..MockOptions::default()
        },
        MockOptions {
            cluster_id: Some(ACCOUNT.replace('-', "")),
            ..MockOptions::default()
        },
        MockOptions {
            management_token: Some("has space".to_owned()),
            ..MockOptions::default()
        },
        MockOptions {
            management_token: Some(String::new()),
            ..MockOptions::default()
        },
        MockOptions {
            extra_clusters: vec![("x".to_owned(), CLUSTER.to_owned())],
            ..MockOptions::default()
        },
        MockOptions {
            extra_clusters: vec![(ACCOUNT.to_owned(), CLUSTER.to_owned())],
            ..fixed()
        },
    ];
    for options in cases {
        let err = MockServer::spawn(options.clone())
            .await
            .expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{options:?}");
        let err = MockServer::start(options).expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }
}

#[tokio::test]
async fn bind_refuses_a_non_loopback_address() {
    let addr: SocketAddr = "0.0.0.0:0".parse().expect("addr");
    let err = MockServer::bind(addr, MockOptions::default())
        .await
        .expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("loopback"));
}

#[test]
fn start_serves_on_its_own_thread_and_stops_when_dropped() {
    let server = MockServer::start(fixed()).expect("starts");
    let addr = server.base_url().trim_start_matches("http://").to_owned();
    let request = format!(
        "GET /api/v0/accounts/{ACCOUNT}/clusters/{CLUSTER}/tokens HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer secret-token\r\nConnection: close\r\n\r\n"
    );
    let response = raw_http(&addr, &request).expect("answered");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("[]"), "{response}");
    assert_eq!(server.requests().len(), 1);
    server
        .configure(json!({"latency_ms": 1}))
        .expect("configure works without a runtime");
    drop(server);
    let after = TcpStream::connect(&addr);
    assert!(after.is_err(), "nothing listens after drop");
}

#[tokio::test]
async fn start_also_works_when_called_inside_a_runtime() {
    let server = MockServer::start(fixed()).expect("starts");
    let url = format!(
        "{}/accounts/{ACCOUNT}/clusters/{CLUSTER}/databases",
        server.endpoint()
    );
    let reply = reqwest::Client::new()
        .get(url)
        .bearer_auth("secret-token")
        .send()
        .await
        .expect("answered");
    assert_eq!(reply.status().as_u16(), 200);
    drop(server);
}

#[tokio::test(start_paused = true)]
async fn a_spawned_server_stops_accepting_when_dropped() {
    let mock = Mock::new().await;
    let addr = mock
        .server
        .base_url()
        .trim_start_matches("http://")
        .to_owned();
    drop(mock);
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(&addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused);
}

#[test]
fn a_poisoned_lock_is_recovered_instead_of_panicking() {
    let identity: Identity = MockOptions::default().resolve().expect("valid");
    let app = Arc::new(App::new(identity));
    let poisoner = app.clone();
    let joined = std::thread::spawn(move || {
        let _guard = poisoner.lock();
        panic!("poison the lock on purpose");
    })
    .join();
    assert!(joined.is_err());
    assert!(app.requests().is_empty());
    app.reset();
    assert!(app.configure(json!({"latency_ms": 1})).is_ok());
}
