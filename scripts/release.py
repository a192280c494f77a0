#!/usr/bin/env python3
"""Builds the release directory the Terraform and OpenTofu registries expect.

    python3 scripts/release.py            # -> dist/

For VERSION (from Cargo.toml) and every target whose standard library is installed, writes

    terraform-provider-influxdb3_{VERSION}_{OS}_{ARCH}.zip   (holds terraform-provider-influxdb3_v{VERSION})
    terraform-provider-influxdb3_{VERSION}_manifest.json     (copy of terraform-registry-manifest.json)
    terraform-provider-influxdb3_{VERSION}_SHA256SUMS        (every zip and the manifest)
    terraform-provider-influxdb3_{VERSION}_SHA256SUMS.sig    (detached binary GnuPG signature)
    signing-key.asc                                          (the public key, for the registry)

The zips are reproducible: one entry, a fixed timestamp (SOURCE_DATE_EPOCH, default the last
commit's time), fixed permissions (0755), no extra fields. The same commit and toolchain give
the same bytes.

Environment (all optional):
  RELEASE_DIR              output directory (default: dist/ in the repository); earlier release
                           files in it are replaced, nothing else is touched
  RELEASE_TARGETS          space-separated Rust target triples (default: every supported triple
                           whose standard library `rustup target add` has installed; only the
                           host's when RELEASE_PROVIDER_BIN is set)
  RELEASE_PROVIDER_BIN     an already built binary for the host target. An unsigned release
                           packages it as it is (the tests use the debug build); a signed one
                           still runs the build and refuses unless the two are byte for byte
                           the same, so the key only ever signs what this script builds
  RELEASE_ALLOW_TEST_BUILD 1 = package a binary whose --version says it is a test build (a debug
                           build, or one with the mock feature); refused otherwise
  RELEASE_GPG_KEY_ID       key to sign with (fingerprint, key id or e-mail): it must match
                           exactly one secret key, and that key alone is exported, by its
                           fingerprint, to signing-key.asc; without it nothing is signed unless
                           RELEASE_SIGN=1, which then fails before anything is built
  GNUPGHOME                GnuPG home holding that key (gpg's own variable)
  RELEASE_GPG_PASSPHRASE   passphrase of that key, passed to gpg on a pipe, never on the command line
  RELEASE_SIGN             1 = signing is required (real releases), 0 = skip signing; any other
                           value is refused (unset: sign when RELEASE_GPG_KEY_ID is set)
  SOURCE_DATE_EPOCH        timestamp of the zip entries (seconds since 1970)
  RELEASE_ZIP_LEVEL        deflate level 0-9 (default 9; the tests use 1 to package a debug build fast)
  RELEASE_MIRROR           also lay the zips out as a packed filesystem mirror in this directory
                           (DIR/registry.terraform.io/ironflux/influxdb3/<zip>), which a CLI
                           configuration's `filesystem_mirror { path = DIR }` installs from;
                           earlier zips of this provider there are replaced
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "terraform-provider-influxdb3"

# Rust target triple -> (registry OS, registry arch, binary suffix).
PLATFORMS = {
    "x86_64-unknown-linux-gnu": ("linux", "amd64", ""),
    "aarch64-unknown-linux-gnu": ("linux", "arm64", ""),
    "x86_64-apple-darwin": ("darwin", "amd64", ""),
    "aarch64-apple-darwin": ("darwin", "arm64", ""),
    "x86_64-pc-windows-gnu": ("windows", "amd64", ".exe"),
    "x86_64-pc-windows-msvc": ("windows", "amd64", ".exe"),
}


class ReleaseError(Exception):
    """A release step failed; the message says which and how to fix it."""


def version() -> str:
    with open(ROOT / "Cargo.toml", "rb") as f:
        return tomllib.load(f)["package"]["version"]


def host_target() -> str:
    out = run(["rustc", "-vV"], capture=True)
    for line in out.splitlines():
        if line.startswith("host: "):
            return line.removeprefix("host: ").strip()
    raise ReleaseError("`rustc -vV` printed no host triple")


def std_installed(target: str) -> bool:
    """Whether the standard library for `target` is installed (so cargo can build for it)."""
    libdir = run(["rustc", "--print", "target-libdir", "--target", target], capture=True, check=False)
    path = Path(libdir.strip()) if libdir else None
    return bool(path and path.is_dir() and any(path.glob("libstd-*")))


def run(cmd: list[str], capture: bool = False, check: bool = True, stdin: str | None = None, env=None) -> str:
    result = subprocess.run(
        cmd,
        cwd=ROOT,
        text=True,
        input=stdin,
        stdout=subprocess.PIPE if capture else None,
        env=env,
    )
    if check and result.returncode != 0:
        raise ReleaseError(f"`{' '.join(cmd)}` exited with {result.returncode}")
    return result.stdout if capture else ""


def source_date_epoch() -> int:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    out = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, text=True, capture_output=True
    )
    if out.returncode == 0 and out.stdout.strip():
        return int(out.stdout.strip())
    return 315532800  # 1980-01-01, the earliest time a zip entry can hold


# What the build may see of the environment: the toolchain's own settings. Everything else
# (RELEASE_*, GNUPGHOME, GPG_*, credentials of the machine) is left out, because every
# dependency's build script and procedural macro runs inside `cargo build`.
BUILD_ENV_NAMES = {
    "PATH", "LANG", "LC_ALL", "TERM", "TMPDIR", "RUSTFLAGS", "RUSTDOCFLAGS", "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN", "CARGO_HOME", "CARGO_TARGET_DIR", "SOURCE_DATE_EPOCH", "CC", "CXX", "AR",
    "CFLAGS", "CXXFLAGS", "PKG_CONFIG_PATH",
}
# Cross linkers and compilers (CARGO_TARGET_<TRIPLE>_LINKER, CC_<triple>, ...); registry
# credentials (CARGO_REGISTRIES_*) are deliberately not among them: --locked needs none.
BUILD_ENV_PREFIXES = ("CARGO_BUILD_", "CARGO_PROFILE_", "CARGO_TARGET_", "CC_", "CXX_", "AR_",
                      "CFLAGS_", "CXXFLAGS_")
# Never passed on, whatever the lists above say.
SECRET_PREFIXES = ("RELEASE_", "GNUPG", "GPG_")


def build_env(home: Path) -> dict[str, str]:
    """The scrubbed environment of `cargo build` and of the packaged binary's `--version`.

    HOME is an empty directory, so nothing reaches the key through `~/.gnupg`; the toolchain's
    homes are resolved first so cargo and rustup still find themselves.
    """
    env = {
        k: v for k, v in os.environ.items()
        if (k in BUILD_ENV_NAMES or k.startswith(BUILD_ENV_PREFIXES))
        and not k.startswith(SECRET_PREFIXES)
    }
    real_home = Path.home()
    env.setdefault("CARGO_HOME", str(real_home / ".cargo"))
    env.setdefault("RUSTUP_HOME", str(real_home / ".rustup"))
    env["HOME"] = str(home)
    return env


def built_path(target: str) -> Path:
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target_dir / target / "release" / (NAME + PLATFORMS[target][2])


def cargo_build(target: str, env: dict[str, str]) -> Path:
    # Without the mock Management API (a test-only feature, on by default for development).
    run(["cargo", "build", "--release", "--locked", "--no-default-features", "--bin", NAME,
         "--target", target], env=env)
    return built_path(target)


def build(target: str, host: str, signing: bool, env: dict[str, str]) -> Path:
    given = os.environ.get("RELEASE_PROVIDER_BIN")
    if given and target != host:
        raise ReleaseError(f"RELEASE_PROVIDER_BIN is a {host} binary; it cannot stand in for {target}")
    if not given:
        return cargo_build(target, env)
    if not signing:
        return Path(given)
    # A signature vouches for the build: a given binary is signed only if it is what this
    # script builds from this tree.
    built = cargo_build(target, env)
    if sha256(Path(given)) != sha256(built):
        raise ReleaseError(
            f"RELEASE_PROVIDER_BIN ({given}) is not the binary `cargo build --release` makes from "
            f"this tree ({built}); a signed release packages only what this script builds. Unset "
            "RELEASE_PROVIDER_BIN, or set RELEASE_SIGN=0 for an unsigned test package"
        )
    return built


def check_version(binary: Path, expected: str, target: str, host: str, env: dict[str, str]) -> None:
    """The binary must report the version it is released as (only runnable for the host)."""
    if target != host:
        return
    out = run([str(binary), "--version"], capture=True, env=env).strip()
    first, _, rest = out.partition("\n")
    if first != f"{NAME} {expected}":
        raise ReleaseError(f"{binary} --version printed {out!r}, expected '{NAME} {expected}'")
    if not rest:
        return
    if os.environ.get("RELEASE_ALLOW_TEST_BUILD") != "1":
        raise ReleaseError(
            f"{binary} is a {rest.strip()}: a release packages what `cargo build --release "
            "--no-default-features` makes, which this script runs when RELEASE_PROVIDER_BIN is "
            "unset. Set RELEASE_ALLOW_TEST_BUILD=1 to package it anyway for a local test"
        )
    print(f"packaging a test build ({rest.strip()}): RELEASE_ALLOW_TEST_BUILD=1", file=sys.stderr)


def write_zip(binary: Path, zip_path: Path, entry: str, epoch: int) -> None:
    info = zipfile.ZipInfo(entry, date_time=time.gmtime(max(epoch, 315532800))[:6])
    info.create_system = 3  # unix, so the mode below is honoured on extraction
    info.external_attr = (0o100755 & 0xFFFF) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(zip_path, "w") as z, open(binary, "rb") as src:
        z.writestr(info, src.read(), compresslevel=int(os.environ.get("RELEASE_ZIP_LEVEL", "9")))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def signing_key() -> str | None:
    """The fingerprint to sign with, or None for an unsigned release; decided (and the key
    looked up) before anything is built, so a release that cannot be signed fails first."""
    key = os.environ.get("RELEASE_GPG_KEY_ID")
    required = os.environ.get("RELEASE_SIGN")
    if required not in (None, "0", "1"):
        raise ReleaseError(f"RELEASE_SIGN must be 1 (sign) or 0 (do not sign), not {required!r}")
    if required == "0" or (not key and required is None):
        print("not signing: RELEASE_SIGN=0 or RELEASE_GPG_KEY_ID is not set", file=sys.stderr)
        return None
    if not key:
        raise ReleaseError("RELEASE_SIGN=1 needs RELEASE_GPG_KEY_ID (and GNUPGHOME holding that key)")
    listing = run(["gpg", "--batch", "--with-colons", "--list-secret-keys", "--", key],
                  capture=True, check=False, env=gpg_env())
    fingerprints = []
    expect_fpr = False
    for line in listing.splitlines():
        fields = line.split(":")
        if fields[0] == "sec":
            expect_fpr = True
        elif fields[0] == "fpr" and expect_fpr:
            fingerprints.append(fields[9])
            expect_fpr = False
        elif fields[0] in ("ssb", "uid"):
            expect_fpr = False
    if len(fingerprints) != 1:
        raise ReleaseError(
            f"RELEASE_GPG_KEY_ID matches {len(fingerprints)} secret keys in GNUPGHOME; it must "
            "name exactly one (give its fingerprint)"
        )
    return fingerprints[0]


def gpg_env() -> dict[str, str]:
    """gpg's environment: its home and what it needs to run, nothing of the build."""
    env = {k: v for k, v in os.environ.items()
           if k in ("PATH", "HOME", "GNUPGHOME", "LANG", "LC_ALL", "GPG_TTY", "TMPDIR")}
    return env


def sign(fingerprint: str, sums: Path, out: Path) -> None:
    cmd = ["gpg", "--batch", "--yes", "--local-user", fingerprint, "--output", str(out), "--detach-sign"]
    passphrase = os.environ.get("RELEASE_GPG_PASSPHRASE")
    if passphrase is not None:
        cmd[1:1] = ["--pinentry-mode", "loopback", "--passphrase-fd", "0"]
    run(cmd + [str(sums)], stdin=passphrase if passphrase is not None else "", env=gpg_env())
    # By fingerprint: an e-mail would export every key that carries it.
    public = run(["gpg", "--batch", "--armor", "--export", fingerprint], capture=True, env=gpg_env())
    if "BEGIN PGP PUBLIC KEY BLOCK" not in public:
        raise ReleaseError(f"gpg exported no public key for {fingerprint}")
    (out.parent / "signing-key.asc").write_text(public)


# Where a packed filesystem mirror keeps this provider's zips (hostname/namespace/type).
MIRROR_PATH = Path("registry.terraform.io/ironflux/influxdb3")


def main() -> int:
    ver = version()
    host = host_target()
    out_dir = Path(os.environ.get("RELEASE_DIR") or ROOT / "dist")
    targets = os.environ.get("RELEASE_TARGETS", "").split()
    if not targets and os.environ.get("RELEASE_PROVIDER_BIN"):
        targets = [host]  # a given binary is the host's; build nothing else
    if not targets:
        targets = [t for t in PLATFORMS if t == host or std_installed(t)]
    unknown = [t for t in targets if t not in PLATFORMS]
    if unknown:
        raise ReleaseError(f"unsupported targets {unknown}; supported: {sorted(PLATFORMS)}")
    epoch = source_date_epoch()
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in [*out_dir.glob(f"{NAME}_*"), out_dir / "signing-key.asc"]:
        old.unlink(missing_ok=True)  # only what an earlier release wrote
    fingerprint = signing_key()

    with tempfile.TemporaryDirectory(prefix=".release-", dir=out_dir) as staging_name, \
            tempfile.TemporaryDirectory(prefix="release-home-") as build_home:
        staging = Path(staging_name)
        env = build_env(Path(build_home))
        package(ver, host, targets, epoch, fingerprint, staging, env)
        # Everything succeeded: only now does anything appear in the output directory.
        for f in sorted(staging.iterdir()):
            os.replace(f, out_dir / f.name)
    print(f"release {ver} in {out_dir}")
    mirror = os.environ.get("RELEASE_MIRROR")
    if mirror:
        into = Path(mirror) / MIRROR_PATH
        into.mkdir(parents=True, exist_ok=True)
        for old in into.glob(f"{NAME}_*.zip"):
            old.unlink()
        for z in sorted(out_dir.glob(f"{NAME}_{ver}_*.zip")):
            shutil.copyfile(z, into / z.name)
        print(f"filesystem mirror in {mirror}")
    return 0


def package(ver: str, host: str, targets: list[str], epoch: int, fingerprint: str | None,
            staging: Path, env: dict[str, str]) -> None:
    files = []
    for target in targets:
        os_name, arch, suffix = PLATFORMS[target]
        binary = build(target, host, fingerprint is not None, env)
        check_version(binary, ver, target, host, env)
        zip_path = staging / f"{NAME}_{ver}_{os_name}_{arch}.zip"
        write_zip(binary, zip_path, f"{NAME}_v{ver}{suffix}", epoch)
        files.append(zip_path)
        print(f"{zip_path.name}: {target}")
    manifest = staging / f"{NAME}_{ver}_manifest.json"
    shutil.copyfile(ROOT / "terraform-registry-manifest.json", manifest)
    files.append(manifest)

    sums = staging / f"{NAME}_{ver}_SHA256SUMS"
    sums.write_text("".join(f"{sha256(f)}  {f.name}\n" for f in sorted(files)))
    if fingerprint is not None:
        sign(fingerprint, sums, staging / f"{sums.name}.sig")
        print(f"{sums.name}.sig: signed by {fingerprint}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ReleaseError as e:
        print(f"release: {e}", file=sys.stderr)
        sys.exit(1)
