//! Open and Close against the in-process mock, through the provider's own configuration (so
//! the client has the settings users get): what the API sees and what Close leaves.

use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::framework::attr;
use crate::framework::{Call, Provider};
use crate::mock::{MockOptions, MockServer};
use crate::model::permissions::{ACTION, RESOURCE};
use crate::provider::InfluxDb3Provider;
use crate::provider::testing::mock_block;
use crate::tokens::ephemeral::model::EXPIRES_IN;
use crate::tokens::model::{ACCESS_TOKEN, DESCRIPTION, EXPIRES_AT, ID, PERMISSIONS};

async fn context(mock: &MockServer) -> ProviderContext {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let mut diags = Diagnostics::new();
    InfluxDb3Provider
        .configure(&mock_block(mock), "1.11.4", &mut diags)
        .await
        .unwrap_or_else(|| panic!("configure: {diags:?}"))
}

fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

pub(crate) fn token_config(expires_in: Option<&str>) -> Value {
    let perm = Value::Object(BTreeMap::from([
        (ACTION.to_owned(), Value::from("write")),
        (RESOURCE.to_owned(), Value::from("ci")),
    ]));
    schema::schema().value_with([
        (DESCRIPTION, Value::from("pipeline 42")),
        (PERMISSIONS, Value::Set(vec![perm])),
        (EXPIRES_IN, expires_in.map_or(Value::Null, Value::from)),
    ])
}

pub(crate) fn mock_token(mock: &MockServer, id: &str) -> serde_json::Value {
    mock.state()["clusters"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["tokens"].as_array().cloned().unwrap_or_default())
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no token {id} in {:#}", mock.state()))
}

#[tokio::test]
async fn open_creates_a_marked_expiring_token_and_close_revokes_it() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let ctx = context(&mock).await;
    let mut diags = Diagnostics::new();
    let before = OffsetDateTime::now_utc();
    let opened = EphemeralDatabaseToken
        .open(Call::new(&ctx, &mut diags), &token_config(Some("30m")))
        .await
        .unwrap_or_else(|| panic!("open: {diags:?}"));
    let id = attr(&opened.result, ID).as_str().expect("id").to_owned();
    let token = mock_token(&mock, &id);
    let description = token["description"].as_str().expect("description");
    assert_eq!(
        crate::api::receipt_in(description).map(|(rest, _)| rest),
        Some("[ephemeral] pipeline 42"),
        "the mark, the description, and the create's receipt"
    );
    assert_eq!(
        token["permissions"],
        json!([{"action": "write", "resource": "ci"}])
    );
    let expires_at = attr(&opened.result, EXPIRES_AT)
        .as_str()
        .expect("expires_at");
    let expires = parse_instant(expires_at);
    let lived = expires.map(|e| e - before);
    assert!(
        lived.is_some_and(|d| d > time::Duration::minutes(29) && d <= time::Duration::minutes(30)),
        "expires {expires_at} is 30 minutes after the open"
    );
    assert!(!token["expiresAt"].is_null(), "the API got the expiry");
    assert!(
        attr(&opened.result, ACCESS_TOKEN)
            .as_str()
            .is_some_and(|s| s.starts_with("apiv1_"))
    );
    assert_eq!(attr(&opened.result, EXPIRES_IN), &Value::from("30m"));
    let private = String::from_utf8_lossy(&opened.private).into_owned();
    assert!(
        private.contains(&id) && !private.contains("apiv1_"),
        "{private}"
    );

    EphemeralDatabaseToken
        .close(Call::new(&ctx, &mut diags), &opened.private)
        .await;
    assert!(diags.is_empty(), "{diags:?}");
    assert!(!mock_token(&mock, &id)["revokedAt"].is_null(), "revoked");

    // A second close (the token already revoked: 404) is not an error.
    EphemeralDatabaseToken
        .close(Call::new(&ctx, &mut diags), &opened.private)
        .await;
    assert!(diags.is_empty(), "{diags:?}");
}

#[tokio::test]
async fn the_default_lifetime_is_one_hour_and_is_reported() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let ctx = context(&mock).await;
    let mut diags = Diagnostics::new();
    let opened = EphemeralDatabaseToken
        .open(Call::new(&ctx, &mut diags), &token_config(None))
        .await
        .unwrap_or_else(|| panic!("open: {diags:?}"));
    assert_eq!(attr(&opened.result, EXPIRES_IN), &Value::from("1h"));
    let created = parse_instant(
        mock_token(&mock, attr(&opened.result, ID).as_str().unwrap_or_default())["createdAt"]
            .as_str()
            .unwrap_or_default(),
    );
    let expires = parse_instant(
        attr(&opened.result, EXPIRES_AT)
            .as_str()
            .unwrap_or_default(),
    );
    let lived = expires.zip(created).map(|(e, c)| e - c);
    assert!(
        lived.is_some_and(|d| (d - time::Duration::hours(1)).abs() < time::Duration::seconds(2)),
        "{lived:?}"
    );
}

#[tokio::test]
async fn a_close_that_cannot_revoke_names_the_token_and_its_expiry() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let ctx = context(&mock).await;
    let mut diags = Diagnostics::new();
    let opened = EphemeralDatabaseToken
        .open(Call::new(&ctx, &mut diags), &token_config(Some("1m")))
        .await
        .unwrap_or_else(|| panic!("open: {diags:?}"));
    let id = attr(&opened.result, ID)
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // 403 is a definite refusal: no retry can help.
    mock.configure(json!({"faults": [{"method": "DELETE", "status": 403}]}))
        .expect("configure");
    EphemeralDatabaseToken
        .close(Call::new(&ctx, &mut diags), &opened.private)
        .await;
    let errors: Vec<_> = diags.iter().collect();
    assert_eq!(errors.len(), 1, "{diags:?}");
    let expires_at = attr(&opened.result, EXPIRES_AT)
        .as_str()
        .unwrap_or_default();
    assert_eq!(errors[0].summary, "Cannot Revoke Ephemeral Database Token");
    for needle in [id.as_str(), expires_at, "influxctl token delete"] {
        assert!(
            errors[0].detail.contains(needle),
            "{needle} in {}",
            errors[0].detail
        );
    }
    assert!(
        mock_token(&mock, &id)["revokedAt"].is_null(),
        "still active"
    );
    assert!(!errors[0].detail.contains(mock.management_token()));
}

#[tokio::test]
async fn garbage_private_bytes_are_an_error_not_a_call() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let ctx = context(&mock).await;
    let mut diags = Diagnostics::new();
    EphemeralDatabaseToken
        .close(Call::new(&ctx, &mut diags), b"nonsense")
        .await;
    assert!(diags.has_errors());
    assert!(mock.requests().is_empty());
}
