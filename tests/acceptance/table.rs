//! `influxdb3_table` under real Terraform against the mock: create with a partition template,
//! rename in place (one call), replace only for a template change, import by
//! `database/table`, the one drift refresh can see (database gone), and destroy.

use serde_json::{Value as Json, json};
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

use super::support::seed::{Seed, named};
use super::support::terraform_or_return;
use super::support::text::{assert_mentions, assert_page_says};
use super::support::{WorkDir, actions, required_providers, state_resource, state_values};

const ADDR: &str = "influxdb3_table.t";

fn config(table: &str) -> String {
    format!(
        "{}\nresource \"influxdb3_database\" \"db\" {{\n  name = \"metrics\"\n}}\n\
         resource \"influxdb3_table\" \"t\" {{\n  database = influxdb3_database.db.name\n{table}\n}}\n",
        required_providers()
    )
}

/// The mock's live tables of the default cluster.
fn tables(mock: &MockServer) -> Vec<Json> {
    mock.state()["clusters"][0]["tables"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn count(mock: &MockServer, method: &str, suffix: &str) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.method == method && r.path.ends_with(suffix))
        .count()
}

#[test]
fn a_table_is_created_renamed_in_place_replaced_for_a_template_and_destroyed() {
    let tf = terraform_or_return!();
    let mock = MockServer::start(MockOptions::default()).expect("mock");
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let with_template = |name: &str, tag: &str| {
        config(&format!(
            "  name = \"{name}\"\n  partition_template = [\n    {{ type = \"tag\", value = \"{tag}\" }},\n    {{ type = \"time\", value = \"%Y-%m\" }},\n  ]"
        ))
    };
    let plan = wd.step(&with_template("cpu", "host"));
    assert_eq!(actions(&plan, ADDR), ["create"]);
    let stored = tables(&mock);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["name"], "cpu");
    assert_eq!(stored[0]["databaseName"], "metrics");
    assert_eq!(
        stored[0]["partitionTemplate"],
        json!([{"type": "tag", "value": "host"}, {"type": "time", "value": "%Y-%m"}])
    );
    assert_eq!(state_values(&wd.state_json(), ADDR)["table_id"], Json::Null);

    let plan = wd.step(&with_template("cpu_total", "host"));
    assert_eq!(actions(&plan, ADDR), ["update"], "a rename is in place");
    assert_eq!(count(&mock, "PUT", "/tables/cpu/rename"), 1);
    assert_eq!(count(&mock, "DELETE", "/tables/cpu"), 0);
    assert_eq!(tables(&mock)[0]["name"], "cpu_total");
    let values = state_values(&wd.state_json(), ADDR).clone();
    assert_eq!(values["table_id"], tables(&mock)[0]["id"], "{values:#}");

    let plan = wd.step(&with_template("cpu_total", "region"));
    assert_eq!(
        actions(&plan, ADDR),
        ["delete", "create"],
        "only a template change replaces"
    );
    let stored = tables(&mock);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["partitionTemplate"][0]["value"], "region");

    wd.destroy().success();
    assert!(tables(&mock).is_empty(), "{:#}", mock.state());
    assert_eq!(count(&mock, "DELETE", "/tables/cpu_total"), 2);
}

#[test]
fn import_by_database_and_table_and_a_gone_database_drops_the_table() {
    let tf = terraform_or_return!();
    let mock = MockServer::start(MockOptions::default()).expect("mock");
    let mut owner = WorkDir::new(&tf);
    owner.use_mock(&mock);
    owner.step(&config("  name = \"mem\""));

    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let hcl = format!(
        "{}\nresource \"influxdb3_table\" \"t\" {{\n  database = \"metrics\"\n  name = \"mem\"\n}}\n",
        required_providers()
    );
    wd.write_config(&hcl);
    let bad = wd.terraform(&["import", "-no-color", "-input=false", ADDR, "mem"]);
    assert_ne!(bad.code, 0, "{bad}");
    assert_mentions(&bad.output(), &["Invalid Import ID", "<database>/<table>"]);
    wd.terraform(&["import", "-no-color", "-input=false", ADDR, "metrics/mem"])
        .success();
    let values = state_values(&wd.state_json(), ADDR).clone();
    assert_eq!(values["database"], "metrics");
    assert_eq!(values["name"], "mem");
    assert_eq!(values["cluster_id"], mock.cluster_id());
    wd.assert_empty_plan(false);
    wd.assert_empty_plan(true);

    Seed::new(&mock).delete_database("metrics");
    let out = wd
        .terraform(&["plan", "-no-color", "-input=false"])
        .success();
    assert_mentions(
        &out.output(),
        &["Table's Database Gone", "\"metrics\" is no longer in"],
    );
    wd.terraform(&[
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
        "-refresh-only",
    ])
    .success();
    let state = wd.terraform(&["show", "-json"]).success();
    let state: Json = serde_json::from_str(&state.stdout).unwrap_or(Json::Null);
    assert!(state_resource(&state, ADDR).is_none(), "{state:#}");
}

/// The API cannot read tables, so an import of a table that does not exist succeeds (only its
/// database is checked); it says so, and so does the page. A missing database still fails.
#[test]
fn an_import_cannot_check_the_table_and_says_so() {
    let tf = terraform_or_return!();
    assert_page_says(
        "resources/table.md",
        &[
            "an import of a table that does not exist succeeds with the warning \"Table Not \
           Checked\"",
        ],
    );
    let mock = MockServer::start(MockOptions::default()).expect("mock");
    Seed::new(&mock).database(named("metrics"));
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.write_config(&format!(
        "{}\nresource \"influxdb3_table\" \"t\" {{\n  database = \"metrics\"\n  name = \"nosuch\"\n}}\n",
        required_providers()
    ));
    let out = wd
        .terraform(&[
            "import",
            "-no-color",
            "-input=false",
            ADDR,
            "metrics/nosuch",
        ])
        .success();
    assert_mentions(&out.output(), &["Table Not Checked", "\"nosuch\""]);
    assert!(tables(&mock).is_empty(), "nothing was created");
    wd.terraform(&["state", "rm", "-no-color", ADDR]).success();
    let gone = wd.terraform(&["import", "-no-color", "-input=false", ADDR, "nodb/nosuch"]);
    assert_ne!(gone.code, 0, "{gone}");
    assert_mentions(&gone.output(), &["non-existent remote object"]);
}
