//! `influxdb3_rotating_database_token` under real Terraform, with time moved by the test: the
//! provider takes "now" from `INFLUXDB3_TEST_ONLY_NOW` (test-only), and the mock never checks
//! expiry, so no test sleeps. Every step ends by checking that the tokens alive in the mock
//! are exactly the ones the state holds (no orphan, nothing lost).

use std::collections::BTreeSet;

use serde_json::{Value as Json, json};
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};
use time::{Duration, OffsetDateTime};

use super::policy_engines::judge;
use super::support::mock_checks::{is_revoked, mock_token, mock_tokens, out_of_band};
use super::support::{
    WorkDir, actions, required_providers, resource_change, state_resource, state_values,
    terraform_or_return, test_name,
};

const ADDR: &str = "influxdb3_rotating_database_token.t";
const NOW_ENV: &str = "INFLUXDB3_TEST_ONLY_NOW";

fn config(period: &str, overlap: &str, triggers: Option<&str>) -> String {
    let triggers = triggers
        .map(|t| format!("  rotation_triggers = {{ {t} }}\n"))
        .unwrap_or_default();
    format!(
        "{}\nresource \"influxdb3_rotating_database_token\" \"t\" {{\n  description = \
         \"ingest\"\n  permissions = [{{ action = \"write\", resource = \"sensors\" }}]\n  \
         rotation_period = \"{period}\"\n  overlap = \"{overlap}\"\n{triggers}}}\n",
        required_providers()
    )
}

/// A start instant in whole seconds, so instants in state compare as text.
fn t0() -> OffsetDateTime {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("zero nanoseconds")
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("format")
}

fn parse(text: &Json) -> OffsetDateTime {
    OffsetDateTime::parse(
        text.as_str().expect("a timestamp"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("RFC 3339")
}

fn setup(tf: &super::support::terraform::Terraform) -> (MockServer, WorkDir) {
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let mut wd = WorkDir::new(tf);
    wd.use_mock(&mock);
    (mock, wd)
}

/// A mock and a directory whose token `hcl` was created at a start instant in whole seconds (the
/// clock the provider reads from then on), and that token's id.
fn created(
    tf: &super::support::terraform::Terraform,
    hcl: &str,
) -> (MockServer, WorkDir, OffsetDateTime, String) {
    let (mock, mut wd) = setup(tf);
    let start = t0();
    at(&mut wd, start);
    wd.step(hcl);
    let id = text(&values(&wd), "id").expect("id");
    (mock, wd, start, id)
}

fn at(wd: &mut WorkDir, t: OffsetDateTime) {
    wd.set_env(NOW_ENV, &rfc3339(t));
}

fn values(wd: &WorkDir) -> Json {
    state_values(&wd.state_json(), ADDR).clone()
}

fn text(v: &Json, name: &str) -> Option<String> {
    v[name].as_str().map(str::to_owned)
}

fn live(mock: &MockServer) -> BTreeSet<String> {
    mock_tokens(mock)
        .into_iter()
        .filter(|t| t["revokedAt"].is_null())
        .filter_map(|t| t["id"].as_str().map(str::to_owned))
        .collect()
}

/// The tokens alive in the mock are exactly the current and previous ones of the state.
fn assert_no_orphan(mock: &MockServer, wd: &WorkDir) -> Json {
    let v = values(wd);
    let held: BTreeSet<String> = [text(&v, "id"), text(&v, "previous_id")]
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(live(mock), held, "live tokens vs state: {v:#}");
    v
}

/// Plan to a file (checking the plan printed `phrases`), apply it, then require empty plans.
fn rotate_step(wd: &WorkDir, phrases: &[&str]) -> Json {
    let out = wd
        .terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"])
        .success()
        .output();
    for p in phrases {
        assert!(out.contains(p), "plan lacks {p:?}:\n{out}");
    }
    let plan = wd.terraform_json(&["show", "-json", "tfplan"]);
    wd.register_access_tokens(&plan);
    wd.apply_plan().success();
    wd.assert_empty_plan(false);
    wd.assert_empty_plan(true);
    plan
}

#[test]
fn rotating_token_full_cycle_hands_over_then_revokes_the_previous_token() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    let start = t0();
    at(&mut wd, start);
    let plan = wd.step(&config("720h", "24h", None));
    assert_eq!(actions(&plan, ADDR), ["create"]);
    let change = &resource_change(&plan, ADDR)["change"];
    assert_eq!(
        change["after_sensitive"]["access_token"], true,
        "{change:#}"
    );
    let first = assert_no_orphan(&mock, &wd);
    let a = text(&first, "id").expect("id");
    assert!(first["previous_id"].is_null(), "{first:#}");
    assert_eq!(
        parse(&first["next_rotation_at"]),
        start + Duration::hours(720)
    );
    // Every token carries its own end: period + overlap + the documented 1h margin.
    let expiry = start + Duration::hours(720 + 24 + 1);
    assert_eq!(parse(&first["expires_at"]), expiry);
    assert_eq!(parse(&mock_token(&mock, &a)["expiresAt"]), expiry);

    at(&mut wd, start + Duration::hours(720) - Duration::seconds(1));
    wd.assert_empty_plan(true);

    // Due: a rotation, the old current becoming the previous token.
    let rotated = start + Duration::hours(720);
    at(&mut wd, rotated);
    let plan = rotate_step(&wd, &["Database Token Will Be Rotated"]);
    assert_eq!(actions(&plan, ADDR), ["update"]);
    let change = &resource_change(&plan, ADDR)["change"];
    assert_eq!(change["before"]["id"], a.as_str());
    assert_eq!(change["after_unknown"]["id"], true, "{change:#}");
    assert_eq!(change["after"]["previous_id"], a.as_str(), "{change:#}");
    let second = assert_no_orphan(&mock, &wd);
    let b = text(&second, "id").expect("id");
    assert_ne!(a, b);
    assert_eq!(text(&second, "previous_id").as_deref(), Some(a.as_str()));
    assert_eq!(
        parse(&second["previous_revoke_at"]),
        rotated + Duration::hours(24)
    );
    assert_ne!(second["access_token"], first["access_token"]);

    // The overlap: both tokens live, nothing planned.
    at(
        &mut wd,
        rotated + Duration::hours(24) - Duration::seconds(1),
    );
    wd.assert_empty_plan(true);

    // Its end: the previous token's revocation, with the token resource's warning.
    at(&mut wd, rotated + Duration::hours(24));
    let plan = rotate_step(&wd, &["Database Token Will Be Revoked", &a]);
    let change = &resource_change(&plan, ADDR)["change"];
    assert_eq!(change["before"]["previous_id"], a.as_str());
    assert!(change["after"]["previous_id"].is_null(), "{change:#}");
    assert_eq!(change["after"]["id"], b.as_str(), "no rotation: {change:#}");
    assert!(is_revoked(&mock, &a));
    assert_no_orphan(&mock, &wd);

    wd.destroy().success();
    assert!(is_revoked(&mock, &b));
    assert!(live(&mock).is_empty());
}

#[test]
fn rotating_token_triggers_rotate_and_destroy_revokes_both_tokens() {
    let tf = terraform_or_return!();
    let (mock, mut wd, start, a) = created(&tf, &config("720h", "24h", Some("v = \"1\"")));
    at(&mut wd, start + Duration::hours(1));
    wd.write_config(&config("720h", "24h", Some("v = \"2\"")));
    let plan = rotate_step(&wd, &["rotation_triggers changed"]);
    assert_eq!(actions(&plan, ADDR), ["update"]);
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(text(&v, "previous_id").as_deref(), Some(a.as_str()));
    let b = text(&v, "id").expect("id");

    // Destroy revokes the current and the previous token.
    wd.destroy().success();
    assert!(is_revoked(&mock, &a) && is_revoked(&mock, &b));
}

#[test]
fn rotating_token_expired_current_rotates_and_is_revoked_at_once() {
    let tf = terraform_or_return!();
    let (mock, mut wd, start, a) = created(&tf, &config("1h", "10m", None));
    // Past its own expiry (1h + 10m + 1h margin): nothing to hand over.
    at(&mut wd, start + Duration::hours(3));
    let plan = rotate_step(
        &wd,
        &[
            "Current Database Token Expired",
            "has expired",
            "Will Be Revoked",
        ],
    );
    let change = &resource_change(&plan, ADDR)["change"];
    assert!(change["after"]["previous_id"].is_null(), "{change:#}");
    assert!(is_revoked(&mock, &a));
    let v = assert_no_orphan(&mock, &wd);
    assert!(v["previous_id"].is_null());
    wd.destroy().success();
}

#[test]
fn rotating_token_drift_of_each_token_is_seen_by_the_refresh() {
    let tf = terraform_or_return!();
    let (mock, mut wd, start, a) = created(&tf, &config("720h", "24h", None));

    // The current token revoked outside Terraform: a rotation at once, nothing handed over.
    assert_eq!(out_of_band(&mock, "DELETE", &a, None), 204);
    let plan = rotate_step(&wd, &["Current Database Token Gone", "rotates at once"]);
    let change = &resource_change(&plan, ADDR)["change"];
    assert!(change["after"]["previous_id"].is_null(), "{change:#}");
    let b = text(&assert_no_orphan(&mock, &wd), "id").expect("id");
    assert_ne!(a, b);

    // Rotate, then revoke the previous token outside Terraform during the overlap: the
    // refresh drops it, and nothing else is planned.
    at(&mut wd, start + Duration::hours(720));
    rotate_step(&wd, &[]);
    let c = text(&values(&wd), "id").expect("id");
    assert_eq!(out_of_band(&mock, "DELETE", &b, None), 204);
    let out = wd
        .terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success()
        .output();
    assert!(out.contains("Previous Database Token Gone"), "{out}");
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(text(&v, "id").as_deref(), Some(c.as_str()));
    assert!(v["previous_id"].is_null(), "{v:#}");
    wd.assert_empty_plan(true);
    wd.destroy().success();
}

#[test]
fn rotating_token_failed_create_or_revoke_mid_rotation_converges_without_orphans() {
    let tf = terraform_or_return!();
    let (mock, mut wd, start, a) = created(&tf, &config("720h", "24h", None));

    // A create refused mid-rotation: the current token stays, nothing is orphaned, and the
    // next apply rotates.
    at(&mut wd, start + Duration::hours(720));
    mock.configure(json!({"faults": [{"method": "POST", "status": 403}]}))
        .expect("configure");
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching("Rotation Not Finished");
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(text(&v, "id").as_deref(), Some(a.as_str()));
    mock.configure(json!({"faults": []})).expect("configure");
    rotate_step(&wd, &["Will Be Rotated"]);
    let v = assert_no_orphan(&mock, &wd);
    let b = text(&v, "id").expect("id");
    assert_eq!(text(&v, "previous_id").as_deref(), Some(a.as_str()));

    // A revoke refused when the next rotation drops the previous token: nothing is created,
    // both tokens stay in state, and the next apply converges.
    at(&mut wd, start + Duration::hours(721));
    wd.write_config(&config("720h", "24h", Some("v = \"2\"")));
    mock.configure(json!({"faults": [{"method": "DELETE", "status": 403}]}))
        .expect("configure");
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching("Cannot Revoke Database Token");
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(text(&v, "id").as_deref(), Some(b.as_str()));
    assert_eq!(text(&v, "previous_id").as_deref(), Some(a.as_str()));
    mock.configure(json!({"faults": []})).expect("configure");
    rotate_step(&wd, &["Before Its Time"]);
    assert!(is_revoked(&mock, &a));
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(text(&v, "previous_id").as_deref(), Some(b.as_str()));

    // A create whose answer is lost after it committed: the token it made (whose secret
    // reached nobody) is found by its receipt and revoked, and the rotation completes.
    at(&mut wd, start + Duration::hours(1500));
    let before = mock_tokens(&mock).len();
    mock.configure(json!({"drop_response_after_commit": {"method": "POST", "count": 1}}))
        .expect("configure");
    rotate_step(&wd, &["Will Be Rotated"]);
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(
        mock_tokens(&mock).len(),
        before + 2,
        "the lost create's token and the new current one"
    );
    assert!(v["access_token"].as_str().is_some_and(|s| !s.is_empty()));
    wd.destroy().success();
    assert!(live(&mock).is_empty());
}

/// The example policy, judged by regorus and the real OPA engine: the rotation and the
/// scheduled revocation of the previous token pass (the latter with a warning), while the same
/// revocation before its time, and the resource's destroy, are denied.
#[test]
fn rotating_token_policy_allows_only_the_scheduled_revocation() {
    let tf = terraform_or_return!();
    let test = test_name!();
    let (_mock, mut wd) = setup(&tf);
    // Time runs in the past here, up to the real now, so that the instants in state and the
    // plan's own timestamp (which the policy compares them with) agree.
    let now = t0();
    let start = now - Duration::hours(100);
    at(&mut wd, start);
    wd.step(&config("72h", "24h", None));
    at(&mut wd, start + Duration::hours(72));
    let rotation = rotate_step(&wd, &["Will Be Rotated"]);
    let verdict = judge(test, &rotation);
    assert_eq!(verdict.deny, Vec::<String>::new(), "rotation: {verdict:#?}");

    // previous_revoke_at (now - 4h) has passed: the scheduled revocation.
    at(&mut wd, now);
    let plan = wd.plan_json();
    let change = &resource_change(&plan, ADDR)["change"];
    assert!(change["after"]["previous_id"].is_null(), "{change:#}");
    let verdict = judge(test, &plan);
    assert_eq!(verdict.deny, Vec::<String>::new(), "{verdict:#?}");
    assert_eq!(verdict.warn.len(), 1, "{verdict:#?}");
    assert!(
        verdict.warn[0].contains("revokes the previous token"),
        "{verdict:#?}"
    );

    // The same update before its previous_revoke_at is no scheduled revocation.
    let mut early = plan.clone();
    let later = rfc3339(now + Duration::hours(1000));
    for rc in early["resource_changes"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        if rc["address"] == ADDR {
            rc["change"]["before"]["previous_revoke_at"] = Json::String(later.clone());
        }
    }
    let verdict = judge(test, &early);
    assert_eq!(
        verdict.denied("before its previous_revoke_at").len(),
        1,
        "{verdict:#?}"
    );
    wd.apply_plan().success();

    // Destroying the resource revokes its tokens: denied like any token's destroy.
    wd.terraform(&[
        "plan",
        "-destroy",
        "-no-color",
        "-input=false",
        "-out=tfplan",
    ])
    .success();
    let destroy = wd.terraform_json(&["show", "-json", "tfplan"]);
    wd.register_access_tokens(&destroy);
    let verdict = judge(test, &destroy);
    assert_eq!(
        verdict.denied("revokes the token \"ingest\"").len(),
        1,
        "{verdict:#?}"
    );
    wd.destroy().success();
}

/// Deletion protection refuses the destroy, not the revocation the schedule planned.
#[test]
fn rotating_token_protection_refuses_destroy_but_not_the_scheduled_revocation() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    let protected = |on: bool| {
        config("720h", "24h", None).replace(
            "  overlap = \"24h\"\n",
            &format!("  overlap = \"24h\"\n  deletion_protection = {on}\n"),
        )
    };
    let start = t0();
    at(&mut wd, start);
    wd.step(&protected(true));
    let a = text(&values(&wd), "id").expect("id");
    at(&mut wd, start + Duration::hours(720));
    rotate_step(&wd, &["Will Be Rotated"]);
    at(&mut wd, start + Duration::hours(744));
    rotate_step(&wd, &["Database Token Will Be Revoked"]);
    assert!(is_revoked(&mock, &a));
    let b = text(&assert_no_orphan(&mock, &wd), "id").expect("id");

    wd.destroy().failure_matching("Database Token Is Protected");
    assert!(!is_revoked(&mock, &b));
    wd.step(&protected(false));
    wd.destroy().success();
    assert!(is_revoked(&mock, &b));
}

/// A schedule the provider cannot follow fails `terraform validate`, naming the attribute.
#[test]
fn rotating_token_schedule_errors_name_their_attribute() {
    let tf = terraform_or_return!();
    let (_mock, wd) = setup(&tf);
    for (period, overlap, pattern) in [
        (
            "24h",
            "24h",
            "overlap \\(24h\\) must be shorter than rotation_period",
        ),
        ("30d", "1h", "rotation_period \"30d\" has an unknown unit"),
        ("24h", "soon", "overlap \"soon\" is not a duration"),
    ] {
        wd.write_config(&config(period, overlap, None));
        wd.terraform(&["validate", "-no-color"])
            .failure_matching(pattern);
    }
}

/// A rotation whose create committed but lost its answer, and whose token then could not be
/// revoked: that token (its secret reached nobody) is kept as the previous token, due at once,
/// and the next apply revokes it and rotates.
#[test]
fn rotating_token_create_lost_and_unrevocable_is_kept_then_revoked() {
    let tf = terraform_or_return!();
    let (mock, mut wd, start, a) = created(&tf, &config("720h", "24h", None));

    at(&mut wd, start + Duration::hours(720));
    mock.configure(json!({
        "drop_response_after_commit": {"method": "POST", "count": 1},
        "faults": [{"method": "DELETE", "status": 403}],
    }))
    .expect("configure");
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching("Rotation Not Finished");
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(text(&v, "id").as_deref(), Some(a.as_str()));
    let lost = text(&v, "previous_id").expect("the lost create's token is kept");
    assert_ne!(lost, a);

    mock.configure(json!({"faults": []})).expect("configure");
    rotate_step(
        &wd,
        &["Will Be Rotated", "Database Token Will Be Revoked", &lost],
    );
    assert!(is_revoked(&mock, &lost));
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(text(&v, "previous_id").as_deref(), Some(a.as_str()));
    wd.destroy().success();
    assert!(live(&mock).is_empty());
}

/// A create whose answer is lost after the commit, while every list names each token twice, so
/// no list can show or rule out what it made. Only the receipt the create carried knows.
fn lose_the_create_and_the_lists(mock: &MockServer) {
    mock.configure(json!({
        "drop_response_after_commit": {"method": "POST", "rate": 1.0, "count": 1},
        "lies": ["list_repeats_ids"],
    }))
    .expect("configure");
}

fn is_placeholder(id: Option<&str>) -> bool {
    id.is_some_and(|id| id.starts_with("unsettled-create:"))
}

/// The first create's outcome cannot be known: the state keeps a tainted placeholder naming the
/// create's receipt, never a guess, and the token it made stays alive. Once the lists tell the
/// truth, the next apply revokes exactly the token carrying that receipt and creates the token.
#[test]
fn rotating_token_first_create_with_an_unknown_outcome_is_settled_by_the_next_apply() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    at(&mut wd, t0());
    lose_the_create_and_the_lists(&mock);
    wd.write_config(&config("720h", "24h", None));
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching("tf-receipt:");
    let state = wd.state_json();
    let entry = state_resource(&state, ADDR).expect("a placeholder is in state");
    assert_eq!(entry["tainted"], true, "{entry:#}");
    assert!(is_placeholder(entry["values"]["id"].as_str()), "{entry:#}");
    let made = live(&mock);
    assert_eq!(made.len(), 1, "the create did make a token");

    mock.configure(json!({"lies": []})).expect("configure");
    let plan = wd.plan_json();
    assert_eq!(actions(&plan, ADDR), ["delete", "create"]);
    wd.apply_plan().success();
    for id in &made {
        assert!(
            is_revoked(&mock, id),
            "the unsettled create's token {id} is revoked"
        );
    }
    let v = assert_no_orphan(&mock, &wd);
    assert!(!is_placeholder(v["id"].as_str()), "{v:#}");
    assert_eq!(live(&mock).len(), 1);
    wd.assert_empty_plan(true);
}

/// A rotation whose create has an unknown outcome: the current token stays current and a
/// placeholder for what the create may have made takes the previous slot, due at once. The next
/// apply revokes the token carrying the receipt, then rotates.
#[test]
fn rotating_token_rotation_with_an_unknown_outcome_keeps_a_placeholder_then_settles_it() {
    let tf = terraform_or_return!();
    let (mock, mut wd, start, a) = created(&tf, &config("720h", "24h", None));

    at(&mut wd, start + Duration::hours(720));
    lose_the_create_and_the_lists(&mock);
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching("Rotation Not Finished");
    let v = values(&wd);
    assert_eq!(text(&v, "id").as_deref(), Some(a.as_str()), "{v:#}");
    assert!(is_placeholder(v["previous_id"].as_str()), "{v:#}");
    let made: Vec<String> = live(&mock).into_iter().filter(|id| *id != a).collect();
    assert_eq!(made.len(), 1, "the rotation's create did make a token");

    mock.configure(json!({"lies": []})).expect("configure");
    rotate_step(&wd, &["Will Be Rotated"]);
    assert!(
        is_revoked(&mock, &made[0]),
        "the unsettled create's token is revoked"
    );
    let v = assert_no_orphan(&mock, &wd);
    assert_eq!(
        text(&v, "previous_id").as_deref(),
        Some(a.as_str()),
        "{v:#}"
    );
    wd.destroy().success();
    assert!(live(&mock).is_empty());
}

/// The rotation route for a protected production token (issue: the replace route is refused
/// by its protection and denied by the policy): a rotating token described as production keeps
/// `deletion_protection = true`, rotates, and drops its previous token on schedule, and the
/// shipped policy denies none of it, while it still denies turning the protection off.
#[test]
fn a_protected_production_rotating_token_rotates_under_the_shipped_policy() {
    let tf = terraform_or_return!();
    let test = test_name!();
    let (mock, mut wd) = setup(&tf);
    let production = |protected: bool| {
        config("72h", "24h", None).replace(
            "description = \"ingest\"",
            &format!("description = \"prod ingest\"\n  deletion_protection = {protected}"),
        )
    };
    let now = t0();
    let start = now - Duration::hours(100);
    at(&mut wd, start);
    let created = wd.step(&production(true));
    assert_eq!(judge(test, &created).deny, Vec::<String>::new());

    at(&mut wd, start + Duration::hours(72));
    let rotation = rotate_step(&wd, &["Will Be Rotated"]);
    let verdict = judge(test, &rotation);
    assert_eq!(verdict.deny, Vec::<String>::new(), "rotation: {verdict:#?}");
    assert_eq!(live(&mock).len(), 2, "the hand-over keeps both tokens");

    at(&mut wd, now);
    let revocation = rotate_step(&wd, &[]);
    let verdict = judge(test, &revocation);
    assert_eq!(verdict.deny, Vec::<String>::new(), "{verdict:#?}");
    assert_no_orphan(&mock, &wd);
    assert_eq!(live(&mock).len(), 1);

    wd.write_config(&production(false));
    let unprotect = wd.plan_json();
    let verdict = judge(test, &unprotect);
    assert_eq!(
        verdict.denied("must keep deletion_protection").len(),
        1,
        "{verdict:#?}"
    );
}
