//! Token body validation: every rule of tests/data/openapi/cloud-dedicated-management.yml answered with 400 and nothing stored.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Mock, assert_error};

async fn assert_create_rejected(mock: &Mock, body: Value) {
    let reply = mock.post("/tokens", body.clone()).await;
    assert_error(&reply, 400);
    assert_eq!(
        mock.server.state()["clusters"][0]["tokens"],
        json!([]),
        "nothing stored for {body}"
    );
}

#[tokio::test]
async fn create_without_description_is_400() {
    let mock = Mock::new().await;
    assert_create_rejected(&mock, json!({"permissions": []})).await;
}

#[tokio::test]
async fn create_with_an_empty_description_is_400() {
    let mock = Mock::new().await;
    assert_create_rejected(&mock, json!({"description": ""})).await;
}

#[tokio::test]
async fn create_with_a_non_string_description_is_400() {
    let mock = Mock::new().await;
    assert_create_rejected(&mock, json!({"description": 7})).await;
    assert_create_rejected(&mock, json!({"description": null})).await;
}

#[tokio::test]
async fn create_with_permissions_that_are_not_an_array_is_400() {
    let mock = Mock::new().await;
    assert_create_rejected(&mock, json!({"description": "d", "permissions": {}})).await;
    assert_create_rejected(&mock, json!({"description": "d", "permissions": null})).await;
    assert_create_rejected(&mock, json!({"description": "d", "permissions": ["read"]})).await;
}

#[tokio::test]
async fn create_with_an_action_other_than_read_or_write_is_400() {
    let mock = Mock::new().await;
    for action in [
        json!("admin"),
        json!("READ"),
        json!(""),
        json!(1),
        Value::Null,
    ] {
        assert_create_rejected(
            &mock,
            json!({"description": "d", "permissions": [{"action": action, "resource": "db"}]}),
        )
        .await;
    }
    assert_create_rejected(
        &mock,
        json!({"description": "d", "permissions": [{"resource": "db"}]}),
    )
    .await;
}

#[tokio::test]
async fn create_with_a_resource_outside_1_to_64_characters_is_400() {
    let mock = Mock::new().await;
    for resource in [json!(""), json!("x".repeat(65)), json!(5), Value::Null] {
        assert_create_rejected(
            &mock,
            json!({"description": "d", "permissions": [{"action": "read", "resource": resource}]}),
        )
        .await;
    }
    assert_create_rejected(
        &mock,
        json!({"description": "d", "permissions": [{"action": "read"}]}),
    )
    .await;
}

#[tokio::test]
async fn create_accepts_the_wildcard_and_64_character_resources() {
    let mock = Mock::new().await;
    let long = "é".repeat(64);
    let body = mock
        .create_token(json!({
            "description": "d",
            "permissions": [
                {"action": "read", "resource": "*"},
                {"action": "write", "resource": long}
            ]
        }))
        .await;
    assert_eq!(body["permissions"][1]["resource"], json!(long));
}

#[tokio::test]
async fn create_with_an_expires_at_that_is_not_rfc3339_is_400() {
    let mock = Mock::new().await;
    for expires in [
        json!("tomorrow"),
        json!("2030-01-01"),
        json!("2030-01-01T00:00:00"),
        json!("2030-01-01 00:00:00Z"),
        json!(1_900_000_000),
        Value::Null,
    ] {
        assert_create_rejected(&mock, json!({"description": "d", "expiresAt": expires})).await;
    }
}

#[tokio::test]
async fn create_with_a_body_that_is_not_a_json_object_is_400() {
    let mock = Mock::new().await;
    let url = mock.url("/tokens");
    let auth = format!("Bearer {}", mock.server.management_token());
    for body in ["", "   ", "{", "[]", "\"d\"", "null"] {
        let reply = mock
            .raw(
                Method::POST,
                &url,
                &[
                    ("authorization", &auth),
                    ("content-type", "application/json"),
                ],
                Some(body),
            )
            .await;
        assert_error(&reply, 400);
    }
}

#[tokio::test]
async fn create_without_a_json_content_type_is_400() {
    let mock = Mock::new().await;
    let url = mock.url("/tokens");
    let auth = format!("Bearer {}", mock.server.management_token());
    let body = Some(r#"{"description":"d"}"#);
    let missing = mock
        .raw(Method::POST, &url, &[("authorization", &auth)], body)
        .await;
    assert_error(&missing, 400);
    let form = mock
        .raw(
            Method::POST,
            &url,
            &[("authorization", &auth), ("content-type", "text/plain")],
            body,
        )
        .await;
    assert_error(&form, 400);
    let with_charset = mock
        .raw(
            Method::POST,
            &url,
            &[
                ("authorization", &auth),
                ("content-type", "application/json; charset=utf-8"),
            ],
            body,
        )
        .await;
    assert_eq!(with_charset.status, 200);
}

#[tokio::test]
async fn patch_with_an_empty_object_is_400() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    assert_error(&mock.patch(&format!("/tokens/{id}"), json!({})).await, 400);
}

#[tokio::test]
async fn patch_with_only_unknown_fields_is_400() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    let reply = mock
        .patch(
            &format!("/tokens/{id}"),
            json!({"name": "x", "expirationType": "datetime"}),
        )
        .await;
    assert_error(&reply, 400);
}

#[tokio::test]
async fn patch_with_expires_at_is_400_and_changes_nothing() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    let reply = mock
        .patch(
            &format!("/tokens/{id}"),
            json!({"description": "new", "expiresAt": "2030-01-01T00:00:00Z"}),
        )
        .await;
    assert_error(&reply, 400);
    assert_eq!(
        mock.get(&format!("/tokens/{id}")).await.body["description"],
        json!("d")
    );
}

#[tokio::test]
async fn patch_with_invalid_fields_is_400() {
    let mock = Mock::new().await;
    let id = mock.token_id("d").await;
    for body in [
        json!({"description": ""}),
        json!({"description": null}),
        json!({"permissions": null}),
        json!({"permissions": [{"action": "delete", "resource": "db"}]}),
        json!({"description": "ok", "permissions": [{"action": "read", "resource": ""}]}),
    ] {
        assert_error(&mock.patch(&format!("/tokens/{id}"), body).await, 400);
    }
    assert_eq!(
        mock.get(&format!("/tokens/{id}")).await.body["description"],
        json!("d")
    );
}
