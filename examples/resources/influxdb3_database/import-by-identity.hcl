# Terraform 1.12 or later: import by identity, in the cluster the identity names.
import {
  to = influxdb3_database.metrics
  identity = {
    account_id = "11111111-1111-4111-8111-111111111111"
    cluster_id = "22222222-2222-4222-8222-222222222222"
    name       = "metrics"
  }
}
