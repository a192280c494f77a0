//! The schema of `influxdb3_database_token`. Each description says what the attribute does and
//! what changing it costs; they are the only source of the user docs.

use std::collections::BTreeMap;

use crate::framework::{Attribute, Schema};
use crate::value::{Type, Value};

use super::instant;

/// The resource schema.
pub fn schema() -> Schema {
    Schema::new(
        "A database token of an InfluxDB Cloud Dedicated cluster: a credential that clients use \
         to read or write databases. Destroying or replacing it **revokes** it, immediately and \
         irreversibly: every client using it is locked out until it gets a new token.",
        vec![
            Attribute::computed("id", Type::String)
                .use_state_for_unknown()
                .describe(
                    "The token's ID (UUID), assigned by the API. Use it to import the token.",
                ),
            Attribute::required("description", Type::String).describe(
                "What the token is for; must not be empty. Changed in place: clients keep using \
                 the same token.",
            ),
            Attribute::optional("permissions", permissions_type())
                .default_value(Value::Set(Vec::new()))
                .describe(
                    "What the token may do: a set of `{ action, resource }` grants, where \
                     `action` is `read` or `write` and `resource` is a database name (1 to 64 \
                     characters) or `*` for every database. Read and write are separate grants. \
                     Omitted or empty, the token can access nothing. Changed in place (the \
                     whole set is replaced at once); clients keep using the same token, with the \
                     new access.",
                ),
            Attribute::optional("expires_at", Type::String)
                .requires_replace()
                .semantic_eq(instant::same_instant)
                .describe(
                    "When the token stops working, as an RFC 3339 timestamp such as \
                     `2030-01-01T00:00:00Z`; never when omitted. The API cannot change it: any \
                     change **replaces** the token (the old one is revoked, a new access token \
                     is issued). The same instant written differently is no change.",
                ),
            Attribute::computed("access_token", Type::String)
                .sensitive()
                .use_state_for_unknown()
                .describe(
                    "The secret clients authenticate with. The API returns it only when the \
                     token is created, so it is null for an imported token. Stored in state \
                     (protect your state); `terraform show -json` prints it in plain text.",
                ),
            Attribute::computed("created_at", Type::String)
                .use_state_for_unknown()
                .describe("When the token was created (RFC 3339)."),
            Attribute::computed("account_id", Type::String)
                .use_state_for_unknown()
                .describe(
                    "The account the token belongs to, from the provider configuration when it \
                     was created.",
                ),
            Attribute::computed("cluster_id", Type::String)
                .use_state_for_unknown()
                .describe(
                    "The cluster the token belongs to. A token stays in the cluster that created \
                     it: pointing the provider at another account or cluster **replaces** the \
                     token (revoked in its own cluster, created in the new one).",
                ),
            Attribute::optional("deletion_protection", Type::Bool)
                .default_value(Value::Bool(false))
                .describe(
                    "When `true`, any plan that would revoke the token (destroy or replacement) \
                     fails, even if the resource block is removed. To revoke it, set this to \
                     `false` and apply first. Changing it makes no API call. Default `false`.",
                ),
        ],
    )
}

/// `set(object({ action = string, resource = string }))`, both keys required by the type.
///
/// A plain attribute rather than a nested attribute (`Nested(Set, …)`): Terraform 1.0's plan
/// renderer panics on nested-attribute sets ("must not call SetVal with empty slice", "can't
/// call HasElement on a nil value"). The configuration syntax and the JSON plan are the same.
fn permissions_type() -> Type {
    Type::Set(Box::new(Type::Object(BTreeMap::from([
        ("action".to_owned(), Type::String),
        ("resource".to_owned(), Type::String),
    ]))))
}
