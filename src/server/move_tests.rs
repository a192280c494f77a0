//! MoveResourceState and UpgradeResourceState driven through the gRPC trait with the real
//! provider: the incumbent's token and database state (schema version 0) moves into our types
//! through their upgrade chains, with every id and the access token kept; our own state moves
//! from the version it was written with; unknown sources are refused.

use tonic::Request;

use super::ProviderService;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as Rpc;
use crate::provider::InfluxDb3Provider;
use crate::value::{Type, Value, decode_msgpack};

const INCUMBENT: &str = "registry.terraform.io/thulasirajkomminar/influxdb3";
const OURS: &str = "registry.terraform.io/ironflux/influxdb3";

fn incumbent_token_json() -> Vec<u8> {
    serde_json::json!({
        "id": "11111111-2222-4333-8444-555555555555",
        "account_id": "11111111-1111-4111-8111-111111111111",
        "cluster_id": "33333333-3333-4333-8333-333333333333",
        "description": "Access test database",
        "permissions": [{"action": "read", "resource": "test"}],
        "expires_at": null,
        "access_token": "apiv1_secret",
        "created_at": "2026-01-02T03:04:05Z",
        "revoked_at": null
    })
    .to_string()
    .into_bytes()
}

fn request(provider: &str, source: &str, target: &str) -> pb::move_resource_state::Request {
    pb::move_resource_state::Request {
        source_provider_address: provider.into(),
        source_type_name: source.into(),
        source_schema_version: 0,
        source_state: Some(pb::RawState {
            json: incumbent_token_json(),
            flatmap: Default::default(),
        }),
        target_type_name: target.into(),
        ..Default::default()
    }
}

async fn moved(
    svc: &ProviderService<InfluxDb3Provider>,
    req: pb::move_resource_state::Request,
) -> pb::move_resource_state::Response {
    Rpc::move_resource_state(svc, Request::new(req))
        .await
        .expect("answered")
        .into_inner()
}

fn target_type(svc: &ProviderService<InfluxDb3Provider>, name: &str) -> Type {
    svc.resource(name).expect("type").schema.value_type()
}

#[tokio::test]
async fn incumbent_tokens_move_into_ours_keeping_ids_and_the_secret() {
    let svc = ProviderService::new(InfluxDb3Provider);
    let caps = svc.metadata().server_capabilities.expect("capabilities");
    assert!(caps.move_resource_state);
    // OpenTofu sends the address its state records: `registry.opentofu.org/...` when the
    // configuration wrote a bare `namespace/type` (its `addrs.Provider.String()`, read in
    // opentofu/opentofu internal/tofu/upgrade_resource_state.go).
    for provider in [
        INCUMBENT,
        "registry.terraform.io/komminarlabs/influxdb3",
        OURS,
        "registry.opentofu.org/thulasirajkomminar/influxdb3",
        "registry.opentofu.org/komminarlabs/influxdb3",
        "registry.opentofu.org/ironflux/influxdb3",
    ] {
        for (source, target) in [
            ("influxdb3_token", "influxdb3_database_token"),
            ("influxdb3_cloud_token", "influxdb3_database_token"),
            ("influxdb3_token", "influxdb3_cloud_token"),
            ("influxdb3_cloud_token", "influxdb3_database_token"),
        ] {
            let resp = moved(&svc, request(provider, source, target)).await;
            assert!(
                resp.diagnostics.is_empty(),
                "{provider} {source}: {:?}",
                resp.diagnostics
            );
            let state = resp.target_state.expect("state");
            let v = decode_msgpack(&state.msgpack, &target_type(&svc, target)).expect("decodes");
            let get = |k: &str| v.get_attr(k).and_then(Value::as_str).map(str::to_owned);
            assert_eq!(
                get("id").as_deref(),
                Some("11111111-2222-4333-8444-555555555555")
            );
            assert_eq!(get("access_token").as_deref(), Some("apiv1_secret"));
            assert_eq!(v.get_attr("deletion_protection"), Some(&Value::Bool(false)));
            assert_eq!(v.get_attr("revoked_at"), Some(&Value::Null), "carried over");
        }
    }
}

#[tokio::test]
async fn unknown_sources_fail_with_what_we_accept() {
    let svc = ProviderService::new(InfluxDb3Provider);
    for (provider, source) in [
        (INCUMBENT, "influxdb3_cloud_table"),
        ("registry.terraform.io/hashicorp/null", "influxdb3_token"),
    ] {
        let resp = moved(&svc, request(provider, source, "influxdb3_database_token")).await;
        assert!(resp.target_state.is_none());
        let text = format!("{:?}", resp.diagnostics);
        assert!(text.contains("Unsupported Move"), "{text}");
        assert!(
            text.contains("influxdb3_cloud_token") || text.contains("thulasirajkomminar"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn incumbent_state_of_schema_version_0_upgrades_under_an_alias() {
    let svc = ProviderService::new(InfluxDb3Provider);
    let resp = Rpc::upgrade_resource_state(
        &svc,
        Request::new(pb::upgrade_resource_state::Request {
            type_name: "influxdb3_cloud_token".into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: incumbent_token_json(),
                flatmap: Default::default(),
            }),
        }),
    )
    .await
    .expect("answered")
    .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let state = resp.upgraded_state.expect("state");
    let v = decode_msgpack(&state.msgpack, &target_type(&svc, "influxdb3_cloud_token"))
        .expect("decodes");
    assert_eq!(
        v.get_attr("access_token").and_then(Value::as_str),
        Some("apiv1_secret")
    );
}

fn move_of(
    provider: &str,
    source: &str,
    version: i64,
    state: &serde_json::Value,
    target: &str,
) -> pb::move_resource_state::Request {
    pb::move_resource_state::Request {
        source_provider_address: provider.into(),
        source_type_name: source.into(),
        source_schema_version: version,
        source_state: Some(pb::RawState {
            json: state.to_string().into_bytes(),
            flatmap: Default::default(),
        }),
        target_type_name: target.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_incumbent_database_moves_through_the_upgrade_chain() {
    let svc = ProviderService::new(InfluxDb3Provider);
    let state = super::upgrade_tests::incumbent_database();
    for source in ["influxdb3_database", "influxdb3_cloud_database"] {
        // The incumbent's version number says nothing about its shape: any is read as its v0.
        for version in [0, 3] {
            let req = move_of(INCUMBENT, source, version, &state, "influxdb3_database");
            let resp = moved(&svc, req).await;
            assert!(
                resp.diagnostics.is_empty(),
                "{source}: {:?}",
                resp.diagnostics
            );
            let v = decode_msgpack(
                &resp.target_state.expect("state").msgpack,
                &target_type(&svc, "influxdb3_database"),
            )
            .expect("decodes");
            assert_eq!(
                v.get_attr("retention_period").and_then(Value::as_str),
                Some("604800000000000"),
                "the incumbent's nanoseconds as unitless text"
            );
        }
    }
}

#[tokio::test]
async fn our_own_state_moves_from_its_version_and_newer_is_refused() {
    let svc = ProviderService::new(InfluxDb3Provider);
    let v0 = super::upgrade_tests::our_token_v0();
    for (version, ok) in [(0, true), (1, true), (2, false)] {
        let req = move_of(
            OURS,
            "influxdb3_cloud_token",
            version,
            &v0,
            "influxdb3_database_token",
        );
        let resp = moved(&svc, req).await;
        let text = format!("{:?}", resp.diagnostics);
        assert_eq!(resp.target_state.is_some(), ok, "v{version}: {text}");
        if !ok {
            assert!(text.contains("Upgrade the provider"), "{text}");
        }
    }
}
