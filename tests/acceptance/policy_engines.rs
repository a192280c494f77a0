//! The engines a reviewer runs the shipped policies with, over one plan JSON: regorus (in this
//! process), the real OPA engine and checkov (both from the venv that
//! `scripts/install-policy-tools.sh` makes). OPA runs the query the docs show
//! (`data.influxdb3.tokens.deny[msg]`, and `warn`) through `tests/policy/opa_eval.py`. The
//! documented checkov command runs as it is for the log a reviewer reads; the JSON reports the
//! tests compare come from the same arguments through `tests/policy/checkov_serve.py`, which
//! imports checkov once per test process instead of once per run.
//!
//! The venv is `target/policy-venv` unless `INFLUXDB3_POLICY_VENV` names another. Without it a
//! test prints why and checks regorus alone, except under `CI=true`, where that is a failure.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use serde_json::Value as Json;

use super::support::WorkDir;

/// What the policies say about one plan: the `deny` and `warn` messages, each sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub deny: Vec<String>,
    pub warn: Vec<String>,
}

impl Verdict {
    /// The deny messages that contain `phrase`.
    pub(crate) fn denied(&self, phrase: &str) -> Vec<&String> {
        self.deny.iter().filter(|m| m.contains(phrase)).collect()
    }
}

fn policy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policy")
}

/// The policies' verdict on `plan`, from regorus and (when the venv is there) from OPA, which
/// must agree exactly.
pub(crate) fn judge(test: &str, plan: &Json) -> Verdict {
    let regorus = regorus_verdict(plan);
    if let Some(venv) = venv_or_skip(test, "the real OPA engine") {
        let opa = opa_verdict(&venv, plan);
        assert_eq!(
            regorus, opa,
            "{test}: regorus (left) and OPA (right) disagree on the same plan"
        );
    }
    regorus
}

/// `data.influxdb3.tokens.deny` and `warn` evaluated by regorus, with every `.rego` file and
/// `config.json` of `examples/policy/` loaded.
pub(crate) fn regorus_verdict(plan: &Json) -> Verdict {
    let dir = policy_dir();
    let mut engine = regorus::Engine::new();
    for rego in rego_files(&dir) {
        engine
            .add_policy_from_file(&rego)
            .unwrap_or_else(|e| panic!("regorus rejects {}: {e}", rego.display()));
    }
    let config = std::fs::read_to_string(dir.join("config.json")).expect("config.json");
    engine
        .add_data(regorus::Value::from_json_str(&config).expect("config is JSON"))
        .expect("data");
    engine.set_input(regorus::Value::from_json_str(&plan.to_string()).expect("plan is JSON"));
    let mut rule = |name: &str| -> Vec<String> {
        let result = engine
            .eval_rule(format!("data.influxdb3.tokens.{name}"))
            .unwrap_or_else(|e| panic!("regorus evaluates {name}: {e}"));
        let json: Json =
            serde_json::from_str(&result.to_json_str().expect("to json")).expect("json");
        let mut messages: Vec<String> = json
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str().map(str::to_owned))
            .collect();
        messages.sort();
        messages
    };
    Verdict {
        deny: rule("deny"),
        warn: rule("warn"),
    }
}

fn rego_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("examples/policy")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rego"))
        .collect();
    files.sort();
    files
}

fn opa_verdict(venv: &Path, plan: &Json) -> Verdict {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policy/opa_eval.py");
    let mut child = Command::new(venv.join("bin/python"))
        .arg(script)
        .arg(policy_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start opa_eval.py");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(plan.to_string().as_bytes())
        .expect("send the plan");
    let out = child.wait_with_output().expect("opa_eval.py");
    assert!(
        out.status.success(),
        "OPA failed on the shipped policy:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Json = serde_json::from_slice(&out.stdout).expect("opa_eval.py prints JSON");
    let list = |name: &str| -> Vec<String> {
        json[name]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str().map(str::to_owned))
            .collect()
    };
    Verdict {
        deny: list("deny"),
        warn: list("warn"),
    }
}

/// Whether the documented gate, `opa eval --fail-defined` of the `opa` CLI over the deny rule,
/// lets `plan` through (exit status 0; 1 means denied); `None` when the venv is missing outside
/// CI. Any other outcome (a parse error, a crash) panics.
pub(crate) fn opa_gate_passes(test: &str, wd: &WorkDir, plan: &Json) -> Option<bool> {
    let venv = venv_or_skip(test, "the opa CLI")?;
    let dir = policy_dir();
    let out = with_plan_file(wd, plan, |file| {
        Command::new(venv.join("bin/opa"))
            .args(["eval", "--fail-defined", "-d"])
            .arg(dir.join("tokens.rego"))
            .arg("-d")
            .arg(dir.join("config.json"))
            .arg("-i")
            .arg(file)
            .arg("data.influxdb3.tokens.deny[msg]")
            .output()
            .expect("run opa")
    });
    match out.status.code() {
        Some(0) => Some(true),
        Some(1) => Some(false),
        _ => panic!(
            "{test}: opa eval failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Writes `plan` to `plan.json` in the test's directory for `run`, and removes it after.
fn with_plan_file<T>(wd: &WorkDir, plan: &Json, run: impl FnOnce(&Path) -> T) -> T {
    let file = wd.file("plan.json");
    std::fs::write(&file, plan.to_string()).expect("write plan.json");
    let out = run(&file);
    let _ = std::fs::remove_file(&file);
    out
}

/// The documented checkov command's arguments (`examples/policy/README.md`) over `file`, after
/// `output` (how it reports).
fn checkov_args(output: &[&str], file: &Path) -> Vec<String> {
    let checks = policy_dir().join("checkov");
    let (checks, file) = (checks.display().to_string(), file.display().to_string());
    output
        .iter()
        .copied()
        .chain([
            "--skip-download",
            "--framework",
            "json",
            "--external-checks-dir",
            checks.as_str(),
            "--check",
            "CKV_IFX3_1,CKV_IFX3_2",
            "-f",
            file.as_str(),
        ])
        .map(str::to_owned)
        .collect()
}

/// What the documented checkov command (`examples/policy/README.md`) prints for `plan`, as a
/// CI log would hold it, with its exit status; `None` when the venv is missing outside CI.
/// This is the venv's own `checkov` command, as a user runs it.
pub(crate) fn checkov_log(test: &str, wd: &WorkDir, plan: &Json) -> Option<(bool, String)> {
    let venv = venv_or_skip(test, "checkov")?;
    let out = with_plan_file(wd, plan, |file| {
        Command::new(venv.join("bin/checkov"))
            .args(checkov_args(&["--compact", "--quiet"], file))
            // No call to the vendor's guideline service: tests use loopback only.
            .env("BC_SKIP_MAPPING", "TRUE")
            .output()
            .expect("run checkov")
    });
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.success(), log))
}

/// The test process's checkov server (`tests/policy/checkov_serve.py`): one import of checkov,
/// a fork per run, one run at a time. It exits when this process ends and its standard input
/// closes; nothing waits for it, as nothing waits for a static's drop.
struct CheckovServer {
    _process: Child,
    requests: ChildStdin,
    replies: BufReader<ChildStdout>,
}

static CHECKOV: Mutex<Option<CheckovServer>> = Mutex::new(None);

/// Runs checkov with `args` through the server (with `BC_SKIP_MAPPING=TRUE`, as the
/// documented command); its reply is `{"code", "stdout", "stderr"}`.
fn checkov_served(test: &str, venv: &Path, args: &[String]) -> Json {
    let reply = {
        let mut server = CHECKOV
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let server = server.get_or_insert_with(|| start_checkov_server(venv));
        let line = serde_json::to_string(args).expect("arguments are JSON");
        writeln!(server.requests, "{line}").expect("send the checkov server a request");
        let mut reply = String::new();
        server
            .replies
            .read_line(&mut reply)
            .expect("read the checkov server's reply");
        reply
    };
    serde_json::from_str(&reply)
        .unwrap_or_else(|e| panic!("{test}: the checkov server answered {reply:?} ({e})"))
}

fn start_checkov_server(venv: &Path) -> CheckovServer {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policy/checkov_serve.py");
    let mut child = Command::new(venv.join("bin/python"))
        .arg(script)
        .env("BC_SKIP_MAPPING", "TRUE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the checkov server");
    CheckovServer {
        requests: child.stdin.take().expect("the server's stdin"),
        replies: BufReader::new(child.stdout.take().expect("the server's stdout")),
        _process: child,
    }
}

/// The ids of the shipped checkov checks (`examples/policy/checkov/`) that fail on `plan`,
/// run as the docs show (`--framework json`); `None` when the venv is missing outside CI.
/// Panics unless both checks ran.
pub(crate) fn checkov_failures(test: &str, wd: &WorkDir, plan: &Json) -> Option<BTreeSet<String>> {
    let venv = venv_or_skip(test, "checkov")?;
    let reply = with_plan_file(wd, plan, |file| {
        checkov_served(test, &venv, &checkov_args(&["-o", "json"], file))
    });
    let stdout = reply["stdout"].as_str().unwrap_or_default();
    let report: Json = serde_json::from_str(stdout).unwrap_or_else(|e| {
        panic!(
            "checkov printed no JSON report ({e}):\n{}",
            reply["stderr"].as_str().unwrap_or_default()
        )
    });
    let ids = |kind: &str| -> BTreeSet<String> {
        report["results"][kind]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["check_id"].as_str().map(str::to_owned))
            .collect()
    };
    let failed = ids("failed_checks");
    let ran: BTreeSet<String> = failed.union(&ids("passed_checks")).cloned().collect();
    assert_eq!(
        ran,
        BTreeSet::from(["CKV_IFX3_1".to_owned(), "CKV_IFX3_2".to_owned()]),
        "{test}: both shipped checkov checks must run:\n{report:#}"
    );
    assert_eq!(
        reply["code"] == 0,
        failed.is_empty(),
        "{test}: checkov's exit status must follow its failures"
    );
    Some(failed)
}

/// The policy-tools venv, or `None` (printed) when it is missing outside CI.
fn venv_or_skip(test: &str, tool: &str) -> Option<PathBuf> {
    let venv = std::env::var_os("INFLUXDB3_POLICY_VENV")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/policy-venv"));
    if venv.join(".installed").is_file() {
        return Some(venv);
    }
    let why = format!(
        "{tool} is not installed: run scripts/install-policy-tools.sh (no {})",
        venv.join(".installed").display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {why} (CI=true: a missing policy tool is a failure)");
    }
    eprintln!("SKIPPED {tool} in {test}: {why}");
    None
}
