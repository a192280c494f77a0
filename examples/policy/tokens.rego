# Policies for plans that manage InfluxDB Cloud Dedicated database tokens with the
# registry.terraform.io/ironflux/influxdb3 provider. Evaluate them against the JSON of a saved
# plan:
#
#   terraform plan -out=tfplan && terraform show -json tfplan > plan.json
#   opa eval -d tokens.rego -d config.json -i plan.json 'data.influxdb3.tokens.deny'
#   conftest test --policy . --namespace influxdb3.tokens plan.json
#
# Settings come from data.influxdb3_policy (see config.json); each has a default.
# Note: plan JSON holds sensitive values (the access tokens) in clear text; treat it as a secret.
package influxdb3.tokens

import rego.v1

token_type := "influxdb3_database_token"

settings := object.union(
	{
		"max_lifetime_days": 90,
		"destroy_marker": "[retire]",
		"production_pattern": "(?i)\\bprod(uction)?\\b",
	},
	object.get(data, "influxdb3_policy", {}),
)

# Token changes that leave a token in place after apply (create, update, replace).
kept_tokens contains rc if {
	some rc in input.resource_changes
	rc.type == token_type
	some action in rc.change.actions
	action in {"create", "update"}
}

# Token changes that destroy a token (delete, or the delete half of a replacement).
destroyed_tokens contains rc if {
	some rc in input.resource_changes
	rc.type == token_type
	"delete" in rc.change.actions
}

# 1. No token may write to every database.
deny contains msg if {
	some rc in kept_tokens
	some p in rc.change.after.permissions
	p.action == "write"
	p.resource == "*"
	msg := sprintf("%s: write permission on \"*\" (every database) is not allowed; name the databases it writes to", [rc.address])
}

# 2. Every token expires, within the configured horizon from the time of the plan.
deny contains msg if {
	some rc in kept_tokens
	not is_string(rc.change.after.expires_at)
	msg := sprintf("%s: expires_at is not set; tokens must expire within %d days", [rc.address, settings.max_lifetime_days])
}

deny contains msg if {
	some rc in kept_tokens
	is_string(rc.change.after.expires_at)
	expires := time.parse_rfc3339_ns(rc.change.after.expires_at)
	expires > plan_time_ns + ((settings.max_lifetime_days * 24) * 3600) * 1000000000
	msg := sprintf("%s: expires_at %s is more than %d days away", [rc.address, rc.change.after.expires_at, settings.max_lifetime_days])
}

# Plans from Terraform 1.5 on carry their own timestamp; older ones are judged against now.
plan_time_ns := time.parse_rfc3339_ns(input.timestamp) if {
	is_string(input.timestamp)
} else := time.now_ns()

# 3. A plan may destroy (revoke) a token only if its description carries the agreed marker.
deny contains msg if {
	some rc in destroyed_tokens
	not contains(object.get(rc.change.before, "description", ""), settings.destroy_marker)
	msg := sprintf("%s: this plan revokes the token %q; revocation is immediate and cannot be undone. Add %q to its description in a prior apply to confirm", [rc.address, rc.change.before.description, settings.destroy_marker])
}

# 4. Production tokens keep deletion_protection.
deny contains msg if {
	some rc in kept_tokens
	is_string(rc.change.after.description)
	regex.match(settings.production_pattern, rc.change.after.description)
	not rc.change.after.deletion_protection
	msg := sprintf("%s: production token %q must keep deletion_protection = true", [rc.address, rc.change.after.description])
}
