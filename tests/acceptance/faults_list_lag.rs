//! A token list that lags behind creates (`list_lag_ms`): a refresh right after the apply must
//! not mistake a just-created token for a deleted one (which would plan a second token and
//! orphan the first), while a token revoked out of band is still planned again, however the
//! API shows revoked tokens.

use serde_json::json;

use super::database_token::{ADDR, setup, state_id, token_config};
use super::support::invariants::{active_token_ids, assert_agreement};
use super::support::mock_checks::out_of_band;
use super::support::terraform_or_return;
use super::support::text::assert_mentions;
use super::support::{actions, required_providers, terraform_or_skip};

fn three_tokens() -> String {
    format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  count = 3\n  description = \
         \"lagging ${{count.index}}\"\n}}\n",
        required_providers()
    )
}

#[test]
fn a_refresh_right_after_create_keeps_tokens_the_list_does_not_show_yet() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    mock.configure(json!({ "list_lag_ms": 3000 }))
        .expect("configure the mock");
    // step(): plan, apply, then empty plans without and with refresh, at once.
    wd.step(&three_tokens());
    let confirmed = mock
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains("/tokens/") && r.status == 200)
        .count();
    assert!(
        confirmed >= 3,
        "the refresh met the lag and confirmed the tokens by id: {:?}",
        mock.requests()
    );
    assert_eq!(active_token_ids(&mock).len(), 3, "no extra token");
    assert_eq!(assert_agreement(&wd, &mock), 3);
    wd.destroy().success();
    assert!(active_token_ids(&mock).is_empty());
}

fn revoked_during_lag_is_planned_again(visibility: &str) {
    let Some(tf) = terraform_or_skip(&format!("list_lag_revoked_{visibility}")) else {
        return;
    };
    let (mock, wd) = setup(&tf);
    mock.configure(json!({ "list_lag_ms": 3000, "revoked_visibility": visibility }))
        .expect("configure the mock");
    let config = token_config("  description = \"revoked while lagging\"");
    wd.write_config(&config);
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    let id = state_id(&wd);
    assert_eq!(out_of_band(&mock, "DELETE", &id, None), 204);

    let out = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(out.code, 2, "the plan has changes:\n{out}");
    assert_mentions(&out.output(), &["Database Token Gone", &id]);
    let plan = wd.plan_json();
    assert_eq!(
        actions(&plan, ADDR),
        ["create"],
        "the token is planned again"
    );
    wd.apply_plan().success();
    assert_ne!(state_id(&wd), id);
    assert_eq!(active_token_ids(&mock).len(), 1, "exactly the new token");
    assert_agreement(&wd, &mock);
    let warned = wd.terraform(&["plan", "-no-color", "-input=false"]);
    // The new token is in the lag window too: it is kept, no warning and no change.
    assert!(!warned.output().contains("Database Token Gone"), "{warned}");
    assert_mentions(&warned.output(), &["No changes."]);
}

#[test]
fn a_token_revoked_while_the_list_lags_and_hidden_is_created_again() {
    revoked_during_lag_is_planned_again("hidden");
}

#[test]
fn a_token_revoked_while_the_list_lags_and_listed_is_created_again() {
    revoked_during_lag_is_planned_again("listed");
}
