//! Auth, path ids, clusters, unknown routes and wrong methods.

use reqwest::Method;
use serde_json::json;

use super::super::MockOptions;
use super::{Mock, assert_error};

#[tokio::test]
async fn a_request_without_authorization_is_401() {
    let mock = Mock::new().await;
    let reply = mock.raw(Method::GET, &mock.url("/tokens"), &[], None).await;
    assert_error(&reply, 401);
}

#[tokio::test]
async fn a_request_with_a_wrong_or_malformed_token_is_401() {
    let mock = Mock::new().await;
    let right = mock.server.management_token().to_owned();
    for header in [
        "Bearer wrong".to_owned(),
        right.clone(),
        format!("Basic {right}"),
        format!("Bearer{right}"),
        "Bearer ".to_owned(),
    ] {
        let reply = mock
            .raw(
                Method::GET,
                &mock.url("/tokens"),
                &[("authorization", &header)],
                None,
            )
            .await;
        assert_error(&reply, 401);
    }
}

#[tokio::test]
async fn the_bearer_scheme_name_is_case_insensitive() {
    let mock = Mock::new().await;
    let header = format!("bearer {}", mock.server.management_token());
    let reply = mock
        .raw(
            Method::GET,
            &mock.url("/tokens"),
            &[("authorization", &header)],
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn auth_is_checked_before_the_path() {
    let mock = Mock::new().await;
    let url = format!(
        "{}/accounts/nope/clusters/nope/tokens",
        mock.server.endpoint()
    );
    assert_error(&mock.raw(Method::GET, &url, &[], None).await, 401);
}

#[tokio::test]
async fn a_non_uuid_account_or_cluster_id_is_400() {
    let mock = Mock::new().await;
    let endpoint = mock.server.endpoint();
    let account = mock.server.account_id().to_owned();
    let cluster = mock.server.cluster_id().to_owned();
    let simple = account.replace('-', "");
    for (a, c) in [
        ("not-a-uuid", cluster.as_str()),
        (account.as_str(), "123"),
        (simple.as_str(), cluster.as_str()),
    ] {
        let url = format!("{endpoint}/accounts/{a}/clusters/{c}/tokens");
        assert_error(&mock.call(Method::GET, &url, None).await, 400);
        let url = format!("{endpoint}/accounts/{a}/clusters/{c}/databases");
        assert_error(&mock.call(Method::GET, &url, None).await, 400);
    }
}

#[tokio::test]
async fn a_non_uuid_token_id_is_400_on_every_method() {
    let mock = Mock::new().await;
    assert_error(&mock.get("/tokens/abc").await, 400);
    assert_error(
        &mock.patch("/tokens/abc", json!({"description": "x"})).await,
        400,
    );
    assert_error(&mock.delete("/tokens/abc").await, 400);
}

#[tokio::test]
async fn an_unknown_account_or_cluster_is_404() {
    let mock = Mock::new().await;
    let endpoint = mock.server.endpoint();
    let other = uuid::Uuid::new_v4().to_string();
    for (a, c) in [
        (other.as_str(), mock.server.cluster_id()),
        (mock.server.account_id(), other.as_str()),
    ] {
        for what in ["tokens", "databases"] {
            let url = format!("{endpoint}/accounts/{a}/clusters/{c}/{what}");
            assert_error(&mock.call(Method::GET, &url, None).await, 404);
        }
    }
}

#[tokio::test]
async fn an_unknown_api_path_is_404_json() {
    let mock = Mock::new().await;
    assert_error(&mock.get("/tables").await, 404);
    let root = format!("{}/", mock.server.base_url());
    assert_error(&mock.call(Method::GET, &root, None).await, 404);
}

#[tokio::test]
async fn a_wrong_method_is_405_json() {
    let mock = Mock::new().await;
    assert_error(
        &mock.call(Method::PUT, &mock.url("/tokens"), None).await,
        405,
    );
    assert_error(
        &mock
            .call(Method::GET, &mock.url("/databases/db"), None)
            .await,
        405,
    );
}

#[tokio::test]
async fn extra_clusters_have_their_own_tokens_and_databases() {
    let account = uuid::Uuid::new_v4().to_string();
    let cluster = uuid::Uuid::new_v4().to_string();
    let mock = Mock::with(MockOptions {
        extra_clusters: vec![(account.clone(), cluster.clone())],
        ..MockOptions::default()
    })
    .await;
    let extra = format!(
        "{}/accounts/{account}/clusters/{cluster}",
        mock.server.endpoint()
    );
    let created = mock
        .call(
            Method::POST,
            &format!("{extra}/tokens"),
            Some(json!({"description": "x"})),
        )
        .await;
    assert_eq!(created.status, 200);
    assert_eq!(created.body["accountId"], json!(account));
    assert_eq!(created.body["clusterId"], json!(cluster));
    let db = mock
        .call(
            Method::POST,
            &format!("{extra}/databases"),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(db.status, 200);
    assert_eq!(mock.get("/tokens").await.body, json!([]));
    assert_eq!(mock.get("/databases").await.body, json!([]));
    let state = mock.server.state();
    assert_eq!(state["clusters"][1]["account_id"], json!(account));
    assert_eq!(
        state["clusters"][1]["tokens"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        state["clusters"][1]["databases"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_token_of_one_cluster_is_404_in_another() {
    let account = uuid::Uuid::new_v4().to_string();
    let cluster = uuid::Uuid::new_v4().to_string();
    let mock = Mock::with(MockOptions {
        extra_clusters: vec![(account.clone(), cluster.clone())],
        ..MockOptions::default()
    })
    .await;
    let id = mock.token_id("default cluster").await;
    let url = format!(
        "{}/accounts/{account}/clusters/{cluster}/tokens/{id}",
        mock.server.endpoint()
    );
    assert_error(&mock.call(Method::GET, &url, None).await, 404);
}
