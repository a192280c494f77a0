//! Token endpoints: requests as sent and answers as read.

use reqwest::Method;
use serde_json::json;
use time::macros::datetime;

use super::server::{Step, TestServer};
use super::*;
use crate::api::{CreateTokenRequest, DeleteOutcome, Permission, UpdateTokenRequest};

#[tokio::test]
async fn list_tokens_sends_auth_headers_and_reads_every_timestamp_form() -> TestResult {
    let server = TestServer::start().await?;
    let mut expired = token_json("t3", "c", json!([]), "2023-12-21T17:32:28.123456789Z");
    expired["expiresAt"] = json!("1970-01-01T00:00:00Z");
    let mut null_expiry = token_json("t4", "d", json!([]), "2023-12-21T19:32:28+02:00");
    null_expiry["expiresAt"] = Value::Null;
    let mut revoked = token_json("t5", "e", read_db(), "2023-12-21T17:32:28.1Z");
    revoked["expiresAt"] = json!("2030-01-01T00:00:00.000Z");
    revoked["revokedAt"] = json!("2024-01-01T00:00:00Z");
    revoked["unknownField"] = json!({"nested": true});
    server.push(Step::json(
        200,
        json!([
            token_json("t1", "a", read_db(), "2023-12-21T17:32:28Z"),
            token_json("t2", "b", json!([]), "2023-12-21T17:32:28.000Z"),
            expired,
            null_expiry,
            revoked,
        ]),
    ));
    let client = client_for(&server)?;
    let tokens = client.list_tokens(&cluster()).await?;

    assert_eq!(tokens.len(), 5);
    let base = datetime!(2023-12-21 17:32:28 UTC);
    assert_eq!(tokens[0].created_at, base);
    assert_eq!(tokens[1].created_at, base);
    assert_eq!(tokens[3].created_at, base);
    assert_eq!(
        tokens[2].created_at,
        datetime!(2023-12-21 17:32:28.123456789 UTC)
    );
    assert!(
        tokens[..4]
            .iter()
            .all(|t| t.expires_at.is_none() && !t.is_revoked())
    );
    assert_eq!(tokens[4].expires_at, Some(datetime!(2030-01-01 00:00 UTC)));
    assert!(tokens[4].is_revoked());
    assert_eq!(tokens[0].permissions, vec![Permission::new("read", "db1")]);

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, Method::GET);
    assert_eq!(seen[0].path, tokens_path());
    let header = |name: &str| {
        seen[0]
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("authorization"), format!("Bearer {MGMT}"));
    assert_eq!(header("accept"), "application/json");
    assert!(header("user-agent").starts_with("terraform-provider-influxdb3/"));
    assert!(header("content-type").is_empty());
    Ok(())
}

#[tokio::test]
async fn get_token_reads_one_and_maps_404_to_not_found() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        200,
        token_json("t1", "a", read_db(), "2023-12-21T17:32:28Z"),
    ));
    server.push(Step::json(
        404,
        json!({"code": 404, "message": "not found"}),
    ));
    let client = client_for(&server)?;

    let token = client.get_token(&cluster(), "t1").await?;
    assert_eq!(token.id, "t1");
    assert_eq!(token.account_id, ACCOUNT);

    let err = client
        .get_token(&cluster(), "t2")
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(err.is_not_found(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("token t2") && text.contains("not found"),
        "{text}"
    );
    assert!(text.contains("account_id and cluster_id"), "{text}");
    assert_eq!(server.seen()[1].path, format!("{}/t2", tokens_path()));
    assert_eq!(server.count(Method::GET), 2, "a 404 is not retried");
    Ok(())
}

#[tokio::test]
async fn create_token_sends_the_request_and_returns_the_secret() -> TestResult {
    let server = TestServer::start().await?;
    let mut answer = created_json("new");
    answer["expiresAt"] = json!("2030-01-01T00:00:00Z");
    server.push(Step::json(200, answer));
    server.fallback(|s| {
        let mut patched = patched(s);
        if let Step::Reply { body, .. } = &mut patched {
            *body = body.replace(
                r#""createdAt""#,
                r#""expiresAt":"2030-01-01T00:00:00Z","createdAt""#,
            );
        }
        patched
    });
    let client = client_for(&server)?;

    let req = CreateTokenRequest {
        description: "ci writer".into(),
        permissions: vec![Permission::new("read", "db1")],
        expires_at: Some(datetime!(2030-01-01 01:00 +01:00)),
    };
    let created = client
        .create_token(&cluster(), &req, crate::api::Description::Restore)
        .await?;
    assert_eq!(created.token.id, "new");
    assert_eq!(
        created.token.description, "ci writer",
        "set back after the create"
    );
    assert_eq!(created.access_token.expose(), ACCESS);
    assert_eq!(
        created.token.expires_at,
        Some(datetime!(2030-01-01 00:00 UTC))
    );
    assert!(!format!("{created:?}").contains(ACCESS));

    let seen = server.seen();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(seen[0].path, tokens_path());
    assert_eq!(
        seen[0]
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let mut body: Value = serde_json::from_str(&seen[0].body)?;
    let sent = body["description"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        crate::api::receipt_in(&sent).map(|(rest, _)| rest),
        Some("ci writer"),
        "the create carries a receipt"
    );
    body["description"] = json!("ci writer");
    assert_eq!(
        body,
        json!({"description": "ci writer",
               "permissions": [{"action": "read", "resource": "db1"}],
               "expiresAt": "2030-01-01T00:00:00Z"})
    );
    Ok(())
}

#[tokio::test]
async fn create_token_without_expiry_omits_expires_at() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(200, created_json("new")));
    server.fallback(patched);
    let client = client_for(&server)?;
    let req = CreateTokenRequest {
        description: "d".into(),
        permissions: vec![],
        expires_at: None,
    };
    let created = client
        .create_token(&cluster(), &req, crate::api::Description::Restore)
        .await?;
    assert_eq!(created.token.expires_at, None);
    let mut body: Value = serde_json::from_str(&server.seen()[0].body)?;
    body["description"] = json!("d");
    assert_eq!(body, json!({"description": "d", "permissions": []}));
    Ok(())
}

#[tokio::test]
async fn update_token_sends_only_the_set_fields() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        200,
        token_json("t1", "renamed", read_db(), "2023-12-21T17:32:28Z"),
    ));
    server.push(Step::json(
        200,
        token_json("t1", "renamed", json!([]), "2023-12-21T17:32:28Z"),
    ));
    let client = client_for(&server)?;

    let token = client
        .update_token(
            &cluster(),
            "t1",
            &UpdateTokenRequest {
                description: Some("renamed".into()),
                permissions: None,
            },
        )
        .await?;
    assert_eq!(token.description, "renamed");
    let token = client
        .update_token(
            &cluster(),
            "t1",
            &UpdateTokenRequest {
                description: None,
                permissions: Some(vec![]),
            },
        )
        .await?;
    assert!(token.permissions.is_empty());

    let seen = server.seen();
    assert_eq!(seen[0].method, Method::PATCH);
    assert_eq!(seen[0].path, format!("{}/t1", tokens_path()));
    assert_eq!(
        serde_json::from_str::<Value>(&seen[0].body)?,
        json!({"description": "renamed"})
    );
    assert_eq!(
        serde_json::from_str::<Value>(&seen[1].body)?,
        json!({"permissions": []})
    );

    let err = client
        .update_token(&cluster(), "t1", &UpdateTokenRequest::default())
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(matches!(err, ApiError::InvalidInput(_)), "{err:?}");
    assert_eq!(server.seen().len(), 2, "an empty update is never sent");
    Ok(())
}

#[tokio::test]
async fn delete_token_is_revoked_on_204_and_already_gone_on_404() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::empty(204));
    server.push(Step::json(
        404,
        json!({"code": 404, "message": "not found"}),
    ));
    let client = client_for(&server)?;
    assert_eq!(
        client.delete_token(&cluster(), "t1").await?,
        DeleteOutcome::Revoked
    );
    assert_eq!(
        client.delete_token(&cluster(), "t1").await?,
        DeleteOutcome::AlreadyGone
    );
    let seen = server.seen();
    assert_eq!(seen[0].method, Method::DELETE);
    assert_eq!(seen[0].path, format!("{}/t1", tokens_path()));
    assert_eq!(seen.len(), 2);
    Ok(())
}
