//! Terraform numbers include ±infinity (`1/0`). Every number attribute must refuse one at its
//! own line, at validate and at plan, without an API call; before, the value failed to decode
//! and Terraform reported "Invalid Value From Terraform", a provider bug.

use super::database_token::setup;
use super::support::required_providers;
use super::support::terraform_or_return;

/// (configuration body after `required_providers`, the error summary, a pattern for the start
/// of the line Terraform must quote).
fn cases() -> Vec<(String, &'static str, &'static str)> {
    let database = |attrs: &str| format!("resource \"influxdb3_database\" \"db\" {{\n{attrs}\n}}");
    vec![
        (
            database("  name = \"inf\"\n  max_tables = 1/0"),
            "Invalid Database Limit",
            "max_tables",
        ),
        (
            database("  name = \"inf\"\n  max_columns_per_table = -1/0"),
            "Invalid Database Limit",
            "max_columns_per_table",
        ),
        (
            database(
                "  name = \"inf\"\n  partition_template = [\n    { type = \"bucket\", value = \"host\", number_of_buckets = 1/0 },\n  ]",
            ),
            "Invalid Number Of Buckets",
            r#"\{ type = "bucket""#,
        ),
        (
            "provider \"influxdb3\" {\n  max_retries = 1/0\n}\n\nresource \"influxdb3_database\" \"db\" {\n  name = \"inf\"\n}"
                .to_owned(),
            "Invalid Retry Count",
            "max_retries",
        ),
    ]
}

#[test]
fn an_infinite_number_is_refused_at_its_attribute_in_every_number_attribute() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    for (body, summary, attr) in cases() {
        wd.write_config(&format!("{}\n{body}\n", required_providers()));
        let quoted = format!(r"(?s)Error: {summary}.*\d+:\s+{attr}");
        for command in ["validate", "plan"] {
            let out = wd
                .terraform(&[command, "-no-color"])
                .failure_matching(&quoted);
            let text = out.output();
            assert!(
                text.contains("Inf") && !text.contains("Invalid Value From Terraform"),
                "{command} {attr}: {out}"
            );
        }
    }
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());
}
