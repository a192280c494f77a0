//! docs/guides/install.md, run from its own text: its `required_providers` block and the
//! constraints of "Version pinning", each given to `terraform init` with a mirror holding
//! 0.1.0, 0.1.1 and 0.2.0 of this provider. The page once wrote `"~> 0.1"` as "any 0.1.x";
//! with 0.2.0 in the mirror, init installed 0.2.0.

use std::path::Path;

use super::support::WorkDir;
use super::support::terraform::Terraform;
use super::support::terraform_or_return;
use super::support::text::flat;

const PAGE: &str = include_str!("../../docs/guides/install.md");
const VERSIONS: [&str; 3] = ["0.1.0", "0.1.1", "0.2.0"];

/// The page's first `hcl` block (its `required_providers` example).
fn example() -> String {
    let start = PAGE.find("```hcl\n").expect("an hcl block") + "```hcl\n".len();
    let len = PAGE[start..].find("```").expect("its end");
    PAGE[start..start + len].to_owned()
}

/// A directory whose `terraform init` installs from a filesystem mirror holding this
/// provider's binary as each of [`VERSIONS`].
fn mirrored(tf: &Terraform) -> WorkDir {
    let wd = WorkDir::new(tf);
    let binary = Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"));
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    let platform = format!("{}_{arch}", std::env::consts::OS);
    let mirror = wd.file("mirror");
    for version in VERSIONS {
        let dir = mirror
            .join("registry.terraform.io/ironflux/influxdb3")
            .join(version)
            .join(&platform);
        std::fs::create_dir_all(&dir).expect("mirror dir");
        let name = format!("terraform-provider-influxdb3_v{version}");
        std::os::unix::fs::symlink(binary, dir.join(name)).expect("link");
    }
    let rc = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
        mirror.display()
    );
    std::fs::write(wd.file("dev.tfrc"), rc).expect("CLI config");
    wd
}

/// The version `init` locks for `config`.
fn installed(tf: &Terraform, config: &str) -> String {
    let wd = mirrored(tf);
    wd.write_config(config);
    wd.terraform(&["init", "-no-color", "-input=false"])
        .success();
    let lock = std::fs::read_to_string(wd.file(".terraform.lock.hcl")).expect("lock file");
    let version = regex_lite::Regex::new(r#"version\s*=\s*"([^"]+)""#)
        .expect("regex")
        .captures(&lock)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_owned());
    version.unwrap_or_else(|| panic!("no version in {lock}"))
}

#[test]
fn the_install_guides_constraints_install_what_the_page_says() {
    let tf = terraform_or_return!();
    let example = example();
    assert!(example.contains("version = \"~> 0.1.0\""), "{example}");
    assert_eq!(
        installed(&tf, &example),
        "0.1.1",
        "the example pins the minor"
    );

    let page = flat(PAGE);
    for (constraint, says, expected) in [
        (
            "0.1.0",
            "`version = \"0.1.0\"` installs exactly that release",
            "0.1.0",
        ),
        ("~> 0.1.0", "`\"~> 0.1.0\"` the newest 0.1.x patch", "0.1.1"),
        (
            "~> 0.1",
            "`\"~> 0.1\"` the newest 0.x release from 0.1 on, so 0.2.0",
            "0.2.0",
        ),
    ] {
        assert!(page.contains(says), "the page no longer says {says:?}");
        let config = example.replace("~> 0.1.0", constraint);
        assert_eq!(installed(&tf, &config), expected, "{constraint}");
    }
}
