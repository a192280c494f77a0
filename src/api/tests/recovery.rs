//! Rename, undelete and the table calls against the in-process mock (which is written from the
//! spec independently of this client).

use serde_json::json;

use super::{TestResult, client_with, config};
use crate::api::{
    ApiError, Client, Cluster, CreateDatabaseRequest, CreateTableRequest, DeleteOutcome,
    PartitionPart, TableCreateError,
};
use crate::mock::{MockOptions, MockServer};

async fn setup() -> Result<(MockServer, Client, Cluster), Box<dyn std::error::Error + Send + Sync>>
{
    let mock = MockServer::spawn(MockOptions::default()).await?;
    let mut cfg = config(&mock.endpoint());
    cfg.management_token = crate::api::Secret::new(mock.management_token());
    let client = client_with(cfg)?;
    let cluster = Cluster::new(mock.account_id(), mock.cluster_id());
    Ok((mock, client, cluster))
}

async fn create_db(client: &Client, cluster: &Cluster, name: &str) -> Result<(), ApiError> {
    let req = CreateDatabaseRequest {
        name: name.into(),
        ..Default::default()
    };
    client.create_database(cluster, &req).await.map(|_| ())
}

#[tokio::test]
async fn rename_returns_the_numeric_id_and_undelete_restores_by_it() -> TestResult {
    let (mock, client, cluster) = setup().await?;
    create_db(&client, &cluster, "old").await?;
    let renamed = client.rename_database(&cluster, "old", "new").await?;
    assert_eq!(renamed.name, "new");
    let id = renamed.id.ok_or("rename answers an id")?;
    let listed = client.list_databases(&cluster).await?;
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].name.as_str(), listed[0].id), ("new", None));

    client.delete_database(&cluster, "new").await?;
    let back = client.undelete_database(&cluster, id).await?;
    assert_eq!((back.name.as_str(), back.id), ("new", Some(id)));
    let missing = client.undelete_database(&cluster, id).await;
    assert!(
        matches!(missing, Err(ref e) if e.is_not_found()),
        "{missing:?}"
    );
    let puts = mock.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(
        puts, 3,
        "one rename, two undeletes: no retries of a refused call"
    );
    Ok(())
}

#[tokio::test]
async fn rename_onto_a_taken_name_is_a_conflict_with_the_apis_message() -> TestResult {
    let (_mock, client, cluster) = setup().await?;
    create_db(&client, &cluster, "a").await?;
    create_db(&client, &cluster, "b").await?;
    let err = client
        .rename_database(&cluster, "a", "b")
        .await
        .err()
        .ok_or("a taken name must fail")?;
    assert!(err.is_conflict(), "{err}");
    assert!(err.to_string().contains("already exists"), "{err}");
    let names: Vec<String> = client
        .list_databases(&cluster)
        .await?
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, ["a", "b"], "nothing renamed");
    Ok(())
}

#[tokio::test]
async fn a_rename_whose_answer_was_lost_is_confirmed_from_the_list() -> TestResult {
    let (mock, client, cluster) = setup().await?;
    create_db(&client, &cluster, "old").await?;
    mock.configure(json!({"drop_response_after_commit": {"method": "PUT", "rate": 1.0}}))?;
    let renamed = client.rename_database(&cluster, "old", "new").await?;
    assert_eq!((renamed.name.as_str(), renamed.id), ("new", None));
    Ok(())
}

#[tokio::test]
async fn table_create_rename_delete_and_undelete() -> TestResult {
    let (_mock, client, cluster) = setup().await?;
    create_db(&client, &cluster, "db").await?;
    let req = CreateTableRequest {
        name: "cpu".into(),
        partition_template: Some(vec![PartitionPart::Tag {
            value: "host".into(),
        }]),
    };
    let created = client.create_table(&cluster, "db", &req).await?;
    assert_eq!((created.name.as_str(), created.id), ("cpu", None));
    assert_eq!(created.partition_template, req.partition_template);
    let again = client.create_table(&cluster, "db", &req).await;
    assert!(
        matches!(again, Err(TableCreateError::Refused(ref e)) if e.is_conflict()),
        "{again:?}"
    );
    let renamed = client.rename_table(&cluster, "db", "cpu", "cpu2").await?;
    let id = renamed.id.ok_or("rename answers the table id")?;
    assert_eq!(
        client.delete_table(&cluster, "db", "cpu2").await?,
        DeleteOutcome::Revoked
    );
    assert_eq!(
        client.delete_table(&cluster, "db", "cpu2").await?,
        DeleteOutcome::AlreadyGone
    );
    let back = client.undelete_table(&cluster, "db", id).await?;
    assert_eq!((back.name.as_str(), back.id), ("cpu2", Some(id)));
    let no_db = client.create_table(&cluster, "nope", &req).await;
    assert!(
        matches!(no_db, Err(TableCreateError::Refused(ref e)) if e.is_not_found()),
        "{no_db:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_table_create_whose_answer_was_lost_is_unconfirmed() -> TestResult {
    let (mock, client, cluster) = setup().await?;
    create_db(&client, &cluster, "db").await?;
    mock.configure(json!({"drop_response_after_commit": {"method": "POST", "rate": 1.0}}))?;
    let req = CreateTableRequest {
        name: "cpu".into(),
        partition_template: None,
    };
    let lost = client.create_table(&cluster, "db", &req).await;
    assert!(
        matches!(lost, Err(TableCreateError::Unconfirmed(_))),
        "{lost:?}"
    );
    Ok(())
}
