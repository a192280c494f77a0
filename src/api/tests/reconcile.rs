//! Creates without a usable answer: settled by the receipt the create carried, never by how
//! alike a listed token looks.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::server::{SENT, Seen, Step, TestServer};
use super::*;
use crate::api::{CreateKind, CreateTokenRequest, Description, Permission, Unsettled};

fn req() -> CreateTokenRequest {
    CreateTokenRequest {
        description: "ci writer".into(),
        permissions: vec![Permission::new("read", "db1")],
        expires_at: None,
    }
}

/// A token exactly like `req()`'s, made by another configuration: no receipt.
fn identical(id: &str) -> Value {
    token_json(id, "ci writer", read_db(), &now_rfc3339())
}

fn list_with(tokens: &[Value]) -> Step {
    Step::json(200, Value::Array(tokens.to_vec()))
}

/// The paths of the DELETEs the server saw.
fn deletes(server: &TestServer) -> Vec<String> {
    server
        .seen()
        .into_iter()
        .filter(|s| s.method == Method::DELETE)
        .map(|s| s.path)
        .collect()
}

/// Answers what the scripted queue leaves: PATCH as the API would, DELETE with 204, and a
/// second create with a token of id `again`.
fn api_like(s: &Seen) -> Step {
    match s.method {
        Method::PATCH => patched(s),
        Method::DELETE => Step::empty(204),
        Method::POST => Step::json(200, created_json("again")),
        _ => list_with(&[]),
    }
}

#[tokio::test]
async fn a_lost_answer_is_settled_by_the_receipt_alone() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    // Another configuration made identical tokens before and after; only one carries the
    // receipt this create sent.
    server.push(list_with(&[
        identical("theirs-before"),
        made_json("mine"),
        identical("theirs-after"),
    ]));
    server.fallback(api_like);
    let client = client_for(&server)?;

    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "again", "revoked and created again");
    assert_eq!(created.token.description, "ci writer");
    let deleted = deletes(&server);
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert!(deleted[0].ends_with("/tokens/mine"), "{deleted:?}");
    assert_eq!(server.count(Method::POST), 2);
    Ok(())
}

#[tokio::test]
async fn identical_tokens_without_the_receipt_are_never_adopted_named_or_revoked() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.fallback(|s| match s.method {
        Method::GET => list_with(&[identical("theirs-1"), identical("theirs-2")]),
        _ => api_like(s),
    });
    let client = client_for(&server)?; // reconcile window 80 ms → a few lists
    let err = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    match &err {
        ApiError::CreateUnconfirmed {
            kind: CreateKind::Token,
            outcome: Unsettled::NotMade,
            cause,
            ..
        } => assert!(matches!(**cause, ApiError::Transport { .. }), "{cause:?}"),
        other => return Err(format!("unexpected {other:?}").into()),
    }
    let text = err.to_string();
    assert!(!text.contains("theirs"), "{text}");
    assert!(text.contains("applying again is safe"), "{text}");
    assert!(deletes(&server).is_empty());
    assert_eq!(
        server.count(Method::POST),
        1,
        "a lost answer is not sent again"
    );
    let lists = server.count(Method::GET);
    assert!((2..=5).contains(&lists), "{lists} lists");
    Ok(())
}

#[tokio::test]
async fn a_lagging_list_is_read_again() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.push(list_with(&[identical("theirs")]));
    server.push(list_with(&[identical("theirs"), made_json("late")]));
    server.fallback(api_like);
    let client = client_for(&server)?;
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "again");
    let deleted = deletes(&server);
    assert!(
        deleted.len() == 1 && deleted[0].ends_with("/tokens/late"),
        "{deleted:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_token_that_cannot_be_revoked_is_returned_as_made() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(500, json!({"code": 500, "message": "internal"})));
    server.push(list_with(&[made_json("mine")]));
    server.fallback(|s| match s.method {
        Method::DELETE => Step::json(403, json!({"code": 403, "message": "forbidden"})),
        _ => api_like(s),
    });
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(err.adopted_token().map(|t| t.id.as_str()), Some("mine"));
    assert!(
        err.to_string().contains("this request's and nobody else's"),
        "{err}"
    );
    assert_no_secrets(&err);
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test]
async fn a_failing_list_leaves_the_outcome_unknown_with_its_receipt() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.push(Step::json(
        401,
        json!({"code": 401, "message": "unauthorized"}),
    ));
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    match &err {
        ApiError::CreateUnconfirmed {
            outcome: Unsettled::Unknown {
                lookup_error: Some(lookup),
            },
            ..
        } => assert!(lookup.is_unauthorized()),
        other => return Err(format!("unexpected {other:?}").into()),
    }
    let receipt = err.unsettled_receipt().ok_or("no receipt")?;
    assert!(err.to_string().contains(receipt), "{err}");
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test]
async fn a_list_saying_revoked_is_confirmed_by_id() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    let mut listed_revoked = made_json("mine");
    listed_revoked["revokedAt"] = json!("2024-01-01T00:00:00Z");
    server.push(list_with(&[listed_revoked]));
    // The GET by id says it is live: it is this create's, so it is revoked for real.
    server.push(Step::json(200, made_json("mine")));
    server.fallback(api_like);
    let client = client_for(&server)?;
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "again");
    assert!(deletes(&server).iter().any(|p| p.ends_with("/tokens/mine")));
    Ok(())
}

#[tokio::test]
async fn answers_about_another_cluster_or_without_the_receipt_are_not_believed() -> TestResult {
    let mut foreign = created_json("foreign");
    foreign["clusterId"] = json!("99999999-9999-4999-8999-999999999999");
    let mut not_mine = identical("not-mine");
    not_mine["accessToken"] = json!(ACCESS);
    for answer in [foreign, not_mine] {
        let server = TestServer::start().await?;
        server.push(Step::json(200, answer.clone()));
        server.push(list_with(&[made_json("mine")]));
        server.fallback(api_like);
        let client = client_for(&server)?;
        let created = client
            .create_token(&cluster(), &req(), Description::Restore)
            .await?;
        assert_eq!(created.token.id, "again", "{answer}");
        let deleted = deletes(&server);
        assert!(
            deleted.len() == 1 && deleted[0].ends_with("/tokens/mine"),
            "{deleted:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn ids_in_another_case_are_the_same_cluster() -> TestResult {
    const ACCOUNT_UPPER: &str = "ABCDEF01-2345-4678-89AB-CDEF01234567";
    const CLUSTER_UPPER: &str = "FEDCBA98-7654-4321-8FED-CBA987654321";
    let server = TestServer::start().await?;
    let mut created = created_json("11111111-aaaa-4bbb-8ccc-dddddddddddd");
    created["accountId"] = json!(ACCOUNT_UPPER.to_lowercase());
    created["clusterId"] = json!(CLUSTER_UPPER.to_lowercase());
    server.push(Step::json(200, created));
    server.fallback(|s| {
        let mut patched = patched(s);
        if let Step::Reply { body, .. } = &mut patched {
            *body = body
                .replace(ACCOUNT, &ACCOUNT_UPPER.to_lowercase())
                .replace(CLUSTER, CLUSTER_UPPER);
        }
        patched
    });
    let client = client_for(&server)?;
    let upper = crate::api::Cluster::new(ACCOUNT_UPPER, CLUSTER_UPPER);
    let created = client
        .create_token(&upper, &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "11111111-aaaa-4bbb-8ccc-dddddddddddd");
    assert_eq!(created.token.cluster_id, CLUSTER_UPPER.to_lowercase());
    assert_eq!(
        created.token.description, "ci writer",
        "the PATCH answer was believed"
    );
    assert_eq!(server.count(Method::GET), 0, "the answer was believed");
    Ok(())
}

#[tokio::test]
async fn a_failed_patch_leaves_the_receipt_for_the_caller_to_see() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(200, created_json("t1")));
    server.fallback(|_| Step::json(400, json!({"code": 400, "message": "no"})));
    let client = client_for(&server)?;
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    let (rest, _) =
        crate::api::receipt_in(&created.token.description).ok_or("the receipt is gone")?;
    assert_eq!(rest, "ci writer");
    assert_no_secrets(&ApiError::InvalidInput(format!("{created:?}")));
    Ok(())
}

#[tokio::test]
async fn an_ephemeral_description_keeps_its_receipt_with_no_patch() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(200, created_json("t1")));
    let client = client_for(&server)?;
    let created = client
        .create_token(&cluster(), &req(), Description::KeepReceipt)
        .await?;
    assert!(crate::api::receipt_in(&created.token.description).is_some());
    assert_eq!(server.count(Method::PATCH), 0);
    assert!(!created.token.description.contains(SENT));
    Ok(())
}

#[tokio::test]
async fn a_truncated_200_is_settled_without_quoting_the_secret() -> TestResult {
    let server = TestServer::start().await?;
    let text = created_json("half").to_string();
    let cut = text.find(ACCESS).map(|i| i + 40).unwrap_or(text.len());
    server.push(Step::json(200, &text[..cut]));
    server.push(list_with(&[made_json("half")]));
    server.fallback(|s| match s.method {
        Method::DELETE => Step::json(403, json!({"code": 403, "message": "forbidden"})),
        _ => api_like(s),
    });
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(err.adopted_token().map(|t| t.id.as_str()), Some("half"));
    assert!(err.to_string().contains("truncated JSON"), "{err}");
    assert_no_secrets(&err);
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn a_create_timeout_is_settled_by_the_receipt() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(200, created_json("slow")).after(Duration::from_millis(300)));
    server.push(list_with(&[made_json("slow")]));
    server.fallback(api_like);
    let client = client_with(ClientConfig {
        request_timeout: Duration::from_millis(100),
        ..config(&server.endpoint())
    })?;
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "again");
    assert!(deletes(&server).iter().any(|p| p.ends_with("/tokens/slow")));
    Ok(())
}

#[tokio::test]
async fn a_patch_that_fails_for_a_while_is_sent_again_beyond_one_calls_retries() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(200, created_json("t1")));
    let failures = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = failures.clone();
    server.fallback(move |s| {
        // More 503s than one call's retries absorb, then the PATCH goes through.
        if count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 7 {
            Step::json(503, json!({"code": 503, "message": "busy"}))
        } else {
            patched(s)
        }
    });
    let client = client_for(&server)?;
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.description, "ci writer");
    assert_eq!(server.count(Method::PATCH), 8);
    Ok(())
}
