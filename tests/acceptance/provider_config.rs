//! The provider block alone: validate, plan and schema under real Terraform, and its
//! validation errors.

use super::support::terraform_or_return;
use super::support::{WorkDir, required_providers};

fn provider_only(body: &str) -> String {
    format!(
        "{}\nprovider \"influxdb3\" {{\n{body}\n}}\n",
        required_providers()
    )
}

#[test]
fn validate_plan_and_schema_work_with_only_a_provider_block() {
    let tf = terraform_or_return!();
    let wd = WorkDir::new(&tf);
    wd.write_config(&provider_only(
        "  account_id = \"11111111-1111-4111-8111-111111111111\"\n  cluster_id = \"33333333-3333-4333-8333-333333333333\"",
    ));
    wd.terraform(&["validate", "-no-color"]).success();
    let plan = wd.terraform(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(
        plan.code, 0,
        "an empty configuration plans no changes:\n{plan}"
    );

    let schema = wd.terraform_json(&["providers", "schema", "-json"]);
    let providers = schema["provider_schemas"]
        .as_object()
        .expect("provider_schemas");
    let ours = providers
        .iter()
        .find(|(k, _)| k.ends_with("ironflux/influxdb3"))
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("our provider is missing from {providers:?}"));
    let attrs = &ours["provider"]["block"]["attributes"];
    assert_eq!(attrs["management_token"]["sensitive"], true, "{attrs}");
    for name in [
        "account_id",
        "cluster_id",
        "endpoint",
        "request_timeout",
        "max_retries",
    ] {
        assert_eq!(attrs[name]["optional"], true, "{name} in {attrs}");
    }
}

#[test]
fn values_unknown_at_validate_time_are_accepted() {
    let tf = terraform_or_return!();
    let wd = WorkDir::new(&tf);
    // A resource makes Terraform call ValidateProviderConfig (it skips an unused provider), so
    // the unknown cluster_id really reaches the provider's validation.
    let config = |account: &str| {
        format!(
            "{}\nvariable \"cluster\" {{\n  type = string\n}}\n\nprovider \"influxdb3\" {{\n  account_id = \"{account}\"\n  cluster_id = var.cluster\n}}\n\nresource \"influxdb3_database_token\" \"t\" {{\n  description = \"x\"\n}}\n",
            required_providers()
        )
    };
    wd.write_config(&config("11111111-1111-4111-8111-111111111111"));
    wd.terraform(&["validate", "-no-color"]).success();
    // The same block with a known bad value beside the unknown one is still checked.
    wd.write_config(&config("not-a-uuid"));
    wd.terraform(&["validate", "-no-color"])
        .failure_matching("Invalid UUID");
}

#[test]
fn run_by_hand_the_binary_explains_itself_and_exits_1() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("run provider");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Terraform plugin"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout, the handshake channel"
    );
}

#[test]
fn a_host_without_protocol_6_gets_a_clear_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .env(
            "TF_PLUGIN_MAGIC_COOKIE",
            "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        )
        .env("PLUGIN_PROTOCOL_VERSIONS", "4,5")
        .output()
        .expect("run provider");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("protocol 6"));
}

/// An endpoint without the API's `/api/v0` base path (say `https://console.influxdata.com`)
/// makes every call a 404. The message must point at the endpoint too, not only at the ids,
/// which are right.
#[test]
fn an_endpoint_without_the_api_path_is_named_when_everything_is_not_found() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = super::database_token::setup(&tf);
    wd.step(&super::database_token::token_config(
        "  description = \"x\"",
    ));
    let bare = mock.base_url();
    assert!(!bare.ends_with("/api/v0"), "{bare}");
    wd.set_env("INFLUXDB3_ENDPOINT", &bare);
    let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
    let text = super::support::text::flat(&out.output());
    assert!(
        out.code != 0
            && text.contains("HTTP 404")
            && text.contains(&format!("endpoint {bare}"))
            && text.contains("/api/v0"),
        "{out}"
    );
}

/// A token pasted into `account_id` by mistake: the provider's own message gives its shape
/// only, and the diagnostic points at the provider block rather than the attribute, so
/// Terraform quotes the block's first line, not the literal; the security guide says so, and
/// the environment variable keeps the value out of the output too.
#[test]
fn a_secret_written_as_a_setting_is_shaped_by_the_provider_and_not_quoted_by_terraform() {
    let tf = terraform_or_return!();
    super::support::text::assert_page_says(
        "guides/security.md",
        &[
            "are never printed in full by the provider when they are wrong, though Terraform \
           quotes the configuration line a diagnostic points at, a literal value included",
            "a value that may itself be a secret points at its block, not at the attribute",
        ],
    );
    let pasted = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";
    let mut wd = WorkDir::new(&tf);
    let database = "resource \"influxdb3_database\" \"d\" {\n  name = \"d\"\n}\n";
    wd.write_config(&format!(
        "{}{database}",
        provider_only(&format!("  account_id = \"{pasted}\""))
    ));
    let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
    assert_ne!(out.code, 0, "{out}");
    let text = super::support::text::flat(&out.output());
    assert!(text.contains("starting with \"apiv\""), "{text}");
    assert!(
        !text.contains(pasted),
        "neither the provider nor Terraform's configuration excerpt prints it: {text}"
    );

    wd.write_config(&format!("{}{database}", provider_only("")));
    wd.set_env("INFLUXDB3_ACCOUNT_ID", pasted);
    let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
    assert_ne!(out.code, 0, "{out}");
    let text = super::support::text::flat(&out.output());
    assert!(text.contains("starting with \"apiv\""), "{text}");
    assert!(
        !text.contains(pasted),
        "from the environment, never shown: {text}"
    );
}
