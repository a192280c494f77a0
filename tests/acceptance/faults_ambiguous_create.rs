//! Creates without a usable answer, settled by the receipt each create carries (issue 24): a
//! lost answer's token is found by its receipt and revoked (nobody ever held its secret) and the
//! token is created again within the same apply; an outcome no list can settle keeps a
//! placeholder that the next apply settles. Nothing is orphaned, nothing is left half-known.

use serde_json::json;

use super::database_token::{ADDR, setup, state_id, token_config};
use super::support::invariants::{active_token_ids, assert_agreement};
use super::support::mock_checks::{is_revoked, mock_tokens};
use super::support::terraform_or_return;
use super::support::text::{assert_mentions, flat};
use super::support::{actions, state_resource};

const APPLY: [&str; 4] = ["apply", "-no-color", "-input=false", "-auto-approve"];

/// Ids of the mock's revoked tokens.
fn revoked_ids(mock: &terraform_provider_influxdb3::mock::MockServer) -> Vec<String> {
    mock_tokens(mock)
        .iter()
        .filter(|t| !t["revokedAt"].is_null())
        .filter_map(|t| t["id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_create_whose_answer_is_lost_is_made_again_in_the_same_apply() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    mock.configure(json!({
        "drop_response_after_commit": { "method": "POST", "rate": 1.0, "count": 1 }
    }))
    .expect("configure the mock");
    wd.write_config(&token_config("  description = \"lost answer\""));
    wd.terraform(&APPLY).success();

    let id = state_id(&wd);
    let state = wd.state_json();
    let entry = state_resource(&state, ADDR).expect("the token is in state");
    assert_ne!(entry["tainted"], true, "not tainted: {entry:#}");
    assert!(
        entry["values"]["access_token"].is_string(),
        "the new token's secret is in state"
    );
    let revoked = revoked_ids(&mock);
    assert_eq!(revoked.len(), 1, "the lost answer's token is revoked");
    assert_ne!(revoked[0], id);
    assert_eq!(active_token_ids(&mock).len(), 1, "exactly one active token");
    let listed = mock_tokens(&mock);
    let mine = listed
        .iter()
        .find(|t| t["id"] == id.as_str())
        .expect("listed");
    assert_eq!(mine["description"], "lost answer", "the receipt is gone");
    assert_agreement(&wd, &mock);
    wd.assert_empty_plan(true);
}

#[test]
fn a_create_whose_every_answer_is_lost_leaves_nothing_behind() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    mock.configure(json!({ "drop_response_after_commit": { "method": "POST", "rate": 1.0 } }))
        .expect("configure the mock");
    wd.write_config(&token_config("  description = \"always lost\""));
    let out = wd.terraform(&APPLY);
    assert_ne!(out.code, 0, "the apply fails:\n{out}");
    assert_mentions(
        &flat(&out.output()),
        &[
            "Cannot Create Database Token",
            "were revoked",
            "applying again is safe",
        ],
    );
    assert!(
        state_resource(&wd.state_json(), ADDR).is_none(),
        "nothing in state"
    );
    assert!(active_token_ids(&mock).is_empty(), "no orphan");

    mock.configure(json!({ "drop_response_after_commit": null }))
        .expect("configure the mock");
    wd.terraform(&APPLY).success();
    assert_eq!(assert_agreement(&wd, &mock), 1);
}

#[test]
fn an_outcome_no_list_can_settle_keeps_a_placeholder_that_the_next_apply_settles() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    // The answer is lost after the commit, and every list names each token twice: the lists
    // cannot be trusted to show (or to rule out) the token the create made.
    mock.configure(json!({
        "drop_response_after_commit": { "method": "POST", "rate": 1.0, "count": 1 },
        "lies": ["list_repeats_ids"],
    }))
    .expect("configure the mock");
    wd.write_config(&token_config("  description = \"unsettled\""));
    let out = wd.terraform(&APPLY);
    assert_ne!(out.code, 0, "{out}");
    let text = flat(&out.output());
    assert_mentions(
        &text,
        &["cannot prove that nothing was made", "tf-receipt:"],
    );
    assert!(!text.contains("safe"), "{out}");
    let state = wd.state_json();
    let entry = state_resource(&state, ADDR).expect("a placeholder is in state");
    assert_eq!(entry["tainted"], true);
    let placeholder = entry["values"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(placeholder.starts_with("unsettled-create:"), "{entry:#}");
    let made: Vec<String> = active_token_ids(&mock).into_iter().collect();
    assert_eq!(made.len(), 1, "the create did make a token");
    assert_eq!(
        mock.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/tokens"))
            .count(),
        1,
        "an unproven outcome is never sent again"
    );

    // The lists tell the truth again: the plan replaces the placeholder, and the apply revokes
    // exactly the token carrying its receipt, then creates the token.
    mock.configure(json!({ "lies": [] }))
        .expect("configure the mock");
    let plan = wd.plan_json();
    assert_eq!(actions(&plan, ADDR), ["delete", "create"]);
    wd.apply_plan().success();
    assert!(
        is_revoked(&mock, &made[0]),
        "the unsettled create's token is revoked"
    );
    assert_eq!(assert_agreement(&wd, &mock), 1);
    wd.assert_empty_plan(true);
}
