//! Issue 20 items 2 and 3, and issue 30: what one list answer may expand into (bounded per
//! entry, never by the size of a valid cluster), and list entries that contradict the request
//! never move or drop a token.

use reqwest::Method;
use serde_json::{Value, json};

use super::server::{Step, TestServer};
use super::*;
use crate::api::DatabaseToken;
use crate::api::bounds::MAX_PERMISSIONS_PER_TOKEN;
use crate::api::list_stream::MAX_ENTRY_BYTES;

const OTHER: &str = "44444444-4444-4444-8444-444444444444";

fn token_in(id: &str, cluster_id: &str) -> Value {
    let mut t = token_json(id, "d", read_db(), "2023-12-21T17:32:28Z");
    t["clusterId"] = json!(cluster_id);
    t
}

#[tokio::test]
async fn a_list_entry_of_another_cluster_is_ignored_and_a_get_answer_about_one_refused()
-> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        200,
        json!([token_in("t1", OTHER), token_in("t2", CLUSTER)]),
    ));
    let client = client_for(&server)?;
    let listed = client.list_tokens(&cluster()).await?;
    let ids: Vec<&str> = listed.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        ["t2"],
        "the foreign entry is not read as a token of this cluster"
    );
    // Nor does a refresh's index hold it: the reader asks by id.
    server.push(Step::json(
        200,
        json!([token_in("t1", OTHER), token_in("t2", CLUSTER)]),
    ));
    let index = client.cached_token_index(&cluster()).await?;
    assert!(!index.lists("t1") && index.lists("t2"));
    // The reader then asks by id; an answer about another cluster is an error, not a move.
    server.push(Step::json(200, token_in("t1", OTHER)));
    let err = client.get_token(&cluster(), "t1").await.err();
    assert!(
        err.as_ref()
            .is_some_and(|e| e.to_string().contains("not the one requested")),
        "{err:?}"
    );
    server.push(Step::json(200, token_in("t9", CLUSTER)));
    assert!(client.get_token(&cluster(), "t1").await.is_err());
    server.push(Step::json(200, token_in("t1", CLUSTER)));
    assert_eq!(
        client.get_token(&cluster(), "t1").await?.cluster_id,
        CLUSTER
    );
    Ok(())
}

#[tokio::test]
async fn an_id_listed_twice_is_ignored_so_the_token_is_read_by_id() -> TestResult {
    let server = TestServer::start().await?;
    let mut revoked = token_in("t1", CLUSTER);
    revoked["revokedAt"] = json!("2024-01-01T00:00:00Z");
    server.push(Step::json(
        200,
        json!([revoked, token_in("t1", CLUSTER), token_in("t2", CLUSTER)]),
    ));
    let client = client_for(&server)?;
    let index = client.cached_token_index(&cluster()).await?;
    assert!(
        !index.lists("t1") && index.lists("t2"),
        "neither contradicting entry is believed"
    );
    server.push(Step::json(200, token_in("t1", CLUSTER)));
    assert!(!client.get_token(&cluster(), "t1").await?.is_revoked());
    Ok(())
}

#[tokio::test]
async fn an_id_listed_twice_is_caught_whichever_copy_an_operation_keeps() -> TestResult {
    let server = TestServer::start().await?;
    let client = client_for(&server)?;
    let mut receipt_copy = token_in("t1", CLUSTER);
    receipt_copy["description"] = json!("kept");
    // The copy the operation keeps comes after the other one, and before it.
    for list in [
        json!([
            token_in("t1", CLUSTER),
            token_in("t2", CLUSTER),
            receipt_copy
        ]),
        json!([
            receipt_copy,
            token_in("t2", CLUSTER),
            token_in("t1", CLUSTER)
        ]),
    ] {
        server.push(Step::json(200, list));
        let trusted = client
            .list_tokens_keeping(&cluster(), |t| t.description == "kept")
            .await?;
        assert!(trusted.tokens.is_empty(), "a contradicted entry was kept");
        assert!(
            !trusted.complete,
            "a list with an id twice proves no absence"
        );
    }
    server.push(Step::json(
        200,
        json!([token_in("t2", CLUSTER), receipt_copy]),
    ));
    let trusted = client
        .list_tokens_keeping(&cluster(), |t| t.description == "kept")
        .await?;
    assert_eq!(trusted.tokens.len(), 1);
    assert!(trusted.complete);
    Ok(())
}

#[tokio::test]
async fn a_refresh_index_confirms_what_is_listed_unchanged_and_nothing_else() -> TestResult {
    let server = TestServer::start().await?;
    let listed = |v: Value| serde_json::from_value::<DatabaseToken>(v);
    let mut revoked = token_in("t3", CLUSTER);
    revoked["revokedAt"] = json!("2024-01-01T00:00:00Z");
    let mut both = token_in("t4", CLUSTER);
    both["permissions"] = json!([
        {"action": "read", "resource": "db"},
        {"action": "write", "resource": "db"}
    ]);
    server.push(Step::json(
        200,
        json!([token_in("t1", CLUSTER), revoked, both]),
    ));
    let index = client_for(&server)?.cached_token_index(&cluster()).await?;
    let c = cluster();
    let t1 = listed(token_in("t1", CLUSTER))?;
    assert!(index.lists_unchanged(&c, &t1));
    // The same instant in another spelling, the permissions in another order: unchanged.
    let mut respelt = token_json(
        "t4",
        "d",
        json!([
            {"action": "write", "resource": "db"},
            {"action": "read", "resource": "db"}
        ]),
        "2023-12-21T18:32:28+01:00",
    );
    respelt["clusterId"] = json!(CLUSTER);
    assert!(index.lists_unchanged(&c, &listed(respelt)?));
    // A difference, a revoked entry, a missing one or another cluster is not confirmed.
    let mut changed = t1.clone();
    changed.description = "other".into();
    assert!(!index.lists_unchanged(&c, &changed));
    assert!(!index.lists_unchanged(&c, &listed(token_in("t9", CLUSTER))?));
    assert!(index.lists("t3"));
    assert!(!index.lists_unchanged(&c, &listed(token_in("t3", CLUSTER))?));
    assert!(!index.lists_unchanged(&Cluster::new(ACCOUNT, OTHER), &t1));
    Ok(())
}

#[tokio::test]
async fn a_large_valid_cluster_is_read_and_hostile_entries_are_refused_by_their_structure()
-> TestResult {
    let server = TestServer::start().await?;
    // The last list is 16 MB, served, read and decoded by one thread of an unoptimised build:
    // on a loaded machine that can take longer than the suite's usual 5 s request timeout.
    let client = client_with(ClientConfig {
        request_timeout: Duration::from_secs(60),
        ..config(&server.endpoint())
    })?;
    // The shape that took the provider to 5 GB: one token with very many `{}` permissions.
    let mut token = token_in("t1", CLUSTER);
    token["permissions"] = Value::Array(vec![json!({}); 100_000]);
    server.push(Step::json(200, json!([token])));
    let err = client.list_tokens(&cluster()).await.err();
    assert!(
        err.as_ref()
            .is_some_and(|e| e.to_string().contains("could not read")),
        "{err:?}"
    );

    let one = json!({"action": "read", "resource": "db"});
    token["permissions"] = Value::Array(vec![one.clone(); MAX_PERMISSIONS_PER_TOKEN + 1]);
    server.push(Step::json(200, json!([token])));
    let err = client
        .list_tokens(&cluster())
        .await
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("permissions in one token") && !e.contains("misbehaving")),
        "{err:?}"
    );

    let mut long = token_in("t1", CLUSTER);
    long["description"] = json!("x".repeat(MAX_ENTRY_BYTES as usize + 128 * 1024));
    server.push(Step::json(200, json!([token_in("t0", CLUSTER), long])));
    let err = client
        .list_tokens(&cluster())
        .await
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("one entry of the list is longer than 1024 KiB")),
        "{err:?}"
    );

    // What the old limits refused (over 100,000 permissions in all, more than 10,000 tokens):
    // a refresh reads it, and keeps a digest per entry.
    token["permissions"] = Value::Array(vec![one; 30]);
    let list: Vec<Value> = (0..12_000)
        .map(|i| {
            let mut t = token.clone();
            t["id"] = json!(format!("t{i}"));
            t
        })
        .collect();
    server.push(Step::json(200, Value::Array(list)));
    let index = client.cached_token_index(&cluster()).await?;
    assert_eq!(index.len(), 12_000);
    assert_eq!(
        server.count(Method::GET),
        4,
        "a malformed answer is not retried"
    );
    Ok(())
}
