# Terraform 1.12 or later: import by identity. The identity names the token's own account
# and cluster, which need not be the ones the provider block points at.
import {
  to = influxdb3_database_token.ci_writer
  identity = {
    account_id = "11111111-1111-4111-8111-111111111111"
    cluster_id = "22222222-2222-4222-8222-222222222222"
    id         = "11111111-2222-4333-8444-555555555555"
  }
}
