//! A token's or a database's resource block moved to another provider alias (issue 18 item 4).
//! Read and delete act in the cluster the state records, through the credentials of the
//! configuration the block now names. When those cannot reach that cluster (here: a second mock
//! API, with its own management token, that does not serve it), the plan says what happened and
//! what to write, nothing is revoked, deleted or created, and moving the block back gives an
//! empty plan.

use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

use super::database::mock_database;
use super::database_token::{setup, state_id};
use super::support::invariants::{active_token_ids, assert_agreement};
use super::support::mock_checks::api_calls;
use super::support::terraform_or_return;
use super::support::text::assert_mentions;
use super::support::{Outcome, WorkDir, required_providers};

/// The diagnostic's words for tokens: summary, what a delete does, the short name.
const TOKEN_WORDS: [&str; 3] = [
    "Database Token Not Reachable Through This Provider",
    "Nothing was revoked",
    "A token cannot move between clusters",
];

/// Panics unless `out` failed with the diagnostic that says what happened (the cluster the
/// state records, the one the configuration in use points at) and what to write.
fn assert_explained_as(out: Outcome, mock: &MockServer, other: &MockServer, words: [&str; 3]) {
    let out = out.failure_matching(words[0]);
    let home = format!(
        "lives in cluster {} (account {})",
        mock.cluster_id(),
        mock.account_id()
    );
    let used = format!("points at cluster {}", other.cluster_id());
    assert_mentions(
        &out.output(),
        &[
            &home,
            &used,
            words[1],
            "provider = influxdb3.<alias>",
            words[2],
        ],
    );
}

/// With the block on the alias: a refreshing plan, and an apply without refresh (Terraform then
/// plans a replacement, whose delete half comes first), both fail with the explanation; no
/// DELETE reaches either mock.
fn assert_refused_through_alias(
    wd: &WorkDir,
    mock: &MockServer,
    other: &MockServer,
    words: [&str; 3],
) {
    let plan = wd.terraform(&["plan", "-no-color", "-input=false"]);
    assert_explained_as(plan, mock, other, words);
    let apply = wd.terraform(&[
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
        "-refresh=false",
    ]);
    assert_explained_as(apply, mock, other, words);
    for calls in [api_calls(mock), api_calls(other)] {
        assert!(!calls.iter().any(|c| c.starts_with("DELETE ")), "{calls:?}");
    }
}

/// The default provider (the first mock, through the environment), an alias `other` for the
/// second mock, and the token `t` using `provider` (empty: the default one).
fn config(other: &MockServer, provider: &str) -> String {
    config_of(
        other,
        provider,
        "influxdb3_database_token",
        "  description = \"aliased\"\n  permissions = [{ action = \"read\", resource = \"*\" }]\n",
    )
}

/// [`config`] for any resource `kind` "t" with `body`.
fn config_of(other: &MockServer, provider: &str, kind: &str, body: &str) -> String {
    let line = if provider.is_empty() {
        String::new()
    } else {
        format!("  provider = {provider}\n")
    };
    format!(
        "{}\nvariable \"other_token\" {{\n  type      = string\n  sensitive = true\n}}\n\n\
         provider \"influxdb3\" {{}}\n\n\
         provider \"influxdb3\" {{\n  alias            = \"other\"\n  endpoint         = \"{}\"\n  \
         account_id       = \"{}\"\n  cluster_id       = \"{}\"\n  management_token = var.other_token\n}}\n\n\
         resource \"{kind}\" \"t\" {{\n{line}{body}}}\n",
        required_providers(),
        other.endpoint(),
        other.account_id(),
        other.cluster_id(),
    )
}

fn second_mock(wd: &mut WorkDir) -> MockServer {
    let other = MockServer::start(MockOptions::default()).expect("start the second mock");
    wd.set_env("TF_VAR_other_token", other.management_token());
    wd.register_secret(other.management_token());
    other
}

#[test]
fn a_token_moved_to_an_alias_that_cannot_reach_its_cluster_is_explained_and_kept() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    let other = second_mock(&mut wd);
    wd.step(&config(&other, ""));
    let id = state_id(&wd);

    wd.write_config(&config(&other, "influxdb3.other"));
    // Refresh reads through the alias: explained, not "cluster ... was not found". Without
    // refresh the revoke is refused before any DELETE is sent, so nothing is created.
    assert_refused_through_alias(&wd, &mock, &other, TOKEN_WORDS);
    assert_eq!(state_id(&wd), id);
    assert_eq!(
        active_token_ids(&mock),
        std::collections::BTreeSet::from([id.clone()])
    );
    assert!(active_token_ids(&other).is_empty());

    // Back on the configuration for its cluster: nothing to do.
    wd.write_config(&config(&other, ""));
    wd.assert_empty_plan(true);
    wd.assert_empty_plan(false);
    assert_eq!(state_id(&wd), id);
    assert_agreement(&wd, &mock);
}

#[test]
fn a_database_moved_to_an_alias_that_cannot_reach_its_cluster_is_explained_and_kept() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    let other = second_mock(&mut wd);
    let body = "  name = \"aliased\"\n";
    wd.step(&config_of(&other, "", "influxdb3_database", body));
    let words = [
        "Database Not Reachable Through This Provider",
        "Nothing was deleted",
        "A database cannot move between clusters",
    ];

    wd.write_config(&config_of(
        &other,
        "influxdb3.other",
        "influxdb3_database",
        body,
    ));
    assert_refused_through_alias(&wd, &mock, &other, words);
    assert_eq!(mock_database(&mock, "aliased")["name"], "aliased");
    assert!(
        !api_calls(&other).iter().any(|c| c.starts_with("POST ")),
        "nothing created in the other cluster"
    );

    wd.write_config(&config_of(&other, "", "influxdb3_database", body));
    wd.assert_empty_plan(true);
    wd.assert_empty_plan(false);
}

#[test]
fn a_table_moved_to_an_alias_that_cannot_reach_its_cluster_is_explained_and_kept() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    let other = second_mock(&mut wd);
    let config = |provider: &str| {
        let line = if provider.is_empty() {
            String::new()
        } else {
            format!("  provider = {provider}\n")
        };
        format!(
            "{}\nresource \"influxdb3_table\" \"readings\" {{\n{line}  database = \
             influxdb3_database.t.name\n  name     = \"readings\"\n}}\n",
            config_of(&other, "", "influxdb3_database", "  name = \"signals\"\n")
        )
    };
    wd.step(&config(""));
    let words = [
        "Table Not Reachable Through This Provider",
        "Nothing was deleted",
        "A table cannot move between clusters",
    ];
    wd.write_config(&config("influxdb3.other"));
    assert_refused_through_alias(&wd, &mock, &other, words);
    wd.write_config(&config(""));
    wd.assert_empty_plan(true);
    wd.assert_empty_plan(false);
}
