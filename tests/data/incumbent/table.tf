terraform {
  required_providers {
    influxdb3 = {
      source = "registry.terraform.io/ironflux/influxdb3"
    }
  }
}

# The incumbent's older names (deprecated by it in v1.7): a database, then a table of it whose
# database is given as `database_name` and whose bucket part is JSON in `value`.
resource "influxdb3_database" "signals" {
  name             = "signals"
  retention_period = 604800
}

resource "influxdb3_table" "sensors" {
  database_name = influxdb3_database.signals.name
  name          = "sensors"

  partition_template = [
    {
      type  = "tag"
      value = "line"
    },
    {
      type  = "time"
      value = "%Y-%m-%d"
    },
    {
      type = "bucket"
      value = jsonencode({
        "numberOfBuckets" : 10,
        "tagName" : "temperature"
      })
    },
  ]
}
