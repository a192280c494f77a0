//! The incumbent provider's database and data source configurations (tests/data/incumbent/,
//! written from its documented examples with only the `source` line changed) under our
//! provider: they validate with deprecation warnings that say what to write instead, create
//! against the mock what the incumbent would have created, and then plan empty. Also: a
//! retention written our way and then the incumbent's way is no change, a bucket part respelled
//! is no replacement and no API write, and the data source aliases read what ours read.

use serde_json::Value as Json;
use terraform_provider_influxdb3::api::{CreateDatabaseRequest, DatabaseSettings};

use super::database::mock_database;
use super::database_token::setup;
use super::support::mock_checks::api_writes as writes;
use super::support::seed::{Seed, named};
use super::support::terraform_or_return;
use super::support::text::{assert_mentions, flat};
use super::support::{actions, required_providers, state_values};

/// A configuration of tests/data/incumbent/.
pub(super) fn incumbent_example(name: &str) -> String {
    let path = format!("{}/tests/data/incumbent/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_incumbents_database_example_creates_what_it_says_and_plans_empty() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let config = incumbent_example("database.tf");
    wd.write_config(&config);
    let validate = wd.terraform(&["validate", "-no-color"]).success();
    assert_mentions(
        &validate.output(),
        &[
            "Deprecated Resource Type influxdb3_cloud_database",
            "Rename the resource to influxdb3_database",
            "Retention Period Without Unit",
            "604800 ns = 604.8µs; did you mean 7d?",
            "Deprecated Bucket Partition Part Spelling",
            r#"{ type = "bucket", value = "device", number_of_buckets = 10 }"#,
        ],
    );
    let plan = wd.step(&config);
    assert_eq!(
        actions(&plan, "influxdb3_cloud_database.sensors"),
        ["create"]
    );

    // What the API holds is what the incumbent would have sent.
    let sensors = mock_database(&mock, "sensors");
    assert_eq!(sensors["retentionPeriod"], 604_800, "{sensors}");
    assert_eq!(
        sensors["partitionTemplate"][2],
        serde_json::json!({"type": "bucket", "value": {"tagName": "device", "numberOfBuckets": 10}}),
        "{sensors}"
    );
    assert_eq!(mock_database(&mock, "archive")["retentionPeriod"], 0);
    // The state keeps the configured spellings, so the plans above were empty.
    let state = wd.state_json();
    let values = state_values(&state, "influxdb3_cloud_database.sensors");
    assert_eq!(values["retention_period"], "604800");
    let bucket = &values["partition_template"][2];
    let json: Json = serde_json::from_str(bucket["value"].as_str().unwrap_or_default())
        .expect("the JSON value as written");
    assert_eq!(json["tagName"], "device");
    assert_eq!(bucket["number_of_buckets"], Json::Null);
}

#[test]
fn a_retention_and_a_bucket_written_either_way_change_nothing() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let ours = format!(
        "{}\nresource \"influxdb3_database\" \"d\" {{\n  name             = \"d\"\n  \
         retention_period = \"7d\"\n  partition_template = [\n    {{ type = \"bucket\", value = \
         \"device\", number_of_buckets = 10 }},\n  ]\n}}\n",
        required_providers()
    );
    wd.step(&ours);
    let before = writes(&mock);

    // 7 days in nanoseconds, unitless: the same duration, so no change at all.
    let nanos = ours.replace("\"7d\"", "604800000000000");
    wd.write_config(&nanos);
    wd.assert_empty_plan(true);
    wd.assert_empty_plan(false);
    let out = flat(&wd.terraform(&["validate", "-no-color"]).success().output());
    assert!(
        out.contains("604800000000000 ns = 7d") && out.contains("Write it as \"7d\""),
        "{out}"
    );

    // The bucket written the incumbent's way: the same parts, so an in-place respelling of
    // the state (not a replacement) that sends nothing to the API.
    let json = nanos.replace(
        "value = \"device\", number_of_buckets = 10",
        "value = jsonencode({ tagName = \"device\", numberOfBuckets = 10 })",
    );
    let plan = wd.step(&json);
    assert_eq!(actions(&plan, "influxdb3_database.d"), ["update"]);
    assert_eq!(writes(&mock), before, "no API write after the first create");

    // A different count is a real change: replacement, as with our spelling.
    wd.write_config(&json.replace("numberOfBuckets = 10", "numberOfBuckets = 11"));
    let plan = wd.plan_json();
    assert_eq!(actions(&plan, "influxdb3_database.d"), ["delete", "create"]);
}

#[test]
fn bad_incumbent_spellings_fail_validate_at_their_attribute() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let config = incumbent_example("database.tf");
    for (from, to, words) in [
        (
            "numberOfBuckets = 10",
            "buckets = 10",
            "partition_template[2].value needs numberOfBuckets as a whole number",
        ),
        (
            "numberOfBuckets = 10\n      })",
            "numberOfBuckets = 10\n      })\n      number_of_buckets = 10",
            "gives the bucket count twice",
        ),
        (
            "604800",
            "-604800",
            "retention_period \"-604800\" is negative",
        ),
    ] {
        assert!(config.contains(from), "{from}");
        wd.write_config(&config.replacen(from, to, 1));
        let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
        assert!(out.code != 0, "{to}: expected an error:\n{out}");
        assert!(flat(&out.output()).contains(words), "{words:?}:\n{out}");
    }
    assert_eq!(writes(&mock), Vec::<String>::new(), "nothing sent");
}

#[test]
fn the_incumbents_data_source_names_read_what_ours_read() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    let seed = Seed::new(&mock);
    seed.database(CreateDatabaseRequest {
        settings: DatabaseSettings {
            retention_period: Some(604_800_000_000_000),
            ..DatabaseSettings::default()
        },
        ..named("sensors")
    });
    let id = seed.token("reader", &[("read", "sensors")]);
    seed.token("writer", &[("write", "sensors")]);
    wd.set_env("TF_VAR_token_id", &id);
    let config = format!(
        "{}\n\
         data \"influxdb3_database\" \"ours\" {{\n  name = \"sensors\"\n}}\n\
         data \"influxdb3_database_token\" \"ours\" {{\n  id = var.token_id\n}}\n\
         data \"influxdb3_database_tokens\" \"ours\" {{}}\n\
         output \"ours_database\" {{\n  value = data.influxdb3_database.ours\n}}\n\
         output \"ours_token\" {{\n  value = data.influxdb3_database_token.ours\n}}\n\
         output \"ours_tokens\" {{\n  value = data.influxdb3_database_tokens.ours.tokens\n}}\n",
        incumbent_example("data_sources.tf")
    );
    wd.write_config(&config);
    let validate = wd.terraform(&["validate", "-no-color"]).success();
    assert_mentions(
        &validate.output(),
        &[
            "Deprecated Data Source influxdb3_cloud_database",
            "Write data \"influxdb3_database\" instead",
            "Deprecated Data Source influxdb3_tokens",
            "include_revoked",
        ],
    );
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    let outputs = wd.terraform_json(&["output", "-json"]);
    let value = |name: &str| outputs[name]["value"].clone();
    let ours = value("ours_database");
    assert_eq!(ours["retention_period"], "7d", "{ours}");
    assert_eq!(value("cloud_database"), ours);
    assert_eq!(value("cloud_databases"), value("databases"));
    assert_eq!(value("ours_token")["id"], id.as_str());
    assert_eq!(value("cloud_token"), value("ours_token"));
    assert_eq!(value("token"), value("ours_token"));
    assert_eq!(value("ours_tokens").as_array().map(Vec::len), Some(2));
    assert_eq!(value("cloud_tokens"), value("ours_tokens"));
    assert_eq!(value("tokens"), value("ours_tokens"));
}
