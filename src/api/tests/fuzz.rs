//! Hostile response bodies: the client's decoders (token, token list, create answer, database,
//! database list) and the error-body reader, fed arbitrary bytes and mutations of valid
//! bodies, never panic; they answer a value or a short error that quotes no secret.

use proptest::prelude::*;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::super::error::{CallContext, error_detail};
use super::super::list_stream::ListScanner;
use super::super::{CreatedToken, Database, DatabaseToken};
use super::{ACCESS, ACCOUNT, CLUSTER, MGMT, client_with, config};
use crate::api::{ApiError, Client};

fn client() -> Client {
    match client_with(config("http://127.0.0.1:9/api/v0")) {
        Ok(c) => c,
        Err(e) => panic!("test client: {e}"),
    }
}

fn token_body(with_secret: bool) -> Vec<u8> {
    let mut v = json!({
        "id": "22222222-2222-4222-8222-222222222222",
        "accountId": ACCOUNT, "clusterId": CLUSTER,
        "description": "fuzzed",
        "permissions": [{"action": "read", "resource": "db1"}, {"action": "write", "resource": "*"}],
        "createdAt": "2024-01-02T03:04:05.678Z",
        "expiresAt": "2030-01-01T00:00:00Z",
    });
    if with_secret {
        v["accessToken"] = json!(ACCESS);
    }
    v.to_string().into_bytes()
}

fn database_body() -> Vec<u8> {
    json!({
        "accountId": ACCOUNT, "clusterId": CLUSTER, "name": "db1",
        "maxTables": 500, "maxColumnsPerTable": 200, "retentionPeriod": 0,
        "partitionTemplate": [{"type": "time", "value": "%Y-%m-%d"}, {"type": "tag", "value": "region"}],
    })
    .to_string()
    .into_bytes()
}

fn list_of(item: &[u8]) -> Vec<u8> {
    let mut out = b"[".to_vec();
    out.extend_from_slice(item);
    out.push(b',');
    out.extend_from_slice(item);
    out.push(b']');
    out
}

/// Every valid body the client decodes.
fn valid_bodies() -> Vec<Vec<u8>> {
    vec![
        token_body(false),
        token_body(true),
        list_of(&token_body(false)),
        database_body(),
        list_of(&database_body()),
    ]
}

/// One edit of a valid body: cut it short, overwrite a byte, insert a byte, or delete a range.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        0..valid_bodies().len(),
        any::<u8>(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0..4u8,
    )
        .prop_map(|(which, byte, at, to, how)| {
            let mut body = valid_bodies().swap_remove(which);
            let i = at.index(body.len());
            let j = i + to.index(body.len() - i);
            match how {
                0 => body.truncate(i),
                1 => body[i] = byte,
                2 => body.insert(i, byte),
                _ => {
                    body.drain(i..j);
                }
            }
            body
        })
}

/// Decodes `body` as `T` the way the client does; `Ok(())` for a value, the error otherwise.
fn decode<T: DeserializeOwned>(
    client: &Client,
    body: &[u8],
    sensitive: bool,
) -> Result<(), String> {
    let ctx = CallContext {
        op: "read a fuzzed body".into(),
        what: "fuzz".into(),
    };
    match client.decode::<T>(&ctx, body, sensitive) {
        Ok(_) => Ok(()),
        Err(e @ ApiError::Decode { .. }) => Err(e.to_string()),
        Err(other) => Err(format!("unexpected error kind: {other:?}")),
    }
}

/// Runs every decoder over `body` and checks each error.
fn check_all(body: &[u8]) -> Result<(), TestCaseError> {
    let client = client();
    let results = [
        decode::<DatabaseToken>(&client, body, false),
        decode::<Vec<DatabaseToken>>(&client, body, false),
        decode::<CreatedToken>(&client, body, true),
        decode::<Database>(&client, body, false),
        decode::<Vec<Database>>(&client, body, false),
    ];
    for (i, result) in results.iter().enumerate() {
        if let Err(message) = result {
            prop_assert!(!message.starts_with("unexpected"), "{message}");
            prop_assert!(
                message.contains("read a fuzzed body"),
                "names the call: {message}"
            );
            prop_assert!(message.chars().count() < 600, "short: {message}");
            prop_assert!(!message.contains(MGMT), "management token in {message}");
            // The create answer (index 2) is the only body holding an access token.
            prop_assert!(
                i != 2 || !message.contains(ACCESS),
                "access token in {message}"
            );
        }
    }
    Ok(())
}

/// `body` read as a list the way a list answer is, arriving in chunks of `size` bytes: the
/// entries, or `None` for an error.
fn streamed<T: DeserializeOwned>(body: &[u8], size: usize) -> Option<Vec<T>> {
    let mut scanner = ListScanner::new(Vec::new());
    for chunk in body.chunks(size) {
        scanner.feed(chunk).ok()?;
    }
    scanner.end().ok()
}

/// The streaming list reader accepts exactly what serde_json accepts as a whole array, and
/// reads the same entries, however the body is cut into chunks.
fn check_streamed(body: &[u8], size: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        streamed::<DatabaseToken>(body, size),
        serde_json::from_slice::<Vec<DatabaseToken>>(body).ok()
    );
    prop_assert_eq!(
        streamed::<Database>(body, size),
        serde_json::from_slice::<Vec<Database>>(body).ok()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_streamed_list_reads_as_the_whole_array_reads(body in mutated(), size in 1usize..80) {
        check_streamed(&body, size)?;
    }

    #[test]
    fn arbitrary_bytes_stream_as_they_read_whole(
        body in prop::collection::vec(any::<u8>(), 0..256),
        size in 1usize..80,
    ) {
        check_streamed(&body, size)?;
    }

    #[test]
    fn arbitrary_bytes_decode_to_a_value_or_an_error(body in prop::collection::vec(any::<u8>(), 0..512)) {
        check_all(&body)?;
    }

    #[test]
    fn mutated_valid_bodies_decode_to_a_value_or_an_error(body in mutated()) {
        check_all(&body)?;
    }

    #[test]
    fn error_bodies_are_described_briefly_without_the_management_token(
        status in 400u16..600,
        prefix in prop::collection::vec(any::<u8>(), 0..200),
        suffix in ".{0,200}",
        leak in any::<bool>(),
    ) {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
        let mut body = prefix;
        if leak {
            body.extend_from_slice(MGMT.as_bytes());
        }
        body.extend_from_slice(suffix.as_bytes());
        let detail = error_detail(status, &body, MGMT);
        prop_assert!(!detail.contains(MGMT), "{detail}");
        prop_assert!(detail.chars().count() < 400, "{detail}");
    }

    #[test]
    fn json_error_bodies_with_any_code_and_message_are_described(
        code in prop_oneof![
            Just(json!(null)), any::<i64>().prop_map(|n| json!(n)), ".{0,40}".prop_map(|s| json!(s)),
            Just(json!({"nested": [1, 2]})),
        ],
        message in prop_oneof![Just(json!(null)), ".{0,300}".prop_map(|s| json!(s)), Just(json!(42))],
    ) {
        let body = json!({"code": code, "message": message}).to_string();
        let detail = error_detail(StatusCode::BAD_REQUEST, body.as_bytes(), MGMT);
        prop_assert!(!detail.is_empty());
        prop_assert!(detail.chars().count() < 400, "{detail}");
    }
}

#[test]
fn wrong_types_are_decode_errors_naming_the_field() {
    let client = client();
    for (body, field) in [
        (r#"[{"id": 5}]"#, "invalid type: integer `5`"),
        (
            r#"{"accountId": "a", "clusterId": "c", "name": "db", "maxTables": "many", "maxColumnsPerTable": 1}"#,
            "maxTables",
        ),
        (r#"{"tokens": []}"#, "invalid type: map"),
    ] {
        let outcomes = [
            decode::<Vec<DatabaseToken>>(&client, body.as_bytes(), false),
            decode::<Database>(&client, body.as_bytes(), false),
        ];
        assert!(
            outcomes
                .iter()
                .any(|o| matches!(o, Err(m) if m.contains(field) || m.contains("expected"))),
            "{body}: {outcomes:?}"
        );
        assert!(outcomes.iter().all(Result::is_err), "{body}: {outcomes:?}");
    }
}

#[test]
fn a_create_answer_with_a_wrongly_typed_field_hides_the_body() {
    let mut body: serde_json::Value = match serde_json::from_slice(&token_body(true)) {
        Ok(v) => v,
        Err(e) => panic!("valid body: {e}"),
    };
    body["createdAt"] = json!(ACCESS);
    let err = decode::<CreatedToken>(&client(), body.to_string().as_bytes(), true);
    match err {
        Err(message) => {
            assert!(!message.contains(ACCESS), "{message}");
            assert!(message.contains("body not shown"), "{message}");
        }
        Ok(()) => panic!("a string createdAt that is no time must not decode"),
    }
}
