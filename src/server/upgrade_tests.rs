//! UpgradeResourceState through the gRPC trait with the real provider: every schema version of
//! every resource type name, in our shape and (for version 0) in the incumbent's, reaches the
//! current schema with ids and the access token kept, retention and buckets converted; state
//! from a newer version is refused; a dropped value is named, never shown.

use serde_json::{Value as Json, json};
use tonic::Request;

use super::ProviderService;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as Rpc;
use crate::provider::InfluxDb3Provider;
use crate::value::{Value, decode_msgpack};

const TOKEN_ID: &str = "11111111-2222-4333-8444-555555555555";
const ACCOUNT: &str = "11111111-1111-4111-8111-111111111111";
const CLUSTER: &str = "33333333-3333-4333-8333-333333333333";
const SECRET: &str = "apiv1_secret-kept-across-upgrades";

/// Our token state as version 0 wrote it (no `revoked_at`).
pub(super) fn our_token_v0() -> Json {
    json!({
        "id": TOKEN_ID, "description": "d",
        "permissions": [{"action": "read", "resource": "db"}],
        "expires_at": null, "access_token": SECRET, "created_at": "2026-01-02T03:04:05Z",
        "account_id": ACCOUNT, "cluster_id": CLUSTER, "deletion_protection": true
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
        "max_columns_per_table": 200, "retention_period": 604_800_000_000_000_i64,
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

#[tokio::test]
async fn every_token_type_name_upgrades_from_every_version_keeping_the_secret() {
    let svc = ProviderService::new(InfluxDb3Provider);
    for type_name in [
        "influxdb3_database_token",
        "influxdb3_token",
        "influxdb3_cloud_token",
    ] {
        assert_eq!(svc.resource(type_name).expect("type").schema.version, 1);
        let mut current = our_token_v0();
        current["revoked_at"] = Json::Null;
        for (version, state) in [(0, our_token_v0()), (0, incumbent_token()), (1, current)] {
            let (v, diags) = upgrade(&svc, type_name, version, &state).await;
            assert_eq!(diags, "[]", "{type_name} v{version}");
            let v = v.expect("state");
            assert_eq!(text(&v, "id"), Some(TOKEN_ID), "{type_name} v{version}");
            assert_eq!(text(&v, "access_token"), Some(SECRET));
            assert_eq!(v.get_attr("revoked_at"), Some(&Value::Null));
            let protected = state["deletion_protection"].as_bool().unwrap_or(false);
            assert_eq!(
                v.get_attr("deletion_protection"),
                Some(&Value::Bool(protected)),
                "kept, or the default for the incumbent's"
            );
        }
    }
}

#[tokio::test]
async fn our_and_the_incumbents_database_upgrade_to_the_current_shape() {
    let svc = ProviderService::new(InfluxDb3Provider);
    assert_eq!(
        svc.resource("influxdb3_database")
            .expect("type")
            .schema
            .version,
        1
    );
    let (v, diags) = upgrade(&svc, "influxdb3_database", 0, &incumbent_database()).await;
    assert_eq!(diags, "[]");
    let v = v.expect("state");
    assert_eq!(text(&v, "retention_period"), Some("7d"), "604800 s in ns");
    assert_eq!(v.get_attr("deletion_protection"), Some(&Value::Bool(false)));
    let parts = v
        .get_attr("partition_template")
        .and_then(Value::elements)
        .expect("parts");
    assert_eq!(text(&parts[1], "value"), Some("host"));
    assert_eq!(
        parts[1]
            .get_attr("number_of_buckets")
            .and_then(Value::as_number)
            .and_then(|n| n.as_i64()),
        Some(10)
    );
    assert_eq!(text(&v, "cluster_id"), Some(CLUSTER));

    let mut current = our_database_v0();
    for version in [0, 1] {
        let (v, diags) = upgrade(&svc, "influxdb3_database", version, &current).await;
        assert_eq!(diags, "[]", "v{version}");
        assert_eq!(text(&v.expect("state"), "retention_period"), Some("7d"));
    }
    current["retention_period"] = json!("604800ns");
    let (v, _) = upgrade(&svc, "influxdb3_database", 1, &current).await;
    assert_eq!(
        text(&v.expect("state"), "retention_period"),
        Some("604800ns"),
        "a current state keeps its spelling"
    );
}

#[tokio::test]
async fn our_and_the_incumbents_table_upgrade_to_the_current_shape() {
    let svc = ProviderService::new(InfluxDb3Provider);
    let (v, diags) = upgrade(&svc, "influxdb3_table", 0, &incumbent_table()).await;
    assert_eq!(diags, "[]");
    let v = v.expect("state");
    assert_eq!(text(&v, "database"), Some("db"));
    let parts = v
        .get_attr("partition_template")
        .and_then(Value::elements)
        .expect("parts");
    assert_eq!(text(&parts[0], "value"), Some("host"));
    for version in [0, 1] {
        let (v, diags) = upgrade(&svc, "influxdb3_table", version, &our_table_v0()).await;
        assert_eq!(diags, "[]");
        assert_eq!(text(&v.expect("state"), "name"), Some("t"));
    }
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
