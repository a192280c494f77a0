//! Hand-written state files (format version 4), for tests that start from state another
//! provider, or an older version of ours, wrote.

use serde_json::{Value as Json, json};

/// A state file holding one managed resource `type_name.name` of the provider at `provider`
/// (a full address), written with schema version `schema_version`.
pub(crate) fn one_resource(
    provider: &str,
    type_name: &str,
    name: &str,
    schema_version: i64,
    attributes: Json,
) -> Json {
    resources(provider, &[(type_name, name, schema_version, attributes)])
}

/// A state file holding managed resources `(type, name, schema_version, attributes)`, all of
/// the provider at `provider`.
pub(crate) fn resources(provider: &str, list: &[(&str, &str, i64, Json)]) -> Json {
    let resources: Vec<Json> = list
        .iter()
        .map(|(type_name, name, schema_version, attributes)| {
            json!({
                "mode": "managed",
                "type": type_name,
                "name": name,
                "provider": format!("provider[\"{provider}\"]"),
                "instances": [{
                    "schema_version": schema_version,
                    "attributes": attributes,
                    "sensitive_attributes": [],
                    "private": "bnVsbA=="
                }]
            })
        })
        .collect();
    json!({
        "version": 4,
        "terraform_version": "1.0.3",
        "serial": 3,
        "lineage": "5d2b8a4e-0c1f-4f6e-9b7a-2f0e1c3d4a5b",
        "outputs": {},
        "resources": resources
    })
}

/// The `schema_version` the state file in `dir` records for `type_name.name`.
pub(crate) fn schema_version(dir: &std::path::Path, type_name: &str, name: &str) -> Option<i64> {
    let text = std::fs::read_to_string(dir.join("terraform.tfstate")).ok()?;
    let state: Json = serde_json::from_str(&text).ok()?;
    state["resources"]
        .as_array()?
        .iter()
        .find(|r| r["type"] == type_name && r["name"] == name)?["instances"][0]["schema_version"]
        .as_i64()
}

/// `terraform state replace-provider` from `from` (a full address) to this provider, as a
/// team switching from the incumbent runs it; it never starts the source provider.
pub(crate) fn replace_provider(wd: &super::WorkDir, from: &str) {
    wd.terraform(&[
        "state",
        "replace-provider",
        "-auto-approve",
        "-no-color",
        from,
        super::SOURCE,
    ])
    .success();
}
