//! Importing tokens by id: `terraform import` and `import` blocks, verified against the state
//! the provider wrote when it created the token; and ids that cannot be imported.

use serde_json::{Value as Json, json};

use super::database_token::{ADDR, permissions, setup, token_config};
use terraform_provider_influxdb3::mock::MockServer;

use super::support::mock_checks::out_of_band;
use super::support::terraform::Terraform;
use super::support::terraform_or_return;
use super::support::{WorkDir, actions, state_values};

/// Attributes an import cannot recover: the secret (returned only at creation) and a setting
/// that exists only in Terraform.
const IGNORED: &[&str] = &["access_token", "deletion_protection"];

fn config() -> String {
    token_config(&format!(
        "  description = \"imported\"\n  expires_at = \"2099-06-01T00:00:00Z\"\n{}",
        permissions(&[("read", "db1"), ("write", "*")])
    ))
}

fn assert_same_except_ignored(original: &Json, imported: &Json) {
    let (Some(a), Some(b)) = (original.as_object(), imported.as_object()) else {
        panic!("not objects: {original} / {imported}");
    };
    for (k, v) in a {
        if IGNORED.contains(&k.as_str()) {
            continue;
        }
        let mut x = v.clone();
        let mut y = b.get(k).cloned().unwrap_or(Json::Null);
        if let (Some(p), Some(q)) = (x.as_array_mut(), y.as_array_mut()) {
            p.sort_by_key(ToString::to_string);
            q.sort_by_key(ToString::to_string);
        }
        assert_eq!(x, y, "attribute {k} differs after import");
    }
    assert!(imported["access_token"].is_null(), "{imported:#}");
    assert_eq!(imported["deletion_protection"], false);
}

/// A token created in one directory, its state values, and a second empty directory on the
/// same mock to import it into.
fn created_and_fresh_dir(tf: &Terraform) -> (MockServer, Json, WorkDir) {
    let (mock, wd) = setup(tf);
    wd.step(&config());
    let original = state_values(&wd.state_json(), ADDR).clone();
    let mut other = WorkDir::new(tf);
    other.use_mock(&mock);
    (mock, original, other)
}

#[test]
fn import_command_recovers_the_token_but_not_its_secret() {
    let tf = terraform_or_return!();
    let (mock, original, other) = created_and_fresh_dir(&tf);
    let id = original["id"].as_str().expect("id");
    other.write_config(&config());
    other
        .terraform(&["import", "-no-color", "-input=false", ADDR, id])
        .success();
    let imported = state_values(&other.state_json(), ADDR).clone();
    assert_same_except_ignored(&original, &imported);
    other.assert_empty_plan(true);

    // Bad ids: malformed, unknown, revoked.
    let mut fresh = WorkDir::new(&tf);
    fresh.use_mock(&mock);
    fresh.write_config(&config());
    let import = |id: &str| fresh.terraform(&["import", "-no-color", "-input=false", ADDR, id]);
    import("not-a-token").failure_matching(
        r"(?s)Invalid Import ID.*11-character.*11111111-2222-4333-8444-555555555555",
    );
    // A token pasted as the id by mistake is described by its shape in our diagnostic
    // (Terraform's own "Importing from ID" line still shows what was typed).
    let pasted = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";
    import(pasted).failure_matching(r"(?s)Invalid Import ID.*68-character");
    let unknown = import("99999999-9999-4999-8999-999999999999").failure_matching(
        r"(?s)Cannot Import Database Token.*99999999-9999-4999-8999-999999999999",
    );
    // Said once, plainly: not the client's error (id, cluster and hints again) in brackets.
    let text = unknown.output();
    let error = text.split("Error: ").nth(1).unwrap_or_default();
    let said = error
        .matches("99999999-9999-4999-8999-999999999999")
        .count();
    assert_eq!(said, 1, "the error repeats the unknown id: {unknown}");
    mock.configure(json!({ "revoked_visibility": "listed" }))
        .expect("configure the mock");
    assert_eq!(out_of_band(&mock, "DELETE", id, None), 204);
    import(id).failure_matching(r"(?s)Cannot Import Revoked Database Token");
}

#[test]
fn import_block_plans_an_import_with_no_changes() {
    let tf = terraform_or_return!();
    if !tf.at_least(1, 5) {
        eprintln!(
            "SKIPPED token_import_block: import blocks need Terraform 1.5 (this is {})",
            tf.version_string()
        );
        return;
    }
    let (_mock, original, other) = created_and_fresh_dir(&tf);
    let id = original["id"].as_str().expect("id");
    let with_import = format!(
        "{}\nimport {{\n  to = {ADDR}\n  id = \"{id}\"\n}}\n",
        config()
    );
    let plan = other.step(&with_import);
    assert_eq!(actions(&plan, ADDR), ["no-op"]);
    let change = &super::support::resource_change(&plan, ADDR)["change"];
    assert_eq!(change["importing"]["id"], id, "{change:#}");
    let imported = state_values(&other.state_json(), ADDR).clone();
    assert_same_except_ignored(&original, &imported);
}
