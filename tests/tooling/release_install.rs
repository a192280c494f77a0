//! Installing a release the way users do: `terraform init` from the provider registry protocol
//! (served on loopback by the test) and from a filesystem mirror, with no `dev_overrides`.
//! Terraform itself checks the checksums and the signature; the installed binary then manages a
//! token against the mock.

use std::path::Path;

use super::support::configs::{permissions, token_config};
use super::support::mock_checks::mock_tokens;
use super::support::registry::Registry;
use super::support::release::{
    FakeCargo, Release, VERSION, gpg_or_skip, release, release_script, run_release,
};
use super::support::terraform::Terraform;
use super::support::{Outcome, SOURCE, WorkDir, terraform_or_return, terraform_or_skip};
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

fn setup(test: &str) -> Option<(Terraform, &'static Release)> {
    let tf = terraform_or_skip(test)?;
    if !gpg_or_skip(test) {
        return None;
    }
    Some((tf, release()))
}

fn init(wd: &WorkDir) -> Outcome {
    wd.terraform(&["init", "-no-color", "-input=false"])
}

/// `terraform init`, which must succeed and say it installed this release.
fn init_installs(tf: &Terraform, wd: &WorkDir) -> Outcome {
    let out = init(wd).success();
    assert!(
        out.output().contains(&format!(
            "Installed {} v{VERSION}",
            tf.display_address(SOURCE)
        )),
        "{out}"
    );
    out
}

fn lock_file(wd: &WorkDir) -> String {
    std::fs::read_to_string(wd.file(".terraform.lock.hcl")).expect("init wrote .terraform.lock.hcl")
}

/// The `h1:` hashes in a lock file.
fn h1_hashes(lock: &str) -> Vec<String> {
    lock.split('"')
        .filter(|s| s.starts_with("h1:"))
        .map(str::to_owned)
        .collect()
}

fn one_token() -> String {
    token_config(&format!(
        "  description = \"installed from a release\"\n{}",
        permissions(&[("read", "*")])
    ))
}

#[test]
fn init_installs_the_signed_release_from_a_registry_and_the_binary_manages_a_token() {
    let Some((tf, release)) = setup("registry_install") else {
        return;
    };
    let registry = Registry::serve(release, &[]);
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let mut wd = WorkDir::with_cli_config(&tf, &registry.cli_config());
    wd.use_mock(&mock);
    wd.write_config(&one_token());

    let out = init_installs(&tf, &wd);
    let text = out.output();
    assert!(
        text.contains(&release.key_id),
        "init names the signing key:\n{out}"
    );
    assert!(!text.contains("development overrides"), "{out}");
    let lock = lock_file(&wd);
    assert!(
        lock.contains("provider \"registry.terraform.io/ironflux/influxdb3\""),
        "{lock}"
    );
    let version_line =
        regex_lite::Regex::new(&format!(r#"version\s*=\s*"{VERSION}""#)).expect("regex");
    assert!(version_line.is_match(&lock), "{lock}");
    assert!(
        lock.contains(&format!("zh:{}", release.zip_sha256())),
        "the lock file pins the published zip:\n{lock}"
    );
    assert!(!h1_hashes(&lock).is_empty(), "{lock}");
    let installed = wd.file(&format!(
        ".terraform/providers/registry.terraform.io/ironflux/influxdb3/{VERSION}/linux_amd64/terraform-provider-influxdb3_v{VERSION}"
    ));
    assert!(installed.is_file(), "{} missing", installed.display());

    let apply = wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    let apply = apply.success();
    assert!(apply.stdout.contains("1 added"), "{apply}");
    assert!(!apply.output().contains("development overrides"), "{apply}");
    wd.assert_empty_plan(true);
    wd.destroy().success();
    let tokens = mock_tokens(&mock);
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert!(
        tokens[0]["revokedAt"].is_string(),
        "destroy revoked it: {tokens:?}"
    );
}

#[test]
fn init_refuses_a_tampered_zip() {
    let Some((tf, release)) = setup("registry_tampered_zip") else {
        return;
    };
    let mut zip = release.read(&Release::zip_name());
    let middle = zip.len() / 2;
    zip[middle] ^= 0xff;
    let registry = Registry::serve(release, &[(&Release::zip_name(), zip)]);
    let wd = WorkDir::with_cli_config(&tf, &registry.cli_config());
    wd.write_config(&one_token());
    init(&wd)
        .failure_matching(r"Failed to install provider[\s\S]*archive has incorrect\s+checksum");
    assert!(!wd.file(".terraform.lock.hcl").exists());
}

#[test]
fn init_refuses_a_signature_by_another_key() {
    let Some((tf, release)) = setup("registry_bad_signature") else {
        return;
    };
    let sums = Release::file_name("SHA256SUMS");
    let forged = release.foreign_signature(&release.read(&sums));
    let registry = Registry::serve(release, &[(&format!("{sums}.sig"), forged)]);
    let wd = WorkDir::with_cli_config(&tf, &registry.cli_config());
    wd.write_config(&one_token());
    init(&wd).failure_matching(
        r"Failed to install provider[\s\S]*authentication signature\s+from unknown issuer",
    );
    assert!(!wd.file(".terraform.lock.hcl").exists());
}

#[test]
fn a_filesystem_mirror_made_by_providers_mirror_installs_offline_and_locks_the_same_hash() {
    let Some((tf, release)) = setup("filesystem_mirror") else {
        return;
    };
    let mirror = tempfile::tempdir().expect("mirror dir");
    let mirror_path = mirror.path().display().to_string();
    let registry_lock = {
        let registry = Registry::serve(release, &[]);
        let wd = WorkDir::with_cli_config(&tf, &registry.cli_config());
        wd.write_config(&one_token());
        wd.terraform(&["providers", "mirror", "-platform=linux_amd64", &mirror_path])
            .success();
        init(&wd).success();
        lock_file(&wd)
    };
    // The registry is gone: what follows is the air-gapped machine.
    let rc = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path = \"{mirror_path}\"\n  }}\n}}\n"
    );
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let mut wd = WorkDir::with_cli_config(&tf, &rc);
    wd.use_mock(&mock);
    wd.write_config(&one_token());
    wd.terraform(&[
        "providers",
        "lock",
        "-no-color",
        &format!("-fs-mirror={mirror_path}"),
        "-platform=linux_amd64",
    ])
    .success();
    let mirror_lock = lock_file(&wd);
    let shared: Vec<String> = h1_hashes(&mirror_lock)
        .into_iter()
        .filter(|h| h1_hashes(&registry_lock).contains(h))
        .collect();
    assert!(
        !shared.is_empty(),
        "the mirror's lock and the registry's lock agree on the package hash:\n{mirror_lock}\n---\n{registry_lock}"
    );
    init_installs(&tf, &wd);
    assert_eq!(
        lock_file(&wd),
        mirror_lock,
        "init kept the lock file it verified against"
    );
    let plan = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(plan.code, 2, "a plan to create the token:\n{plan}");
    assert!(plan.stdout.contains("1 to add"), "{plan}");
}

#[test]
fn the_same_binary_gives_the_same_zip_bytes_whenever_and_wherever_it_is_packaged() {
    if !gpg_or_skip("release_reproducible") {
        return;
    }
    let release = release();
    // Another path and a newer file time: neither may show in the zip.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let copy = elsewhere.path().join("terraform-provider-influxdb3");
    std::fs::copy(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"), &copy).expect("copy");
    let out_dir = elsewhere.path().join("dist");
    let out = std::process::Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/release.py"))
        .env("RELEASE_DIR", &out_dir)
        .env("RELEASE_PROVIDER_BIN", &copy)
        .env("RELEASE_ALLOW_TEST_BUILD", "1")
        .env("RELEASE_ZIP_LEVEL", "1")
        .env("RELEASE_SIGN", "0")
        .env_remove("RELEASE_TARGETS")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run scripts/release.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = std::fs::read(out_dir.join(Release::zip_name())).expect("zip");
    assert!(
        again == release.read(&Release::zip_name()),
        "two packagings of one binary differ"
    );
    let entry = format!("terraform-provider-influxdb3_v{VERSION}");
    assert!(
        again.windows(entry.len()).any(|w| w == entry.as_bytes()),
        "the zip holds {entry}"
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join(Release::file_name("manifest.json")))
            .expect("manifest"),
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("terraform-registry-manifest.json")
        )
        .expect("root manifest")
    );
    assert!(
        !out_dir
            .join(format!("{}.sig", Release::file_name("SHA256SUMS")))
            .exists(),
        "RELEASE_SIGN=0 signs nothing"
    );
}

/// A local build made installable the documented way: `RELEASE_MIRROR` lays the release out as
/// a packed filesystem mirror, and `terraform init` installs from it with no registry at all;
/// the installed binary then manages a token.
#[test]
fn a_local_build_becomes_a_filesystem_mirror_that_init_installs() {
    let tf = terraform_or_return!();
    let base = tempfile::tempdir().expect("temp dir");
    let cargo = FakeCargo::new(
        &base.path().join("toolchain"),
        Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3")),
    );
    let mirror = base.path().join("mirror");
    run_release(
        release_script(&cargo, &base.path().join("dist"))
            .env("RELEASE_SIGN", "0")
            .env("RELEASE_MIRROR", &mirror),
    );
    let rc = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
        mirror.display()
    );
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let mut wd = WorkDir::with_cli_config(&tf, &rc);
    wd.use_mock(&mock);
    wd.write_config(&one_token());
    init_installs(&tf, &wd);
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    assert_eq!(mock_tokens(&mock).len(), 1);
}
