//! The action RPCs (protocol 6.10) of `influxdb3_revoke_database_tokens`, as Terraform 1.14+
//! calls them (internal/plugin6/grpc_provider.go, internal/terraform/node_action_*.go): the
//! schema in GetProviderSchema, ValidateActionConfig, PlanAction (its diagnostics are what a
//! reviewer sees) and the InvokeAction stream (progress events, then one `completed`).

use terraform_provider_influxdb3::framework::Declared;
use terraform_provider_influxdb3::mock::MockServer;
use terraform_provider_influxdb3::proto::tfplugin6 as pb;
use terraform_provider_influxdb3::tokens::action_revoke::RevokeDatabaseTokens;
use terraform_provider_influxdb3::value::{Type, Value};

use super::{ACTION, dv, object, s, seed_token, session};

fn config_type() -> Type {
    RevokeDatabaseTokens.schema().value_type()
}

fn config(pairs: &[(&str, Value)]) -> Option<pb::DynamicValue> {
    let ty = config_type();
    dv(&object(pairs, &ty), &ty)
}

fn ids(list: &[&str]) -> Value {
    Value::Set(list.iter().map(|i| s(i)).collect())
}

fn errors(diags: &[pb::Diagnostic]) -> Vec<&pb::Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .collect()
}

fn text(diags: &[pb::Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

fn deletes(mock: &MockServer) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.method == "DELETE")
        .count()
}

/// Every event of one invocation.
async fn invoke(
    c: &mut pb::provider_client::ProviderClient<tonic::transport::Channel>,
    config: Option<pb::DynamicValue>,
) -> Vec<pb::invoke_action::Event> {
    let mut stream = c
        .invoke_action(pb::invoke_action::Request {
            action_type: ACTION.to_owned(),
            config,
            client_capabilities: None,
        })
        .await
        .expect("invoke")
        .into_inner();
    let mut events = Vec::new();
    while let Some(event) = stream.message().await.expect("event") {
        events.push(event);
    }
    events
}

fn progress(events: &[pb::invoke_action::Event]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match &e.r#type {
            Some(pb::invoke_action::event::Type::Progress(p)) => Some(p.message.as_str()),
            _ => None,
        })
        .collect()
}

/// The diagnostics of the one `completed` event, which must be the last.
fn completed(events: &[pb::invoke_action::Event]) -> &[pb::Diagnostic] {
    let done: Vec<_> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match &e.r#type {
            Some(pb::invoke_action::event::Type::Completed(c)) => Some((i, c)),
            _ => None,
        })
        .collect();
    assert_eq!(done.len(), 1, "exactly one completed event: {events:?}");
    assert_eq!(done[0].0, events.len() - 1, "completed comes last");
    &done[0].1.diagnostics
}

#[tokio::test]
async fn the_action_is_advertised_with_its_schema() {
    let mut p = session().await;
    let meta = p
        .client
        .get_metadata(pb::get_metadata::Request {})
        .await
        .expect("metadata")
        .into_inner();
    assert!(meta.actions.iter().any(|a| a.type_name == ACTION));
    let schema = p
        .client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema")
        .into_inner();
    let block = schema.action_schemas[ACTION]
        .schema
        .as_ref()
        .and_then(|s| s.block.as_ref())
        .expect("a block");
    let names: Vec<&str> = block.attributes.iter().map(|a| a.name.as_str()).collect();
    for name in [
        "token_ids",
        "expect_description",
        "database",
        "description_prefix",
        "created_before",
        "max_tokens",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert!(block.attributes.iter().all(|a| a.optional && !a.computed));
}

#[tokio::test]
async fn validation_names_the_attribute_and_sends_nothing() {
    let mut p = session().await;
    let before = p.mock.requests().len();
    let cases = [
        (
            vec![("token_ids", ids(&["apiv1_secret-looking-value"]))],
            "token_ids",
        ),
        (
            vec![("created_before", s("last tuesday"))],
            "created_before",
        ),
        (
            vec![
                ("database", s("telemetry")),
                ("max_tokens", Value::Number(0i64.into())),
            ],
            "max_tokens",
        ),
        (vec![("description_prefix", s(""))], "description_prefix"),
        (
            vec![
                ("token_ids", ids(&["11111111-1111-4111-8111-111111111111"])),
                (
                    "expect_description",
                    Value::Map(
                        [(
                            "22222222-2222-4222-8222-222222222222".to_owned(),
                            s("other"),
                        )]
                        .into(),
                    ),
                ),
            ],
            "expect_description",
        ),
        (vec![], "token_ids"),
    ];
    for (pairs, attribute) in cases {
        let answer = p
            .client
            .validate_action_config(pb::validate_action_config::Request {
                type_name: ACTION.to_owned(),
                config: config(&pairs),
            })
            .await
            .expect("validate")
            .into_inner();
        let errs = errors(&answer.diagnostics);
        assert_eq!(errs.len(), 1, "{attribute}: {:?}", answer.diagnostics);
        let path = errs[0].attribute.as_ref().expect("a path");
        let first = path.steps.first().and_then(|s| s.selector.as_ref());
        assert!(
            matches!(first, Some(pb::attribute_path::step::Selector::AttributeName(n)) if n == attribute),
            "{attribute}: {path:?}"
        );
        assert!(!text(&answer.diagnostics).contains("secret-looking"));
    }
    // Unknown values pass validation: they are checked once known.
    let answer = p
        .client
        .validate_action_config(pb::validate_action_config::Request {
            type_name: ACTION.to_owned(),
            config: config(&[("token_ids", Value::Unknown)]),
        })
        .await
        .expect("validate")
        .into_inner();
    assert!(errors(&answer.diagnostics).is_empty(), "{answer:?}");
    assert_eq!(p.mock.requests().len(), before, "validation calls no API");
}

#[tokio::test]
async fn a_plan_lists_what_will_be_revoked_from_one_list_and_sends_nothing() {
    let mut p = session().await;
    let (account, cluster) = (
        p.mock.account_id().to_owned(),
        p.mock.cluster_id().to_owned(),
    );
    let a = seed_token(&p.mock, &account, &cluster, "leaked one").await;
    let b = seed_token(&p.mock, &account, &cluster, "leaked two").await;
    let before = p.mock.requests().len();
    let answer = p
        .client
        .plan_action(pb::plan_action::Request {
            action_type: ACTION.to_owned(),
            config: config(&[
                ("token_ids", ids(&[&a])),
                ("description_prefix", s("leaked")),
            ]),
            client_capabilities: None,
        })
        .await
        .expect("plan")
        .into_inner();
    assert!(errors(&answer.diagnostics).is_empty(), "{answer:?}");
    let shown = text(&answer.diagnostics);
    for phrase in [
        "Database Tokens Will Be Revoked",
        a.as_str(),
        b.as_str(),
        "\"leaked one\"",
        "permissions: none",
        "token_ids and the selector (description_prefix = \"leaked\")",
    ] {
        assert!(shown.contains(phrase), "{phrase:?} in {shown}");
    }
    let calls: Vec<_> = p.mock.requests()[before..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(calls.len(), 1, "one list: {calls:?}");
    assert!(calls[0].starts_with("GET ") && calls[0].ends_with("/tokens"));

    // Values unknown at plan (an action_trigger on a resource not created yet): a warning, no
    // call.
    let answer = p
        .client
        .plan_action(pb::plan_action::Request {
            action_type: ACTION.to_owned(),
            config: config(&[("token_ids", Value::Unknown)]),
            client_capabilities: None,
        })
        .await
        .expect("plan")
        .into_inner();
    assert!(text(&answer.diagnostics).contains("Known Only At Apply"));
    assert!(errors(&answer.diagnostics).is_empty());
    assert_eq!(p.mock.requests().len(), before + 1);
}

#[tokio::test]
async fn an_invocation_streams_a_progress_event_per_token_then_one_summary() {
    let mut p = session().await;
    let (account, cluster) = (
        p.mock.account_id().to_owned(),
        p.mock.cluster_id().to_owned(),
    );
    let a = seed_token(&p.mock, &account, &cluster, "leaked one").await;
    let b = seed_token(&p.mock, &account, &cluster, "leaked two").await;
    let events = invoke(&mut p.client, config(&[("token_ids", ids(&[&a, &b]))])).await;
    let lines = progress(&events);
    for id in [&a, &b] {
        assert!(
            lines
                .iter()
                .any(|l| l.contains("revoked token") && l.contains(id.as_str())),
            "{lines:?}"
        );
    }
    assert!(lines.iter().any(|l| l.starts_with("summary: 2 revoked")));
    let diags = completed(&events);
    assert!(errors(diags).is_empty(), "{diags:?}");
    assert!(text(diags).contains("Database Tokens Revoked"));
    assert_eq!(deletes(&p.mock), 2);
}

#[tokio::test]
async fn a_failed_guard_at_invoke_is_an_error_with_nothing_revoked() {
    let mut p = session().await;
    let (account, cluster) = (
        p.mock.account_id().to_owned(),
        p.mock.cluster_id().to_owned(),
    );
    let a = seed_token(&p.mock, &account, &cluster, "renamed since the plan").await;
    let events = invoke(
        &mut p.client,
        config(&[
            ("token_ids", ids(&[&a])),
            (
                "expect_description",
                Value::Map([(a.clone(), s("leaked one"))].into()),
            ),
        ]),
    )
    .await;
    let diags = completed(&events);
    let shown = text(diags);
    assert!(
        shown.contains("Token Description Does Not Match"),
        "{shown}"
    );
    assert!(shown.contains("Nothing Was Revoked"), "{shown}");
    assert_eq!(deletes(&p.mock), 0);

    // An unknown type is not routed at all.
    let status = p
        .client
        .invoke_action(pb::invoke_action::Request {
            action_type: "influxdb3_nothing".to_owned(),
            config: None,
            client_capabilities: None,
        })
        .await
        .expect_err("unknown type");
    assert_eq!(status.code(), tonic::Code::NotFound);
}

#[tokio::test]
async fn a_stop_during_an_invocation_finishes_the_revoke_under_way_and_names_the_rest() {
    let mut p = session().await;
    let (account, cluster) = (
        p.mock.account_id().to_owned(),
        p.mock.cluster_id().to_owned(),
    );
    let mut seeded = Vec::new();
    for n in 0..3 {
        seeded.push(seed_token(&p.mock, &account, &cluster, &format!("leaked {n}")).await);
    }
    let refs: Vec<&str> = seeded.iter().map(String::as_str).collect();
    // Each API call takes long enough for StopProvider to arrive while the first DELETE is
    // in flight.
    p.mock
        .configure(serde_json::json!({"latency_ms": 400}))
        .expect("latency");
    let mut other = p.client.clone();
    let mut stream = p
        .client
        .invoke_action(pb::invoke_action::Request {
            action_type: ACTION.to_owned(),
            config: config(&[("token_ids", ids(&refs))]),
            client_capabilities: None,
        })
        .await
        .expect("invoke")
        .into_inner();
    let first = stream
        .message()
        .await
        .expect("event")
        .expect("a first event");
    assert!(
        progress(std::slice::from_ref(&first))
            .first()
            .is_some_and(|m| m.starts_with("[1/3] revoking")),
        "{first:?}"
    );
    other
        .stop_provider(pb::stop_provider::Request {})
        .await
        .expect("stop");
    let mut events = vec![first];
    while let Some(event) = stream.message().await.expect("event") {
        events.push(event);
    }
    let shown = text(completed(&events));
    assert!(shown.contains("Database Tokens Partly Revoked"), "{shown}");
    let not_attempted = shown.split("NOT attempted").nth(1).unwrap_or_default();
    let revoked = shown.split("NOT attempted").next().unwrap_or_default();
    assert_eq!(deletes(&p.mock), 1);
    let first_revoked = seeded
        .iter()
        .filter(|id| revoked.contains(id.as_str()))
        .count();
    let skipped = seeded
        .iter()
        .filter(|id| not_attempted.contains(id.as_str()))
        .count();
    assert_eq!((first_revoked, skipped), (1, 2), "{shown}");
}
