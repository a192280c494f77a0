resource "influxdb3_database" "sensors" {
  name             = "sensors"
  retention_period = "30d"
  max_tables       = 500

  # Fixed at creation: changing it replaces (deletes and re-creates) the database.
  partition_template = [
    { type = "tag", value = "site" },
    { type = "bucket", value = "device_id", number_of_buckets = 16 },
    { type = "time", value = "%Y-%m-%d" },
  ]

  deletion_protection = true
}
