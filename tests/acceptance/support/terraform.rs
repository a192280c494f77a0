//! Finding the Terraform binary and its version: Terraform itself or OpenTofu, whose version
//! numbers follow their own schedules, so a feature gate asks [`Terraform::has`] rather than
//! comparing a version with the release that added the feature to Terraform.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Which tool the binary is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// HashiCorp Terraform.
    Terraform,
    /// OpenTofu (`tofu`), whose `version` prints `OpenTofu v…`.
    OpenTofu,
}

/// A feature some releases of the tools lack, with the release of each that added it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Feature {
    /// `ephemeral` blocks: Terraform 1.10, OpenTofu 1.11.
    Ephemerals,
    /// `moved` across resource types and providers (`MoveResourceState`): Terraform 1.8,
    /// OpenTofu 1.10.
    MovesAcrossTypes,
    /// Resource identity in state and `import { identity = {…} }`: Terraform 1.12, OpenTofu
    /// 1.12.
    Identity,
    /// List resources and the `query` command: Terraform 1.14; OpenTofu has none.
    Query,
    /// `action` blocks, `apply -invoke` and `action_trigger`: Terraform 1.14; OpenTofu has
    /// none (1.12 vendors the 6.10 messages but reads no `action` block).
    Actions,
    /// `import` blocks (and `change.importing` in plan JSON): Terraform 1.5, OpenTofu 1.6.
    ImportBlocks,
    /// Destroys planned with the provider (`PlanResourceChange` with a null proposed state), so
    /// deletion protection refuses at plan: Terraform 1.3, every OpenTofu.
    PlannedDestroy,
}

impl Feature {
    /// The first release of `flavor` that has the feature, `None` when none has it.
    fn since(self, flavor: Flavor) -> Option<(u32, u32)> {
        match (self, flavor) {
            (Feature::Ephemerals, Flavor::Terraform) => Some((1, 10)),
            (Feature::Ephemerals, Flavor::OpenTofu) => Some((1, 11)),
            (Feature::MovesAcrossTypes, Flavor::Terraform) => Some((1, 8)),
            (Feature::MovesAcrossTypes, Flavor::OpenTofu) => Some((1, 10)),
            (Feature::Identity, _) => Some((1, 12)),
            (Feature::Query, Flavor::Terraform) => Some((1, 14)),
            (Feature::Query, Flavor::OpenTofu) => None,
            (Feature::Actions, Flavor::Terraform) => Some((1, 14)),
            (Feature::Actions, Flavor::OpenTofu) => None,
            (Feature::ImportBlocks, Flavor::Terraform) => Some((1, 5)),
            (Feature::ImportBlocks, Flavor::OpenTofu) => Some((1, 6)),
            (Feature::PlannedDestroy, Flavor::Terraform) => Some((1, 3)),
            (Feature::PlannedDestroy, Flavor::OpenTofu) => Some((1, 6)),
        }
    }

    /// How a skip message names the feature.
    fn describe(self) -> &'static str {
        match self {
            Feature::Ephemerals => "ephemeral resources",
            Feature::MovesAcrossTypes => "moved blocks across resource types and providers",
            Feature::Identity => "resource identity (import by identity)",
            Feature::Query => "list resources and the query command",
            Feature::Actions => "actions (action blocks, apply -invoke, action_trigger)",
            Feature::ImportBlocks => "import blocks",
            Feature::PlannedDestroy => "destroys planned with the provider",
        }
    }
}

/// A Terraform (or OpenTofu) binary and its version.
#[derive(Debug, Clone)]
pub(crate) struct Terraform {
    /// Where it is.
    pub path: PathBuf,
    /// (major, minor, patch).
    pub version: (u32, u32, u32),
    /// Terraform or OpenTofu.
    pub flavor: Flavor,
}

impl Terraform {
    /// Whether this binary is at least `major.minor` of its own line. OpenTofu started at 1.6,
    /// with everything Terraform 1.5 had, so gates below 1.6 hold for both; later features
    /// go through [`Terraform::has`].
    pub(crate) fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.version.0, self.version.1) >= (major, minor)
    }

    /// Whether this binary has `feature`.
    pub(crate) fn has(&self, feature: Feature) -> bool {
        feature
            .since(self.flavor)
            .is_some_and(|(major, minor)| self.at_least(major, minor))
    }

    /// Whether this is OpenTofu.
    pub(crate) fn is_opentofu(&self) -> bool {
        self.flavor == Flavor::OpenTofu
    }

    /// `Terraform 1.11.4` or `OpenTofu 1.12.6`.
    pub(crate) fn describe(&self) -> String {
        let name = match self.flavor {
            Flavor::Terraform => "Terraform",
            Flavor::OpenTofu => "OpenTofu",
        };
        format!("{name} {}", self.version_string())
    }

    /// The addresses under which this tool looks for a provider that a state file records as
    /// `address`. OpenTofu reads a state's `registry.terraform.io/…` provider that the
    /// configuration does not name in full as `registry.opentofu.org/…` (its
    /// `tofumigrate`), so it installs that one; a stand-in must be found under both.
    pub(crate) fn install_addresses(&self, address: &str) -> Vec<String> {
        let mut all = vec![address.to_owned()];
        if let (Flavor::OpenTofu, Some(rest)) =
            (self.flavor, address.strip_prefix("registry.terraform.io/"))
        {
            all.push(format!("registry.opentofu.org/{rest}"));
        }
        all
    }

    /// A provider address as this tool prints it (`init`'s "Installed …" lines): without the
    /// host when it is the tool's own default registry, so OpenTofu prints
    /// `registry.terraform.io/…` in full where Terraform prints `ironflux/influxdb3`.
    pub(crate) fn display_address<'a>(&self, address: &'a str) -> &'a str {
        address
            .strip_prefix(self.default_registry())
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(address)
    }

    /// The registry host a provider source without a host resolves to: OpenTofu's own
    /// registry for OpenTofu.
    pub(crate) fn default_registry(&self) -> &'static str {
        match self.flavor {
            Flavor::Terraform => "registry.terraform.io",
            Flavor::OpenTofu => "registry.opentofu.org",
        }
    }

    /// `1.11.4`.
    pub(crate) fn version_string(&self) -> String {
        format!("{}.{}.{}", self.version.0, self.version.1, self.version.2)
    }
}

/// The binary, found once per test process (every test asks).
fn find() -> Result<Terraform, String> {
    static FOUND: std::sync::OnceLock<Result<Terraform, String>> = std::sync::OnceLock::new();
    FOUND.get_or_init(find_uncached).clone()
}

fn find_uncached() -> Result<Terraform, String> {
    let path = match std::env::var_os("TF_ACC_TERRAFORM_PATH").filter(|v| !v.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => which("terraform").ok_or_else(|| {
            "no Terraform found: set TF_ACC_TERRAFORM_PATH or put terraform on PATH".to_owned()
        })?,
    };
    identify(path)
}

/// The tool and version of the binary at `path`.
fn identify(path: PathBuf) -> Result<Terraform, String> {
    let out = version_output(&path, &["version", "-json"])?;
    let json: serde_json::Value = serde_json::from_str(&out)
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
    // `version -json` has the same keys in both tools (OpenTofu's too says
    // `terraform_version`); the text form names the tool.
    let text = version_output(&path, &["version"])?;
    let flavor = if text.lines().any(|l| l.starts_with("OpenTofu v")) {
        Flavor::OpenTofu
    } else {
        Flavor::Terraform
    };
    Ok(Terraform {
        path,
        version,
        flavor,
    })
}

/// What `path ARGS` prints on stdout, run without the developer's Terraform settings: OpenTofu
/// prints a warning about a `TF_CLI_CONFIG_FILE` that does not exist on stdout, ahead of the
/// JSON.
fn version_output(path: &Path, args: &[&str]) -> Result<String, String> {
    let mut cmd = Command::new(path);
    cmd.args(args).env("CHECKPOINT_DISABLE", "1");
    for key in super::workdir::SCRUBBED {
        cmd.env_remove(key);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Terraform itself to compare an OpenTofu run with: `TF_ACC_REFERENCE_TERRAFORM`, else
/// `terraform` on PATH; `None` when neither is a Terraform.
pub(crate) fn reference_terraform() -> Option<Terraform> {
    let path = std::env::var_os("TF_ACC_REFERENCE_TERRAFORM")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| which("terraform"))?;
    let tf = identify(path).ok()?;
    (tf.flavor == Flavor::Terraform).then_some(tf)
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
    terraform_with_or_skip(test, Feature::MovesAcrossTypes)
}

/// [`terraform_or_skip`] for a test of `feature`: a binary without it skips the test with a
/// printed reason (also under `CI=true`, which runs the suite under older binaries too).
pub(crate) fn terraform_with_or_skip(test: &str, feature: Feature) -> Option<Terraform> {
    let tf = terraform_or_skip(test)?;
    if tf.has(feature) {
        return Some(tf);
    }
    let first = match feature.since(tf.flavor) {
        Some((major, minor)) => format!("they need {major}.{minor} or later"),
        None => "no release of it has them".to_owned(),
    };
    eprintln!(
        "SKIPPED {test}: {} has no {} ({first})",
        tf.describe(),
        feature.describe()
    );
    None
}
