//! The Rego policies of `examples/policy/` evaluated (with regorus) against real plan JSON that
//! Terraform produced with this provider: passing and failing cases.

use std::path::Path;

use serde_json::Value as Json;

use super::database_token::{setup, token_config};
use super::support::terraform_or_skip;

/// Evaluates `data.influxdb3.tokens.deny` for `plan`; returns the messages, sorted.
fn deny(plan: &Json) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policy");
    let mut engine = regorus::Engine::new();
    engine
        .add_policy_from_file(dir.join("tokens.rego"))
        .expect("the policy parses");
    let config = std::fs::read_to_string(dir.join("config.json")).expect("config.json");
    engine
        .add_data(regorus::Value::from_json_str(&config).expect("config is JSON"))
        .expect("data");
    engine.set_input(regorus::Value::from_json_str(&plan.to_string()).expect("plan is JSON"));
    let result = engine
        .eval_rule("data.influxdb3.tokens.deny".to_owned())
        .expect("evaluate deny");
    let json: Json = serde_json::from_str(&result.to_json_str().expect("to json")).expect("json");
    let mut messages: Vec<String> = json
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m.as_str().map(str::to_owned))
        .collect();
    messages.sort();
    messages
}

fn in_days(days: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    t.replace_nanosecond(0)
        .expect("zero nanoseconds")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format")
}

#[test]
fn a_compliant_token_plan_passes_every_policy() {
    let Some(tf) = terraform_or_skip("a_compliant_token_plan_passes_every_policy") else {
        return;
    };
    let (_mock, wd) = setup(&tf);
    wd.write_config(&token_config(&format!(
        "  description = \"dashboards\"\n  permissions = [{{ action = \"read\", resource = \"sensors\" }}]\n  expires_at = \"{}\"",
        in_days(30)
    )));
    let messages = deny(&wd.plan_json());
    assert!(messages.is_empty(), "{messages:#?}");
}

#[test]
fn wildcard_write_missing_expiry_and_unprotected_production_are_denied() {
    let Some(tf) =
        terraform_or_skip("wildcard_write_missing_expiry_and_unprotected_production_are_denied")
    else {
        return;
    };
    let (_mock, wd) = setup(&tf);
    wd.write_config(&token_config(
        "  description = \"prod ingest\"\n  permissions = [{ action = \"write\", resource = \"*\" }]",
    ));
    let messages = deny(&wd.plan_json());
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("write permission on \"*\"")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("expires_at is not set")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("must keep deletion_protection")),
        "{messages:#?}"
    );

    wd.write_config(&token_config(&format!(
        "  description = \"metrics\"\n  expires_at = \"{}\"",
        in_days(400)
    )));
    let messages = deny(&wd.plan_json());
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].contains("more than 90 days away"),
        "{messages:#?}"
    );
}

#[test]
fn destroying_a_token_needs_the_retire_marker() {
    let Some(tf) = terraform_or_skip("destroying_a_token_needs_the_retire_marker") else {
        return;
    };
    let (_mock, wd) = setup(&tf);
    let body = |description: &str| {
        format!(
            "  description = \"{description}\"\n  expires_at = \"{}\"",
            in_days(10)
        )
    };
    wd.step(&token_config(&body("ingest")));
    wd.terraform(&["plan", "-no-color", "-destroy", "-out=tfplan"])
        .success();
    let messages = deny(&wd.terraform_json(&["show", "-json", "tfplan"]));
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].contains("revokes the token \"ingest\""),
        "{messages:#?}"
    );

    wd.step(&token_config(&body("ingest [retire]")));
    wd.terraform(&["plan", "-no-color", "-destroy", "-out=tfplan"])
        .success();
    let messages = deny(&wd.terraform_json(&["show", "-json", "tfplan"]));
    assert!(messages.is_empty(), "{messages:#?}");
}
