//! Secrets never leave the provider (docs/design.md#decision-9-secrets): every command the harness runs has provider
//! logging at trace level, and its output and provider log are scanned for every secret the
//! working directory has seen (the management token, and each access token read from state).

use std::collections::BTreeSet;

use serde_json::Value as Json;

use super::workdir::{Outcome, WorkDir};

/// Secrets shorter than this are not tracked (they would match by chance).
const MIN_SECRET_LEN: usize = 8;

/// The provider log file of the command being run, inside the working directory.
pub(crate) const PROVIDER_LOG: &str = "provider-trace.log";

impl WorkDir {
    /// Remembers a secret: no later command may print it, except those whose output carries
    /// sensitive values by design (see [`prints_secrets_by_design`]).
    pub(crate) fn register_secret(&self, secret: &str) {
        if secret.len() >= MIN_SECRET_LEN {
            self.secrets().insert(secret.to_owned());
        }
    }

    /// Registers every `access_token` string found anywhere in `json` (state or plan JSON).
    pub(crate) fn register_access_tokens(&self, json: &Json) {
        match json {
            Json::Object(map) => {
                for (key, value) in map {
                    match value {
                        Json::String(s) if key == "access_token" => self.register_secret(s),
                        other => self.register_access_tokens(other),
                    }
                }
            }
            Json::Array(items) => items.iter().for_each(|v| self.register_access_tokens(v)),
            _ => {}
        }
    }

    /// Panics unless neither the command's output nor the provider log it wrote holds a
    /// registered secret. The report names the stream and line, with the secret masked.
    pub(crate) fn assert_no_secret(&self, args: &[&str], out: &Outcome) {
        let log = std::fs::read_to_string(self.file(PROVIDER_LOG)).unwrap_or_default();
        let _ = std::fs::remove_file(self.file(PROVIDER_LOG));
        if prints_secrets_by_design(args) {
            return;
        }
        let secrets = self.secrets().clone();
        for (stream, text) in [
            ("stdout", &out.stdout),
            ("stderr", &out.stderr),
            ("provider log", &log),
        ] {
            if let Some(line) = leaking_line(text, &secrets) {
                panic!(
                    "a secret leaked into the {stream} of `{}`:\n{line}",
                    out.command
                );
            }
        }
    }

    fn secrets(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `show -json` and `output -json`/`-raw` print sensitive values in clear: that is their job.
pub(crate) fn prints_secrets_by_design(args: &[&str]) -> bool {
    match args.first() {
        Some(&"show") => args.contains(&"-json"),
        Some(&"output") => args.iter().any(|a| *a == "-json" || *a == "-raw"),
        _ => false,
    }
}

/// The first line of `text` holding a secret, with every secret masked.
fn leaking_line(text: &str, secrets: &BTreeSet<String>) -> Option<String> {
    let line = text
        .lines()
        .find(|line| secrets.iter().any(|s| line.contains(s.as_str())))?;
    Some(
        secrets
            .iter()
            .fold(line.to_owned(), |l, s| l.replace(s.as_str(), "<SECRET>")),
    )
}
