//! `scripts/quickstart.sh` end to end with the binaries cargo built and the mock it starts
//! itself: no network, no release build. The script packages the debug binary as a release and
//! installs it with `terraform init` from a local mirror, so there is no dev_overrides warning.

use std::path::Path;
use std::process::Command;

use super::support::terraform_or_return;

#[test]
fn the_quickstart_script_applies_notices_a_revoke_and_destroys() {
    let tf = terraform_or_return!();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_influxdb3-mock-api"))
        .parent()
        .expect("binary dir");
    let mut cmd = Command::new("bash");
    cmd.arg(root.join("scripts/quickstart.sh"))
        .env("QUICKSTART_BIN_DIR", bin_dir)
        .env("TERRAFORM", &tf.path)
        .env("RELEASE_ZIP_LEVEL", "1");
    for key in [
        "INFLUXDB3_ACCOUNT_ID",
        "INFLUXDB3_CLUSTER_ID",
        "INFLUXDB3_MANAGEMENT_TOKEN",
        "INFLUXDB3_TOKEN",
        "INFLUXDB3_ENDPOINT",
        "TF_LOG",
        "TF_CLI_ARGS",
        "TF_DATA_DIR",
        "TF_CLI_CONFIG_FILE",
        "RELEASE_GPG_KEY_ID",
        "RELEASE_TARGETS",
    ] {
        cmd.env_remove(key);
    }
    let out = cmd.output().expect("run the quickstart");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "quickstart failed:\n{text}");
    assert!(
        !text.contains("development overrides"),
        "the quickstart installs with terraform init, not dev_overrides:\n{text}"
    );
    assert!(
        !text.contains("Incomplete lock file information"),
        "the lock file is written before init, so init has nothing to warn of:\n{text}"
    );
    // Each tool leaves its own default registry host out of the addresses it prints, so
    // OpenTofu names registry.terraform.io in full.
    let installed = format!(
        "Installed {} v",
        tf.display_address("registry.terraform.io/ironflux/influxdb3")
    );
    for needle in [
        "Start the mock Management API",
        installed.as_str(),
        "--- .terraform.lock.hcl",
        "provider \"registry.terraform.io/ironflux/influxdb3\"",
        "3 added",
        "No changes",
        "HTTP 204",
        "Database Token Gone",
        "2 destroyed",
        "==== 10. Done",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
}
