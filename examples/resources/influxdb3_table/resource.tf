resource "influxdb3_database" "sensors" {
  name = "sensors"
}

# Create a table ahead of the first write only when it needs its own partitioning.
resource "influxdb3_table" "readings" {
  database = influxdb3_database.sensors.name
  name     = "readings"

  # Fixed at creation: changing it replaces (deletes and re-creates) the table.
  partition_template = [
    { type = "tag", value = "device_id" },
    { type = "time", value = "%Y-%m" },
  ]
}
