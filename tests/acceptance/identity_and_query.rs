//! Resource identity and list resources as the tools that call them run them: Terraform 1.12
//! or later and OpenTofu 1.12 or later keep each object's identity in state and print it in
//! `show -json`, and import by `identity = {…}`; Terraform 1.14 or later runs `terraform query`
//! over the shipped `.tfquery.hcl` example and writes configuration that imports what it
//! found. `tests/protocol` checks the provider's side of the same rules without a binary; these
//! tests are the real run beside it, and skip with a printed reason under a binary without
//! the feature.

use std::path::Path;

use serde_json::{Value as Json, json};
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

use super::database_token::{ADDR as TOKEN, permissions, setup, token_config};
use super::support::mock_checks::{api_writes, mock_tokens};
use super::support::seed::{Seed, named};
use super::support::terraform::{Feature, Terraform};
use super::support::text::assert_mentions;
use super::support::{
    WorkDir, actions, required_providers, resource_change, state_resource, state_values,
};
use super::support::{terraform_or_return, test_name};

const DATABASE: &str = "influxdb3_database.db";
const TABLE: &str = "influxdb3_table.t";

/// The identity `show -json` prints for `address`, after checking its schema version.
fn identity_in_show_json(wd: &WorkDir, address: &str) -> Json {
    let state = wd.state_json();
    let resource = state_resource(&state, address)
        .unwrap_or_else(|| panic!("no {address} in state:\n{state:#}"));
    assert_eq!(
        resource["identity_schema_version"], 0,
        "{address} has no identity schema version in show -json:\n{resource:#}"
    );
    resource["identity"].clone()
}

/// The identity the state file itself stores for `address` (what a later run reads back).
fn identity_in_state_file(wd: &WorkDir, address: &str) -> Json {
    let text = std::fs::read_to_string(wd.file("terraform.tfstate")).expect("state file");
    let state: Json = serde_json::from_str(&text).expect("state file is JSON");
    let (kind, name) = address.split_once('.').expect("type.name");
    let resource = state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["type"] == kind && r["name"] == name)
        .unwrap_or_else(|| panic!("no {address} in the state file"));
    resource["instances"][0]["identity"].clone()
}

/// `import { to = ADDRESS, identity = {…} }` for an identity of string attributes.
fn import_by_identity(address: &str, identity: &Json) -> String {
    let attrs: Vec<String> = identity
        .as_object()
        .expect("identity is an object")
        .iter()
        .map(|(k, v)| format!("    {k} = {v}"))
        .collect();
    format!(
        "\nimport {{\n  to = {address}\n  identity = {{\n{}\n  }}\n}}\n",
        attrs.join("\n")
    )
}

fn token_body(description: &str) -> String {
    format!(
        "  description = \"{description}\"\n{}",
        permissions(&[("read", "db1"), ("write", "db1")])
    )
}

#[test]
fn a_token_keeps_its_identity_in_state_and_imports_by_it_elsewhere() {
    let _test = test_name!();
    let tf = terraform_or_return!(Feature::Identity);
    let (mock, wd) = setup(&tf);
    wd.step(&token_config(&token_body("ci writer")));
    let values = state_values(&wd.state_json(), TOKEN).clone();
    let id = values["id"].as_str().expect("id").to_owned();
    let expected = json!({
        "account_id": mock.account_id(),
        "cluster_id": mock.cluster_id(),
        "id": id,
    });
    assert_eq!(identity_in_show_json(&wd, TOKEN), expected);
    assert_eq!(identity_in_state_file(&wd, TOKEN), expected);

    // An in-place update leaves the identity as it was.
    wd.step(&token_config(&token_body("ci writer, renamed")));
    assert_eq!(identity_in_show_json(&wd, TOKEN), expected);

    // A second directory imports the token by that identity: an import with no change.
    let mut other = WorkDir::new(&tf);
    other.use_mock(&mock);
    let writes = api_writes(&mock).len();
    let plan = other.step(&format!(
        "{}{}",
        token_config(&token_body("ci writer, renamed")),
        import_by_identity(TOKEN, &expected)
    ));
    assert_eq!(actions(&plan, TOKEN), ["no-op"]);
    let importing = &resource_change(&plan, TOKEN)["change"]["importing"];
    assert_eq!(importing["identity"], expected, "{importing:#}");
    let imported = state_values(&other.state_json(), TOKEN).clone();
    assert_eq!(imported["id"], id);
    assert_eq!(imported["description"], "ci writer, renamed");
    assert!(imported["access_token"].is_null(), "{imported:#}");
    assert_eq!(identity_in_show_json(&other, TOKEN), expected);
    assert_eq!(
        api_writes(&mock).len(),
        writes,
        "importing wrote to the API: {:?}",
        api_writes(&mock)
    );
}

/// A token's configuration with `provider_line` in its block, and an alias `other` of the
/// provider pointed at `(account, cluster)` (endpoint and management token from the
/// environment, which the mock's clusters share).
fn token_with_alias(provider_line: &str, account: &str, cluster: &str) -> String {
    format!(
        "{}\nprovider \"influxdb3\" {{}}\n\nprovider \"influxdb3\" {{\n  alias      = \"other\"\n  \
         account_id = \"{account}\"\n  cluster_id = \"{cluster}\"\n}}\n\n\
         resource \"influxdb3_database_token\" \"t\" {{\n{provider_line}{}\n}}\n",
        required_providers(),
        token_body("elsewhere"),
    )
}

/// The import reads the token from the cluster its identity names whatever the provider
/// points at, but the token stays where it lives (decision 6): a block whose provider points
/// at another cluster plans its replacement, revoking it, and says so. Imported through a
/// provider alias pointed at its cluster, it is a plain import.
#[test]
fn a_token_of_another_cluster_imports_through_a_provider_pointed_at_its_cluster() {
    let _test = test_name!();
    let tf = terraform_or_return!(Feature::Identity);
    let other_account = "aaaaaaaa-1111-4111-8111-111111111111";
    let other_cluster = "bbbbbbbb-2222-4222-8222-222222222222";
    let mock = MockServer::start(MockOptions {
        extra_clusters: vec![(other_account.to_owned(), other_cluster.to_owned())],
        ..MockOptions::default()
    })
    .expect("start the mock");
    // The token is created in the second cluster by a directory pointed there.
    let mut home = WorkDir::new(&tf);
    home.use_mock(&mock);
    home.set_env("INFLUXDB3_ACCOUNT_ID", other_account);
    home.set_env("INFLUXDB3_CLUSTER_ID", other_cluster);
    home.step(&token_config(&token_body("elsewhere")));
    let id = state_values(&home.state_json(), TOKEN)["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let identity = json!({ "account_id": other_account, "cluster_id": other_cluster, "id": id });
    assert_eq!(identity_in_show_json(&home, TOKEN), identity);
    let writes = api_writes(&mock).len();

    // Through the default provider (the first cluster): the plan imports and replaces.
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.write_config(&format!(
        "{}{}",
        token_with_alias("", other_account, other_cluster),
        import_by_identity(TOKEN, &identity)
    ));
    let (out, plan) = {
        let out = wd
            .terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"])
            .success();
        (out, wd.terraform_json(&["show", "-json", "tfplan"]))
    };
    assert_eq!(actions(&plan, TOKEN), ["delete", "create"]);
    assert_eq!(
        resource_change(&plan, TOKEN)["change"]["importing"]["identity"],
        identity
    );
    assert_mentions(
        &out.output(),
        &["Database Token Will Be Replaced", "revoked"],
    );

    // Through the alias pointed at its cluster: an import with no change.
    let plan = wd.step(&format!(
        "{}{}",
        token_with_alias(
            "  provider = influxdb3.other\n",
            other_account,
            other_cluster
        ),
        import_by_identity(TOKEN, &identity)
    ));
    assert_eq!(actions(&plan, TOKEN), ["no-op"]);
    let values = state_values(&wd.state_json(), TOKEN).clone();
    assert_eq!(values["cluster_id"], other_cluster, "{values:#}");
    assert_eq!(identity_in_show_json(&wd, TOKEN), identity);
    assert_eq!(api_writes(&mock).len(), writes, "{:?}", api_writes(&mock));
}

fn database_config(name: &str) -> String {
    format!(
        "{}\nresource \"influxdb3_database\" \"db\" {{\n  name = \"{name}\"\n  max_tables = 100\n}}\n",
        required_providers()
    )
}

#[test]
fn a_database_identity_follows_an_in_place_rename_and_imports_by_it() {
    let _test = test_name!();
    let tf = terraform_or_return!(Feature::Identity);
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.step(&database_config("metrics"));
    let identity = |name: &str| json!({ "account_id": mock.account_id(), "cluster_id": mock.cluster_id(), "name": name });
    assert_eq!(identity_in_show_json(&wd, DATABASE), identity("metrics"));

    // A rename is an update in place; the identity names the database by its new name (the
    // name is its key in the cluster), in the same account and cluster.
    let plan = wd.step(&database_config("metrics2"));
    assert_eq!(actions(&plan, DATABASE), ["update"]);
    assert_eq!(identity_in_show_json(&wd, DATABASE), identity("metrics2"));
    assert_eq!(identity_in_state_file(&wd, DATABASE), identity("metrics2"));
    let mut expected = state_values(&wd.state_json(), DATABASE).clone();
    assert!(expected["database_id"].is_number(), "{expected:#}");
    // The API gives `database_id` only in a rename's answer, so an import has none (the
    // attribute's documentation says so).
    expected["database_id"] = Json::Null;

    let mut other = WorkDir::new(&tf);
    other.use_mock(&mock);
    let plan = other.step(&format!(
        "{}{}",
        database_config("metrics2"),
        import_by_identity(DATABASE, &identity("metrics2"))
    ));
    assert_eq!(actions(&plan, DATABASE), ["no-op"]);
    assert_eq!(
        resource_change(&plan, DATABASE)["change"]["importing"]["identity"],
        identity("metrics2")
    );
    assert_eq!(state_values(&other.state_json(), DATABASE), &expected);

    // The old name's identity names nothing any more.
    let mut stale = WorkDir::new(&tf);
    stale.use_mock(&mock);
    stale.write_config(&format!(
        "{}{}",
        database_config("metrics"),
        import_by_identity(DATABASE, &identity("metrics"))
    ));
    let out = stale.terraform(&["plan", "-no-color", "-input=false"]);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(&out.output(), &["non-existent"]);
}

fn table_config(database: &str, table: &str) -> String {
    format!(
        "{}\nresource \"influxdb3_table\" \"t\" {{\n  database = \"{database}\"\n  name = \"{table}\"\n}}\n",
        required_providers()
    )
}

/// A table's identity is `{account_id, cluster_id, database, name}`: it follows a rename in
/// place, and imports the table elsewhere with no change (the API has no table read, so only
/// its database is checked).
#[test]
fn a_table_identity_follows_an_in_place_rename_and_imports_by_it() {
    let _test = test_name!();
    let tf = terraform_or_return!(Feature::Identity);
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    Seed::new(&mock).database(named("sensors"));
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.step(&table_config("sensors", "readings"));
    let identity = |name: &str| {
        json!({
            "account_id": mock.account_id(),
            "cluster_id": mock.cluster_id(),
            "database": "sensors",
            "name": name,
        })
    };
    assert_eq!(identity_in_show_json(&wd, TABLE), identity("readings"));

    let plan = wd.step(&table_config("sensors", "samples"));
    assert_eq!(actions(&plan, TABLE), ["update"]);
    assert_eq!(identity_in_show_json(&wd, TABLE), identity("samples"));
    assert_eq!(identity_in_state_file(&wd, TABLE), identity("samples"));

    let mut other = WorkDir::new(&tf);
    other.use_mock(&mock);
    let writes = api_writes(&mock).len();
    let plan = other.step(&format!(
        "{}{}",
        table_config("sensors", "samples"),
        import_by_identity(TABLE, &identity("samples"))
    ));
    assert_eq!(actions(&plan, TABLE), ["no-op"]);
    assert_eq!(
        resource_change(&plan, TABLE)["change"]["importing"]["identity"],
        identity("samples")
    );
    assert_eq!(identity_in_show_json(&other, TABLE), identity("samples"));
    assert_eq!(api_writes(&mock).len(), writes, "{:?}", api_writes(&mock));

    // An identity whose database is not a database name is refused before any call.
    let mut bad = WorkDir::new(&tf);
    bad.use_mock(&mock);
    let mut wrong = identity("samples");
    wrong["database"] = json!("_internal");
    bad.write_config(&format!(
        "{}{}",
        table_config("sensors", "samples"),
        import_by_identity(TABLE, &wrong)
    ));
    let out = bad.terraform(&["plan", "-no-color", "-input=false"]);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(
        &out.output(),
        &["Invalid Import Identity", "not a database name"],
    );
}

/// A directory holding the shipped `unmanaged.tfquery.hcl` example as the docs tell a user to
/// place it: next to the configuration.
fn query_dir(tf: &Terraform, mock: &MockServer) -> WorkDir {
    let mut wd = WorkDir::new(tf);
    wd.use_mock(mock);
    let example = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/resources/influxdb3_database_token/unmanaged.tfquery.hcl");
    std::fs::copy(&example, wd.file("unmanaged.tfquery.hcl")).expect("copy the example");
    wd.write_config(&required_providers());
    wd
}

#[test]
fn terraform_query_finds_unmanaged_tokens_and_its_generated_config_imports_them_unchanged() {
    let _test =
        "terraform_query_finds_unmanaged_tokens_and_its_generated_config_imports_them_unchanged";
    let tf = terraform_or_return!(Feature::Query);
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let seed = Seed::new(&mock);
    let a = seed.token("ci-loader", &[("write", "db1")]);
    let b = seed.token("ci-reader", &[("read", "db1"), ("read", "db2")]);
    let other = seed.token("dashboard", &[("read", "db1")]);
    let revoked = seed.token("ci-old", &[("read", "db1")]);
    seed.revoke_token(&revoked);

    let wd = query_dir(&tf, &mock);
    wd.terraform(&["init", "-no-color", "-input=false"])
        .success();
    let out = wd.terraform(&["query", "-no-color"]).success();
    let text = out.output();
    for id in [&a, &b] {
        assert!(
            text.contains(id.as_str()),
            "query does not list {id}:\n{out}"
        );
    }
    for id in [&other, &revoked] {
        assert!(!text.contains(id.as_str()), "query lists {id}:\n{out}");
    }
    assert!(!text.contains("apiv1_"), "query printed an access token");

    let out = wd
        .terraform(&["query", "-no-color", "-generate-config-out=found.tf"])
        .success();
    let found = std::fs::read_to_string(wd.file("found.tf"))
        .unwrap_or_else(|e| panic!("no found.tf ({e}):\n{out}"));
    assert!(!found.contains("apiv1_"), "generated config holds a secret");
    assert_eq!(found.matches("import {").count(), 2, "{found}");
    assert_eq!(
        found
            .matches("resource \"influxdb3_database_token\"")
            .count(),
        2,
        "{found}"
    );
    for id in [&a, &b] {
        assert!(found.contains(id.as_str()), "{id} not in:\n{found}");
    }

    // Applying the generated configuration imports both tokens and changes nothing.
    let writes = api_writes(&mock).len();
    let plan = wd.plan_json();
    let changes = plan["resource_changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2, "{plan:#}");
    for change in changes {
        assert_eq!(change["change"]["actions"], json!(["no-op"]), "{change:#}");
        assert!(change["change"]["importing"].is_object(), "{change:#}");
    }
    wd.apply_plan().success();
    wd.assert_empty_plan(true);
    assert_eq!(api_writes(&mock).len(), writes, "{:?}", api_writes(&mock));
    let state = wd.state_json();
    let mut ids: Vec<String> = state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["values"]["id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    let mut want = vec![a.clone(), b.clone()];
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(
        mock_tokens(&mock)
            .iter()
            .filter(|t| t["revokedAt"].is_null())
            .count(),
        3,
        "the run revoked or created tokens"
    );
}
