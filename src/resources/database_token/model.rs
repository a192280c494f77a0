//! Conversions between Terraform values of this resource and the API's token types.

use std::collections::BTreeMap;

use crate::api::{Cluster, CreateTokenRequest, DatabaseToken, Permission, UpdateTokenRequest};
pub use crate::data_sources::token_value::permissions_value;
use crate::framework::attr;
use crate::value::Value;

use super::instant;

/// A planned value the API cannot be sent (validation should have caught it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// `expires_at` is not RFC 3339.
    #[error("expires_at {0:?} is not an RFC 3339 timestamp")]
    InvalidExpiresAt(String),
}

/// The cluster a state value's token lives in (its `account_id` and `cluster_id`).
pub fn cluster_of(state: &Value) -> Option<Cluster> {
    let account = attr(state, "account_id").as_str()?;
    let cluster = attr(state, "cluster_id").as_str()?;
    Some(Cluster::new(account, cluster))
}

/// The known permissions of a set value (unknown or malformed elements are skipped).
pub fn permissions(value: &Value) -> Vec<Permission> {
    value
        .elements()
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            Some(Permission::new(
                attr(p, "action").as_str()?,
                attr(p, "resource").as_str()?,
            ))
        })
        .collect()
}

/// The create body of a planned state.
pub fn create_request(planned: &Value) -> Result<CreateTokenRequest, ModelError> {
    let expires_at = match attr(planned, "expires_at").as_str() {
        None => None,
        Some(text) => Some(
            instant::parse(text).ok_or_else(|| ModelError::InvalidExpiresAt(text.to_owned()))?,
        ),
    };
    Ok(CreateTokenRequest {
        description: attr(planned, "description")
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        permissions: permissions(attr(planned, "permissions")),
        expires_at,
    })
}

/// The PATCH body for what differs between `prior` and `planned`; `None` when the API has
/// nothing to change (e.g. only `deletion_protection` changed).
pub fn update_request(prior: &Value, planned: &Value) -> Option<UpdateTokenRequest> {
    let description = attr(planned, "description")
        .as_str()
        .filter(|new| attr(prior, "description").as_str() != Some(new))
        .map(str::to_owned);
    let new_perms = attr(planned, "permissions");
    let permissions = (new_perms != attr(prior, "permissions")).then(|| permissions(new_perms));
    (description.is_some() || permissions.is_some()).then_some(UpdateTokenRequest {
        description,
        permissions,
    })
}

/// The state of `token` as the API shows it. `known` (the prior or planned state) supplies
/// what the API never returns (`access_token`, `deletion_protection`) and the spelling of
/// timestamps that name the same instant.
pub fn state(token: &DatabaseToken, known: &Value) -> Value {
    Value::Object(BTreeMap::from([
        ("id".to_owned(), Value::String(token.id.clone())),
        (
            "description".to_owned(),
            Value::String(token.description.clone()),
        ),
        (
            "permissions".to_owned(),
            permissions_value(&token.permissions),
        ),
        (
            "expires_at".to_owned(),
            instant::keep_spelling(attr(known, "expires_at"), token.expires_at),
        ),
        (
            "access_token".to_owned(),
            known_or_null(attr(known, "access_token")),
        ),
        (
            "created_at".to_owned(),
            instant::keep_spelling(attr(known, "created_at"), Some(token.created_at)),
        ),
        (
            "account_id".to_owned(),
            Value::String(token.account_id.clone()),
        ),
        (
            "cluster_id".to_owned(),
            Value::String(token.cluster_id.clone()),
        ),
        (
            "deletion_protection".to_owned(),
            match attr(known, "deletion_protection") {
                Value::Bool(b) => Value::Bool(*b),
                _ => Value::Bool(false),
            },
        ),
    ]))
}

/// A token's name for messages: its description and id.
pub fn display_name(state: &Value) -> String {
    format!(
        "{:?} (id {})",
        attr(state, "description").as_str().unwrap_or("?"),
        attr(state, "id").as_str().unwrap_or("unknown")
    )
}

fn known_or_null(v: &Value) -> Value {
    if v.is_unknown() {
        Value::Null
    } else {
        v.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        with_secret.insert("access_token".into(), Value::String("s".into()));
        with_secret.insert("created_at".into(), "2024-01-01T01:00:00.500+01:00".into());
        with_secret.insert("deletion_protection".into(), Value::Bool(true));
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
}
