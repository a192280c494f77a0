//! Database endpoints: success paths, name rules, template rules, conflicts, not-found.

use serde_json::{Value, json};

use super::{Mock, assert_error};

fn template() -> Value {
    json!([
        {"type": "time", "value": "%Y"},
        {"type": "tag", "value": "plátanos"},
        {"type": "bucket", "value": {"tagName": "c", "numberOfBuckets": 10}}
    ])
}

#[tokio::test]
async fn create_fills_in_the_defaults() {
    let mock = Mock::new().await;
    let body = mock.create_database(json!({"name": "db1"})).await;
    assert_eq!(
        body,
        json!({
            "accountId": mock.server.account_id(),
            "clusterId": mock.server.cluster_id(),
            "name": "db1",
            "maxTables": 500,
            "maxColumnsPerTable": 250,
            "retentionPeriod": 0
        })
    );
}

#[tokio::test]
async fn create_echoes_all_fields_and_the_partition_template() {
    let mock = Mock::new().await;
    let body = mock
        .create_database(json!({
            "name": "a/b-c_D9",
            "maxTables": 100,
            "maxColumnsPerTable": 50,
            "retentionPeriod": 3_600_000_000_000_i64,
            "partitionTemplate": template(),
            "ignored": true
        }))
        .await;
    assert_eq!(body["name"], json!("a/b-c_D9"));
    assert_eq!(body["maxTables"], json!(100));
    assert_eq!(body["maxColumnsPerTable"], json!(50));
    assert_eq!(body["retentionPeriod"], json!(3_600_000_000_000_i64));
    assert_eq!(body["partitionTemplate"], template());
    assert!(body.get("ignored").is_none());
}

#[tokio::test]
async fn create_of_an_existing_name_is_409() {
    let mock = Mock::new().await;
    mock.create_database(json!({"name": "db"})).await;
    assert_error(&mock.post("/databases", json!({"name": "db"})).await, 409);
}

#[tokio::test]
async fn list_returns_databases_in_creation_order_with_their_templates() {
    let mock = Mock::new().await;
    assert_eq!(mock.get("/databases").await.body, json!([]));
    mock.create_database(json!({"name": "b"})).await;
    mock.create_database(json!({"name": "a", "partitionTemplate": template()}))
        .await;
    let list = mock.get("/databases").await;
    assert_eq!(list.status, 200);
    let items = list.body.as_array().expect("array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["name"], json!("b"));
    assert!(items[0].get("partitionTemplate").is_none());
    assert_eq!(items[1]["partitionTemplate"], template());
}

#[tokio::test]
async fn create_with_an_invalid_name_is_400() {
    let mock = Mock::new().await;
    for name in [
        json!(""),
        json!("_internal"),
        json!("has space"),
        json!("dot.name"),
        json!("ünï"),
        json!("x".repeat(65)),
        json!(3),
        Value::Null,
    ] {
        assert_error(&mock.post("/databases", json!({"name": name})).await, 400);
    }
    assert_error(&mock.post("/databases", json!({"maxTables": 3})).await, 400);
    assert_eq!(mock.get("/databases").await.body, json!([]));
}

#[tokio::test]
async fn create_with_out_of_range_limits_is_400() {
    let mock = Mock::new().await;
    for (field, value) in [
        ("maxTables", json!(0)),
        ("maxTables", json!(2_147_483_648_i64)),
        ("maxTables", json!(1.5)),
        ("maxTables", json!("5")),
        ("maxColumnsPerTable", json!(0)),
        ("maxColumnsPerTable", Value::Null),
        ("retentionPeriod", json!(-1)),
        ("retentionPeriod", json!(u64::MAX)),
    ] {
        let mut body = json!({"name": "db"});
        body[field] = value.clone();
        assert_error(&mock.post("/databases", body).await, 400);
    }
}

#[tokio::test]
async fn create_with_an_invalid_partition_template_is_400() {
    let tag = |v: &str| json!({"type": "tag", "value": v});
    let nine: Vec<Value> = (0..9).map(|i| tag(&format!("t{i}"))).collect();
    let cases = [
        json!([]),
        Value::Array(nine),
        json!({"type": "tag", "value": "a"}),
        json!([{"type": "time", "value": "%Y"}, {"type": "time", "value": "%m"}]),
        json!([tag("a"), tag("a")]),
        json!([tag("")]),
        json!([{"type": "tag"}]),
        json!([{"type": "time", "value": 5}]),
        json!([{"type": "hash", "value": "a"}]),
        json!([{"type": "bucket", "value": {"tagName": "c", "numberOfBuckets": 0}}]),
        json!([{"type": "bucket", "value": {"tagName": "c", "numberOfBuckets": 100_001}}]),
        json!([{"type": "bucket", "value": {"tagName": "", "numberOfBuckets": 3}}]),
        json!([{"type": "bucket", "value": {"numberOfBuckets": 3}}]),
        json!([{"type": "bucket", "value": "c"}]),
        json!(["tag"]),
        Value::Null,
    ];
    let mock = Mock::new().await;
    for case in cases {
        let reply = mock
            .post(
                "/databases",
                json!({"name": "db", "partitionTemplate": case}),
            )
            .await;
        assert_error(&reply, 400);
    }
    assert_eq!(mock.get("/databases").await.body, json!([]));
}

#[tokio::test]
async fn create_accepts_eight_parts_with_one_time_part_and_bucket_limits() {
    let mock = Mock::new().await;
    let mut parts: Vec<Value> = (0..6)
        .map(|i| json!({"type": "tag", "value": format!("t{i}")}))
        .collect();
    parts.push(json!({"type": "time", "value": "%Y-%m"}));
    parts.push(json!({"type": "bucket", "value": {"tagName": "b", "numberOfBuckets": 100_000}}));
    let body = mock
        .create_database(json!({"name": "db", "partitionTemplate": parts}))
        .await;
    assert_eq!(body["partitionTemplate"].as_array().map(Vec::len), Some(8));
}

#[tokio::test]
async fn patch_changes_only_the_given_limits_and_omits_the_template() {
    let mock = Mock::new().await;
    mock.create_database(json!({"name": "db", "partitionTemplate": template()}))
        .await;
    let reply = mock.patch("/databases/db", json!({"maxTables": 7})).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json!({
            "accountId": mock.server.account_id(),
            "clusterId": mock.server.cluster_id(),
            "name": "db",
            "maxTables": 7,
            "maxColumnsPerTable": 250,
            "retentionPeriod": 0
        })
    );
    let all = mock
        .patch(
            "/databases/db",
            json!({"maxColumnsPerTable": 9, "retentionPeriod": 0, "maxTables": 8}),
        )
        .await;
    assert_eq!(all.body["maxTables"], json!(8));
    assert_eq!(all.body["maxColumnsPerTable"], json!(9));
    let listed = mock.get("/databases").await;
    assert_eq!(listed.body[0]["partitionTemplate"], template());
    assert_eq!(listed.body[0]["maxColumnsPerTable"], json!(9));
}

#[tokio::test]
async fn patch_of_a_name_with_a_slash_uses_the_percent_encoded_path() {
    let mock = Mock::new().await;
    mock.create_database(json!({"name": "team/db"})).await;
    let reply = mock
        .patch("/databases/team%2Fdb", json!({"retentionPeriod": 5}))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["name"], json!("team/db"));
    assert_eq!(mock.delete("/databases/team%2Fdb").await.status, 204);
}

#[tokio::test]
async fn patch_needs_at_least_one_valid_limit() {
    let mock = Mock::new().await;
    mock.create_database(json!({"name": "db"})).await;
    for body in [
        json!({}),
        json!({"unknown": 1}),
        json!({"maxTables": 0}),
        json!({"maxColumnsPerTable": -3}),
        json!({"retentionPeriod": -1}),
        json!({"retentionPeriod": null}),
        json!({"maxTables": 5, "partitionTemplate": template()}),
        json!({"maxTables": 5, "name": "renamed"}),
    ] {
        assert_error(&mock.patch("/databases/db", body).await, 400);
    }
    assert_eq!(
        mock.get("/databases").await.body[0]["maxTables"],
        json!(500)
    );
}

#[tokio::test]
async fn patch_of_an_unknown_database_is_404() {
    let mock = Mock::new().await;
    assert_error(
        &mock.patch("/databases/nope", json!({"maxTables": 3})).await,
        404,
    );
}

#[tokio::test]
async fn patch_or_delete_of_an_invalid_name_is_400() {
    let mock = Mock::new().await;
    assert_error(
        &mock.patch("/databases/_x", json!({"maxTables": 3})).await,
        400,
    );
    assert_error(&mock.delete("/databases/a%20b").await, 400);
}

#[tokio::test]
async fn delete_answers_204_and_frees_the_name() {
    let mock = Mock::new().await;
    mock.create_database(json!({"name": "db", "maxTables": 3}))
        .await;
    let reply = mock.delete("/databases/db").await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.body, Value::Null);
    assert_eq!(mock.get("/databases").await.body, json!([]));
    let again = mock.create_database(json!({"name": "db"})).await;
    assert_eq!(again["maxTables"], json!(500));
}

#[tokio::test]
async fn delete_of_an_unknown_database_is_404() {
    let mock = Mock::new().await;
    assert_error(&mock.delete("/databases/nope").await, 404);
    mock.create_database(json!({"name": "db"})).await;
    mock.delete("/databases/db").await;
    assert_error(&mock.delete("/databases/db").await, 404);
}
