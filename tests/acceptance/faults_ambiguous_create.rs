//! A create whose answer is lost after the server committed it (issue 4): the token is kept in
//! state as tainted (never forgotten, so never orphaned), the error says its access token was
//! lost and names it, and the next apply replaces it.

use serde_json::json;

use super::database_token::{ADDR, setup, state_id, token_config};
use super::support::invariants::{active_token_ids, assert_agreement};
use super::support::mock_checks::is_revoked;
use super::support::text::assert_mentions;
use super::support::{actions, state_resource, terraform_or_skip};

#[test]
fn a_create_whose_answer_is_lost_is_kept_tainted_and_replaced_by_the_next_apply() {
    let Some(tf) = terraform_or_skip(
        "a_create_whose_answer_is_lost_is_kept_tainted_and_replaced_by_the_next_apply",
    ) else {
        return;
    };
    let (mock, wd) = setup(&tf);
    mock.configure(json!({ "drop_response_after_commit": { "method": "POST", "rate": 1.0 } }))
        .expect("configure the mock");
    wd.write_config(&token_config("  description = \"lost answer\""));
    let out = wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    assert_ne!(out.code, 0, "the apply fails:\n{out}");
    let id = state_id(&wd);
    assert_mentions(
        &out.output(),
        &[
            "Database Token Created Without Its Access Token",
            "\"lost answer\"",
            &id,
            "Its access token was in the lost answer and cannot be read again",
        ],
    );
    let state = wd.state_json();
    let entry = state_resource(&state, ADDR).expect("the token is in state");
    assert_eq!(entry["tainted"], true, "tainted: {entry:#}");
    assert!(entry["values"]["access_token"].is_null());
    assert_agreement(&wd, &mock);

    mock.configure(json!({ "drop_response_after_commit": null }))
        .expect("configure the mock");
    let plan = wd.plan_json();
    assert_eq!(actions(&plan, ADDR), ["delete", "create"], "replaced");
    wd.apply_plan().success();
    wd.assert_empty_plan(true);
    assert!(
        is_revoked(&mock, &id),
        "the token without a secret is revoked"
    );
    assert_eq!(active_token_ids(&mock).len(), 1, "exactly one active token");
    assert_agreement(&wd, &mock);
}
