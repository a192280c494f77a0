//! Soft delete, undelete, rename and tables: behaviour beyond the response shapes, and the
//! `undelete_window_ms` and `deleted_names` switches.

use serde_json::json;

use super::{Mock, assert_error};

/// Renames `from` to `to` and returns the database id the answer carries.
async fn rename(mock: &Mock, from: &str, to: &str) -> i64 {
    let reply = mock
        .call(
            reqwest::Method::PUT,
            &mock.url(&format!("/databases/{from}/rename")),
            Some(json!({"name": to})),
        )
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.body["id"].as_i64().expect("id")
}

async fn put(mock: &Mock, rest: &str) -> super::Reply {
    mock.call(reqwest::Method::PUT, &mock.url(rest), None).await
}

#[tokio::test]
async fn a_deleted_database_comes_back_with_its_tables_and_settings() {
    let mock = Mock::new().await;
    mock.create_database(json!({"name": "db", "maxTables": 7}))
        .await;
    let table = mock
        .post("/databases/db/tables", json!({"name": "cpu"}))
        .await;
    assert_eq!(table.status, 200, "{table:?}");
    let id = rename(&mock, "db", "db").await;
    assert_eq!(mock.delete("/databases/db").await.status, 204);
    assert_eq!(
        mock.get("/databases").await.body,
        json!([]),
        "list shows live only"
    );
    assert_eq!(
        mock.server.state()["clusters"][0]["deleted_databases"][0]["id"],
        json!(id)
    );
    let back = put(&mock, &format!("/databases/{id}/undelete")).await;
    assert_eq!(back.status, 200, "{back:?}");
    assert_eq!(back.body["maxTables"], json!(7));
    let listed = mock.get("/databases").await.body;
    assert_eq!(listed[0]["name"], json!("db"));
    let dup = mock
        .post("/databases/db/tables", json!({"name": "cpu"}))
        .await;
    assert_error(&dup, 409);
}

#[tokio::test(start_paused = true)]
async fn a_zero_window_deletes_outright_and_an_expired_window_forgets() {
    let mock = Mock::on_paused_time().await;
    mock.create_database(json!({"name": "db"})).await;
    let id = rename(&mock, "db", "db").await;
    mock.configure(json!({"undelete_window_ms": 0}));
    assert_eq!(mock.delete("/databases/db").await.status, 204);
    assert_error(&put(&mock, &format!("/databases/{id}/undelete")).await, 404);

    mock.configure(json!({"undelete_window_ms": 40}));
    mock.create_database(json!({"name": "db2"})).await;
    let id = rename(&mock, "db2", "db2").await;
    assert_eq!(mock.delete("/databases/db2").await.status, 204);
    tokio::time::sleep(std::time::Duration::from_millis(40)).await;
    assert_error(&put(&mock, &format!("/databases/{id}/undelete")).await, 404);
}

#[tokio::test]
async fn deleted_names_decide_whether_a_deleted_name_can_be_taken() {
    let mock = Mock::new().await;
    mock.create_database(json!({"name": "db"})).await;
    let id = rename(&mock, "db", "db").await;
    assert_eq!(mock.delete("/databases/db").await.status, 204);

    mock.configure(json!({"deleted_names": "reserved"}));
    let refused = mock.post("/databases", json!({"name": "db"})).await;
    assert_error(&refused, 409);
    let message = refused.body["message"].as_str().unwrap_or_default();
    assert!(message.contains("undelete"), "{message}");
    mock.create_database(json!({"name": "other"})).await;
    let rename_onto = mock
        .call(
            reqwest::Method::PUT,
            &mock.url("/databases/other/rename"),
            Some(json!({"name": "db"})),
        )
        .await;
    assert_error(&rename_onto, 409);

    mock.configure(json!({"deleted_names": "free"}));
    mock.create_database(json!({"name": "db"})).await;
    let clash = put(&mock, &format!("/databases/{id}/undelete")).await;
    assert_error(&clash, 400);
}

#[tokio::test]
async fn rename_moves_tables_and_leaves_token_permissions_alone() {
    let mock = Mock::new().await;
    mock.create_database(json!({"name": "old"})).await;
    mock.post("/databases/old/tables", json!({"name": "cpu"}))
        .await;
    mock.create_token(json!({
        "description": "reader",
        "permissions": [{"action": "read", "resource": "old"}]
    }))
    .await;
    rename(&mock, "old", "new").await;
    let state = mock.server.state();
    assert_eq!(
        state["clusters"][0]["tables"][0]["databaseName"],
        json!("new")
    );
    assert_eq!(
        state["clusters"][0]["tokens"][0]["permissions"][0]["resource"],
        json!("old"),
        "tokens grant by name: a rename does not follow"
    );
    let old_gone = mock
        .post("/databases/old/tables", json!({"name": "x"}))
        .await;
    assert_error(&old_gone, 404);
}
