//! The provider's log lines as Terraform shows them: go-plugin parses each hclog JSON line
//! from the provider's stderr and re-logs it at the line's own level, or, when the line does
//! not parse, at debug level as raw text (and `TF_LOG_PROVIDER=warn` then hides a warning).

use super::support::terraform_or_return;
use super::support::{WorkDir, required_providers};

#[test]
fn provider_log_lines_keep_their_level_in_terraforms_log() {
    let tf = terraform_or_return!();
    let mut wd = WorkDir::new(&tf);
    wd.write_config(&format!(
        "{}\nprovider \"influxdb3\" {{\n  account_id = \"11111111-1111-4111-8111-111111111111\"\n  \
         cluster_id = \"33333333-3333-4333-8333-333333333333\"\n}}\n",
        required_providers()
    ));
    wd.set_env("TF_LOG", "trace");
    let plan = wd.terraform(&["plan", "-no-color"]).success();
    let ours: Vec<&str> = plan
        .stderr
        .lines()
        .filter(|l| l.contains("provider.terraform-provider-influxdb3:"))
        .collect();
    assert!(
        !ours.is_empty(),
        "no provider log line in Terraform's trace log:\n{plan}"
    );
    let raw: Vec<&&str> = ours.iter().filter(|l| l.contains("\"@level\"")).collect();
    assert!(
        raw.is_empty(),
        "Terraform could not parse these provider lines (shown as raw JSON at debug level):\n{}",
        raw.iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    for (level, message) in [
        ("TRACE", "handshake line written"),
        ("DEBUG", "host asked the plugin to shut down"),
    ] {
        let expected = format!("[{level}] provider.terraform-provider-influxdb3: {message}");
        assert!(
            ours.iter().any(|l| l.contains(&expected)),
            "no line {expected:?} among the provider's lines:\n{}",
            ours.join("\n")
        );
    }
}
