//! The tfplugin6 service of the real provider binary, spoken to as Terraform speaks to it:
//! launched through the go-plugin handshake with a pinned client certificate, called by a
//! tonic client built from the same 6.11 proto, against an in-process mock Management API.
//!
//! They check the provider's side of the rules Terraform applies to identity and list
//! resources (its internal/plugin6/grpc_provider.go and node_resource_abstract_instance.go):
//! identities are known and stable, imports by identity work, list events carry identity and
//! honour limit. They need no binary; `tests/acceptance/identity_and_query.rs` runs the same
//! features through Terraform 1.15 and OpenTofu 1.12 where those binaries are found.

#[path = "../common/plugin_client.rs"]
mod plugin_client;

mod actions;

use std::collections::BTreeMap;

use plugin_client::{HostCert, Launched, connect, host_cert, launch};
use terraform_provider_influxdb3::framework::Declared;
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};
use terraform_provider_influxdb3::proto::tfplugin6 as pb;
use terraform_provider_influxdb3::proto::tfplugin6::provider_client::ProviderClient;
use terraform_provider_influxdb3::tokens::resource::DatabaseTokenResource;
use terraform_provider_influxdb3::value::{Type, Value, decode_msgpack, encode_msgpack};
use tonic::transport::Channel;

const ACTION: &str = "influxdb3_revoke_database_tokens";
const OTHER_ACCOUNT: &str = "aaaaaaaa-0000-4000-8000-000000000002";
const OTHER_CLUSTER: &str = "cccccccc-0000-4000-8000-000000000002";

struct Session {
    mock: MockServer,
    client: ProviderClient<Channel>,
    _plugin: Launched,
    _host: HostCert,
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn dv(v: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: encode_msgpack(v, ty).expect("encode"),
        json: Vec::new(),
    })
}

fn undv(d: Option<&pb::DynamicValue>, ty: &Type) -> Value {
    decode_msgpack(&d.expect("a value").msgpack, ty).expect("decode")
}

fn token_type() -> Type {
    DatabaseTokenResource.schema().value_type()
}

fn identity_type(names: &[&str]) -> Type {
    Type::Object(
        names
            .iter()
            .map(|n| ((*n).to_owned(), Type::String))
            .collect(),
    )
}

fn token_identity_type() -> Type {
    identity_type(&["account_id", "cluster_id", "id"])
}

fn identity(data: Option<&pb::ResourceIdentityData>, ty: &Type) -> Value {
    undv(data.expect("an identity").identity_data.as_ref(), ty)
}

fn field<'a>(v: &'a Value, name: &str) -> &'a Value {
    match v {
        Value::Object(m) => m.get(name).unwrap_or(&Value::Null),
        _ => &Value::Null,
    }
}

fn object(pairs: &[(&str, Value)], ty: &Type) -> Value {
    let Type::Object(attrs) = ty else {
        panic!("not an object type")
    };
    let mut m: BTreeMap<String, Value> = attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    for (k, v) in pairs {
        m.insert((*k).to_owned(), v.clone());
    }
    Value::Object(m)
}

async fn session() -> Session {
    let mock = MockServer::start(MockOptions {
        extra_clusters: vec![(OTHER_ACCOUNT.to_owned(), OTHER_CLUSTER.to_owned())],
        ..Default::default()
    })
    .expect("mock");
    let host = host_cert();
    let plugin = launch(&host.pem);
    let channel = connect(&plugin, Some(&host)).await.expect("connect");
    let mut client = ProviderClient::new(channel);
    let provider_type = terraform_provider_influxdb3::provider::config::schema().value_type();
    let config = object(
        &[
            ("account_id", s(mock.account_id())),
            ("cluster_id", s(mock.cluster_id())),
            ("management_token", s(mock.management_token())),
            ("endpoint", s(&mock.endpoint())),
        ],
        &provider_type,
    );
    let configured = client
        .configure_provider(pb::configure_provider::Request {
            terraform_version: "1.14.0".into(),
            config: dv(&config, &provider_type),
            client_capabilities: None,
        })
        .await
        .expect("configure")
        .into_inner();
    assert!(
        configured.diagnostics.is_empty(),
        "{:?}",
        configured.diagnostics
    );
    Session {
        mock,
        client,
        _plugin: plugin,
        _host: host,
    }
}

/// Creates a token straight through the mock's API (an object no configuration manages).
async fn seed_token(mock: &MockServer, account: &str, cluster: &str, description: &str) -> String {
    let url = format!(
        "{}/accounts/{account}/clusters/{cluster}/tokens",
        mock.endpoint()
    );
    let body: serde_json::Value = reqwest::Client::new()
        .post(url)
        .bearer_auth(mock.management_token())
        .json(&serde_json::json!({"description": description, "permissions": []}))
        .send()
        .await
        .expect("seed request")
        .json()
        .await
        .expect("seed answer");
    body["id"].as_str().expect("id").to_owned()
}

fn token_list_gets(mock: &MockServer) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/tokens"))
        .count()
}

#[tokio::test]
async fn schemas_advertise_identities_and_list_resources() {
    let mut p = session().await;
    let meta = p
        .client
        .get_metadata(pb::get_metadata::Request {})
        .await
        .expect("metadata")
        .into_inner();
    let listed: Vec<_> = meta
        .list_resources
        .iter()
        .map(|l| l.type_name.as_str())
        .collect();
    assert_eq!(listed, ["influxdb3_database", "influxdb3_database_token"]);

    let schema = p
        .client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema")
        .into_inner();
    let token_filters: Vec<_> = schema.list_resource_schemas["influxdb3_database_token"]
        .block
        .as_ref()
        .expect("block")
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), a.optional))
        .collect();
    assert_eq!(
        token_filters,
        [("include_revoked", true), ("description_prefix", true)]
    );
    assert!(
        schema
            .list_resource_schemas
            .contains_key("influxdb3_database")
    );

    let ids = p
        .client
        .get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
        .await
        .expect("identity schemas")
        .into_inner();
    for (ty, key) in [
        ("influxdb3_database_token", "id"),
        ("influxdb3_database", "name"),
    ] {
        let schema = &ids.identity_schemas[ty];
        assert_eq!(schema.version, 0, "{ty}");
        let attrs: Vec<_> = schema
            .identity_attributes
            .iter()
            .map(|a| (a.name.as_str(), a.required_for_import, a.r#type.as_slice()))
            .collect();
        assert_eq!(
            attrs,
            [
                ("account_id", true, &b"\"string\""[..]),
                ("cluster_id", true, &b"\"string\""[..]),
                (key, true, &b"\"string\""[..]),
            ],
            "{ty}"
        );
    }
}

#[tokio::test]
async fn a_token_keeps_one_identity_through_create_read_update_and_import() {
    let mut p = session().await;
    let ty = token_type();
    let ity = token_identity_type();
    let config = object(&[("description", s("ci writer"))], &ty);

    let plan = p
        .client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "influxdb3_database_token".into(),
            prior_state: dv(&Value::Null, &ty),
            proposed_new_state: dv(&config, &ty),
            config: dv(&config, &ty),
            ..Default::default()
        })
        .await
        .expect("plan")
        .into_inner();
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    // The id is not known before the create: no identity yet, which Terraform accepts.
    assert!(plan.planned_identity.is_none());

    let created = p
        .client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: "influxdb3_database_token".into(),
            prior_state: dv(&Value::Null, &ty),
            planned_state: plan.planned_state.clone(),
            config: dv(&config, &ty),
            ..Default::default()
        })
        .await
        .expect("apply")
        .into_inner();
    assert!(created.diagnostics.is_empty(), "{:?}", created.diagnostics);
    let state = undv(created.new_state.as_ref(), &ty);
    let id = identity(created.new_identity.as_ref(), &ity);
    assert_eq!(field(&id, "id"), field(&state, "id"));
    assert_eq!(field(&id, "account_id"), &s(p.mock.account_id()));
    assert_eq!(field(&id, "cluster_id"), &s(p.mock.cluster_id()));

    let read = p
        .client
        .read_resource(pb::read_resource::Request {
            type_name: "influxdb3_database_token".into(),
            current_state: created.new_state.clone(),
            current_identity: created.new_identity.clone(),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert_eq!(identity(read.new_identity.as_ref(), &ity), id, "read");

    let mut changed = config.clone();
    if let Value::Object(m) = &mut changed {
        m.insert("description".into(), s("ci writer, renamed"));
    }
    let mut proposed = state.clone();
    if let Value::Object(m) = &mut proposed {
        m.insert("description".into(), s("ci writer, renamed"));
    }
    let update_plan = p
        .client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "influxdb3_database_token".into(),
            prior_state: created.new_state.clone(),
            proposed_new_state: dv(&proposed, &ty),
            config: dv(&changed, &ty),
            prior_identity: created.new_identity.clone(),
            ..Default::default()
        })
        .await
        .expect("update plan")
        .into_inner();
    assert!(
        update_plan.requires_replace.is_empty(),
        "an in-place update"
    );
    assert_eq!(
        identity(update_plan.planned_identity.as_ref(), &ity),
        id,
        "plan"
    );
    let updated = p
        .client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: "influxdb3_database_token".into(),
            prior_state: created.new_state.clone(),
            planned_state: update_plan.planned_state.clone(),
            config: dv(&changed, &ty),
            planned_identity: update_plan.planned_identity.clone(),
            ..Default::default()
        })
        .await
        .expect("update")
        .into_inner();
    assert!(updated.diagnostics.is_empty(), "{:?}", updated.diagnostics);
    assert_eq!(identity(updated.new_identity.as_ref(), &ity), id, "apply");

    let token_id = field(&id, "id").as_str().expect("id").to_owned();
    let by_id = p
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "influxdb3_database_token".into(),
            id: token_id.clone(),
            ..Default::default()
        })
        .await
        .expect("import by id")
        .into_inner();
    assert_eq!(
        identity(by_id.imported_resources[0].identity.as_ref(), &ity),
        id,
        "import by id"
    );
    let by_identity = p
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "influxdb3_database_token".into(),
            id: String::new(),
            identity: created.new_identity.clone(),
            ..Default::default()
        })
        .await
        .expect("import by identity")
        .into_inner();
    assert!(
        by_identity.diagnostics.is_empty(),
        "{:?}",
        by_identity.diagnostics
    );
    let imported = &by_identity.imported_resources[0];
    assert_eq!(
        identity(imported.identity.as_ref(), &ity),
        id,
        "import by identity"
    );
    assert_eq!(
        field(&undv(imported.state.as_ref(), &ty), "description"),
        &s("ci writer, renamed")
    );
}

#[tokio::test]
async fn an_identity_for_another_cluster_imports_from_that_cluster() {
    let mut p = session().await;
    let ty = token_type();
    let ity = token_identity_type();
    let id = seed_token(&p.mock, OTHER_ACCOUNT, OTHER_CLUSTER, "made elsewhere").await;
    let wanted = object(
        &[
            ("account_id", s(OTHER_ACCOUNT)),
            ("cluster_id", s(OTHER_CLUSTER)),
            ("id", s(&id)),
        ],
        &ity,
    );
    let answer = p
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "influxdb3_database_token".into(),
            identity: Some(pb::ResourceIdentityData {
                identity_data: dv(&wanted, &ity),
            }),
            ..Default::default()
        })
        .await
        .expect("import")
        .into_inner();
    assert!(answer.diagnostics.is_empty(), "{:?}", answer.diagnostics);
    let imported = &answer.imported_resources[0];
    let state = undv(imported.state.as_ref(), &ty);
    assert_eq!(field(&state, "cluster_id"), &s(OTHER_CLUSTER));
    assert_eq!(field(&state, "description"), &s("made elsewhere"));
    assert_eq!(identity(imported.identity.as_ref(), &ity), wanted);

    // An identity with a part missing is an error that names it; nothing is imported.
    let partial = object(&[("id", s(&id))], &ity);
    let refused = p
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "influxdb3_database_token".into(),
            identity: Some(pb::ResourceIdentityData {
                identity_data: dv(&partial, &ity),
            }),
            ..Default::default()
        })
        .await
        .expect("import")
        .into_inner();
    assert!(refused.imported_resources.is_empty());
    assert!(
        refused.diagnostics[0]
            .detail
            .contains("account_id, cluster_id"),
        "{:?}",
        refused.diagnostics
    );
}

async fn list(
    p: &mut Session,
    type_name: &str,
    config: Value,
    config_type: &Type,
    limit: i64,
    include_resource_object: bool,
) -> Vec<pb::list_resource::Event> {
    let mut stream = p
        .client
        .list_resource(pb::list_resource::Request {
            type_name: type_name.into(),
            config: dv(&config, config_type),
            include_resource_object,
            limit,
        })
        .await
        .expect("list")
        .into_inner();
    let mut events = Vec::new();
    while let Some(event) = stream.message().await.expect("event") {
        events.push(event);
    }
    events
}

#[tokio::test]
async fn token_lists_stream_identities_with_filters_and_limit_from_one_call() {
    let mut p = session().await;
    let filters = identity_type(&[]);
    let filters = match filters {
        Type::Object(mut m) => {
            m.insert("include_revoked".into(), Type::Bool);
            m.insert("description_prefix".into(), Type::String);
            Type::Object(m)
        }
        other => other,
    };
    let ity = token_identity_type();
    for d in ["ci-a", "ci-b", "ci-c", "ops"] {
        seed_token(
            &p.mock,
            p.mock.account_id().to_owned().as_str(),
            p.mock.cluster_id(),
            d,
        )
        .await;
    }
    let before = token_list_gets(&p.mock);
    let ci = object(&[("description_prefix", s("ci-"))], &filters);
    let events = list(
        &mut p,
        "influxdb3_database_token",
        ci.clone(),
        &filters,
        100,
        false,
    )
    .await;
    assert_eq!(
        token_list_gets(&p.mock) - before,
        1,
        "one list call per query"
    );
    let names: Vec<_> = events.iter().map(|e| e.display_name.clone()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.iter().all(|n| n.contains("ci-")), "{names:?}");
    for e in &events {
        let id = identity(e.identity.as_ref(), &ity);
        assert_eq!(field(&id, "cluster_id"), &s(p.mock.cluster_id()));
        assert!(e.resource_object.is_none(), "not asked for");
        assert!(e.diagnostic.is_empty());
    }

    let limited = list(&mut p, "influxdb3_database_token", ci, &filters, 2, true).await;
    assert_eq!(limited.len(), 2);
    let state = undv(limited[0].resource_object.as_ref(), &token_type());
    assert_eq!(
        field(&state, "access_token"),
        &Value::Null,
        "never a secret in a list"
    );
    assert_eq!(
        field(&state, "id"),
        field(&identity(limited[0].identity.as_ref(), &ity), "id")
    );

    let all = object(&[], &filters);
    let everything = list(
        &mut p,
        "influxdb3_database_token",
        all,
        &filters,
        100,
        false,
    )
    .await;
    assert_eq!(everything.len(), 4);
}

#[tokio::test]
async fn database_lists_stream_one_event_per_database() {
    let mut p = session().await;
    for name in ["metrics", "logs"] {
        let url = format!(
            "{}/accounts/{}/clusters/{}/databases",
            p.mock.endpoint(),
            p.mock.account_id(),
            p.mock.cluster_id()
        );
        let status = reqwest::Client::new()
            .post(url)
            .bearer_auth(p.mock.management_token())
            .json(&serde_json::json!({"name": name}))
            .send()
            .await
            .expect("seed database")
            .status();
        assert!(status.is_success(), "{status}");
    }
    let ity = identity_type(&["account_id", "cluster_id", "name"]);
    let events = list(
        &mut p,
        "influxdb3_database",
        Value::Object(BTreeMap::new()),
        &identity_type(&[]),
        100,
        false,
    )
    .await;
    let names: Vec<_> = events
        .iter()
        .map(|e| field(&identity(e.identity.as_ref(), &ity), "name").clone())
        .collect();
    assert_eq!(names, [s("logs"), s("metrics")]);
}

/// Every RPC of the proto answers `Ok` or `Unimplemented`, never another code, for a request
/// naming a type the provider has (Terraform reads `Unimplemented` as "not supported").
#[tokio::test]
async fn every_rpc_answers_implemented_or_unimplemented() {
    use tonic::Code;
    let mut p = session().await;
    let c = &mut p.client;
    let t = || "influxdb3_database_token".to_owned();
    let mut codes: Vec<(&str, Code)> = Vec::new();
    macro_rules! call {
        ($name:literal, $fut:expr) => {
            codes.push((
                $name,
                match $fut.await {
                    Ok(_) => Code::Ok,
                    Err(status) => status.code(),
                },
            ));
        };
    }
    call!("GetMetadata", c.get_metadata(pb::get_metadata::Request {}));
    call!(
        "GetProviderSchema",
        c.get_provider_schema(pb::get_provider_schema::Request {})
    );
    call!(
        "ValidateProviderConfig",
        c.validate_provider_config(pb::validate_provider_config::Request::default())
    );
    call!(
        "ValidateResourceConfig",
        c.validate_resource_config(pb::validate_resource_config::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "ValidateDataResourceConfig",
        c.validate_data_resource_config(pb::validate_data_resource_config::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "UpgradeResourceState",
        c.upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "GetResourceIdentitySchemas",
        c.get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
    );
    call!(
        "UpgradeResourceIdentity",
        c.upgrade_resource_identity(pb::upgrade_resource_identity::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "ReadResource",
        c.read_resource(pb::read_resource::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "PlanResourceChange",
        c.plan_resource_change(pb::plan_resource_change::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "ApplyResourceChange",
        c.apply_resource_change(pb::apply_resource_change::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "ImportResourceState",
        c.import_resource_state(pb::import_resource_state::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "MoveResourceState",
        c.move_resource_state(pb::move_resource_state::Request {
            target_type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "ReadDataSource",
        c.read_data_source(pb::read_data_source::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "GenerateResourceConfig",
        c.generate_resource_config(pb::generate_resource_config::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "ValidateEphemeralResourceConfig",
        c.validate_ephemeral_resource_config(pb::validate_ephemeral_resource_config::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "OpenEphemeralResource",
        c.open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "RenewEphemeralResource",
        c.renew_ephemeral_resource(pb::renew_ephemeral_resource::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "CloseEphemeralResource",
        c.close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "ListResource",
        c.list_resource(pb::list_resource::Request {
            type_name: t(),
            limit: 1,
            ..Default::default()
        })
    );
    call!(
        "ValidateListResourceConfig",
        c.validate_list_resource_config(pb::validate_list_resource_config::Request {
            type_name: t(),
            ..Default::default()
        })
    );
    call!(
        "GetFunctions",
        c.get_functions(pb::get_functions::Request {})
    );
    call!(
        "CallFunction",
        c.call_function(pb::call_function::Request::default())
    );
    call!(
        "ValidateStateStoreConfig",
        c.validate_state_store_config(pb::validate_state_store::Request::default())
    );
    call!(
        "ConfigureStateStore",
        c.configure_state_store(pb::configure_state_store::Request::default())
    );
    call!(
        "ReadStateBytes",
        c.read_state_bytes(pb::read_state_bytes::Request::default())
    );
    call!(
        "WriteStateBytes",
        c.write_state_bytes(tokio_stream::iter(
            Vec::<pb::write_state_bytes::RequestChunk>::new()
        ))
    );
    call!(
        "LockState",
        c.lock_state(pb::lock_state::Request::default())
    );
    call!(
        "UnlockState",
        c.unlock_state(pb::unlock_state::Request::default())
    );
    call!(
        "GetStates",
        c.get_states(pb::get_states::Request::default())
    );
    call!(
        "DeleteState",
        c.delete_state(pb::delete_state::Request::default())
    );
    call!(
        "PlanAction",
        c.plan_action(pb::plan_action::Request {
            action_type: ACTION.to_owned(),
            ..Default::default()
        })
    );
    call!(
        "InvokeAction",
        c.invoke_action(pb::invoke_action::Request {
            action_type: ACTION.to_owned(),
            ..Default::default()
        })
    );
    call!(
        "ValidateActionConfig",
        c.validate_action_config(pb::validate_action_config::Request {
            type_name: ACTION.to_owned(),
            ..Default::default()
        })
    );
    call!(
        "StopProvider",
        c.stop_provider(pb::stop_provider::Request {})
    );
    call!(
        "ConfigureProvider",
        c.configure_provider(pb::configure_provider::Request::default())
    );

    let proto = include_str!("../../proto/tfplugin6.proto");
    let declared = proto.matches("\n  rpc ").count();
    assert_eq!(codes.len(), declared, "every RPC of the proto is called");
    let wrong: Vec<_> = codes
        .iter()
        .filter(|(_, code)| !matches!(code, Code::Ok | Code::Unimplemented))
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
    let unimplemented: Vec<_> = codes
        .iter()
        .filter(|(_, code)| *code == Code::Unimplemented)
        .map(|(name, _)| *name)
        .collect();
    for offered in [
        "GetResourceIdentitySchemas",
        "UpgradeResourceIdentity",
        "ListResource",
        "ValidateListResourceConfig",
        "PlanAction",
        "InvokeAction",
        "ValidateActionConfig",
    ] {
        assert!(
            !unimplemented.contains(&offered),
            "{offered} is implemented"
        );
    }
    assert!(unimplemented.contains(&"GenerateResourceConfig"));
}

#[tokio::test]
async fn an_identity_whose_ids_are_not_uuids_is_refused_before_any_request_and_not_echoed() {
    let mut p = session().await;
    let token = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";
    let before = p.mock.requests().len();
    for (type_name, key, ity) in [
        ("influxdb3_database_token", "id", token_identity_type()),
        (
            "influxdb3_database",
            "name",
            identity_type(&["account_id", "cluster_id", "name"]),
        ),
    ] {
        let key_value = if key == "id" {
            "11111111-1111-4111-8111-111111111111"
        } else {
            "metrics"
        };
        let bad = object(
            &[
                ("account_id", s(token)),
                ("cluster_id", s("../../tokens")),
                (key, s(key_value)),
            ],
            &ity,
        );
        let answer = p
            .client
            .import_resource_state(pb::import_resource_state::Request {
                type_name: type_name.into(),
                identity: Some(pb::ResourceIdentityData {
                    identity_data: dv(&bad, &ity),
                }),
                ..Default::default()
            })
            .await
            .expect("import")
            .into_inner();
        assert!(answer.imported_resources.is_empty(), "{type_name}");
        let shown = format!("{:?}", answer.diagnostics);
        assert!(shown.contains("Invalid Import Identity"), "{shown}");
        assert!(!shown.contains(&token[6..20]), "{shown}");
        assert!(!shown.contains("../../tokens"), "{shown}");
    }
    assert_eq!(
        p.mock.requests().len(),
        before,
        "no request was sent for an identity that names no cluster"
    );
}
