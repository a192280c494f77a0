//! Creates whose outcome is unknown: sent once, then reconciled against the list.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::server::{Step, TestServer};
use super::*;
use crate::api::{CreateKind, CreateTokenRequest, Permission};

fn req() -> CreateTokenRequest {
    CreateTokenRequest {
        description: "ci writer".into(),
        permissions: vec![
            Permission::new("read", "db1"),
            Permission::new("write", "db1"),
        ],
        expires_at: Some(time::macros::datetime!(2030-01-01 00:00 UTC)),
    }
}

/// A listed token matching `req()` (permissions in another order, expiry in another form).
fn matching(id: &str) -> Value {
    let mut t = token_json(
        id,
        "ci writer",
        json!([{"action": "write", "resource": "db1"}, {"action": "read", "resource": "db1"}]),
        &now_rfc3339(),
    );
    t["expiresAt"] = json!("2030-01-01T01:00:00.000+01:00");
    t
}

/// Listed tokens that differ from `req()` in one way each.
fn near_misses() -> Vec<Value> {
    let mut revoked = matching("revoked");
    revoked["revokedAt"] = json!("2024-01-01T00:00:00Z");
    let mut old = matching("old");
    old["createdAt"] = json!("2020-01-01T00:00:00Z");
    let mut other_expiry = matching("other-expiry");
    other_expiry["expiresAt"] = json!("2031-01-01T00:00:00Z");
    let mut no_expiry = matching("no-expiry");
    no_expiry["expiresAt"] = Value::Null;
    let mut other_desc = matching("other-desc");
    other_desc["description"] = json!("ci reader");
    let mut other_perms = matching("other-perms");
    other_perms["permissions"] = read_db();
    vec![
        revoked,
        old,
        other_expiry,
        no_expiry,
        other_desc,
        other_perms,
    ]
}

fn list_with(tokens: &[Value]) -> Step {
    Step::json(200, Value::Array(tokens.to_vec()))
}

#[tokio::test]
async fn dropped_create_is_sent_once_and_adopts_the_one_match() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    let mut listed = near_misses();
    listed.push(matching("the-one"));
    server.push(list_with(&listed));
    let client = client_for(&server)?;

    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    let adopted = err.adopted_token().ok_or("expected an adopted token")?;
    assert_eq!(adopted.id, "the-one");
    match &err {
        ApiError::CreateUnconfirmed {
            kind,
            name,
            candidates,
            cause,
            lookup_error,
            ..
        } => {
            assert_eq!(*kind, CreateKind::Token);
            assert_eq!(name, "ci writer");
            assert!(candidates.is_empty());
            assert!(matches!(**cause, ApiError::Transport { .. }), "{cause:?}");
            assert!(lookup_error.is_none());
        }
        other => return Err(format!("unexpected {other:?}").into()),
    }
    let text = err.to_string();
    assert!(
        text.contains("the-one") && text.contains("cannot be read again"),
        "{text}"
    );
    assert_no_secrets(&err);
    assert_eq!(server.count(Method::POST), 1);
    assert_eq!(server.count(Method::GET), 1);
    Ok(())
}

#[tokio::test]
async fn tokens_this_client_created_or_adopted_are_never_adopted_again() -> TestResult {
    let server = TestServer::start().await?;
    let mut created = matching("mine");
    created["accessToken"] = json!(ACCESS);
    server.push(Step::json(200, created));
    server.push(Step::Drop);
    server.push(list_with(&[matching("mine"), matching("fresh")]));
    server.push(Step::Drop);
    server.push(list_with(&[matching("mine"), matching("fresh")]));
    let client = client_for(&server)?;

    assert_eq!(
        client.create_token(&cluster(), &req()).await?.token.id,
        "mine"
    );
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(err.adopted_token().map(|t| t.id.as_str()), Some("fresh"));

    // Both are now claimed: a third ambiguous create finds nothing it may adopt.
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert!(
        err.is_create_unconfirmed() && err.adopted_token().is_none(),
        "{err:?}"
    );
    Ok(())
}

#[tokio::test]
async fn several_matches_are_named_not_adopted() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(500, json!({"code": 500, "message": "internal"})));
    server.push(list_with(&[matching("cand-a"), matching("cand-b")]));
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    match &err {
        ApiError::CreateUnconfirmed {
            adopted: None,
            candidates,
            ..
        } => assert_eq!(candidates, &["cand-a".to_owned(), "cand-b".to_owned()]),
        other => return Err(format!("unexpected {other:?}").into()),
    }
    let text = err.to_string();
    assert!(
        text.contains("cand-a, cand-b") && text.contains("Import"),
        "{text}"
    );
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test]
async fn a_lagging_list_is_read_again() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.push(list_with(&near_misses()));
    server.push(list_with(&[matching("late")]));
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(err.adopted_token().map(|t| t.id.as_str()), Some("late"));
    assert_eq!(server.count(Method::GET), 2);
    Ok(())
}

#[tokio::test]
async fn nothing_found_after_the_window_says_so() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.fallback(|_| Step::json(200, "[]"));
    let client = client_for(&server)?; // reconcile window 80 ms → a few lists
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert!(
        err.is_create_unconfirmed() && err.adopted_token().is_none(),
        "{err:?}"
    );
    let lists = server.count(Method::GET);
    assert!((2..=5).contains(&lists), "{lists} lists");
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test]
async fn a_failing_list_is_reported_with_the_cause() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.push(Step::json(
        401,
        json!({"code": 401, "message": "unauthorized"}),
    ));
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    match &err {
        ApiError::CreateUnconfirmed {
            lookup_error: Some(lookup),
            ..
        } => assert!(lookup.is_unauthorized()),
        other => return Err(format!("unexpected {other:?}").into()),
    }
    assert!(err.to_string().contains("duplicate"), "{err}");
    Ok(())
}

#[tokio::test]
async fn a_truncated_200_is_reconciled_without_quoting_the_secret() -> TestResult {
    let server = TestServer::start().await?;
    let mut created = matching("half");
    created["accessToken"] = json!(ACCESS);
    let text = created.to_string();
    let cut = text.find(ACCESS).map(|i| i + 40).unwrap_or(text.len());
    server.push(Step::json(200, &text[..cut]));
    server.push(list_with(&[matching("half")]));
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(err.adopted_token().map(|t| t.id.as_str()), Some("half"));
    assert!(err.to_string().contains("truncated JSON"), "{err}");
    assert_no_secrets(&err);
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test]
async fn a_200_without_access_token_is_reconciled() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(200, matching("no-secret")));
    server.push(list_with(&[matching("no-secret")]));
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(
        err.adopted_token().map(|t| t.id.as_str()),
        Some("no-secret")
    );
    Ok(())
}

#[tokio::test]
async fn a_create_timeout_is_reconciled_not_retried() -> TestResult {
    let server = TestServer::start().await?;
    let mut created = matching("slow");
    created["accessToken"] = json!(ACCESS);
    server.push(Step::json(200, created).after(Duration::from_millis(300)));
    server.push(list_with(&[matching("slow")]));
    let client = client_with(ClientConfig {
        request_timeout: Duration::from_millis(100),
        ..config(&server.endpoint())
    })?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    match &err {
        ApiError::CreateUnconfirmed { cause, .. } => {
            assert!(matches!(**cause, ApiError::Timeout { .. }), "{cause:?}")
        }
        other => return Err(format!("unexpected {other:?}").into()),
    }
    assert_eq!(err.adopted_token().map(|t| t.id.as_str()), Some("slow"));
    assert_no_secrets(&err);
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

/// Another configuration made an identical token moments before this request (issue 18,
/// item 5): it is not adopted, not offered for revocation, and "not created" is not claimed.
#[tokio::test]
async fn an_identical_token_made_just_before_the_request_is_not_taken_for_it() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        503,
        json!({"code": 503, "message": "unavailable"}),
    ));
    let mut theirs = matching("theirs");
    let before = time::OffsetDateTime::now_utc() - time::Duration::seconds(3);
    theirs["createdAt"] = json!(before.format(&time::format_description::well_known::Rfc3339)?);
    server.fallback(move |_| list_with(std::slice::from_ref(&theirs)));
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    match &err {
        ApiError::CreateUnconfirmed {
            adopted: None,
            candidates,
            earlier,
            ..
        } => {
            assert!(candidates.is_empty(), "{candidates:?}");
            assert_eq!(earlier, &["theirs".to_owned()]);
        }
        other => return Err(format!("unexpected {other:?}").into()),
    }
    let text = err.to_string();
    assert!(
        text.contains("Do not revoke")
            && !text.contains("theirs")
            && !text.contains("applying again is safe"),
        "{text}"
    );
    Ok(())
}
