#!/usr/bin/env bash
# Quickstart: build the provider, package it as a release (scripts/release.py), install it with
# `terraform init` from a local filesystem mirror of that release, apply examples/quickstart against the mock Management API (or
# a real cluster when INFLUXDB3_* are set), show an empty second plan, revoke a token out of
# band and watch the plan notice, then destroy.
#
# Environment (all optional):
#   INFLUXDB3_ACCOUNT_ID, INFLUXDB3_CLUSTER_ID, INFLUXDB3_MANAGEMENT_TOKEN (or INFLUXDB3_TOKEN),
#   INFLUXDB3_ENDPOINT   use this cluster instead of the mock (no out-of-band revoke then)
#   TERRAFORM            the terraform binary (default: terraform on PATH, else Terraform 1.0.3
#                        from scripts/install-terraform-1.0.3.sh)
#   QUICKSTART_BIN_DIR   use the provider and mock binaries in this folder instead of building
#   RELEASE_ZIP_LEVEL    deflate level for the release zip (see scripts/release.py)
# Needs python3 (3.11 or later) for scripts/release.py.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
step=0
header() {
  step=$((step + 1))
  printf '\n==== %d. %s\n\n' "$step" "$*"
}

flags=()
[ -t 1 ] || flags+=(-no-color)

header "Build"
if [ -n "${QUICKSTART_BIN_DIR:-}" ]; then
  bin_dir="$QUICKSTART_BIN_DIR"
  echo "Using the binaries in $bin_dir"
else
  (cd "$root" && cargo build --release --bins)
  bin_dir="${CARGO_TARGET_DIR:-$root/target}/release"
fi
provider_bin="$bin_dir/terraform-provider-influxdb3"
[ -x "$provider_bin" ] || { echo "no provider binary at $provider_bin" >&2; exit 1; }

tf="${TERRAFORM:-}"
if [ -z "$tf" ]; then
  if command -v terraform >/dev/null 2>&1; then
    tf="$(command -v terraform)"
  else
    echo "No terraform on PATH: installing Terraform 1.0.3"
    tf="$("$root/scripts/install-terraform-1.0.3.sh")"
  fi
fi
echo "Terraform: $(TF_CLI_CONFIG_FILE=/dev/null "$tf" version 2>/dev/null | head -n 1)"

work="$(mktemp -d)"
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

plan_expecting() { # plan_expecting EXIT_CODE: 0 = no changes, 2 = changes
  set +e
  "$tf" plan "${flags[@]}" -input=false -detailed-exitcode
  local code=$?
  set -e
  [ "$code" = "$1" ] || { echo "expected plan exit code $1, got $code" >&2; exit 1; }
}

json_field() { # json_field NAME < one-line JSON with string values
  sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"
}

if [ -n "${INFLUXDB3_ACCOUNT_ID:-}" ] && [ -n "${INFLUXDB3_CLUSTER_ID:-}" ] &&
  [ -n "${INFLUXDB3_MANAGEMENT_TOKEN:-${INFLUXDB3_TOKEN:-}}" ]; then
  real=1
  header "Using the cluster from INFLUXDB3_* (no mock; the out-of-band revoke is skipped)"
  echo "Cluster ${INFLUXDB3_CLUSTER_ID} of account ${INFLUXDB3_ACCOUNT_ID}"
else
  real=0
  header "Start the mock Management API"
  "$bin_dir/influxdb3-mock-api" --listen 127.0.0.1:0 >"$work/mock.json" &
  mock_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$work/mock.json" ] && break
    sleep 0.1
  done
  ready="$(head -n 1 "$work/mock.json")"
  [ -n "$ready" ] || { echo "the mock did not start" >&2; exit 1; }
  INFLUXDB3_ENDPOINT="$(json_field endpoint <<<"$ready")"
  INFLUXDB3_ACCOUNT_ID="$(json_field account_id <<<"$ready")"
  INFLUXDB3_CLUSTER_ID="$(json_field cluster_id <<<"$ready")"
  INFLUXDB3_MANAGEMENT_TOKEN="$(json_field management_token <<<"$ready")"
  export INFLUXDB3_ENDPOINT INFLUXDB3_ACCOUNT_ID INFLUXDB3_CLUSTER_ID INFLUXDB3_MANAGEMENT_TOKEN
  unset INFLUXDB3_TOKEN
  echo "Mock listening at $INFLUXDB3_ENDPOINT (pid $mock_pid)"
fi

header "Package the release (scripts/release.py, unsigned) into a local provider mirror"
RELEASE_DIR="$work/dist" RELEASE_PROVIDER_BIN="$provider_bin" RELEASE_SIGN=0 RELEASE_ALLOW_TEST_BUILD=1 \
  python3 "$root/scripts/release.py"
mirror="$work/mirror"
mkdir -p "$mirror/registry.terraform.io/ironflux/influxdb3"
cp "$work"/dist/*.zip "$mirror/registry.terraform.io/ironflux/influxdb3/"
cat >"$work/cli.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/ironflux/influxdb3"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
mkdir "$work/quickstart"
cp "$root"/examples/quickstart/*.tf "$work/quickstart/"
cd "$work/quickstart"

header "terraform init: lock the provider from the mirror, then install it"
# The lock file first, from the mirror's signed-for package: `init` alone would record the hash
# of this platform only and then warn "Incomplete lock file information for providers".
"$tf" providers lock -fs-mirror="$mirror" registry.terraform.io/ironflux/influxdb3
"$tf" init "${flags[@]}" -input=false
echo
echo "--- .terraform.lock.hcl"
cat .terraform.lock.hcl

header "Apply examples/quickstart (three tokens)"
"$tf" apply "${flags[@]}" -input=false -auto-approve

header "Plan again: nothing to change (exit code 0)"
plan_expecting 0

if [ "$real" = 0 ]; then
  header "Revoke the dashboards token out of band (as influxctl or the Admin UI would)"
  id="$("$tf" output -raw dashboards_token_id)"
  url="$INFLUXDB3_ENDPOINT/accounts/$INFLUXDB3_ACCOUNT_ID/clusters/$INFLUXDB3_CLUSTER_ID/tokens/$id"
  if command -v curl >/dev/null 2>&1; then
    status="$(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
      -H "Authorization: Bearer $INFLUXDB3_MANAGEMENT_TOKEN" "$url")"
  else
    status="$(URL="$url" python3 -c '
import os, urllib.request
req = urllib.request.Request(os.environ["URL"], method="DELETE",
    headers={"Authorization": "Bearer " + os.environ["INFLUXDB3_MANAGEMENT_TOKEN"]})
print(urllib.request.urlopen(req).status)')"
  fi
  echo "DELETE token $id: HTTP $status"

  header "Plan: the revoked token is noticed and planned again (exit code 2)"
  plan_expecting 2
fi

header "Destroy: every token is revoked"
"$tf" destroy "${flags[@]}" -input=false -auto-approve

header "Done"
