//! The service driven directly through its gRPC trait with a fake provider: capabilities,
//! StopProvider, and how apply outcomes become state.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use tonic::Request;

use super::ProviderService;
use crate::framework::{
    Attribute, Call, DataSource, Declaration, Declare, Diagnostics, Provider, Resource, Schema,
};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as Rpc;
use crate::value::{Type, Value, decode_msgpack, encode_msgpack};

struct Fake;

#[derive(Default)]
struct Thing {
    reads: AtomicUsize,
}

fn thing_schema() -> Schema {
    Schema::new(
        "a thing",
        vec![
            Attribute::computed("id", Type::String).use_state_for_unknown(),
            Attribute::required("name", Type::String),
        ],
    )
}

fn thing(id: &str, name: &str) -> Value {
    Value::Object(
        [
            ("id".to_owned(), Value::String(id.to_owned())),
            ("name".to_owned(), Value::String(name.to_owned())),
        ]
        .into(),
    )
}

impl Declare for Thing {
    const DECLARATION: Declaration = Declaration::new("fake_thing", thing_schema);
}

#[async_trait]
impl Resource<()> for Thing {
    async fn read(&self, _: Call<'_, ()>, state: &Value) -> Option<Value> {
        if self.reads.fetch_add(1, Ordering::SeqCst) == 0 {
            // The first read hangs until StopProvider cancels it.
            std::future::pending::<()>().await;
        }
        Some(state.clone())
    }
    async fn create(&self, Call { diags, .. }: Call<'_, ()>, planned: &Value) -> Option<Value> {
        let name = planned
            .get_attr("name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if name == "half" {
            diags.error(
                "Half Created",
                "the object exists but something failed after",
            );
            return Some(thing("h1", name));
        }
        Some(thing("new", name))
    }
    async fn update(&self, _: Call<'_, ()>, _: &Value, planned: &Value) -> Option<Value> {
        Some(planned.clone())
    }
    async fn delete(&self, Call { diags, .. }: Call<'_, ()>, prior: &Value) {
        if prior.get_attr("name").and_then(Value::as_str) == Some("stuck") {
            diags.error("Delete Failed", "the API said no");
        }
    }
}

#[async_trait]
impl Provider for Fake {
    type Context = ();
    fn schema(&self) -> Schema {
        Schema::new("fake", vec![])
    }
    async fn configure(&self, _: &Value, _: &str, _: &mut Diagnostics) -> Option<()> {
        Some(())
    }
    fn resources(&self) -> Vec<Arc<dyn Resource<()>>> {
        vec![Arc::new(Thing::default())]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource<()>>> {
        Vec::new()
    }
}

fn dv(v: &Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: encode_msgpack(v, &thing_schema().value_type()).expect("encode"),
        json: Vec::new(),
    })
}

fn undv(d: Option<pb::DynamicValue>) -> Value {
    decode_msgpack(&d.expect("value").msgpack, &thing_schema().value_type()).expect("decode")
}

async fn configured() -> Arc<ProviderService<Fake>> {
    let svc = Arc::new(ProviderService::new(Fake));
    let config = encode_msgpack(
        &Value::Object(Default::default()),
        &Type::Object(Default::default()),
    )
    .expect("encode");
    Rpc::configure_provider(
        &*svc,
        Request::new(pb::configure_provider::Request {
            terraform_version: "1.11.4".into(),
            config: Some(pb::DynamicValue {
                msgpack: config,
                json: Vec::new(),
            }),
            client_capabilities: None,
        }),
    )
    .await
    .expect("configure");
    svc
}

async fn apply(
    svc: &ProviderService<Fake>,
    prior: &Value,
    planned: &Value,
) -> pb::apply_resource_change::Response {
    Rpc::apply_resource_change(
        svc,
        Request::new(pb::apply_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(prior),
            planned_state: dv(planned),
            config: dv(planned),
            ..Default::default()
        }),
    )
    .await
    .expect("apply")
    .into_inner()
}

#[tokio::test]
async fn the_schema_advertises_plan_destroy_and_optional_schema_calls() {
    let svc = configured().await;
    let caps = Rpc::get_provider_schema(&*svc, Request::new(pb::get_provider_schema::Request {}))
        .await
        .expect("schema")
        .into_inner()
        .server_capabilities
        .expect("capabilities");
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);
}

#[tokio::test(start_paused = true)]
async fn stop_provider_cancels_a_hanging_read_and_the_server_keeps_serving() {
    let svc = configured().await;
    let state = thing("1", "a");
    let read = {
        let svc = svc.clone();
        let state = state.clone();
        tokio::spawn(async move {
            Rpc::read_resource(
                &*svc,
                Request::new(pb::read_resource::Request {
                    type_name: "fake_thing".into(),
                    current_state: dv(&state),
                    ..Default::default()
                }),
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    Rpc::stop_provider(&*svc, Request::new(pb::stop_provider::Request {}))
        .await
        .expect("stop");
    let resp = tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .expect("the read ends once stopped")
        .expect("join")
        .expect("read")
        .into_inner();
    assert!(
        resp.diagnostics
            .iter()
            .any(|d| d.summary == "Operation Cancelled")
    );
    assert_eq!(
        undv(resp.new_state),
        state,
        "a cancelled read keeps the state"
    );

    // Later calls are served normally.
    let again = Rpc::read_resource(
        &*svc,
        Request::new(pb::read_resource::Request {
            type_name: "fake_thing".into(),
            current_state: dv(&state),
            ..Default::default()
        }),
    )
    .await
    .expect("read")
    .into_inner();
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
}

#[tokio::test]
async fn a_create_that_fails_after_creating_keeps_the_object_in_state() {
    let svc = configured().await;
    let planned = Value::Object(
        [
            ("id".to_owned(), Value::Unknown),
            ("name".to_owned(), Value::String("half".into())),
        ]
        .into(),
    );
    let resp = apply(&svc, &Value::Null, &planned).await;
    assert!(resp.diagnostics.iter().any(|d| d.summary == "Half Created"));
    assert_eq!(
        undv(resp.new_state),
        thing("h1", "half"),
        "saved, so Terraform taints it"
    );
}

#[tokio::test]
async fn a_failed_delete_keeps_the_prior_state_and_a_good_one_clears_it() {
    let svc = configured().await;
    let stuck = thing("1", "stuck");
    let resp = apply(&svc, &stuck, &Value::Null).await;
    assert_eq!(undv(resp.new_state), stuck);
    let fine = thing("2", "fine");
    let resp = apply(&svc, &fine, &Value::Null).await;
    assert!(resp.diagnostics.is_empty());
    assert_eq!(undv(resp.new_state), Value::Null);
}

#[tokio::test]
async fn an_unknown_type_name_is_a_grpc_error_not_a_panic() {
    let svc = configured().await;
    let err = Rpc::validate_resource_config(
        &*svc,
        Request::new(pb::validate_resource_config::Request {
            type_name: "nope".into(),
            ..Default::default()
        }),
    )
    .await
    .expect_err("unknown type");
    assert_eq!(err.code(), tonic::Code::NotFound);
}

#[tokio::test]
async fn rpcs_the_provider_does_not_offer_answer_unimplemented() {
    // Terraform falls back when GenerateResourceConfig answers `Unimplemented`; any other
    // code would fail the run.
    let svc = configured().await;
    let generate = Rpc::generate_resource_config(
        &*svc,
        Request::new(pb::generate_resource_config::Request::default()),
    )
    .await
    .expect_err("config generation is not offered");
    assert_eq!(generate.code(), tonic::Code::Unimplemented);
    // MoveResourceState is offered (see move_tests): an unknown target type is NotFound.
    let moved = Rpc::move_resource_state(
        &*svc,
        Request::new(pb::move_resource_state::Request::default()),
    )
    .await
    .expect_err("no target type");
    assert_eq!(moved.code(), tonic::Code::NotFound);
    let caps = svc.metadata().server_capabilities.expect("capabilities");
    assert!(!caps.generate_resource_config && caps.move_resource_state);
}

#[tokio::test]
async fn a_provider_without_identities_offers_an_empty_identity_map() {
    let svc = configured().await;
    let ids = Rpc::get_resource_identity_schemas(
        &*svc,
        Request::new(pb::get_resource_identity_schemas::Request {}),
    )
    .await
    .expect("identity schemas")
    .into_inner();
    assert!(ids.identity_schemas.is_empty());
    assert!(svc.metadata().list_resources.is_empty());
}
