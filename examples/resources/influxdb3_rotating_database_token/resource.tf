# A write token for the sensor fleet, replaced every 30 days. After each rotation the previous
# token keeps working for 24 hours while clients pick up the new one; a later plan revokes it.
# Run plans on a schedule (for example daily): a plan at or after next_rotation_at rotates, one
# at or after previous_revoke_at revokes the previous token, and plans in between are empty.
resource "influxdb3_rotating_database_token" "ingest" {
  description = "sensor ingest"
  permissions = [
    { action = "write", resource = "sensors" },
  ]

  rotation_period = "720h"
  overlap         = "24h"

  # Change a value to rotate now (for example after a suspected leak).
  rotation_triggers = {
    generation = "1"
  }

  # Refuses `terraform destroy` (which revokes both tokens); the scheduled revocation of the
  # previous token still happens.
  deletion_protection = true
}

# Where clients read the token: the pipeline that applies publishes this output to the
# clients' secret store after every apply, e.g.
#   terraform output -raw ingest_token | vault kv put secret/sensors/ingest token=-
# Every rotation changes it, and the old value keeps working for `overlap`.
output "ingest_token" {
  value     = influxdb3_rotating_database_token.ingest.access_token
  sensitive = true
}

output "ingest_token_rotates_at" {
  value = influxdb3_rotating_database_token.ingest.next_rotation_at
}
