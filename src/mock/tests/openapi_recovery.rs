//! OpenAPI conformance of database rename and undelete and of the table operations, and a
//! check that the conformance tests together exercise every operation the spec has.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use super::Mock;
use super::openapi::{Spec, exchange};

const DATABASE_RENAME: &str =
    "/accounts/{accountId}/clusters/{clusterId}/databases/{databaseName}/rename";
const DATABASE_UNDELETE: &str =
    "/accounts/{accountId}/clusters/{clusterId}/databases/{databaseId}/undelete";
const DATABASE: &str = "/accounts/{accountId}/clusters/{clusterId}/databases/{databaseName}";
const TABLES: &str = "/accounts/{accountId}/clusters/{clusterId}/databases/{databaseName}/tables";
const TABLE: &str =
    "/accounts/{accountId}/clusters/{clusterId}/databases/{databaseName}/tables/{tableName}";
const TABLE_RENAME: &str =
    "/accounts/{accountId}/clusters/{clusterId}/databases/{databaseName}/tables/{tableName}/rename";
const TABLE_UNDELETE: &str =
    "/accounts/{accountId}/clusters/{clusterId}/databases/{databaseName}/tables/{tableId}/undelete";

/// The operations each conformance test of this module and of `openapi` sends, by test.
const TOKEN_OPS: &[(&str, &str)] = &[
    ("/accounts/{accountId}/clusters/{clusterId}/tokens", "get"),
    ("/accounts/{accountId}/clusters/{clusterId}/tokens", "post"),
    (
        "/accounts/{accountId}/clusters/{clusterId}/tokens/{tokenId}",
        "get",
    ),
    (
        "/accounts/{accountId}/clusters/{clusterId}/tokens/{tokenId}",
        "patch",
    ),
    (
        "/accounts/{accountId}/clusters/{clusterId}/tokens/{tokenId}",
        "delete",
    ),
];
const DATABASE_OPS: &[(&str, &str)] = &[
    (
        "/accounts/{accountId}/clusters/{clusterId}/databases",
        "get",
    ),
    (
        "/accounts/{accountId}/clusters/{clusterId}/databases",
        "post",
    ),
    (DATABASE, "patch"),
    (DATABASE, "delete"),
];

#[test]
fn the_conformance_tests_cover_all_fifteen_operations_of_the_spec() {
    let spec = Spec::load();
    let mut in_spec = BTreeSet::new();
    for (path, item) in spec.0["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                in_spec.insert((path.clone(), method.clone()));
            }
        }
    }
    let covered: BTreeSet<(String, String)> = TOKEN_OPS
        .iter()
        .chain(DATABASE_OPS)
        .chain(RECOVERY_OPS)
        .map(|(p, m)| ((*p).to_owned(), (*m).to_owned()))
        .collect();
    assert_eq!(in_spec.len(), 15, "{in_spec:?}");
    assert_eq!(covered, in_spec);
}

/// What `rename_undelete_and_table_responses_conform_to_the_spec` sends; it asserts that it
/// sent each of these.
const RECOVERY_OPS: &[(&str, &str)] = &[
    (DATABASE_RENAME, "put"),
    (DATABASE_UNDELETE, "put"),
    (TABLES, "post"),
    (TABLE, "delete"),
    (TABLE_RENAME, "put"),
    (TABLE_UNDELETE, "put"),
];

/// Sends through [`exchange`] and records the operation.
struct Session<'a> {
    spec: Spec,
    mock: &'a Mock,
    sent: BTreeSet<(&'static str, String)>,
}

impl Session<'_> {
    async fn send(
        &mut self,
        op: (&'static str, Method),
        rest: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        self.sent.insert((op.0, op.1.as_str().to_ascii_lowercase()));
        let url = self.mock.url(rest);
        exchange(&self.spec, self.mock, op, &url, body, status).await
    }
}

#[tokio::test]
async fn rename_undelete_and_table_responses_conform_to_the_spec() {
    let mock = Mock::new().await;
    let mut s = Session {
        spec: Spec::load(),
        mock: &mock,
        sent: BTreeSet::new(),
    };
    mock.create_database(json!({"name": "DatabaseOne"})).await;
    mock.create_database(json!({"name": "Taken"})).await;
    let renamed = s
        .send(
            (DATABASE_RENAME, Method::PUT),
            "/databases/DatabaseOne/rename",
            Some(json!({"name": "RenamedDatabaseName"})),
            200,
        )
        .await;
    let db_id = renamed["id"].as_i64().expect("rename answers the id");
    assert_eq!(renamed["name"], json!("RenamedDatabaseName"));
    s.send(
        (DATABASE_RENAME, Method::PUT),
        "/databases/RenamedDatabaseName/rename",
        Some(json!({"name": "Taken"})),
        409,
    )
    .await;
    s.send(
        (DATABASE_RENAME, Method::PUT),
        "/databases/missing/rename",
        Some(json!({"name": "x"})),
        404,
    )
    .await;
    s.send(
        (DATABASE_RENAME, Method::PUT),
        "/databases/Taken/rename",
        Some(json!({"name": "_bad"})),
        400,
    )
    .await;

    let created = s
        .send(
            (TABLES, Method::POST),
            "/databases/RenamedDatabaseName/tables",
            Some(json!({
                "name": "TableTwo",
                "partitionTemplate": [
                    {"type": "time", "value": "%Y"},
                    {"type": "bucket", "value": {"tagName": "c", "numberOfBuckets": 10}}
                ]
            })),
            200,
        )
        .await;
    assert!(created.get("id").is_none(), "the create schema has no id");
    s.send(
        (TABLES, Method::POST),
        "/databases/RenamedDatabaseName/tables",
        Some(json!({"name": "TableTwo"})),
        409,
    )
    .await;
    s.send(
        (TABLES, Method::POST),
        "/databases/missing/tables",
        Some(json!({"name": "t"})),
        404,
    )
    .await;
    s.send(
        (TABLES, Method::POST),
        "/databases/RenamedDatabaseName/tables",
        Some(json!({"name": ""})),
        400,
    )
    .await;
    let table = s
        .send(
            (TABLE_RENAME, Method::PUT),
            "/databases/RenamedDatabaseName/tables/TableTwo/rename",
            Some(json!({"name": "RenamedTable"})),
            200,
        )
        .await;
    let table_id = table["id"].as_i64().expect("rename answers the table id");
    s.send(
        (TABLE_RENAME, Method::PUT),
        "/databases/RenamedDatabaseName/tables/missing/rename",
        Some(json!({"name": "x"})),
        404,
    )
    .await;
    s.send(
        (TABLE, Method::DELETE),
        "/databases/RenamedDatabaseName/tables/RenamedTable",
        None,
        204,
    )
    .await;
    s.send(
        (TABLE, Method::DELETE),
        "/databases/RenamedDatabaseName/tables/RenamedTable",
        None,
        404,
    )
    .await;
    let restored = s
        .send(
            (TABLE_UNDELETE, Method::PUT),
            &format!("/databases/RenamedDatabaseName/tables/{table_id}/undelete"),
            None,
            200,
        )
        .await;
    assert_eq!(restored["name"], json!("RenamedTable"));
    assert!(restored["partitionTemplate"].is_array(), "{restored}");
    s.send(
        (TABLE_UNDELETE, Method::PUT),
        &format!("/databases/RenamedDatabaseName/tables/{table_id}/undelete"),
        None,
        404,
    )
    .await;
    s.send(
        (TABLE_UNDELETE, Method::PUT),
        "/databases/RenamedDatabaseName/tables/zero/undelete",
        None,
        400,
    )
    .await;

    s.send(
        (DATABASE, Method::DELETE),
        "/databases/RenamedDatabaseName",
        None,
        204,
    )
    .await;
    let back = s
        .send(
            (DATABASE_UNDELETE, Method::PUT),
            &format!("/databases/{db_id}/undelete"),
            None,
            200,
        )
        .await;
    assert_eq!(back["name"], json!("RenamedDatabaseName"));
    assert_eq!(back["id"], json!(db_id));
    s.send(
        (DATABASE_UNDELETE, Method::PUT),
        &format!("/databases/{db_id}/undelete"),
        None,
        404,
    )
    .await;
    s.send(
        (DATABASE_UNDELETE, Method::PUT),
        "/databases/0/undelete",
        None,
        400,
    )
    .await;
    let expected: BTreeSet<(&'static str, String)> = RECOVERY_OPS
        .iter()
        .map(|(p, m)| (*p, (*m).to_owned()))
        .collect();
    assert!(
        expected.is_subset(&s.sent),
        "{:?} not sent",
        expected.difference(&s.sent)
    );
    for (path, method, rest) in [
        (DATABASE_RENAME, "put", "/databases/x/rename"),
        (DATABASE_UNDELETE, "put", "/databases/1/undelete"),
        (TABLES, "post", "/databases/x/tables"),
        (TABLE, "delete", "/databases/x/tables/t"),
        (TABLE_RENAME, "put", "/databases/x/tables/t/rename"),
        (TABLE_UNDELETE, "put", "/databases/x/tables/1/undelete"),
    ] {
        let reply = mock
            .raw(
                method.to_ascii_uppercase().parse().expect("method"),
                &mock.url(rest),
                &[],
                None,
            )
            .await;
        assert_eq!(reply.status, 401);
        s.spec.check(path, method, 401, &reply.body);
    }
}
