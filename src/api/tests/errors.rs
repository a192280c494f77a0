//! Each error class, and that error text is useful, short and free of secrets.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::server::{Step, TestServer};
use super::*;
use crate::api::UpdateTokenRequest;

/// Lists tokens once (no retries) against a server answering `step`.
async fn list_error(step: Step) -> Result<ApiError, Box<dyn std::error::Error + Send + Sync>> {
    let server = TestServer::start().await?;
    server.push(step);
    let client = client_with(ClientConfig {
        max_retries: 0,
        ..config(&server.endpoint())
    })?;
    let err = client
        .list_tokens(&cluster())
        .await
        .err()
        .ok_or("expected an error")?;
    assert_no_secrets(&err);
    Ok(err)
}

#[tokio::test]
async fn unauthorized_points_at_the_management_token() -> TestResult {
    let err = list_error(Step::json(
        401,
        json!({"code": 401, "message": "unauthorized"}),
    ))
    .await?;
    assert!(err.is_unauthorized(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("HTTP 401: unauthorized"), "{text}");
    assert!(
        text.contains("INFLUXDB3_MANAGEMENT_TOKEN") && text.contains("expired"),
        "{text}"
    );
    Ok(())
}

#[tokio::test]
async fn forbidden_names_account_and_cluster_settings() -> TestResult {
    let err = list_error(Step::json(
        403,
        json!({"code": 403, "message": "forbidden"}),
    ))
    .await?;
    assert!(matches!(err, ApiError::Forbidden { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("account_id") && text.contains(CLUSTER),
        "{text}"
    );
    Ok(())
}

#[tokio::test]
async fn not_found_on_a_list_points_at_the_cluster_ids() -> TestResult {
    let err = list_error(Step::json(
        404,
        json!({"code": 404, "message": "not found"}),
    ))
    .await?;
    assert!(err.is_not_found());
    let text = err.to_string();
    assert!(
        text.contains(&format!("cluster {CLUSTER} (account {ACCOUNT})")),
        "{text}"
    );
    assert!(
        text.contains("check that account_id and cluster_id"),
        "{text}"
    );
    Ok(())
}

#[tokio::test]
async fn bad_request_reads_integer_and_string_codes() -> TestResult {
    let err = list_error(Step::json(
        400,
        json!({"code": 400, "message": "description empty"}),
    ))
    .await?;
    assert!(
        matches!(&err, ApiError::BadRequest { status: 400, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("(HTTP 400: description empty)"),
        "{err}"
    );

    let err = list_error(Step::json(
        400,
        json!({"code": "invalid", "message": "bad uuid"}),
    ))
    .await?;
    assert!(
        err.to_string()
            .contains("HTTP 400: bad uuid (code invalid)"),
        "{err}"
    );
    Ok(())
}

#[tokio::test]
async fn conflict_on_update_is_definite() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        409,
        json!({"code": 409, "message": "token is revoked"}),
    ));
    let client = client_for(&server)?;
    let req = UpdateTokenRequest {
        description: Some("x".into()),
        permissions: None,
    };
    let err = client
        .update_token(&cluster(), "t1", &req)
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("token is revoked"));
    assert_eq!(server.seen().len(), 1);
    Ok(())
}

#[tokio::test]
async fn html_error_page_becomes_a_short_server_error() -> TestResult {
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>{}\
         <hr>nginx</body></html>",
        "<p>padding padding padding</p>".repeat(200)
    );
    let err = list_error(Step::raw(502, "text/html", page)).await?;
    assert!(
        matches!(
            &err,
            ApiError::Server {
                status: 502,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("HTTP 502") && text.contains("502 Bad Gateway"),
        "{text}"
    );
    assert!(text.contains("HTML page"), "{text}");
    assert!(
        text.len() < 600,
        "error text not capped ({} bytes): {text}",
        text.len()
    );
    Ok(())
}

#[tokio::test]
async fn truncated_json_error_body_is_quoted_briefly() -> TestResult {
    let err = list_error(Step::json(500, r#"{"code":500,"mess"#)).await?;
    assert!(
        matches!(&err, ApiError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains(r#"unreadable body: {"code":500,"mess"#),
        "{err}"
    );
    Ok(())
}

#[tokio::test]
async fn truncated_json_success_body_is_a_decode_error() -> TestResult {
    let err = list_error(Step::json(200, r#"[{"id":"t1","accountId":"#)).await?;
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("list the tokens"), "{err}");
    Ok(())
}

#[tokio::test]
async fn a_success_answer_that_is_a_token_is_not_quoted_by_the_decode_error() -> TestResult {
    let token = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";
    let spaced: String = token.as_bytes()[6..]
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    for body in [json!(token), json!(spaced), json!([{ "id": token }])] {
        let err = list_error(Step::json(200, body.clone())).await?;
        assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
        let text = err.to_string();
        for piece in token.as_bytes()[6..].chunks(8) {
            let piece = String::from_utf8_lossy(piece);
            assert!(!text.contains(piece.as_ref()), "{body}: {text}");
        }
        assert!(text.contains("line 1"), "the position is given: {text}");
    }
    Ok(())
}

#[tokio::test]
async fn a_body_echoing_the_management_token_is_masked() -> TestResult {
    let body = json!({"code": 401, "message": format!("token {MGMT} is not valid")});
    let err = list_error(Step::json(401, body)).await?;
    assert!(
        err.to_string().contains("token <redacted> is not valid"),
        "{err}"
    );
    Ok(())
}

#[tokio::test]
async fn a_redirect_is_reported_not_followed() -> TestResult {
    let err = list_error(Step::empty(301).header("location", "https://elsewhere.example/")).await?;
    assert!(
        matches!(&err, ApiError::UnexpectedStatus { status: 301, .. }),
        "{err:?}"
    );
    Ok(())
}

#[tokio::test]
async fn an_oversized_body_is_refused_except_a_list_which_is_streamed() -> TestResult {
    let huge = format!("[{}]", " ".repeat(16 * 1024 * 1024 + 1));
    let server = TestServer::start().await?;
    server.push(Step::json(200, huge.clone()));
    let client = client_for(&server)?;
    let err = client
        .get_token(&cluster(), "t1")
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(
        matches!(&err, ApiError::Decode { detail, .. } if detail.contains("larger than")),
        "{err:?}"
    );
    // A list is read as it arrives, never held whole: its length alone is no reason to refuse.
    let token = token_json("t", &"d".repeat(600), read_db(), "2023-12-21T17:32:28Z");
    let many: Vec<serde_json::Value> = (0..30_000)
        .map(|i| {
            let mut t = token.clone();
            t["id"] = json!(format!("t{i}"));
            t
        })
        .collect();
    let long = serde_json::to_string(&many)?;
    assert!(long.len() > huge.len());
    server.push(Step::json(200, long));
    // A long answer read in a debug build on a busy machine: time is no part of this test.
    let client = client_with(ClientConfig {
        max_retries: 0,
        request_timeout: Duration::from_secs(300),
        ..config(&server.endpoint())
    })?;
    let kept = client
        .list_tokens_keeping(&cluster(), |t| t.id == "t29999")
        .await?;
    assert_eq!(kept.tokens.len(), 1);
    Ok(())
}

#[tokio::test]
async fn server_errors_are_retried_then_reported_with_the_attempt_count() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|_| {
        Step::json(
            500,
            json!({"code": 500, "message": "internal server error"}),
        )
    });
    let client = client_with(ClientConfig {
        max_retries: 2,
        ..config(&server.endpoint())
    })?;
    let err = client
        .list_tokens(&cluster())
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(
        matches!(
            &err,
            ApiError::Server {
                status: 500,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("after 3 attempt(s)"));
    assert_eq!(server.count(Method::GET), 3);
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn timeouts_are_retried_then_reported() -> TestResult {
    let server = TestServer::start().await?;
    server.fallback(|_| Step::json(200, "[]").after(Duration::from_millis(400)));
    let client = client_with(ClientConfig {
        max_retries: 1,
        request_timeout: Duration::from_millis(100),
        ..config(&server.endpoint())
    })?;
    let err = client
        .list_tokens(&cluster())
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(
        matches!(&err, ApiError::Timeout { attempts: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("timed out after 100ms"), "{err}");
    assert_no_secrets(&err);
    assert_eq!(server.count(Method::GET), 2);
    Ok(())
}

#[tokio::test]
async fn unreachable_endpoint_is_a_transport_error() -> TestResult {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0")?;
        l.local_addr()?.port()
    };
    let client = client_with(ClientConfig {
        max_retries: 1,
        ..config(&format!("http://127.0.0.1:{port}/api/v0"))
    })?;
    let err = client
        .list_tokens(&cluster())
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(
        matches!(&err, ApiError::Transport { attempts: 2, .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("check that the endpoint http://127.0.0.1:"),
        "{text}"
    );
    assert_no_secrets(&err);
    Ok(())
}

#[test]
fn bad_settings_are_config_errors_without_the_token() {
    let cases = [
        ClientConfig::new("http://127.0.0.1:1/api/v0", Secret::new("")),
        ClientConfig::new("not a url", Secret::new(MGMT)),
        ClientConfig::new(
            "http://127.0.0.1:1/api/v0",
            Secret::new(format!("{MGMT}\n")),
        ),
        ClientConfig {
            max_in_flight: 0,
            ..ClientConfig::new("http://127.0.0.1:1/api/v0", Secret::new(MGMT))
        },
    ];
    for cfg in cases {
        assert!(!format!("{cfg:?}").contains(MGMT));
        match client_with(cfg) {
            Err(err @ ApiError::Config(_)) => assert_no_secrets(&err),
            other => panic!("expected a config error, got {other:?}"),
        }
    }
}

#[test]
fn client_debug_hides_the_token() -> TestResult {
    let client = client_with(config("http://127.0.0.1:1/api/v0"))?;
    let text = format!("{client:?}");
    assert!(
        text.contains("127.0.0.1:1") && !text.contains(MGMT),
        "{text}"
    );
    Ok(())
}
