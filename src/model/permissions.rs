//! A token's permission set: `set(object({ action = string, resource = string }))` in
//! Terraform, a list of [`Permission`]s in the API. The set compares without order, so the
//! API's ordering never shows as a change.

use std::collections::BTreeMap;

use crate::api::Permission;
use crate::framework::attr;
use crate::value::{Type, Value};

/// `read` or `write`.
pub(crate) const ACTION: &str = "action";
/// A database name, or `*` for every database.
pub(crate) const RESOURCE: &str = "resource";

/// The type of one permission: `{action, resource}`, both keys required by the type.
pub(crate) fn permission_type() -> Type {
    Type::Object(BTreeMap::from([
        (ACTION.to_owned(), Type::String),
        (RESOURCE.to_owned(), Type::String),
    ]))
}

/// The type of the whole set.
///
/// A plain attribute type rather than a nested attribute (`Nested(Set, …)`): Terraform 1.0's
/// plan renderer panics on nested-attribute sets ("must not call SetVal with empty slice",
/// "can't call HasElement on a nil value"). The configuration syntax and the JSON plan are the
/// same.
pub(crate) fn permissions_type() -> Type {
    Type::Set(Box::new(permission_type()))
}

/// The permissions as a set value.
pub(crate) fn permissions_value(permissions: &[Permission]) -> Value {
    Value::Set(
        permissions
            .iter()
            .map(|p| {
                Value::Object(BTreeMap::from([
                    (ACTION.to_owned(), Value::String(p.action.clone())),
                    (RESOURCE.to_owned(), Value::String(p.resource.clone())),
                ]))
            })
            .collect(),
    )
}

/// The known permissions of a set value (unknown or malformed elements are skipped).
pub(crate) fn permissions(value: &Value) -> Vec<Permission> {
    value
        .elements()
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Some(Permission::new(action(p)?, resource(p)?)))
        .collect()
}

/// The known action of one element.
pub(crate) fn action(element: &Value) -> Option<&str> {
    attr(element, ACTION).as_str()
}

/// The known resource of one element.
pub(crate) fn resource(element: &Value) -> Option<&str> {
    attr(element, RESOURCE).as_str()
}

/// Whether an element is null or has a null key (the type allows it; the API does not).
pub(crate) fn is_incomplete(element: &Value) -> bool {
    element.is_null() || attr(element, ACTION).is_null() || attr(element, RESOURCE).is_null()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permission_set_round_trips_and_skips_what_is_unknown() {
        let api = vec![Permission::new("read", "*"), Permission::new("write", "db")];
        let value = permissions_value(&api);
        assert_eq!(permissions(&value), api);
        let mut with_unknown = value.elements().unwrap_or_default().to_vec();
        with_unknown.push(Value::Unknown);
        assert_eq!(permissions(&Value::Set(with_unknown)), api);
    }
}
