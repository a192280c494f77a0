//! Debug logs name method, path, status and attempt, and never a secret or a body.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;

use super::server::{Step, TestServer};
use super::*;
use crate::api::{CreateTokenRequest, Permission};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn debug_logs_carry_no_secrets() -> TestResult {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Current-thread runtime: the client's futures run on this thread.
    //
    // Tests on other threads hit the same log callsites, and tracing caches one interest per
    // callsite for the whole process. With a single registered dispatcher, tracing computes the
    // interest of a callsite first hit on another thread from *that* thread's default (none):
    // "never", and this test's events from that callsite vanish. A second live dispatcher makes
    // tracing ask every registered one instead.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = TestServer::start().await?;
    // A callsite whose registration began before our subscriber existed may still have cached
    // "never" after `set_default` rebuilt the cache: rebuild it once more.
    tracing::callsite::rebuild_interest_cache();
    server.push(Step::json(503, json!({"code": 503, "message": "busy"})));
    server.push(Step::json(200, json!([made_json("t1")])));
    server.push(Step::json(200, created_json("t1")));
    let client = client_for(&server)?;
    client.list_tokens(&cluster()).await?;
    let req = CreateTokenRequest {
        description: "d".into(),
        permissions: vec![Permission::new("read", "db1")],
        expires_at: None,
    };
    client
        .create_token(&cluster(), &req, crate::api::Description::KeepReceipt)
        .await?;

    let text = String::from_utf8_lossy(
        &captured
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    )
    .into_owned();
    assert!(text.contains("management API request"), "{text}");
    assert!(
        text.contains("status=503") && text.contains("attempt=2"),
        "{text}"
    );
    assert!(!text.contains(MGMT), "management token in logs: {text}");
    assert!(
        !text.contains("ACCESS-do-not-print"),
        "access token in logs: {text}"
    );
    Ok(())
}
