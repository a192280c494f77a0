//! The schema of `influxdb3_database_token`. Each description says what the attribute does and
//! what changing it costs; they are the only source of the user docs.

use crate::framework::{Attribute, Schema};
use crate::framework::{Diagnostics, StateObject, UpgradeStep};
use crate::model::cluster::cluster_attributes;
use crate::model::instant;
use crate::model::permissions::permissions_type;
use crate::model::protection::DELETION_PROTECTION;
use crate::tokens::model::{
    ACCESS_TOKEN, CREATED_AT, DESCRIPTION, EXPIRES_AT, ID, PERMISSIONS, REVOKED_AT,
};
use crate::value::{Type, Value};
use serde_json::Value as Json;

/// The resource schema.
pub(super) fn schema() -> Schema {
    let [account_id, cluster_id] = cluster_attributes(
        "The account the token belongs to, from the provider configuration when it \
         was created.",
        "The cluster the token belongs to. A token stays in the cluster that created it: \
         pointing the provider at another account or cluster **replaces** the token (revoked \
         in its own cluster, created in the new one).",
    );
    Schema::new(
        "A database token of an InfluxDB Cloud Dedicated cluster: a credential that clients use \
         to read or write databases. Destroying or replacing it **revokes** it, immediately and \
         irreversibly: every client using it is locked out until it gets a new token.",
        vec![
            Attribute::computed(ID, Type::String)
                .use_state_for_unknown()
                .describe(
                    "The token's ID (UUID), assigned by the API. Use it to import the token.",
                ),
            Attribute::required(DESCRIPTION, Type::String).describe(
                "What the token is for; must not be empty. Changed in place: clients keep using \
                 the same token.",
            ),
            Attribute::optional(PERMISSIONS, permissions_type())
                .default_value(Value::Set(Vec::new()))
                .describe(
                    "What the token may do: a set of `{ action, resource }` grants, where \
                     `action` is `read` or `write` and `resource` is a database name (1 to 64 \
                     characters) or `*` for every database. Read and write are separate grants. \
                     Omitted or empty, the token can access nothing. Changed in place (the \
                     whole set is replaced at once); clients keep using the same token, with the \
                     new access.",
                ),
            Attribute::optional(EXPIRES_AT, Type::String)
                .requires_replace()
                .semantic_eq(instant::same_instant)
                .describe(
                    "When the token stops working, as an RFC 3339 timestamp such as \
                     `2030-01-01T00:00:00Z`; never when omitted. The API cannot change it: any \
                     change **replaces** the token (the old one is revoked, a new access token \
                     is issued). The same instant written differently is no change.",
                ),
            Attribute::computed(ACCESS_TOKEN, Type::String)
                .sensitive()
                .use_state_for_unknown()
                .describe(
                    "The secret clients authenticate with. The API returns it only when the \
                     token is created, so it is null for an imported token. Stored in state \
                     (protect your state); `terraform show -json` prints it in plain text.",
                ),
            Attribute::computed(CREATED_AT, Type::String)
                .use_state_for_unknown()
                .describe("When the token was created (RFC 3339)."),
            Attribute::computed(REVOKED_AT, Type::String)
                .use_state_for_unknown()
                .describe(
                    "When the token was revoked (RFC 3339), from the API's `revokedAt`. Always \
                     null here: a refresh that finds the token revoked (or gone) removes it from \
                     the state with a warning, and the next plan creates a new one. The token \
                     data sources show it for revoked tokens.",
                ),
            account_id,
            cluster_id,
            Attribute::optional(DELETION_PROTECTION, Type::Bool)
                .default_value(Value::Bool(false))
                .describe(
                    "When `true`, any plan that would revoke the token (destroy or replacement) \
                     fails, even if the resource block is removed. To revoke it, set this to \
                     `false` and apply first. Changing it makes no API call. Default `false`.",
                ),
        ],
    )
    .with_version(1)
}

/// `influxdb3_database_token` and its aliases: version 1 added `revoked_at`.
pub(super) const TOKEN_STEPS: &[UpgradeStep] = &[token_v0];

/// Token 0 → 1. Our version-0 state has no `revoked_at`: a token in state is live, so it is
/// null. The incumbent's (v1.7) has it and keeps it: a revoked token is then removed by the
/// next refresh, with the usual warning.
fn token_v0(state: &mut StateObject, _: &mut Diagnostics) {
    state.entry(REVOKED_AT).or_insert(Json::Null);
}

#[cfg(test)]
mod upgrade_tests {
    use serde_json::json;

    use super::*;
    use crate::framework::upgrade::upgraded_from_0 as upgraded;

    #[test]
    fn our_version_0_gains_a_null_revoked_at_and_the_incumbents_keeps_its_own() {
        let token = json!({"id": "x", "access_token": "s"});
        let mut with = token.clone();
        with["revoked_at"] = Json::Null;
        assert_eq!(upgraded(TOKEN_STEPS, token), with);
        let revoked = json!({"id": "x", "revoked_at": "2026-01-01T00:00:00Z"});
        assert_eq!(
            upgraded(TOKEN_STEPS, revoked.clone()),
            revoked,
            "kept for Read"
        );
    }
}
