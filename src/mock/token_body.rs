//! Validation of token create and update bodies (tests/data/openapi/cloud-dedicated-management.yml).

use serde_json::Value;
use time::OffsetDateTime;

use super::body::{self, Object};
use super::error::ApiError;
use super::model::{Action, Permission};
use super::timefmt;

/// A valid create request. Unknown fields (e.g. the docs-only `expirationType`) are ignored.
#[derive(Debug)]
pub(crate) struct NewToken {
    pub(crate) description: String,
    /// Absent in the request means none (`[]`).
    pub(crate) permissions: Vec<Permission>,
    /// In UTC; absent means the token never expires. A past instant is accepted (the
    /// reference leaves it UNKNOWN).
    pub(crate) expires_at: Option<OffsetDateTime>,
}

/// A valid update request: at least one of the two fields.
#[derive(Debug)]
pub(crate) struct TokenPatch {
    pub(crate) description: Option<String>,
    /// Replaces the whole list when present.
    pub(crate) permissions: Option<Vec<Permission>>,
}

pub(crate) fn new_token(obj: &Object) -> Result<NewToken, ApiError> {
    let description =
        description(obj)?.ok_or_else(|| ApiError::bad_request("`description` is required"))?;
    let permissions = permissions(obj)?.unwrap_or_default();
    let expires_at = match body::opt_str(obj, "expiresAt")? {
        None => None,
        Some(text) => Some(timefmt::parse_rfc3339(text).ok_or_else(|| {
            ApiError::bad_request(format!("`expiresAt` `{text}` is not an RFC 3339 date-time"))
        })?),
    };
    Ok(NewToken {
        description,
        permissions,
        expires_at,
    })
}

pub(crate) fn token_patch(obj: &Object) -> Result<TokenPatch, ApiError> {
    if obj.contains_key("expiresAt") {
        return Err(ApiError::bad_request(
            "`expiresAt` cannot be changed after creation",
        ));
    }
    let patch = TokenPatch {
        description: description(obj)?,
        permissions: permissions(obj)?,
    };
    if patch.description.is_none() && patch.permissions.is_none() {
        return Err(ApiError::bad_request(
            "the body must set `description` and/or `permissions`",
        ));
    }
    Ok(patch)
}

fn description(obj: &Object) -> Result<Option<String>, ApiError> {
    match body::opt_str(obj, "description")? {
        Some("") => Err(ApiError::bad_request("`description` must not be empty")),
        other => Ok(other.map(str::to_owned)),
    }
}

fn permissions(obj: &Object) -> Result<Option<Vec<Permission>>, ApiError> {
    body::opt_array(obj, "permissions")?
        .map(|items| items.iter().enumerate().map(permission).collect())
        .transpose()
}

fn permission((index, item): (usize, &Value)) -> Result<Permission, ApiError> {
    let field = |name: &str| format!("`permissions[{index}].{name}`");
    let obj = item.as_object().ok_or_else(|| {
        ApiError::bad_request(format!("`permissions[{index}]` must be an object"))
    })?;
    let action = obj
        .get("action")
        .and_then(Value::as_str)
        .and_then(Action::parse)
        .ok_or_else(|| {
            ApiError::bad_request(format!("{} must be \"read\" or \"write\"", field("action")))
        })?;
    let resource = obj
        .get("resource")
        .and_then(Value::as_str)
        .filter(|r| *r == "*" || (1..=64).contains(&body::char_len(r)))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "{} must be \"*\" or a database name of 1 to 64 characters",
                field("resource")
            ))
        })?;
    Ok(Permission {
        action,
        resource: resource.to_owned(),
    })
}
