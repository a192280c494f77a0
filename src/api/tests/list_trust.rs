//! Issue 20 items 2 and 3: what one list answer may expand into, and list entries that
//! contradict the request never move or drop a token.

use reqwest::Method;
use serde_json::{Value, json};

use super::server::{Step, TestServer};
use super::*;
use crate::api::bounds::{MAX_PERMISSIONS_PER_LIST, MAX_PERMISSIONS_PER_TOKEN};

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
    let listed = client.cached_tokens(&cluster()).await?;
    let ids: Vec<&str> = listed.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        ["t2"],
        "the foreign entry is not read as a token of this cluster"
    );
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
    let listed = client.cached_tokens(&cluster()).await?;
    let ids: Vec<&str> = listed.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["t2"], "neither contradicting entry is believed");
    server.push(Step::json(200, token_in("t1", CLUSTER)));
    assert!(!client.get_token(&cluster(), "t1").await?.is_revoked());
    Ok(())
}

#[tokio::test]
async fn empty_permissions_and_oversized_lists_are_refused_with_a_clear_error() -> TestResult {
    let server = TestServer::start().await?;
    let client = client_for(&server)?;
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
            .is_some_and(|e| e.contains("permissions in one token")),
        "{err:?}"
    );

    token["permissions"] = Value::Array(vec![one; MAX_PERMISSIONS_PER_TOKEN]);
    let many = MAX_PERMISSIONS_PER_LIST / MAX_PERMISSIONS_PER_TOKEN + 1;
    let list: Vec<Value> = (0..many)
        .map(|i| {
            let mut t = token.clone();
            t["id"] = json!(format!("t{i}"));
            t
        })
        .collect();
    server.push(Step::json(200, Value::Array(list)));
    let err = client
        .list_tokens(&cluster())
        .await
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("permissions in all")),
        "{err:?}"
    );
    assert_eq!(
        server.count(Method::GET),
        3,
        "a malformed answer is not retried"
    );
    Ok(())
}
