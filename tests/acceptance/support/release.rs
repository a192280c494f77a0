//! A release made by `scripts/release.py` from the debug binary cargo built, signed with a
//! throwaway GnuPG key generated for the test run (never a committed key).
//!
//! The script is run as a release is made, `cargo build --release` included, except that the
//! `cargo` it finds first on PATH is a stand-in ([`FakeCargo`]) that puts an already built
//! binary where cargo would and records the environment it was given.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The crate's version, as the release names it.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The registry name of the platform the tests run on.
pub(crate) const PLATFORM: (&str, &str) = ("linux", "amd64");

/// A release directory and the key that signed it.
#[derive(Debug)]
pub(crate) struct Release {
    /// The release directory.
    pub dir: PathBuf,
    /// The GnuPG home holding the throwaway key (tests sign other things with it or beside it).
    pub gnupg: PathBuf,
    /// Long key id (16 hex digits, upper case) of the signing key.
    pub key_id: String,
    /// The ASCII-armored public key.
    pub public_key: String,
}

impl Release {
    /// `terraform-provider-influxdb3_{VERSION}_{suffix}`.
    pub(crate) fn file_name(suffix: &str) -> String {
        format!("terraform-provider-influxdb3_{VERSION}_{suffix}")
    }

    /// The zip for the test platform.
    pub(crate) fn zip_name() -> String {
        Self::file_name(&format!("{}_{}.zip", PLATFORM.0, PLATFORM.1))
    }

    /// The bytes of a file of the release.
    pub(crate) fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    /// The SHA-256 of the platform zip, as SHA256SUMS lists it.
    pub(crate) fn zip_sha256(&self) -> String {
        let sums = String::from_utf8(self.read(&Self::file_name("SHA256SUMS"))).expect("utf-8");
        sums.lines()
            .find(|l| l.ends_with(&Self::zip_name()))
            .and_then(|l| l.split_whitespace().next())
            .expect("the zip is listed in SHA256SUMS")
            .to_owned()
    }

    /// A detached signature of `data` by a second throwaway key that the registry does not
    /// list: what a forged signature looks like.
    pub(crate) fn foreign_signature(&self, data: &[u8]) -> Vec<u8> {
        let home = self.gnupg.with_file_name("gnupg-foreign");
        fresh_gnupg_home(&home);
        generate_key(&home, "influxdb3 foreign <foreign@example.invalid>");
        let input = home.join("data");
        std::fs::write(&input, data).expect("write data");
        let sig = home.join("data.sig");
        gpg(
            &home,
            &[
                "--output",
                path_str(&sig),
                "--detach-sign",
                path_str(&input),
            ],
        );
        let bytes = std::fs::read(&sig).expect("read signature");
        stop_agent(&home);
        bytes
    }
}

/// Whether `gpg` can be run; the release tests skip without it (and fail under `CI=true`).
pub(crate) fn gpg_or_skip(test: &str) -> bool {
    let found = Command::new("gpg")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{test}: gpg not found (CI=true: .ci/run installs gnupg)");
        }
        eprintln!("SKIPPED {test}: gpg not found");
    }
    found
}

/// The release of the debug binary, made once per test process under cargo's test temp dir
/// (overwritten by the next run, so nothing accumulates in the system temp dir).
pub(crate) fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(make_release)
}

fn make_release() -> Release {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-test");
    let gnupg = base.join("gnupg");
    fresh_gnupg_home(&gnupg);
    generate_key(
        &gnupg,
        "influxdb3 release test <release-test@example.invalid>",
    );
    let listing = gpg(&gnupg, &["--with-colons", "--list-secret-keys"]);
    let key_id = listing
        .lines()
        .find(|l| l.starts_with("sec:"))
        .and_then(|l| l.split(':').nth(4))
        .expect("the generated key is listed")
        .to_owned();
    let dir = base.join("dist");
    let cargo = FakeCargo::new(
        &base.join("toolchain"),
        Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3")),
    );
    run_release(
        release_script(&cargo, &dir)
            .env("RELEASE_SIGN", "1")
            .env("RELEASE_GPG_KEY_ID", &key_id)
            .env("GNUPGHOME", &gnupg),
    );
    stop_agent(&gnupg);
    let public_key = std::fs::read_to_string(dir.join("signing-key.asc")).expect("signing-key.asc");
    Release {
        dir,
        gnupg,
        key_id,
        public_key,
    }
}

/// A `cargo` for `scripts/release.py` to find first on PATH: `cargo build` copies `binary` to
/// where cargo would have built it (under `target_dir`), and writes the environment it was
/// given to `env_log`.
#[derive(Debug)]
pub(crate) struct FakeCargo {
    /// The directory holding the stand-in `cargo`, to put first on PATH.
    pub bin_dir: PathBuf,
    /// What the script sees as CARGO_TARGET_DIR.
    pub target_dir: PathBuf,
    /// The environment of the last `cargo` run, `env` style.
    pub env_log: PathBuf,
}

impl FakeCargo {
    /// A stand-in under `dir` (emptied first) whose builds produce `binary`.
    pub(crate) fn new(dir: &Path, binary: &Path) -> Self {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::remove_dir_all(dir);
        let bin_dir = dir.join("bin");
        std::fs::create_dir_all(&bin_dir).expect("create the toolchain dir");
        let target_dir = dir.join("target");
        let env_log = dir.join("cargo-env");
        let script = format!(
            "#!/bin/sh\nenv > '{log}'\nfor a; do target=$a; done\n\
             mkdir -p \"$CARGO_TARGET_DIR/$target/release\"\n\
             cp '{bin}' \"$CARGO_TARGET_DIR/$target/release/terraform-provider-influxdb3\"\n",
            log = path_str(&env_log),
            bin = path_str(binary),
        );
        let cargo = bin_dir.join("cargo");
        std::fs::write(&cargo, script).expect("write the stand-in cargo");
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        Self {
            bin_dir,
            target_dir,
            env_log,
        }
    }
}

/// `scripts/release.py` for the test platform into `out_dir`, with `cargo` first on PATH, test
/// builds allowed and no signing settings of the environment the tests run in.
pub(crate) fn release_script(cargo: &FakeCargo, out_dir: &Path) -> Command {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = std::env::var("PATH").unwrap_or_default();
    let mut cmd = Command::new("python3");
    cmd.arg(root.join("scripts/release.py"))
        .env("PATH", format!("{}:{path}", path_str(&cargo.bin_dir)))
        .env("CARGO_TARGET_DIR", &cargo.target_dir)
        .env("RELEASE_DIR", out_dir)
        .env("RELEASE_TARGETS", "x86_64-unknown-linux-gnu")
        .env("RELEASE_ZIP_LEVEL", "1")
        // The binaries the tests package are their own debug build.
        .env("RELEASE_ALLOW_TEST_BUILD", "1");
    for name in [
        "RELEASE_PROVIDER_BIN",
        "RELEASE_SIGN",
        "RELEASE_GPG_KEY_ID",
        "RELEASE_GPG_PASSPHRASE",
        "GNUPGHOME",
    ] {
        cmd.env_remove(name);
    }
    cmd
}

/// Runs `scripts/release.py` as `cmd` (from [`release_script`]) says; it must succeed.
pub(crate) fn run_release(cmd: &mut Command) {
    let out = cmd.output().expect("run scripts/release.py");
    assert!(
        out.status.success(),
        "scripts/release.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh GnuPG home under `home` holding one throwaway signing key for `uid`; returns the
/// key's fingerprint.
pub(crate) fn gnupg_with_key(home: &Path, uid: &str) -> String {
    fresh_gnupg_home(home);
    generate_key(home, uid);
    let listing = gpg(home, &["--with-colons", "--list-secret-keys"]);
    listing
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9))
        .expect("the generated key has a fingerprint")
        .to_owned()
}

/// Runs gpg with `home` (public so tests can import and inspect keys).
pub(crate) fn gpg_in(home: &Path, args: &[&str]) -> String {
    gpg(home, args)
}

/// Stops the agent of `home`.
pub(crate) fn stop_gpg_agent(home: &Path) {
    stop_agent(home);
}

fn fresh_gnupg_home(home: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::remove_dir_all(home);
    std::fs::create_dir_all(home).expect("create GNUPGHOME");
    std::fs::set_permissions(home, std::fs::Permissions::from_mode(0o700)).expect("chmod");
}

/// An RSA key: Terraform 1.0's OpenPGP library verifies RSA, not EdDSA.
fn generate_key(home: &Path, uid: &str) {
    gpg(
        home,
        &[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            uid,
            "rsa2048",
            "sign",
            "never",
        ],
    );
}

fn gpg(home: &Path, args: &[&str]) -> String {
    let out = Command::new("gpg")
        .arg("--batch")
        .args(args)
        .env("GNUPGHOME", home)
        .output()
        .expect("run gpg");
    assert!(
        out.status.success(),
        "gpg {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// gpg starts an agent per home; stop it so no process outlives the test.
fn stop_agent(home: &Path) {
    let _ = Command::new("gpgconf")
        .args(["--kill", "gpg-agent"])
        .env("GNUPGHOME", home)
        .output();
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
