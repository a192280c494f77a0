//! Values that may be secrets are never repeated by the provider's diagnostics, and the
//! diagnostics about them carry no attribute path, so Terraform does not quote the
//! configuration line (with a literal written there) either. What Terraform prints by itself
//! (`Importing from ID "…"`) is outside the provider's reach and is left out of the checks.

use super::support::terraform_or_return;
use super::support::{Outcome, WorkDir, required_providers};

/// A database token as a user might paste it into the wrong place.
const TOKEN: &str = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";

/// Pieces that must not appear in an output: the token's body, and the marker words planted in
/// URLs.
fn assert_not_echoed(out: &Outcome, secrets: &[&str]) {
    // Terraform's own progress line for `terraform import` repeats the id it was given.
    let text: String = out
        .output()
        .lines()
        .filter(|l| !l.contains("Importing from ID"))
        .collect::<Vec<_>>()
        .join("\n");
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "{secret:?} is echoed by `{}`:\n{text}",
            out.command
        );
    }
}

fn block(settings: &str, extra: &str) -> String {
    format!(
        "{}\n{extra}\nprovider \"influxdb3\" {{\n{settings}\n}}\n\nresource \"influxdb3_database\" \"d\" {{\n  name = \"metrics\"\n}}\n",
        required_providers()
    )
}

const SENSITIVE_VARS: &str = "variable \"kind\" {\n  type      = string\n  sensitive = true\n  default   = \"cloud\"\n}\n\nvariable \"host\" {\n  type      = string\n  sensitive = true\n  default   = \"https://console.influxdata.com\"\n}\n";

#[test]
fn provider_settings_holding_a_secret_are_never_echoed_or_quoted() {
    let tf = terraform_or_return!();
    let piece = &TOKEN[6..26];
    /// What is set, how, the error expected and what must not be printed.
    type Case<'a> = (
        &'a str,
        String,
        Vec<(&'a str, &'a str)>,
        &'a str,
        &'a [&'a str],
    );
    let cases: [Case; 6] = [
        (
            "type from a sensitive variable",
            block("  type = var.kind", SENSITIVE_VARS),
            vec![("TF_VAR_kind", TOKEN)],
            "Unsupported Product Type",
            &[piece],
        ),
        (
            "INFLUXDB3_TYPE",
            block("", ""),
            vec![("INFLUXDB3_TYPE", TOKEN)],
            "Unsupported Product Type",
            &[piece],
        ),
        (
            "type written literally",
            block(&format!("  type = \"{TOKEN}\""), ""),
            vec![],
            "Unsupported Product Type",
            &[piece],
        ),
        (
            "host with a password, written literally",
            block(
                "  host = \"https://user:HostPassw0rd42@console.influxdata.com\"",
                "",
            ),
            vec![],
            "Endpoint With Credentials",
            &["HostPassw0rd42"],
        ),
        (
            "host with a query, from a sensitive variable",
            block("  host = var.host", SENSITIVE_VARS),
            vec![(
                "TF_VAR_host",
                "https://console.influxdata.com/?key=HostQuery0Secret",
            )],
            "Endpoint With Query String",
            &["HostQuery0Secret"],
        ),
        (
            "endpoint with a password, written literally",
            block(
                "  endpoint = \"https://user:EndpointPassw0rd7@console.influxdata.com/api/v0\"",
                "",
            ),
            vec![],
            "Endpoint With Credentials",
            &["EndpointPassw0rd7"],
        ),
    ];
    for (case, config, env, expected, secrets) in cases {
        let mut wd = WorkDir::new(&tf);
        for (k, v) in env {
            wd.set_env(k, v);
        }
        wd.write_config(&config);
        let out = wd.terraform(&["plan", "-no-color", "-input=false"]);
        assert_ne!(out.code, 0, "{case}: {out}");
        assert!(out.output().contains(expected), "{case}: {out}");
        assert_not_echoed(&out, secrets);
    }
}

#[test]
fn the_deprecated_host_warning_does_not_repeat_the_host() {
    let tf = terraform_or_return!();
    let wd = WorkDir::new(&tf);
    wd.write_config(&block(
        "  host = \"https://user:HostPassw0rd42@console.influxdata.com/?k=HostQuery0Secret\"",
        "",
    ));
    let out = wd.terraform(&["validate", "-no-color"]);
    assert!(
        out.output().contains("Deprecated Attribute host"),
        "validate warns about host:\n{out}"
    );
    assert_not_echoed(&out, &["HostPassw0rd42", "HostQuery0Secret"]);
}

#[test]
fn import_ids_that_are_not_names_are_described_not_repeated() {
    let tf = terraform_or_return!();
    let piece = &TOKEN[6..26];
    let wd = WorkDir::new(&tf);
    wd.write_config(&format!(
        "{}\nresource \"influxdb3_database\" \"d\" {{\n  name = \"metrics\"\n}}\n\nresource \"influxdb3_table\" \"t\" {{\n  database = \"metrics\"\n  name     = \"cpu\"\n}}\n",
        required_providers()
    ));
    let with_space = format!("metrics {TOKEN}/cpu");
    for (address, id) in [
        ("influxdb3_database.d", TOKEN),
        ("influxdb3_table.t", TOKEN),
        ("influxdb3_table.t", with_space.as_str()),
    ] {
        let out = wd.terraform(&["import", "-no-color", "-input=false", address, id]);
        assert!(
            out.output().contains("Invalid Import ID"),
            "{address} {id}: {out}"
        );
        assert!(
            out.output().contains("-character value"),
            "the id is described by its shape: {out}"
        );
        assert_not_echoed(&out, &[piece]);
    }
}
