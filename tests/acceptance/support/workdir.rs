//! A private working directory per test, and the commands run in it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::terraform::Terraform;

/// What a command did.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The command line, for failure reports.
    pub command: String,
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Outcome {
    /// Both streams.
    pub(crate) fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Panics with a full report unless the command exited 0.
    pub(crate) fn success(self) -> Self {
        assert_eq!(self.code, 0, "command failed:\n{self}");
        self
    }

    /// Panics with a full report unless the command failed and its output matches `pattern`.
    pub(crate) fn failure_matching(self, pattern: &str) -> Self {
        assert_ne!(self.code, 0, "expected a failure:\n{self}");
        let re = regex_lite::Regex::new(pattern).expect("valid test regex");
        assert!(
            re.is_match(&self.output()),
            "output does not match /{pattern}/:\n{self}"
        );
        self
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "$ {}\nexit code {}\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

/// A temporary directory with a CLI config using `dev_overrides`, and the environment Terraform
/// runs with. Set `TF_ACC_PERSIST_WORKING_DIR=1` to keep it for inspection.
#[derive(Debug)]
pub(crate) struct WorkDir {
    dir: tempfile::TempDir,
    /// The Terraform in use.
    pub tf: Terraform,
    env: Vec<(String, String)>,
    /// Secrets no command may print (see `secrets.rs`).
    pub(super) secrets: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

/// Environment variables of the developer's shell that would change what Terraform does.
pub(super) const SCRUBBED: &[&str] = &[
    "TF_LOG",
    "TF_LOG_PATH",
    "TF_LOG_PROVIDER",
    "TF_LOG_CORE",
    "TF_CLI_ARGS",
    "TF_CLI_CONFIG_FILE",
    "TF_DATA_DIR",
    "TF_WORKSPACE",
    "TF_REATTACH_PROVIDERS",
    "INFLUXDB3_ACCOUNT_ID",
    "INFLUXDB3_CLUSTER_ID",
    "INFLUXDB3_MANAGEMENT_TOKEN",
    "INFLUXDB3_TOKEN",
    "INFLUXDB3_ENDPOINT",
];

impl WorkDir {
    /// A new directory whose CLI config overrides the provider with the binary cargo built.
    pub(crate) fn new(tf: &Terraform) -> WorkDir {
        let provider_dir = Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
            .parent()
            .expect("binary dir")
            .to_path_buf();
        let rc = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            super::SOURCE,
            provider_dir.display()
        );
        WorkDir::with_cli_config(tf, &rc)
    }

    /// A new directory whose CLI config is `rc` (how the provider is installed is up to it).
    pub(crate) fn with_cli_config(tf: &Terraform, rc: &str) -> WorkDir {
        let dir = tempfile::Builder::new()
            .prefix("influxdb3-acc-")
            .tempdir()
            .expect("temp dir");
        let rc_path = dir.path().join("dev.tfrc");
        std::fs::write(&rc_path, rc).expect("write dev.tfrc");
        let env = vec![
            (
                "TF_CLI_CONFIG_FILE".to_owned(),
                rc_path.display().to_string(),
            ),
            ("CHECKPOINT_DISABLE".to_owned(), "1".to_owned()),
            ("TF_IN_AUTOMATION".to_owned(), "1".to_owned()),
            ("TF_INPUT".to_owned(), "0".to_owned()),
        ];
        WorkDir {
            dir,
            tf: tf.clone(),
            env,
            secrets: std::sync::Mutex::default(),
        }
    }

    /// The directory.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Adds an environment variable for every later command.
    pub(crate) fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_owned(), value.to_owned()));
    }

    /// Writes `main.tf`.
    pub(crate) fn write_config(&self, hcl: &str) {
        std::fs::write(self.path().join("main.tf"), hcl).expect("write main.tf");
    }

    /// `terraform ARGS` in the directory with the test's environment, not started. Provider
    /// logs are on at trace level and go to `PROVIDER_LOG`, unless the test set `TF_LOG`
    /// itself (then they go to stderr, which is scanned too).
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.tf.path);
        cmd.args(args).current_dir(self.path());
        for key in SCRUBBED {
            cmd.env_remove(key);
        }
        // Each command is a short-lived Go process whose heap stays small: collecting it at a
        // quarter of the default frequency takes about a tenth off the suite's CPU, and changes
        // nothing Terraform does. A GOGC of the developer's own wins.
        if std::env::var_os("GOGC").is_none() {
            cmd.env("GOGC", "400");
        }
        if !self.env.iter().any(|(k, _)| k == "TF_LOG") {
            cmd.env("TF_LOG_PROVIDER", "trace");
            cmd.env("TF_LOG_PATH", self.file(super::secrets::PROVIDER_LOG));
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `terraform ARGS` in the directory; panics if a registered secret appears in its
    /// output or provider log (see `secrets.rs`).
    pub(crate) fn terraform(&self, args: &[&str]) -> Outcome {
        let out = self.command(args).output().expect("run terraform");
        let outcome = Outcome {
            command: format!("terraform {}", args.join(" ")),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        self.assert_no_secret(args, &outcome);
        outcome
    }

    /// Runs a command and parses its stdout as JSON.
    pub(crate) fn terraform_json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.terraform(args).success();
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{out}"))
    }

    /// A file path inside the directory.
    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if std::env::var_os("TF_ACC_PERSIST_WORKING_DIR").is_some() {
            let kept = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"));
            eprintln!("kept working directory {}", kept.keep().display());
        }
    }
}
