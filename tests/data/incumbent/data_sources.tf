terraform {
  required_providers {
    influxdb3 = {
      source = "registry.terraform.io/ironflux/influxdb3"
    }
  }
}

variable "token_id" {
  type = string
}

# Every data source name the incumbent has had: v1.7's influxdb3_cloud_* and the older ones.
data "influxdb3_cloud_database" "sensors" {
  name = "sensors"
}

data "influxdb3_cloud_databases" "all" {}

data "influxdb3_databases" "all" {}

data "influxdb3_cloud_token" "reader" {
  id = var.token_id
}

data "influxdb3_token" "reader" {
  id = var.token_id
}

data "influxdb3_cloud_tokens" "all" {}

data "influxdb3_tokens" "all" {}

output "cloud_database" {
  value = data.influxdb3_cloud_database.sensors
}

output "cloud_databases" {
  value = data.influxdb3_cloud_databases.all.databases
}

output "databases" {
  value = data.influxdb3_databases.all.databases
}

output "cloud_token" {
  value = data.influxdb3_cloud_token.reader
}

output "token" {
  value = data.influxdb3_token.reader
}

output "cloud_tokens" {
  value = data.influxdb3_cloud_tokens.all.tokens
}

output "tokens" {
  value = data.influxdb3_tokens.all.tokens
}
