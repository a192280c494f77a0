//! The ways a user's run ends a token, end to end under whichever tool runs the suite
//! (Terraform or OpenTofu): deleting the resource block and applying revokes with the warning,
//! `removed { lifecycle { destroy = false } }` forgets without revoking, `removed { destroy =
//! true }` revokes with the warning, and `destroy` revokes what is left with the warning. Each
//! warning names the token, so a reviewer of the apply's own output sees which one goes.

use serde_json::Value as Json;

use super::database_token::{permissions, setup};
use super::support::mock_checks::{is_revoked, mock_token};
use super::support::text::assert_mentions;
use super::support::{required_providers, state_values};
use super::support::{terraform_or_return, test_name};

fn token(name: &str) -> String {
    format!(
        "resource \"influxdb3_database_token\" \"{name}\" {{\n  description = \"{name} token\"\n{}\n}}\n",
        permissions(&[("read", "db1")])
    )
}

fn removed(name: &str, destroy: bool) -> String {
    format!(
        "removed {{\n  from = influxdb3_database_token.{name}\n  lifecycle {{\n    destroy = {destroy}\n  }}\n}}\n"
    )
}

fn config(parts: &[String]) -> String {
    format!("{}\n{}", required_providers(), parts.concat())
}

#[test]
fn removing_a_block_removed_blocks_and_destroy_revoke_or_forget_as_written() {
    let test = test_name!();
    let tf = terraform_or_return!();
    if !tf.at_least(1, 7) {
        eprintln!(
            "SKIPPED {test}: {} has no removed blocks (Terraform 1.7+, OpenTofu 1.7+)",
            tf.describe()
        );
        return;
    }
    let (mock, wd) = setup(&tf);
    let names = ["dropped", "forgotten", "retired", "kept"];
    wd.step(&config(&names.map(token)));
    let state = wd.state_json();
    let id = |name: &str| -> String {
        state_values(&state, &format!("influxdb3_database_token.{name}"))["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    let ids: Vec<String> = names.iter().map(|n| id(n)).collect();
    let apply = |hcl: String| {
        wd.write_config(&hcl);
        wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
            .success()
            .output()
    };

    // The block deleted: the apply warns, naming the token, and revokes it.
    let out = apply(config(&[
        token("forgotten"),
        token("retired"),
        token("kept"),
    ]));
    assert_mentions(
        &out,
        &["Database Token Will Be Revoked", "dropped token", &ids[0]],
    );
    assert!(is_revoked(&mock, &ids[0]));

    // `removed` with destroy = false: forgotten, not revoked, no revoke warning.
    let out = apply(config(&[
        removed("forgotten", false),
        token("retired"),
        token("kept"),
    ]));
    assert!(!out.contains("Will Be Revoked"), "{out}");
    assert!(!is_revoked(&mock, &ids[1]), "a forget revoked the token");
    assert_eq!(mock_token(&mock, &ids[1])["revokedAt"], Json::Null);

    // `removed` with destroy = true: revoked, with the warning.
    let out = apply(config(&[removed("retired", true), token("kept")]));
    assert_mentions(
        &out,
        &["Database Token Will Be Revoked", "retired token", &ids[2]],
    );
    assert!(is_revoked(&mock, &ids[2]));

    // `destroy`: the rest, with the warning.
    wd.write_config(&config(&[token("kept")]));
    let out = wd.destroy().success().output();
    assert_mentions(
        &out,
        &["Database Token Will Be Revoked", "kept token", &ids[3]],
    );
    assert!(is_revoked(&mock, &ids[3]));
    assert!(
        !is_revoked(&mock, &ids[1]),
        "the forgotten token stays live"
    );
    let left = wd.state_json();
    assert!(
        left["values"]["root_module"]["resources"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "{left:#}"
    );
}
