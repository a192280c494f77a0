//! Token endpoints: the success paths and the not-found answers.

use serde_json::json;

use super::super::timefmt;
use super::{Mock, assert_error};

fn is_millis_utc(text: &str) -> bool {
    text.len() == 24 && text.ends_with('Z') && timefmt::parse_rfc3339(text).is_some()
}

#[tokio::test]
async fn create_answers_200_with_the_token_and_its_secret() {
    let mock = Mock::new().await;
    let reply = mock
        .post(
            "/tokens",
            json!({
                "description": "ingest",
                "permissions": [
                    {"action": "write", "resource": "db1"},
                    {"action": "read", "resource": "*"}
                ]
            }),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    let body = reply.body;
    assert_eq!(body["accountId"], json!(mock.server.account_id()));
    assert_eq!(body["clusterId"], json!(mock.server.cluster_id()));
    assert_eq!(body["description"], json!("ingest"));
    assert_eq!(
        body["permissions"],
        json!([
            {"action": "write", "resource": "db1"},
            {"action": "read", "resource": "*"}
        ])
    );
    assert!(uuid::Uuid::try_parse(body["id"].as_str().expect("id")).is_ok());
    assert!(is_millis_utc(
        body["createdAt"].as_str().expect("createdAt")
    ));
    assert!(body.get("expiresAt").is_none());
    assert!(body.get("revokedAt").is_none());
    let secret = body["accessToken"].as_str().expect("accessToken");
    let encoded = secret.strip_prefix("apiv1_").expect("apiv1_ prefix");
    assert_eq!(encoded.len(), 86);
    assert!(
        encoded
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
}

#[tokio::test]
async fn create_gives_each_token_a_new_id_and_secret() {
    let mock = Mock::new().await;
    let a = mock.create_token(json!({"description": "same"})).await;
    let b = mock.create_token(json!({"description": "same"})).await;
    assert_ne!(a["id"], b["id"]);
    assert_ne!(a["accessToken"], b["accessToken"]);
}

#[tokio::test]
async fn create_without_permissions_stores_an_empty_list() {
    let mock = Mock::new().await;
    let body = mock.create_token(json!({"description": "none"})).await;
    assert_eq!(body["permissions"], json!([]));
}

#[tokio::test]
async fn create_ignores_unknown_fields_such_as_expiration_type() {
    let mock = Mock::new().await;
    let body = mock
        .create_token(json!({"description": "d", "expirationType": "noExpiration", "extra": [1]}))
        .await;
    assert!(body.get("expirationType").is_none());
    assert!(body.get("extra").is_none());
}

#[tokio::test]
async fn create_echoes_expires_at_normalised_to_utc() {
    let mock = Mock::new().await;
    let body = mock
        .create_token(json!({
            "description": "d",
            "expiresAt": "2031-06-01T02:30:00.123456789+02:00"
        }))
        .await;
    assert_eq!(body["expiresAt"], json!("2031-06-01T00:30:00.123456789Z"));
    let whole = mock
        .create_token(json!({"description": "d", "expiresAt": "2031-06-01T00:00:00Z"}))
        .await;
    assert_eq!(whole["expiresAt"], json!("2031-06-01T00:00:00Z"));
}

#[tokio::test]
async fn list_returns_all_live_tokens_in_creation_order_without_secrets() {
    let mock = Mock::new().await;
    let empty = mock.get("/tokens").await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.body, json!([]));
    let first = mock.token_id("first").await;
    let second = mock.token_id("second").await;
    let list = mock.get("/tokens").await;
    assert_eq!(list.status, 200);
    let items = list.body.as_array().expect("array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], json!(first));
    assert_eq!(items[1]["id"], json!(second));
    assert!(items.iter().all(|t| t.get("accessToken").is_none()));
}

#[tokio::test]
async fn get_returns_the_token_without_its_secret() {
    let mock = Mock::new().await;
    let created = mock
        .create_token(json!({"description": "d", "expiresAt": "2030-01-01T00:00:00Z"}))
        .await;
    let id = created["id"].as_str().expect("id");
    let reply = mock.get(&format!("/tokens/{id}")).await;
    assert_eq!(reply.status, 200);
    let mut expected = created.clone();
    expected
        .as_object_mut()
        .expect("object")
        .remove("accessToken");
    assert_eq!(reply.body, expected);
}

#[tokio::test]
async fn get_accepts_an_uppercase_token_id() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    let reply = mock.get(&format!("/tokens/{}", id.to_uppercase())).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["id"], json!(id));
}

#[tokio::test]
async fn get_of_an_unknown_token_is_404() {
    let mock = Mock::new().await;
    let reply = mock.get(&format!("/tokens/{}", uuid::Uuid::new_v4())).await;
    assert_error(&reply, 404);
}

#[tokio::test]
async fn patch_with_description_only_keeps_the_permissions() {
    let mock = Mock::new().await;
    let id = mock.token_id("old").await;
    let reply = mock
        .patch(&format!("/tokens/{id}"), json!({"description": "new"}))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["description"], json!("new"));
    assert_eq!(
        reply.body["permissions"],
        json!([{"action": "read", "resource": "db"}])
    );
    assert!(reply.body.get("accessToken").is_none());
    let after = mock.get(&format!("/tokens/{id}")).await;
    assert_eq!(after.body, reply.body);
}

#[tokio::test]
async fn patch_with_permissions_replaces_the_whole_list() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    let reply = mock
        .patch(
            &format!("/tokens/{id}"),
            json!({"permissions": [{"action": "write", "resource": "other"}]}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["description"], json!("d"));
    assert_eq!(
        reply.body["permissions"],
        json!([{"action": "write", "resource": "other"}])
    );
    let cleared = mock
        .patch(&format!("/tokens/{id}"), json!({"permissions": []}))
        .await;
    assert_eq!(cleared.body["permissions"], json!([]));
}

#[tokio::test]
async fn patch_keeps_id_created_at_and_expires_at() {
    let mock = Mock::new().await;
    let created = mock
        .create_token(json!({"description": "d", "expiresAt": "2030-01-01T00:00:00Z"}))
        .await;
    let id = created["id"].as_str().expect("id");
    let reply = mock
        .patch(&format!("/tokens/{id}"), json!({"description": "e"}))
        .await;
    for field in ["id", "createdAt", "expiresAt", "accountId", "clusterId"] {
        assert_eq!(reply.body[field], created[field], "{field}");
    }
}

#[tokio::test]
async fn patch_of_an_unknown_token_is_404() {
    let mock = Mock::new().await;
    let reply = mock
        .patch(
            &format!("/tokens/{}", uuid::Uuid::new_v4()),
            json!({"description": "x"}),
        )
        .await;
    assert_error(&reply, 404);
}

#[tokio::test]
async fn patch_of_a_revoked_token_is_404_even_when_revoked_tokens_are_listed() {
    let mock = Mock::new().await;
    mock.configure(json!({"revoked_visibility": "listed"}));
    let id = mock.token_id("d").await;
    assert_eq!(mock.delete(&format!("/tokens/{id}")).await.status, 204);
    let reply = mock
        .patch(&format!("/tokens/{id}"), json!({"description": "x"}))
        .await;
    assert_error(&reply, 404);
}

#[tokio::test]
async fn delete_answers_204_with_an_empty_body_and_revokes() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    let reply = mock.delete(&format!("/tokens/{id}")).await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.body, serde_json::Value::Null);
    assert_eq!(reply.content_type, None);
    let state = mock.server.state();
    let token = &state["clusters"][0]["tokens"][0];
    assert_eq!(token["id"], json!(id));
    assert!(is_millis_utc(
        token["revokedAt"].as_str().expect("revokedAt")
    ));
}

#[tokio::test]
async fn a_revoked_token_is_hidden_from_get_and_list_by_default() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    let kept = mock.token_id("kept").await;
    mock.delete(&format!("/tokens/{id}")).await;
    assert_error(&mock.get(&format!("/tokens/{id}")).await, 404);
    let list = mock.get("/tokens").await;
    let ids: Vec<_> = list
        .body
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(kept)]);
}

#[tokio::test]
async fn delete_of_an_unknown_token_is_404() {
    let mock = Mock::new().await;
    let reply = mock
        .delete(&format!("/tokens/{}", uuid::Uuid::new_v4()))
        .await;
    assert_error(&reply, 404);
}

#[tokio::test]
async fn delete_of_a_revoked_token_is_404_by_default() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    assert_eq!(mock.delete(&format!("/tokens/{id}")).await.status, 204);
    assert_error(&mock.delete(&format!("/tokens/{id}")).await, 404);
}
