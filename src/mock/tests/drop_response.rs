//! `drop_response_after_commit`: the change is applied and the client gets a transport error,
//! not an HTTP status.

use reqwest::Method;
use serde_json::json;

use super::Mock;

/// A fresh client per request, so the dropped request cannot be a retried pooled connection.
async fn send_fresh(
    mock: &Mock,
    method: Method,
    url: &str,
    body: serde_json::Value,
) -> reqwest::Result<reqwest::Response> {
    reqwest::Client::new()
        .request(method, url)
        .bearer_auth(mock.server.management_token())
        .json(&body)
        .send()
        .await
}

#[tokio::test]
async fn a_dropped_create_gives_the_client_a_transport_error_and_the_token_exists() {
    let mock = Mock::new().await;
    mock.configure(json!({"drop_response_after_commit": {"method": "POST", "rate": 1}}));
    let result = send_fresh(
        &mock,
        Method::POST,
        &mock.url("/tokens"),
        json!({"description": "lost"}),
    )
    .await;
    let err = result.expect_err("no HTTP response");
    assert!(err.status().is_none(), "{err:?}");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );

    let tokens = mock.server.state()["clusters"][0]["tokens"].clone();
    assert_eq!(tokens.as_array().map(Vec::len), Some(1));
    assert_eq!(tokens[0]["description"], json!("lost"));
    let logged = mock.server.requests();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].method, "POST");
    assert_eq!(logged[0].status, 0);

    mock.configure(json!({"drop_response_after_commit": null}));
    let list = mock.get("/tokens").await;
    assert_eq!(list.body.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_dropped_delete_still_revokes() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    mock.configure(json!({"drop_response_after_commit": {"method": "DELETE"}}));
    let result = reqwest::Client::new()
        .delete(mock.url(&format!("/tokens/{id}")))
        .bearer_auth(mock.server.management_token())
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert!(mock.server.state()["clusters"][0]["tokens"][0]["revokedAt"].is_string());
}

#[tokio::test]
async fn a_failed_request_is_answered_not_dropped() {
    let mock = Mock::new().await;
    mock.configure(json!({"drop_response_after_commit": {"method": "POST", "rate": 1}}));
    let reply = send_fresh(
        &mock,
        Method::POST,
        &mock.url("/tokens"),
        json!({"description": ""}),
    )
    .await
    .expect("a 400 is answered");
    assert_eq!(reply.status().as_u16(), 400);
}

#[tokio::test]
async fn requests_of_other_methods_or_paths_are_answered() {
    let mock = Mock::new().await;
    mock.configure(json!({"drop_response_after_commit": {
        "method": "POST",
        "path_prefix": format!("{}/databases", mock.url("").trim_start_matches(&mock.server.base_url())),
    }}));
    assert_eq!(mock.get("/tokens").await.status, 200);
    assert_eq!(
        mock.post("/tokens", json!({"description": "kept"}))
            .await
            .status,
        200
    );
    let dropped = send_fresh(
        &mock,
        Method::POST,
        &mock.url("/databases"),
        json!({"name": "db"}),
    )
    .await;
    assert!(dropped.is_err());
    assert_eq!(
        mock.server.state()["clusters"][0]["databases"][0]["name"],
        json!("db")
    );
}

#[tokio::test]
async fn the_server_keeps_serving_after_dropping_a_connection() {
    let mock = Mock::new().await;
    mock.configure(json!({"drop_response_after_commit": {"method": "POST"}}));
    for _ in 0..3 {
        let result = send_fresh(
            &mock,
            Method::POST,
            &mock.url("/tokens"),
            json!({"description": "x"}),
        )
        .await;
        assert!(result.is_err());
    }
    assert_eq!(
        mock.get("/tokens").await.body.as_array().map(Vec::len),
        Some(3)
    );
}
