data "influxdb3_databases" "all" {}

# A read-only token for every database of the cluster.
resource "influxdb3_database_token" "reader" {
  description = "dashboards: read everything"
  permissions = [
    for db in data.influxdb3_databases.all.databases : { action = "read", resource = db.name }
  ]
}
