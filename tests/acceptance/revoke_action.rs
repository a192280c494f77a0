//! The `influxdb3_revoke_database_tokens` action under a Terraform with actions (1.14+):
//! `apply -invoke` by ids and by selector, every guard failing at plan with nothing sent,
//! injected 503s and a lost DELETE answer, and an `action_trigger` that revokes the token a new
//! one replaces. Each test is skipped with a printed reason under a tool without actions
//! (Terraform before 1.14, every OpenTofu release); `opentofu_reads_no_action_block` records
//! what OpenTofu does with one.

use serde_json::{Value as Json, json};
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

use super::support::mock_checks::{api_calls, api_writes, is_revoked};
use super::support::terraform::{Feature, Terraform, terraform_with_or_skip};
use super::support::text::assert_mentions;
use super::support::{Outcome, WorkDir, required_providers, terraform_or_skip};

const TYPE: &str = "influxdb3_revoke_database_tokens";

/// Terraform with actions, a mock and a working directory pointed at it.
fn setup(test: &str) -> Option<(Terraform, MockServer, WorkDir)> {
    let tf = terraform_with_or_skip(test, Feature::Actions)?;
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    Some((tf, mock, wd))
}

/// Creates a token straight through the API, as `influxctl` would; registers its access token
/// as a secret no command may print. Returns its id.
fn seed(mock: &MockServer, wd: &WorkDir, description: &str, grants: &[(&str, &str)]) -> String {
    let url = format!(
        "{}/accounts/{}/clusters/{}/tokens",
        mock.endpoint(),
        mock.account_id(),
        mock.cluster_id()
    );
    let permissions: Vec<Json> = grants
        .iter()
        .map(|(a, r)| json!({"action": a, "resource": r}))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let answer: Json = runtime.block_on(async {
        reqwest::Client::new()
            .post(&url)
            .bearer_auth(mock.management_token())
            .json(&json!({"description": description, "permissions": permissions}))
            .send()
            .await
            .expect("create token")
            .error_for_status()
            .expect("token created")
            .json()
            .await
            .expect("create answer")
    });
    wd.register_secret(answer["accessToken"].as_str().expect("access token"));
    answer["id"].as_str().expect("id").to_owned()
}

/// A configuration with action `name` whose `config` block holds `body`, and `extra` HCL.
fn config(name: &str, body: &str, extra: &str) -> String {
    format!(
        "{}\naction \"{TYPE}\" \"{name}\" {{\n  config {{\n{body}\n  }}\n}}\n{extra}",
        required_providers()
    )
}

fn invoke_arg(name: &str) -> String {
    format!("-invoke=action.{TYPE}.{name}")
}

/// `terraform plan -invoke=…`.
fn plan_invoke(wd: &WorkDir, name: &str) -> Outcome {
    wd.terraform(&["plan", "-no-color", "-input=false", &invoke_arg(name)])
}

/// `terraform apply -auto-approve -invoke=…`.
fn invoke(wd: &WorkDir, name: &str) -> Outcome {
    wd.terraform(&[
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
        &invoke_arg(name),
    ])
}

fn deletes(mock: &MockServer) -> Vec<String> {
    api_writes(mock)
        .into_iter()
        .filter(|c| c.starts_with("DELETE "))
        .collect()
}

fn ids_hcl(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
    format!("    token_ids = [{}]", quoted.join(", "))
}

#[test]
fn invoke_by_ids_lists_them_in_the_plan_then_revokes_and_confirms_each() {
    let test = "invoke_by_ids_lists_them_in_the_plan_then_revokes_and_confirms_each";
    let Some((_tf, mock, wd)) = setup(test) else {
        return;
    };
    let leaked = seed(&mock, &wd, "ci ingest", &[("write", "telemetry")]);
    let old = seed(&mock, &wd, "old dashboard", &[("read", "*")]);
    let kept = seed(&mock, &wd, "kept", &[("read", "telemetry")]);
    wd.write_config(&config(
        "leak",
        &format!(
            "{}\n    expect_description = {{ \"{leaked}\" = \"ci ingest\" }}",
            ids_hcl(&[&leaked, &old])
        ),
        "",
    ));

    // The plan names each token with its description, permissions and creation time, and
    // sends nothing.
    let out = plan_invoke(&wd, "leak").success().output();
    assert_mentions(
        &out,
        &[
            "Database Tokens Will Be Revoked",
            "revokes 2 tokens",
            &leaked,
            "\"ci ingest\"",
            "write on telemetry",
            &old,
            "read on *",
            "created 20",
        ],
    );
    assert!(!out.contains(&kept), "{out}");
    assert!(deletes(&mock).is_empty(), "{:?}", api_calls(&mock));

    // The invocation revokes both, one progress line per token, and confirms them.
    let out = invoke(&wd, "leak").success().output();
    assert_mentions(
        &out,
        &[
            &format!("revoking token {leaked}"),
            &format!("revoked token {old}"),
            "confirmed 2 tokens gone",
            "Database Tokens Revoked",
        ],
    );
    assert!(is_revoked(&mock, &leaked) && is_revoked(&mock, &old));
    assert!(!is_revoked(&mock, &kept));
    assert_eq!(deletes(&mock).len(), 2, "{:?}", api_calls(&mock));

    // Invoking again revokes nothing and says why.
    let out = invoke(&wd, "leak").success().output();
    assert_mentions(&out, &["Tokens Already Gone", "Nothing To Revoke"]);
    assert_eq!(deletes(&mock).len(), 2);
}

#[test]
fn invoke_by_selector_revokes_exactly_the_matching_tokens() {
    let test = "invoke_by_selector_revokes_exactly_the_matching_tokens";
    let Some((_tf, mock, wd)) = setup(test) else {
        return;
    };
    let a = seed(&mock, &wd, "ci-runner 1", &[("write", "telemetry")]);
    let b = seed(
        &mock,
        &wd,
        "ci-runner 2",
        &[("read", "telemetry"), ("read", "logs")],
    );
    let other_db = seed(&mock, &wd, "ci-runner 3", &[("read", "logs")]);
    let other_prefix = seed(&mock, &wd, "grafana", &[("read", "telemetry")]);
    let wildcard = seed(&mock, &wd, "ci-admin", &[("write", "*")]);
    wd.write_config(&config(
        "runners",
        "    database = \"telemetry\"\n    description_prefix = \"ci-\"\n    created_before = \"2199-01-01T00:00:00Z\"",
        "",
    ));
    let out = plan_invoke(&wd, "runners").success().output();
    assert_mentions(
        &out,
        &[&a, &b, "revokes 2 tokens", "database = \"telemetry\""],
    );
    for not in [&other_db, &other_prefix, &wildcard] {
        assert!(!out.contains(not.as_str()), "{not} is not selected:\n{out}");
    }
    // The reviewed plan, saved and applied as a pipeline would.
    wd.terraform(&[
        "plan",
        "-no-color",
        "-input=false",
        "-out=tfplan",
        &invoke_arg("runners"),
    ])
    .success();
    assert!(deletes(&mock).is_empty());
    wd.terraform(&["apply", "-no-color", "-input=false", "tfplan"])
        .success();
    assert!(is_revoked(&mock, &a) && is_revoked(&mock, &b));
    for not in [&other_db, &other_prefix, &wildcard] {
        assert!(!is_revoked(&mock, not));
    }
}

#[test]
fn every_guard_stops_the_plan_with_nothing_sent() {
    let test = "every_guard_stops_the_plan_with_nothing_sent";
    let Some((_tf, mock, wd)) = setup(test) else {
        return;
    };
    let leaked = seed(&mock, &wd, "ci ingest", &[("write", "telemetry")]);
    let ci = seed(&mock, &wd, "terraform ci", &[("write", "telemetry")]);
    let many: Vec<String> = (0..4)
        .map(|i| seed(&mock, &wd, &format!("batch {i}"), &[("read", "logs")]))
        .collect();
    let protected = format!("provider \"influxdb3\" {{\n  protected_token_ids = [\"{ci}\"]\n}}\n");
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "the description guard",
            format!(
                "{}\n    expect_description = {{ \"{leaked}\" = \"ci ingset\" }}",
                ids_hcl(&[&leaked])
            ),
            "",
            r#"Token Description Does Not Match[\s\S]*"ci ingest", not the expected "ci ingset""#,
        ),
        (
            "a selector that matches nothing",
            "    description_prefix = \"nightly\"".to_owned(),
            "",
            "Selector Matches No Token",
        ),
        (
            "a selector over max_tokens",
            "    description_prefix = \"batch\"".to_owned(),
            "",
            r"Selector Matches Too Many Tokens[\s\S]*matches 4 tokens, more than max_tokens = 3[\s\S]*set max_tokens = 4",
        ),
        (
            "a protected id",
            ids_hcl(&[&leaked, &ci]),
            &protected,
            r"Token Is Protected[\s\S]*protected_token_ids",
        ),
        (
            "a selector reaching a protected token",
            "    database = \"telemetry\"".to_owned(),
            &protected,
            "Token Is Protected",
        ),
        (
            "an id that is not a UUID",
            "    token_ids = [\"apiv1_pasted-secret-by-mistake\"]".to_owned(),
            "",
            r#"Invalid Token Id[\s\S]*token_ids"#,
        ),
        (
            "an unreadable instant",
            "    created_before = \"yesterday\"".to_owned(),
            "",
            r"Invalid Instant[\s\S]*created_before",
        ),
        (
            "nothing chosen",
            "    max_tokens = 2".to_owned(),
            "",
            "No Token Chosen",
        ),
    ];
    for (what, body, extra, error) in cases {
        // Terraform wraps diagnostic text: a space in a pattern matches any run of space.
        let error = &error.replace(' ', r"\s+");
        wd.write_config(&config("guarded", &body, extra));
        let out = plan_invoke(&wd, "guarded").failure_matching(error).output();
        // Terraform quotes the configuration line at fault (`NN: …`); the provider's own
        // text never repeats a value that may be a secret.
        let echoed = out
            .lines()
            .filter(|l| l.contains("pasted-secret"))
            .any(|l| !l.trim_start().starts_with(|c: char| c.is_ascii_digit()));
        assert!(
            !echoed,
            "{what}: a value that may be a secret is echoed:\n{out}"
        );
        wd.terraform(&[
            "apply",
            "-no-color",
            "-input=false",
            "-auto-approve",
            &invoke_arg("guarded"),
        ])
        .failure_matching(error);
        assert!(
            deletes(&mock).is_empty(),
            "{what}: something was sent: {:?}",
            api_calls(&mock)
        );
    }
    for id in std::iter::once(&leaked).chain(&many).chain([&ci]) {
        assert!(!is_revoked(&mock, id));
    }
}

#[test]
fn injected_503s_are_retried_and_a_revoke_that_never_succeeds_is_named() {
    let test = "injected_503s_are_retried_and_a_revoke_that_never_succeeds_is_named";
    let Some((_tf, mock, wd)) = setup(test) else {
        return;
    };
    let ids: Vec<String> = (0..4)
        .map(|i| seed(&mock, &wd, &format!("leak {i}"), &[("read", "logs")]))
        .collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let token_path = |id: &str| {
        format!(
            "/api/v0/accounts/{}/clusters/{}/tokens/{id}",
            mock.account_id(),
            mock.cluster_id()
        )
    };

    // Every DELETE of one token answers 503: the others are revoked, and the error names
    // which were and which was not.
    mock.configure(json!({"faults": [{"method": "DELETE", "path_prefix": token_path(&ids[0]), "status": 503}]}))
        .expect("faults");
    wd.write_config(&config(
        "leak",
        &format!("{}\n", ids_hcl(&refs[..3])),
        "provider \"influxdb3\" {\n  max_retries = 1\n}\n",
    ));
    let out = invoke(&wd, "leak")
        .failure_matching(r"Database Tokens Partly Revoked[\s\S]*Revoked \(confirmed\)[\s\S]*NOT revoked \(the revoke failed\)")
        .output();
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let not_revoked = flat.split("NOT revoked").nth(1).unwrap_or_default();
    assert!(not_revoked.contains(&ids[0]), "{out}");
    assert!(!is_revoked(&mock, &ids[0]));
    assert!(is_revoked(&mock, &ids[1]) && is_revoked(&mock, &ids[2]));
    assert!(
        mock.requests()
            .iter()
            .any(|r| r.method == "DELETE" && r.status == 503),
        "no 503 was served"
    );

    // Half the DELETEs answer 503 and the client retries: every token ends revoked, the one
    // left over included, and the skipped ones are reported as already gone.
    mock.configure(json!({"faults": [{"method": "DELETE", "status": 503, "rate": 0.5}]}))
        .expect("faults");
    wd.write_config(&config(
        "leak",
        &ids_hcl(&refs),
        "provider \"influxdb3\" {\n  max_retries = 20\n}\n",
    ));
    let out = invoke(&wd, "leak").success().output();
    assert_mentions(&out, &["Database Tokens Revoked", "Tokens Already Gone"]);
    for id in &ids {
        assert!(is_revoked(&mock, id), "{id}:\n{out}");
    }
}

#[test]
fn a_lost_delete_answer_is_settled_as_revoked() {
    let test = "a_lost_delete_answer_is_settled_as_revoked";
    let Some((_tf, mock, wd)) = setup(test) else {
        return;
    };
    let id = seed(&mock, &wd, "leaked", &[("write", "telemetry")]);
    // The DELETE is committed and its connection closed with no answer; the retry meets a
    // token that is already gone.
    mock.configure(
        json!({"drop_response_after_commit": {"method": "DELETE", "rate": 1.0, "count": 1}}),
    )
    .expect("drop rule");
    wd.write_config(&config("leak", &ids_hcl(&[&id]), ""));
    let out = invoke(&wd, "leak").success().output();
    assert_mentions(&out, &["Database Tokens Revoked", &id]);
    assert!(is_revoked(&mock, &id));
    assert!(deletes(&mock).len() >= 2, "{:?}", api_calls(&mock));

    // A cluster that lists revoked tokens: invoking again names when it was revoked.
    mock.configure(json!({"revoked_visibility": "listed"}))
        .expect("visibility");
    let out = invoke(&wd, "leak").success().output();
    assert_mentions(
        &out,
        &[
            "Tokens Already Gone",
            &id,
            "revoked at 20",
            "Nothing To Revoke",
        ],
    );
}

#[test]
fn an_action_trigger_revokes_the_token_a_new_one_replaces() {
    let test = "an_action_trigger_revokes_the_token_a_new_one_replaces";
    let Some((_tf, mock, wd)) = setup(test) else {
        return;
    };
    let old = seed(&mock, &wd, "ingest v1", &[("write", "telemetry")]);
    let resource = format!(
        "resource \"influxdb3_database_token\" \"ingest\" {{\n  description = \"ingest v2\"\n  \
         permissions = [{{ action = \"write\", resource = \"telemetry\" }}]\n  lifecycle {{\n    \
         action_trigger {{\n      events  = [after_create]\n      actions = \
         [action.{TYPE}.retire_v1]\n    }}\n  }}\n}}\n"
    );
    wd.write_config(&config(
        "retire_v1",
        &format!(
            "{}\n    expect_description = {{ \"{old}\" = \"ingest v1\" }}",
            ids_hcl(&[&old])
        ),
        &resource,
    ));
    let out = wd
        .terraform(&["plan", "-no-color", "-input=false"])
        .success()
        .output();
    assert_mentions(
        &out,
        &["Database Tokens Will Be Revoked", &old, "\"ingest v1\""],
    );
    assert!(!is_revoked(&mock, &old));
    let out = wd
        .terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success()
        .output();
    assert_mentions(&out, &[&format!("revoked token {old}")]);
    assert!(is_revoked(&mock, &old));
    let state = wd.state_json();
    let new_id = super::support::state_values(&state, "influxdb3_database_token.ingest")["id"]
        .as_str()
        .expect("new id")
        .to_owned();
    assert!(!is_revoked(&mock, &new_id));
    // The trigger fires on create only: the next plan has nothing to do.
    let out = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn opentofu_reads_no_action_block() {
    let test = "opentofu_reads_no_action_block";
    let Some(tf) = terraform_or_skip(test) else {
        return;
    };
    if !tf.is_opentofu() {
        eprintln!("SKIPPED {test}: {} is not OpenTofu", tf.describe());
        return;
    }
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    // The provider advertises the action; OpenTofu runs everything else as before.
    wd.write_config(&format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  description = \"t\"\n}}\n",
        required_providers()
    ));
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    // An `action` block is a configuration error before any provider call.
    wd.write_config(&config(
        "leak",
        "    token_ids = [\"11111111-1111-4111-8111-111111111111\"]",
        "",
    ));
    wd.terraform(&["plan", "-no-color", "-input=false"])
        .failure_matching(r#"(?i)unsupported block type[\s\S]*action"#);
    assert!(deletes(&mock).is_empty());
}

/// `terraform plan -out=tfplan ARGS` and the plan's JSON.
fn plan_json(wd: &WorkDir, args: &[&str]) -> Json {
    let mut all = vec!["plan", "-no-color", "-input=false", "-out=tfplan"];
    all.extend_from_slice(args);
    wd.terraform(&all).success();
    wd.terraform_json(&["show", "-json", "tfplan"])
}

#[test]
fn the_policy_denies_a_revoke_invocation_unless_its_tokens_are_marked() {
    let test = "the_policy_denies_a_revoke_invocation_unless_its_tokens_are_marked";
    let Some((_tf, mock, wd)) = setup(test) else {
        return;
    };
    let marked = seed(&mock, &wd, "ci ingest [retire]", &[("write", "telemetry")]);
    let unmarked = seed(&mock, &wd, "ci ingest", &[("write", "telemetry")]);
    seed(&mock, &wd, "[retire] old runner", &[("read", "logs")]);
    let address = format!("action.{TYPE}.leak");
    let invoke = invoke_arg("leak");
    let judged = |body: String| {
        wd.write_config(&config("leak", &body, ""));
        let plan = plan_json(&wd, &[&invoke]);
        let invocations = plan["action_invocations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(invocations.len(), 1, "{plan:#}");
        assert_eq!(invocations[0]["address"], address.as_str());
        assert!(invocations[0]["invoke_action_trigger"].is_object());
        super::policy_engines::judge(test, &plan)
    };

    // An id without a guard, and a guard that does not carry the marker: denied.
    let verdict = judged(ids_hcl(&[&marked]));
    assert_eq!(verdict.denied(&marked).len(), 1, "{verdict:?}");
    let verdict = judged(format!(
        "{}\n    expect_description = {{ \"{unmarked}\" = \"ci ingest\" }}",
        ids_hcl(&[&unmarked])
    ));
    assert_eq!(verdict.denied(&unmarked).len(), 1, "{verdict:?}");
    // The marker pinned by the guard: allowed, with a warning for the reviewer.
    let verdict = judged(format!(
        "{}\n    expect_description = {{ \"{marked}\" = \"ci ingest [retire]\" }}",
        ids_hcl(&[&marked])
    ));
    assert!(verdict.deny.is_empty(), "{verdict:?}");
    assert!(
        verdict.warn.iter().any(|w| w.contains(&address)),
        "{verdict:?}"
    );
    // A selector: allowed only with a marked description_prefix.
    let verdict = judged("    database = \"telemetry\"".to_owned());
    assert_eq!(verdict.denied("selector").len(), 1, "{verdict:?}");
    let verdict = judged("    description_prefix = \"[retire]\"".to_owned());
    assert!(verdict.deny.is_empty(), "{verdict:?}");
    assert!(deletes(&mock).is_empty());

    // An action_trigger invocation is judged the same way, and says what triggers it.
    let resource = format!(
        "resource \"influxdb3_database_token\" \"ingest\" {{\n  description = \"ingest v2\"\n  \
         lifecycle {{\n    action_trigger {{\n      events  = [after_create]\n      actions = \
         [action.{TYPE}.leak]\n    }}\n  }}\n}}\n"
    );
    wd.write_config(&config("leak", &ids_hcl(&[&unmarked]), &resource));
    let plan = plan_json(&wd, &[]);
    let invocation = &plan["action_invocations"][0];
    assert_eq!(
        invocation["lifecycle_action_trigger"]["triggering_resource_address"],
        "influxdb3_database_token.ingest",
        "{plan:#}"
    );
    let verdict = super::policy_engines::judge(test, &plan);
    let denied = verdict.denied(&address);
    assert_eq!(denied.len(), 1, "{verdict:?}");
    assert!(
        denied[0].contains("influxdb3_database_token.ingest"),
        "{denied:?}"
    );
}
