# Replace a token no configuration manages: create its successor, and once it exists revoke
# the one it replaces, in the same apply.
variable "replaced_token_id" {
  type        = string
  description = "Id of the token the new one replaces (made by hand or by another tool)."
}

resource "influxdb3_database_token" "ingest_v2" {
  description = "ingest v2"
  permissions = [{ action = "write", resource = "telemetry" }]

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.influxdb3_revoke_database_tokens.ingest_v1]
    }
  }
}

action "influxdb3_revoke_database_tokens" "ingest_v1" {
  config {
    token_ids          = [var.replaced_token_id]
    expect_description = { (var.replaced_token_id) = "ingest v1" }
  }
}
