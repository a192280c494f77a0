//! Client tests against a scripted in-process server ([`server::TestServer`]).

mod cache;
mod create_retry;
mod databases;
mod errors;
mod fuzz;
mod https;
mod list_trust;
mod logging;
mod reconcile;
/// Runs against the crate's own mock, so only with the `mock` feature.
#[cfg(feature = "mock")]
mod recovery;
mod retries;
mod server;
mod tokens;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::clock::Clock;
use super::{ApiError, Client, ClientConfig, Cluster, Secret};
use server::TestServer;

/// The management token every test client sends; must never show up in an error.
pub(crate) const MGMT: &str = "mgmt-TOKEN-do-not-print-0123456789";
/// An access token the server hands out; must never show up in an error.
pub(crate) const ACCESS: &str =
    "apiv1_ACCESS-do-not-print-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

pub(crate) const ACCOUNT: &str = "11111111-1111-4111-8111-111111111111";
pub(crate) const CLUSTER: &str = "33333333-3333-4333-8333-333333333333";

pub(crate) type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

pub(crate) fn cluster() -> Cluster {
    Cluster::new(ACCOUNT, CLUSTER)
}

/// Settings with tiny delays so retries and reconciles finish fast.
pub(crate) fn config(endpoint: &str) -> ClientConfig {
    ClientConfig {
        request_timeout: Duration::from_secs(5),
        retry_base_delay: Duration::from_millis(1),
        retry_max_delay: Duration::from_millis(5),
        reconcile_window: Duration::from_millis(80),
        ..ClientConfig::new(endpoint, Secret::new(MGMT))
    }
}

pub(crate) fn client_for(server: &TestServer) -> Result<Client, ApiError> {
    client_with(config(&server.endpoint()))
}

pub(crate) fn client_with(cfg: ClientConfig) -> Result<Client, ApiError> {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    Client::new(cfg)
}

/// A clock that stands still but for the sleeps asked of it, which take no real time: it
/// records every wait, and its time is their sum.
#[derive(Debug, Default)]
pub(crate) struct TestClock(std::sync::Mutex<Vec<Duration>>);

impl TestClock {
    /// The waits asked for, in order.
    pub(crate) fn asked(&self) -> Vec<Duration> {
        self.0.lock().map(|waits| waits.clone()).unwrap_or_default()
    }
}

impl Clock for TestClock {
    fn now(&self) -> Duration {
        self.asked().iter().sum()
    }

    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        if let Ok(mut waits) = self.0.lock() {
            waits.push(wait);
        }
        Box::pin(std::future::ready(()))
    }
}

/// A client on a [`TestClock`], returned beside it.
pub(crate) fn client_on_test_clock(
    cfg: ClientConfig,
) -> Result<(Client, Arc<TestClock>), ApiError> {
    let clock = Arc::new(TestClock::default());
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let client = Client::on_clock(cfg, clock.clone())?;
    Ok((client, clock))
}

/// A DELETE whose first answer was lost (so it took effect) and whose four retries (the
/// default `max_retries`) all met 503.
pub(crate) fn push_lost_delete_then_503s(server: &TestServer) {
    server.push(server::Step::Drop);
    for _ in 0..4 {
        server.push(server::Step::json(
            503,
            json!({"code": 503, "message": "busy"}),
        ));
    }
}

pub(crate) fn tokens_path() -> String {
    format!("/api/v0/accounts/{ACCOUNT}/clusters/{CLUSTER}/tokens")
}

pub(crate) fn databases_path() -> String {
    format!("/api/v0/accounts/{ACCOUNT}/clusters/{CLUSTER}/databases")
}

/// A token as list/get return it.
pub(crate) fn token_json(
    id: &str,
    description: &str,
    permissions: Value,
    created_at: &str,
) -> Value {
    json!({
        "accountId": ACCOUNT,
        "clusterId": CLUSTER,
        "id": id,
        "description": description,
        "permissions": permissions,
        "createdAt": created_at,
    })
}

/// A create's answer: the token with the description the create sent (receipt included, see
/// [`server::SENT`]) and its access token.
pub(crate) fn created_json(id: &str) -> Value {
    let mut t = token_json(id, server::SENT, read_db(), &now_rfc3339());
    t["accessToken"] = json!(ACCESS);
    t
}

/// A listed token that the last create made: it carries that create's receipt.
pub(crate) fn made_json(id: &str) -> Value {
    token_json(id, server::SENT, read_db(), &now_rfc3339())
}

/// Answers the PATCH that sets a new token's description back: the token of the path's id,
/// with the description of the body.
pub(crate) fn patched(seen: &server::Seen) -> server::Step {
    let id = seen.path.rsplit('/').next().unwrap_or_default();
    let description = serde_json::from_str::<Value>(&seen.body)
        .ok()
        .and_then(|b| {
            b.get("description")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default();
    server::Step::json(200, token_json(id, &description, read_db(), &now_rfc3339()))
}

/// `createdAt` for a token made just now.
pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub(crate) fn read_db() -> Value {
    json!([{"action": "read", "resource": "db1"}])
}

/// Fails when an error's `Display` or `Debug` contains a secret.
pub(crate) fn assert_no_secrets(err: &ApiError) {
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(MGMT), "management token leaked: {text}");
        assert!(!text.contains(ACCESS), "access token leaked: {text}");
        assert!(
            !text.contains("ACCESS-do-not-print"),
            "access token leaked: {text}"
        );
    }
}

#[test]
fn client_and_its_futures_are_send() -> TestResult {
    fn is_send<T: Send>(_: &T) {}
    fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<Client>();
    is_send_sync::<ApiError>();
    let client = client_with(config("http://127.0.0.1:1/api/v0"))?;
    let c = cluster();
    let token_req = crate::api::CreateTokenRequest {
        description: "d".into(),
        permissions: vec![],
        expires_at: None,
    };
    let update = crate::api::UpdateTokenRequest::default();
    let db_req = crate::api::CreateDatabaseRequest::default();
    let db_update = crate::api::DatabaseSettings::default();
    is_send(&client.list_tokens(&c));
    is_send(&client.cached_token_index(&c));
    is_send(&client.get_token(&c, "t"));
    is_send(&client.create_token(&c, &token_req, crate::api::Description::Restore));
    is_send(&client.update_token(&c, "t", &update));
    is_send(&client.delete_token(&c, "t"));
    is_send(&client.list_databases(&c));
    is_send(&client.cached_databases(&c));
    is_send(&client.create_database(&c, &db_req));
    is_send(&client.update_database(&c, "d", &db_update));
    is_send(&client.delete_database(&c, "d"));
    Ok(())
}
