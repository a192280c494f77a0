//! The JSON form of tfplugin6 `DynamicValue`, and `UpgradeResourceState`'s `raw_state.json`.
//!
//! Terraform mostly sends msgpack, but may send JSON, and stored state always reaches
//! `UpgradeResourceState` as JSON written with the schema version it was stored under. The
//! mapping follows cty's JSON form: null is `null`, lists/sets/tuples are arrays, maps and
//! objects are objects, a `dynamic` slot holds `{"type": <type JSON>, "value": <value>}`.
//! JSON cannot express unknowns, so nothing decoded here is ever `Value::Unknown`.
//!
//! Numbers must keep their exact decimal value, which `serde_json` only does with a crate-wide
//! feature that changes other crates' behaviour; so this module reads JSON itself: a small
//! strict (RFC 8259) parser into a tree that keeps number text, then a typed walk.

use std::collections::BTreeMap;

use super::error::{DecodeError, DecodeErrorKind, ShapeError};
use super::msgpack::MAX_DEPTH;
use super::number::Number;
use super::path::PathStack;
use super::types::Type;
use super::value::Value;

/// Decodes a JSON `DynamicValue` (or raw state) of type `ty`.
///
/// Like cty, it converts where a stored value of an older schema may be written differently:
/// a `string` accepts JSON numbers and bools (as their text), a `number` accepts a string
/// holding a decimal, a `bool` accepts `"true"`, `"false"`, `"1"`, `"0"`. Object attributes
/// missing from the JSON decode as `Null` (state written by an older schema lacks new
/// attributes); attributes the type does not declare are an error naming them. Also fails on
/// malformed JSON, invalid UTF-8, duplicate keys, nesting beyond [`MAX_DEPTH`] and trailing
/// content.
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| DecodeError::at_root(DecodeErrorKind::InvalidUtf8))?;
    let mut parser = Parser { text, pos: 0 };
    parser.skip_whitespace();
    let tree = parser.value(0)?;
    parser.skip_whitespace();
    let extra = text.len().saturating_sub(parser.pos);
    if extra > 0 {
        return Err(DecodeError::at_root(DecodeErrorKind::TrailingBytes(extra)));
    }
    Walker {
        path: PathStack::default(),
    }
    .value(&tree, ty)
}

/// Parsed JSON, with numbers kept as their text.
#[derive(Debug)]
enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in document order; duplicates are kept so the typed walk can report them
    /// with a path.
    Object(Vec<(String, Json)>),
}

impl Json {
    fn name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn syntax(&self, what: &str) -> DecodeError {
        if self.pos >= self.text.len() {
            return DecodeError::at_root(DecodeErrorKind::Truncated);
        }
        DecodeError::at_root(DecodeErrorKind::Syntax(format!(
            "invalid JSON at byte {}: {what}",
            self.pos
        )))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), DecodeError> {
        if self.peek() == Some(byte) {
            self.bump();
            Ok(())
        } else {
            Err(self.syntax(what))
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(DecodeError::at_root(DecodeErrorKind::TooDeep(MAX_DEPTH)));
        }
        match self.peek() {
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            _ => Err(self.syntax("expected a value")),
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, DecodeError> {
        let end = self.pos.saturating_add(word.len());
        if self.text.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(value)
        } else {
            Err(self.syntax("expected a value"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump();
        }
        self.pos.saturating_sub(start)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as text.
    fn number(&mut self) -> Result<String, DecodeError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.syntax("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if self.digits() == 0 {
                return Err(self.syntax("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if self.digits() == 0 {
                return Err(self.syntax("expected a digit in the exponent"));
            }
        }
        self.text
            .get(start..self.pos)
            .map(str::to_owned)
            .ok_or_else(|| self.syntax("malformed number"))
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        self.expect(b'"', "expected a string")?;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump();
            }
            // Stops only at ASCII bytes, so both ends are character boundaries.
            out.push_str(self.text.get(start..self.pos).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    out.push(self.escape()?);
                }
                _ => return Err(self.syntax("unescaped control character in string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, DecodeError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.bump();
                return self.unicode_escape();
            }
            _ => return Err(self.syntax("invalid escape")),
        };
        self.bump();
        Ok(c)
    }

    /// The part of `\uXXXX` after the `u`, joining a UTF-16 surrogate pair when it spans two
    /// escapes. Lone surrogates are rejected: they cannot be a Rust (or cty) string.
    fn unicode_escape(&mut self) -> Result<char, DecodeError> {
        let first = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&first) {
            let low_start = self.pos;
            if self.text.get(low_start..low_start.saturating_add(2)) != Some("\\u") {
                return Err(self.syntax("unpaired surrogate in \\u escape"));
            }
            self.pos = low_start.saturating_add(2);
            let second = self.hex4()?;
            if !(0xdc00..0xe000).contains(&second) {
                return Err(self.syntax("unpaired surrogate in \\u escape"));
            }
            0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.syntax("unpaired surrogate in \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let end = self.pos.saturating_add(4);
        let digits = self
            .text
            .get(self.pos..end)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.syntax("expected four hex digits"))?;
        let code =
            u32::from_str_radix(digits, 16).map_err(|_| self.syntax("expected four hex digits"))?;
        self.pos = end;
        Ok(code)
    }

    fn array(&mut self, depth: usize) -> Result<Json, DecodeError> {
        self.expect(b'[', "expected an array")?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth.saturating_add(1))?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.syntax("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, DecodeError> {
        self.expect(b'{', "expected an object")?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':', "expected ':'")?;
            self.skip_whitespace();
            members.push((key, self.value(depth.saturating_add(1))?));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.syntax("expected ',' or '}'")),
            }
        }
    }
}

/// Walks a parsed tree against a type. Recursion follows the tree, whose depth the parser
/// already bounded.
struct Walker<'a> {
    path: PathStack<'a>,
}

impl<'a> Walker<'a> {
    fn err(&self, kind: impl Into<DecodeErrorKind>) -> DecodeError {
        DecodeError::new(self.path.to_path(), kind.into())
    }

    fn mismatch(&self, expected: &str, found: &Json) -> DecodeError {
        self.err(ShapeError::Kind {
            expected: expected.to_owned(),
            found: found.name().to_owned(),
        })
    }

    fn value(&mut self, json: &'a Json, ty: &Type) -> Result<Value, DecodeError> {
        match (ty, json) {
            (_, Json::Null) => Ok(Value::Null),
            (Type::Dynamic, json) => self.dynamic(json),
            (Type::Bool, Json::Bool(b)) => Ok(Value::Bool(*b)),
            (Type::Bool, Json::String(s)) => match s.as_str() {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                _ => Err(self.mismatch("bool", json)),
            },
            (Type::Number, Json::Number(text) | Json::String(text)) => Number::parse(text)
                .map(Value::Number)
                .map_err(|e| self.err(e.kind)),
            (Type::String, Json::String(s) | Json::Number(s)) => Ok(Value::String(s.clone())),
            (Type::String, Json::Bool(b)) => Ok(Value::String(b.to_string())),
            (Type::List(elem), Json::Array(items)) => {
                self.elements(items, |_| elem).map(Value::List)
            }
            (Type::Set(elem), Json::Array(items)) => self.elements(items, |_| elem).map(Value::Set),
            (Type::Tuple(elems), Json::Array(items)) => {
                if items.len() != elems.len() {
                    return Err(self.err(ShapeError::TupleLength {
                        expected: elems.len(),
                        found: items.len(),
                    }));
                }
                self.elements(items, |i| elems.get(i).unwrap_or(&Type::Dynamic))
                    .map(Value::Tuple)
            }
            (Type::Map(elem), Json::Object(members)) => {
                let mut out = BTreeMap::new();
                for (key, item) in members {
                    if out.contains_key(key) {
                        return Err(self.err(DecodeErrorKind::DuplicateKey(key.clone())));
                    }
                    self.path.push_key(key);
                    let value = self.value(item, elem)?;
                    self.path.pop();
                    out.insert(key.clone(), value);
                }
                Ok(Value::Map(out))
            }
            (Type::Object(attrs), Json::Object(members)) => {
                let mut out = BTreeMap::new();
                for (key, item) in members {
                    let Some(attr_ty) = attrs.get(key) else {
                        return Err(self.err(ShapeError::UnknownAttribute(key.clone())));
                    };
                    if out.contains_key(key) {
                        return Err(self.err(DecodeErrorKind::DuplicateKey(key.clone())));
                    }
                    self.path.push_attr(key);
                    let value = self.value(item, attr_ty)?;
                    self.path.pop();
                    out.insert(key.clone(), value);
                }
                for name in attrs.keys() {
                    if !out.contains_key(name) {
                        out.insert(name.clone(), Value::Null);
                    }
                }
                Ok(Value::Object(out))
            }
            (ty, json) => Err(self.mismatch(ty.kind_name(), json)),
        }
    }

    fn elements<'t>(
        &mut self,
        items: &'a [Json],
        ty_at: impl Fn(usize) -> &'t Type,
    ) -> Result<Vec<Value>, DecodeError> {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            self.path.push_index(i);
            out.push(self.value(item, ty_at(i))?);
            self.path.pop();
        }
        Ok(out)
    }

    /// `{"type": <type JSON>, "value": <value>}`, members in either order.
    fn dynamic(&mut self, json: &'a Json) -> Result<Value, DecodeError> {
        let Json::Object(members) = json else {
            return Err(self.mismatch(r#"{"type", "value"} object of a dynamic value"#, json));
        };
        let mut type_json = None;
        let mut value_json = None;
        for (key, member) in members {
            let slot = match key.as_str() {
                "type" => &mut type_json,
                "value" => &mut value_json,
                other => {
                    return Err(self.err(DecodeErrorKind::InvalidDynamic(format!(
                        "unexpected member {other:?}"
                    ))));
                }
            };
            if slot.replace(member).is_some() {
                return Err(self.err(DecodeErrorKind::DuplicateKey(key.clone())));
            }
        }
        let (Some(type_json), Some(value_json)) = (type_json, value_json) else {
            return Err(self.err(DecodeErrorKind::InvalidDynamic(
                "needs both \"type\" and \"value\"".to_owned(),
            )));
        };
        let type_json = to_serde(type_json).ok_or_else(|| {
            self.err(DecodeErrorKind::InvalidType(
                "a type constraint holds no numbers".to_owned(),
            ))
        })?;
        let ty = Type::from_json(&type_json).map_err(|e| self.err(e.kind))?;
        let value = self.value(value_json, &ty)?;
        Ok(Value::Dynamic {
            ty,
            value: Box::new(value),
        })
    }
}

/// Converts a tree without numbers (a type constraint) to a `serde_json::Value`.
fn to_serde(json: &Json) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match json {
        Json::Null => J::Null,
        Json::Bool(b) => J::Bool(*b),
        Json::Number(_) => return None,
        Json::String(s) => J::String(s.clone()),
        Json::Array(items) => J::Array(items.iter().map(to_serde).collect::<Option<_>>()?),
        Json::Object(members) => J::Object(
            members
                .iter()
                .map(|(k, v)| Some((k.clone(), to_serde(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::AttributePath;
    use crate::value::strategies::{arb_type, arb_typed_value, list, num, obj, obj_ty};
    use proptest::prelude::*;

    fn set(elem: Type) -> Type {
        Type::Set(Box::new(elem))
    }

    #[test]
    fn numbers_keep_arbitrary_precision() {
        let ty = obj_ty(&[
            ("big", Type::Number),
            ("huge", Type::Number),
            ("tiny", Type::Number),
        ]);
        let v = decode_json(
            br#"{"big": 12345678901234567890123, "huge": 1e400, "tiny": -1.000000000000000000000000001}"#,
            &ty,
        )
        .expect("decodes");
        assert_eq!(v.get_attr("big"), Some(&num("12345678901234567890123")));
        assert_eq!(v.get_attr("huge"), Some(&num("1e400")));
        assert_eq!(
            v.get_attr("tiny"),
            Some(&num("-1.000000000000000000000000001"))
        );
        assert_eq!(
            v.get_attr("big")
                .and_then(Value::as_number)
                .map(ToString::to_string),
            Some("12345678901234567890123".to_owned())
        );
    }

    #[test]
    fn missing_attributes_decode_as_null() {
        let ty = obj_ty(&[("id", Type::String), ("added_later", Type::Bool)]);
        let v = decode_json(br#"{"id":"abc"}"#, &ty).expect("decodes");
        assert_eq!(
            v,
            obj(&[("id", "abc".into()), ("added_later", Value::Null)])
        );
    }

    #[test]
    fn unknown_attributes_are_an_error_with_their_path() {
        let ty = obj_ty(&[(
            "permissions",
            list(obj_ty(&[
                ("action", Type::String),
                ("resource", Type::String),
            ])),
        )]);
        let err = decode_json(
            br#"{"permissions":[{"action":"read"},{"action":"write","bogus":1}]}"#,
            &ty,
        )
        .expect_err("bogus is not in the schema");
        assert_eq!(err.path, AttributePath::attr("permissions").push_index(1));
        assert_eq!(
            err.kind,
            DecodeErrorKind::Shape(ShapeError::UnknownAttribute("bogus".to_owned()))
        );
        assert_eq!(
            err.to_string(),
            "at .permissions[1]: unsupported attribute \"bogus\""
        );
    }

    #[test]
    fn type_mismatches_name_the_path() {
        let ty = obj_ty(&[("permissions", list(obj_ty(&[("action", Type::String)])))]);
        let err = decode_json(
            br#"{"permissions":[{"action":"a"},{"action":"b"},{"action":[]}]}"#,
            &ty,
        )
        .expect_err("array is not a string");
        assert_eq!(
            err.to_string(),
            "at .permissions[2].action: expected string, found array"
        );
    }

    #[test]
    fn nested_objects_and_sets_decode() {
        let perm = obj_ty(&[("action", Type::String), ("resource", Type::String)]);
        let ty = obj_ty(&[
            ("id", Type::String),
            ("permissions", set(perm)),
            ("tags", Type::Map(Box::new(Type::String))),
            ("pair", Type::Tuple(vec![Type::Bool, Type::Number])),
        ]);
        let v = decode_json(
            br#" {
                "id": "t1",
                "permissions": [
                    {"action": "write", "resource": "db1"},
                    {"action": "read", "resource": "db1"}
                ],
                "tags": {"env": "prod", "a\"b": "\u00e9\ud83d\ude00"},
                "pair": [true, 2.5]
            } "#,
            &ty,
        )
        .expect("decodes");
        let perm = |a: &str| obj(&[("action", a.into()), ("resource", "db1".into())]);
        let expected = obj(&[
            ("id", "t1".into()),
            ("permissions", Value::Set(vec![perm("read"), perm("write")])),
            (
                "tags",
                Value::Map(BTreeMap::from([
                    ("env".to_owned(), "prod".into()),
                    ("a\"b".to_owned(), "é😀".into()),
                ])),
            ),
            ("pair", Value::Tuple(vec![true.into(), num("2.5")])),
        ]);
        assert_eq!(v, expected);
    }

    #[test]
    fn primitives_convert_like_cty() {
        assert_eq!(decode_json(b"42", &Type::String), Ok("42".into()));
        assert_eq!(decode_json(b"1e400", &Type::String), Ok("1e400".into()));
        assert_eq!(decode_json(b"true", &Type::String), Ok("true".into()));
        assert_eq!(decode_json(br#""12.50""#, &Type::Number), Ok(num("12.5")));
        assert_eq!(decode_json(br#""1""#, &Type::Bool), Ok(true.into()));
        assert_eq!(decode_json(br#""false""#, &Type::Bool), Ok(false.into()));
        assert!(decode_json(br#""yes""#, &Type::Bool).is_err());
        assert!(decode_json(br#""ten""#, &Type::Number).is_err());
        assert!(decode_json(b"1", &Type::Bool).is_err());
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let v = decode_json(
            br#"{"value": ["a", "b"], "type": ["list", "string"]}"#,
            &Type::Dynamic,
        );
        assert_eq!(
            v,
            Ok(Value::Dynamic {
                ty: list(Type::String),
                value: Box::new(Value::List(vec!["a".into(), "b".into()])),
            })
        );
        assert_eq!(decode_json(b"null", &Type::Dynamic), Ok(Value::Null));
        for bad in [
            &br#"{"type": "string"}"#[..],
            br#"{"type": "string", "value": "a", "x": 1}"#,
            br#"{"type": "string", "type": "string", "value": "a"}"#,
            br#"{"type": ["list", 1], "value": []}"#,
            br#"{"type": "strung", "value": "a"}"#,
            br#""a""#,
        ] {
            assert!(
                decode_json(bad, &Type::Dynamic).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn malformed_json_is_rejected() {
        let ty = obj_ty(&[("a", Type::String)]);
        for bad in [
            &b""[..],
            b"{",
            b"{\"a\":\"x\"",
            b"{\"a\":\"x\",}",
            b"{\"a\" \"x\"}",
            b"{'a':'x'}",
            b"{\"a\":\"x\"} {}",
            b"{\"a\":\"\x01\"}",
            b"{\"a\":\"\\x\"}",
            b"{\"a\":\"\\ud800\"}",
            b"{\"a\":\"\\udc00x\"}",
            b"{\"a\":\"\xff\"}",
            b"{\"a\":\"x\",\"a\":\"y\"}",
            b"nul",
            b"[1,]",
        ] {
            assert!(
                decode_json(bad, &ty).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        for bad in [
            &b"01"[..],
            b"1.",
            b".5",
            b"-",
            b"1e",
            b"+1",
            b"1.5e+",
            b"NaN",
            b"Infinity",
        ] {
            assert!(
                decode_json(bad, &Type::Number).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn trailing_content_and_truncation_have_their_own_errors() {
        let err = decode_json(b"\"a\" x", &Type::String).expect_err("trailing");
        assert_eq!(err.kind, DecodeErrorKind::TrailingBytes(1));
        let err = decode_json(b"[\"a\"", &list(Type::String)).expect_err("truncated");
        assert_eq!(err.kind, DecodeErrorKind::Truncated);
    }

    #[test]
    fn deep_nesting_is_refused_without_exhausting_the_stack() {
        let deep = "[".repeat(100_000);
        let err = decode_json(deep.as_bytes(), &Type::Dynamic).expect_err("too deep");
        assert_eq!(err.kind, DecodeErrorKind::TooDeep(MAX_DEPTH));
    }

    /// Writes a value as cty's JSON form, for roundtrip tests only.
    fn to_json_text(v: &Value, ty: &Type, out: &mut String) {
        let quote = |s: &str| serde_json::Value::from(s).to_string();
        match (v, ty) {
            (Value::Null | Value::Unknown, _) => out.push_str("null"),
            (Value::Bool(b), _) => out.push_str(&b.to_string()),
            (Value::Number(n), _) => out.push_str(&n.to_string()),
            (Value::String(s), _) => out.push_str(&quote(s)),
            (Value::List(items) | Value::Set(items), Type::List(e) | Type::Set(e)) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    to_json_text(item, e, out);
                }
                out.push(']');
            }
            (Value::Tuple(items), Type::Tuple(tys)) => {
                out.push('[');
                for (i, (item, t)) in items.iter().zip(tys).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    to_json_text(item, t, out);
                }
                out.push(']');
            }
            (Value::Map(m), Type::Map(e)) => {
                out.push('{');
                for (i, (k, item)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&quote(k));
                    out.push(':');
                    to_json_text(item, e, out);
                }
                out.push('}');
            }
            (Value::Object(m), Type::Object(attrs)) => {
                out.push('{');
                for (i, (k, item)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&quote(k));
                    out.push(':');
                    to_json_text(item, attrs.get(k).unwrap_or(&Type::Dynamic), out);
                }
                out.push('}');
            }
            (Value::Dynamic { ty, value }, _) => {
                out.push_str(&format!("{{\"type\":{},\"value\":", ty.to_json()));
                to_json_text(value, ty, out);
                out.push('}');
            }
            _ => out.push_str("\"type mismatch in test value\""),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn known_values_roundtrip_through_json((ty, value) in arb_typed_value(false)) {
            let mut text = String::new();
            to_json_text(&value, &ty, &mut text);
            prop_assert_eq!(decode_json(text.as_bytes(), &ty), Ok(value));
        }

        #[test]
        fn arbitrary_bytes_never_panic(ty in arb_type(), bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_json(&bytes, &ty);
        }

        #[test]
        fn json_like_text_never_panics(ty in arb_type(), text in r#"[\[\]{}",:0-9a-z\\. eE+-]{0,48}"#) {
            let _ = decode_json(text.as_bytes(), &ty);
        }

        #[test]
        fn mutated_valid_json_never_panics(
            (ty, value) in arb_typed_value(false),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            how in 0..3_u8,
        ) {
            let mut text = String::new();
            to_json_text(&value, &ty, &mut text);
            let mut bytes = text.into_bytes();
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                match how {
                    0 => bytes[i] = byte,
                    1 => bytes.truncate(i),
                    _ => bytes.insert(i, byte),
                }
            }
            let _ = decode_json(&bytes, &ty);
        }
    }
}
