//! docs/design.md#decision-5-read-detects-drift-from-the-list: the single-flight list cache and its invalidation.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::server::{Step, TestServer};
use super::*;
use crate::api::{CreateDatabaseRequest, UpdateTokenRequest};

fn one_token(description: &str) -> Step {
    Step::json(
        200,
        json!([token_json(
            "t1",
            description,
            read_db(),
            "2023-12-21T17:32:28Z"
        )]),
    )
}

/// The token `one_token(description)` lists, as a state would describe it.
fn listed_as(description: &str) -> Result<crate::api::DatabaseToken, serde_json::Error> {
    serde_json::from_value(token_json(
        "t1",
        description,
        read_db(),
        "2023-12-21T17:32:28Z",
    ))
}

/// On one thread the hundred callers are all polled, and join the list in flight, before the
/// runtime waits for anything; the paused clock then skips the answer's 50 ms hold.
#[tokio::test(start_paused = true)]
async fn a_hundred_concurrent_callers_cause_one_list() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|_| one_token("a").after(Duration::from_millis(50)));
    let client = client_for(&server)?;
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.cached_token_index(&cluster()).await
        }));
    }
    for t in tasks {
        let tokens = t.await??;
        assert!(tokens.lists("t1"));
    }
    assert_eq!(server.count(Method::GET), 1);
    Ok(())
}

#[tokio::test]
async fn every_token_write_makes_the_next_cached_call_list_again() -> TestResult {
    let server = TestServer::start().await?;
    let lists = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&lists);
    server.fallback(move |seen| match seen.method {
        Method::GET => {
            counter.fetch_add(1, Ordering::SeqCst);
            one_token("a")
        }
        Method::PATCH => Step::json(
            200,
            token_json("t1", "b", read_db(), "2023-12-21T17:32:28Z"),
        ),
        Method::DELETE => Step::empty(204),
        _ => Step::json(500, json!({"code": 500, "message": "internal"})),
    });
    let client = client_for(&server)?;
    let c = cluster();

    client.cached_token_index(&c).await?;
    client.cached_token_index(&c).await?;
    assert_eq!(
        lists.load(Ordering::SeqCst),
        1,
        "second call is served from the cache"
    );

    client.delete_token(&c, "t1").await?;
    client.cached_token_index(&c).await?;
    assert_eq!(lists.load(Ordering::SeqCst), 2, "delete invalidates");

    let update = UpdateTokenRequest {
        description: Some("b".into()),
        permissions: None,
    };
    client.update_token(&c, "t1", &update).await?;
    client.cached_token_index(&c).await?;
    assert_eq!(lists.load(Ordering::SeqCst), 3, "update invalidates");

    // An ambiguous create (500, reconciled with fresh lists) invalidates too.
    let _ = client
        .create_token(
            &c,
            &crate::api::CreateTokenRequest {
                description: "x".into(),
                permissions: vec![],
                expires_at: None,
            },
            crate::api::Description::Restore,
        )
        .await;
    let before = lists.load(Ordering::SeqCst);
    client.cached_token_index(&c).await?;
    assert_eq!(
        lists.load(Ordering::SeqCst),
        before + 1,
        "create invalidates"
    );
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn a_list_in_flight_during_a_write_is_not_stored() -> TestResult {
    let server = TestServer::start().await?;
    server.push(one_token("before").after(Duration::from_millis(200)));
    server.push(Step::json(
        200,
        token_json("t1", "after", read_db(), "2023-12-21T17:32:28Z"),
    ));
    server.push(one_token("after"));
    let client = client_for(&server)?;
    let c = cluster();

    let reader = {
        let client = client.clone();
        tokio::spawn(async move { client.cached_token_index(&cluster()).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let update = UpdateTokenRequest {
        description: Some("after".into()),
        permissions: None,
    };
    client.update_token(&c, "t1", &update).await?;
    // The reader that started before the write still gets its (older) answer…
    assert!(reader.await??.lists_unchanged(&c, &listed_as("before")?));
    // …but it was not stored: the next call lists again and sees the write.
    let now = client.cached_token_index(&c).await?;
    assert!(now.lists_unchanged(&c, &listed_as("after")?));
    assert!(!now.lists_unchanged(&c, &listed_as("before")?));
    assert_eq!(server.count(Method::GET), 2);
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn entries_expire_after_the_ttl() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|_| one_token("a"));
    let client = client_with(ClientConfig {
        list_cache_ttl: Duration::from_millis(50),
        ..config(&server.endpoint())
    })?;
    client.cached_token_index(&cluster()).await?;
    client.cached_token_index(&cluster()).await?;
    tokio::time::sleep(Duration::from_millis(80)).await;
    client.cached_token_index(&cluster()).await?;
    assert_eq!(server.count(Method::GET), 2);
    Ok(())
}

/// A refresh during an outage: the read whose list failed reports it, the next reads of the
/// burst get the same failure without another request, and another cluster lists on its own.
#[tokio::test]
async fn a_failed_list_serves_the_burst_and_clusters_are_separate() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        401,
        json!({"code": 401, "message": "unauthorized"}),
    ));
    server.fallback(|_| one_token("a"));
    let client = client_for(&server)?;
    let first = client.cached_token_index(&cluster()).await;
    assert!(
        matches!(first, Err(ApiError::Unauthorized { .. })),
        "{first:?}"
    );
    let again = client.cached_token_index(&cluster()).await;
    assert!(
        matches!(&again, Err(e @ ApiError::ListFailedEarlier { .. }) if e.is_unauthorized()),
        "{again:?}"
    );
    assert_eq!(server.count(Method::GET), 1);
    client
        .cached_token_index(&Cluster::new(
            ACCOUNT,
            "44444444-4444-4444-8444-444444444444",
        ))
        .await?;
    assert_eq!(server.count(Method::GET), 2);
    Ok(())
}

#[tokio::test]
async fn database_writes_invalidate_the_database_cache() -> TestResult {
    let server = TestServer::start().await?;
    let db = json!({"accountId": ACCOUNT, "clusterId": CLUSTER, "name": "db1",
                    "maxTables": 500, "maxColumnsPerTable": 250, "retentionPeriod": 0});
    let listed = json!([db.clone()]);
    server.fallback(move |seen| match seen.method {
        Method::GET if seen.path.ends_with("/tokens") => Step::json(200, "[]"),
        Method::GET => Step::json(200, listed.clone()),
        _ => Step::json(200, db.clone()),
    });
    let client = client_for(&server)?;
    let c = cluster();
    client.cached_databases(&c).await?;
    client.cached_databases(&c).await?;
    client.cached_token_index(&c).await?; // the token cache is separate
    assert_eq!(server.count(Method::GET), 2);
    let req = CreateDatabaseRequest {
        name: "db2".into(),
        ..CreateDatabaseRequest::default()
    };
    client.create_database(&c, &req).await?;
    client.cached_databases(&c).await?;
    client.cached_token_index(&c).await?; // still cached: a database write leaves tokens alone
    assert_eq!(server.count(Method::GET), 3);
    Ok(())
}
