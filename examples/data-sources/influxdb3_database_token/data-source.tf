data "influxdb3_database_token" "ingest" {
  id = "55555555-5555-4555-8555-555555555555"
}

output "ingest_permissions" {
  value = data.influxdb3_database_token.ingest.permissions
}
