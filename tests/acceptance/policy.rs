//! The reviewer's checklist of `examples/policy/README.md`, one test per item, over real plan
//! JSON that Terraform makes with this provider against the mock. The fixtures are generated
//! afresh on every run (nothing committed), and every verdict comes from both regorus and the
//! real OPA engine, which must agree (see `policy_engines.rs`).
//!
//! Routes that need a newer Terraform than the one under test (`removed` blocks: 1.7;
//! `terraform_data`, used as the replace trigger: 1.4) are skipped with a printed reason.

use serde_json::Value as Json;
use std::collections::BTreeSet;

use super::database_token::{setup, state_id};
use super::policy_engines::{Verdict, checkov_failures, checkov_log, judge, opa_gate_passes};
use super::support::mock_checks::is_revoked;
use super::support::seed::Seed;
use super::support::terraform::{Feature, Terraform, reference_terraform};
use super::support::{WorkDir, actions, required_providers, resource_change};
use super::support::{terraform_or_return, test_name};

const ADDR: &str = "influxdb3_database_token.t";

/// An RFC 3339 time `days` from now, whole seconds.
fn in_days(days: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    t.replace_nanosecond(0)
        .expect("zero nanoseconds")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format")
}

/// A configuration with token `t` (attribute lines `body`, lifecycle lines `lifecycle`) and,
/// when `trigger` is given, a `terraform_data.trigger` with that input.
fn config(body: &str, lifecycle: &str, trigger: Option<&str>) -> String {
    let mut hcl = required_providers();
    if let Some(input) = trigger {
        hcl.push_str(&format!(
            "resource \"terraform_data\" \"trigger\" {{\n  input = \"{input}\"\n}}\n"
        ));
    }
    hcl.push_str(&format!(
        "resource \"influxdb3_database_token\" \"t\" {{\n{body}\n  lifecycle {{\n{lifecycle}\n  }}\n}}\n"
    ));
    hcl
}

/// With Terraform 1.4+ (which has `terraform_data`): the trigger's first input and the
/// lifecycle line that replaces token `t` when the trigger changes; else nothing.
fn trigger(tf: &Terraform) -> (Option<&'static str>, &'static str) {
    if tf.at_least(1, 4) {
        (
            Some("one"),
            "    replace_triggered_by = [terraform_data.trigger]",
        )
    } else {
        (None, "")
    }
}

/// `terraform plan -out=tfplan ARGS` and its JSON.
fn plan_with(wd: &WorkDir, args: &[&str]) -> Json {
    plan_output(wd, args).1
}

/// `terraform plan -out=tfplan ARGS`: what it printed, and the plan's JSON.
fn plan_output(wd: &WorkDir, args: &[&str]) -> (String, Json) {
    let mut all = vec!["plan", "-no-color", "-input=false", "-out=tfplan"];
    all.extend_from_slice(args);
    let printed = wd.terraform(&all).success().output();
    let plan = wd.terraform_json(&["show", "-json", "tfplan"]);
    wd.register_access_tokens(&plan);
    (printed, plan)
}

fn action_reason(plan: &Json) -> String {
    resource_change(plan, ADDR)["action_reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// One plan per way a plan can revoke token `t` (applied as `token_body(description,
/// expires)`), each checked to really take that route. Leaves that configuration on disk.
fn revoke_routes(
    tf: &Terraform,
    wd: &WorkDir,
    description: &str,
    expires: &str,
) -> Vec<(&'static str, Json)> {
    let body = &token_body(description, expires);
    let later = &token_body(description, &in_days(20));
    let (trigger, triggered) = trigger(tf);
    let base = config(body, triggered, trigger);
    let mut routes = Vec::new();

    wd.write_config(&base);
    routes.push(("destroy", plan_with(wd, &["-destroy"])));
    routes.push(("-replace", plan_with(wd, &[&format!("-replace={ADDR}")])));
    assert_eq!(action_reason(&routes[1].1), "replace_by_request");

    wd.write_config(&config(later, triggered, trigger));
    routes.push(("expires_at change", plan_with(wd, &[])));
    assert_eq!(action_reason(&routes[2].1), "replace_because_cannot_update");

    wd.write_config(&config(
        later,
        &format!("    create_before_destroy = true\n{triggered}"),
        trigger,
    ));
    routes.push(("create_before_destroy", plan_with(wd, &[])));
    assert_eq!(actions(&routes[3].1, ADDR), ["create", "delete"]);

    let mut rest = required_providers();
    if let Some(input) = trigger {
        rest.push_str(&format!(
            "resource \"terraform_data\" \"trigger\" {{\n  input = \"{input}\"\n}}\n"
        ));
    }
    wd.write_config(&rest);
    routes.push(("block deleted", plan_with(wd, &[])));

    if trigger.is_some() {
        wd.write_config(&config(body, triggered, Some("two")));
        let plan = plan_with(wd, &[]);
        assert_eq!(action_reason(&plan), "replace_by_triggers");
        routes.push(("replace_triggered_by", plan));
    } else {
        eprintln!(
            "SKIPPED route replace_triggered_by: Terraform {} has no terraform_data (1.4+)",
            tf.version_string()
        );
    }
    if tf.at_least(1, 7) {
        wd.write_config(&format!(
            "{rest}removed {{\n  from = {ADDR}\n  lifecycle {{\n    destroy = true\n  }}\n}}\n"
        ));
        routes.push(("removed, destroy = true", plan_with(wd, &[])));
    } else {
        eprintln!(
            "SKIPPED route removed {{ destroy = true }}: Terraform {} has no removed blocks (1.7+)",
            tf.version_string()
        );
    }
    for (route, plan) in &routes {
        assert!(
            actions(plan, ADDR).iter().any(|a| a == "delete"),
            "{route}: the fixture does not revoke:\n{plan:#}"
        );
    }
    wd.write_config(&base);
    routes
}

/// A token that may read `sensors`, with `description` and `expires_at = expires`.
fn token_body(description: &str, expires: &str) -> String {
    format!(
        "  description = \"{description}\"\n  permissions = [{{ action = \"read\", resource = \"sensors\" }}]\n  expires_at = \"{expires}\""
    )
}

#[test]
fn every_revoke_route_is_denied_until_the_token_carries_the_retire_marker() {
    let test = test_name!();
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let (trigger, _) = trigger(&tf);
    let expires = in_days(10);
    wd.step(&config(&token_body("ingest", &expires), "", trigger));
    for (route, plan) in revoke_routes(&tf, &wd, "ingest", &expires) {
        let verdict = judge(test, &plan);
        let revokes = verdict.denied("revokes the token \"ingest\"");
        assert_eq!(revokes.len(), 1, "{route}: {verdict:#?}");
        assert!(
            revokes[0].contains("Add \"[retire]\""),
            "{route}: {verdict:#?}"
        );
        if route == "destroy" {
            // What the guide says plan JSON holds: the access token in clear, before and in
            // prior_state; no management token given through the environment.
            let secret = resource_change(&plan, ADDR)["change"]["before"]["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(!secret.is_empty(), "{plan:#}");
            assert!(plan["prior_state"].to_string().contains(&secret));
            assert!(!plan.to_string().contains(mock.management_token()));
            if let Some(failed) = checkov_failures(test, &wd, &plan) {
                assert_eq!(failed, ["CKV_IFX3_1".to_owned()].into(), "{route}");
            }
            if let Some(passes) = opa_gate_passes(test, &wd, &plan) {
                assert!(!passes, "{route}: the opa gate lets a denied plan through");
            }
            // The documented command fails, names the token and keeps its secret out of the log.
            if let Some((passed, log)) = checkov_log(test, &wd, &plan) {
                assert!(!passed, "{log}");
                assert!(log.contains("CKV_IFX3_1: \"Plan revokes"), "{log}");
                assert!(log.contains(ADDR), "the failure names the token: {log}");
                assert!(
                    !log.contains(&secret),
                    "the access token is in the log: {log}"
                );
            }
        }
    }

    wd.step(&config(
        &token_body("ingest [retire]", &expires),
        "",
        trigger,
    ));
    for (route, plan) in revoke_routes(&tf, &wd, "ingest [retire]", &expires) {
        let verdict = judge(test, &plan);
        assert_eq!(verdict.deny, Vec::<String>::new(), "{route}");
        // The opa gate passes it, and checkov agrees with the Rego policy on a marked token.
        if route == "destroy" {
            if let Some(passes) = opa_gate_passes(test, &wd, &plan) {
                assert!(passes, "{route}: the opa gate stops an allowed plan");
            }
            if let Some(failed) = checkov_failures(test, &wd, &plan) {
                assert_eq!(failed, BTreeSet::new(), "{route}");
            }
        }
    }
}

#[test]
fn a_forget_is_not_a_revoke() {
    let test = test_name!();
    let tf = terraform_or_return!();
    if !tf.at_least(1, 7) {
        eprintln!(
            "SKIPPED {test}: Terraform {} has no removed blocks (1.7+)",
            tf.version_string()
        );
        return;
    }
    let (_mock, wd) = setup(&tf);
    wd.step(&config(&token_body("ingest", &in_days(10)), "", None));
    wd.write_config(&format!(
        "{}removed {{\n  from = {ADDR}\n  lifecycle {{\n    destroy = false\n  }}\n}}\n",
        required_providers()
    ));
    let plan = plan_with(&wd, &[]);
    assert_eq!(actions(&plan, ADDR), ["forget"]);
    let verdict = judge(test, &plan);
    assert_eq!(verdict.deny, Vec::<String>::new());
}

/// A create whose outcome could not be told leaves a tainted placeholder (issue 24); the plan
/// that settles it replaces the placeholder, which must pass the gate even for a protected
/// production token, since it revokes only a token nobody ever held the secret of.
#[test]
fn settling_an_unsettled_create_is_no_revoke_for_the_gate() {
    let test = test_name!();
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    mock.configure(serde_json::json!({
        "drop_response_after_commit": { "method": "POST", "rate": 1.0, "count": 1 },
        "lies": ["list_repeats_ids"],
    }))
    .expect("configure the mock");
    wd.write_config(&config(
        &format!(
            "{}\n  deletion_protection = true",
            token_body("prod ingest", &in_days(10))
        ),
        "",
        None,
    ));
    let out = wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    assert_ne!(out.code, 0, "the create's outcome stays unknown:\n{out}");
    mock.configure(serde_json::json!({ "lies": [] }))
        .expect("configure the mock");
    let plan = plan_with(&wd, &[]);
    assert_eq!(actions(&plan, ADDR), ["delete", "create"]);
    let before = &resource_change(&plan, ADDR)["change"]["before"];
    assert!(
        before["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("unsettled-create:")),
        "{before}"
    );
    let verdict = judge(test, &plan);
    assert_eq!(verdict.deny, Vec::<String>::new());
    assert_eq!(verdict.warn.len(), 1, "{verdict:?}");
    assert!(verdict.warn[0].contains("settles a create"), "{verdict:?}");
    if let Some(failed) = checkov_failures(test, &wd, &plan) {
        assert!(!failed.contains("CKV_IFX3_1"), "{failed:?}");
    }
    wd.apply_plan().success();
    assert_eq!(super::support::invariants::assert_agreement(&wd, &mock), 1);
}

#[test]
fn a_protected_token_is_denied_on_routes_that_never_ask_the_provider() {
    let test = test_name!();
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let (trigger, triggered) = trigger(&tf);
    let body = format!(
        "{}\n  deletion_protection = true",
        token_body("ingest [retire]", &in_days(10))
    );
    wd.step(&config(&body, triggered, trigger));

    // The provider refuses a destroy plan itself (Terraform 1.3+ asks it to plan destroys), and
    // the create half of a -replace or replace_triggered_by replacement, whose plan carries the
    // old object in its private data...
    let mut refused = vec![(
        "-replace",
        wd.terraform(&[
            "plan",
            "-no-color",
            "-input=false",
            &format!("-replace={ADDR}"),
        ]),
    )];
    if tf.at_least(1, 3) {
        refused.push((
            "-destroy",
            wd.terraform(&["plan", "-no-color", "-input=false", "-destroy"]),
        ));
    }
    if trigger.is_some() {
        wd.write_config(&config(&body, triggered, Some("two")));
        refused.push((
            "replace_triggered_by",
            wd.terraform(&["plan", "-no-color", "-input=false"]),
        ));
        wd.write_config(&config(&body, triggered, trigger));
    }
    for (route, out) in refused {
        assert_ne!(out.code, 0, "{route}: {out}");
        assert!(
            out.output().contains("Database Token Is Protected"),
            "{route}: {out}"
        );
    }
    // ...but a tainted token's replacement is planned without anything that names the old
    // object: the plan succeeds with no warning, and only the policy stops it.
    wd.terraform(&["taint", "-no-color", ADDR]).success();
    let (printed, plan) = plan_output(&wd, &[]);
    assert!(!printed.contains("Database Token"), "taint: {printed}");
    let verdict = judge(test, &plan);
    let denied = verdict.denied("whose deletion_protection is true");
    assert_eq!(denied.len(), 1, "taint: {verdict:#?}");
    assert_eq!(verdict.deny.len(), 1, "taint: {verdict:#?}");
    // Applied anyway, such a plan stops at the revoke, which the provider refuses.
    let id = state_id(&wd);
    wd.apply_plan()
        .failure_matching("Database Token Is Protected");
    assert!(!is_revoked(&mock, &id), "the protected token was revoked");
}

/// The deny messages for a new token `t` with attribute lines `body`.
fn create_verdict(test: &str, wd: &WorkDir, body: &str) -> Verdict {
    wd.write_config(&config(body, "", None));
    let plan = plan_with(wd, &[]);
    assert_eq!(actions(&plan, ADDR), ["create"]);
    judge(test, &plan)
}

#[test]
fn expiry_that_is_unbounded_unknown_or_unparseable_is_denied() {
    let test = test_name!();
    let tf = terraform_or_return!();
    let (_mock, wd) = setup(&tf);
    let body = |expires: &str| format!("  description = \"metrics\"\n  expires_at = {expires}");

    let ok = create_verdict(test, &wd, &body(&format!("\"{}\"", in_days(30))));
    assert_eq!(ok.deny, Vec::<String>::new());
    assert_eq!(ok.warn, Vec::<String>::new());

    let cases = [
        (format!("\"{}\"", in_days(400)), "more than 90 days away"),
        ("null".to_owned(), "expires_at is not set"),
        (
            "timeadd(timestamp(), \"87600h\")".to_owned(),
            "expires_at is unknown until apply",
        ),
        (
            "\"9999-12-31T23:59:59Z\"".to_owned(),
            "is not a timestamp this policy can check",
        ),
        (
            "\"2030-01-01t00:00:00z\"".to_owned(),
            "is not a timestamp this policy can check",
        ),
    ];
    for (expires, phrase) in cases {
        let verdict = create_verdict(test, &wd, &body(&expires));
        assert_eq!(verdict.deny.len(), 1, "{expires}: {verdict:#?}");
        assert!(verdict.deny[0].contains(phrase), "{expires}: {verdict:#?}");
    }

    // The rotation marker turns an unknown expiry into a warning for the reviewer.
    let rotated = create_verdict(
        test,
        &wd,
        "  description = \"metrics [rotate]\"\n  expires_at = timeadd(timestamp(), \"1080h\")",
    );
    assert_eq!(rotated.deny, Vec::<String>::new());
    assert_eq!(rotated.warn.len(), 1, "{rotated:#?}");
    assert!(rotated.warn[0].contains("accepted because the description carries \"[rotate]\""));
}

#[test]
fn wildcard_write_and_unprotected_production_are_denied() {
    let test = test_name!();
    let tf = terraform_or_return!();
    let (_mock, wd) = setup(&tf);
    let verdict = create_verdict(
        test,
        &wd,
        &format!(
            "  description = \"prod ingest\"\n  permissions = [{{ action = \"write\", resource = \"*\" }}]\n  expires_at = \"{}\"",
            in_days(30)
        ),
    );
    assert_eq!(verdict.deny.len(), 2, "{verdict:#?}");
    assert_eq!(verdict.denied("write permission on \"*\"").len(), 1);
    assert_eq!(verdict.denied("must keep deletion_protection").len(), 1);
    let plan = plan_with(&wd, &[]);
    if let Some(failed) = checkov_failures(test, &wd, &plan) {
        assert_eq!(failed, ["CKV_IFX3_2".to_owned()].into());
    }
}

#[test]
fn renaming_and_unprotecting_is_denied_and_a_benign_update_passes() {
    let test = test_name!();
    let tf = terraform_or_return!();
    let (_mock, wd) = setup(&tf);
    let expires = in_days(10);
    let body = |description: &str, protection: bool, resource: &str| {
        format!(
            "  description = \"{description}\"\n  permissions = [{{ action = \"read\", resource = \"{resource}\" }}]\n  expires_at = \"{expires}\"\n  deletion_protection = {protection}"
        )
    };
    wd.step(&config(&body("prod ingest", true, "sensors"), "", None));

    let update = |description: &str, protection: bool, resource: &str| {
        wd.write_config(&config(&body(description, protection, resource), "", None));
        let plan = plan_with(&wd, &[]);
        assert_eq!(actions(&plan, ADDR), ["update"]);
        (judge(test, &plan), plan)
    };

    let (renamed, _) = update("ingest", false, "sensors");
    assert_eq!(renamed.deny.len(), 1, "{renamed:#?}");
    assert!(renamed.deny[0].contains("(before: \"prod ingest\") must keep deletion_protection"));

    let (benign, plan) = update("prod ingest", true, "metrics");
    assert_eq!(benign.deny, Vec::<String>::new());
    assert_eq!(benign.warn, Vec::<String>::new());
    if let Some(failed) = checkov_failures(test, &wd, &plan) {
        assert!(failed.is_empty(), "{failed:?}");
    }

    let (retiring, _) = update("prod ingest [retire]", false, "sensors");
    assert_eq!(retiring.deny, Vec::<String>::new());
}

#[test]
fn a_management_token_written_in_the_provider_block_is_in_plan_json() {
    let _test = test_name!();
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    wd.write_config(&format!(
        "{}provider \"influxdb3\" {{\n  management_token = \"{}\"\n}}\n",
        config(&token_body("ingest", &in_days(10)), "", None),
        mock.management_token()
    ));
    let plan = plan_with(&wd, &[]);
    assert!(
        plan["configuration"]["provider_config"]["influxdb3"]
            .to_string()
            .contains(mock.management_token()),
        "the guide says a literal management token is in plan JSON's configuration"
    );
}

/// The verdict of every revoke route and of a risky create, as `tf` plans them against a mock
/// of its own.
fn verdicts_of(test: &str, tf: &Terraform) -> Vec<(String, Verdict)> {
    let (_mock, wd) = setup(tf);
    let (trigger, _) = trigger(tf);
    let expires = in_days(10);
    wd.step(&config(&token_body("ingest", &expires), "", trigger));
    let mut verdicts: Vec<(String, Verdict)> = revoke_routes(tf, &wd, "ingest", &expires)
        .into_iter()
        .map(|(route, plan)| (route.to_owned(), judge(test, &plan)))
        .collect();
    let risky =
        "  description = \"wide\"\n  permissions = [{ action = \"write\", resource = \"*\" }]";
    let (_fresh_mock, fresh) = setup(tf);
    verdicts.push(("create".to_owned(), create_verdict(test, &fresh, risky)));
    verdicts
}

/// OpenTofu's `show -json` of the same plans gives the policies the same verdicts as
/// Terraform's, in regorus and in the real OPA engine: a reviewer's policies need no OpenTofu
/// variant. Runs when the binary under test is OpenTofu and a Terraform to compare with is
/// found (`TF_ACC_REFERENCE_TERRAFORM`, else `terraform` on PATH).
#[test]
fn opentofu_plan_json_gets_the_same_verdicts_as_terraforms() {
    let test = test_name!();
    let tofu = terraform_or_return!();
    if !tofu.is_opentofu() {
        eprintln!(
            "SKIPPED {test}: the binary under test is {}, not OpenTofu",
            tofu.describe()
        );
        return;
    }
    let Some(terraform) = reference_terraform() else {
        eprintln!(
            "SKIPPED {test}: no Terraform to compare with (set TF_ACC_REFERENCE_TERRAFORM or put \
             terraform on PATH)"
        );
        return;
    };
    let ours = verdicts_of(test, &tofu);
    let theirs = verdicts_of(test, &terraform);
    let mut compared = 0;
    for (route, verdict) in &ours {
        let Some((_, other)) = theirs.iter().find(|(r, _)| r == route) else {
            eprintln!("{test}: {} has no route {route}", terraform.describe());
            continue;
        };
        assert!(!verdict.deny.is_empty(), "{route}: nothing denied");
        assert_eq!(
            verdict,
            other,
            "{route}: {} (left) and {} (right) disagree",
            tofu.describe(),
            terraform.describe()
        );
        compared += 1;
    }
    assert!(compared >= 6, "only {compared} routes compared");
}

/// Rule 7: a taint of a protected database (which the provider refuses only at apply) is
/// denied, and an unprotected database's or a table's replacement is a warning. Rule 8: an
/// import that changes nothing is judged like a kept token: a production token imported
/// without deletion_protection is denied, with it the production rule passes.
#[test]
fn protected_databases_and_imported_production_tokens_are_judged_too() {
    let test = test_name!();
    let tf = terraform_or_return!(Feature::ImportBlocks);
    let (mock, wd) = setup(&tf);
    let databases = |protected: bool| {
        format!(
            "{}resource \"influxdb3_database\" \"db\" {{\n  name = \"orders\"\n  \
             deletion_protection = {protected}\n}}\n\
             resource \"influxdb3_table\" \"t\" {{\n  database = influxdb3_database.db.name\n  \
             name = \"cpu\"\n}}\n",
            required_providers()
        )
    };
    wd.step(&databases(true));
    wd.terraform(&["taint", "influxdb3_database.db"]).success();
    let verdict = judge(test, &plan_with(&wd, &[]));
    assert_eq!(
        verdict
            .denied("deletes the database \"orders\" (replaced")
            .len(),
        1,
        "{verdict:#?}"
    );
    if let Some(passes) = opa_gate_passes(test, &wd, &plan_with(&wd, &[])) {
        assert!(
            !passes,
            "the opa gate lets a protected database's taint through"
        );
    }
    wd.terraform(&["untaint", "influxdb3_database.db"])
        .success();
    wd.step(&databases(false));
    wd.terraform(&["taint", "influxdb3_table.t"]).success();
    let verdict = judge(test, &plan_with(&wd, &[]));
    assert_eq!(verdict.deny, Vec::<String>::new(), "{verdict:#?}");
    assert!(
        verdict.warn.iter().any(|w| w.contains("\"orders/cpu\"")),
        "{verdict:#?}"
    );

    let id = Seed::new(&mock).token("prod ingest", &[("write", "sensors")]);
    let import = |protected: bool| {
        format!(
            "{}import {{\n  to = influxdb3_database_token.imported\n  id = \"{id}\"\n}}\n\
             resource \"influxdb3_database_token\" \"imported\" {{\n  description = \"prod ingest\"\n  \
             permissions = [{{ action = \"write\", resource = \"sensors\" }}]\n  \
             deletion_protection = {protected}\n}}\n",
            required_providers()
        )
    };
    let mut other = WorkDir::new(&tf);
    other.use_mock(&mock);
    other.write_config(&import(false));
    let plan = plan_with(&other, &[]);
    assert_eq!(
        actions(&plan, "influxdb3_database_token.imported"),
        ["no-op"],
        "{plan:#}"
    );
    let verdict = judge(test, &plan);
    assert_eq!(
        verdict
            .denied("imports the production token \"prod ingest\"")
            .len(),
        1,
        "{verdict:#?}"
    );
    // With protection the import is an update (null to true): no production deny, only the
    // expiry rule every kept token meets (this token was made without one).
    other.write_config(&import(true));
    let verdict = judge(test, &plan_with(&other, &[]));
    assert_eq!(verdict.denied("production").len(), 0, "{verdict:#?}");
    assert_eq!(
        verdict.denied("expires_at is not set").len(),
        1,
        "{verdict:#?}"
    );
}
