//! A create is sent again only when nothing of it is left: tokens carrying its receipt were
//! revoked, or (after a 503) complete lists over the whole window showed none.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::api::clock::Clock;

use reqwest::Method;
use serde_json::json;

use super::server::{Step, TestServer};
use super::*;
use crate::api::create_retry::MAX_CREATE_SENDS;
use crate::api::{CreateDatabaseRequest, CreateTokenRequest, Description, Permission};

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

/// A token identical to `req()`'s but made by someone else: it lacks the create's receipt.
fn identical(id: &str) -> Value {
    token_json(id, "ci writer", read_db(), &now_rfc3339())
}

/// Answers POSTs from `posts` in order, PATCHes as the API would, and every GET (a list) with
/// `[]`, recording when (by `clock`) each list and POST arrived.
fn script(
    server: &TestServer,
    posts: Vec<Step>,
    clock: Arc<TestClock>,
) -> Arc<Mutex<Vec<(Method, Duration)>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let posts = Arc::new(Mutex::new(posts.into_iter()));
    let log = seen.clone();
    server.fallback(move |s| {
        if let Ok(mut log) = log.lock() {
            log.push((s.method.clone(), clock.now()));
        }
        if s.method == Method::POST {
            let next = posts.lock().ok().and_then(|mut p| p.next());
            next.unwrap_or_else(unavailable)
        } else if s.method == Method::PATCH {
            patched(s)
        } else {
            Step::json(200, "[]")
        }
    });
    seen
}

#[tokio::test]
async fn a_503_proven_not_created_is_sent_again_after_a_whole_window() -> TestResult {
    let server = TestServer::start().await?;
    let (client, clock) = client_on_test_clock(config(&server.endpoint()))?;
    let seen = script(
        &server,
        vec![unavailable(), Step::json(200, created_json("t2"))],
        Arc::clone(&clock),
    );
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "t2");
    assert_eq!(
        created.token.description, "ci writer",
        "the receipt is gone"
    );
    assert_eq!(server.count(Method::POST), 2, "sent again once");
    let seen = seen.lock().map_err(|_| "poisoned")?.clone();
    let seen: Vec<_> = seen
        .into_iter()
        .filter(|(m, _)| *m != Method::PATCH)
        .collect();
    let first_post = seen.first().map(|(_, at)| *at).ok_or("no POST")?;
    let (last_list, resend) = match seen.as_slice() {
        [.., (Method::GET, list), (Method::POST, post)] => (*list, *post),
        other => return Err(format!("unexpected order {other:?}").into()),
    };
    let window = config("http://x").reconcile_window;
    assert!(
        last_list - first_post >= window,
        "the list that proved absence came a whole window after the 503"
    );
    assert!(resend >= last_list);
    Ok(())
}

#[tokio::test]
async fn a_503_whose_token_appears_late_in_the_window_is_revoked_and_sent_again() -> TestResult {
    let server = TestServer::start().await?;
    let lists = Arc::new(Mutex::new(0usize));
    let posts = Arc::new(Mutex::new(0usize));
    let counter = lists.clone();
    let window = config("http://x").reconcile_window;
    let (client, clock) = client_on_test_clock(config(&server.endpoint()))?;
    server.fallback(move |s| {
        match s.method {
            Method::POST => {
                let n = posts.lock().map(|mut n| {
                    *n += 1;
                    *n
                });
                return if n.unwrap_or(1) == 1 {
                    unavailable()
                } else {
                    Step::json(200, created_json("second"))
                };
            }
            Method::PATCH => return patched(s),
            Method::DELETE => return Step::empty(204),
            _ => {}
        }
        if let Ok(mut n) = counter.lock() {
            *n += 1;
        }
        // The list lags a whole window: only the list at the window's end shows the token.
        if clock.now() >= window {
            Step::json(
                200,
                json!([made_json("lagged"), identical("someone-elses")]),
            )
        } else {
            Step::json(200, "[]")
        }
    });
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "second");
    assert_eq!(server.count(Method::POST), 2, "sent again after the revoke");
    let deleted: Vec<String> = server
        .seen()
        .into_iter()
        .filter(|s| s.method == Method::DELETE)
        .map(|s| s.path)
        .collect();
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert!(deleted[0].ends_with("/tokens/lagged"), "{deleted:?}");
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
            Arc::default(),
        );
        let client = client_for(&server)?;
        let err = client
            .create_token(&cluster(), &req(), crate::api::Description::Restore)
            .await
            .err()
            .ok_or("expected an error")?;
        assert!(err.is_create_unconfirmed(), "{first:?}: {err:?}");
        assert!(err.to_string().contains("applying again is safe"), "{err}");
        // The request reached the server: no advice to check that the endpoint is reachable.
        assert!(!err.to_string().contains("reachable"), "{err}");
        assert_eq!(server.count(Method::POST), 1, "{first:?} sent once");
        assert_no_secrets(&err);
    }
    Ok(())
}

#[tokio::test]
async fn identical_tokens_without_the_receipt_neither_stop_a_proven_resend_nor_are_touched()
-> TestResult {
    let server = TestServer::start().await?;
    let posts = Arc::new(Mutex::new(0usize));
    server.fallback(move |s| match s.method {
        Method::POST => {
            let n = posts.lock().map(|mut n| {
                *n += 1;
                *n
            });
            if n.unwrap_or(1) == 1 {
                unavailable()
            } else {
                Step::json(200, created_json("mine"))
            }
        }
        Method::PATCH => patched(s),
        // Made by another configuration just before, during and after the request.
        _ => Step::json(
            200,
            json!([identical("before"), identical("during"), identical("after")]),
        ),
    });
    let client = client_for(&server)?;
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "mine");
    assert_eq!(
        server.count(Method::DELETE),
        0,
        "nothing of anyone else is revoked"
    );
    Ok(())
}

#[tokio::test]
async fn a_list_that_leaves_out_entries_keeps_a_503_unknown_with_its_receipt() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|s| {
        if s.method == Method::POST {
            unavailable()
        } else {
            // One id listed twice: both entries are left out, and the list proves nothing.
            Step::json(200, json!([identical("twice"), identical("twice")]))
        }
    });
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await
        .err()
        .ok_or("expected CreateUnconfirmed")?;
    assert_eq!(server.count(Method::POST), 1, "not proven, not sent again");
    let receipt = err
        .unsettled_receipt()
        .ok_or("expected an unknown outcome")?;
    let sent = server
        .seen()
        .into_iter()
        .find(|s| s.method == Method::POST)
        .map(|s| s.body)
        .unwrap_or_default();
    assert!(
        sent.contains(receipt),
        "the error names the receipt the create carried"
    );
    let text = err.to_string();
    assert!(!text.contains("twice") && !text.contains("safe"), "{text}");
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
        .create_token(&cluster(), &req(), crate::api::Description::Restore)
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
        } else if s.method == Method::PATCH {
            patched(s)
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
    let created = client
        .create_token(&cluster(), &req(), Description::Restore)
        .await?;
    assert_eq!(created.token.id, "made-on-the-second-send");
    assert_eq!(server.count(Method::POST), 2, "the last list decides");
    Ok(())
}

#[tokio::test]
async fn a_create_answered_503_every_time_stops_after_the_bound() -> TestResult {
    let server = TestServer::start().await?;
    script(&server, Vec::new(), Arc::default());
    let client = client_for(&server)?;
    let err = client
        .create_token(&cluster(), &req(), crate::api::Description::Restore)
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
    script(
        &server,
        vec![unavailable(), Step::json(200, db)],
        Arc::default(),
    );
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
