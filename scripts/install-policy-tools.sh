#!/usr/bin/env bash
# Installs the policy tools the acceptance tests run against real plan JSON into a venv under
# target/ (git-ignored), from PyPI: the real OPA engine (opa-golib-python-bindings, which embeds
# OPA's Go library) and checkov, every package pinned in policy-tools-requirements.txt; and the
# `opa` CLI, the gate the policy guide documents, from the Go module proxy into the venv's bin/.
# Prints the venv's directory. Does nothing when the venv already matches the pins.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/policy-venv"
reqs="$root/scripts/policy-tools-requirements.txt"
opa_pin='opa-golib-python-bindings==0.4.4'
opa_cli='github.com/open-policy-agent/opa@v1.22.4'
stamp="$venv/.installed"
want="$(cat "$reqs"; echo "$opa_pin"; echo "$opa_cli")"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "$venv"
  exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$reqs" >&2
# 0.4.4 declares Requires-Python >= 3.14 but its ctypes wrapper runs on 3.11; it imports only
# the standard library, so no dependency is skipped by --no-deps.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
  --ignore-requires-python "$opa_pin" >&2
"$venv/bin/python" -c 'import opa_bindings' >&2
GOBIN="$venv/bin" go install "$opa_cli" >&2
"$venv/bin/opa" version >&2
echo "$want" > "$stamp"
echo "$venv"
