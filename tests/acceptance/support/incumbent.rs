//! State files as the incumbent provider (`thulasirajkomminar/influxdb3` v1.7) writes them,
//! built by hand from its published schema: its binary cannot be downloaded here. State version
//! 4, its provider address, `schema_version` 0, and its attribute names and value shapes
//! (a database's `retention_period` is a JSON number of nanoseconds; a bucket part's `value` is
//! a JSON string `{"tagName":…,"numberOfBuckets":…}`).

use serde_json::{Value as Json, json};
use terraform_provider_influxdb3::api::{CreateDatabaseRequest, DatabaseSettings, PartitionPart};
use terraform_provider_influxdb3::mock::MockServer;

use super::seed::Seed;

/// The incumbent's registry address since v1.4.0.
pub(crate) const INCUMBENT: &str = "registry.terraform.io/thulasirajkomminar/influxdb3";
/// The incumbent's address before v1.4.0.
pub(crate) const OLD_INCUMBENT: &str = "registry.terraform.io/komminarlabs/influxdb3";
/// The incumbent's address in the state of an OpenTofu user whose configuration wrote the bare
/// `thulasirajkomminar/influxdb3` (OpenTofu resolves it to its own registry).
pub(crate) const INCUMBENT_OPENTOFU: &str = "registry.opentofu.org/thulasirajkomminar/influxdb3";

/// A state file of `resources` (each from [`token`] or [`database`]) under provider `source`.
pub(crate) fn state(source: &str, resources: Vec<(&'static str, String, Json)>) -> Json {
    let list: Vec<(&str, &str, i64, Json)> = resources
        .iter()
        .map(|(type_name, name, attributes)| (*type_name, name.as_str(), 0, attributes.clone()))
        .collect();
    super::state_file::resources(source, &list)
}

/// A token as the incumbent stores it (`influxdb3_token` or `influxdb3_cloud_token`).
pub(crate) fn token(
    type_name: &'static str,
    name: &str,
    live: (&str, &str, &str),
    description: &str,
    permissions: &[(&str, &str)],
    access_token: &str,
) -> (&'static str, String, Json) {
    let (id, account, cluster) = live;
    let permissions: Vec<Json> = permissions
        .iter()
        .map(|(a, r)| json!({"action": a, "resource": r}))
        .collect();
    (
        type_name,
        name.to_owned(),
        json!({
            "id": id,
            "account_id": account,
            "cluster_id": cluster,
            "description": description,
            "permissions": permissions,
            "expires_at": null,
            "access_token": access_token,
            "created_at": "2026-01-02T03:04:05.123456789Z",
            "revoked_at": null
        }),
    )
}

/// A database as the incumbent stores it (`influxdb3_database` or `influxdb3_cloud_database`),
/// with a tag part `line` and a bucket part on `station` into `buckets` buckets.
pub(crate) fn database(
    type_name: &'static str,
    name: &str,
    cluster: (&str, &str),
    retention_ns: i64,
    buckets: u32,
) -> (&'static str, String, Json) {
    let bucket = json!({"tagName": "station", "numberOfBuckets": buckets}).to_string();
    (
        type_name,
        name.to_owned(),
        json!({
            "account_id": cluster.0,
            "cluster_id": cluster.1,
            "name": name,
            "max_tables": 500,
            "max_columns_per_table": 200,
            "retention_period": retention_ns,
            "partition_template": [
                {"type": "tag", "value": "line"},
                {"type": "bucket", "value": bucket}
            ]
        }),
    )
}

/// Creates in `mock` the database the incumbent's example makes, as [`database`] records it
/// with `retention_ns` 604800 and 10 buckets: `signals`, 604800 ns retention (the example's
/// value), a tag part `line` and a bucket part on `station`.
pub(crate) fn seed_database(mock: &MockServer) {
    Seed::new(mock).database(CreateDatabaseRequest {
        name: "signals".into(),
        settings: DatabaseSettings {
            max_tables: Some(500),
            max_columns_per_table: Some(200),
            retention_period: Some(604_800),
        },
        partition_template: Some(vec![
            PartitionPart::Tag {
                value: "line".into(),
            },
            PartitionPart::Bucket {
                tag_name: "station".into(),
                number_of_buckets: 10,
            },
        ]),
    });
}
