//! A database token as Terraform values, without its access token (which only a create ever
//! returns). Shared by the token data sources; meant to serve the token resource too.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::api::{DatabaseToken, Permission};
use crate::value::{Type, Value};

/// The type of one permission: `{action, resource}`.
pub fn permission_type() -> Type {
    Type::Object(BTreeMap::from([
        ("action".to_owned(), Type::String),
        ("resource".to_owned(), Type::String),
    ]))
}

/// The attributes a token has, with their types (no `access_token`).
pub fn token_types() -> BTreeMap<String, Type> {
    let mut types = BTreeMap::from([(
        "permissions".to_owned(),
        Type::Set(Box::new(permission_type())),
    )]);
    for name in [
        "id",
        "description",
        "expires_at",
        "created_at",
        "revoked_at",
        "account_id",
        "cluster_id",
    ] {
        types.insert(name.to_owned(), Type::String);
    }
    types
}

/// The permissions as a set value.
pub fn permissions_value(permissions: &[Permission]) -> Value {
    Value::Set(
        permissions
            .iter()
            .map(|p| {
                Value::Object(BTreeMap::from([
                    ("action".to_owned(), Value::String(p.action.clone())),
                    ("resource".to_owned(), Value::String(p.resource.clone())),
                ]))
            })
            .collect(),
    )
}

/// An instant as RFC 3339 in UTC, or null when absent.
pub fn timestamp_value(t: Option<OffsetDateTime>) -> Value {
    t.and_then(|t| t.format(&Rfc3339).ok())
        .map_or(Value::Null, Value::String)
}

/// The attributes of `token`, keyed as [`token_types`].
pub fn token_attrs(token: &DatabaseToken) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("id".to_owned(), Value::String(token.id.clone())),
        (
            "description".to_owned(),
            Value::String(token.description.clone()),
        ),
        (
            "permissions".to_owned(),
            permissions_value(&token.permissions),
        ),
        ("expires_at".to_owned(), timestamp_value(token.expires_at)),
        (
            "created_at".to_owned(),
            timestamp_value(Some(token.created_at)),
        ),
        ("revoked_at".to_owned(), timestamp_value(token.revoked_at)),
        (
            "account_id".to_owned(),
            Value::String(token.account_id.clone()),
        ),
        (
            "cluster_id".to_owned(),
            Value::String(token.cluster_id.clone()),
        ),
    ])
}

/// Descriptions of the token attributes, in display order.
pub const TOKEN_DOCS: &[(&str, &str)] = &[
    ("id", "The token's ID (UUID)."),
    ("description", "The token's description."),
    (
        "permissions",
        "What the token grants: a set of `{ action, resource }`, where `action` is `read` or \
         `write` and `resource` a database name or `*` (all databases).",
    ),
    (
        "expires_at",
        "When the token expires (RFC 3339, UTC); null when it never expires.",
    ),
    ("created_at", "When the token was created (RFC 3339, UTC)."),
    (
        "revoked_at",
        "When the token was revoked (RFC 3339, UTC); null for an active token.",
    ),
    ("account_id", "The account the token belongs to."),
    ("cluster_id", "The cluster the token belongs to."),
];
