//! `influxdb3_database_token` as Terraform values: its attribute names, the typed reads of a
//! state or plan, and the conversions to and from the API's token types. The resource and the
//! token data sources both build their values here.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::api::{
    Cluster, CreateTokenRequest, DatabaseToken, Receipt, UpdateTokenRequest, receipt_in,
};
use crate::framework::{Diagnostics, attr, set_attr};
use crate::value::{Type, Value};

use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::model::instant;
use crate::model::permissions::{permissions, permissions_type, permissions_value};
use crate::model::protection;
use crate::model::view::attribute_reads;

/// The token's id (UUID), assigned by the API.
pub(crate) const ID: &str = "id";
/// What the token is for.
pub(crate) const DESCRIPTION: &str = "description";
/// The set of `{action, resource}` grants.
pub(crate) const PERMISSIONS: &str = "permissions";
/// When the token stops working (RFC 3339), or null.
pub(crate) const EXPIRES_AT: &str = "expires_at";
/// The secret, returned only by a create.
pub(crate) const ACCESS_TOKEN: &str = "access_token";
/// When the token was created (RFC 3339).
pub(crate) const CREATED_AT: &str = "created_at";
/// When the token was revoked (RFC 3339), or null; the resource's is null while it is in state.
pub(crate) const REVOKED_AT: &str = "revoked_at";
/// `influxdb3_database_tokens`: also list revoked tokens.
pub(crate) const INCLUDE_REVOKED: &str = "include_revoked";
/// `influxdb3_database_tokens`: only tokens whose description starts with this text.
pub(crate) const DESCRIPTION_PREFIX: &str = "description_prefix";
/// `influxdb3_database_tokens`: the listed tokens.
pub(crate) const TOKENS: &str = "tokens";

/// A planned value the API cannot be sent (validation should have caught it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ModelError {
    /// `expires_at` is not RFC 3339.
    #[error("expires_at {0:?} is not an RFC 3339 timestamp")]
    InvalidExpiresAt(String),
}

/// Typed reads of a token's configuration, plan or state value. Every getter answers `None`
/// for a null or unknown value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenValue<'a>(pub &'a Value);

impl<'a> TokenValue<'a> {
    attribute_reads! {
        /// The id.
        id: ID as str;
        /// The description.
        description: DESCRIPTION as str;
        /// The permission set as a value (possibly unknown, or with unknown elements).
        permissions: PERMISSIONS as value;
        /// The expiry text.
        expires_at: EXPIRES_AT as str;
    }

    /// The known elements of the permission set (none when the set is null or unknown).
    pub(crate) fn permission_elements(self) -> &'a [Value] {
        self.permissions().elements().unwrap_or_default()
    }

    /// The token's name for messages: its description and id.
    pub(crate) fn display_name(self) -> String {
        format!(
            "{:?} (id {})",
            self.description().unwrap_or("?"),
            self.id().unwrap_or("unknown")
        )
    }
}

/// The create body of a planned state.
pub(crate) fn create_request(planned: &Value) -> Result<CreateTokenRequest, ModelError> {
    let planned = TokenValue(planned);
    let expires_at = match planned.expires_at() {
        None => None,
        Some(text) => Some(
            instant::parse(text).ok_or_else(|| ModelError::InvalidExpiresAt(text.to_owned()))?,
        ),
    };
    Ok(CreateTokenRequest {
        description: planned.description().unwrap_or_default().to_owned(),
        permissions: permissions(planned.permissions()),
        expires_at,
    })
}

/// The PATCH body for what differs between `prior` and `planned`; `None` when the API has
/// nothing to change (e.g. only `deletion_protection` changed).
pub(crate) fn update_request(prior: &Value, planned: &Value) -> Option<UpdateTokenRequest> {
    let (prior, planned) = (TokenValue(prior), TokenValue(planned));
    let description = planned
        .description()
        .filter(|new| prior.description() != Some(new))
        .map(str::to_owned);
    let new_perms = planned.permissions();
    let permissions = (new_perms != prior.permissions()).then(|| permissions(new_perms));
    (description.is_some() || permissions.is_some()).then_some(UpdateTokenRequest {
        description,
        permissions,
    })
}

/// The attributes every view of a token has, with these timestamps.
fn common_attrs(
    token: &DatabaseToken,
    expires_at: Value,
    created_at: Value,
) -> BTreeMap<String, Value> {
    BTreeMap::from([
        (ID.to_owned(), Value::String(token.id.clone())),
        (
            DESCRIPTION.to_owned(),
            Value::String(token.description.clone()),
        ),
        (
            PERMISSIONS.to_owned(),
            permissions_value(&token.permissions),
        ),
        (EXPIRES_AT.to_owned(), expires_at),
        (CREATED_AT.to_owned(), created_at),
        (
            ACCOUNT_ID.to_owned(),
            Value::String(token.account_id.clone()),
        ),
        (
            CLUSTER_ID.to_owned(),
            Value::String(token.cluster_id.clone()),
        ),
    ])
}

/// The resource state of `token` as the API shows it. `known` (the prior or planned state)
/// supplies what the API never returns (`access_token`, `deletion_protection`) and the
/// spelling of timestamps that name the same instant.
pub(crate) fn state(token: &DatabaseToken, known: &Value) -> Value {
    let mut attrs = common_attrs(
        token,
        instant::keep_spelling(attr(known, EXPIRES_AT), token.expires_at),
        instant::keep_spelling(attr(known, CREATED_AT), Some(token.created_at)),
    );
    attrs.insert(
        ACCESS_TOKEN.to_owned(),
        attr(known, ACCESS_TOKEN).known_or_null(),
    );
    attrs.insert(
        protection::DELETION_PROTECTION.to_owned(),
        protection::kept(known),
    );
    attrs.insert(
        REVOKED_AT.to_owned(),
        instant::timestamp_value(token.revoked_at),
    );
    Value::Object(attrs)
}

/// The token a state describes, as the API would list it: what a refresh checks against the
/// digest the list left of it (see `api::TokenIndex`), so that a token listed exactly as the
/// state has it needs no entry of the list kept whole. `None` when the state lacks something
/// the API always has (an id, a creation time) or cannot be read back.
pub(crate) fn described(state: &Value, cluster: &Cluster) -> Option<DatabaseToken> {
    let token = TokenValue(state);
    let expires_at = match token.expires_at() {
        None => None,
        Some(text) => Some(instant::parse(text)?),
    };
    if !attr(state, REVOKED_AT).is_null() {
        return None;
    }
    Some(DatabaseToken {
        id: crate::api::canonical_id(token.id()?),
        account_id: cluster.account_id.clone(),
        cluster_id: cluster.cluster_id.clone(),
        description: token.description()?.to_owned(),
        permissions: permissions(token.permissions()),
        created_at: instant::parse(attr(state, CREATED_AT).as_str()?)?,
        expires_at,
        revoked_at: None,
    })
}

/// Starts the `id` of a placeholder: the state of a create whose outcome is still unknown,
/// which names the create's receipt instead of a token (docs/design.md#decision-8-create-is-not-idempotent).
/// The next refresh or destroy looks the receipt up and settles it.
const PLACEHOLDER_PREFIX: &str = "unsettled-create:";

/// The state of a create whose outcome is unknown: the planned values, an `id` naming the
/// receipt, and null for everything only the API could have told.
pub(crate) fn placeholder(planned: &Value, receipt: &str) -> Value {
    let mut state = planned.clone();
    if let Value::Object(attrs) = &mut state {
        for value in attrs.values_mut() {
            if value.is_unknown() {
                *value = Value::Null;
            }
        }
    }
    set_attr(&mut state, ID, Value::String(placeholder_id(receipt)));
    set_access_token(&mut state, None);
    state
}

/// The id a placeholder holds in place of a token's: it names the create's receipt.
pub(crate) fn placeholder_id(receipt: &str) -> String {
    format!("{PLACEHOLDER_PREFIX}{receipt}")
}

/// The receipt a placeholder id names, if `id` is one.
pub(crate) fn placeholder_id_receipt(id: &str) -> Option<Receipt> {
    id.strip_prefix(PLACEHOLDER_PREFIX).and_then(Receipt::parse)
}

/// The receipt a placeholder state names, if `state` is one.
pub(crate) fn placeholder_receipt(state: &Value) -> Option<Receipt> {
    placeholder_id_receipt(TokenValue(state).id()?)
}

/// Sets the description of a state (the configured text, where the API's still carries a
/// create's receipt).
pub(crate) fn set_description(state: &mut Value, description: &str) {
    set_attr(state, DESCRIPTION, Value::String(description.to_owned()));
}

/// Whether `created` still carries its create's receipt in its description (the PATCH that
/// sets the configured text back failed); if so, a warning says so, since the next apply
/// plans an update in place that nobody asked for.
pub(crate) fn receipt_left(
    created: &DatabaseToken,
    configured: &str,
    diags: &mut Diagnostics,
) -> bool {
    if receipt_in(&created.description).is_none() {
        return false;
    }
    diags.warning(
        "Database Token Description Not Yet Set",
        format!(
            "The database token {configured:?} (id {}) was created, but setting its \
             description back to the configured text failed; its description still ends \
             with the create's receipt. The next apply sets it (an update in place).",
            created.id
        ),
    );
    true
}

/// Plans `revoked_at` of a token about to be created: null, as a new token is live.
pub(crate) fn plan_not_revoked(planned: &mut Value) {
    set_attr(planned, REVOKED_AT, Value::Null);
}

/// Sets the access token of a state (the secret of a create, or null when it is lost).
pub(crate) fn set_access_token(state: &mut Value, secret: Option<&str>) {
    set_attr(
        state,
        ACCESS_TOKEN,
        secret.map_or(Value::Null, |s| Value::String(s.to_owned())),
    );
}

/// The attributes a listed token has in the data sources, with their types (no
/// `access_token`, which only a create returns).
pub(crate) fn listed_types() -> BTreeMap<String, Type> {
    let mut types = BTreeMap::from([(PERMISSIONS.to_owned(), permissions_type())]);
    for name in [
        ID,
        DESCRIPTION,
        EXPIRES_AT,
        CREATED_AT,
        REVOKED_AT,
        ACCOUNT_ID,
        CLUSTER_ID,
    ] {
        types.insert(name.to_owned(), Type::String);
    }
    types
}

/// The data-source attributes of `token`, keyed as [`listed_types`].
pub(crate) fn listed_attrs(token: &DatabaseToken) -> BTreeMap<String, Value> {
    let mut attrs = common_attrs(
        token,
        instant::timestamp_value(token.expires_at),
        instant::timestamp_value(Some(token.created_at)),
    );
    attrs.insert(
        REVOKED_AT.to_owned(),
        instant::timestamp_value(token.revoked_at),
    );
    attrs
}

/// When a token was revoked, as text for messages.
pub(crate) fn revoked_at_text(revoked_at: Option<OffsetDateTime>) -> String {
    revoked_at
        .and_then(instant::format)
        .unwrap_or_else(|| "an unknown time".to_owned())
}

/// Descriptions of the listed token attributes, in display order.
pub(crate) const LISTED_DOCS: &[(&str, &str)] = &[
    (ID, "The token's ID (UUID)."),
    (DESCRIPTION, "The token's description."),
    (
        PERMISSIONS,
        "What the token grants: a set of `{ action, resource }`, where `action` is `read` or \
         `write` and `resource` a database name or `*` (all databases).",
    ),
    (
        EXPIRES_AT,
        "When the token expires (RFC 3339, UTC); null when it never expires.",
    ),
    (CREATED_AT, "When the token was created (RFC 3339, UTC)."),
    (
        REVOKED_AT,
        "When the token was revoked (RFC 3339, UTC); null for an active token.",
    ),
    (ACCOUNT_ID, "The account the token belongs to."),
    (CLUSTER_ID, "The cluster the token belongs to."),
];

/// `include_revoked` of a `influxdb3_database_tokens` configuration (null is `false`).
pub(crate) fn include_revoked(config: &Value) -> bool {
    attr(config, INCLUDE_REVOKED).as_bool() == Some(true)
}

/// `description_prefix` of a `influxdb3_database_tokens` configuration (null is every token).
pub(crate) fn description_prefix(config: &Value) -> Option<String> {
    attr(config, DESCRIPTION_PREFIX).as_str().map(str::to_owned)
}

/// The state of `influxdb3_database_tokens`: the configuration's filters and the listed
/// tokens.
pub(crate) fn tokens_state(config: &Value, tokens: Vec<&DatabaseToken>) -> Value {
    let list = tokens
        .into_iter()
        .map(|t| Value::Object(listed_attrs(t)))
        .collect();
    Value::Object(BTreeMap::from([
        (
            INCLUDE_REVOKED.to_owned(),
            attr(config, INCLUDE_REVOKED).clone(),
        ),
        (
            DESCRIPTION_PREFIX.to_owned(),
            attr(config, DESCRIPTION_PREFIX).clone(),
        ),
        (TOKENS.to_owned(), Value::List(list)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Permission;

    fn token() -> DatabaseToken {
        DatabaseToken {
            id: "t".into(),
            account_id: "a".into(),
            cluster_id: "c".into(),
            description: "d".into(),
            permissions: vec![Permission::new("write", "db"), Permission::new("read", "*")],
            created_at: time::macros::datetime!(2024-01-01 00:00:00.5 UTC),
            expires_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn state_keeps_secret_protection_and_spelling_from_the_known_state() {
        let known = state(&token(), &Value::Null);
        let mut with_secret = match known.clone() {
            Value::Object(m) => m,
            _ => BTreeMap::new(),
        };
        with_secret.insert(ACCESS_TOKEN.into(), Value::String("s".into()));
        with_secret.insert(CREATED_AT.into(), "2024-01-01T01:00:00.500+01:00".into());
        with_secret.insert(protection::DELETION_PROTECTION.into(), Value::Bool(true));
        let known = Value::Object(with_secret);
        let mut reordered = token();
        reordered.permissions.reverse();
        let again = state(&reordered, &known);
        assert_eq!(again, known, "reordering and respelling change nothing");
    }

    #[test]
    fn update_sends_only_what_changed() {
        let prior = state(&token(), &Value::Null);
        assert_eq!(update_request(&prior, &prior), None);
        let mut t = token();
        t.description = "new".into();
        let req = update_request(&prior, &state(&t, &Value::Null));
        assert_eq!(
            req.as_ref().and_then(|r| r.description.as_deref()),
            Some("new")
        );
        assert_eq!(req.and_then(|r| r.permissions), None);
    }

    #[test]
    fn a_state_describes_the_token_it_was_built_from_and_its_refresh_is_the_same_state() {
        let cluster = Cluster::new("a", "c");
        let mut listed = token();
        listed.expires_at = Some(time::macros::datetime!(2030-01-01 00:00:00 UTC));
        let known = state(&listed, &Value::Null);
        let described = described(&known, &cluster).expect("a complete state describes a token");
        assert_eq!(described.permission_set(), listed.permission_set());
        let same_order = DatabaseToken {
            permissions: listed.permissions.clone(),
            ..described.clone()
        };
        assert_eq!(same_order, listed);
        // What a refresh builds from it is the state it came from: no change, no drift.
        assert_eq!(state(&described, &known), known);
        // A state without its creation time, or a revoked one, describes nothing to confirm.
        let mut partial = known.clone();
        set_attr(&mut partial, CREATED_AT, Value::Null);
        assert_eq!(super::described(&partial, &cluster), None);
        let mut revoked = listed.clone();
        revoked.revoked_at = Some(listed.created_at);
        assert_eq!(
            super::described(&state(&revoked, &Value::Null), &cluster),
            None
        );
    }
}
