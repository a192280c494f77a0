data "influxdb3_database" "sensors" {
  name = "sensors"
}

output "sensors_retention" {
  value = data.influxdb3_database.sensors.retention_period
}
