//! The engines a reviewer runs the shipped policies with, over one plan JSON: regorus (in this
//! process), the real OPA engine and checkov (both from the venv that
//! `scripts/install-policy-tools.sh` makes). OPA runs the query the docs show
//! (`data.influxdb3.tokens.deny[msg]`, and `warn`) through `tests/policy/opa_eval.py`; checkov
//! runs the documented command's arguments through `tests/policy/checkov_serve.py`, which
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
    let file = wd.file("plan.json");
    std::fs::write(&file, plan.to_string()).expect("write plan.json");
    let dir = policy_dir();
    let out = Command::new(venv.join("bin/opa"))
        .args(["eval", "--fail-defined", "-d"])
        .arg(dir.join("tokens.rego"))
        .arg("-d")
        .arg(dir.join("config.json"))
        .arg("-i")
        .arg(&file)
        .arg("data.influxdb3.tokens.deny[msg]")
        .output()
        .expect("run opa");
    let _ = std::fs::remove_file(&file);
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

/// What one checkov run printed, and whether it exited 0.
struct CheckovRun {
    success: bool,
    stdout: String,
    stderr: String,
}

/// The test process's checkov server (`tests/policy/checkov_serve.py`): one import of checkov,
/// a fork per run. It exits when this process ends and its standard input closes; nothing
/// waits for it, as nothing waits for a static's drop.
struct CheckovServer {
    _process: Child,
    requests: ChildStdin,
    replies: BufReader<ChildStdout>,
}

static CHECKOV: Mutex<Option<CheckovServer>> = Mutex::new(None);

/// Runs `checkov ARGS -f plan.json` with `plan` written into the test's directory, as the
/// documented command would (`BC_SKIP_MAPPING=TRUE`: no call to the vendor's guideline
/// service), through the server; `None` when the venv is missing outside CI.
fn checkov(test: &str, wd: &WorkDir, plan: &Json, args: &[&str]) -> Option<CheckovRun> {
    let venv = venv_or_skip(test, "checkov")?;
    let file = wd.file("plan.json");
    std::fs::write(&file, plan.to_string()).expect("write plan.json");
    let checks = policy_dir().join("checkov");
    let mut request: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    request.extend([
        "--skip-download".to_owned(),
        "--framework".to_owned(),
        "json".to_owned(),
        "--external-checks-dir".to_owned(),
        checks.display().to_string(),
        "--check".to_owned(),
        "CKV_IFX3_1,CKV_IFX3_2".to_owned(),
        "-f".to_owned(),
        file.display().to_string(),
    ]);
    let reply = {
        let mut server = CHECKOV
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let server = server.get_or_insert_with(|| start_checkov_server(&venv));
        let line = serde_json::to_string(&request).expect("arguments are JSON");
        writeln!(server.requests, "{line}").expect("send the checkov server a request");
        let mut reply = String::new();
        server
            .replies
            .read_line(&mut reply)
            .expect("read the checkov server's reply");
        reply
    };
    let _ = std::fs::remove_file(&file);
    let reply: Json = serde_json::from_str(&reply)
        .unwrap_or_else(|e| panic!("{test}: the checkov server answered {reply:?} ({e})"));
    let text = |name: &str| reply[name].as_str().unwrap_or_default().to_owned();
    Some(CheckovRun {
        success: reply["code"] == 0,
        stdout: text("stdout"),
        stderr: text("stderr"),
    })
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

/// What the documented checkov command (`examples/policy/README.md`) prints for `plan`, as a
/// CI log would hold it, with its exit status; `None` when the venv is missing outside CI.
pub(crate) fn checkov_log(test: &str, wd: &WorkDir, plan: &Json) -> Option<(bool, String)> {
    let run = checkov(test, wd, plan, &["--compact", "--quiet"])?;
    Some((run.success, format!("{}{}", run.stdout, run.stderr)))
}

/// The ids of the shipped checkov checks (`examples/policy/checkov/`) that fail on `plan`,
/// run as the docs show (`--framework json`); `None` when the venv is missing outside CI.
/// Panics unless both checks ran.
pub(crate) fn checkov_failures(test: &str, wd: &WorkDir, plan: &Json) -> Option<BTreeSet<String>> {
    let run = checkov(test, wd, plan, &["-o", "json"])?;
    let report: Json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("checkov printed no JSON report ({e}):\n{}", run.stderr));
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
        run.success,
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
