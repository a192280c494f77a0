//! Behaviour switches: each one's effect and the validation of patches.

use std::time::Duration;

use tokio::time::Instant;

use reqwest::Method;
use serde_json::{Value, json};

use super::super::MockError;
use super::{Mock, assert_error};

fn ids(list: &Value) -> Vec<Value> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|t| t["id"].clone())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn latency_ms_delays_api_requests_but_not_control_requests() {
    let mock = Mock::on_paused_time().await;
    mock.configure(json!({"latency_ms": 150}));
    let started = Instant::now();
    assert_eq!(mock.get("/tokens").await.status, 200);
    assert_eq!(started.elapsed(), Duration::from_millis(150));
    let started = Instant::now();
    mock.raw(Method::GET, &mock.control("state"), &[], None)
        .await;
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn latency_jitter_ms_spreads_the_delay_between_latency_and_latency_plus_jitter() {
    let mock = Mock::on_paused_time().await;
    mock.configure(json!({"latency_ms": 20, "latency_jitter_ms": 200}));
    let mut delays = Vec::new();
    for _ in 0..8 {
        let started = Instant::now();
        assert_eq!(mock.get("/tokens").await.status, 200);
        delays.push(started.elapsed());
    }
    assert!(
        delays
            .iter()
            .all(|d| (Duration::from_millis(20)..=Duration::from_millis(220)).contains(d)),
        "{delays:?}"
    );
    let (min, max) = (delays.iter().min(), delays.iter().max());
    // Eight draws from 0..=200 ms all within 30 ms of each other: about 1 in 10^9.
    assert!(
        matches!((min, max), (Some(a), Some(b)) if *b - *a > Duration::from_millis(30)),
        "the delays vary: {delays:?}"
    );
}

#[tokio::test]
async fn a_fault_answers_its_status_without_applying_the_change() {
    let mock = Mock::new().await;
    mock.configure(json!({"faults": [
        {"method": "POST", "path_prefix": "/api/v0/", "status": 503, "rate": 1.0}
    ]}));
    let reply = mock.post("/tokens", json!({"description": "d"})).await;
    assert_error(&reply, 503);
    assert_eq!(mock.server.state()["clusters"][0]["tokens"], json!([]));
    assert_eq!(mock.get("/tokens").await.status, 200, "GET does not match");
    let logged = mock.server.requests();
    assert_eq!(logged[0].status, 503);
}

#[tokio::test]
async fn a_fault_matches_any_method_with_a_star_and_only_its_path_prefix() {
    let mock = Mock::new().await;
    let prefix = format!(
        "/api/v0/accounts/{}/clusters/{}/databases",
        mock.server.account_id(),
        mock.server.cluster_id()
    );
    mock.configure(json!({"faults": [{"method": "*", "path_prefix": prefix, "status": 429}]}));
    assert_error(&mock.get("/databases").await, 429);
    assert_error(&mock.post("/databases", json!({"name": "db"})).await, 429);
    assert_eq!(mock.get("/tokens").await.status, 200);
}

#[tokio::test]
async fn a_fault_with_rate_zero_never_fires_and_an_empty_list_clears_faults() {
    let mock = Mock::new().await;
    mock.configure(json!({"faults": [{"method": "get", "status": 500, "rate": 0}]}));
    assert_eq!(mock.get("/tokens").await.status, 200);
    mock.configure(json!({"faults": [{"method": "GET", "status": 500}]}));
    assert_error(&mock.get("/tokens").await, 500);
    mock.configure(json!({"faults": []}));
    assert_eq!(mock.get("/tokens").await.status, 200);
}

#[tokio::test]
async fn a_fault_with_a_fractional_rate_fires_sometimes() {
    let mock = Mock::new().await;
    mock.configure(json!({"faults": [{"status": 502, "rate": 0.5}]}));
    let mut statuses = Vec::new();
    for _ in 0..60 {
        statuses.push(mock.get("/tokens").await.status);
    }
    assert!(statuses.contains(&502));
    assert!(statuses.contains(&200));
}

#[tokio::test]
async fn list_lag_hides_new_tokens_and_databases_from_lists_only() {
    let mock = Mock::new().await;
    mock.configure(json!({"list_lag_ms": 60_000}));
    let id = mock.token_id("new").await;
    mock.create_database(json!({"name": "db"})).await;
    assert_eq!(mock.get("/tokens").await.body, json!([]));
    assert_eq!(mock.get("/databases").await.body, json!([]));
    assert_eq!(mock.get(&format!("/tokens/{id}")).await.status, 200);
    mock.configure(json!({"list_lag_ms": 0}));
    assert_eq!(ids(&mock.get("/tokens").await.body), vec![json!(id)]);
    assert_eq!(
        mock.get("/databases").await.body.as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test(start_paused = true)]
async fn list_lag_ends_after_the_given_time() {
    let mock = Mock::on_paused_time().await;
    mock.configure(json!({"list_lag_ms": 150}));
    let id = mock.token_id("new").await;
    tokio::time::sleep(Duration::from_millis(149)).await;
    assert_eq!(mock.get("/tokens").await.body, json!([]));
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert_eq!(ids(&mock.get("/tokens").await.body), vec![json!(id)]);
}

#[tokio::test]
async fn permission_order_applies_to_every_response_with_permissions() {
    let mock = Mock::new().await;
    let sent = json!([
        {"action": "write", "resource": "b"},
        {"action": "write", "resource": "a"},
        {"action": "read", "resource": "b"}
    ]);
    let sorted = json!([
        {"action": "write", "resource": "a"},
        {"action": "read", "resource": "b"},
        {"action": "write", "resource": "b"}
    ]);
    let reversed = json!([
        {"action": "read", "resource": "b"},
        {"action": "write", "resource": "a"},
        {"action": "write", "resource": "b"}
    ]);
    mock.configure(json!({"permission_order": "reversed"}));
    let created = mock
        .create_token(json!({"description": "d", "permissions": sent}))
        .await;
    assert_eq!(created["permissions"], reversed);
    let id = created["id"].as_str().expect("id");
    mock.configure(json!({"permission_order": "sorted"}));
    assert_eq!(
        mock.get(&format!("/tokens/{id}")).await.body["permissions"],
        sorted
    );
    assert_eq!(mock.get("/tokens").await.body[0]["permissions"], sorted);
    let patched = mock
        .patch(&format!("/tokens/{id}"), json!({"description": "e"}))
        .await;
    assert_eq!(patched.body["permissions"], sorted);
    mock.configure(json!({"permission_order": "echo"}));
    assert_eq!(
        mock.get(&format!("/tokens/{id}")).await.body["permissions"],
        sent
    );
    assert_eq!(
        mock.server.state()["clusters"][0]["tokens"][0]["permissions"],
        sent,
        "the state dump keeps the stored order"
    );
}

#[tokio::test]
async fn revoked_visibility_listed_shows_revoked_tokens_with_revoked_at() {
    let mock = Mock::new().await;
    mock.configure(json!({"revoked_visibility": "listed"}));
    let id = mock.token_id("d").await;
    mock.delete(&format!("/tokens/{id}")).await;
    let got = mock.get(&format!("/tokens/{id}")).await;
    assert_eq!(got.status, 200);
    assert!(got.body["revokedAt"].is_string());
    let list = mock.get("/tokens").await;
    assert_eq!(ids(&list.body), vec![json!(id)]);
    assert_eq!(list.body[0]["revokedAt"], got.body["revokedAt"]);
    mock.configure(json!({"revoked_visibility": "hidden"}));
    assert_error(&mock.get(&format!("/tokens/{id}")).await, 404);
    assert_eq!(mock.get("/tokens").await.body, json!([]));
}

#[tokio::test(start_paused = true)]
async fn delete_revoked_no_content_answers_204_and_keeps_the_first_revocation_time() {
    let mock = Mock::on_paused_time().await;
    mock.configure(json!({"delete_revoked": "no_content"}));
    let id = mock.token_id("d").await;
    assert_eq!(mock.delete(&format!("/tokens/{id}")).await.status, 204);
    let first = mock.server.state()["clusters"][0]["tokens"][0]["revokedAt"].clone();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let again = mock.delete(&format!("/tokens/{id}")).await;
    assert_eq!(again.status, 204);
    assert_eq!(again.body, Value::Null);
    assert_eq!(
        mock.server.state()["clusters"][0]["tokens"][0]["revokedAt"],
        first
    );
    mock.configure(json!({"delete_revoked": "not_found"}));
    assert_error(&mock.delete(&format!("/tokens/{id}")).await, 404);
}

#[tokio::test]
async fn config_patches_with_bad_values_are_refused_whole() {
    let mock = Mock::new().await;
    let before = mock.server.state()["config"].clone();
    for patch in [
        json!([]),
        json!({"latency": 5}),
        json!({"latency_ms": -1}),
        json!({"latency_ms": "5"}),
        json!({"revoked_visibility": "shown"}),
        json!({"delete_revoked": "gone"}),
        json!({"permission_order": "random"}),
        json!({"faults": {}}),
        json!({"faults": [{"status": 200}]}),
        json!({"faults": [{"status": 600}]}),
        json!({"faults": [{"method": "GET"}]}),
        json!({"faults": [{"status": 500, "rate": 1.5}]}),
        json!({"faults": [{"status": 500, "rate": -0.1}]}),
        json!({"faults": [{"status": 500, "method": "GE T"}]}),
        json!({"faults": [{"status": 500, "path_prefix": "api"}]}),
        json!({"faults": [{"status": 500, "colour": "red"}]}),
        json!({"drop_response_after_commit": {"rate": 2}}),
        json!({"drop_response_after_commit": "POST"}),
        json!({"drop_response_after_commit": {"count": 0}}),
        json!({"lies": ["list_forgets_everything"]}),
        json!({"list_lag_ms": 1.5}),
        json!({"latency_ms": 10, "permission_order": "random"}),
    ] {
        let result = mock.server.configure(patch.clone());
        assert!(
            matches!(result, Err(MockError::InvalidConfig(_))),
            "{patch} gave {result:?}"
        );
        let reply = mock
            .raw(
                Method::POST,
                &mock.control("config"),
                super::JSON,
                Some(&patch.to_string()),
            )
            .await;
        assert_error(&reply, 400);
    }
    assert_eq!(mock.server.state()["config"], before);
}

#[tokio::test]
async fn config_patches_change_only_the_given_switches() {
    let mock = Mock::new().await;
    mock.configure(json!({"latency_ms": 3, "faults": [{"status": 500, "rate": 0}]}));
    mock.configure(json!({"list_lag_ms": 4, "latency_ms": null}));
    let config = mock.server.state()["config"].clone();
    assert_eq!(
        config,
        json!({
            "latency_ms": 3,
            "latency_jitter_ms": 0,
            "revoked_visibility": "hidden",
            "delete_revoked": "not_found",
            "permission_order": "echo",
            "faults": [{"method": "*", "path_prefix": "/", "status": 500, "rate": 0.0}],
            "drop_response_after_commit": null,
            "list_lag_ms": 4,
            "lies": [],
            "undelete_window_ms": 604_800_000,
            "deleted_names": "free"
        })
    );
}

#[tokio::test]
async fn drop_response_after_commit_is_cleared_by_null() {
    let mock = Mock::new().await;
    mock.configure(json!({"drop_response_after_commit": {"method": "post", "rate": 0.25}}));
    assert_eq!(
        mock.server.state()["config"]["drop_response_after_commit"],
        json!({"method": "POST", "path_prefix": "/", "rate": 0.25})
    );
    mock.configure(json!({"drop_response_after_commit": null}));
    assert_eq!(
        mock.server.state()["config"]["drop_response_after_commit"],
        Value::Null
    );
}

#[tokio::test]
async fn a_drop_rule_with_a_count_turns_itself_off_after_its_last_hit() {
    let mock = Mock::new().await;
    mock.configure(json!({"drop_response_after_commit": {"method": "POST", "count": 2}}));
    for left in [1, 0] {
        // The answer is lost: the request fails on the client's side, and the token is made.
        let sent = mock
            .http
            .post(mock.url("/tokens"))
            .bearer_auth(mock.server.management_token())
            .json(&json!({"description": "d", "permissions": []}))
            .send()
            .await;
        assert!(sent.is_err(), "no answer while the rule lasts");
        let rule = mock.server.state()["config"]["drop_response_after_commit"].clone();
        if left == 0 {
            assert_eq!(rule, Value::Null, "off after the last hit");
        } else {
            assert_eq!(rule["count"], json!(left));
        }
    }
    mock.create_token(json!({"description": "answered", "permissions": []}))
        .await;
    assert_eq!(
        mock.get("/tokens").await.body.as_array().map(Vec::len),
        Some(3)
    );
}

#[tokio::test]
async fn lies_repeat_ids_call_live_tokens_revoked_and_misplace_create_answers() {
    let mock = Mock::new().await;
    let id = mock.token_id("live").await;
    mock.configure(json!({"lies": ["list_repeats_ids", "list_says_revoked"]}));
    let listed = mock.get("/tokens").await.body;
    let entries = listed.as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 2, "{listed}");
    assert!(
        entries
            .iter()
            .all(|t| t["id"] == id.as_str() && t["revokedAt"].is_string())
    );
    let truth = mock.get(&format!("/tokens/{id}")).await.body;
    assert!(
        truth["revokedAt"].is_null(),
        "a GET by id tells the truth: {truth}"
    );

    mock.configure(json!({"lies": ["create_names_other_cluster"]}));
    let answer = mock
        .create_token(json!({"description": "elsewhere", "permissions": []}))
        .await;
    assert_ne!(answer["clusterId"], mock.server.cluster_id());
    let made = answer["id"].as_str().unwrap_or_default().to_owned();
    mock.configure(json!({"lies": []}));
    let truth = mock.get(&format!("/tokens/{made}")).await.body;
    assert_eq!(
        truth["clusterId"],
        mock.server.cluster_id(),
        "made where it was asked"
    );
}

/// docs/mock-api.md is the switches' documentation outside the source: it names every switch
/// the mock accepts, so a new one cannot go undocumented.
#[test]
fn the_mock_page_names_every_switch() {
    let page = include_str!("../../../docs/mock-api.md");
    let switches =
        serde_json::to_value(super::super::switches::MockConfig::default()).expect("serialize");
    let names: Vec<&String> = switches.as_object().expect("an object").keys().collect();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        assert!(
            page.contains(&format!("| `{name}` |")),
            "docs/mock-api.md does not document the switch {name}"
        );
    }
}
