# Terraform 1.12 or later (OpenTofu 1.12 or later): import by identity, in the cluster the
# identity names. Unlike the `database/table` id, this works for a table whose name holds `/`.
import {
  to = influxdb3_table.cpu
  identity = {
    account_id = "11111111-1111-4111-8111-111111111111"
    cluster_id = "22222222-2222-4222-8222-222222222222"
    database   = "metrics"
    name       = "cpu"
  }
}
