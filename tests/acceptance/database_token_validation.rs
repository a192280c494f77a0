//! Bad input is caught before any API call, with Terraform quoting the offending line (proof
//! that the diagnostic carries the attribute path); and the provider block's own errors, now
//! that a resource makes Terraform configure it.

use super::database_token::{permissions, setup, token_config};
use super::support::required_providers;
use super::support::terraform_or_return;

/// Config body, the error summary, and the attribute Terraform must quote.
const BAD_AT_VALIDATE: &[(&str, &str, &str)] = &[
    ("  description = \"\"", "Empty Description", "description"),
    (
        "  description = \"x\"\n  permissions = [{ action = \"admin\", resource = \"db\" }]",
        "Invalid Permission Action",
        "permissions",
    ),
    (
        "  description = \"x\"\n  permissions = [{ action = \"read\", resource = \"\" }]",
        "Invalid Permission Resource",
        "permissions",
    ),
    // Valid for the attribute's type (object keys may be null, a set may hold a null), but
    // not a permission: without this check the token was created with the grant dropped and
    // Terraform reported "inconsistent result after apply".
    (
        "  description = \"x\"\n  permissions = [{ action = \"read\", resource = null }]",
        "Incomplete Permission",
        "permissions",
    ),
    (
        "  description = \"x\"\n  permissions = [{ action = null, resource = \"db\" }]",
        "Incomplete Permission",
        "permissions",
    ),
    (
        "  description = \"x\"\n  permissions = [null]",
        "Incomplete Permission",
        "permissions",
    ),
    (
        "  description = \"x\"\n  expires_at = \"next tuesday\"",
        "Invalid Expiration Time",
        "expires_at",
    ),
];

#[test]
fn every_bad_input_fails_validate_at_its_attribute_without_calling_the_api() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let too_long = format!(
        "  description = \"x\"\n{}",
        permissions(&[("write", &"d".repeat(65))])
    );
    let mut cases: Vec<(String, &str, &str)> = BAD_AT_VALIDATE
        .iter()
        .map(|(body, summary, attr)| ((*body).to_owned(), *summary, *attr))
        .collect();
    cases.push((too_long, "Invalid Permission Resource", "permissions"));
    for (body, summary, attr) in &cases {
        wd.write_config(&token_config(body));
        let quoted = format!(r"(?s)Error: {summary}.*\d+:\s+{attr}\s*=");
        wd.terraform(&["validate", "-no-color"])
            .failure_matching(&quoted);
        wd.terraform(&["plan", "-no-color"])
            .failure_matching(&quoted);
    }

    // A past expiry is valid syntax, so it is refused at plan (the clock is not consulted at
    // validate): creating a token that never works is surely a mistake.
    wd.write_config(&token_config(
        "  description = \"x\"\n  expires_at = \"2001-01-01T00:00:00Z\"",
    ));
    wd.terraform(&["validate", "-no-color"]).success();
    wd.terraform(&["plan", "-no-color"])
        .failure_matching(r"(?s)Expiration Time In The Past.*\d+:\s+expires_at\s*=");
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}

#[test]
fn a_bad_provider_block_fails_validate_and_plan_at_its_attributes() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let hcl = format!(
        "{}\nprovider \"influxdb3\" {{\n  account_id = \"not-a-uuid\"\n  endpoint   = \"http://example.com/api/v0\"\n}}\n\nresource \"influxdb3_database_token\" \"t\" {{\n  description = \"x\"\n}}\n",
        required_providers()
    );
    wd.write_config(&hcl);
    for command in ["validate", "plan"] {
        let out = wd
            .terraform(&[command, "-no-color"])
            .failure_matching(r#"(?s)Invalid UUID.*\d+:\s+account_id\s*=\s*"not-a-uuid""#);
        let text = out.output();
        assert!(
            text.contains("Insecure Or Invalid Endpoint")
                && regex_lite::Regex::new(r"\d+:\s+endpoint\s*=")
                    .expect("regex")
                    .is_match(&text),
            "{command}: {out}"
        );
    }
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}

#[test]
fn a_missing_management_token_fails_the_plan_not_validate() {
    let tf = terraform_or_return!();
    let (mock, mut wd) = setup(&tf);
    wd.set_env("INFLUXDB3_MANAGEMENT_TOKEN", "");
    wd.write_config(&token_config("  description = \"x\""));
    wd.terraform(&["validate", "-no-color"]).success();
    wd.terraform(&["plan", "-no-color"]).failure_matching(
        r"(?s)Missing Provider Configuration.*management_token.*INFLUXDB3_MANAGEMENT_TOKEN",
    );
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}

/// A permission on a name no database can have (a stray space, a newline from a heredoc) is
/// accepted by the API, but the token it creates grants nothing: the user hears so at validate,
/// at the `permissions` line, and the token is still created as written.
#[test]
fn a_permission_on_an_impossible_database_name_warns_at_its_attribute() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    wd.write_config(&token_config(
        "  description = \"x\"\n  permissions = [{ action = \"write\", resource = \"sensors \" }, { action = \"read\", resource = \"a/b-c_D1\" }]",
    ));
    let quoted = r#"(?s)Warning: Permission Names No Database.*\d+:\s+permissions\s*=.*"sensors ".*contains ' '"#;
    let re = regex_lite::Regex::new(quoted).expect("regex");
    let out = wd.terraform(&["validate", "-no-color"]).success();
    assert!(re.is_match(&out.output()), "validate: {out}");
    let warnings = out.output().matches("Permission Names No Database").count();
    assert_eq!(warnings, 1, "only the impossible name warns: {out}");
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
    let out = wd
        .terraform(&["apply", "-auto-approve", "-no-color"])
        .success();
    assert!(re.is_match(&out.output()), "apply: {out}");
}

/// Timeouts that cannot work are refused at validate, at `request_timeout`, with a reason that
/// fits: a bare `"0"` is as zero as `"0s"`, and `"1.5s"` has a known unit but a fraction.
#[test]
fn an_unusable_request_timeout_fails_validate_with_the_right_reason() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    for (value, reason) in [
        ("0", "must be longer than zero"),
        ("0s", "must be longer than zero"),
        ("1.5s", "whole numbers"),
    ] {
        let hcl = format!(
            "{}\nprovider \"influxdb3\" {{\n  request_timeout = \"{value}\"\n}}\n\nresource \"influxdb3_database_token\" \"t\" {{\n  description = \"x\"\n}}\n",
            required_providers()
        );
        wd.write_config(&hcl);
        let pattern = format!(r"(?s)Invalid Request Timeout.*\d+:\s+request_timeout\s*=.*{reason}");
        let out = wd
            .terraform(&["validate", "-no-color"])
            .failure_matching(&pattern);
        assert!(!out.output().contains("unknown unit"), "{value}: {out}");
    }
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}
