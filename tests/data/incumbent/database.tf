terraform {
  required_providers {
    influxdb3 = {
      source = "registry.terraform.io/ironflux/influxdb3"
    }
  }
}

# The incumbent's v1.7 name, with its retention written as a bare number (nanoseconds) and a
# bucket part whose tag key and count are JSON in `value`.
resource "influxdb3_cloud_database" "sensors" {
  name             = "sensors"
  retention_period = 604800

  partition_template = [
    {
      type  = "tag"
      value = "site"
    },
    {
      type  = "time"
      value = "%Y-%m-%d"
    },
    {
      type = "bucket"
      value = jsonencode({
        tagName         = "device"
        numberOfBuckets = 10
      })
    },
  ]
}

# The incumbent's older name, which is ours too.
resource "influxdb3_database" "archive" {
  name                  = "archive"
  retention_period      = 0
  max_tables            = 100
  max_columns_per_table = 200
}

output "sensors_retention" {
  value = influxdb3_cloud_database.sensors.retention_period
}
