//! Answers the provider must not take at their word (issue 24): ids written in another case, a
//! create answer naming another cluster, a list that calls a live token revoked. Each keeps
//! every live token tracked and revokes nothing that is not provably this configuration's.

use serde_json::json;

use super::database_token::{ADDR, permissions, setup, state_id, token_config};
use super::support::invariants::{active_token_ids, assert_agreement};
use super::support::mock_checks::mock_token;
use super::support::terraform_or_return;
use super::support::text::{assert_mentions, flat};
use super::support::{required_providers, state_resource};

const APPLY: [&str; 4] = ["apply", "-no-color", "-input=false", "-auto-approve"];

fn tokens_and_listing(count: usize) -> String {
    format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  count = {count}\n  description = \
         \"writer ${{count.index}}\"\n{}\n}}\n\ndata \"influxdb3_database_tokens\" \"all\" {{\n  \
         depends_on = [influxdb3_database_token.t]\n}}\n\noutput \"listed\" {{\n  value = \
         length(data.influxdb3_database_tokens.all.tokens)\n}}\n",
        required_providers(),
        permissions(&[("write", "metrics")])
    )
}

#[test]
fn ids_written_in_upper_case_are_the_same_cluster_everywhere() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    let account = mock.account_id().to_uppercase();
    let cluster = mock.cluster_id().to_uppercase();
    assert_ne!(
        cluster,
        mock.cluster_id(),
        "the test needs letters in the id"
    );
    wd.set_env("INFLUXDB3_ACCOUNT_ID", &account);
    wd.set_env("INFLUXDB3_CLUSTER_ID", &cluster);
    wd.write_config(&tokens_and_listing(3));
    wd.terraform(&APPLY).success();
    assert_eq!(assert_agreement(&wd, &mock), 3);
    wd.assert_empty_plan(true);
    let listed = wd.terraform_json(&["output", "-json", "listed"]);
    assert_eq!(
        listed,
        json!(3),
        "the data source lists every token of the cluster"
    );
    wd.destroy().success();
    assert!(active_token_ids(&mock).is_empty(), "every token revoked");
}

#[test]
fn a_create_answer_naming_another_cluster_is_not_believed() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    mock.configure(json!({ "lies": ["create_names_other_cluster"] }))
        .expect("configure the mock");
    wd.write_config(&tokens_and_listing(1));
    let out = wd.terraform(&APPLY);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(
        &flat(&out.output()),
        &["not of the cluster the request was sent to", "were revoked"],
    );
    assert!(state_resource(&wd.state_json(), &format!("{ADDR}[0]")).is_none());
    assert!(
        active_token_ids(&mock).is_empty(),
        "every token made under a lying answer was found in its real cluster and revoked"
    );

    mock.configure(json!({ "lies": [] }))
        .expect("configure the mock");
    wd.terraform(&APPLY).success();
    assert_eq!(assert_agreement(&wd, &mock), 1);
}

#[test]
fn a_list_that_calls_a_live_token_revoked_never_drops_it() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    wd.write_config(&token_config("  description = \"live\""));
    wd.terraform(&APPLY).success();
    let id = state_id(&wd);
    mock.configure(json!({ "lies": ["list_says_revoked"] }))
        .expect("configure the mock");
    let out = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert!(
        !out.output().contains("Database Token Gone"),
        "a GET by id confirms the token is live:\n{out}"
    );
    assert_eq!(
        state_resource(&wd.state_json(), ADDR).map(|r| r["values"]["id"].clone()),
        Some(json!(id))
    );
    mock.configure(json!({ "lies": [] }))
        .expect("configure the mock");
    assert_eq!(assert_agreement(&wd, &mock), 1);
}

#[test]
fn a_receipt_left_in_a_description_is_shown_and_removed_by_its_own_configuration() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    // The create goes through; the PATCH that sets the description back is refused.
    mock.configure(json!({
        "faults": [{ "method": "PATCH", "path_prefix": "/api/v0/", "status": 400, "rate": 1.0 }]
    }))
    .expect("configure the mock");
    wd.write_config(&token_config("  description = \"kept\""));
    let out = wd.terraform(&APPLY).success();
    assert_mentions(
        &flat(&out.output()),
        &["Database Token Description Not Yet Set"],
    );
    let id = state_id(&wd);
    let listed = mock_token(&mock, &id);
    assert!(
        listed["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("kept [tf-receipt:")),
        "{listed}"
    );

    mock.configure(json!({ "faults": [] }))
        .expect("configure the mock");
    let plan = wd
        .terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"])
        .success();
    assert_mentions(
        &flat(&plan.output()),
        &[
            "Database Token Description Carries A Receipt",
            "1 to change",
        ],
    );
    wd.apply_plan().success();
    assert_eq!(mock_token(&mock, &id)["description"], "kept");
    wd.assert_empty_plan(true);
    assert_eq!(assert_agreement(&wd, &mock), 1);
}
