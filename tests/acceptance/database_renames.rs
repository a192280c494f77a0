//! `influxdb3_database` renames and soft-deleted names under real Terraform: a name change is
//! one rename call (no delete) whose plan names the tokens of the old name; a taken name fails
//! at apply with nothing changed; a create over a soft-deleted name says how to restore it.

use serde_json::{Value as Json, json};
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

use super::support::seed::{Seed, named};
use super::support::terraform_or_return;
use super::support::text::assert_mentions;
use super::support::{WorkDir, actions, required_providers, state_resource, state_values};

const ADDR: &str = "influxdb3_database.db";

fn database(attrs: &str) -> String {
    format!(
        "{}\nresource \"influxdb3_database\" \"db\" {{\n{attrs}\n}}\n",
        required_providers()
    )
}

fn start() -> MockServer {
    MockServer::start(MockOptions::default()).expect("start the mock")
}

fn names(mock: &MockServer) -> Vec<String> {
    mock.state()["clusters"][0]["databases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["name"].as_str().map(str::to_owned))
        .collect()
}

/// `(method, path)` of every API request since `from`.
fn calls_since(mock: &MockServer, from: usize) -> Vec<(String, String)> {
    mock.requests()
        .into_iter()
        .skip(from)
        .map(|r| (r.method, r.path))
        .collect()
}

#[test]
fn a_name_change_is_one_rename_call_and_the_plan_names_the_tokens_of_the_old_name() {
    let tf = terraform_or_return!();
    let mock = start();
    let seed = Seed::new(&mock);
    let reader = seed.token("dashboards reader", &[("read", "sales")]);
    seed.token("all databases", &[("write", "*")]);
    seed.token("other database", &[("read", "sales2")]);
    let revoked = seed.token("revoked reader", &[("read", "sales")]);
    seed.revoke_token(&revoked);
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.step(&database("  name = \"sales\"\n  max_tables = 50"));
    assert_eq!(
        state_values(&wd.state_json(), ADDR)["database_id"],
        Json::Null,
        "create answers no id"
    );

    let renamed = database("  name = \"sales_eu\"\n  max_tables = 50");
    wd.write_config(&renamed);
    let out = wd
        .terraform(&["plan", "-no-color", "-input=false"])
        .success();
    let text = out.output();
    assert_mentions(
        &text,
        &[
            "Database Will Be Renamed",
            "renames the database \"sales\" to \"sales_eu\" in place",
            "stop granting access to this database",
            "\"dashboards reader\"",
            &reader,
        ],
    );
    for absent in [
        "all databases",
        "other database",
        "revoked reader",
        "will be destroyed",
    ] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }

    let before = mock.requests().len();
    let plan = wd.step(&renamed);
    assert_eq!(actions(&plan, ADDR), ["update"]);
    let writes: Vec<(String, String)> = calls_since(&mock, before)
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect();
    assert_eq!(
        writes,
        [(
            "PUT".to_owned(),
            format!(
                "/api/v0/accounts/{}/clusters/{}/databases/sales/rename",
                mock.account_id(),
                mock.cluster_id()
            )
        )],
        "one rename call, no delete, no create, no patch"
    );
    assert_eq!(names(&mock), ["sales_eu"]);
    let values = state_values(&wd.state_json(), ADDR).clone();
    assert!(values["database_id"].is_number(), "{values:#}");
    assert_eq!(values["max_tables"], 50);

    // A rename together with a limit change: rename, then one PATCH of the new name.
    let plan = wd.step(&database("  name = \"sales_us\"\n  max_tables = 60"));
    assert_eq!(actions(&plan, ADDR), ["update"]);
    assert_eq!(names(&mock), ["sales_us"]);
    assert_eq!(mock.state()["clusters"][0]["databases"][0]["maxTables"], 60);
}

#[test]
fn a_rename_onto_a_taken_name_fails_at_apply_with_the_apis_message_and_changes_nothing() {
    let tf = terraform_or_return!();
    let mock = start();
    Seed::new(&mock).database(named("taken"));
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.step(&database("  name = \"mine\""));
    wd.write_config(&database("  name = \"taken\"\n  max_tables = 9"));
    let out = wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(
        &out.output(),
        &[
            "Database Name Taken",
            "was not renamed to \"taken\"",
            "database `taken` already exists",
            "Nothing was changed",
        ],
    );
    assert_eq!(names(&mock), ["taken", "mine"]);
    let mine = &mock.state()["clusters"][0]["databases"][1];
    assert_eq!(mine["maxTables"], 500, "no PATCH after a failed rename");
    let state = wd.state_json();
    assert_eq!(state_values(&state, ADDR)["name"], "mine");
    assert_eq!(state_values(&state, ADDR)["max_tables"], 500);
}

#[test]
fn creating_over_a_soft_deleted_name_says_how_to_restore_it() {
    let tf = terraform_or_return!();
    let mock = start();
    mock.configure(json!({"deleted_names": "reserved"}))
        .expect("config");
    let seed = Seed::new(&mock);
    seed.database(named("archive"));
    seed.delete_database("archive");
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.write_config(&database("  name = \"archive\""));
    let out = wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(
        &out.output(),
        &[
            "Database Name Held By A Deleted Database",
            "was deleted and can still be restored",
            "about 7 days",
            "influxctl database undelete",
            "terraform import <resource address> archive",
        ],
    );
    let state = wd.terraform(&["show", "-json"]).success();
    let state: Json = serde_json::from_str(&state.stdout).unwrap_or(Json::Null);
    assert!(state_resource(&state, ADDR).is_none(), "{state:#}");
    assert!(names(&mock).is_empty());
}

/// A new name known only at apply (computed from another resource) is planned as a rename: a
/// warning naming the tokens of the old name, and an unknown `database_id`, so the rename
/// answer's id is no inconsistent result.
#[test]
fn a_rename_to_a_name_known_only_at_apply_warns_and_takes_the_answers_id() {
    let tf = terraform_or_return!();
    if !tf.at_least(1, 4) {
        eprintln!(
            "skipped: the computed name comes from terraform_data (Terraform 1.4+), this is {}",
            tf.version_string()
        );
        return;
    }
    let mock = start();
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let config = |name: &str| {
        format!(
            "{}\nresource \"terraform_data\" \"name\" {{\n  input = \"{name}\"\n}}\n\n\
             resource \"influxdb3_database\" \"db\" {{\n  name = terraform_data.name.output\n}}\n",
            required_providers()
        )
    };
    wd.step(&config("first"));
    let id = Seed::new(&mock).token("reader", &[("read", "first")]);
    wd.write_config(&config("second"));
    let plan = wd.terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"]);
    assert_eq!(plan.code, 0, "{plan}");
    assert_mentions(
        &plan.output(),
        &[
            "Database Will Be Renamed",
            "renames the database \"first\" to a name known only at apply",
            &id,
        ],
    );
    let json = wd.terraform_json(&["show", "-json", "tfplan"]);
    let change = super::support::resource_change(&json, ADDR);
    assert_eq!(
        change["change"]["after_unknown"]["database_id"], true,
        "{change}"
    );
    wd.apply_plan().success();
    assert_eq!(names(&mock), ["second"]);
    let values = state_values(&wd.state_json(), ADDR).clone();
    assert!(values["database_id"].is_number(), "{values}");
    wd.assert_empty_plan(true);
}

/// A protected database renamed outside Terraform (in the Admin UI, say): the plan names the
/// database with its settings and refuses to put an empty one in its place; re-attaching it as
/// the error says plans a rename back in place, not a create.
#[test]
fn a_protected_database_renamed_outside_terraform_is_reattached_not_recreated_empty() {
    let tf = terraform_or_return!();
    let mock = start();
    let seed = Seed::new(&mock);
    seed.database(named("decoy"));
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    let hcl = database("  name = \"orders\"\n  max_tables = 42\n  deletion_protection = true");
    wd.step(&hcl);
    seed.rename_database("orders", "orders-2026");
    let before = mock.requests().len();

    let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
    assert_ne!(out.code, 0, "{out}");
    let said = out.output();
    assert_mentions(
        &said,
        &[
            "Protected Database Deleted Or Renamed Outside Terraform",
            "\"orders-2026\"",
            "terraform state rm",
        ],
    );
    assert!(
        !said.contains("\"decoy\""),
        "other settings, not a look-alike: {said}"
    );
    assert!(
        calls_since(&mock, before).iter().all(|(m, _)| m == "GET"),
        "{:?}",
        calls_since(&mock, before)
    );

    wd.terraform(&["state", "rm", ADDR]).success();
    wd.terraform(&["import", "-no-color", "-input=false", ADDR, "orders-2026"])
        .success();
    let plan = wd.step(&hcl);
    assert_eq!(actions(&plan, ADDR), ["update"]);
    assert_eq!(names(&mock), ["decoy", "orders"]);
}
