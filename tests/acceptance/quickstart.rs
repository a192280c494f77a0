//! `scripts/quickstart.sh` end to end with the binaries cargo built and the mock it starts
//! itself: no network, no release build.

use std::path::Path;
use std::process::Command;

use super::support::terraform_or_skip;

#[test]
fn the_quickstart_script_applies_notices_a_revoke_and_destroys() {
    let Some(tf) = terraform_or_skip("quickstart_script") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_influxdb3-mock-api"))
        .parent()
        .expect("binary dir");
    let mut cmd = Command::new("bash");
    cmd.arg(root.join("scripts/quickstart.sh"))
        .env("QUICKSTART_BIN_DIR", bin_dir)
        .env("TERRAFORM", &tf.path);
    for key in [
        "INFLUXDB3_ACCOUNT_ID",
        "INFLUXDB3_CLUSTER_ID",
        "INFLUXDB3_MANAGEMENT_TOKEN",
        "INFLUXDB3_TOKEN",
        "INFLUXDB3_ENDPOINT",
        "TF_LOG",
        "TF_CLI_ARGS",
        "TF_DATA_DIR",
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
    for needle in [
        "Start the mock Management API",
        "3 added",
        "No changes",
        "HTTP 204",
        "Database Token Gone",
        "2 destroyed",
        "==== 8. Done",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
}
