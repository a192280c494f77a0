# Terraform 1.14 or later, in a file named *.tfquery.hcl next to the configuration:
#   terraform query
#   terraform query -generate-config-out=found.tf
# lists the live tokens of the provider's cluster whose description starts with "ci-"
# (one Management API list call), each with its identity. A token whose id is in no
# state is unmanaged: import it with the generated block, or revoke it.
list "influxdb3_database_token" "ci" {
  provider = influxdb3
  limit    = 500

  config {
    description_prefix = "ci-"
    include_revoked    = false
  }
}
