//! A protected token and a replacement Terraform does not announce to the provider (issue 18
//! item 1). Terraform plans a forced replacement (`-replace`, `replace_triggered_by`) as an
//! update plan and then a create plan that carries the update plan's private data: the
//! provider refuses it there, at plan time, before anything is created. A change of
//! `expires_at` is refused by the update plan itself. `taint` is invisible at plan; the destroy
//! half is refused at apply (nothing created without create_before_destroy), and setting
//! `deletion_protection = false` in the configuration lets the next apply replace it. With
//! create_before_destroy the old token is left deposed, out of the configuration's reach: the
//! way out is naming its id in the provider's `revoke_protected_token_ids`.

use super::database_token::{ADDR, setup, state_id, token_config};
use super::support::invariants::{active_token_ids, assert_agreement};
use super::support::terraform::Terraform;
use super::support::terraform_or_return;
use super::support::text::{assert_page_says, flat};
use super::support::{WorkDir, terraform_or_skip};

const REFUSED: &str = r"(?s)Database Token Is Protected.*deletion_protection\s+=\s+false";

/// A protected token, with create_before_destroy when `cbd`, plus what `extra` adds to its
/// body; with a `trigger`, also a `terraform_data.trigger` (Terraform 1.4+) with that input.
fn config(cbd: bool, protected: bool, extra: &str, trigger: &str) -> String {
    let lifecycle = if cbd {
        "\n  lifecycle {\n    create_before_destroy = true\n  }"
    } else {
        ""
    };
    let token = token_config(&format!(
        "  description = \"guarded\"\n  deletion_protection = {protected}{extra}{lifecycle}"
    ));
    if trigger.is_empty() {
        return token;
    }
    format!("{token}\nresource \"terraform_data\" \"trigger\" {{\n  input = \"{trigger}\"\n}}\n")
}

fn protected_token(
    tf: &Terraform,
    cbd: bool,
    extra: &str,
    trigger: &str,
) -> (
    terraform_provider_influxdb3::mock::MockServer,
    WorkDir,
    String,
) {
    let (mock, wd) = setup(tf);
    wd.write_config(&config(cbd, true, extra, trigger));
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    let id = state_id(&wd);
    (mock, wd, id)
}

/// After a refused plan: the token is untouched, nothing extra exists, and a plain plan works.
fn assert_untouched(wd: &WorkDir, mock: &terraform_provider_influxdb3::mock::MockServer, id: &str) {
    assert_eq!(state_id(wd), id);
    assert_eq!(
        active_token_ids(mock).into_iter().collect::<Vec<_>>(),
        [id.to_owned()]
    );
    assert_agreement(wd, mock);
    wd.terraform(&["plan", "-no-color", "-input=false"])
        .success();
}

fn refused_at_plan(name: &str, cbd: bool, extra: &str, change: impl Fn(&WorkDir, &str)) {
    let Some(tf) = terraform_or_skip(name) else {
        return;
    };
    let (mock, wd, id) = protected_token(&tf, cbd, extra, "");
    change(&wd, &id);
    assert_untouched(&wd, &mock, &id);
}

fn by_replace_flag(wd: &WorkDir, _: &str) {
    let flag = format!("-replace={ADDR}");
    wd.terraform(&["plan", "-no-color", "-input=false", &flag])
        .failure_matching(REFUSED);
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve", &flag])
        .failure_matching(REFUSED);
}

#[test]
fn replace_flag_on_a_protected_token_is_refused_at_plan() {
    refused_at_plan("protected_replace_flag", false, "", by_replace_flag);
}

#[test]
fn replace_flag_on_a_protected_create_before_destroy_token_is_refused_at_plan() {
    refused_at_plan("protected_replace_flag_cbd", true, "", by_replace_flag);
}

fn expiry_change(cbd: bool) -> impl Fn(&WorkDir, &str) {
    move |wd, _| {
        wd.write_config(&config(
            cbd,
            true,
            "\n  expires_at = \"2031-01-01T00:00:00Z\"",
            "",
        ));
        wd.terraform(&["plan", "-no-color", "-input=false"])
            .failure_matching(REFUSED);
        // Back to the applied configuration: nothing to do.
        wd.write_config(&config(
            cbd,
            true,
            "\n  expires_at = \"2030-01-01T00:00:00Z\"",
            "",
        ));
    }
}

#[test]
fn an_expiry_change_of_a_protected_token_is_refused_at_plan() {
    refused_at_plan(
        "protected_expiry",
        false,
        "\n  expires_at = \"2030-01-01T00:00:00Z\"",
        expiry_change(false),
    );
}

#[test]
fn an_expiry_change_of_a_protected_create_before_destroy_token_is_refused_at_plan() {
    refused_at_plan(
        "protected_expiry_cbd",
        true,
        "\n  expires_at = \"2030-01-01T00:00:00Z\"",
        expiry_change(true),
    );
}

fn triggered(cbd: bool) {
    let name = format!("protected_replace_triggered_by_cbd_{cbd}");
    let Some(tf) = terraform_or_skip(&name) else {
        return;
    };
    if !tf.at_least(1, 4) {
        println!(
            "skipping {name}: replace_triggered_by needs Terraform 1.2 and its trigger, terraform_data, 1.4, this is {}",
            tf.version_string()
        );
        return;
    }
    let trigger = "\n  lifecycle {\n    replace_triggered_by = [terraform_data.trigger]\n  }";
    // create_before_destroy goes in the same lifecycle block.
    let extra = if cbd {
        trigger.replace(
            "lifecycle {",
            "lifecycle {\n    create_before_destroy = true",
        )
    } else {
        trigger.to_owned()
    };
    let (mock, wd, id) = protected_token(&tf, false, &extra, "a");
    let changed = config(false, true, &extra, "b");
    wd.write_config(&changed);
    wd.terraform(&["plan", "-no-color", "-input=false"])
        .failure_matching(REFUSED);
    wd.write_config(&config(false, true, &extra, "a"));
    assert_untouched(&wd, &mock, &id);
}

#[test]
fn replace_triggered_by_on_a_protected_token_is_refused_at_plan() {
    triggered(false);
}

#[test]
fn replace_triggered_by_on_a_protected_create_before_destroy_token_is_refused_at_plan() {
    triggered(true);
}

/// Taint is invisible at plan. Without create_before_destroy the destroy half comes first and
/// is refused, so nothing is created; turning protection off in the configuration is the way
/// out, and the next apply replaces the token.
#[test]
fn a_tainted_protected_token_is_kept_until_the_configuration_turns_protection_off() {
    let tf = terraform_or_return!();
    let (mock, wd, id) = protected_token(&tf, false, "", "");
    wd.terraform(&["taint", "-no-color", ADDR]).success();
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching(REFUSED);
    assert_eq!(
        active_token_ids(&mock).into_iter().collect::<Vec<_>>(),
        [id.as_str()]
    );
    wd.terraform(&["plan", "-no-color", "-input=false"])
        .success();

    wd.write_config(&config(false, false, "", ""));
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    let new_id = state_id(&wd);
    assert_ne!(new_id, id);
    assert_eq!(
        active_token_ids(&mock).into_iter().collect::<Vec<_>>(),
        [new_id]
    );
    assert_agreement(&wd, &mock);
}

/// How the user names the old token for the way out of a deposed protected token.
#[derive(Clone, Copy)]
enum Naming {
    /// `revoke_protected_token_ids` in the provider block.
    ProviderBlock,
    /// `INFLUXDB3_REVOKE_PROTECTED_TOKEN_IDS` for one apply.
    Environment,
}

/// A provider block naming `ids` in `revoke_protected_token_ids`, followed by `body`.
fn naming_in_block(ids: &[&str], body: &str) -> String {
    let list: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    format!(
        "provider \"influxdb3\" {{\n  revoke_protected_token_ids = [{}]\n}}\n{body}",
        list.join(", ")
    )
}

/// Taint is invisible at plan, and with create_before_destroy the new token is created first;
/// the old one is refused and stays in state as a deposed object. Its destroy never sees the
/// configuration (Terraform plans and applies it with a null one), so the way out is to name
/// its id for the provider: then, and only for the id named, it is revoked.
fn tainted_create_before_destroy(name: &str, naming: Naming) {
    let Some(tf) = terraform_or_skip(name) else {
        return;
    };
    let (mock, mut wd, old) = protected_token(&tf, true, "", "");
    wd.terraform(&["taint", "-no-color", ADDR]).success();
    let refused = wd
        .terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching(REFUSED)
        .output();
    // The error names the exact way out.
    let way_out = format!("revoke_protected_token_ids = [\"{old}\"]");
    assert!(flat(&refused).contains(&way_out), "{refused}");
    let new = state_id(&wd);
    assert_ne!(new, old);
    let both: Vec<String> = active_token_ids(&mock).into_iter().collect();
    assert_eq!(both.len(), 2);
    assert!(both.contains(&old) && both.contains(&new));
    assert_agreement(&wd, &mock);

    // Still refused when the configuration turns protection off: it never reaches the
    // deposed object. (Terraform 1.3+ refuses at plan, older ones at apply.)
    let body = config(true, true, "", "");
    wd.write_config(&config(true, false, "", ""));
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching(REFUSED);
    // Naming another token (here the new one) revokes nothing.
    wd.write_config(&naming_in_block(&[&new], &body));
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .failure_matching(REFUSED);
    assert_eq!(active_token_ids(&mock).len(), 2);

    match naming {
        Naming::ProviderBlock => wd.write_config(&naming_in_block(&[&old], &body)),
        Naming::Environment => {
            wd.write_config(&body);
            wd.set_env("INFLUXDB3_REVOKE_PROTECTED_TOKEN_IDS", &old);
        }
    }
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    assert_eq!(
        active_token_ids(&mock),
        std::collections::BTreeSet::from([new.clone()])
    );
    assert_eq!(state_id(&wd), new);
    assert_agreement(&wd, &mock);

    // Back to the plain configuration: nothing left to do, and the new token is protected.
    wd.set_env("INFLUXDB3_REVOKE_PROTECTED_TOKEN_IDS", "");
    wd.write_config(&body);
    wd.assert_empty_plan(false);
    wd.assert_empty_plan(true);
    if tf.at_least(1, 3) {
        wd.terraform(&["plan", "-no-color", "-input=false", "-destroy"])
            .failure_matching(REFUSED);
    }
}

#[test]
fn a_tainted_protected_create_before_destroy_token_is_revoked_once_the_provider_block_names_it() {
    tainted_create_before_destroy(
        "a_tainted_protected_create_before_destroy_token_is_revoked_once_the_provider_block_names_it",
        Naming::ProviderBlock,
    );
}

#[test]
fn a_tainted_protected_create_before_destroy_token_is_revoked_once_the_environment_names_it() {
    tainted_create_before_destroy(
        "a_tainted_protected_create_before_destroy_token_is_revoked_once_the_environment_names_it",
        Naming::Environment,
    );
}

/// An unprotected token replaced by `-replace` or `replace_triggered_by` gets no warning:
/// Terraform passes the old token only to the plan of the new one and keeps nothing but errors
/// from that call. The token page says so (it once implied only `taint` lacked the warning).
#[test]
fn replace_and_replace_triggered_by_of_an_unprotected_token_plan_without_a_warning() {
    let tf = terraform_or_return!();
    assert_page_says(
        "resources/database_token.md",
        &[
            "is refused at plan time when the token is protected (see the table below), but \
           carries **no warning** when it is not",
        ],
    );
    let trigger = tf.at_least(1, 4);
    let extra = "\n  lifecycle {\n    replace_triggered_by = [terraform_data.trigger]\n  }";
    let (extra, input) = if trigger { (extra, "a") } else { ("", "") };
    let (_mock, wd) = setup(&tf);
    wd.write_config(&config(false, false, extra, input));
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    let flag = format!("-replace={ADDR}");
    let out = wd
        .terraform(&["plan", "-no-color", "-input=false", &flag])
        .success();
    assert!(flat(&out.output()).contains("will be replaced"), "{out}");
    assert!(
        !out.output().contains("Database Token Will Be"),
        "-replace: {out}"
    );
    if trigger {
        wd.write_config(&config(false, false, extra, "b"));
        let out = wd
            .terraform(&["plan", "-no-color", "-input=false"])
            .success();
        assert!(flat(&out.output()).contains("will be replaced"), "{out}");
        assert!(
            !out.output().contains("Database Token Will Be"),
            "replace_triggered_by: {out}"
        );
    }
    // The contrast: a destroy, which Terraform plans with the provider from 1.3 on, warns.
    let out = wd.destroy().success();
    if tf.at_least(1, 3) {
        assert!(
            out.output().contains("Database Token Will Be Revoked"),
            "{out}"
        );
    }
}
