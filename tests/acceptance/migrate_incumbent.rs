//! Switching from the incumbent provider (`thulasirajkomminar/influxdb3`) by the route that
//! works on every Terraform version: `terraform state replace-provider`, then our deprecated
//! aliases of the incumbent's type names read its state (schema version 0) as ours.
//!
//! The incumbent's binary is not available here, so its state file is written by hand from its
//! published state shape (state version 4, its provider address, `schema_version` 0, its token
//! attributes including `revoked_at`), and its configuration
//! follows its examples with only the `source` line changed. No stand-in provider is needed on
//! this route: `state replace-provider` never starts the source provider.
//!
//! The other route, a `moved` block straight from the incumbent's address (Terraform 1.8+), needs
//! the incumbent installed, because Terraform loads the schema of every provider named in state.
//! The stand-in is this provider's own binary installed a second time, under the incumbent's
//! address, through `dev_overrides` (see `with_stand_in`).

use serde_json::{Value as Json, json};

use super::database_token::setup;
use super::support::incumbent::{INCUMBENT, INCUMBENT_OPENTOFU, OLD_INCUMBENT};
use super::support::mock_checks::api_writes;
use super::support::seed::Seed;
use super::support::state_file;
use super::support::terraform::{Terraform, terraform_for_moves_or_skip};
use super::support::terraform_or_return;
use super::support::text::flat;
use super::support::{WorkDir, actions, required_providers, resource_change, state_values};
use terraform_provider_influxdb3::mock::MockServer;

const OURS: &str = "registry.terraform.io/ironflux/influxdb3";
/// The secret the incumbent stored at creation; the API never returns it again.
const SECRET: &str = "apiv1_incumbent-created-this-secret";

/// The incumbent's state of one token `type_name.t`, as its v1.7 wrote it.
fn incumbent_state(type_name: &str, id: &str, account: &str, cluster: &str) -> Json {
    incumbent_state_at(INCUMBENT, type_name, id, account, cluster)
}

/// [`incumbent_state`] under the provider address `source` (the incumbent's older
/// `komminarlabs/influxdb3` wrote the same shape).
fn incumbent_state_at(
    source: &str,
    type_name: &str,
    id: &str,
    account: &str,
    cluster: &str,
) -> Json {
    state_file::one_resource(
        source,
        type_name,
        "t",
        0,
        json!({
            "id": id,
            "account_id": account,
            "cluster_id": cluster,
            "description": "Access test database",
            "permissions": [{"action": "read", "resource": "test"},
                            {"action": "write", "resource": "test"}],
            "expires_at": null,
            "access_token": SECRET,
            "created_at": "2026-01-02T03:04:05.123456789Z",
            "revoked_at": null
        }),
    )
}

/// The incumbent's example configuration with only the source address changed.
fn incumbent_config(type_name: &str) -> String {
    format!(
        "{}\nresource \"{type_name}\" \"t\" {{\n  description = \"Access test database\"\n  \
         permissions = [\n    {{ action = \"read\", resource = \"test\" }},\n    \
         {{ action = \"write\", resource = \"test\" }},\n  ]\n}}\n",
        required_providers()
    )
}

/// A mock holding the incumbent's live token, and a directory whose state is the incumbent's
/// after `state replace-provider`.
fn switched(
    tf: &Terraform,
    type_name: &str,
) -> (
    terraform_provider_influxdb3::mock::MockServer,
    WorkDir,
    String,
) {
    let (mock, wd) = setup(tf);
    let id = Seed::new(&mock).token(
        "Access test database",
        &[("read", "test"), ("write", "test")],
    );
    let state = incumbent_state(type_name, &id, mock.account_id(), mock.cluster_id());
    std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
    wd.write_config(&incumbent_config(type_name));
    state_file::replace_provider(&wd, INCUMBENT);
    (mock, wd, id)
}

#[test]
fn incumbent_token_state_plans_nothing_after_replace_provider() {
    let tf = terraform_or_return!();
    for type_name in ["influxdb3_token", "influxdb3_cloud_token"] {
        let (mock, wd, id) = switched(&tf, type_name);
        let plan = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
        assert_eq!(plan.code, 0, "{type_name}: expected an empty plan:\n{plan}");
        let out = flat(&plan.output());
        assert!(
            out.contains(&format!("Deprecated Resource Type {type_name}"))
                && out.contains("influxdb3_database_token"),
            "{type_name}: the plan warns with our name:\n{out}"
        );
        wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
            .success();
        let addr = format!("{type_name}.t");
        let values = state_values(&wd.state_json(), &addr).clone();
        assert_eq!(values["id"], id.as_str(), "{type_name}");
        assert_eq!(
            values["access_token"], SECRET,
            "{type_name}: the secret is kept"
        );
        assert_eq!(values["deletion_protection"], false, "{type_name}");
        assert_eq!(
            values["revoked_at"],
            Json::Null,
            "{type_name}: a live token: {values}"
        );
        // The one write is the seeding create of the incumbent's token (the mock may log it a
        // moment after answering, so it is matched rather than counted beforehand).
        let w = api_writes(&mock);
        assert!(
            w.len() == 1 && w[0].starts_with("POST ") && w[0].ends_with("/tokens"),
            "{type_name}: no API writes by the switch: {w:?}"
        );
    }
}

#[test]
fn a_revoked_incumbent_token_is_dropped_with_the_usual_warning() {
    let tf = terraform_or_return!();
    let (mock, wd, id) = switched(&tf, "influxdb3_cloud_token");
    Seed::new(&mock).revoke_token(&id);
    let plan = wd.terraform(&["plan", "-no-color", "-input=false", "-refresh-only"]);
    let out = plan.success().output();
    assert!(
        out.contains("Database Token Gone") && out.contains("removed from the state"),
        "{out}"
    );
    let deletes = api_writes(&mock)
        .iter()
        .filter(|w| w.starts_with("DELETE"))
        .count();
    assert_eq!(
        api_writes(&mock).len(),
        1 + deletes,
        "a refresh writes nothing"
    );
}

/// The incumbent's v1.7 provider block, pointed at `mock` through `host` and `token` only: the
/// environment's endpoint and management token are wrong on purpose, so a plan that refreshes
/// proves both were taken from the block.
fn incumbent_provider_block(wd: &mut WorkDir, mock: &MockServer) -> String {
    wd.set_env("INFLUXDB3_ENDPOINT", "http://127.0.0.1:9/api/v0");
    wd.set_env("INFLUXDB3_MANAGEMENT_TOKEN", "not-the-management-token");
    // Through a variable, as the incumbent's examples do: Terraform quotes the configuration
    // line of an attribute's warning, so a literal would be printed.
    wd.set_env("TF_VAR_management_token", mock.management_token());
    let host = mock.endpoint().trim_end_matches("/api/v0").to_owned();
    format!(
        "variable \"management_token\" {{\n  type      = string\n  sensitive = true\n}}\n\n\
         provider \"influxdb3\" {{\n  type  = \"cloud\"\n  host  = \"{host}\"\n  \
         token = var.management_token\n}}\n"
    )
}

#[test]
fn the_incumbents_provider_block_works_with_a_warning_per_setting() {
    let tf = terraform_or_return!();
    let (mock, mut wd, _) = switched(&tf, "influxdb3_cloud_token");
    let block = incumbent_provider_block(&mut wd, &mock);
    wd.write_config(&format!(
        "{}{block}",
        incumbent_config("influxdb3_cloud_token")
    ));
    let plan = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(plan.code, 0, "expected an empty plan:\n{plan}");
    let out = flat(&plan.output());
    for phrase in [
        "write management_token",
        // The host itself is not repeated (it may come from a sensitive variable); Terraform
        // quotes the configuration line of a literal one.
        "set to the host followed by /api/v0",
        "host = \"http://127.0.0.1",
        "Deprecated Setting type",
    ] {
        assert!(out.contains(phrase), "{phrase:?} missing from:\n{out}");
    }
    wd.write_config(&format!(
        "{}{}",
        incumbent_config("influxdb3_cloud_token"),
        block.replace("\"cloud\"", "\"core\"")
    ));
    wd.terraform(&["validate", "-no-color"])
        .failure_matching("manages Cloud Dedicated only");
}

#[test]
fn a_moved_block_from_an_alias_to_our_type_is_a_no_op_move() {
    let Some(tf) =
        terraform_for_moves_or_skip("a_moved_block_from_an_alias_to_our_type_is_a_no_op_move")
    else {
        return;
    };
    let (mock, wd, id) = switched(&tf, "influxdb3_cloud_token");
    let ours = incumbent_config("influxdb3_cloud_token")
        .replace("\"influxdb3_cloud_token\"", "\"influxdb3_database_token\"");
    wd.write_config(&format!(
        "{ours}\nmoved {{\n  from = influxdb3_cloud_token.t\n  to   = influxdb3_database_token.t\n}}\n"
    ));
    let plan = wd.plan_json();
    let change = resource_change(&plan, "influxdb3_database_token.t");
    assert_eq!(
        change["previous_address"], "influxdb3_cloud_token.t",
        "{change}"
    );
    assert_eq!(actions(&plan, "influxdb3_database_token.t"), vec!["no-op"]);
    wd.apply_plan().success();
    wd.assert_empty_plan(true);
    let values = state_values(&wd.state_json(), "influxdb3_database_token.t").clone();
    assert_eq!(values["id"], id.as_str());
    assert_eq!(values["access_token"], SECRET);
    let w = api_writes(&mock);
    assert_eq!(w.len(), 1, "only the seeding create: {w:?}");
}

/// A directory whose CLI config installs this provider's binary under BOTH addresses: ours, and
/// the incumbent's as a stand-in. Terraform insists that every provider named in state is
/// installed (it loads its schema), even when a `moved` block takes every resource away from it;
/// the stand-in is this very binary, so it serves the incumbent's type names through our
/// deprecated aliases. The move itself is answered by our provider alone: Terraform sends the
/// incumbent's raw JSON state to the *target* provider's MoveResourceState and never asks the
/// source provider to read or upgrade it.
pub(super) fn with_stand_in(tf: &Terraform, mock: &MockServer, incumbent: &str) -> WorkDir {
    let dir = std::path::Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .parent()
        .expect("binary dir")
        .display()
        .to_string();
    let stand_ins: String = tf
        .install_addresses(incumbent)
        .iter()
        .map(|address| format!("    \"{address}\" = \"{dir}\"\n"))
        .collect();
    let rc = format!(
        "provider_installation {{\n  dev_overrides {{\n    \"{OURS}\" = \"{dir}\"\n{stand_ins}  }}\n  \
         direct {{}}\n}}\n"
    );
    let mut wd = WorkDir::with_cli_config(tf, &rc);
    wd.use_mock(mock);
    wd
}

#[test]
fn a_moved_block_from_the_incumbents_own_address_keeps_the_token() {
    let Some(tf) = terraform_for_moves_or_skip(
        "a_moved_block_from_the_incumbents_own_address_keeps_the_token",
    ) else {
        return;
    };
    for (source, type_name) in [
        (INCUMBENT, "influxdb3_token"),
        (INCUMBENT, "influxdb3_cloud_token"),
        (OLD_INCUMBENT, "influxdb3_token"),
        // An OpenTofu user's state; under real OpenTofu this is the run a user makes.
        (INCUMBENT_OPENTOFU, "influxdb3_token"),
        (INCUMBENT_OPENTOFU, "influxdb3_cloud_token"),
    ] {
        let mock = MockServer::start(Default::default()).expect("start the mock");
        let wd = with_stand_in(&tf, &mock, source);
        let id = Seed::new(&mock).token(
            "Access test database",
            &[("read", "test"), ("write", "test")],
        );
        // No `state replace-provider`: the state still names the incumbent's address.
        let state =
            incumbent_state_at(source, type_name, &id, mock.account_id(), mock.cluster_id());
        std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
        let ours = incumbent_config(type_name)
            .replace(&format!("\"{type_name}\""), "\"influxdb3_database_token\"");
        wd.write_config(&format!(
            "{ours}\nmoved {{\n  from = {type_name}.t\n  to   = influxdb3_database_token.t\n}}\n"
        ));
        let plan = wd.plan_json();
        let change = resource_change(&plan, "influxdb3_database_token.t");
        assert_eq!(
            change["previous_address"],
            format!("{type_name}.t"),
            "{type_name}: {change}"
        );
        assert_eq!(
            actions(&plan, "influxdb3_database_token.t"),
            vec!["no-op"],
            "{type_name}"
        );
        wd.apply_plan().success();
        wd.assert_empty_plan(true);
        let state = wd.state_json();
        let values = state_values(&state, "influxdb3_database_token.t").clone();
        assert_eq!(values["id"], id.as_str(), "{type_name}");
        assert_eq!(
            values["access_token"], SECRET,
            "{type_name}: the secret is kept"
        );
        let providers: Vec<&str> = state["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["provider"].as_str())
            .collect();
        assert!(
            providers.iter().all(|p| p.contains(OURS)),
            "{type_name}: nothing left under the incumbent's address: {providers:?}"
        );
        let w = api_writes(&mock);
        assert_eq!(w.len(), 1, "{type_name}: only the seeding create: {w:?}");
    }
}

#[test]
fn a_moved_block_from_an_unknown_incumbent_type_fails_with_our_message() {
    let Some(tf) = terraform_for_moves_or_skip(
        "a_moved_block_from_an_unknown_incumbent_type_fails_with_our_message",
    ) else {
        return;
    };
    let mock = MockServer::start(Default::default()).expect("start the mock");
    let wd = with_stand_in(&tf, &mock, INCUMBENT);
    let id = Seed::new(&mock).token("Access test database", &[("read", "test")]);
    // A type the incumbent's stand-in serves but that is not a token: a database moved onto a
    // token must be refused by name, with nothing written.
    let state = incumbent_state(
        "influxdb3_database",
        &id,
        mock.account_id(),
        mock.cluster_id(),
    );
    std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
    let ours = incumbent_config("influxdb3_database_token");
    wd.write_config(&format!(
        "{ours}\nmoved {{\n  from = influxdb3_database.t\n  to   = influxdb3_database_token.t\n}}\n"
    ));
    wd.terraform(&["plan", "-no-color", "-input=false"])
        .failure_matching(
            "Unsupported Move(.|\n)*influxdb3_database cannot move to influxdb3_database_token",
        );
    let w = api_writes(&mock);
    assert_eq!(w.len(), 1, "only the seeding create: {w:?}");
}
