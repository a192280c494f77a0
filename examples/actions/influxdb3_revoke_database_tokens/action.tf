# Terraform 1.14 or later. Review exactly what an invocation revokes, then revoke:
#   terraform plan  -invoke=action.influxdb3_revoke_database_tokens.leaked
#   terraform apply -invoke=action.influxdb3_revoke_database_tokens.leaked

# By id, each pinned to the description the token must have: a mistyped id that names
# another token revokes nothing.
action "influxdb3_revoke_database_tokens" "leaked" {
  config {
    token_ids = ["0e5b8a3c-3c1e-4c6e-9a52-4b1f3e2d7a10"]
    expect_description = {
      "0e5b8a3c-3c1e-4c6e-9a52-4b1f3e2d7a10" = "ci ingest (telemetry)"
    }
  }
}

# By selector: active tokens with a permission on "telemetry" whose description starts with
# "ci-", created before the incident. A selector that matches nothing, or more than
# max_tokens (default 3), is an error at plan with nothing sent.
action "influxdb3_revoke_database_tokens" "ci_runners" {
  config {
    database           = "telemetry"
    description_prefix = "ci-"
    created_before     = "2026-12-06T00:00:00Z"
    max_tokens         = 5
  }
}
