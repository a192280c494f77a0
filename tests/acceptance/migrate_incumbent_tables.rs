//! The incumbent provider's table configurations and state under our provider. Its two table
//! examples (tests/data/incumbent/table.tf and cloud_table.tf, each with the database it names)
//! give the table's database as `database_name` and a bucket part as JSON: with only the
//! `source` line changed they validate with a warning that says what to write, create what
//! they say and plan empty; and the incumbent's table state plans empty after
//! `terraform state replace-provider`.

use serde_json::{Value as Json, json};
use terraform_provider_influxdb3::api::{CreateTableRequest, DatabaseSettings, PartitionPart};

use super::database_token::setup;
use super::migrate_incumbent_databases::incumbent_example;
use super::support::incumbent::{self, INCUMBENT};
use super::support::mock_checks::api_writes;
use super::support::seed::{Seed, named};
use super::support::terraform_or_return;
use super::support::text::{assert_mentions, flat};
use super::support::{actions, state_file, state_values};
use terraform_provider_influxdb3::mock::MockServer;

/// The incumbent's two table examples: file, database type, table type.
const EXAMPLES: [(&str, &str, &str); 2] = [
    ("table.tf", "influxdb3_database", "influxdb3_table"),
    (
        "cloud_table.tf",
        "influxdb3_cloud_database",
        "influxdb3_cloud_table",
    ),
];

/// The bucket part of the examples as `jsonencode` writes it (keys sorted, no spaces).
const BUCKET_JSON: &str = r#"{"numberOfBuckets":10,"tagName":"temperature"}"#;

/// The mock's live tables of the default cluster.
fn tables(mock: &MockServer) -> Vec<Json> {
    mock.state()["clusters"][0]["tables"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_incumbents_table_examples_validate_apply_and_plan_empty() {
    let tf = terraform_or_return!();
    for (file, _, table_type) in EXAMPLES {
        let (mock, wd) = setup(&tf);
        let config = incumbent_example(file);
        wd.write_config(&config);
        let validate = wd.terraform(&["validate", "-no-color"]).success();
        assert_mentions(
            &validate.output(),
            &[
                "Deprecated Attribute database_name",
                "write `database` in place of `database_name`",
            ],
        );
        let addr = format!("{table_type}.sensors");
        let plan = wd.step(&config);
        assert_eq!(actions(&plan, &addr), ["create"], "{file}");
        let stored = tables(&mock);
        assert_eq!(stored.len(), 1, "{file}: {stored:?}");
        assert_eq!(stored[0]["databaseName"], "signals", "{file}");
        assert_eq!(stored[0]["name"], "sensors", "{file}");
        assert_eq!(
            stored[0]["partitionTemplate"],
            json!([
                {"type": "tag", "value": "line"},
                {"type": "time", "value": "%Y-%m-%d"},
                {"type": "bucket", "value": {"tagName": "temperature", "numberOfBuckets": 10}},
            ]),
            "{file}: what the incumbent would have sent"
        );
        let values = state_values(&wd.state_json(), &addr).clone();
        assert_eq!(values["database"], "signals", "{file}");
        assert_eq!(values["database_name"], "signals", "{file}");

        // Doing what the warning says is an update of the state alone.
        let before = api_writes(&mock);
        let ours = config.replacen("database_name =", "database      =", 1);
        let plan = wd.step(&ours);
        assert_eq!(actions(&plan, &addr), ["update"], "{file}");
        assert_eq!(api_writes(&mock), before, "{file}: nothing sent");
        let values = state_values(&wd.state_json(), &addr).clone();
        assert_eq!(values["database_name"], Json::Null, "{file}");
        let out = flat(&wd.terraform(&["validate", "-no-color"]).success().output());
        assert!(
            !out.contains("Deprecated Attribute database_name"),
            "{file}: no warning left: {out}"
        );
    }
}

#[test]
fn a_table_needs_exactly_one_of_database_and_database_name() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let config = incumbent_example("table.tf");
    let line = "  database_name = influxdb3_database.signals.name\n";
    assert!(config.contains(line));
    for (to, words) in [
        ("", "Missing Database"),
        (
            "  database_name = \"signals\"\n  database = \"signals\"\n",
            "Database Set Twice",
        ),
        (
            "  database_name = \"_signals\"\n",
            "The database name \"_signals\" starts with `_`",
        ),
    ] {
        wd.write_config(&config.replacen(line, to, 1));
        let out = wd.terraform(&["validate", "-no-color"]);
        assert!(out.code != 0, "{to:?}: expected an error:\n{out}");
        assert!(flat(&out.output()).contains(words), "{words:?}:\n{out}");
    }
    assert_eq!(api_writes(&mock), Vec::<String>::new(), "nothing sent");
}

/// The incumbent's state of the example: its database (retention in nanoseconds as a number,
/// no template) and its table (`database_name`, the bucket part as the JSON it was given).
fn incumbent_state(
    mock: &MockServer,
    database_type: &'static str,
    table_type: &'static str,
) -> Json {
    let (account, cluster) = (mock.account_id(), mock.cluster_id());
    incumbent::state(
        INCUMBENT,
        vec![
            (
                database_type,
                "signals".to_owned(),
                json!({
                    "account_id": account,
                    "cluster_id": cluster,
                    "name": "signals",
                    "max_tables": 500,
                    "max_columns_per_table": 200,
                    "retention_period": 604_800,
                    "partition_template": []
                }),
            ),
            (
                table_type,
                "sensors".to_owned(),
                json!({
                    "account_id": account,
                    "cluster_id": cluster,
                    "database_name": "signals",
                    "name": "sensors",
                    "partition_template": [
                        {"type": "tag", "value": "line"},
                        {"type": "time", "value": "%Y-%m-%d"},
                        {"type": "bucket", "value": BUCKET_JSON}
                    ]
                }),
            ),
        ],
    )
}

/// The mock holding what the incumbent's example made: its database and its table.
fn seed_example(mock: &MockServer) {
    let seed = Seed::new(mock);
    seed.database(terraform_provider_influxdb3::api::CreateDatabaseRequest {
        settings: DatabaseSettings {
            max_tables: Some(500),
            max_columns_per_table: Some(200),
            retention_period: Some(604_800),
        },
        ..named("signals")
    });
    seed.table(
        "signals",
        CreateTableRequest {
            name: "sensors".into(),
            partition_template: Some(vec![
                PartitionPart::Tag {
                    value: "line".into(),
                },
                PartitionPart::Time {
                    value: "%Y-%m-%d".into(),
                },
                PartitionPart::Bucket {
                    tag_name: "temperature".into(),
                    number_of_buckets: 10,
                },
            ]),
        },
    );
}

#[test]
fn the_incumbents_table_state_plans_empty_after_replace_provider() {
    let tf = terraform_or_return!();
    for (file, database_type, table_type) in EXAMPLES {
        let (mock, wd) = setup(&tf);
        seed_example(&mock);
        let state = incumbent_state(&mock, database_type, table_type);
        std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
        wd.write_config(&incumbent_example(file));
        state_file::replace_provider(&wd, INCUMBENT);
        let before = api_writes(&mock);
        let plan = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
        assert_eq!(plan.code, 0, "{file}: expected an empty plan:\n{plan}");
        wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
            .success();
        wd.assert_empty_plan(true);
        assert_eq!(api_writes(&mock), before, "{file}: nothing sent");
        let values = state_values(&wd.state_json(), &format!("{table_type}.sensors")).clone();
        assert_eq!(values["database"], "signals", "{file}");
        assert_eq!(values["database_name"], "signals", "{file}");
        assert_eq!(
            values["partition_template"][2]["value"], BUCKET_JSON,
            "{file}"
        );
    }
}

/// The incumbent's table template was optional and computed, so its state may hold a template
/// its configuration does not set; ours keeps it too (a template cannot change), instead of
/// planning a replacement that would delete the table's data.
#[test]
fn a_template_in_state_but_not_in_the_configuration_plans_nothing() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    seed_example(&mock);
    let state = incumbent_state(&mock, "influxdb3_database", "influxdb3_table");
    std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
    let example = incumbent_example("table.tf");
    let start = example.find("  partition_template").expect("a template");
    let end = example[start..].find("\n  ]\n").expect("its end") + start + "\n  ]\n".len();
    let without = format!("{}{}", &example[..start], &example[end..]);
    assert!(!without.contains("partition_template"), "{without}");
    wd.write_config(&without);
    state_file::replace_provider(&wd, INCUMBENT);
    let plan = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(plan.code, 0, "expected an empty plan:\n{plan}");
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    let values = state_values(&wd.state_json(), "influxdb3_table.sensors").clone();
    assert_eq!(
        values["partition_template"][2]["value"], BUCKET_JSON,
        "kept"
    );

    // A rename keeps it too (what the table was created with cannot change).
    let renamed = without.replace(
        "name          = \"sensors\"",
        "name          = \"readings\"",
    );
    assert_ne!(renamed, without);
    let plan = wd.step(&renamed);
    assert_eq!(actions(&plan, "influxdb3_table.sensors"), ["update"]);
    let values = state_values(&wd.state_json(), "influxdb3_table.sensors").clone();
    assert_eq!(
        values["partition_template"][2]["value"], BUCKET_JSON,
        "kept"
    );
}

/// The `moved` route (Terraform 1.8+) from the incumbent's own address: its example, with our
/// type names and a `moved` block each, plans two no-op moves and keeps `database_name`.
#[test]
fn moved_blocks_from_the_incumbents_address_move_its_table_unchanged() {
    let Some(tf) = super::support::terraform::terraform_for_moves_or_skip(
        "moved_blocks_from_the_incumbents_address_move_its_table_unchanged",
    ) else {
        return;
    };
    let mock = MockServer::start(Default::default()).expect("start the mock");
    let wd = super::migrate_incumbent::with_stand_in(&tf, &mock, INCUMBENT);
    seed_example(&mock);
    let state = incumbent_state(&mock, "influxdb3_cloud_database", "influxdb3_cloud_table");
    std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
    let config = incumbent_example("cloud_table.tf")
        .replace("influxdb3_cloud_database", "influxdb3_database")
        .replace("influxdb3_cloud_table", "influxdb3_table");
    wd.write_config(&format!(
        "{config}\nmoved {{\n  from = influxdb3_cloud_database.signals\n  to   = \
         influxdb3_database.signals\n}}\n\nmoved {{\n  from = influxdb3_cloud_table.sensors\n  \
         to   = influxdb3_table.sensors\n}}\n"
    ));
    let before = api_writes(&mock);
    let plan = wd.plan_json();
    for addr in ["influxdb3_database.signals", "influxdb3_table.sensors"] {
        assert_eq!(actions(&plan, addr), ["no-op"], "{addr}");
    }
    wd.apply_plan().success();
    wd.assert_empty_plan(true);
    let values = state_values(&wd.state_json(), "influxdb3_table.sensors").clone();
    assert_eq!(values["database"], "signals");
    assert_eq!(values["database_name"], "signals");
    assert_eq!(api_writes(&mock), before, "a move sends nothing");
}
