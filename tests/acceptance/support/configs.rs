//! Configuration text the tests of both binaries write.

use super::required_providers;

/// A configuration with the one token `t` whose body is `body`.
pub(crate) fn token_config(body: &str) -> String {
    format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n{body}\n}}\n",
        required_providers()
    )
}

/// `permissions = [...]` from (action, resource) pairs.
pub(crate) fn permissions(grants: &[(&str, &str)]) -> String {
    let items: Vec<String> = grants
        .iter()
        .map(|(a, r)| format!("    {{ action = \"{a}\", resource = \"{r}\" }},"))
        .collect();
    format!("  permissions = [\n{}\n  ]", items.join("\n"))
}
