//! `influxdb3_database` under real Terraform against the mock: lifecycle, import, drift, bad
//! inputs, name conflicts, deletion protection and what destroy plans say. Renames and
//! soft-deleted names: database_renames.rs.

use serde_json::Value as Json;
use terraform_provider_influxdb3::api::DatabaseSettings;
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

use super::support::seed::{Seed, named};
use super::support::terraform_or_return;
use super::support::text::{assert_mentions, assert_page_says, flat};
use super::support::{
    WorkDir, actions, required_providers, resource_change, state_resource, state_values,
};

const ADDR: &str = "influxdb3_database.db";

fn config(body: &str) -> String {
    format!("{}\n{body}\n", required_providers())
}

fn database(attrs: &str) -> String {
    config(&format!(
        "resource \"influxdb3_database\" \"db\" {{\n{attrs}\n}}"
    ))
}

fn start() -> MockServer {
    MockServer::start(MockOptions::default()).expect("start the mock")
}

/// The databases of the mock's default cluster, as the mock stores them.
fn mock_databases(mock: &MockServer) -> Vec<Json> {
    mock.state()["clusters"][0]["databases"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn mock_names(mock: &MockServer) -> Vec<String> {
    mock_databases(mock)
        .iter()
        .filter_map(|d| d["name"].as_str().map(str::to_owned))
        .collect()
}

pub(super) fn mock_database(mock: &MockServer, name: &str) -> Json {
    mock_databases(mock)
        .into_iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no database {name} in the mock: {:#}", mock.state()))
}

fn count(mock: &MockServer, method: &str) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.method == method)
        .count()
}

const THIRTY_DAYS_NS: i64 = 30 * 24 * 3_600 * 1_000_000_000;

#[test]
fn a_database_is_created_with_defaults_updated_and_renamed_in_place_and_destroyed() {
    let tf = terraform_or_return!();
    let mock = start();
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);

    let plan = wd.step(&database("  name = \"metrics\""));
    assert_eq!(actions(&plan, ADDR), ["create"]);
    let change = &resource_change(&plan, ADDR)["change"];
    assert_eq!(change["after"]["retention_period"], "0", "{change:#}");
    assert_eq!(change["after"]["cluster_id"], mock.cluster_id());
    assert_eq!(change["after"]["deletion_protection"], false);
    assert_eq!(change["after_unknown"]["max_tables"], true, "{change:#}");
    let state = wd.state_json();
    let values = state_values(&state, ADDR);
    assert_eq!(values["max_tables"], 500, "the server's default is shown");
    assert_eq!(values["max_columns_per_table"], 250);
    assert_eq!(values["retention_period"], "0");
    assert_eq!(values["account_id"], mock.account_id());
    assert_eq!(values["partition_template"], Json::Null);

    let plan = wd.step(&database(
        "  name = \"metrics\"\n  max_tables = 100\n  retention_period = \"30d\"",
    ));
    assert_eq!(actions(&plan, ADDR), ["update"]);
    let stored = mock_database(&mock, "metrics");
    assert_eq!(stored["maxTables"], 100);
    assert_eq!(stored["retentionPeriod"], THIRTY_DAYS_NS);
    assert_eq!(
        stored["maxColumnsPerTable"], 250,
        "unset limits are left alone"
    );
    assert_eq!(count(&mock, "PATCH"), 1);

    wd.write_config(&database(
        "  name = \"metrics\"\n  max_tables = 100\n  retention_period = \"720h\"",
    ));
    wd.assert_empty_plan(true);

    // A name change is an in-place rename; database_renames.rs checks its warning.
    let renamed =
        database("  name = \"metrics2\"\n  max_tables = 100\n  retention_period = \"720h\"");
    let plan = wd.step(&renamed);
    assert_eq!(actions(&plan, ADDR), ["update"]);
    assert_eq!(mock_names(&mock), ["metrics2"]);
    assert_eq!(count(&mock, "DELETE"), 0, "a rename deletes nothing");
    assert_eq!(
        mock_database(&mock, "metrics2")["retentionPeriod"],
        THIRTY_DAYS_NS
    );

    if tf.at_least(1, 3) {
        let out = wd
            .terraform(&["plan", "-destroy", "-no-color", "-input=false"])
            .success();
        assert_mentions(
            &out.output(),
            &[
                "Database Will Be Deleted",
                "destroys the database \"metrics2\"",
            ],
        );
    } else {
        eprintln!(
            "Terraform {} does not ask providers to plan destroys (1.3+): no destroy warning to check",
            tf.version_string()
        );
    }
    wd.destroy().success();
    assert!(mock_names(&mock).is_empty(), "{:#}", mock.state());
}

#[test]
fn a_partition_template_is_set_at_creation_and_a_change_replaces_the_database() {
    let tf = terraform_or_return!();
    let mock = start();
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let template = |time: &str| {
        database(&format!(
            "  name = \"parts\"\n  partition_template = [\n    {{ type = \"tag\", value = \"region\" }},\n    {{ type = \"bucket\", value = \"host\", number_of_buckets = 10 }},\n    {{ type = \"time\", value = \"{time}\" }},\n  ]"
        ))
    };
    wd.step(&template("%Y-%m"));
    let stored = mock_database(&mock, "parts");
    assert_eq!(
        stored["partitionTemplate"],
        serde_json::json!([
            {"type": "tag", "value": "region"},
            {"type": "bucket", "value": {"tagName": "host", "numberOfBuckets": 10}},
            {"type": "time", "value": "%Y-%m"},
        ])
    );
    let plan = wd.step(&template("%Y-%m-%d"));
    assert_eq!(actions(&plan, ADDR), ["delete", "create"]);
    assert_eq!(
        mock_database(&mock, "parts")["partitionTemplate"][2]["value"],
        "%Y-%m-%d"
    );
}

#[test]
fn import_by_name_reads_every_attribute_back() {
    let tf = terraform_or_return!();
    let mock = start();
    let hcl = database(
        "  name = \"imported/db\"\n  max_tables = 42\n  retention_period = \"1h30m\"\n  partition_template = [{ type = \"tag\", value = \"region\" }]",
    );
    let mut created = WorkDir::new(&tf);
    created.use_mock(&mock);
    created.step(&hcl);
    let expected = state_values(&created.state_json(), ADDR).clone();

    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.write_config(&hcl);
    wd.terraform(&["import", "-no-color", "-input=false", ADDR, "imported/db"])
        .success();
    assert_eq!(state_values(&wd.state_json(), ADDR), &expected);
    wd.assert_empty_plan(true);

    let mut bad = WorkDir::new(&tf);
    bad.use_mock(&mock);
    bad.write_config(&hcl);
    let out = bad.terraform(&["import", "-no-color", "-input=false", ADDR, "bad name!"]);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(
        &out.output(),
        &["Invalid Import ID", "contains ' '", "ASCII letters, digits"],
    );
    bad.terraform(&["import", "-no-color", "-input=false", ADDR, "absent"])
        .failure_matching("(?i)non-existent");

    if !tf.at_least(1, 5) {
        eprintln!(
            "Terraform {} has no import blocks (1.5+): import block not checked",
            tf.version_string()
        );
        return;
    }
    let mut block = WorkDir::new(&tf);
    block.use_mock(&mock);
    let plan = block.step(&format!(
        "{hcl}\nimport {{\n  to = {ADDR}\n  id = \"imported/db\"\n}}\n"
    ));
    let change = resource_change(&plan, ADDR);
    assert_eq!(actions(&plan, ADDR), ["no-op"], "{change:#}");
    assert_eq!(change["change"]["importing"]["id"], "imported/db");
    assert_eq!(state_values(&block.state_json(), ADDR), &expected);
}

#[test]
fn changes_made_outside_terraform_are_planned_back() {
    let tf = terraform_or_return!();
    let mock = start();
    let seed = Seed::new(&mock);
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let hcl = database("  name = \"drifty\"\n  max_tables = 100\n  retention_period = \"12h\"");
    wd.step(&hcl);

    seed.patch_database(
        "drifty",
        DatabaseSettings {
            max_tables: Some(7),
            retention_period: Some(0),
            ..DatabaseSettings::default()
        },
    );
    let plan = wd.step(&hcl);
    assert_eq!(actions(&plan, ADDR), ["update"]);
    let change = &resource_change(&plan, ADDR)["change"];
    assert_eq!(change["before"]["max_tables"], 7, "{change:#}");
    assert_eq!(change["before"]["retention_period"], "0");
    let stored = mock_database(&mock, "drifty");
    assert_eq!(stored["maxTables"], 100);
    assert_eq!(stored["retentionPeriod"], 12 * 3_600 * 1_000_000_000_i64);

    seed.delete_database("drifty");
    let out = wd
        .terraform(&["plan", "-no-color", "-input=false"])
        .success();
    assert_mentions(
        &out.output(),
        &[
            "Database Deleted Or Renamed Outside Terraform",
            "\"drifty\"",
        ],
    );
    let plan = wd.step(&hcl);
    assert_eq!(actions(&plan, ADDR), ["create"]);
    assert_eq!(mock_names(&mock), ["drifty"]);
}

#[test]
fn bad_inputs_fail_before_any_api_call_and_name_the_attribute() {
    let tf = terraform_or_return!();
    let mock = start();
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let part = |t: &str, v: &str| format!("{{ type = \"{t}\", value = \"{v}\" }}");
    let nine_tags: Vec<String> = (0..9).map(|i| part("tag", &format!("t{i}"))).collect();
    let cases: Vec<(String, &str)> = vec![
        ("name = \"_hidden\"".into(), "name \"_hidden\" starts with `_`"),
        ("name = \"my db\"".into(), "name \"my db\" contains ' '"),
        (format!("name = \"{}\"", "a".repeat(65)), "has 65 characters"),
        ("name = \"x\"\n  max_tables = 0".into(), "max_tables is 0"),
        ("name = \"x\"\n  max_columns_per_table = 1.5".into(), "max_columns_per_table is 1.5"),
        ("name = \"x\"\n  retention_period = \"-1h\"".into(), "retention_period \"-1h\" is negative"),
        ("name = \"x\"\n  retention_period = \"forever\"".into(), "retention_period \"forever\" is not a duration"),
        ("name = \"x\"\n  retention_period = \"1.5ns\"".into(), "not a whole number of nanoseconds"),
        (format!("name = \"x\"\n  partition_template = [{}, {}]", part("time", "%Y"), part("time", "%m")), "2 `time` parts"),
        (format!("name = \"x\"\n  partition_template = [{}]", nine_tags.join(", ")), "partition_template has 9 parts"),
        (format!("name = \"x\"\n  partition_template = [{}]", part("bucket", "host")), "needs number_of_buckets"),
        ("name = \"x\"\n  partition_template = [{ type = \"bucket\", value = \"h\", number_of_buckets = 0 }]".into(), "number_of_buckets is 0"),
        (format!("name = \"x\"\n  partition_template = [{0}, {0}]", part("tag", "a")), "partition_template[1] repeats"),
        (format!("name = \"x\"\n  partition_template = [{}]", part("tag", &"v".repeat(201))), "201 bytes"),
        (format!("name = \"x\"\n  partition_template = [{}]", part("hash", "a")), "type \"hash\" is not one of"),
        // A null part is valid for the attribute's type; the API would reject the request.
        (format!("name = \"x\"\n  partition_template = [{}, null]", part("tag", "a")), "partition_template[1] is null"),
    ];
    for (attrs, expected) in &cases {
        wd.write_config(&database(&format!("  {attrs}")));
        let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
        assert_ne!(out.code, 0, "{attrs} must be rejected:\n{out}");
        assert_mentions(&out.output(), &[expected]);
    }
    assert!(
        mock.requests().is_empty(),
        "validation must not call the API: {:?}",
        mock.requests()
    );
}

#[test]
fn creating_a_taken_name_fails_and_suggests_import() {
    let tf = terraform_or_return!();
    let mock = start();
    Seed::new(&mock).database(named("taken"));
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.write_config(&database("  name = \"taken\""));
    let out = wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(
        &out.output(),
        &["Database Already Exists", "\"taken\"", "terraform import"],
    );
    let state = wd.terraform(&["show", "-json"]).success();
    let state: Json = serde_json::from_str(&state.stdout).unwrap_or(Json::Null);
    assert!(state_resource(&state, ADDR).is_none(), "{state:#}");
}

#[test]
fn deletion_protection_refuses_replace_and_destroy_until_turned_off() {
    let tf = terraform_or_return!();
    let mock = start();
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.step(&database(
        "  name = \"precious\"\n  deletion_protection = true",
    ));

    wd.write_config(&database(
        "  name = \"precious\"\n  deletion_protection = true\n  partition_template = [{ type = \"tag\", value = \"t\" }]",
    ));
    let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(
        &out.output(),
        &[
            "Database Deletion Protected",
            "replaces the database \"precious\"",
            "set deletion_protection = false, apply",
        ],
    );

    wd.write_config(&database(
        "  name = \"precious\"\n  deletion_protection = true",
    ));
    let out = wd.destroy();
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(
        &out.output(),
        &["Database Deletion Protected", "deletion_protection = false"],
    );
    if !tf.at_least(1, 3) {
        eprintln!(
            "Terraform {} does not plan destroys: the refusal came from delete itself",
            tf.version_string()
        );
    }
    assert_eq!(mock_names(&mock), ["precious"]);

    let patches = count(&mock, "PATCH");
    let plan = wd.step(&database("  name = \"precious\""));
    assert_eq!(actions(&plan, ADDR), ["update"]);
    assert_eq!(
        count(&mock, "PATCH"),
        patches,
        "a provider-only setting is not sent"
    );
    wd.destroy().success();
    assert!(mock_names(&mock).is_empty());
}

/// A replacement Terraform decides itself: `-replace` and `replace_triggered_by` of a
/// protected database fail at plan; of an unprotected one, they plan without a warning
/// (Terraform keeps only errors from the plan call that sees the old database); `taint` plans
/// without either and is refused at apply. The database page says exactly this.
#[test]
fn a_protected_database_is_refused_at_plan_by_replace_and_replace_triggered_by_and_at_apply_by_taint()
 {
    let tf = terraform_or_return!();
    assert_page_says(
        "resources/database.md",
        &[
            "`terraform plan -replace=ADDR` and `replace_triggered_by`: a **protected** database \
             is refused at plan time (\"Database Deletion Protected\")",
            "An unprotected one gets **no warning**",
            "`terraform taint`: nothing in the plan names the old database, so the plan has no \
             warning and no refusal; a protected database is refused when the apply reaches the \
             delete",
        ],
    );
    let mock = start();
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let trigger = tf.at_least(1, 4);
    let body = |protected: bool, input: &str| {
        let mut body = format!("  name = \"precious\"\n  deletion_protection = {protected}");
        if trigger {
            body.push_str(
                "\n  lifecycle {\n    replace_triggered_by = [terraform_data.trigger]\n  }\n}\n\
                 resource \"terraform_data\" \"trigger\" {\n",
            );
            body.push_str(&format!("  input = \"{input}\""));
        }
        database(&body)
    };
    wd.step(&body(true, "a"));
    let replace = format!("-replace={ADDR}");
    let out = wd.terraform(&["plan", "-no-color", "-input=false", &replace]);
    assert_ne!(out.code, 0, "-replace: {out}");
    assert_mentions(&out.output(), &["Database Deletion Protected"]);
    if trigger {
        wd.write_config(&body(true, "b"));
        let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
        assert_ne!(out.code, 0, "replace_triggered_by: {out}");
        assert_mentions(&out.output(), &["Database Deletion Protected"]);
        wd.write_config(&body(true, "a"));
    } else {
        eprintln!(
            "Terraform {} has no terraform_data: replace_triggered_by not checked",
            tf.version_string()
        );
    }

    wd.terraform(&["taint", "-no-color", ADDR]).success();
    let out = wd
        .terraform(&["plan", "-no-color", "-input=false"])
        .success();
    assert!(
        !out.output().contains("Database Deletion Protected"),
        "taint: {out}"
    );
    let out = wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    assert_ne!(out.code, 0, "taint: {out}");
    assert_mentions(&out.output(), &["Database Deletion Protected"]);
    assert_eq!(mock_names(&mock), ["precious"]);
    wd.terraform(&["untaint", "-no-color", ADDR]).success();

    // Unprotected: the same two routes plan a replacement without a word about the delete.
    wd.step(&body(false, "a"));
    let out = wd
        .terraform(&["plan", "-no-color", "-input=false", &replace])
        .success();
    assert!(
        !out.output().contains("Database Will Be Deleted"),
        "-replace: {out}"
    );
    if trigger {
        wd.write_config(&body(false, "b"));
        let out = wd
            .terraform(&["plan", "-no-color", "-input=false"])
            .success();
        assert!(flat(&out.output()).contains("will be replaced"), "{out}");
        assert!(
            !out.output().contains("Database Will Be Deleted"),
            "replace_triggered_by: {out}"
        );
    }
    // The contrast: a destroy, which Terraform plans with the provider from 1.3 on, warns.
    let out = wd.destroy().success();
    if tf.at_least(1, 3) {
        assert_mentions(&out.output(), &["Database Will Be Deleted"]);
    }
}

#[test]
fn repointing_the_provider_replaces_the_database_in_the_new_cluster() {
    let tf = terraform_or_return!();
    let other = (
        "11111111-1111-4111-8111-111111111111",
        "22222222-2222-4222-8222-222222222222",
    );
    let mock = MockServer::start(MockOptions {
        extra_clusters: vec![(other.0.to_owned(), other.1.to_owned())],
        ..MockOptions::default()
    })
    .expect("start the mock");
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let hcl = database("  name = \"moving\"");
    wd.step(&hcl);

    wd.set_env("INFLUXDB3_ACCOUNT_ID", other.0);
    wd.set_env("INFLUXDB3_CLUSTER_ID", other.1);
    let plan = wd.step(&hcl);
    assert_eq!(actions(&plan, ADDR), ["delete", "create"]);
    assert!(
        mock_names(&mock).is_empty(),
        "deleted from the first cluster"
    );
    let moved = &mock.state()["clusters"][1]["databases"];
    assert_eq!(moved[0]["name"], "moving", "{moved:#}");
    assert_eq!(state_values(&wd.state_json(), ADDR)["cluster_id"], other.1);
}

/// An error inside one `partition_template` element quotes that element's line, not the
/// resource's first line: Terraform can follow `partition_template[1]` into the list literal,
/// but not a further `.type` step.
#[test]
fn an_error_in_a_partition_template_part_quotes_that_part() {
    let tf = terraform_or_return!();
    let mock = start();
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let cases = [
        (
            "{ type = \"hash\", value = \"b\" }",
            "Invalid Partition Template Part",
        ),
        (
            "{ type = \"tag\", value = \"\" }",
            "Invalid Partition Template Part",
        ),
        (
            "{ type = \"bucket\", value = \"b\" }",
            "Missing Number Of Buckets",
        ),
        (
            "{ type = \"tag\", value = \"b\", number_of_buckets = 2 }",
            "Unexpected Number Of Buckets",
        ),
    ];
    for (bad, summary) in cases {
        let hcl = database(&format!(
            "  name = \"x\"\n  partition_template = [\n    {{ type = \"tag\", value = \"a\" }},\n    {bad},\n  ]"
        ));
        let line = hcl
            .lines()
            .position(|l| l.contains(bad))
            .expect("the bad part is in the config")
            + 1;
        wd.write_config(&hcl);
        let out = wd.terraform(&["validate", "-no-color"]);
        assert_ne!(out.code, 0, "{bad} must be rejected:\n{out}");
        let quoted = format!("{line}:     {bad}");
        assert!(
            out.output().contains(summary) && out.output().contains(&quoted),
            "{summary} must quote line {line} ({quoted:?}):\n{out}"
        );
    }
}
