//! The ephemeral token through the gRPC service, as Terraform drives it: the provider's real
//! types against the in-process mock. Validate answers without calling the API; Open returns
//! the token and private bytes that name it; Close with those bytes revokes that token.

use tonic::Request;

use super::ProviderService;
use crate::framework::attr;
use crate::mock::{MockOptions, MockServer};
use crate::model::permissions::{ACTION, RESOURCE};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as Rpc;
use crate::provider::InfluxDb3Provider;
use crate::provider::testing::mock_block;
use crate::tokens::ephemeral::model::EXPIRES_IN;
use crate::tokens::ephemeral::tests::{mock_token, token_config};
use crate::tokens::model::{ACCESS_TOKEN, DESCRIPTION, ID, PERMISSIONS};
use crate::value::{Type, Value, decode_msgpack, encode_msgpack};

const TYPE: &str = "influxdb3_database_token";

type Service = ProviderService<InfluxDb3Provider>;

fn ephemeral_type(svc: &Service) -> Type {
    svc.ephemeral_resource_schemas()
        .into_iter()
        .find(|(name, _)| *name == TYPE)
        .map(|(_, s)| s.value_type())
        .expect("the ephemeral token type is served")
}

fn dv(v: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: encode_msgpack(v, ty).expect("encode"),
        json: Vec::new(),
    })
}

async fn configured(mock: &MockServer) -> Service {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let svc = ProviderService::new(InfluxDb3Provider);
    let ty = svc.provider_schema().value_type();
    let resp = Rpc::configure_provider(
        &svc,
        Request::new(pb::configure_provider::Request {
            terraform_version: "1.11.4".into(),
            config: dv(&mock_block(mock), &ty),
            client_capabilities: None,
        }),
    )
    .await
    .expect("configure")
    .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    svc
}

async fn open(svc: &Service, config: &Value) -> pb::open_ephemeral_resource::Response {
    Rpc::open_ephemeral_resource(
        svc,
        Request::new(pb::open_ephemeral_resource::Request {
            type_name: TYPE.into(),
            config: dv(config, &ephemeral_type(svc)),
            client_capabilities: None,
        }),
    )
    .await
    .expect("open")
    .into_inner()
}

async fn close(svc: &Service, private: Option<Vec<u8>>) -> pb::close_ephemeral_resource::Response {
    Rpc::close_ephemeral_resource(
        svc,
        Request::new(pb::close_ephemeral_resource::Request {
            type_name: TYPE.into(),
            private,
        }),
    )
    .await
    .expect("close")
    .into_inner()
}

fn with(config: Value, name: &str, v: Value) -> Value {
    let mut config = config;
    crate::framework::set_attr(&mut config, name, v);
    config
}

fn attribute_names(diags: &[pb::Diagnostic]) -> Vec<String> {
    use pb::attribute_path::step::Selector;
    diags
        .iter()
        .filter_map(|d| d.attribute.as_ref()?.steps.first()?.selector.clone())
        .filter_map(|s| match s {
            Selector::AttributeName(n) => Some(n),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn schema_and_metadata_offer_the_ephemeral_token() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let svc = configured(&mock).await;
    let schema = Rpc::get_provider_schema(&svc, Request::new(pb::get_provider_schema::Request {}))
        .await
        .expect("schema")
        .into_inner();
    let block = schema.ephemeral_resource_schemas[TYPE]
        .block
        .clone()
        .expect("block");
    let access = block
        .attributes
        .iter()
        .find(|a| a.name == ACCESS_TOKEN)
        .expect("access_token");
    assert!(access.sensitive && access.computed && !access.optional);
    let meta = Rpc::get_metadata(&svc, Request::new(pb::get_metadata::Request {}))
        .await
        .expect("metadata")
        .into_inner();
    assert!(meta.ephemeral_resources.iter().any(|e| e.type_name == TYPE));
}

#[tokio::test]
async fn validate_names_each_bad_attribute_accepts_unknowns_and_calls_nothing() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let svc = configured(&mock).await;
    let ty = ephemeral_type(&svc);
    let validate = |config: Value| {
        let req = pb::validate_ephemeral_resource_config::Request {
            type_name: TYPE.into(),
            config: dv(&config, &ty),
        };
        Rpc::validate_ephemeral_resource_config(&svc, Request::new(req))
    };
    let bad = with(
        with(token_config(Some("2d")), DESCRIPTION, Value::from(" ")),
        PERMISSIONS,
        Value::Set(vec![Value::Object(
            [
                (ACTION.to_owned(), Value::from("admin")),
                (RESOURCE.to_owned(), Value::from("db")),
            ]
            .into(),
        )]),
    );
    let resp = validate(bad).await.expect("validate").into_inner();
    assert_eq!(
        attribute_names(&resp.diagnostics),
        [DESCRIPTION, PERMISSIONS, EXPIRES_IN],
        "{:?}",
        resp.diagnostics
    );
    let unknown = with(
        with(token_config(None), DESCRIPTION, Value::Unknown),
        EXPIRES_IN,
        Value::Unknown,
    );
    let resp = validate(unknown).await.expect("validate").into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    assert!(mock.requests().is_empty(), "validate calls no API");
}

#[tokio::test]
async fn open_returns_the_token_and_close_with_its_private_bytes_revokes_it() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let svc = configured(&mock).await;
    let opened = open(&svc, &token_config(Some("10m"))).await;
    assert!(opened.diagnostics.is_empty(), "{:?}", opened.diagnostics);
    assert!(opened.renew_at.is_none(), "the token needs no renewal");
    let result = decode_msgpack(
        &opened.result.clone().expect("result").msgpack,
        &ephemeral_type(&svc),
    )
    .expect("decode");
    let id = attr(&result, ID).as_str().expect("id").to_owned();
    assert_eq!(attr(&result, DESCRIPTION), &Value::from("pipeline 42"));
    let listed = mock_token(&mock, &id);
    assert_eq!(
        listed["description"]
            .as_str()
            .and_then(crate::api::receipt_in)
            .map(|(rest, _)| rest),
        Some("[ephemeral] pipeline 42")
    );
    assert!(mock_token(&mock, &id)["revokedAt"].is_null());

    let closed = close(&svc, opened.private).await;
    assert!(closed.diagnostics.is_empty(), "{:?}", closed.diagnostics);
    assert!(!mock_token(&mock, &id)["revokedAt"].is_null(), "revoked");
    let calls: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.status))
        .collect();
    assert_eq!(calls, ["POST 200", "DELETE 204"]);
    assert!(mock.requests()[1].path.ends_with(&id));
}

#[tokio::test]
async fn open_refuses_bad_input_and_an_unconfigured_provider_without_calling_the_api() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let svc = configured(&mock).await;
    let resp = open(&svc, &token_config(Some("5s"))).await;
    assert_eq!(attribute_names(&resp.diagnostics), ["expires_in"]);
    assert!(resp.result.is_none() && resp.private.is_none());

    let bare = ProviderService::new(InfluxDb3Provider);
    let resp = open(&bare, &token_config(None)).await;
    assert!(
        resp.diagnostics
            .iter()
            .any(|d| d.summary == "Provider Not Configured")
    );
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn a_close_without_private_bytes_is_an_error_not_a_call() {
    let mock = MockServer::spawn(MockOptions::default())
        .await
        .expect("mock");
    let svc = configured(&mock).await;
    let resp = close(&svc, None).await;
    assert!(
        resp.diagnostics
            .iter()
            .any(|d| d.summary == "Cannot Revoke Ephemeral Database Token")
    );
    assert!(mock.requests().is_empty());
}
