# Policies for plans that manage InfluxDB Cloud Dedicated database tokens with the
# registry.terraform.io/ironflux/influxdb3 provider. Rego v1: OPA 1.x, and conftest (package
# influxdb3.tokens, rules `deny` and `warn`). Evaluate them against the JSON of a saved plan:
#
#   terraform plan -out=tfplan && terraform show -json tfplan > plan.json
#   opa eval --fail-defined -d tokens.rego -d config.json -i plan.json 'data.influxdb3.tokens.deny[msg]'
#   conftest test --policy tokens.rego --data config.json --namespace influxdb3.tokens plan.json
#
# Settings come from data.influxdb3_policy (see config.json); each has a default.
# Note: plan JSON holds the access tokens in clear text; treat it as a secret.
package influxdb3.tokens

import rego.v1

token_type := "influxdb3_database_token"

rotating_type := "influxdb3_rotating_database_token"

defaults := {
	"max_lifetime_days": 90,
	"destroy_marker": "[retire]",
	"rotation_marker": "[rotate]",
	"production_pattern": "(?i)\\bprod(uction)?\\b",
}

# Only data.influxdb3_policy is read. Reading all of `data` would include this package's own
# rules, a recursion OPA refuses to compile.
settings := object.union(defaults, data.influxdb3_policy) if {
	is_object(data.influxdb3_policy)
} else := defaults

# ---------------------------------------------------------------------------------------------
# What the plan does to each token.

# Token changes that leave a token in place after apply: create, update, and the create half
# of a replacement (either order).
kept_tokens contains rc if {
	some rc in input.resource_changes
	rc.type == token_type
	some action in rc.change.actions
	action in {"create", "update"}
}

# Tokens of either kind that the plan creates or keeps. A rotating token's expiry is set by
# the provider from its schedule (rotation_period + overlap + 1h), so rule 2 reads only
# kept_tokens; rules 1 and 4 (permissions, production protection) hold for both kinds.
kept_any_tokens contains rc if {
	some rc in input.resource_changes
	rc.type in {token_type, rotating_type}
	some action in rc.change.actions
	action in {"create", "update"}
}

# Token changes that revoke a token (of either token type; a rotating token's destroy revokes
# its current and previous token): a destroy, a replacement (an attribute that forces one,
# -replace, taint, replace_triggered_by, create_before_destroy), a deleted resource block or a
# `removed` block with destroy = true. A `removed` block with destroy = false plans "forget",
# which revokes nothing.
revoked_tokens contains rc if {
	some rc in input.resource_changes
	rc.type in {token_type, rotating_type}
	"delete" in rc.change.actions
	not unsettled_create(rc)
}

# The placeholder the provider keeps for a create whose outcome it could not tell (its id names
# the create's receipt). Replacing it revokes only a token that carries that receipt, whose
# access token never reached anyone, so it is not a revocation of a token in use; it must not
# be a dead end for a plan gated on this policy.
unsettled_create(rc) if startswith(text(prior(rc), "id"), "unsettled-create:")

warn contains msg if {
	some rc in input.resource_changes
	rc.type in {token_type, rotating_type}
	"delete" in rc.change.actions
	unsettled_create(rc)
	msg := sprintf("%s: settles a create whose outcome was not known; it revokes only a token that carries that create's receipt (its access token reached nobody)", [rc.address])
}

prior(rc) := rc.change.before if is_object(rc.change.before) else := {}

planned(rc) := rc.change.after if is_object(rc.change.after) else := {}

# A string attribute, or "" when it is null, unknown or absent.
text(values, name) := values[name] if is_string(values[name]) else := ""

replacing(rc) if {
	"create" in rc.change.actions
	"delete" in rc.change.actions
}

route(rc) := sprintf("replaced (%s)", [object.get(rc, "action_reason", "replace")]) if {
	replacing(rc)
} else := sprintf("destroyed (%s)", [object.get(rc, "action_reason", "destroy")])

# ---------------------------------------------------------------------------------------------
# 1. No token may write to every database, and its permissions must be known at plan time.

deny contains msg if {
	some rc in kept_any_tokens
	some p in planned(rc).permissions
	p.action == "write"
	p.resource == "*"
	msg := sprintf("%s: write permission on \"*\" (every database) is not allowed; name the databases it writes to", [rc.address])
}

deny contains msg if {
	some rc in kept_any_tokens
	object.get(rc.change, "after_unknown", {}).permissions == true
	msg := sprintf("%s: permissions are unknown until apply, so this plan cannot show that no write on \"*\" is granted; use values known at plan time", [rc.address])
}

# ---------------------------------------------------------------------------------------------
# 2. Every token expires within max_lifetime_days of the plan. A value this policy cannot prove
#    bounded is denied: unset, unknown until apply (unless marked for rotation, see warn), or
#    not a timestamp it can read.

expiry_unknown(rc) if object.get(rc.change, "after_unknown", {}).expires_at == true

rotating(rc) if contains(text(planned(rc), "description"), settings.rotation_marker)

deny contains msg if {
	some rc in kept_tokens
	not expiry_unknown(rc)
	not is_string(planned(rc).expires_at)
	msg := sprintf("%s: expires_at is not set; tokens must expire within %d days", [rc.address, settings.max_lifetime_days])
}

deny contains msg if {
	some rc in kept_tokens
	expiry_unknown(rc)
	not rotating(rc)
	msg := sprintf("%s: expires_at is unknown until apply, so this plan cannot show that it is within %d days; use a value known at plan time, or mark a rotated token with %q in its description", [rc.address, settings.max_lifetime_days, settings.rotation_marker])
}

deny contains msg if {
	some rc in kept_tokens
	expires := planned(rc).expires_at
	is_string(expires)
	not readable_time(expires)
	msg := sprintf("%s: expires_at %q is not a timestamp this policy can check (RFC 3339 with upper-case T and Z or an offset, a real calendar date, year 1970 to 2199); tokens must expire within %d days", [rc.address, expires, settings.max_lifetime_days])
}

deny contains msg if {
	some rc in kept_tokens
	expires := readable_time(planned(rc).expires_at)
	time.parse_rfc3339_ns(expires) > plan_time_ns + ((settings.max_lifetime_days * 24) * 3600) * 1000000000
	msg := sprintf("%s: expires_at %s is more than %d days away", [rc.address, expires, settings.max_lifetime_days])
}

# A rotated token (rotation_marker in its description) may take an expires_at that is unknown
# until apply, e.g. timeadd(time_rotating.x.id, "1080h"): plan JSON shows which resources the
# expression refers to but not the offset, so the reviewer checks the bound by reading it.
warn contains msg if {
	some rc in kept_tokens
	expiry_unknown(rc)
	rotating(rc)
	msg := sprintf("%s: expires_at is unknown until apply and accepted because the description carries %q; check in the configuration that it adds at most %d days to its rotation time", [rc.address, settings.rotation_marker, settings.max_lifetime_days])
}

# Only strings that time.parse_rfc3339_ns is sure to accept reach it: a builtin error would
# make plain `opa eval` and conftest skip the rule silently (and strict mode fail the query).
# readable_time returns the value itself, so that a caller parses what it returned: an engine
# may evaluate expressions that share no variable in any order, never one before its input.
rfc3339_pattern := `^(19[7-9][0-9]|2[01][0-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`

readable_time(value) := value if {
	is_string(value)
	parts := regex.find_all_string_submatch_n(rfc3339_pattern, value, 1)[0]
	two_digits(parts[3]) <= days_in_month(to_number(parts[1]), two_digits(parts[2]))
}

# "08" as 8: regorus's to_number rejects a leading zero, so read "108" and subtract 100.
two_digits(s) := to_number(concat("", ["1", s])) - 100

days_in_month(year, month) := 29 if {
	month == 2
	leap_year(year)
} else := 28 if {
	month == 2
} else := 30 if {
	month in {4, 6, 9, 11}
} else := 31

leap_year(year) if {
	year % 4 == 0
	year % 100 != 0
}

leap_year(year) if year % 400 == 0

# Plans from Terraform 1.5 on carry their own timestamp; older ones are judged against now.
plan_time_ns := time.parse_rfc3339_ns(timestamp) if {
	timestamp := readable_time(input.timestamp)
} else := time.now_ns()

# ---------------------------------------------------------------------------------------------
# 3. A plan may revoke a token only if its description carried destroy_marker before this plan
#    (set in a prior apply), or if it replaces a token marked for rotation by one that keeps
#    the mark. A token with deletion_protection = true is never revoked: -replace, taint and
#    replace_triggered_by plans never reach the provider at plan time, so only this rule stops
#    them before apply.

revoke_confirmed(rc) if contains(text(prior(rc), "description"), settings.destroy_marker)

revoke_confirmed(rc) if {
	replacing(rc)
	contains(text(prior(rc), "description"), settings.rotation_marker)
	rotating(rc)
}

deny contains msg if {
	some rc in revoked_tokens
	not revoke_confirmed(rc)
	msg := sprintf("%s: this plan revokes the token %q (%s); revocation is immediate and cannot be undone. Add %q to its description in a prior apply to confirm", [rc.address, text(prior(rc), "description"), route(rc), settings.destroy_marker])
}

deny contains msg if {
	some rc in revoked_tokens
	prior(rc).deletion_protection == true
	msg := sprintf("%s: this plan revokes the token %q (%s), whose deletion_protection is true; set deletion_protection = false in a prior apply first", [rc.address, text(prior(rc), "description"), route(rc)])
}

# ---------------------------------------------------------------------------------------------
# 4. Production tokens keep deletion_protection. "Production" is read from the description
#    before and after the plan, so renaming a token does not unprotect it in the same plan;
#    to retire one, add destroy_marker to its description while turning protection off.

production(rc) if regex.match(settings.production_pattern, text(prior(rc), "description"))

production(rc) if regex.match(settings.production_pattern, text(planned(rc), "description"))

deny contains msg if {
	some rc in kept_any_tokens
	production(rc)
	object.get(planned(rc), "deletion_protection", false) != true
	not contains(text(planned(rc), "description"), settings.destroy_marker)
	msg := sprintf("%s: production token %q (before: %q) must keep deletion_protection = true; to retire it, add %q to its description in the same change", [rc.address, text(planned(rc), "description"), text(prior(rc), "description"), settings.destroy_marker])
}

# ---------------------------------------------------------------------------------------------
# 5. The influxdb3_revoke_database_tokens action (Terraform 1.14+): `apply -invoke` and
#    `action_trigger` invocations are in the plan's action_invocations, with the action's
#    config_values, never in resource_changes. Like a revoke through a resource, an invocation
#    is allowed only for tokens marked with destroy_marker before the plan. The plan JSON does
#    not hold the tokens' descriptions, but the action's guards do, and the provider enforces
#    them at plan and again at invoke: an id is marked when its expect_description carries the
#    marker (the provider revokes nothing unless the token's description is exactly that), and
#    a selector when its description_prefix carries it (every token it matches starts with it).

revoke_action_type := "influxdb3_revoke_database_tokens"

revoke_invocations contains ai if {
	some ai in object.get(input, "action_invocations", [])
	ai.type == revoke_action_type
}

action_config(ai) := ai.config_values if is_object(ai.config_values) else := {}

action_ids(ai) := ids if {
	ids := action_config(ai).token_ids
	is_array(ids)
} else := []

action_guards(ai) := guards if {
	guards := action_config(ai).expect_description
	is_object(guards)
} else := {}

selector_names := {"database", "description_prefix", "created_before"}

action_selects(ai) if {
	some name in selector_names
	object.get(action_config(ai), name, null) != null
}

action_unknown(ai) if {
	some name, v in object.get(ai, "config_unknown", {})
	v == true
}

action_unknown(ai) if {
	some name, v in object.get(ai, "config_unknown", {})
	is_array(v)
	some x in v
	x == true
}

action_unknown(ai) if {
	some name, v in object.get(ai, "config_unknown", {})
	is_object(v)
	some x in v
	x == true
}

# How the invocation is triggered, for messages.
action_trigger(ai) := sprintf("after %s of %s", [ai.lifecycle_action_trigger.action_trigger_event, ai.lifecycle_action_trigger.triggering_resource_address]) if {
	is_object(ai.lifecycle_action_trigger)
} else := "-invoke"

deny contains msg if {
	some ai in revoke_invocations
	some id in action_ids(ai)
	is_string(id)
	not contains(text(action_guards(ai), id), settings.destroy_marker)
	msg := sprintf("%s (%s): this plan revokes the database token %s; revocation is immediate and cannot be undone. Add %q to the token's description in a prior change and pin it with expect_description = { %q = \"<that description>\" } to confirm", [ai.address, action_trigger(ai), id, settings.destroy_marker, id])
}

deny contains msg if {
	some ai in revoke_invocations
	action_selects(ai)
	not contains(text(action_config(ai), "description_prefix"), settings.destroy_marker)
	msg := sprintf("%s (%s): this plan revokes every database token its selector matches; revocation is immediate and cannot be undone. Mark the tokens with %q in their descriptions in a prior change and select them with a description_prefix that carries it", [ai.address, action_trigger(ai), settings.destroy_marker])
}

deny contains msg if {
	some ai in revoke_invocations
	action_unknown(ai)
	msg := sprintf("%s (%s): settings of this token revoke are unknown until apply, so this plan cannot show which tokens it revokes; use values known at plan time", [ai.address, action_trigger(ai)])
}

warn contains msg if {
	some ai in revoke_invocations
	not action_unknown(ai)
	msg := sprintf("%s (%s): revokes database tokens marked with %q; the provider's plan warning \"Database Tokens Will Be Revoked\" names each one", [ai.address, action_trigger(ai), settings.destroy_marker])
}

# ---------------------------------------------------------------------------------------------
# 6. influxdb3_rotating_database_token. Its destroy, replacement or removal revokes its tokens
#    and is judged by rule 3 like any token's. Its updates revoke a token only as its schedule
#    says, and plan JSON shows which: the previous token is dropped (before.previous_id set,
#    after.previous_id another value) once before.previous_revoke_at has passed, or by a
#    rotation (after.id unknown until apply) that hands the current token over; the current
#    token is dropped (a rotation whose after.previous_id is not before.id) only once its own
#    before.expires_at has passed. Any other update that drops a token is denied.

rotating_updates contains rc if {
	some rc in input.resource_changes
	rc.type == rotating_type
	rc.change.actions == ["update"]
}

rotates(rc) if object.get(rc.change, "after_unknown", {}).id == true

drops_previous(rc) if {
	previous := text(prior(rc), "previous_id")
	previous != ""
	object.get(planned(rc), "previous_id", null) != previous
}

drops_current(rc) if {
	current := text(prior(rc), "id")
	current != ""
	rotates(rc)
	object.get(planned(rc), "previous_id", null) != current
}

# The instant prior(rc)[name] is at or before the plan's time.
passed(rc, name) if {
	at := readable_time(object.get(prior(rc), name, null))
	time.parse_rfc3339_ns(at) <= plan_time_ns
}

previous_revocation_scheduled(rc) if rotates(rc)

previous_revocation_scheduled(rc) if passed(rc, "previous_revoke_at")

deny contains msg if {
	some rc in rotating_updates
	drops_previous(rc)
	not previous_revocation_scheduled(rc)
	msg := sprintf("%s: this plan revokes the previous token %s before its previous_revoke_at and without a rotation; only the revocation its schedule sets is allowed", [rc.address, text(prior(rc), "previous_id")])
}

deny contains msg if {
	some rc in rotating_updates
	drops_current(rc)
	not passed(rc, "expires_at")
	msg := sprintf("%s: this plan revokes the current token %s without handing it over, before its expires_at; only an expired current token may be revoked by a rotation", [rc.address, text(prior(rc), "id")])
}

warn contains msg if {
	some rc in rotating_updates
	drops_previous(rc)
	previous_revocation_scheduled(rc)
	msg := sprintf("%s: revokes the previous token %s of a rotating token, as its schedule sets (a rotation, or previous_revoke_at passed)", [rc.address, text(prior(rc), "previous_id")])
}

# ---------------------------------------------------------------------------------------------
# 7. Databases and tables. Deleting either is a soft delete the API can undo for about 7 days,
#    and the tokens that name a database stop working with it. A plan that deletes or replaces
#    a database whose deletion_protection is true is denied (the provider refuses its apply;
#    a -replace, taint or replace_triggered_by plan never asks it at plan time); every other
#    delete or replacement of a database or table is a warning for the reviewer.

database_types := {"influxdb3_database", "influxdb3_table"}

deleted_data contains rc if {
	some rc in input.resource_changes
	rc.type in database_types
	"delete" in rc.change.actions
}

data_name(rc) := sprintf("%s/%s", [text(prior(rc), "database"), text(prior(rc), "name")]) if {
	rc.type == "influxdb3_table"
} else := text(prior(rc), "name")

deny contains msg if {
	some rc in deleted_data
	prior(rc).deletion_protection == true
	msg := sprintf("%s: this plan deletes the database %q (%s), whose deletion_protection is true; set deletion_protection = false in a prior apply first", [rc.address, data_name(rc), route(rc)])
}

warn contains msg if {
	some rc in deleted_data
	not prior(rc).deletion_protection == true
	msg := sprintf("%s: this plan deletes %q (%s): a soft delete, undone only for about 7 days and only by its id", [rc.address, data_name(rc), route(rc)])
}

# ---------------------------------------------------------------------------------------------
# 8. Imports. An import that changes nothing plans "no-op", which rules 1 and 4 (creates and
#    updates) never see; the token it brings under management is judged here the same way.

imported_tokens contains rc if {
	some rc in input.resource_changes
	rc.type in {token_type, rotating_type}
	is_object(rc.change.importing)
	rc.change.actions == ["no-op"]
}

deny contains msg if {
	some rc in imported_tokens
	production(rc)
	object.get(planned(rc), "deletion_protection", false) != true
	msg := sprintf("%s: imports the production token %q without deletion_protection = true; set it in the resource block that imports it", [rc.address, text(planned(rc), "description")])
}

deny contains msg if {
	some rc in imported_tokens
	some p in planned(rc).permissions
	p.action == "write"
	p.resource == "*"
	msg := sprintf("%s: imports a token with write permission on \"*\" (every database)", [rc.address])
}
