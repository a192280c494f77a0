//! UpgradeResourceState through the gRPC trait with the real provider: every schema version of
//! every resource type name, in our shape and (for version 0) in the incumbent's, reaches the
//! current schema with ids and the access token kept, retention and buckets converted; state
//! from a newer version is refused; a dropped value is named, never shown.

use serde_json::{Value as Json, json};
use tonic::Request;

use super::ProviderService;
use crate::api::PartitionPart;
use crate::databases::retention;
use crate::framework::Schema;
use crate::model::template;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as Rpc;
use crate::provider::InfluxDb3Provider;
use crate::value::{Value, decode_msgpack};

const TOKEN_ID: &str = "11111111-2222-4333-8444-555555555555";
const ACCOUNT: &str = "11111111-1111-4111-8111-111111111111";
const CLUSTER: &str = "33333333-3333-4333-8333-333333333333";
const SECRET: &str = "apiv1_secret-kept-across-upgrades";
/// Seven days in nanoseconds.
const WEEK_NS: i64 = 604_800_000_000_000;

/// Our token state as version 0 wrote it (no `revoked_at`).
pub(super) fn our_token_v0() -> Json {
    json!({
        "id": TOKEN_ID, "description": "d",
        "permissions": [{"action": "read", "resource": "db"}],
        "expires_at": null, "access_token": SECRET, "created_at": "2026-01-02T03:04:05Z",
        "account_id": ACCOUNT, "cluster_id": CLUSTER, "deletion_protection": false
    })
}

/// The incumbent's token state (its v1.7, schema version 0).
pub(super) fn incumbent_token() -> Json {
    json!({
        "id": TOKEN_ID, "account_id": ACCOUNT, "cluster_id": CLUSTER, "description": "d",
        "permissions": [{"action": "read", "resource": "db"}], "expires_at": null,
        "access_token": SECRET, "created_at": "2026-01-02T03:04:05.123456789Z",
        "revoked_at": null
    })
}

/// Our database state as version 0 wrote it.
fn our_database_v0() -> Json {
    json!({
        "name": "db", "max_tables": 500, "max_columns_per_table": 250,
        "retention_period": "7d", "partition_template": [
            {"type": "tag", "value": "region"},
            {"type": "bucket", "value": "host", "number_of_buckets": 10}],
        "account_id": ACCOUNT, "cluster_id": CLUSTER, "database_id": null,
        "deletion_protection": false
    })
}

/// The incumbent's database state (schema version 0): retention as a number of nanoseconds,
/// a bucket part as JSON text, no `deletion_protection` or `database_id`.
pub(super) fn incumbent_database() -> Json {
    json!({
        "account_id": ACCOUNT, "cluster_id": CLUSTER, "name": "db", "max_tables": 500,
        "max_columns_per_table": 200, "retention_period": WEEK_NS,
        "partition_template": [
            {"type": "tag", "value": "region"},
            {"type": "bucket", "value": "{\"numberOfBuckets\":10,\"tagName\":\"host\"}"}]
    })
}

/// The incumbent's table state (v1.6 and later; schema version 0).
fn incumbent_table() -> Json {
    json!({
        "account_id": ACCOUNT, "cluster_id": CLUSTER, "database_name": "db", "name": "t",
        "partition_template": [{"type": "bucket",
                                "value": "{\"tagName\":\"host\",\"numberOfBuckets\":4}"}]
    })
}

/// Our table state as version 0 wrote it.
fn our_table_v0() -> Json {
    json!({
        "database": "db", "name": "t", "partition_template": null, "table_id": null,
        "account_id": ACCOUNT, "cluster_id": CLUSTER
    })
}

/// Upgrades `state` of `version` under `type_name`: the current value (if any) and the
/// diagnostics' text.
pub(super) async fn upgrade(
    svc: &ProviderService<InfluxDb3Provider>,
    type_name: &str,
    version: i64,
    state: &Json,
) -> (Option<Value>, String) {
    let resp = Rpc::upgrade_resource_state(
        svc,
        Request::new(pb::upgrade_resource_state::Request {
            type_name: type_name.into(),
            version,
            raw_state: Some(pb::RawState {
                json: state.to_string().into_bytes(),
                flatmap: Default::default(),
            }),
        }),
    )
    .await
    .expect("answered")
    .into_inner();
    let ty = svc.resource(type_name).expect("type").schema.value_type();
    let value = resp
        .upgraded_state
        .map(|s| decode_msgpack(&s.msgpack, &ty).expect("decodes"));
    (value, format!("{:?}", resp.diagnostics))
}

fn text<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get_attr(name).and_then(Value::as_str)
}

/// The resource families whose stored shapes these tests know.
#[derive(Debug, Clone, Copy)]
enum Family {
    Token,
    Database,
    Table,
}

/// The family of a type, told by its schema (an alias has its target's).
fn family(name: &str, schema: &Schema) -> Family {
    if schema.attribute("access_token").is_some() {
        Family::Token
    } else if schema.attribute("retention_period").is_some() {
        Family::Database
    } else if schema.attribute("table_id").is_some() {
        Family::Table
    } else {
        panic!("{name}: no stored shapes known; add its versions to these tests")
    }
}

/// Every stored shape of a family, with its schema version: ours at each version, and the
/// incumbent's (version 0).
fn stored_shapes(family: Family) -> Vec<(i64, Json)> {
    let current = |mut v: Json, new: &[(&str, Json)]| {
        for (k, x) in new {
            v[*k] = x.clone();
        }
        v
    };
    match family {
        Family::Token => vec![
            (0, our_token_v0()),
            (0, incumbent_token()),
            (1, current(our_token_v0(), &[("revoked_at", Json::Null)])),
        ],
        Family::Database => vec![
            (0, our_database_v0()),
            (0, incumbent_database()),
            (1, our_database_v0()),
        ],
        Family::Table => vec![
            (0, our_table_v0()),
            (0, incumbent_table()),
            (1, our_table_v0()),
        ],
    }
}

/// What every upgraded state of a family must hold.
fn check(family: Family, v: &Value, what: &str) {
    match family {
        Family::Token => {
            assert_eq!(text(v, "id"), Some(TOKEN_ID), "{what}");
            assert_eq!(text(v, "access_token"), Some(SECRET), "{what}");
            assert_eq!(v.get_attr("revoked_at"), Some(&Value::Null), "{what}");
        }
        Family::Database => {
            assert_eq!(text(v, "name"), Some("db"), "{what}");
            let retention = text(v, "retention_period").map(retention::parse);
            assert_eq!(retention, Some(Ok(WEEK_NS)), "{what}");
            let parts =
                template::from_value(v.get_attr("partition_template").unwrap_or(&Value::Null));
            assert_eq!(
                parts.as_deref().and_then(<[PartitionPart]>::last),
                Some(&PartitionPart::Bucket {
                    tag_name: "host".into(),
                    number_of_buckets: 10
                }),
                "{what}"
            );
        }
        Family::Table => {
            assert_eq!(text(v, "database"), Some("db"), "{what}");
            assert_eq!(text(v, "name"), Some("t"), "{what}");
        }
    }
    assert_eq!(text(v, "cluster_id"), Some(CLUSTER), "{what}");
    assert!(
        v.get_attr("deletion_protection") != Some(&Value::Null),
        "{what}: a default, never null"
    );
}

#[tokio::test]
async fn every_type_name_upgrades_every_stored_shape_to_the_current_one() {
    let svc = ProviderService::new(InfluxDb3Provider);
    for (name, entry) in &svc.resources {
        if *name == crate::tokens::rotating::TYPE_NAME {
            // New at version 0: no older shape of it was ever stored, and the incumbent has
            // no such type.
            assert_eq!(entry.schema.version, 0, "{name}");
            continue;
        }
        let family = family(name, &entry.schema);
        assert_eq!(entry.schema.version, 1, "{name}");
        for (version, state) in stored_shapes(family) {
            let what = format!("{name} v{version} {state}");
            let (v, diags) = upgrade(&svc, name, version, &state).await;
            assert_eq!(diags, "[]", "{what}");
            check(family, &v.expect("state"), &what);
        }
    }
}

#[tokio::test]
async fn the_incumbents_shapes_are_converted_as_our_read_writes_them() {
    let svc = ProviderService::new(InfluxDb3Provider);
    let (v, _) = upgrade(&svc, "influxdb3_database", 0, &incumbent_database()).await;
    let v = v.expect("state");
    assert_eq!(v.get_attr("deletion_protection"), Some(&Value::Bool(false)));
    assert_eq!(v.get_attr("database_id"), Some(&Value::Null));
    let (v, _) = upgrade(&svc, "influxdb3_table", 0, &incumbent_table()).await;
    let v = v.expect("state");
    assert_eq!(
        text(&v, "database_name"),
        Some("db"),
        "its configuration sets it"
    );
    let parts = v
        .get_attr("partition_template")
        .and_then(Value::elements)
        .unwrap_or_default();
    assert_eq!(parts.len(), 1);
    assert_eq!(
        text(&parts[0], "value"),
        Some("{\"tagName\":\"host\",\"numberOfBuckets\":4}"),
        "kept as its configuration writes it"
    );
    // Our own state keeps its spelling: the steps of version 0 touch only the incumbent's.
    let mut ours = our_database_v0();
    ours["retention_period"] = json!("604800ns");
    for version in [0, 1] {
        let (v, _) = upgrade(&svc, "influxdb3_database", version, &ours).await;
        assert_eq!(
            text(&v.expect("state"), "retention_period"),
            Some("604800ns")
        );
    }
    let mut protected = our_token_v0();
    protected["deletion_protection"] = json!(true);
    let (v, _) = upgrade(&svc, "influxdb3_token", 0, &protected).await;
    assert_eq!(
        v.expect("state").get_attr("deletion_protection"),
        Some(&Value::Bool(true))
    );
}

#[tokio::test]
async fn every_resource_type_has_one_step_per_version_and_refuses_newer_state() {
    let svc = ProviderService::new(InfluxDb3Provider);
    for (name, entry) in &svc.resources {
        assert_eq!(
            entry.resource.state_upgrades().len() as i64,
            entry.schema.version,
            "{name}: one upgrade step per version left behind"
        );
        let newer = entry.schema.version + 1;
        let (v, diags) = upgrade(&svc, name, newer, &json!({})).await;
        assert!(v.is_none(), "{name}");
        assert!(
            diags.contains("newer version") && diags.contains("Upgrade the provider"),
            "{name}: {diags}"
        );
    }
}

#[tokio::test]
async fn a_dropped_value_is_named_in_a_warning_without_the_value() {
    let svc = ProviderService::new(InfluxDb3Provider);
    let mut state = incumbent_token();
    state["refresh_token"] = json!("apiv1_never-print-me");
    state["permissions"][0]["scope"] = json!("org");
    let (v, diags) = upgrade(&svc, "influxdb3_cloud_token", 0, &state).await;
    assert_eq!(text(&v.expect("state"), "access_token"), Some(SECRET));
    assert!(
        diags.contains("Stored Attributes Dropped")
            && diags.contains("refresh_token")
            && diags.contains("permissions[0].scope"),
        "{diags}"
    );
    assert!(!diags.contains("apiv1_never-print-me"), "{diags}");
    assert!(!diags.contains(SECRET), "{diags}");
}
