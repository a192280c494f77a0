//! docs/design.md#decision-8-create-is-not-idempotent: what is retried, how often, and the in-flight cap.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::server::{Step, TestServer};
use super::*;
use crate::api::clock::Clock;
use crate::api::{CreateTokenRequest, DeleteOutcome, Permission, UpdateTokenRequest};

fn create_req() -> CreateTokenRequest {
    CreateTokenRequest {
        description: "ci writer".into(),
        permissions: vec![Permission::new("read", "db1")],
        expires_at: None,
    }
}

#[tokio::test]
async fn delete_503_then_204_succeeds_in_two_attempts() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        503,
        json!({"code": 503, "message": "unavailable"}),
    ));
    server.push(Step::empty(204));
    let client = client_for(&server)?;
    assert_eq!(
        client.delete_token(&cluster(), "t1").await?,
        DeleteOutcome::Revoked
    );
    assert_eq!(server.count(Method::DELETE), 2);
    Ok(())
}

#[tokio::test]
async fn delete_whose_answer_was_lost_then_404_is_already_gone() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.push(Step::json(
        404,
        json!({"code": 404, "message": "not found"}),
    ));
    let client = client_for(&server)?;
    assert_eq!(
        client.delete_token(&cluster(), "t1").await?,
        DeleteOutcome::AlreadyGone
    );
    assert_eq!(server.count(Method::DELETE), 2);
    Ok(())
}

#[tokio::test]
async fn delete_out_of_retries_is_success_when_the_token_turns_out_revoked() -> TestResult {
    let server = TestServer::start().await?;
    push_lost_delete_then_503s(&server);
    let mut revoked = token_json("t1", "a", read_db(), "2023-12-21T17:32:28Z");
    revoked["revokedAt"] = json!("2023-12-22T10:00:00Z");
    server.push(Step::json(200, revoked));
    let client = client_for(&server)?;
    assert_eq!(
        client.delete_token(&cluster(), "t1").await?,
        DeleteOutcome::Revoked
    );
    assert_eq!(server.count(Method::DELETE), 5);
    assert_eq!(server.count(Method::GET), 1);
    Ok(())
}

#[tokio::test]
async fn delete_out_of_retries_is_already_gone_when_the_token_is_not_found() -> TestResult {
    let server = TestServer::start().await?;
    push_lost_delete_then_503s(&server);
    server.push(Step::json(
        404,
        json!({"code": 404, "message": "not found"}),
    ));
    let client = client_for(&server)?;
    assert_eq!(
        client.delete_token(&cluster(), "t1").await?,
        DeleteOutcome::AlreadyGone
    );
    Ok(())
}

#[tokio::test]
async fn delete_out_of_retries_fails_when_the_token_is_still_active() -> TestResult {
    let server = TestServer::start().await?;
    for _ in 0..5 {
        server.push(Step::json(503, json!({"code": 503, "message": "busy"})));
    }
    server.push(Step::json(
        200,
        token_json("t1", "a", read_db(), "2023-12-21T17:32:28Z"),
    ));
    let client = client_for(&server)?;
    let err = match client.delete_token(&cluster(), "t1").await {
        Ok(outcome) => panic!("an active token was reported {outcome:?}"),
        Err(e) => e,
    };
    assert!(matches!(err, ApiError::Server { .. }), "{err:?}");
    assert_eq!(server.count(Method::GET), 1);
    Ok(())
}

#[tokio::test]
async fn a_refused_delete_is_not_looked_up() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        403,
        json!({"code": 403, "message": "forbidden"}),
    ));
    let client = client_for(&server)?;
    assert!(client.delete_token(&cluster(), "t1").await.is_err());
    assert_eq!(server.count(Method::GET), 0);
    Ok(())
}

#[tokio::test]
async fn get_and_patch_retry_lost_answers_and_gateway_errors() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.push(Step::json(
        200,
        token_json("t1", "a", read_db(), "2023-12-21T17:32:28Z"),
    ));
    server.push(Step::raw(502, "text/html", "<html>bad gateway</html>"));
    server.push(Step::json(504, json!({"code": 504, "message": "timeout"})));
    server.push(Step::json(
        200,
        token_json("t1", "b", read_db(), "2023-12-21T17:32:28Z"),
    ));
    let client = client_for(&server)?;
    assert_eq!(client.get_token(&cluster(), "t1").await?.description, "a");
    let req = UpdateTokenRequest {
        description: Some("b".into()),
        permissions: None,
    };
    assert_eq!(
        client
            .update_token(&cluster(), "t1", &req)
            .await?
            .description,
        "b"
    );
    assert_eq!(server.count(Method::GET), 2);
    assert_eq!(server.count(Method::PATCH), 3);
    Ok(())
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() -> TestResult {
    let server = TestServer::start().await?;
    server.push(
        Step::json(429, json!({"code": 429, "message": "slow down"})).header("retry-after", "1"),
    );
    server.push(Step::json(200, "[]"));
    let (client, clock) = client_on_test_clock(ClientConfig {
        retry_max_delay: Duration::from_millis(500),
        ..config(&server.endpoint())
    })?;
    assert!(client.list_tokens(&cluster()).await?.is_empty());
    assert_eq!(clock.asked(), [Duration::from_secs(1)]);
    assert_eq!(server.count(Method::GET), 2);
    Ok(())
}

#[tokio::test]
async fn retry_after_is_capped_at_four_times_the_max_delay() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(503, "{}").header("retry-after", "3600"));
    server.push(Step::json(200, "[]"));
    let (client, clock) = client_on_test_clock(config(&server.endpoint()))?; // max delay 5 ms
    client.list_tokens(&cluster()).await?;
    assert_eq!(clock.asked(), [Duration::from_millis(20)]);
    Ok(())
}

/// Without `Retry-After`, each wait is drawn below a ceiling that doubles from the base delay
/// up to the max delay.
#[tokio::test]
async fn backoff_without_retry_after_stays_under_a_doubling_ceiling() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|_| Step::json(503, json!({"code": 503, "message": "busy"})));
    let (client, clock) = client_on_test_clock(ClientConfig {
        max_retries: 4,
        retry_base_delay: Duration::from_millis(100),
        retry_max_delay: Duration::from_millis(300),
        ..config(&server.endpoint())
    })?;
    assert!(client.list_tokens(&cluster()).await.is_err());
    let asked = clock.asked();
    assert_eq!(asked.len(), 4, "{asked:?}");
    assert!(asked.iter().any(|wait| !wait.is_zero()), "{asked:?}");
    for (wait, ceiling) in asked.iter().zip([100, 200, 300, 300]) {
        assert!(*wait <= Duration::from_millis(ceiling), "{asked:?}");
    }
    assert_eq!(server.count(Method::GET), 5);
    Ok(())
}

#[tokio::test]
async fn rate_limited_every_time_gives_rate_limited() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|_| Step::json(429, json!({"code": 429, "message": "too many"})));
    let client = client_with(ClientConfig {
        max_retries: 2,
        ..config(&server.endpoint())
    })?;
    let err = client
        .list_tokens(&cluster())
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(
        matches!(err, ApiError::RateLimited { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("-parallelism"));
    Ok(())
}

#[tokio::test]
async fn create_429_is_retried() -> TestResult {
    let server = TestServer::start().await?;
    server.push(
        Step::json(429, json!({"code": 429, "message": "too many"})).header("retry-after", "0"),
    );
    server.push(Step::json(200, created_json("new")));
    server.fallback(patched);
    let client = client_for(&server)?;
    let created = client
        .create_token(&cluster(), &create_req(), crate::api::Description::Restore)
        .await?;
    assert_eq!(created.token.id, "new");
    assert_eq!(server.count(Method::POST), 2);
    assert_eq!(server.count(Method::GET), 0);
    Ok(())
}

/// The provider's `max_retries` description: a create answered 429 every time is sent
/// `max_retries` + 1 times (5 by default), then fails as definite.
#[tokio::test]
async fn a_create_answered_429_every_time_is_sent_max_retries_plus_one_times() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|_| {
        Step::json(429, json!({"code": 429, "message": "too many"})).header("retry-after", "0")
    });
    let client = client_for(&server)?;
    assert!(
        client
            .create_token(&cluster(), &create_req(), crate::api::Description::Restore)
            .await
            .is_err()
    );
    let sends = usize::try_from(crate::api::DEFAULT_MAX_RETRIES + 1)?;
    assert_eq!(server.count(Method::POST), sends);
    Ok(())
}

/// Only the listed statuses are retried: a 501 or 505 is sent once, a 502 `max_retries` + 1
/// times.
#[tokio::test]
async fn a_501_or_505_is_final_and_a_502_is_retried() -> TestResult {
    for (status, sends) in [(501, 1), (505, 1), (502, 3)] {
        let server = TestServer::start().await?;
        server.fallback(move |_| Step::json(status, json!({"code": status, "message": "no"})));
        let client = client_with(ClientConfig {
            max_retries: 2,
            ..config(&server.endpoint())
        })?;
        assert!(client.list_tokens(&cluster()).await.is_err(), "{status}");
        assert_eq!(server.count(Method::GET), sends, "{status}");
    }
    Ok(())
}

/// A clock whose every sleep is announced on `waiting` and lasts until `resume` gets a permit.
struct Held {
    waiting: tokio::sync::mpsc::UnboundedSender<Duration>,
    resume: Arc<tokio::sync::Semaphore>,
}

impl Clock for Held {
    fn now(&self) -> Duration {
        Duration::ZERO
    }

    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let _ = self.waiting.send(wait);
        let resume = Arc::clone(&self.resume);
        Box::pin(async move {
            if let Ok(permit) = resume.acquire().await {
                permit.forget();
            }
        })
    }
}

/// The server comes up during the client's second backoff wait; the create then goes through
/// once.
#[tokio::test]
async fn create_connection_refused_is_retried_until_the_server_is_up() -> TestResult {
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0")?;
        l.local_addr()?
    };
    let (waiting_tx, mut waiting) = tokio::sync::mpsc::unbounded_channel();
    let resume = Arc::new(tokio::sync::Semaphore::new(0));
    let clock = Held {
        waiting: waiting_tx,
        resume: Arc::clone(&resume),
    };
    let client = Client::on_clock(
        ClientConfig {
            max_retries: 60,
            ..config(&format!("http://{addr}/api/v0"))
        },
        Arc::new(clock),
    )?;
    let task = tokio::spawn(async move {
        client
            .create_token(&cluster(), &create_req(), crate::api::Description::Restore)
            .await
    });
    waiting.recv().await.ok_or("the client never backed off")?;
    resume.add_permits(1);
    waiting
        .recv()
        .await
        .ok_or("the client backed off only once")?;
    let server = TestServer::start_on(addr).await?;
    server.push(Step::json(200, created_json("new")));
    server.fallback(patched);
    resume.add_permits(1);
    let created = task.await??;
    assert_eq!(created.token.id, "new");
    assert_eq!(server.count(Method::POST), 1);
    assert!(waiting.try_recv().is_err(), "the client backed off again");
    Ok(())
}

#[tokio::test]
async fn create_connection_refused_every_time_is_definite() -> TestResult {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0")?;
        l.local_addr()?.port()
    };
    let client = client_with(ClientConfig {
        max_retries: 2,
        ..config(&format!("http://127.0.0.1:{port}/api/v0"))
    })?;
    let err = client
        .create_token(&cluster(), &create_req(), crate::api::Description::Restore)
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(
        matches!(err, ApiError::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    Ok(())
}

#[tokio::test]
/// A 503 is sent again once proven not created (see `create_retry`); a 500 never is.
async fn create_500_is_not_retried_but_reconciled() -> TestResult {
    for status in [500] {
        let server = TestServer::start().await?;
        server.push(Step::json(
            status,
            json!({"code": status, "message": "oops"}),
        ));
        server.fallback(|_| Step::json(200, "[]"));
        let client = client_for(&server)?;
        let err = client
            .create_token(&cluster(), &create_req(), crate::api::Description::Restore)
            .await
            .err()
            .ok_or("expected an error")?;
        assert!(err.is_create_unconfirmed(), "{err:?}");
        assert!(err.adopted_token().is_none());
        assert!(err.to_string().contains(&format!("HTTP {status}")), "{err}");
        assert!(err.to_string().contains("applying again is safe"), "{err}");
        assert_eq!(server.count(Method::POST), 1, "status {status}");
        assert!(
            server.count(Method::GET) >= 1,
            "status {status}: no reconcile list"
        );
        assert_no_secrets(&err);
    }
    Ok(())
}

#[tokio::test]
async fn create_definite_errors_are_neither_retried_nor_reconciled() -> TestResult {
    for status in [400, 401, 403, 404, 409] {
        let server = TestServer::start().await?;
        server.push(Step::json(status, json!({"code": status, "message": "no"})));
        let client = client_for(&server)?;
        let err = client
            .create_token(&cluster(), &create_req(), crate::api::Description::Restore)
            .await
            .err()
            .ok_or("expected an error")?;
        assert_eq!(err.status(), Some(status), "{err:?}");
        assert!(!err.is_create_unconfirmed());
        assert_eq!(server.seen().len(), 1, "status {status}");
    }
    Ok(())
}

/// The paused clock moves only when every task waits, so the held answers still overlap (the
/// cap is reached) while their 30 ms holds take no real time.
#[tokio::test(start_paused = true)]
async fn in_flight_requests_never_exceed_the_cap() -> TestResult {
    let server = TestServer::start().await?;
    // Each answer is about the token asked for (an answer about another id is refused).
    server.fallback(|seen| {
        let id = seen.path.rsplit('/').next().unwrap_or_default();
        Step::json(200, token_json(id, "a", json!([]), "2023-12-21T17:32:28Z"))
            .after(Duration::from_millis(30))
    });
    let client = client_with(ClientConfig {
        max_in_flight: 3,
        ..config(&server.endpoint())
    })?;
    let client = Arc::new(client);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let client = Arc::clone(&client);
        tasks.push(tokio::spawn(async move {
            client.get_token(&cluster(), &format!("t{i}")).await
        }));
    }
    for t in tasks {
        t.await??;
    }
    assert_eq!(server.count(Method::GET), 20);
    assert!(server.peak() <= 3, "peak {}", server.peak());
    assert_eq!(server.peak(), 3);
    Ok(())
}
