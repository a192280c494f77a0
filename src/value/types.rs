//! Terraform's type system (cty types) and their JSON form.
//!
//! The JSON form appears in two places on the wire: as `Schema.Attribute.type` in schemas, and
//! as the first element of a `dynamic` value (`[type JSON, value]`), where it comes from the
//! peer and is therefore validated and depth-limited here.

use std::collections::BTreeMap;
use std::fmt;

use super::error::{DecodeError, DecodeErrorKind};

/// The deepest type constraint [`Type::from_json`] accepts. Real schemas nest a handful of
/// levels; the cap keeps hostile `dynamic` type descriptions from exhausting the stack.
pub const MAX_TYPE_DEPTH: usize = 64;

/// A Terraform type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `bool`
    Bool,
    /// `number`: arbitrary-precision decimal.
    Number,
    /// `string`
    String,
    /// `dynamic` (cty's `DynamicPseudoType`): any type; values in such a slot carry their
    /// concrete type with them (see `Value::Dynamic`).
    Dynamic,
    /// An ordered sequence of elements of one type.
    List(Box<Type>),
    /// An unordered collection of distinct elements of one type.
    Set(Box<Type>),
    /// String keys to elements of one type.
    Map(Box<Type>),
    /// A fixed set of named attributes, each with its own type.
    Object(BTreeMap<String, Type>),
    /// A fixed-length sequence, each position with its own type.
    Tuple(Vec<Type>),
}

impl Type {
    /// The JSON type constraint, as used in tfplugin6 `Schema.Attribute.type`: `"string"`,
    /// `["list","string"]`, `["object",{"a":"number"}]`, `["tuple",[...]]`, `"dynamic"`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::Bool => J::from("bool"),
            Type::Number => J::from("number"),
            Type::String => J::from("string"),
            Type::Dynamic => J::from("dynamic"),
            Type::List(elem) => J::Array(vec![J::from("list"), elem.to_json()]),
            Type::Set(elem) => J::Array(vec![J::from("set"), elem.to_json()]),
            Type::Map(elem) => J::Array(vec![J::from("map"), elem.to_json()]),
            Type::Object(attrs) => {
                let attrs = attrs
                    .iter()
                    .map(|(name, ty)| (name.clone(), ty.to_json()))
                    .collect();
                J::Array(vec![J::from("object"), J::Object(attrs)])
            }
            Type::Tuple(elems) => J::Array(vec![
                J::from("tuple"),
                J::Array(elems.iter().map(Type::to_json).collect()),
            ]),
        }
    }

    /// [`Type::to_json`] serialised compactly, ready for `Schema.Attribute.type` or the type
    /// half of a msgpack `dynamic` value.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_json(&mut out);
        out
    }

    /// Writes [`Type::to_json`]'s compact text straight into `out`. Every launch sends the
    /// type of each attribute of every schema; building a `serde_json::Value` tree for each
    /// and printing it was most of `GetProviderSchema`'s own work.
    fn write_json(&self, out: &mut Vec<u8>) {
        let wrap = |kind: &[u8], inner: &Type, out: &mut Vec<u8>| {
            out.extend_from_slice(b"[\"");
            out.extend_from_slice(kind);
            out.extend_from_slice(b"\",");
            inner.write_json(out);
            out.push(b']');
        };
        match self {
            Type::Bool => out.extend_from_slice(b"\"bool\""),
            Type::Number => out.extend_from_slice(b"\"number\""),
            Type::String => out.extend_from_slice(b"\"string\""),
            Type::Dynamic => out.extend_from_slice(b"\"dynamic\""),
            Type::List(elem) => wrap(b"list", elem, out),
            Type::Set(elem) => wrap(b"set", elem, out),
            Type::Map(elem) => wrap(b"map", elem, out),
            Type::Object(attrs) => {
                out.extend_from_slice(b"[\"object\",{");
                for (i, (name, ty)) in attrs.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    // serde_json's own escaping, so the text is the same as before.
                    out.extend_from_slice(
                        serde_json::Value::String(name.clone())
                            .to_string()
                            .as_bytes(),
                    );
                    out.push(b':');
                    ty.write_json(out);
                }
                out.extend_from_slice(b"}]");
            }
            Type::Tuple(elems) => {
                out.extend_from_slice(b"[\"tuple\",[");
                for (i, ty) in elems.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    ty.write_json(out);
                }
                out.extend_from_slice(b"]]");
            }
        }
    }

    /// Parses a JSON type constraint.
    ///
    /// Accepts everything [`Type::to_json`] produces, plus cty's object form with a third
    /// element listing optional attributes (`["object",{..},["a"]]`); optional-attribute
    /// markers only matter for type conversion in configuration, so they are checked and then
    /// dropped. Fails (with a root path) on anything else or nesting deeper than
    /// [`MAX_TYPE_DEPTH`].
    pub fn from_json(v: &serde_json::Value) -> Result<Type, DecodeError> {
        parse(v, 0).map_err(|msg| DecodeError::at_root(DecodeErrorKind::InvalidType(msg)))
    }

    /// A short name of this kind of type for messages: "string", "list", "object", ...
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Type::Bool => "bool",
            Type::Number => "number",
            Type::String => "string",
            Type::Dynamic => "dynamic",
            Type::List(_) => "list",
            Type::Set(_) => "set",
            Type::Map(_) => "map",
            Type::Object(_) => "object",
            Type::Tuple(_) => "tuple",
        }
    }
}

/// Displays the compact JSON type constraint, e.g. `["list","string"]`.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

fn parse(v: &serde_json::Value, depth: usize) -> Result<Type, String> {
    use serde_json::Value as J;
    if depth >= MAX_TYPE_DEPTH {
        return Err(format!("nests deeper than {MAX_TYPE_DEPTH} levels"));
    }
    match v {
        J::String(name) => match name.as_str() {
            "bool" => Ok(Type::Bool),
            "number" => Ok(Type::Number),
            "string" => Ok(Type::String),
            "dynamic" => Ok(Type::Dynamic),
            other => Err(format!("unknown primitive type {other:?}")),
        },
        J::Array(items) => {
            let Some((J::String(kind), rest)) = items.split_first() else {
                return Err("a complex type must be an array starting with its kind".into());
            };
            let next = depth.saturating_add(1);
            match (kind.as_str(), rest) {
                ("list", [elem]) => Ok(Type::List(Box::new(parse(elem, next)?))),
                ("set", [elem]) => Ok(Type::Set(Box::new(parse(elem, next)?))),
                ("map", [elem]) => Ok(Type::Map(Box::new(parse(elem, next)?))),
                ("object", [J::Object(attrs), optional @ ..]) if optional.len() <= 1 => {
                    let mut out = BTreeMap::new();
                    for (name, ty) in attrs {
                        out.insert(name.clone(), parse(ty, next)?);
                    }
                    if let Some(optional) = optional.first() {
                        check_optional_attrs(optional, &out)?;
                    }
                    Ok(Type::Object(out))
                }
                ("tuple", [J::Array(elems)]) => Ok(Type::Tuple(
                    elems
                        .iter()
                        .map(|e| parse(e, next))
                        .collect::<Result<_, _>>()?,
                )),
                (kind @ ("list" | "set" | "map" | "object" | "tuple"), _) => {
                    Err(format!("malformed {kind} type"))
                }
                (other, _) => Err(format!("unknown type kind {other:?}")),
            }
        }
        other => Err(format!("expected a string or an array, found {other}")),
    }
}

fn check_optional_attrs(
    optional: &serde_json::Value,
    attrs: &BTreeMap<String, Type>,
) -> Result<(), String> {
    let serde_json::Value::Array(names) = optional else {
        return Err("optional attributes must be an array of names".into());
    };
    for name in names {
        match name.as_str() {
            Some(name) if attrs.contains_key(name) => {}
            _ => return Err(format!("optional attribute {name} is not in the object")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::strategies::obj_ty as obj;
    use serde_json::json;

    #[test]
    fn primitive_types_are_json_strings() {
        assert_eq!(Type::String.to_json(), json!("string"));
        assert_eq!(Type::Number.to_json(), json!("number"));
        assert_eq!(Type::Bool.to_json(), json!("bool"));
        assert_eq!(Type::Dynamic.to_json(), json!("dynamic"));
    }

    #[test]
    fn complex_types_are_json_arrays() {
        let ty = obj(&[
            ("a", Type::Number),
            ("l", Type::List(Box::new(Type::String))),
            ("t", Type::Tuple(vec![Type::Bool, Type::Dynamic])),
            ("s", Type::Set(Box::new(Type::Map(Box::new(Type::String))))),
        ]);
        assert_eq!(
            ty.to_json(),
            json!(["object", {
                "a": "number",
                "l": ["list", "string"],
                "t": ["tuple", ["bool", "dynamic"]],
                "s": ["set", ["map", "string"]],
            }])
        );
        assert_eq!(Type::from_json(&ty.to_json()), Ok(ty));
    }

    #[test]
    fn json_bytes_are_compact() {
        assert_eq!(
            Type::List(Box::new(Type::String)).to_json_bytes(),
            br#"["list","string"]"#.to_vec()
        );
        assert_eq!(Type::String.to_json_bytes(), br#""string""#.to_vec());
    }

    #[test]
    fn json_bytes_are_the_json_value_printed() {
        let ty = Type::Object(BTreeMap::from([
            ("a \"quoted\"\n\\name".to_owned(), Type::Number),
            ("b".to_owned(), Type::List(Box::new(Type::Bool))),
            (
                "c".to_owned(),
                Type::Tuple(vec![Type::Dynamic, Type::Map(Box::new(Type::String))]),
            ),
            (
                "d".to_owned(),
                Type::Set(Box::new(Type::Object(BTreeMap::new()))),
            ),
            ("e".to_owned(), Type::Tuple(Vec::new())),
        ]));
        assert_eq!(ty.to_json_bytes(), ty.to_json().to_string().into_bytes());
    }

    #[test]
    fn optional_attribute_markers_are_accepted_and_dropped() {
        let v = json!(["object", {"a": "string", "b": "number"}, ["b"]]);
        assert_eq!(
            Type::from_json(&v),
            Ok(obj(&[("a", Type::String), ("b", Type::Number)]))
        );
        let bad = json!(["object", {"a": "string"}, ["zzz"]]);
        assert!(Type::from_json(&bad).is_err());
    }

    #[test]
    fn malformed_constraints_are_rejected() {
        for v in [
            json!("str"),
            json!(1),
            json!(null),
            json!([]),
            json!(["list"]),
            json!(["list", "string", "string"]),
            json!(["object", ["a"]]),
            json!(["tuple", "string"]),
            json!(["frob", "string"]),
            json!([["list"], "string"]),
        ] {
            let err = Type::from_json(&v).expect_err("must be rejected");
            assert!(matches!(err.kind, DecodeErrorKind::InvalidType(_)), "{v}");
        }
    }

    #[test]
    fn deeply_nested_constraints_are_rejected() {
        let mut v = json!("string");
        for _ in 0..MAX_TYPE_DEPTH {
            v = json!(["list", v]);
        }
        assert!(Type::from_json(&v).is_err());
        let mut v = json!("string");
        for _ in 0..MAX_TYPE_DEPTH - 1 {
            v = json!(["list", v]);
        }
        assert!(Type::from_json(&v).is_ok());
    }
}
