# Quickstart: three database tokens with different access.
# Credentials come from the environment (INFLUXDB3_ACCOUNT_ID, INFLUXDB3_CLUSTER_ID,
# INFLUXDB3_MANAGEMENT_TOKEN and, for a mock or another endpoint, INFLUXDB3_ENDPOINT).

terraform {
  required_providers {
    influxdb3 = {
      source = "registry.terraform.io/ironflux/influxdb3"
    }
  }
}

provider "influxdb3" {}

# Dashboards read every database.
resource "influxdb3_database_token" "dashboards" {
  description = "quickstart: dashboards read all databases"
  permissions = [
    { action = "read", resource = "*" },
  ]
}

# An ingest agent writes one database; its token expires (changing expires_at replaces it).
resource "influxdb3_database_token" "ingest" {
  description = "quickstart: ingest writes sensors"
  permissions = [
    { action = "write", resource = "sensors" },
  ]
  expires_at = "2099-01-01T00:00:00Z"
}

# A batch job reads one database and writes another.
resource "influxdb3_database_token" "etl" {
  description = "quickstart: etl reads sensors, writes rollups"
  permissions = [
    { action = "read", resource = "sensors" },
    { action = "write", resource = "rollups" },
  ]
}

output "dashboards_token_id" {
  value = influxdb3_database_token.dashboards.id
}

# Read it with `terraform output -raw ingest_access_token`.
output "ingest_access_token" {
  value     = influxdb3_database_token.ingest.access_token
  sensitive = true
}
