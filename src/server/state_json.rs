//! Stored state as Terraform hands it to UpgradeResourceState and MoveResourceState: JSON
//! written by an earlier schema version of ours, or by the incumbent provider (after `state
//! replace-provider` or across a `moved` block).
//!
//! The resource's upgrade steps run first, from the stored version up to the current one
//! ([`crate::framework::upgrade`]). Then the object is fitted to the current schema, nested
//! objects included: attributes the schema does not have are dropped (a removed attribute must
//! not break stored state), with a warning naming each one that held a value, never the value
//! itself; top-level attributes it lacks get their default, or null. The default matters: an
//! old state without `deletion_protection` would otherwise plan `null -> false` forever.

use serde_json::{Map, Value as Json};

use crate::framework::upgrade::{StateObject, UpgradeStep, apply_steps};
use crate::framework::{Diagnostics, Schema};
use crate::value::{Type, Value};

/// Where stored state comes from and how far it must go.
pub(super) struct Upgrade<'a> {
    /// The type the state is for (named in warnings).
    pub(super) type_name: &'a str,
    /// The schema version the state was written with.
    pub(super) from: i64,
    /// The type's upgrade chain.
    pub(super) steps: &'a [UpgradeStep],
    /// The current schema.
    pub(super) schema: &'a Schema,
}

impl Upgrade<'_> {
    /// `raw` brought to the current schema's shape. Anything that is not a JSON object is
    /// returned unchanged for the strict decoder to judge.
    pub(super) fn run(&self, raw: &[u8], diags: &mut Diagnostics) -> Vec<u8> {
        let Ok(Json::Object(mut stored)) = serde_json::from_slice::<Json>(raw) else {
            return raw.to_vec();
        };
        apply_steps(self.steps, self.from, &mut stored, diags);
        let mut dropped = Vec::new();
        let fitted = fit_to_schema(&stored, self.schema, &mut dropped);
        if !dropped.is_empty() {
            diags.warning(
                "Stored Attributes Dropped",
                format!(
                    "The stored state of this {} held {} this provider does not have: {}. \
                     Dropped from the state (values are not shown here). If one mattered, copy \
                     it from a backup of the state file before the next apply writes the state \
                     again.",
                    self.type_name,
                    if dropped.len() == 1 {
                        "an attribute"
                    } else {
                        "attributes"
                    },
                    dropped.join(", ")
                ),
            );
        }
        serde_json::to_vec(&Json::Object(fitted)).unwrap_or_else(|_| raw.to_vec())
    }
}

/// `stored` fitted to `schema`'s attributes; the paths of dropped values are added to
/// `dropped`.
fn fit_to_schema(stored: &StateObject, schema: &Schema, dropped: &mut Vec<String>) -> StateObject {
    note_dropped(stored, |k| schema.attribute(k).is_some(), "", dropped);
    let mut fitted = Map::new();
    for attr in &schema.attributes {
        let v = match stored.get(attr.name) {
            Some(v) if !v.is_null() => fit_value(v, &attr.value_type(), attr.name, dropped),
            _ => attr.default.as_ref().map_or(Json::Null, to_json),
        };
        fitted.insert(attr.name.to_owned(), v);
    }
    fitted
}

/// `v` with the members of its objects, at any depth, limited to those `ty` has.
fn fit_value(v: &Json, ty: &Type, at: &str, dropped: &mut Vec<String>) -> Json {
    match (ty, v) {
        (Type::Object(attrs), Json::Object(members)) => {
            note_dropped(members, |k| attrs.contains_key(k), at, dropped);
            Json::Object(
                attrs
                    .iter()
                    .filter_map(|(name, t)| {
                        let member = members.get(name)?;
                        Some((
                            name.clone(),
                            fit_value(member, t, &format!("{at}.{name}"), dropped),
                        ))
                    })
                    .collect(),
            )
        }
        (Type::List(elem) | Type::Set(elem), Json::Array(items)) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| fit_value(item, elem, &format!("{at}[{i}]"), dropped))
                .collect(),
        ),
        (Type::Map(elem), Json::Object(members)) => Json::Object(
            members
                .iter()
                .map(|(k, item)| {
                    (
                        k.clone(),
                        fit_value(item, elem, &format!("{at}[{k:?}]"), dropped),
                    )
                })
                .collect(),
        ),
        _ => v.clone(),
    }
}

/// Adds the paths of `members` that `keep` refuses and that hold something (not null, not an
/// empty string, list or object) to `dropped`.
fn note_dropped(
    members: &StateObject,
    keep: impl Fn(&str) -> bool,
    at: &str,
    dropped: &mut Vec<String>,
) {
    for (name, v) in members {
        if !keep(name) && holds_something(v) {
            dropped.push(if at.is_empty() {
                name.clone()
            } else {
                format!("{at}.{name}")
            });
        }
    }
}

fn holds_something(v: &Json) -> bool {
    match v {
        Json::Null => false,
        Json::String(s) => !s.is_empty(),
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => !o.is_empty(),
        Json::Bool(_) | Json::Number(_) => true,
    }
}

/// The JSON of a schema default (only primitives and empty collections are used as defaults).
fn to_json(v: &Value) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::String(s) => Json::String(s.clone()),
        Value::List(_) | Value::Set(_) => Json::Array(Vec::new()),
        Value::Number(n) => serde_json::from_str(&n.to_string()).unwrap_or(Json::Null),
        _ => Json::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Attribute, AttributeKind, Nesting};
    use crate::value::{self, Type};

    fn decodes(raw: &[u8], schema: &Schema) -> bool {
        value::decode_json(raw, &schema.value_type()).is_ok()
    }

    fn schema() -> Schema {
        Schema::new(
            "t",
            vec![
                Attribute::computed("id", Type::String),
                Attribute::optional("deletion_protection", Type::Bool)
                    .default_value(Value::Bool(false)),
                Attribute::optional(
                    "parts",
                    AttributeKind::Nested(
                        Nesting::List,
                        vec![Attribute::required("type", Type::String)],
                    ),
                ),
            ],
        )
    }

    fn run(raw: &[u8]) -> (Json, Diagnostics) {
        let schema = schema();
        let mut diags = Diagnostics::new();
        let fitted = Upgrade {
            type_name: "t",
            from: 0,
            steps: &[],
            schema: &schema,
        }
        .run(raw, &mut diags);
        assert!(decodes(&fitted, &schema), "the fitted state decodes");
        (serde_json::from_slice(&fitted).expect("json"), diags)
    }

    #[test]
    fn dropped_attributes_vanish_and_missing_ones_get_their_default() {
        let raw = br#"{"id":"x","gone":null,"empty":"","parts":[{"type":"tag","extra":[]}]}"#;
        let (json, diags) = run(raw);
        assert_eq!(
            json,
            serde_json::json!({"id":"x","deletion_protection":false,"parts":[{"type":"tag"}]})
        );
        assert!(diags.is_empty(), "nothing of value dropped: {diags:?}");
        assert!(
            !decodes(raw, &schema()),
            "the strict decoder alone refuses it"
        );
    }

    #[test]
    fn a_dropped_value_is_named_without_its_value() {
        let raw = br#"{"id":"x","secret":"apiv1_do-not-print","parts":[{"type":"tag","n":3}]}"#;
        let (json, diags) = run(raw);
        assert!(json.get("secret").is_none());
        let text = format!("{diags:?}");
        assert!(
            text.contains("secret") && text.contains("parts[0].n"),
            "{text}"
        );
        assert!(!text.contains("apiv1_do-not-print"), "{text}");
        assert!(
            !diags.has_errors() && !diags.is_empty(),
            "a warning: {text}"
        );
    }

    #[test]
    fn anything_but_an_object_is_left_to_the_decoder() {
        let schema = schema();
        let mut diags = Diagnostics::new();
        let upgrade = Upgrade {
            type_name: "t",
            from: 0,
            steps: &[],
            schema: &schema,
        };
        assert_eq!(upgrade.run(b"[1]", &mut diags), b"[1]");
        assert_eq!(upgrade.run(b"{not json", &mut diags), b"{not json");
    }
}
