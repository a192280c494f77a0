//! A create answered 503 is sent again only when the reconcile proves nothing was made; every
//! other unknown outcome keeps the one-send rule.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use reqwest::Method;
use serde_json::json;

use super::server::{Step, TestServer};
use super::*;
use crate::api::create_retry::MAX_CREATE_SENDS;
use crate::api::{CreateDatabaseRequest, CreateTokenRequest, Permission};

fn req() -> CreateTokenRequest {
    CreateTokenRequest {
        description: "ci writer".into(),
        permissions: vec![Permission::new("read", "db1")],
        expires_at: None,
    }
}

fn unavailable() -> Step {
    Step::json(503, json!({"code": 503, "message": "unavailable"}))
}

fn created_json(id: &str) -> Value {
    let mut t = token_json(id, "ci writer", read_db(), &now_rfc3339());
    t["accessToken"] = json!(ACCESS);
    t
}

/// A token matching `req()` created `ago` before now.
fn matching_created_ago(id: &str, ago: time::Duration) -> Value {
    let at = (time::OffsetDateTime::now_utc() - ago)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    token_json(id, "ci writer", read_db(), &at)
}

/// Answers POSTs from `posts` in order, and every GET (a list) with `[]`, recording when each
/// list and POST arrived.
fn script(server: &TestServer, posts: Vec<Step>) -> Arc<Mutex<Vec<(Method, Instant)>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let posts = Arc::new(Mutex::new(posts.into_iter()));
    let log = seen.clone();
    server.fallback(move |s| {
        if let Ok(mut log) = log.lock() {
            log.push((s.method.clone(), Instant::now()));
        }
        if s.method == Method::POST {
            let next = posts.lock().ok().and_then(|mut p| p.next());
            next.unwrap_or_else(unavailable)
        } else {
            Step::json(200, "[]")
        }
    });
    seen
}

#[tokio::test]
async fn a_503_proven_not_created_is_sent_again_after_a_whole_window() -> TestResult {
    let server = TestServer::start().await?;
    let seen = script(
        &server,
        vec![unavailable(), Step::json(200, created_json("t2"))],
    );
    let client = client_for(&server)?;
    let created = client.create_token(&cluster(), &req()).await?;
    assert_eq!(created.token.id, "t2");
    assert_eq!(server.count(Method::POST), 2, "sent again once");
    let seen = seen.lock().map_err(|_| "poisoned")?.clone();
    let first_post = seen.first().map(|(_, at)| *at).ok_or("no POST")?;
    let (last_list, resend) = match seen.as_slice() {
        [.., (Method::GET, list), (Method::POST, post)] => (*list, *post),
        other => return Err(format!("unexpected order {other:?}").into()),
    };
    let window = config("http://x").reconcile_window;
    assert!(
        last_list.duration_since(first_post) >= window,
        "the list that proved absence came a whole window after the 503"
    );
    assert!(resend >= last_list);
    Ok(())
}

#[tokio::test]
async fn a_503_whose_token_appears_late_in_the_window_is_adopted_not_sent_again() -> TestResult {
    let server = TestServer::start().await?;
    let lists = Arc::new(Mutex::new(0usize));
    let counter = lists.clone();
    let window = config("http://x").reconcile_window;
    let first = Instant::now();
    server.fallback(move |s| {
        if s.method == Method::POST {
            return unavailable();
        }
        if let Ok(mut n) = counter.lock() {
            *n += 1;
        }
        // The list lags a whole window: only the list at the window's end shows the token.
        if first.elapsed() >= window {
            Step::json(
                200,
                json!([token_json("lagged", "ci writer", read_db(), &now_rfc3339())]),
            )
        } else {
            Step::json(200, "[]")
        }
    });
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(err.adopted_token().map(|t| t.id.as_str()), Some("lagged"));
    assert_eq!(server.count(Method::POST), 1, "never sent again");
    assert!(*lists.lock().map_err(|_| "poisoned")? >= 2);
    Ok(())
}

#[tokio::test]
async fn lost_answers_timeouts_and_other_5xx_are_never_sent_again() -> TestResult {
    for first in [
        Step::Drop,
        Step::json(500, json!({"code": 500, "message": "oops"})),
        Step::json(502, json!({"code": 502, "message": "bad gateway"})),
        Step::json(504, json!({"code": 504, "message": "gateway timeout"})),
    ] {
        let server = TestServer::start().await?;
        script(
            &server,
            vec![first.clone(), Step::json(200, created_json("t2"))],
        );
        let client = client_for(&server)?;
        let err = client
            .create_token(&cluster(), &req())
            .await
            .err()
            .ok_or("expected an error")?;
        assert!(err.is_create_unconfirmed(), "{first:?}: {err:?}");
        assert!(err.to_string().contains("applying again is safe"), "{err}");
        assert_eq!(server.count(Method::POST), 1, "{first:?} sent once");
        assert_no_secrets(&err);
    }
    Ok(())
}

#[tokio::test]
async fn an_identical_token_from_just_before_keeps_a_503_unproven() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|s| {
        if s.method == Method::POST {
            unavailable()
        } else {
            let earlier = matching_created_ago("someone-elses", time::Duration::seconds(20));
            Step::json(200, json!([earlier]))
        }
    });
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(server.count(Method::POST), 1, "not proven, not sent again");
    assert!(err.adopted_token().is_none());
    let text = err.to_string();
    assert!(
        !text.contains("someone-elses") && text.contains("Do not revoke"),
        "counted, never named: {text}"
    );
    Ok(())
}

#[tokio::test]
async fn a_failing_reconcile_list_keeps_a_503_unproven() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|s| {
        if s.method == Method::POST {
            unavailable()
        } else {
            Step::json(401, json!({"code": 401, "message": "unauthorized"}))
        }
    });
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert!(err.is_create_unconfirmed(), "{err:?}");
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test]
async fn a_list_failing_early_in_the_window_does_not_spoil_the_proof() -> TestResult {
    let server = TestServer::start().await?;
    let gets = Arc::new(Mutex::new(0_usize));
    let posts = Arc::new(Mutex::new(0_usize));
    server.fallback(move |s| {
        if s.method == Method::POST {
            let sent = posts.lock().map(|mut n| {
                *n += 1;
                *n
            });
            if sent.unwrap_or(1) == 1 {
                unavailable()
            } else {
                Step::json(200, created_json("made-on-the-second-send"))
            }
        } else {
            let listed = gets.lock().map(|mut n| {
                *n += 1;
                *n
            });
            // The first list fails all its attempts (the first try and every retry).
            if listed.unwrap_or(1) <= 1 + crate::api::config::DEFAULT_MAX_RETRIES as usize {
                unavailable()
            } else {
                Step::json(200, "[]")
            }
        }
    });
    let client = client_for(&server)?;
    let created = client.create_token(&cluster(), &req()).await?;
    assert_eq!(created.token.id, "made-on-the-second-send");
    assert_eq!(server.count(Method::POST), 2, "the last list decides");
    Ok(())
}

#[tokio::test]
async fn a_create_answered_503_every_time_stops_after_the_bound() -> TestResult {
    let server = TestServer::start().await?;
    script(&server, Vec::new());
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req())
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(server.count(Method::POST), MAX_CREATE_SENDS as usize);
    let text = err.to_string();
    assert!(
        text.contains(&format!("after {MAX_CREATE_SENDS} attempt(s)"))
            && text.contains("applying again is safe"),
        "{text}"
    );
    assert_no_secrets(&err);
    Ok(())
}

#[tokio::test]
async fn a_database_create_answered_503_and_not_listed_is_sent_again() -> TestResult {
    let server = TestServer::start().await?;
    let db = json!({"accountId": ACCOUNT, "clusterId": CLUSTER, "name": "db1",
                    "maxTables": 500, "maxColumnsPerTable": 250, "retentionPeriod": 0});
    script(&server, vec![unavailable(), Step::json(200, db)]);
    let client = client_for(&server)?;
    let req = CreateDatabaseRequest {
        name: "db1".into(),
        ..CreateDatabaseRequest::default()
    };
    let created = client.create_database(&cluster(), &req).await?;
    assert_eq!(created.name, "db1");
    assert_eq!(server.count(Method::POST), 2);
    Ok(())
}
