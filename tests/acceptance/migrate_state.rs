//! Stored state from before a schema change reaches an empty plan with no API write: the
//! incumbent's database state (its schema version 0: retention as a number of nanoseconds, a
//! bucket part as JSON text) after `terraform state replace-provider` or across a `moved` block
//! from the incumbent's address, the incumbent's table under our `influxdb3_table`, and our own
//! token state of schema version 0 (before `revoked_at`). The state files are written by hand
//! from the shapes the provider that wrote them uses (state format 4). `state replace-provider`
//! never starts the source provider; the `moved` route needs the incumbent installed, and uses
//! the stand-in of `migrate_incumbent` (this provider's binary under the incumbent's address).

use serde_json::{Value as Json, json};
use terraform_provider_influxdb3::api::{CreateDatabaseRequest, DatabaseSettings, PartitionPart};
use terraform_provider_influxdb3::mock::MockServer;

use super::database_token::setup;
use super::support::mock_checks::{api_writes, mock_token};
use super::support::seed::Seed;
use super::support::state_file::{one_resource, replace_provider, resources, schema_version};
use super::support::terraform::{Terraform, terraform_for_moves_or_skip};
use super::support::{SOURCE, WorkDir, required_providers, state_values};

use super::support::incumbent::INCUMBENT;
use super::support::terraform_or_return;
const SECRET: &str = "apiv1_stored-before-the-schema-changed";

/// A directory whose state file is `state` and whose configuration is `config`.
fn with_state(tf: &Terraform, state: impl FnOnce(&MockServer) -> Json) -> (MockServer, WorkDir) {
    let (mock, wd) = setup(tf);
    let state = state(&mock);
    std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
    (mock, wd)
}

/// Plans with `-detailed-exitcode` and panics unless the plan is empty.
fn assert_no_changes(wd: &WorkDir, what: &str) -> String {
    let plan = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{what}: expected an empty plan:\n{plan}");
    plan.output()
}

/// The body of the incumbent's database `signals` as its configuration writes it: retention as
/// unitless nanoseconds, the bucket part as JSON.
const INCUMBENT_SPELLING: &str = "  name             = \"signals\"\n  retention_period = 604800\n  \
    partition_template = [\n    { type = \"tag\", value = \"line\" },\n    \
    { type = \"bucket\", value = jsonencode({ tagName = \"station\", numberOfBuckets = 10 }) },\n  ]\n";

/// The incumbent's database, as its example creates it.
fn seed_incumbent_database(mock: &MockServer) {
    super::support::incumbent::seed_database(mock);
}

/// The incumbent's state of `type_name.name` (schema version 0, `attributes` of the mock's
/// incumbent database), switched to us with `state replace-provider`: plans nothing against
/// `body` and is written back at the current version by an apply that makes no API call.
/// Returns the state's values.
fn switched_plans_nothing(
    tf: &Terraform,
    type_name: &str,
    attributes: fn(&MockServer) -> Json,
    body: &str,
) -> Json {
    let (mock, wd) = with_state(tf, |mock| {
        seed_incumbent_database(mock);
        one_resource(INCUMBENT, type_name, "x", 0, attributes(mock))
    });
    wd.write_config(&format!(
        "{}
resource \"{type_name}\" \"x\" {{\n{body}}}\n",
        required_providers()
    ));
    replace_provider(&wd, INCUMBENT);
    assert_no_changes(&wd, type_name);
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    assert_eq!(
        schema_version(wd.path(), type_name, "x"),
        Some(1),
        "{type_name}: written back at the current version"
    );
    let w = api_writes(&mock);
    assert!(
        w.len() == 1 && w[0].starts_with("POST ") && w[0].ends_with("/databases"),
        "{type_name}: only the seeding create: {w:?}"
    );
    state_values(&wd.state_json(), &format!("{type_name}.x")).clone()
}

#[test]
fn incumbent_database_state_plans_nothing_after_replace_provider() {
    let tf = terraform_or_return!();
    // The incumbent's configuration as it wrote it: unitless nanoseconds, a JSON bucket part.
    let values = switched_plans_nothing(
        &tf,
        "influxdb3_database",
        |mock| {
            json!({
                "account_id": mock.account_id(),
                "cluster_id": mock.cluster_id(),
                "name": "signals",
                "max_tables": 500,
                "max_columns_per_table": 200,
                "retention_period": 604_800,
                "partition_template": [
                    {"type": "tag", "value": "line"},
                    {"type": "bucket", "value": "{\"numberOfBuckets\":10,\"tagName\":\"station\"}"}
                ]
            })
        },
        INCUMBENT_SPELLING,
    );
    // As our Read writes it for this configuration: the incumbent's spellings, kept.
    assert_eq!(values["retention_period"], "604800", "{values}");
    assert_eq!(
        values["partition_template"][1]["value"],
        "{\"numberOfBuckets\":10,\"tagName\":\"station\"}"
    );
    assert_eq!(values["deletion_protection"], false);
}

#[test]
fn our_version_0_token_state_plans_nothing_after_revoked_at_was_added() {
    let tf = terraform_or_return!();
    let mut id = String::new();
    let (mock, wd) = with_state(&tf, |mock| {
        id = Seed::new(mock).token("ingest", &[("write", "signals")]);
        let created_at = mock_token(mock, &id)["createdAt"].clone();
        one_resource(
            SOURCE,
            "influxdb3_database_token",
            "t",
            0,
            json!({
                "id": id,
                "description": "ingest",
                "permissions": [{"action": "write", "resource": "signals"}],
                "expires_at": null,
                "access_token": SECRET,
                "created_at": created_at,
                "account_id": mock.account_id(),
                "cluster_id": mock.cluster_id(),
                "deletion_protection": true
            }),
        )
    });
    wd.write_config(&format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  description = \"ingest\"\n  \
         permissions = [{{ action = \"write\", resource = \"signals\" }}]\n  \
         deletion_protection = true\n}}\n",
        required_providers()
    ));
    assert_no_changes(&wd, "our version-0 token");
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    assert_eq!(
        schema_version(wd.path(), "influxdb3_database_token", "t"),
        Some(1)
    );
    let values = state_values(&wd.state_json(), "influxdb3_database_token.t").clone();
    assert_eq!(values["id"], id.as_str());
    assert_eq!(values["access_token"], SECRET, "the secret is kept");
    assert_eq!(values["revoked_at"], Json::Null);
    assert_no_changes(&wd, "after the upgrade was written");
    let w = api_writes(&mock);
    assert!(
        w.len() == 1 && w[0].starts_with("POST ") && w[0].ends_with("/tokens"),
        "only the seeding create: {w:?}"
    );
}

#[test]
fn a_moved_block_carries_version_0_alias_state_through_the_upgrade_chain() {
    let Some(tf) = terraform_for_moves_or_skip(
        "a_moved_block_carries_version_0_alias_state_through_the_upgrade_chain",
    ) else {
        return;
    };
    let mut id = String::new();
    // The incumbent's token state under its type name, already switched to our address but
    // never refreshed: still schema version 0, with its `revoked_at`.
    let (mock, wd) = with_state(&tf, |mock| {
        id = Seed::new(mock).token("ingest", &[("write", "signals")]);
        let created_at = mock_token(mock, &id)["createdAt"].clone();
        one_resource(
            SOURCE,
            "influxdb3_cloud_token",
            "t",
            0,
            json!({
                "id": id, "account_id": mock.account_id(), "cluster_id": mock.cluster_id(),
                "description": "ingest",
                "permissions": [{"action": "write", "resource": "signals"}],
                "expires_at": null, "access_token": SECRET, "created_at": created_at,
                "revoked_at": null
            }),
        )
    });
    wd.write_config(&format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  description = \"ingest\"\n  \
         permissions = [{{ action = \"write\", resource = \"signals\" }}]\n}}\n\n\
         moved {{\n  from = influxdb3_cloud_token.t\n  to   = influxdb3_database_token.t\n}}\n",
        required_providers()
    ));
    let plan = wd.plan_json();
    assert_eq!(
        super::support::actions(&plan, "influxdb3_database_token.t"),
        vec!["no-op"]
    );
    wd.apply_plan().success();
    let values = state_values(&wd.state_json(), "influxdb3_database_token.t").clone();
    assert_eq!(values["id"], id.as_str());
    assert_eq!(values["access_token"], SECRET);
    assert_eq!(
        schema_version(wd.path(), "influxdb3_database_token", "t"),
        Some(1)
    );
    let w = api_writes(&mock);
    assert_eq!(w.len(), 1, "only the seeding create: {w:?}");
}

#[test]
fn incumbent_table_state_under_either_of_its_names_plans_nothing() {
    let tf = terraform_or_return!();
    // The incumbent's v1.6 table was `influxdb3_table`, our name too; v1.7 calls it
    // `influxdb3_cloud_table`, our alias of it. After replace-provider its state (with
    // `database_name`) is read by the table's version-0 step, and its configuration as it wrote
    // it (`database_name`, a JSON bucket part) plans nothing.
    for type_name in ["influxdb3_table", "influxdb3_cloud_table"] {
        let values = switched_plans_nothing(
            &tf,
            type_name,
            |mock| {
                json!({
                    "account_id": mock.account_id(), "cluster_id": mock.cluster_id(),
                    "database_name": "signals", "name": "readings",
                    "partition_template": [
                        {"type": "bucket", "value": "{\"numberOfBuckets\":4,\"tagName\":\"station\"}"}]
                })
            },
            "  database_name = \"signals\"\n  name          = \"readings\"\n  \
             partition_template = [\n    { type = \"bucket\", value = jsonencode({ tagName = \
             \"station\", numberOfBuckets = 4 }) },\n  ]\n",
        );
        assert_eq!(values["database"], "signals", "{type_name}: {values}");
        assert_eq!(values["database_name"], "signals", "{type_name}: {values}");
        let bucket = values["partition_template"][0]["value"]
            .as_str()
            .unwrap_or_default();
        let bucket: Json = serde_json::from_str(bucket).expect("the JSON value as written");
        assert_eq!(bucket["numberOfBuckets"], 4, "{type_name}");
    }
}

#[test]
fn a_moved_block_from_the_incumbents_database_converts_its_shape() {
    let Some(tf) = terraform_for_moves_or_skip(
        "a_moved_block_from_the_incumbents_database_converts_its_shape",
    ) else {
        return;
    };
    let mock = MockServer::start(Default::default()).expect("start the mock");
    // The incumbent's address is served by a stand-in (see `with_stand_in`); the move itself is
    // answered by our MoveResourceState, which reads the incumbent's version-0 shape.
    let wd = super::migrate_incumbent::with_stand_in(&tf, &mock, INCUMBENT);
    seed_incumbent_database(&mock);
    // Schema version 3, which we do not have: a move from the incumbent reads its shape as
    // its version 0 whatever version it records (our UpgradeResourceState would refuse it).
    let state = one_resource(
        INCUMBENT,
        "influxdb3_database",
        "old",
        3,
        json!({
            "account_id": mock.account_id(), "cluster_id": mock.cluster_id(),
            "name": "signals", "max_tables": 500, "max_columns_per_table": 200,
            "retention_period": 604_800,
            "partition_template": [
                {"type": "tag", "value": "line"},
                {"type": "bucket", "value": "{\"numberOfBuckets\":10,\"tagName\":\"station\"}"}]
        }),
    );
    std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
    wd.write_config(&format!(
        "{}\nresource \"influxdb3_database\" \"d\" {{\n{INCUMBENT_SPELLING}}}\n\n\
         moved {{\n  from = influxdb3_database.old\n  to   = influxdb3_database.d\n}}\n",
        required_providers()
    ));
    let plan = wd.plan_json();
    let change = super::support::resource_change(&plan, "influxdb3_database.d");
    assert_eq!(
        change["previous_address"], "influxdb3_database.old",
        "{change}"
    );
    assert_eq!(
        super::support::actions(&plan, "influxdb3_database.d"),
        vec!["no-op"]
    );
    wd.apply_plan().success();
    let state = wd.state_json();
    let values = state_values(&state, "influxdb3_database.d").clone();
    assert_eq!(values["retention_period"], "604800", "{values}");
    assert_eq!(
        values["partition_template"][1]["number_of_buckets"],
        Json::Null
    );
    let w = api_writes(&mock);
    assert_eq!(w.len(), 1, "only the seeding create: {w:?}");
}

#[test]
fn the_incumbents_database_state_and_example_plan_no_resource_change() {
    let tf = terraform_or_return!();
    // What the incumbent's example (tests/data/incumbent/database.tf) created, in the mock and
    // in the incumbent's state shape: retention as a number, the bucket part as JSON text.
    let (mock, wd) = with_state(&tf, |mock| {
        let seed = Seed::new(mock);
        seed.database(CreateDatabaseRequest {
            name: "sensors".into(),
            settings: DatabaseSettings {
                max_tables: Some(500),
                max_columns_per_table: Some(200),
                retention_period: Some(604_800),
            },
            partition_template: Some(vec![
                PartitionPart::Tag {
                    value: "site".into(),
                },
                PartitionPart::Time {
                    value: "%Y-%m-%d".into(),
                },
                PartitionPart::Bucket {
                    tag_name: "device".into(),
                    number_of_buckets: 10,
                },
            ]),
        });
        seed.database(CreateDatabaseRequest {
            name: "archive".into(),
            settings: DatabaseSettings {
                max_tables: Some(100),
                max_columns_per_table: Some(200),
                retention_period: Some(0),
            },
            partition_template: None,
        });
        let (account, cluster) = (mock.account_id(), mock.cluster_id());
        resources(
            INCUMBENT,
            &[
                (
                    "influxdb3_cloud_database",
                    "sensors",
                    0,
                    json!({
                        "account_id": account, "cluster_id": cluster, "name": "sensors",
                        "max_tables": 500, "max_columns_per_table": 200,
                        "retention_period": 604_800,
                        "partition_template": [
                            {"type": "tag", "value": "site"},
                            {"type": "time", "value": "%Y-%m-%d"},
                            {"type": "bucket",
                             "value": "{\"numberOfBuckets\":10,\"tagName\":\"device\"}"}]
                    }),
                ),
                (
                    "influxdb3_database",
                    "archive",
                    0,
                    json!({
                        "account_id": account, "cluster_id": cluster, "name": "archive",
                        "max_tables": 100, "max_columns_per_table": 200,
                        "retention_period": 0, "partition_template": null
                    }),
                ),
            ],
        )
    });
    wd.write_config(&super::migrate_incumbent_databases::incumbent_example(
        "database.tf",
    ));
    replace_provider(&wd, INCUMBENT);
    // The example's output is new to this state (the incumbent's file had none), so the plan
    // may show it; no resource changes.
    let plan = wd.plan_json();
    for addr in [
        "influxdb3_cloud_database.sensors",
        "influxdb3_database.archive",
    ] {
        let change = &super::support::resource_change(&plan, addr)["change"];
        assert_eq!(
            super::support::actions(&plan, addr),
            vec!["no-op"],
            "{addr}: {change:#}"
        );
    }
    wd.apply_plan().success();
    for (type_name, name) in [
        ("influxdb3_cloud_database", "sensors"),
        ("influxdb3_database", "archive"),
    ] {
        assert_eq!(
            schema_version(wd.path(), type_name, name),
            Some(1),
            "{name}"
        );
    }
    wd.assert_empty_plan(true);
    let w = api_writes(&mock);
    assert!(
        w.len() == 2
            && w.iter()
                .all(|c| c.starts_with("POST ") && c.ends_with("/databases")),
        "only the two seeding creates: {w:?}"
    );
}
