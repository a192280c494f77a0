//! Resource identity (protocol 6.9+, Terraform 1.12+): a small object of strings that names one
//! remote object for its whole life, stored beside its state, used by `import { identity = … }`
//! and by list resources (`terraform query`).
//!
//! Terraform core checks that a returned identity is known (except while planning a create or
//! a replacement) and conforms to the schema; it does not compare it with the prior identity,
//! but providers built on HashiCorp's framework reject a change, and users rely on it naming
//! the same object. So an identity here is derived only from state attributes that never change
//! for the object's life (its home account and cluster, and its id or name).

use std::collections::BTreeMap;

use crate::value::{Type, Value};

/// The current identity schema version. Bump it only together with a conversion in the
/// server's UpgradeResourceIdentity handler, which today accepts version 0 as it is.
pub const IDENTITY_VERSION: i64 = 0;

/// One identity attribute; every identity attribute here is a string required for import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentityAttribute {
    /// The attribute's name, the same as the state attribute it is read from.
    pub name: &'static str,
    /// What it holds, for docs and for `terraform providers schema -json`.
    pub description: &'static str,
}

/// The identity of a resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentitySchema {
    /// The identity schema version ([`IDENTITY_VERSION`]).
    pub version: i64,
    /// Its attributes, in the order docs show them.
    pub attributes: Vec<IdentityAttribute>,
}

impl IdentitySchema {
    /// A version-0 identity of these string attributes.
    pub fn new(attributes: Vec<IdentityAttribute>) -> Self {
        IdentitySchema {
            version: IDENTITY_VERSION,
            attributes,
        }
    }

    /// The object type of an identity value.
    pub fn value_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.to_owned(), Type::String))
                .collect(),
        )
    }

    /// The identity of the object whose state is `state`: `None` when the state is null or any
    /// identity attribute is not yet a known, non-empty string (a create being planned).
    pub fn from_state(&self, state: &Value) -> Option<Value> {
        let Value::Object(attrs) = state else {
            return None;
        };
        let mut identity = BTreeMap::new();
        for a in &self.attributes {
            match attrs.get(a.name) {
                Some(Value::String(s)) if !s.is_empty() => {
                    identity.insert(a.name.to_owned(), Value::String(s.clone()));
                }
                _ => return None,
            }
        }
        Some(Value::Object(identity))
    }

    /// The string attribute `name` of an identity value, when known and non-empty.
    pub fn get<'a>(identity: &'a Value, name: &str) -> Option<&'a str> {
        match identity {
            Value::Object(attrs) => match attrs.get(name) {
                Some(Value::String(s)) if !s.is_empty() => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// The identity attributes missing (null, unknown or empty) from `identity`, for an error
    /// that names them.
    pub fn missing(&self, identity: &Value) -> Vec<&'static str> {
        self.attributes
            .iter()
            .filter(|a| Self::get(identity, a.name).is_none())
            .map(|a| a.name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> IdentitySchema {
        IdentitySchema::new(vec![
            IdentityAttribute {
                name: "cluster_id",
                description: "c",
            },
            IdentityAttribute {
                name: "id",
                description: "i",
            },
        ])
    }

    fn state(id: Value) -> Value {
        Value::Object(
            [
                ("cluster_id".to_owned(), Value::String("c1".into())),
                ("id".to_owned(), id),
                ("description".to_owned(), Value::String("d".into())),
            ]
            .into(),
        )
    }

    #[test]
    fn identity_takes_only_its_attributes_from_state() {
        let id = schema()
            .from_state(&state(Value::String("t1".into())))
            .expect("identity");
        let Value::Object(attrs) = &id else {
            panic!("not an object")
        };
        assert_eq!(attrs.len(), 2);
        assert_eq!(IdentitySchema::get(&id, "id"), Some("t1"));
        assert!(schema().missing(&id).is_empty());
    }

    #[test]
    fn a_state_with_an_unknown_or_null_id_has_no_identity_yet() {
        assert_eq!(schema().from_state(&state(Value::Unknown)), None);
        assert_eq!(schema().from_state(&state(Value::Null)), None);
        assert_eq!(schema().from_state(&Value::Null), None);
        assert_eq!(schema().missing(&Value::Null), vec!["cluster_id", "id"]);
    }
}
