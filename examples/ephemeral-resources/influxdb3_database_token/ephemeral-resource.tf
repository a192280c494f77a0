# A write token for one CI run: created when the run opens it, revoked when the run ends,
# never stored in the plan or the state. Requires Terraform 1.10 or later (OpenTofu 1.11).
ephemeral "influxdb3_database_token" "ci" {
  description = "CI load test ${var.run_id}"

  permissions = [
    { action = "write", resource = "loadtest" },
  ]

  # If the run is killed before it can revoke the token, the token still stops working
  # 30 minutes after it was created (default 1h, at most 24h).
  expires_in = "30m"
}

variable "run_id" {
  type    = string
  default = "local"
}

# Ephemeral values may go to provisioners: this step writes test data with the token.
resource "terraform_data" "load_test" {
  triggers_replace = [var.run_id]

  provisioner "local-exec" {
    command = "./write-test-data.sh loadtest"
    environment = {
      INFLUX_TOKEN = ephemeral.influxdb3_database_token.ci.access_token
    }
  }
}
