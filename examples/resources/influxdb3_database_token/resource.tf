resource "influxdb3_database" "sensors" {
  name             = "sensors"
  retention_period = "30d"
}

# A token that writes to one database and reads from it.
resource "influxdb3_database_token" "ingest" {
  description = "sensor ingest (prod)"

  permissions = [
    { action = "write", resource = influxdb3_database.sensors.name },
    { action = "read", resource = influxdb3_database.sensors.name },
  ]

  # Changing expires_at creates a new token and revokes this one.
  expires_at = "2027-06-30T00:00:00Z"

  # Destroying a token revokes it at once, for good: refuse it in plans.
  deletion_protection = true
}

# The secret exists only in state, from the create response.
output "ingest_token" {
  value     = influxdb3_database_token.ingest.access_token
  sensitive = true
}
