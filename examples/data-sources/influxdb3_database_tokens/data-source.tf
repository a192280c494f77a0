data "influxdb3_database_tokens" "all" {
  # Revoked tokens are left out unless asked for; they carry revoked_at.
  include_revoked = true
}

output "token_descriptions" {
  value = [for t in data.influxdb3_database_tokens.all.tokens : t.description]
}
