//! The choice of tokens and the guards, on lists given by hand; the RPC and Terraform paths
//! are in tests/protocol/actions.rs and tests/acceptance/revoke_action.rs.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use time::macros::datetime;

use super::*;
use crate::api::{Permission, Secret};
use crate::framework::Declared;
use crate::model::context::Settings;

const A: &str = "11111111-1111-4111-8111-111111111111";
const B: &str = "22222222-2222-4222-8222-222222222222";
const C: &str = "33333333-3333-4333-8333-333333333333";
const D: &str = "44444444-4444-4444-8444-444444444444";

fn token(id: &str, description: &str, grants: &[(&str, &str)], day: u8) -> DatabaseToken {
    DatabaseToken {
        id: id.to_owned(),
        account_id: A.to_owned(),
        cluster_id: B.to_owned(),
        description: description.to_owned(),
        permissions: grants
            .iter()
            .map(|(a, r)| Permission::new(*a, *r))
            .collect(),
        created_at: datetime!(2026-12-01 00:00 UTC) + time::Duration::days(i64::from(day)),
        expires_at: None,
        revoked_at: None,
    }
}

fn cluster_tokens() -> Vec<DatabaseToken> {
    let mut revoked = token(D, "ci-old", &[("read", "telemetry")], 0);
    revoked.revoked_at = Some(datetime!(2026-12-02 00:00 UTC));
    vec![
        token(A, "ci-runner 1", &[("write", "telemetry")], 1),
        token(B, "ci-admin", &[("write", "*")], 2),
        token(C, "grafana", &[("read", "telemetry")], 3),
        revoked,
    ]
}

fn context(protected: &[&str], override_ids: &[&str]) -> ProviderContext {
    let set = |ids: &[&str]| ids.iter().map(|&s| s.to_owned()).collect::<BTreeSet<_>>();
    let settings = Settings {
        account_id: Some(A.to_owned()),
        cluster_id: Some(B.to_owned()),
        management_token: Some(Secret::new("mgmt")),
        endpoint: "http://127.0.0.1:1/api/v0".into(),
        request_timeout: Duration::from_secs(1),
        max_retries: 0,
        revoke_protected_token_ids: set(override_ids),
        protected_token_ids: set(protected),
    };
    ProviderContext::new(settings, "1.15.9", &mut Diagnostics::new()).expect("context")
}

fn request(ids: &[&str], selector: Option<Selector>) -> Request {
    Request {
        ids: ids.iter().map(|&s| s.to_owned()).collect(),
        expect: BTreeMap::new(),
        selector,
        max_tokens: 3,
    }
}

fn selector(database: Option<&str>, prefix: Option<&str>) -> Selector {
    Selector {
        database: database.map(str::to_owned),
        prefix: prefix.map(str::to_owned),
        created_before: None,
    }
}

fn chosen(selection: &Selection<'_>) -> Vec<String> {
    selection.revoke.iter().map(|t| t.id.clone()).collect()
}

fn summaries(diags: &Diagnostics) -> Vec<String> {
    diags.iter().map(|d| d.summary.clone()).collect()
}

#[test]
fn a_database_selects_exact_permissions_and_star_selects_only_wildcards() {
    let tokens = cluster_tokens();
    let ctx = context(&[], &[]);
    let mut diags = Diagnostics::new();
    let r = request(&[], Some(selector(Some("telemetry"), None)));
    let s = select(&r, &tokens, &ctx, &mut diags).expect("selected");
    // The revoked token matches the database but is not active; the wildcard one is not named.
    assert_eq!(chosen(&s), [A, C]);
    let r = request(&[], Some(selector(Some("*"), None)));
    let s = select(&r, &tokens, &ctx, &mut diags).expect("selected");
    assert_eq!(chosen(&s), [B]);
    let r = request(&[], Some(selector(Some("telemetry"), Some("ci-"))));
    let s = select(&r, &tokens, &ctx, &mut diags).expect("selected");
    assert_eq!(chosen(&s), [A]);
    let mut before = selector(None, None);
    before.created_before = Some(datetime!(2026-12-03 00:00 UTC));
    let s = select(&request(&[], Some(before)), &tokens, &ctx, &mut diags).expect("selected");
    assert_eq!(chosen(&s), [A]);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn ids_and_a_selector_are_joined_and_inactive_ids_are_reported_not_refused() {
    let tokens = cluster_tokens();
    let ctx = context(&[], &[]);
    let mut diags = Diagnostics::new();
    let unknown = "55555555-5555-4555-8555-555555555555";
    let r = request(&[C, D, unknown], Some(selector(None, Some("ci-runner"))));
    let s = select(&r, &tokens, &ctx, &mut diags).expect("selected");
    assert_eq!(chosen(&s), [A, C]);
    assert_eq!(s.inactive.len(), 2);
    s.report_inactive(&mut diags);
    let text = format!("{diags:?}");
    assert!(text.contains("revoked at 2026-12-02T00:00:00Z") && text.contains(unknown));
    assert!(!diags.has_errors());
}

#[test]
fn every_guard_refuses_the_whole_selection() {
    let tokens = cluster_tokens();
    let mut diags = Diagnostics::new();
    let mut r = request(&[A], None);
    r.expect.insert(A.to_owned(), "ci-runner one".to_owned());
    assert!(select(&r, &tokens, &context(&[], &[]), &mut diags).is_none());
    assert_eq!(summaries(&diags), ["Token Description Does Not Match"]);

    let mut diags = Diagnostics::new();
    let r = request(&[], Some(selector(Some("logs"), None)));
    assert!(select(&r, &tokens, &context(&[], &[]), &mut diags).is_none());
    assert_eq!(summaries(&diags), ["Selector Matches No Token"]);

    let mut diags = Diagnostics::new();
    let mut r = request(&[], Some(selector(None, None)));
    r.max_tokens = 2;
    assert!(select(&r, &tokens, &context(&[], &[]), &mut diags).is_none());
    assert_eq!(summaries(&diags), ["Selector Matches Too Many Tokens"]);
    assert!(format!("{diags:?}").contains("set max_tokens = 3"));

    let mut diags = Diagnostics::new();
    let r = request(&[A, B], None);
    assert!(select(&r, &tokens, &context(&[B], &[]), &mut diags).is_none());
    assert_eq!(summaries(&diags), ["Token Is Protected"]);

    // Named in revoke_protected_token_ids as well: the explicit way out.
    let mut diags = Diagnostics::new();
    let s = select(&r, &tokens, &context(&[B], &[B]), &mut diags).expect("allowed");
    assert_eq!(chosen(&s), [A, B]);
}

fn config(pairs: &[(&str, Value)]) -> Value {
    let Type::Object(attrs) = RevokeDatabaseTokens.schema().value_type() else {
        panic!("an object type");
    };
    let mut m: BTreeMap<String, Value> = attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    for (k, v) in pairs {
        m.insert((*k).to_owned(), v.clone());
    }
    Value::Object(m)
}

#[test]
fn a_known_configuration_reads_into_a_request_with_the_default_bound() {
    let cfg = config(&[
        (TOKEN_IDS, Value::Set(vec![A.to_uppercase().into()])),
        (DESCRIPTION_PREFIX, "ci-".into()),
    ]);
    let mut diags = Diagnostics::new();
    validate(&cfg, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    let r = Request::from_config(&cfg).expect("known");
    assert_eq!(r.ids, BTreeSet::from([A.to_owned()]));
    assert_eq!(r.max_tokens, 3);
    assert_eq!(
        r.chosen_by(),
        "token_ids and the selector (description_prefix = \"ci-\")"
    );
    assert!(Request::from_config(&config(&[(TOKEN_IDS, Value::Unknown)])).is_none());
}

#[test]
fn a_fractional_bound_and_a_guard_for_an_unnamed_id_are_refused() {
    let mut diags = Diagnostics::new();
    validate(
        &config(&[
            (TOKEN_IDS, Value::Set(vec![A.into()])),
            (
                EXPECT_DESCRIPTION,
                Value::Map(BTreeMap::from([(B.to_owned(), "x".into())])),
            ),
            (
                MAX_TOKENS,
                Value::Number(crate::value::Number::parse("2.5").expect("n")),
            ),
        ]),
        &mut diags,
    );
    assert_eq!(
        summaries(&diags),
        ["Guard For A Token Not Named", "Invalid Token Bound"]
    );
}

struct Stopped(Vec<String>);

impl ActionEvents for Stopped {
    fn progress(&mut self, message: String) {
        self.0.push(message);
    }
    fn stop_requested(&self) -> bool {
        true
    }
}

#[tokio::test]
async fn a_stop_before_a_token_leaves_it_untouched_and_named() {
    let ctx = context(&[], &[]);
    let mut diags = Diagnostics::new();
    let (client, cluster) = ctx.api(&mut diags).expect("api");
    let tokens = cluster_tokens();
    let mut events = Stopped(Vec::new());
    // The client points at a closed port: any call would fail, and none is made.
    let outcome = revoke_all(client, cluster, &[&tokens[0]], &mut events).await;
    assert_eq!(outcome.skipped.len(), 1);
    outcome.report(cluster, &mut events, &mut diags);
    let text = format!("{diags:?}");
    assert!(text.contains("Database Tokens Partly Revoked"), "{text}");
    assert!(text.contains("NOT attempted") && text.contains(A), "{text}");
}

#[test]
fn a_partial_failure_names_what_was_and_was_not_revoked() {
    let outcome = Outcome {
        done: vec![(A.to_owned(), "one".to_owned(), Done::Revoked)],
        failed: vec![(
            B.to_owned(),
            "two".to_owned(),
            "503 after 4 retries".to_owned(),
        )],
        skipped: Vec::new(),
        unconfirmed: vec![(C.to_owned(), "three".to_owned())],
    };
    let mut diags = Diagnostics::new();
    let mut events = Stopped(Vec::new());
    outcome.report(&Cluster::new(A, B), &mut events, &mut diags);
    let d = diags.iter().next().expect("one diagnostic");
    assert_eq!(d.summary, "Database Tokens Partly Revoked");
    let revoked = d.detail.find(A).expect("revoked named");
    let failed = d.detail.find(B).expect("failed named");
    assert!(revoked < failed && d.detail.contains("503 after 4 retries"));
    assert!(d.detail.contains(C));
    assert_eq!(
        events.0,
        ["summary: 1 revoked or already gone, 1 failed, 0 not attempted, 1 unconfirmed"]
    );
}
