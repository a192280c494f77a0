//! Database endpoints.

use reqwest::Method;
use serde_json::json;

use super::server::{Step, TestServer};
use super::*;
use crate::api::{
    CreateDatabaseRequest, CreateKind, DatabaseSettings, DeleteOutcome, PartitionPart,
};

fn db_json(name: &str) -> Value {
    json!({"accountId": ACCOUNT, "clusterId": CLUSTER, "name": name, "maxTables": 500,
           "maxColumnsPerTable": 250, "retentionPeriod": 3_600_000_000_000_i64})
}

/// Issue 31 item 8: a database list gets the token list's rules (an entry of another cluster
/// is ignored), and a name listed twice stays listed once, marked when its copies disagree,
/// so no read calls a live database gone.
#[tokio::test]
async fn a_database_list_ignores_other_clusters_and_keeps_a_repeated_name_once() -> TestResult {
    let server = TestServer::start().await?;
    let mut elsewhere = db_json("elsewhere");
    elsewhere["clusterId"] = json!("44444444-4444-4444-8444-444444444444");
    let mut torn = db_json("torn");
    torn["maxTables"] = json!(10);
    server.push(Step::json(
        200,
        json!([
            db_json("kept"),
            elsewhere,
            db_json("twice"),
            db_json("twice"),
            db_json("torn"),
            torn
        ]),
    ));
    let client = client_for(&server)?;
    let listed = client.cached_databases(&cluster()).await?;
    let got: Vec<(&str, bool)> = listed
        .iter()
        .map(|d| (d.name.as_str(), d.contradicted))
        .collect();
    assert_eq!(got, [("kept", false), ("twice", false), ("torn", true)]);
    assert_eq!(server.count(Method::GET), 1);
    Ok(())
}

#[tokio::test]
async fn list_databases_reads_templates_and_defaults() -> TestResult {
    let server = TestServer::start().await?;
    let mut templated = db_json("team/metrics");
    templated["partitionTemplate"] = json!([
        {"type": "tag", "value": "region"},
        {"type": "bucket", "value": {"tagName": "host", "numberOfBuckets": 10}},
        {"type": "time", "value": "%Y-%m-%d"}
    ]);
    let mut bare = db_json("plain");
    bare.as_object_mut().map(|o| o.remove("retentionPeriod"));
    server.push(Step::json(200, json!([templated, bare])));
    let client = client_for(&server)?;
    let dbs = client.list_databases(&cluster()).await?;
    assert_eq!(dbs[0].name, "team/metrics");
    assert_eq!(dbs[0].retention_period, 3_600_000_000_000);
    assert_eq!(
        dbs[0].partition_template.as_deref().map(<[_]>::len),
        Some(3)
    );
    assert_eq!(
        dbs[0].partition_template.as_ref().and_then(|p| p.get(1)),
        Some(&PartitionPart::Bucket {
            tag_name: "host".into(),
            number_of_buckets: 10
        })
    );
    assert_eq!(dbs[1].retention_period, 0);
    assert_eq!(dbs[1].partition_template, None);
    assert_eq!(server.seen()[0].path, databases_path());
    Ok(())
}

#[tokio::test]
async fn create_database_sends_only_set_fields() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(200, db_json("db1")));
    let client = client_for(&server)?;
    let req = CreateDatabaseRequest {
        name: "db1".into(),
        settings: DatabaseSettings {
            retention_period: Some(3_600_000_000_000),
            ..DatabaseSettings::default()
        },
        partition_template: Some(vec![PartitionPart::Tag {
            value: "region".into(),
        }]),
    };
    let db = client.create_database(&cluster(), &req).await?;
    assert_eq!(db.max_columns_per_table, 250);
    let seen = server.seen();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(
        serde_json::from_str::<Value>(&seen[0].body)?,
        json!({"name": "db1", "retentionPeriod": 3_600_000_000_000_i64,
               "partitionTemplate": [{"type": "tag", "value": "region"}]})
    );
    Ok(())
}

#[tokio::test]
async fn create_database_conflict_is_definite() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        409,
        json!({"code": 409, "message": "database already exists"}),
    ));
    let client = client_for(&server)?;
    let req = CreateDatabaseRequest {
        name: "db1".into(),
        ..CreateDatabaseRequest::default()
    };
    let err = client
        .create_database(&cluster(), &req)
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(err.is_conflict(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("\"db1\"") && text.contains("import it"),
        "{text}"
    );
    assert_eq!(server.seen().len(), 1, "no retry, no reconcile list");
    Ok(())
}

#[tokio::test]
async fn ambiguous_database_create_is_reconciled_by_name() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::Drop);
    server.push(Step::json(200, json!([db_json("other"), db_json("db1")])));
    let client = client_for(&server)?;
    let req = CreateDatabaseRequest {
        name: "db1".into(),
        ..CreateDatabaseRequest::default()
    };
    let db = client.create_database(&cluster(), &req).await?;
    assert_eq!(db.name, "db1");
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test]
async fn ambiguous_database_create_not_in_the_list_is_unconfirmed() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(
        502,
        json!({"code": 502, "message": "bad gateway"}),
    ));
    server.fallback(|_| Step::json(200, json!([db_json("other")])));
    let client = client_for(&server)?;
    let req = CreateDatabaseRequest {
        name: "db1".into(),
        ..CreateDatabaseRequest::default()
    };
    let err = client
        .create_database(&cluster(), &req)
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(
        matches!(
            &err,
            ApiError::CreateUnconfirmed {
                kind: CreateKind::Database,
                receipt: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("import it"), "{err}");
    assert_eq!(server.count(Method::POST), 1);
    Ok(())
}

#[tokio::test]
async fn update_and_delete_encode_names_with_slashes() -> TestResult {
    let server = TestServer::start().await?;
    server.push(Step::json(200, db_json("team/metrics")));
    server.push(Step::empty(204));
    server.push(Step::json(
        404,
        json!({"code": 404, "message": "not found"}),
    ));
    let client = client_for(&server)?;
    let req = DatabaseSettings {
        max_tables: Some(600),
        ..DatabaseSettings::default()
    };
    client
        .update_database(&cluster(), "team/metrics", &req)
        .await?;
    assert_eq!(
        client.delete_database(&cluster(), "team/metrics").await?,
        DeleteOutcome::Revoked
    );
    assert_eq!(
        client.delete_database(&cluster(), "team/metrics").await?,
        DeleteOutcome::AlreadyGone
    );
    let seen = server.seen();
    let path = format!("{}/team%2Fmetrics", databases_path());
    assert_eq!(
        (seen[0].method.clone(), seen[0].path.as_str()),
        (Method::PATCH, path.as_str())
    );
    assert_eq!(
        serde_json::from_str::<Value>(&seen[0].body)?,
        json!({"maxTables": 600})
    );
    assert_eq!(
        (seen[1].method.clone(), seen[1].path.as_str()),
        (Method::DELETE, path.as_str())
    );

    let err = client
        .update_database(&cluster(), "x", &DatabaseSettings::default())
        .await
        .err()
        .ok_or("expected an error")?;
    assert!(matches!(err, ApiError::InvalidInput(_)));
    assert_eq!(server.seen().len(), 3);
    Ok(())
}

#[tokio::test]
async fn delete_out_of_retries_is_already_gone_when_the_list_lacks_the_name() -> TestResult {
    let server = TestServer::start().await?;
    push_lost_delete_then_503s(&server);
    server.push(Step::json(200, json!([db_json("other")])));
    let client = client_for(&server)?;
    assert_eq!(
        client.delete_database(&cluster(), "team/metrics").await?,
        DeleteOutcome::AlreadyGone
    );
    assert_eq!(server.count(Method::DELETE), 5);
    assert_eq!(server.count(Method::GET), 1);
    Ok(())
}

#[tokio::test]
async fn delete_out_of_retries_fails_when_the_database_is_still_listed() -> TestResult {
    let server = TestServer::start().await?;
    push_lost_delete_then_503s(&server);
    server.push(Step::json(200, json!([db_json("team/metrics")])));
    let client = client_for(&server)?;
    let err = match client.delete_database(&cluster(), "team/metrics").await {
        Ok(outcome) => panic!("a listed database was reported {outcome:?}"),
        Err(e) => e,
    };
    assert!(matches!(err, ApiError::Server { .. }), "{err:?}");
    Ok(())
}
