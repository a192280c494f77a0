//! The schema of the ephemeral `influxdb3_database_token`. The descriptions are the only source
//! of its user docs.

use crate::framework::{Attribute, Schema};
use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::model::permissions::permissions_type;
use crate::tokens::ephemeral::model::EXPIRES_IN;
use crate::tokens::model::{ACCESS_TOKEN, DESCRIPTION, EXPIRES_AT, ID, PERMISSIONS};
use crate::value::Type;

use super::MARK;
use super::lifetime::DEFAULT;

/// The ephemeral resource schema.
pub(super) fn schema() -> Schema {
    Schema::new(
        format!(
            "A database token that exists for one Terraform run: created when Terraform opens \
             it, revoked when the run ends, and never written to the plan or the state. \
             Terraform opens ephemeral resources during `plan` **and** again during `apply`, so \
             each of them creates (and revokes) a token of its own. Every token is created with \
             an expiry (`expires_in`) so that one whose revocation never runs stops working on \
             its own. In the API (and `influxctl token list`) its description starts with \
             `{MARK}`."
        ),
        vec![
            Attribute::required(DESCRIPTION, Type::String).describe(format!(
                "What the token is for; must not be empty. The API stores it with the prefix \
                 `{MARK}` so that reviewers can tell ephemeral tokens apart."
            )),
            Attribute::optional(PERMISSIONS, permissions_type()).describe(
                "What the token may do: a set of `{ action, resource }` grants, where `action` is \
                 `read` or `write` and `resource` is a database name (1 to 64 characters) or `*` \
                 for every database. Omitted or empty, the token can access nothing.",
            ),
            Attribute::optional(EXPIRES_IN, Type::String)
                .also_computed()
                .describe(format!(
                    "How long the token lives if nothing revokes it first, as a duration from \
                     `1m` to `24h` (such as `30m` or `2h`); default `{DEFAULT}`. The run revokes \
                     the token when it ends; this bound is what stops a token whose run was \
                     killed."
                )),
            Attribute::computed(ID, Type::String).describe(
                "The token's ID (UUID). Named in the error if the run cannot revoke the token.",
            ),
            Attribute::computed(ACCESS_TOKEN, Type::String)
                .sensitive()
                .describe(
                    "The secret clients authenticate with. Only ever in memory during the run: \
                     pass it to a write-only argument, another provider's block or another \
                     ephemeral context.",
                ),
            Attribute::computed(EXPIRES_AT, Type::String)
                .describe("When the token stops working on its own (RFC 3339, UTC)."),
            Attribute::computed(ACCOUNT_ID, Type::String)
                .describe("The account the token was created in."),
            Attribute::computed(CLUSTER_ID, Type::String)
                .describe("The cluster the token was created in."),
        ],
    )
}
