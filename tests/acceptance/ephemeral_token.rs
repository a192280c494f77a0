//! The ephemeral `influxdb3_database_token` under real Terraform (1.10 or later): one token per
//! open, revoked by the close of the same run, nothing of it in the plan or the state; a plan
//! alone opens and closes too; a killed run leaves at most one token, which expires; a close
//! that meets 503s retries until it revokes. Under an older Terraform these tests print why
//! they skip, and `older_terraform_rejects_the_ephemeral_block` runs instead.

use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use terraform_provider_influxdb3::mock::MockServer;

use super::database_token::setup;
use super::support::invariants::active_token_ids;
use super::support::mock_checks::mock_tokens;
use super::support::terraform::{Feature, Terraform, terraform_with_or_skip};
use super::support::terraform_or_return;
use super::support::text::assert_mentions;
use super::support::{Outcome, WorkDir, required_providers};

/// The configuration under test: an ephemeral token whose secret a provisioner receives, as a
/// CI step would (its `test -n` fails the run when the token did not arrive).
fn config(provider_block: &str, command: &str) -> String {
    format!(
        r#"{}
{provider_block}
ephemeral "influxdb3_database_token" "ci" {{
  description = "ci run"
  permissions = [{{ action = "write", resource = "loadtest" }}]
  expires_in  = "30m"
}}

resource "terraform_data" "use" {{
  provisioner "local-exec" {{
    command     = "test -n \"$TOKEN\" && {command}"
    environment = {{ TOKEN = ephemeral.influxdb3_database_token.ci.access_token }}
  }}
}}
"#,
        required_providers()
    )
}

/// Terraform with ephemeral resources, or `None` after printing why the test skips.
fn terraform_with_ephemerals(test: &str) -> Option<Terraform> {
    terraform_with_or_skip(test, Feature::Ephemerals)
}

/// `(method, path, status)` of the token requests the mock served since `from`.
fn token_calls(mock: &MockServer, from: usize) -> Vec<(String, String, u16)> {
    mock.requests()
        .into_iter()
        .skip(from)
        .filter(|r| r.path.contains("/tokens"))
        .map(|r| (r.method, r.path, r.status))
        .collect()
}

/// Ids of the mock's tokens, oldest first.
fn token_ids(mock: &MockServer) -> Vec<String> {
    let mut tokens = mock_tokens(mock);
    tokens.sort_by(|a, b| a["createdAt"].as_str().cmp(&b["createdAt"].as_str()));
    tokens
        .iter()
        .filter_map(|t| t["id"].as_str().map(str::to_owned))
        .collect()
}

/// Panics unless the calls are exactly one create and then one revoke of `id`.
fn assert_create_then_revoke(calls: &[(String, String, u16)], id: &str) {
    let summary: Vec<(&str, u16)> = calls.iter().map(|(m, _, s)| (m.as_str(), *s)).collect();
    assert_eq!(summary, [("POST", 200), ("DELETE", 204)], "{calls:?}");
    assert!(calls[1].1.ends_with(&format!("/tokens/{id}")), "{calls:?}");
}

/// Panics unless every token of the mock is ephemeral-marked, carries an expiry and is revoked.
fn assert_all_marked_expiring_and_revoked(mock: &MockServer) {
    for t in mock_tokens(mock) {
        assert!(
            t["description"]
                .as_str()
                .is_some_and(|d| d.starts_with("[ephemeral] ")),
            "{t}"
        );
        assert!(t["expiresAt"].is_string(), "{t}");
        assert!(t["revokedAt"].is_string(), "not revoked: {t}");
    }
}

/// Panics when `text` holds any of `ids` or an access token.
fn assert_holds_no_token(what: &str, text: &str, ids: &[String]) {
    assert!(!text.contains("apiv1_"), "{what} holds an access token");
    for id in ids {
        assert!(!text.contains(id.as_str()), "{what} holds token id {id}");
    }
}

#[test]
fn a_plan_alone_creates_and_revokes_one_token() {
    let Some(tf) = terraform_with_ephemerals("a_plan_alone_creates_and_revokes_one_token") else {
        return;
    };
    let (mock, wd) = setup(&tf);
    wd.write_config(&config("", "true"));
    wd.terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"])
        .success();
    let ids = token_ids(&mock);
    assert_eq!(ids.len(), 1, "the plan opened the ephemeral token once");
    assert_create_then_revoke(&token_calls(&mock, 0), &ids[0]);
    assert_all_marked_expiring_and_revoked(&mock);
    let plan = wd.terraform(&["show", "-json", "tfplan"]).success();
    assert_holds_no_token("the saved plan's JSON", &plan.stdout, &ids);
    let raw = std::fs::read(wd.file("tfplan")).expect("read tfplan");
    assert_holds_no_token("the plan file", &String::from_utf8_lossy(&raw), &ids);
}

#[test]
fn an_apply_of_a_saved_plan_creates_and_revokes_its_own_token_and_stores_none() {
    let Some(tf) = terraform_with_ephemerals(
        "an_apply_of_a_saved_plan_creates_and_revokes_its_own_token_and_stores_none",
    ) else {
        return;
    };
    let (mock, wd) = setup(&tf);
    wd.write_config(&config("", "true"));
    wd.terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"])
        .success();
    let after_plan = mock.requests().len();
    wd.apply_plan().success();

    let ids = token_ids(&mock);
    assert_eq!(
        ids.len(),
        2,
        "one token for the plan, another for the apply"
    );
    assert_create_then_revoke(&token_calls(&mock, after_plan), &ids[1]);
    assert_all_marked_expiring_and_revoked(&mock);
    assert!(active_token_ids(&mock).is_empty());

    let state = std::fs::read_to_string(wd.file("terraform.tfstate")).expect("state file");
    assert_holds_no_token("the state file", &state, &ids);
    let shown = wd.terraform(&["show", "-json"]).success();
    assert_holds_no_token("terraform show -json", &shown.stdout, &ids);
}

/// Starts `terraform ARGS` in its own process group, as a terminal would run it.
fn spawn(wd: &WorkDir, args: &[&str]) -> Child {
    wd.command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("start terraform")
}

/// Waits (up to 60 s) until the mock's requests satisfy `done`.
fn wait_for(mock: &MockServer, what: &str, done: impl Fn(&[(String, String, u16)]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(&token_calls(mock, 0)) {
        assert!(
            Instant::now() < deadline,
            "waited 60 s for {what}: {:?}",
            token_calls(mock, 0)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for `child` and checks its output for secrets.
fn finish(wd: &WorkDir, args: &[&str], child: Child) -> Outcome {
    let out = child.wait_with_output().expect("wait for terraform");
    let out = Outcome {
        command: format!("terraform {}", args.join(" ")),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    wd.assert_no_secret(args, &out);
    out
}

fn count(calls: &[(String, String, u16)], method: &str, status: u16) -> usize {
    calls
        .iter()
        .filter(|(m, _, s)| m == method && *s == status)
        .count()
}

#[test]
fn a_run_interrupted_after_open_leaves_at_most_one_token_and_it_expires() {
    let Some(tf) = terraform_with_ephemerals(
        "a_run_interrupted_after_open_leaves_at_most_one_token_and_it_expires",
    ) else {
        return;
    };
    let (mock, wd) = setup(&tf);
    // The provisioner holds the run while the token is open.
    wd.write_config(&config("", "sleep 30"));
    wd.terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"])
        .success();
    let planned = token_calls(&mock, 0).len();
    let args = ["apply", "-no-color", "-input=false", "tfplan"];
    let child = spawn(&wd, &args);
    wait_for(&mock, "the apply's create", |calls| {
        calls.len() > planned && count(calls, "POST", 200) == 2
    });
    std::thread::sleep(Duration::from_millis(500));
    let status = std::process::Command::new("kill")
        .args(["-INT", "--", &format!("-{}", child.id())])
        .status()
        .expect("run kill");
    assert!(status.success());
    let out = finish(&wd, &args, child);
    assert_ne!(out.code, 0, "an interrupted apply fails:\n{out}");

    let active = active_token_ids(&mock);
    eprintln!(
        "ephemeral_interrupted: {} token(s) left active; calls {:?}",
        active.len(),
        token_calls(&mock, planned)
    );
    assert!(
        active.len() <= 1,
        "at most the open token is left: {active:?}"
    );
    for t in mock_tokens(&mock) {
        assert!(t["expiresAt"].is_string(), "every token expires: {t}");
    }
}

#[test]
fn a_close_that_meets_503s_retries_and_revokes() {
    let Some(tf) = terraform_with_ephemerals("a_close_that_meets_503s_retries_and_revokes") else {
        return;
    };
    let (mock, wd) = setup(&tf);
    let provider = "provider \"influxdb3\" {\n  max_retries = 20\n}\n";
    wd.write_config(&config(provider, "true"));
    wd.terraform(&["plan", "-no-color", "-input=false", "-out=tfplan"])
        .success();
    let planned = token_calls(&mock, 0).len();
    mock.configure(json!({"faults": [{"method": "DELETE", "status": 503}]}))
        .expect("configure the mock");
    let args = ["apply", "-no-color", "-input=false", "tfplan"];
    let child = spawn(&wd, &args);
    wait_for(&mock, "two refused revokes", |calls| {
        count(&calls[planned.min(calls.len())..], "DELETE", 503) >= 2
    });
    mock.configure(json!({"faults": []}))
        .expect("configure the mock");
    let out = finish(&wd, &args, child);
    assert_eq!(out.code, 0, "the close retried until it revoked:\n{out}");

    let calls = token_calls(&mock, planned);
    let deletes: Vec<&(String, String, u16)> =
        calls.iter().filter(|(m, _, _)| m == "DELETE").collect();
    assert!(deletes.len() >= 3, "{calls:?}");
    assert!(
        deletes.iter().all(|(_, p, _)| *p == deletes[0].1),
        "{calls:?}"
    );
    assert_eq!(deletes.last().map(|d| d.2), Some(204), "{calls:?}");
    assert!(active_token_ids(&mock).is_empty());
}

#[test]
fn older_terraform_rejects_the_ephemeral_block() {
    let tf = terraform_or_return!();
    if tf.has(Feature::Ephemerals) {
        eprintln!(
            "SKIPPED ephemeral_old_terraform: {} supports ephemeral blocks; this checks \
             releases without them",
            tf.describe()
        );
        return;
    }
    let (mock, wd) = setup(&tf);
    wd.write_config(&config("", "true"));
    let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
    assert_ne!(out.code, 0, "{out}");
    assert_mentions(&out.output(), &["Unsupported block type", "\"ephemeral\""]);
    assert!(mock.requests().is_empty(), "nothing reached the API");
}
