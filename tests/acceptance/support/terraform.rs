//! Finding the Terraform binary and its version.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A Terraform binary and its version.
#[derive(Debug, Clone)]
pub(crate) struct Terraform {
    /// Where it is.
    pub path: PathBuf,
    /// (major, minor, patch).
    pub version: (u32, u32, u32),
}

impl Terraform {
    /// Whether this Terraform is at least `major.minor`.
    pub(crate) fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.version.0, self.version.1) >= (major, minor)
    }

    /// `1.11.4`.
    pub(crate) fn version_string(&self) -> String {
        format!("{}.{}.{}", self.version.0, self.version.1, self.version.2)
    }
}

fn find() -> Result<Terraform, String> {
    let path = match std::env::var_os("TF_ACC_TERRAFORM_PATH").filter(|v| !v.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => which("terraform").ok_or_else(|| {
            "no Terraform found: set TF_ACC_TERRAFORM_PATH or put terraform on PATH".to_owned()
        })?,
    };
    let out = Command::new(&path)
        .args(["version", "-json"])
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{} version -json printed no JSON: {e}", path.display()))?;
    let text = json["terraform_version"].as_str().unwrap_or_default();
    let mut parts = text
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|p| p.parse().ok());
    let version = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    Ok(Terraform { path, version })
}

fn which(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// The Terraform to test with. Without one: under `CI=true` the test fails; otherwise it prints
/// why it is skipped and returns `None`.
pub(crate) fn terraform_or_skip(test: &str) -> Option<Terraform> {
    match find() {
        Ok(tf) => Some(tf),
        Err(why) => {
            if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
                panic!("{test}: {why} (CI=true: a missing Terraform is a failure)");
            }
            eprintln!("SKIPPED {test}: {why}");
            None
        }
    }
}

/// [`terraform_or_skip`] for a test of `moved` blocks across resource types or providers,
/// which Terraform supports from 1.8 on: an older Terraform skips the test with a printed
/// reason (also under `CI=true`, which runs the suite with Terraform 1.0.3 too).
pub(crate) fn terraform_for_moves_or_skip(test: &str) -> Option<Terraform> {
    let tf = terraform_or_skip(test)?;
    if tf.at_least(1, 8) {
        return Some(tf);
    }
    eprintln!(
        "skipping {test}: moved blocks across resource types and providers need Terraform 1.8 \
         or later, this is {}",
        tf.version_string()
    );
    None
}
