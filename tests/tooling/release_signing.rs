//! `scripts/release.py` as an attacker inside the build would see it: the signing secrets must
//! not reach `cargo build` (every dependency's build script runs there) or the packaged
//! binary, settings that cannot give a signed release must fail without leaving unsigned
//! files behind, and the key signs only what the script built.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::support::release::{
    FakeCargo, Release, VERSION, gnupg_with_key, gpg_in, gpg_or_skip, release_script,
    stop_gpg_agent,
};

const PASSPHRASE: &str = "passphrase-that-only-gpg-may-see";
const SIGNER: &str = "influxdb3 signer <release@example.invalid>";

/// A place for one test's GnuPG home, toolchain and output, removed at the end.
struct Bench {
    dir: tempfile::TempDir,
}

impl Bench {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A provider "binary" that writes its environment to `version-env` and prints the
    /// release's version, so the script's `--version` check passes.
    fn recording_binary(&self) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let bin = self.path("provider");
        let script = format!(
            "#!/bin/sh\nenv > '{}'\necho 'terraform-provider-influxdb3 {VERSION}'\n",
            self.path("version-env").display()
        );
        std::fs::write(&bin, script).expect("write binary");
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        bin
    }

    fn out(&self) -> PathBuf {
        self.path("dist")
    }

    /// Every entry of the output directory, hidden ones included.
    fn written(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.out())
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// An unsigned zip of an earlier run in the output directory.
    fn earlier_release(&self) {
        std::fs::create_dir_all(self.out()).expect("mkdir");
        std::fs::write(self.out().join(Release::zip_name()), b"earlier").expect("write");
    }
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The primary key fingerprints in an armored key file.
fn fingerprints_in(home: &Path, armored: &Path) -> Vec<String> {
    let listing = gpg_in(
        home,
        &[
            "--with-colons",
            "--show-keys",
            armored.to_str().expect("utf-8"),
        ],
    );
    let mut out = Vec::new();
    let mut after_pub = false;
    for line in listing.lines() {
        let fields: Vec<&str> = line.split(':').collect();
        match fields[0] {
            "pub" => after_pub = true,
            "fpr" if after_pub => {
                out.push(fields[9].to_owned());
                after_pub = false;
            }
            _ => after_pub = false,
        }
    }
    out
}

#[test]
fn the_build_and_the_packaged_binary_never_see_the_signing_secrets() {
    if !gpg_or_skip("release_secrets_scrubbed") {
        return;
    }
    let bench = Bench::new();
    let home = bench.path("gnupg");
    let fingerprint = gnupg_with_key(&home, SIGNER);
    // Someone else's public key under the same e-mail, as a keyring that imported it has.
    let other_home = bench.path("gnupg-other");
    gnupg_with_key(&other_home, SIGNER);
    let other_key = bench.path("other.asc");
    gpg_in(
        &other_home,
        &[
            "--armor",
            "--output",
            other_key.to_str().expect("utf-8"),
            "--export",
        ],
    );
    gpg_in(&home, &["--import", other_key.to_str().expect("utf-8")]);
    stop_gpg_agent(&other_home);

    let cargo = FakeCargo::new(&bench.path("toolchain"), &bench.recording_binary());
    let out = release_script(&cargo, &bench.out())
        .env("RELEASE_SIGN", "1")
        .env("RELEASE_GPG_KEY_ID", "release@example.invalid")
        .env("RELEASE_GPG_PASSPHRASE", PASSPHRASE)
        .env("GNUPGHOME", &home)
        .output()
        .expect("run scripts/release.py");
    stop_gpg_agent(&home);
    assert!(out.status.success(), "{}", text(&out));

    let home_str = home.to_str().expect("utf-8");
    for (who, log) in [
        ("cargo build", cargo.env_log.clone()),
        ("the packaged binary's --version", bench.path("version-env")),
    ] {
        let env = read(&log);
        for secret in [PASSPHRASE, home_str, "RELEASE_", "GNUPGHOME"] {
            assert!(
                !env.contains(secret),
                "{who} was given {secret:?} in its environment:\n{env}"
            );
        }
        let home_line = env.lines().find(|l| l.starts_with("HOME=")).unwrap_or("");
        let real_home = std::env::var("HOME").unwrap_or_default();
        assert_ne!(
            home_line,
            format!("HOME={real_home}"),
            "{who} runs with an empty HOME, not the releaser's"
        );
    }

    let exported = bench.out().join("signing-key.asc");
    assert_eq!(
        fingerprints_in(&home, &exported),
        vec![fingerprint],
        "signing-key.asc holds the signing key alone, not every key of that e-mail"
    );
    let sums = bench.out().join(Release::file_name("SHA256SUMS"));
    let verify_home = bench.path("gnupg-verify");
    gnupg_with_key(&verify_home, "verifier <verify@example.invalid>");
    gpg_in(
        &verify_home,
        &["--import", exported.to_str().expect("utf-8")],
    );
    gpg_in(
        &verify_home,
        &[
            "--verify",
            &format!("{}.sig", sums.display()),
            sums.to_str().expect("utf-8"),
        ],
    );
    stop_gpg_agent(&verify_home);
}

#[test]
fn settings_that_cannot_give_a_signed_release_fail_and_leave_no_release_files() {
    if !gpg_or_skip("release_sign_refusals") {
        return;
    }
    let bench = Bench::new();
    let home = bench.path("gnupg");
    let fingerprint = gnupg_with_key(&home, SIGNER);
    // A second secret key under the same e-mail: the e-mail no longer names one key.
    let twin_home = bench.path("gnupg-twin");
    let twin = gnupg_with_key(&twin_home, SIGNER);
    stop_gpg_agent(&twin_home);
    // A passphrase-protected key, given the wrong passphrase: signing fails after the build.
    gpg_in(
        &home,
        &[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "the-right-one",
            "--quick-gen-key",
            "influxdb3 locked <locked@example.invalid>",
            "rsa2048",
            "sign",
            "never",
        ],
    );
    // The agent cached the right passphrase while generating the key; a new one has not.
    stop_gpg_agent(&home);
    let both = bench.path("both");
    gnupg_with_key(&both, SIGNER);
    let second = bench.path("second.asc");
    gpg_in(
        &twin_home,
        &[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--armor",
            "--output",
            second.to_str().expect("utf-8"),
            "--export-secret-keys",
            &twin,
        ],
    );
    gpg_in(&both, &["--import", second.to_str().expect("utf-8")]);

    let cargo = FakeCargo::new(&bench.path("toolchain"), &bench.recording_binary());
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a Path);
    let cases: [Case; 5] = [
        (
            "RELEASE_SIGN=true",
            vec![
                ("RELEASE_SIGN", "true"),
                ("RELEASE_GPG_KEY_ID", &fingerprint),
            ],
            &home,
        ),
        (
            "RELEASE_SIGN=1 without a key",
            vec![("RELEASE_SIGN", "1")],
            &home,
        ),
        (
            "a key id no secret key matches",
            vec![
                ("RELEASE_SIGN", "1"),
                ("RELEASE_GPG_KEY_ID", "nobody@example.invalid"),
            ],
            &home,
        ),
        (
            "an e-mail two secret keys carry",
            vec![
                ("RELEASE_SIGN", "1"),
                ("RELEASE_GPG_KEY_ID", "release@example.invalid"),
            ],
            &both,
        ),
        (
            "the wrong passphrase",
            vec![
                ("RELEASE_SIGN", "1"),
                ("RELEASE_GPG_KEY_ID", "locked@example.invalid"),
                ("RELEASE_GPG_PASSPHRASE", "the-wrong-one"),
            ],
            &home,
        ),
    ];
    for (case, vars, gnupg) in cases {
        bench.earlier_release();
        let mut cmd = release_script(&cargo, &bench.out());
        cmd.env("GNUPGHOME", gnupg);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run scripts/release.py");
        assert_eq!(out.status.code(), Some(1), "{case}: {}", text(&out));
        assert_eq!(
            bench.written(),
            Vec::<String>::new(),
            "{case}: a failed release leaves no release files:\n{}",
            text(&out)
        );
    }
    stop_gpg_agent(&home);
    stop_gpg_agent(&both);
}

#[test]
fn a_signed_release_packages_a_given_binary_only_when_it_is_what_the_script_builds() {
    if !gpg_or_skip("release_given_binary") {
        return;
    }
    let bench = Bench::new();
    let home = bench.path("gnupg");
    let fingerprint = gnupg_with_key(&home, SIGNER);
    let built = bench.recording_binary();
    let cargo = FakeCargo::new(&bench.path("toolchain"), &built);
    let other = bench.path("other-provider");
    let mut bytes = std::fs::read(&built).expect("read");
    bytes.extend_from_slice(b"# not what cargo builds\n");
    std::fs::write(&other, bytes).expect("write");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    let signed = |given: &Path| {
        release_script(&cargo, &bench.out())
            .env("RELEASE_PROVIDER_BIN", given)
            .env("RELEASE_SIGN", "1")
            .env("RELEASE_GPG_KEY_ID", &fingerprint)
            .env("GNUPGHOME", &home)
            .output()
            .expect("run scripts/release.py")
    };
    let out = signed(&other);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("RELEASE_PROVIDER_BIN"),
        "the refusal names the setting: {}",
        text(&out)
    );
    assert_eq!(bench.written(), Vec::<String>::new(), "{}", text(&out));

    let out = signed(&built);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        bench
            .written()
            .contains(&format!("{}.sig", Release::file_name("SHA256SUMS"))),
        "{:?}",
        bench.written()
    );
    stop_gpg_agent(&home);
}

/// A debug build (what `cargo build` makes, with the default `mock` feature) says so in its
/// `--version`, and the script refuses to package it unless told it is for a local test.
#[test]
fn a_test_build_is_packaged_only_when_allowed() {
    let bench = Bench::new();
    let debug = Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"));
    let cargo = FakeCargo::new(&bench.path("toolchain"), debug);
    let run = |allow: Option<&str>| {
        let mut cmd = release_script(&cargo, &bench.out());
        cmd.env("RELEASE_PROVIDER_BIN", debug)
            .env("RELEASE_SIGN", "0")
            .env_remove("RELEASE_ALLOW_TEST_BUILD");
        if let Some(allow) = allow {
            cmd.env("RELEASE_ALLOW_TEST_BUILD", allow);
        }
        cmd.output().expect("run scripts/release.py")
    };
    for allow in [None, Some("yes")] {
        let out = run(allow);
        assert_eq!(out.status.code(), Some(1), "{allow:?}: {}", text(&out));
        assert!(
            text(&out).contains("test build (debug assertions, mock feature)")
                && text(&out).contains("RELEASE_ALLOW_TEST_BUILD=1"),
            "the refusal says what the binary is and the way to package it anyway: {}",
            text(&out)
        );
        assert_eq!(bench.written(), Vec::<String>::new(), "{}", text(&out));
    }
    let out = run(Some("1"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("packaging a test build"),
        "said: {}",
        text(&out)
    );
    assert!(!bench.written().is_empty());
}
