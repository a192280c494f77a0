//! The ephemeral `influxdb3_database_token` as Terraform values: the one attribute the managed
//! token lacks (`expires_in`), a typed read of its configuration, and the result Open returns.
//! Every other name is the managed token's ([`crate::tokens::model`]) or the cluster's
//! ([`crate::model::cluster`]), so both token types spell them alike.

use std::collections::BTreeMap;

use crate::api::CreatedToken;
use crate::value::Value;

use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::model::view::attribute_reads;
use crate::tokens::model::{ACCESS_TOKEN, DESCRIPTION, EXPIRES_AT, ID, PERMISSIONS};

/// How long the token lives if nothing revokes it first (a duration such as `30m`).
pub(crate) const EXPIRES_IN: &str = "expires_in";

/// Typed reads of an ephemeral token's configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EphemeralTokenValue<'a>(pub &'a Value);

impl<'a> EphemeralTokenValue<'a> {
    attribute_reads! {
        /// The description as configured (without the ephemeral mark).
        description: DESCRIPTION as str;
        /// The permission set as a value.
        permissions: PERMISSIONS as value;
        /// `expires_in` as a value: null (the default applies), unknown or a string.
        expires_in: EXPIRES_IN as value;
    }
}

/// The result of Open: the configuration with `expires_in` resolved and the created token's
/// computed attributes (its id, secret, expiry and cluster) filled in.
pub(crate) fn opened(
    config: &Value,
    expires_in: &str,
    created: &CreatedToken,
    expires_at: Value,
) -> Value {
    let token = &created.token;
    let mut result = match config {
        Value::Object(attrs) => attrs.clone(),
        _ => BTreeMap::new(),
    };
    for (name, value) in [
        (EXPIRES_IN, Value::from(expires_in)),
        (ID, Value::String(token.id.clone())),
        (
            ACCESS_TOKEN,
            Value::String(created.access_token.expose().to_owned()),
        ),
        (EXPIRES_AT, expires_at),
        (ACCOUNT_ID, Value::String(token.account_id.clone())),
        (CLUSTER_ID, Value::String(token.cluster_id.clone())),
    ] {
        result.insert(name.to_owned(), value);
    }
    Value::Object(result)
}
