//! The ephemeral `influxdb3_database_token` as Terraform values: the one attribute the managed
//! token lacks (`expires_in`), a typed read of its configuration, and the result Open returns.
//! Every other name is the managed token's ([`crate::tokens::model`]) or the cluster's
//! ([`crate::model::cluster`]), so both token types spell them alike.

use std::collections::BTreeMap;

use crate::api::CreatedToken;
use crate::framework::attr;
use crate::value::Value;

use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::tokens::model::{ACCESS_TOKEN, DESCRIPTION, EXPIRES_AT, ID, PERMISSIONS};

/// How long the token lives if nothing revokes it first (a duration such as `30m`).
pub(crate) const EXPIRES_IN: &str = "expires_in";

/// Typed reads of an ephemeral token's configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EphemeralTokenValue<'a>(pub &'a Value);

impl<'a> EphemeralTokenValue<'a> {
    /// The description as configured (without the ephemeral mark).
    pub(crate) fn description(self) -> Option<&'a str> {
        attr(self.0, DESCRIPTION).as_str()
    }

    /// The permission set as a value.
    pub(crate) fn permissions(self) -> &'a Value {
        attr(self.0, PERMISSIONS)
    }

    /// `expires_in` as a value: null (the default applies), unknown or a string.
    pub(crate) fn expires_in(self) -> &'a Value {
        attr(self.0, EXPIRES_IN)
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
