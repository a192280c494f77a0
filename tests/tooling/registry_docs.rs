//! The registry's own check of the docs layout: `tfplugindocs validate` (HashiCorp's
//! terraform-plugin-docs, the tool the registry documents) over `docs/`, with the schema the
//! built provider gives `terraform providers schema -json`. The project's generator checks that
//! `docs/` matches its templates; this checks that the registry accepts what it generates
//! (front matter, file names, one page per type, the "Deprecated aliases" subcategory).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::{WorkDir, required_providers, terraform_or_return, test_name};

/// `tfplugindocs`, as `.ci/run` installs it (`go install`), or from `TFPLUGINDOCS`.
fn tfplugindocs(test: &str) -> Option<PathBuf> {
    let bin = std::env::var_os("TFPLUGINDOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools/tfplugindocs"));
    if bin.is_file() {
        return Some(bin);
    }
    let why = format!(
        "tfplugindocs is not installed (no {}; `.ci/run` installs it with go install)",
        bin.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {why} (CI=true: a missing tool is a failure)");
    }
    eprintln!("SKIPPED {test}: {why}");
    None
}

#[test]
fn the_registry_docs_validator_accepts_the_docs() {
    let tf = terraform_or_return!();
    let Some(validator) = tfplugindocs(test_name!()) else {
        return;
    };
    let wd = WorkDir::new(&tf);
    wd.write_config(&required_providers());
    let mut schema = wd.terraform_json(&["providers", "schema", "-json"]);
    // tfplugindocs finds the schema under the provider's short name in the hashicorp
    // namespace; the namespace plays no part in the checks.
    let schemas = schema["provider_schemas"]
        .as_object_mut()
        .expect("provider_schemas");
    let ours = schemas
        .remove("registry.terraform.io/ironflux/influxdb3")
        .expect("our provider's schema");
    schemas.insert("registry.terraform.io/hashicorp/influxdb3".to_owned(), ours);
    let file = wd.file("schema.json");
    std::fs::write(&file, schema.to_string()).expect("write schema.json");
    let out = Command::new(validator)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "validate",
            "--provider-name",
            "influxdb3",
            "--providers-schema",
        ])
        .arg(&file)
        .args(["--allowed-resource-subcategories", "Deprecated aliases"])
        .output()
        .expect("run tfplugindocs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "tfplugindocs validate refused docs/:\n{said}"
    );
    assert!(
        said.contains("running file checks on docs/resources/rotating_database_token.md"),
        "the validator read the pages:\n{said}"
    );
}
