//! Secrets never reach logs: a whole lifecycle at `TF_LOG=trace` prints neither the
//! management token nor the token's access token.

use super::database_token::{ADDR, setup, token_config};
use super::support::state_values;
use super::support::terraform_or_return;

#[test]
fn a_traced_lifecycle_prints_no_secret() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    wd.set_env("TF_LOG", "trace");
    let mut logs = String::new();
    let mut run = |args: &[&str]| {
        let out = wd.terraform(args).success();
        logs.push_str(&out.output());
    };
    wd.write_config(&token_config("  description = \"traced\""));
    run(&["plan", "-no-color", "-out=tfplan"]);
    run(&["apply", "-no-color", "tfplan"]);
    wd.write_config(&token_config("  description = \"traced again\""));
    run(&["apply", "-no-color", "-auto-approve"]);
    run(&["plan", "-no-color"]);
    // `show -json` prints sensitive values by design: read the secret, keep that output out.
    let state = wd.state_json();
    let secret = state_values(&state, ADDR)["access_token"]
        .as_str()
        .expect("access token in state")
        .to_owned();
    run(&["destroy", "-no-color", "-auto-approve"]);

    assert!(
        logs.contains("[TRACE]") && logs.contains("influxdb3"),
        "trace logging was on"
    );
    assert!(
        !logs.contains(mock.management_token()),
        "the management token leaked into the logs"
    );
    assert!(
        !logs.contains(&secret),
        "the access token leaked into the logs"
    );
}
