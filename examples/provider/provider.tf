terraform {
  required_providers {
    influxdb3 = {
      # Write the full address: OpenTofu resolves short names against its own registry.
      source = "registry.terraform.io/ironflux/influxdb3"
    }
  }
}

# Credentials usually come from the environment:
#   INFLUXDB3_ACCOUNT_ID, INFLUXDB3_CLUSTER_ID, INFLUXDB3_MANAGEMENT_TOKEN
provider "influxdb3" {
  account_id = "11111111-1111-4111-8111-111111111111"
  cluster_id = "33333333-3333-4333-8333-333333333333"

  # Optional:
  # endpoint        = "https://console.influxdata.com/api/v0"
  # request_timeout = "30s"
  # max_retries     = 4
}
