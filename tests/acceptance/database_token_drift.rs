//! Changes made outside Terraform: a revoked token (both ways the API may show one), a changed
//! description, permissions the server reorders, and destroying a token already gone.

use serde_json::json;

use super::database_token::{ADDR, permissions, setup, state_id, token_config};
use super::support::mock_checks::{is_revoked, mock_token, out_of_band};
use super::support::terraform_or_return;
use super::support::{actions, required_providers, state_values, terraform_or_skip};

fn revoked_out_of_band_is_planned_again(visibility: &str) {
    let Some(tf) = terraform_or_skip(&format!("token_revoked_out_of_band_{visibility}")) else {
        return;
    };
    let (mock, wd) = setup(&tf);
    mock.configure(json!({ "revoked_visibility": visibility }))
        .expect("configure the mock");
    let config = token_config("  description = \"drifter\"");
    wd.step(&config);
    let id = state_id(&wd);
    assert_eq!(out_of_band(&mock, "DELETE", &id, None), 204);

    let out = wd.terraform(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(out.code, 2, "the plan has changes:\n{out}");
    let text = out.output().replace('\n', " ");
    assert!(
        text.contains("Database Token Gone") && text.contains(&id) && text.contains("drifter"),
        "a warning names the token:\n{out}"
    );
    let plan = wd.step(&config);
    assert_eq!(actions(&plan, ADDR), ["create"]);
    let new_id = state_id(&wd);
    assert_ne!(new_id, id);
    assert!(!is_revoked(&mock, &new_id));
}

#[test]
fn a_token_revoked_out_of_band_and_hidden_by_the_api_is_created_again() {
    revoked_out_of_band_is_planned_again("hidden");
}

#[test]
fn a_token_revoked_out_of_band_and_still_listed_is_created_again() {
    revoked_out_of_band_is_planned_again("listed");
}

#[test]
fn a_description_changed_out_of_band_is_changed_back_in_place() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let config = token_config("  description = \"mine\"");
    wd.step(&config);
    let id = state_id(&wd);
    let patch = json!({ "description": "theirs" });
    assert_eq!(out_of_band(&mock, "PATCH", &id, Some(patch)), 200);

    let plan = wd.step(&config);
    assert_eq!(actions(&plan, ADDR), ["update"]);
    assert_eq!(mock_token(&mock, &id)["description"], "mine");
    assert_eq!(state_id(&wd), id, "same token");
}

#[test]
fn permissions_reordered_by_the_server_are_no_change() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    mock.configure(json!({ "permission_order": "reversed" }))
        .expect("configure the mock");
    let body = format!(
        "  description = \"multi\"\n{}",
        permissions(&[("read", "a"), ("write", "a"), ("read", "b"), ("read", "*")])
    );
    // step() requires empty plans with and without refresh after the apply.
    wd.step(&token_config(&body));
    let values = state_values(&wd.state_json(), ADDR).clone();
    assert_eq!(values["permissions"].as_array().map(Vec::len), Some(4));
}

#[test]
fn destroying_a_token_already_revoked_out_of_band_succeeds() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    wd.step(&token_config("  description = \"gone soon\""));
    let id = state_id(&wd);
    assert_eq!(out_of_band(&mock, "DELETE", &id, None), 204);
    // Without refresh, Terraform still believes in the token and calls delete: the API's 404
    // counts as already gone.
    wd.terraform(&[
        "destroy",
        "-no-color",
        "-input=false",
        "-auto-approve",
        "-refresh=false",
    ])
    .success();
    let state = wd.state_json();
    assert!(
        super::support::state_resource(&state, ADDR).is_none(),
        "{state:#}"
    );
    assert!(
        mock.requests()
            .iter()
            .any(|r| r.method == "DELETE" && r.status == 404),
        "the provider's DELETE met a 404: {:?}",
        mock.requests()
    );
}

/// A list outage during the refresh of more tokens than Terraform reads at once: one list
/// request (its retries included) serves every read, one error explains the failure in full,
/// and every other token's error says it is the same failure in a line.
#[test]
fn a_list_outage_during_refresh_lists_once_and_explains_itself_once() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let config = format!(
        "{}\nprovider \"influxdb3\" {{\n  max_retries = 1\n}}\n\
         resource \"influxdb3_database_token\" \"t\" {{\n  count = 12\n  \
         description = \"outage ${{count.index}}\"\n{}\n}}\n",
        required_providers(),
        permissions(&[("read", "db")])
    );
    wd.step(&config);
    mock.configure(json!({
        "faults": [{ "method": "GET", "path_prefix": "/api/v0/", "status": 503, "rate": 1.0 }]
    }))
    .expect("configure the mock");
    let before = mock.requests().len();
    let out = wd.terraform(&["plan", "-no-color"]);
    assert_eq!(out.code, 1, "the plan fails:\n{out}");
    assert_eq!(
        mock.requests().len() - before,
        2,
        "one list and its one retry for all twelve reads:\n{out}"
    );
    let text = out.output().replace('\n', " ");
    let count = |phrase: &str| text.matches(phrase).count();
    assert_eq!(
        count("failed to list the tokens of cluster"),
        1,
        "the failure in full, once:\n{out}"
    );
    // Up to Terraform 1.14 every token's error is printed (twelve); 1.15 printed the one-line
    // form once.
    let short =
        count("the list this needs failed (HTTP 503); the failure is reported in full once");
    assert!(short >= 1, "{out}");
    assert_eq!(
        count("Error: Cannot Read Database Token"),
        1 + short,
        "every other error is the one-line form:\n{out}"
    );
}
