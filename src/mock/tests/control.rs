//! Control endpoints and their in-process twins: request log, state, config, reset.

use reqwest::Method;
use serde_json::{Value, json};

use super::super::RequestRecord;
use super::super::timefmt;
use super::Mock;

#[tokio::test]
async fn the_request_log_lists_api_requests_in_order_with_their_statuses() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    mock.get(&format!("/tokens/{id}")).await;
    mock.raw(Method::GET, &mock.url("/tokens"), &[], None).await;
    mock.delete("/tokens/not-a-uuid").await;
    let prefix = format!(
        "/api/v0/accounts/{}/clusters/{}",
        mock.server.account_id(),
        mock.server.cluster_id()
    );
    let logged: Vec<(String, String, u16)> = mock
        .server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path, r.status))
        .collect();
    assert_eq!(
        logged,
        vec![
            ("POST".to_owned(), format!("{prefix}/tokens"), 200),
            ("GET".to_owned(), format!("{prefix}/tokens/{id}"), 200),
            ("GET".to_owned(), format!("{prefix}/tokens"), 401),
            (
                "DELETE".to_owned(),
                format!("{prefix}/tokens/not-a-uuid"),
                400
            ),
        ]
    );
    for record in mock.server.requests() {
        assert_eq!(record.at.len(), 24);
        assert!(
            timefmt::parse_rfc3339(&record.at).is_some(),
            "{}",
            record.at
        );
    }
}

#[tokio::test]
async fn the_request_log_excludes_control_requests_and_logs_the_path_without_query() {
    let mock = Mock::new().await;
    mock.raw(Method::GET, &mock.control("state"), &[], None)
        .await;
    mock.raw(Method::GET, &mock.control("requests"), &[], None)
        .await;
    mock.get("/tokens?x=1").await;
    let logged = mock.server.requests();
    assert_eq!(logged.len(), 1);
    assert!(logged[0].path.ends_with("/tokens"), "{:?}", logged[0]);
}

#[tokio::test]
async fn get_requests_serves_the_same_log_as_requests() {
    let mock = Mock::new().await;
    mock.token_id("d").await;
    let reply = mock
        .raw(Method::GET, &mock.control("requests"), &[], None)
        .await;
    assert_eq!(reply.status, 200);
    let served: Vec<RequestRecord> = serde_json::from_value(reply.body).expect("records");
    assert_eq!(served, mock.server.requests());
    assert_eq!(served.len(), 1);
}

#[tokio::test]
async fn get_state_serves_tokens_incl_revoked_without_secrets_and_databases() {
    let mock = Mock::new().await;
    let revoked = mock.token_id("revoked").await;
    let live = mock.token_id("live").await;
    mock.delete(&format!("/tokens/{revoked}")).await;
    mock.create_database(json!({"name": "db"})).await;
    let reply = mock
        .raw(Method::GET, &mock.control("state"), &[], None)
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, mock.server.state());
    let cluster = &reply.body["clusters"][0];
    assert_eq!(cluster["account_id"], json!(mock.server.account_id()));
    assert_eq!(cluster["cluster_id"], json!(mock.server.cluster_id()));
    let tokens = cluster["tokens"].as_array().expect("tokens");
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0]["id"], json!(revoked));
    assert!(tokens[0]["revokedAt"].is_string());
    assert_eq!(tokens[1]["id"], json!(live));
    assert!(tokens.iter().all(|t| t.get("accessToken").is_none()));
    assert_eq!(cluster["databases"][0]["name"], json!("db"));
    assert!(!reply.body.to_string().contains("apiv1_"));
}

#[tokio::test]
async fn post_config_applies_a_patch_and_answers_the_resulting_switches() {
    let mock = Mock::new().await;
    let reply = mock
        .raw(
            Method::POST,
            &mock.control("config"),
            super::JSON,
            Some(r#"{"revoked_visibility":"listed"}"#),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["revoked_visibility"], json!("listed"));
    assert_eq!(reply.body["latency_ms"], json!(0));
    assert_eq!(mock.server.state()["config"], reply.body);
    let bad = mock
        .raw(
            Method::POST,
            &mock.control("config"),
            super::JSON,
            Some("not json"),
        )
        .await;
    super::assert_error(&bad, 400);
}

#[tokio::test]
async fn reset_clears_tokens_databases_the_log_and_the_switches() {
    let mock = Mock::new().await;
    mock.token_id("d").await;
    mock.create_database(json!({"name": "db"})).await;
    mock.configure(json!({"latency_ms": 5, "faults": [{"status": 500, "rate": 0}]}));
    let reply = mock
        .raw(Method::POST, &mock.control("reset"), super::JSON, None)
        .await;
    assert_eq!(reply.status, 204);
    assert!(mock.server.requests().is_empty());
    let state = mock.server.state();
    assert_eq!(state["clusters"][0]["tokens"], json!([]));
    assert_eq!(state["clusters"][0]["databases"], json!([]));
    assert_eq!(state["config"]["latency_ms"], json!(0));
    assert_eq!(state["config"]["faults"], json!([]));
    assert_eq!(
        mock.get("/tokens").await.status,
        200,
        "ids and token survive"
    );
}

#[tokio::test]
async fn reset_in_process_matches_post_reset() {
    let mock = Mock::new().await;
    mock.token_id("d").await;
    mock.server.reset();
    assert!(mock.server.requests().is_empty());
    assert_eq!(mock.server.state()["clusters"][0]["tokens"], json!([]));
}

#[tokio::test]
async fn control_endpoints_need_no_auth_and_answer_wrong_methods_with_405() {
    let mock = Mock::new().await;
    let reply = mock
        .raw(Method::GET, &mock.control("reset"), &[], None)
        .await;
    super::assert_error(&reply, 405);
    let unknown = mock
        .raw(Method::GET, &mock.control("nothing"), &[], None)
        .await;
    super::assert_error(&unknown, 404);
    assert!(mock.server.requests().is_empty());
    assert_eq!(
        mock.raw(Method::GET, &mock.control("requests"), &[], None)
            .await
            .body,
        Value::Array(vec![])
    );
}

type Headers<'a> = &'a [(&'a str, &'a str)];

#[tokio::test]
async fn control_endpoints_refuse_browser_and_foreign_host_requests_and_change_nothing() {
    let mock = Mock::new().await;
    mock.token_id("kept").await;
    let before = mock.server.state();
    let cases: [(&str, Headers, u16); 5] = [
        // A cross-origin "simple" POST from a web page: text/plain, with Origin.
        (
            "reset",
            &[
                ("content-type", "text/plain"),
                ("origin", "http://evil.example"),
            ],
            403,
        ),
        ("reset", &[("content-type", "text/plain")], 415),
        ("reset", &[], 415),
        (
            "config",
            &[("content-type", "application/json"), ("origin", "null")],
            403,
        ),
        // DNS rebinding: the page's own name in Host, no Origin needed for GET-like tricks.
        (
            "reset",
            &[
                ("content-type", "application/json"),
                ("host", "evil.example"),
            ],
            403,
        ),
    ];
    for (what, headers, status) in cases {
        let body = (what == "config").then_some(r#"{"faults":[{"status":500}]}"#);
        let reply = mock
            .raw(Method::POST, &mock.control(what), headers, body)
            .await;
        super::assert_error(&reply, status);
    }
    let read = mock
        .raw(
            Method::GET,
            &mock.control("state"),
            &[("origin", "http://evil.example")],
            None,
        )
        .await;
    super::assert_error(&read, 403);
    assert_eq!(mock.server.state(), before, "nothing changed");
}

#[tokio::test]
async fn a_generated_cluster_is_listed_at_once_and_again_after_a_reset() {
    let mock = Mock::with(super::super::MockOptions {
        generate_tokens: 3,
        permissions_per_token: 4,
        ..super::super::MockOptions::default()
    })
    .await;
    let listed = |body: &serde_json::Value| {
        body.as_array()
            .map(|tokens| {
                tokens
                    .iter()
                    .map(|t| t["permissions"].as_array().map_or(0, Vec::len))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let reply = mock.get("/tokens").await;
    assert_eq!(reply.status, 200);
    assert_eq!(listed(&reply.body), [4, 4, 4]);
    mock.token_id("made").await;
    mock.server.reset();
    assert_eq!(listed(&mock.get("/tokens").await.body), [4, 4, 4]);
}
