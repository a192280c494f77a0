//! Stored state as Terraform hands it to UpgradeResourceState: JSON written by an earlier
//! schema version of ours, or by the incumbent provider (after `state replace-provider`).
//!
//! Before the strict decode, the top-level object is fitted to the current schema: attributes
//! the schema no longer has are dropped (a removed or renamed attribute must not break stored
//! state), and attributes it lacks get their default, or null. The default matters: an old
//! state without `deletion_protection` would otherwise plan `null -> false` forever.

use serde_json::{Map, Value as Json};

use crate::framework::Schema;
use crate::value::Value;

/// Fits `raw` state JSON to `schema`'s top-level attributes. Anything but an object is
/// returned unchanged for the strict decoder to judge.
pub(super) fn fit_to_schema(raw: &[u8], schema: &Schema) -> Result<Vec<u8>, String> {
    let parsed: Json = serde_json::from_slice(raw).map_err(|e| format!("not JSON: {e}"))?;
    let Json::Object(stored) = parsed else {
        return Ok(raw.to_vec());
    };
    let mut fitted = Map::new();
    for attr in &schema.attributes {
        let v = match stored.get(attr.name) {
            Some(v) if !v.is_null() => v.clone(),
            _ => attr.default.as_ref().map_or(Json::Null, to_json),
        };
        fitted.insert(attr.name.to_owned(), v);
    }
    serde_json::to_vec(&Json::Object(fitted)).map_err(|e| e.to_string())
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
    use crate::framework::Attribute;
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
            ],
        )
    }

    #[test]
    fn dropped_attributes_vanish_and_missing_ones_get_their_default() {
        let raw = br#"{"id":"x","revoked_at":"2026-01-01T00:00:00Z","gone":1}"#;
        let fitted = fit_to_schema(raw, &schema()).expect("fits");
        let json: Json = serde_json::from_slice(&fitted).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"id":"x","deletion_protection":false})
        );
        assert!(decodes(&fitted, &schema()));
        assert!(
            !decodes(raw, &schema()),
            "the strict decoder alone refuses it"
        );
    }
}
