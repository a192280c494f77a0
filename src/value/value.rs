//! Terraform values: null, unknown, or known data of some [`Type`].
//!
//! A [`Value`] does not carry its type (except inside `dynamic` slots); the schema supplies it,
//! exactly as on the wire. That keeps values small and makes the schema the single source of
//! truth for the codecs.

use std::collections::BTreeMap;

use super::number::Number;
use super::types::Type;

/// A Terraform value.
///
/// `Null` and `Unknown` may stand in for a value of any type, at any depth. Equality is
/// structural, except that sets compare as multisets: element order never matters (see
/// [`Value::set_equal`]).
#[derive(Clone, Debug)]
pub enum Value {
    /// No value (an unset optional attribute, a null in the configuration).
    Null,
    /// A value that is not known until apply. Any msgpack extension decodes to this; unknown
    /// refinements (ext type 12: nullness, string prefix, bounds) are dropped, so a provider
    /// never promises more about a value than "it will be known later".
    Unknown,
    /// A known `bool`.
    Bool(bool),
    /// A known `number`.
    Number(Number),
    /// A known `string`.
    String(String),
    /// A known `list`.
    List(Vec<Value>),
    /// A known `set`, in whatever order the elements arrived or were built.
    Set(Vec<Value>),
    /// A known `tuple`.
    Tuple(Vec<Value>),
    /// A known `map`.
    Map(BTreeMap<String, Value>),
    /// A known `object`. Decoded objects hold every attribute of their type (missing ones as
    /// `Null`).
    Object(BTreeMap<String, Value>),
    /// The content of a `dynamic`-typed slot whose concrete type travelled with it. `value` is
    /// a value of `ty` (possibly `Null` or `Unknown` of that type). A `dynamic` slot may also
    /// hold a bare `Null` or `Unknown`: a null or unknown of no particular type.
    Dynamic {
        /// The concrete type.
        ty: Type,
        /// The value, of type `ty`.
        value: Box<Value>,
    },
}

impl Value {
    /// The null value of `ty`: simply [`Value::Null`], spelled out for readability where the
    /// type matters to the reader.
    pub fn null_of(ty: &Type) -> Value {
        let _ = ty;
        Value::Null
    }

    /// Whether this is `Null` (not a `Dynamic` wrapping a null).
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is `Unknown` (not a `Dynamic` wrapping an unknown, nor a collection that
    /// contains unknowns; see [`Value::is_wholly_known`]).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// This value, or null in its place when it is `Unknown` (a state may hold no unknown, so
    /// this is what a state keeps of a planned value nothing answered).
    pub fn known_or_null(&self) -> Value {
        if self.is_unknown() {
            Value::Null
        } else {
            self.clone()
        }
    }

    /// Whether no `Unknown` appears anywhere in this value.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                items.iter().all(Value::is_wholly_known)
            }
            Value::Map(entries) | Value::Object(entries) => {
                entries.values().all(Value::is_wholly_known)
            }
            Value::Dynamic { value, .. } => value.is_wholly_known(),
        }
    }

    /// The text of a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A known bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A known number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The attribute `name` of a known object; `None` for anything else (including a null or
    /// unknown object) and for names the object does not have.
    pub fn get_attr(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(attrs) => attrs.get(name),
            _ => None,
        }
    }

    /// All attributes of a known object.
    pub fn attrs(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(attrs) => Some(attrs),
            _ => None,
        }
    }

    /// All entries of a known map.
    pub fn entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The elements of a known list, set or tuple.
    pub fn elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// Whether two element sequences hold the same elements the same number of times, in any
    /// order (the equality used for [`Value::Set`]). Quadratic, which is fine for the small
    /// sets found in resource schemas.
    pub fn set_equal(a: &[Value], b: &[Value]) -> bool {
        if a.len() != b.len() {
            return false;
        }
        let mut used = vec![false; b.len()];
        a.iter().all(|x| {
            let found = b
                .iter()
                .zip(used.iter_mut())
                .find(|(y, used)| !**used && x == *y);
            match found {
                Some((_, used)) => {
                    *used = true;
                    true
                }
                None => false,
            }
        })
    }

    /// A short description of what kind of value this is, for error messages.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "unknown",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Tuple(_) => "tuple",
            Value::Map(_) => "map",
            Value::Object(_) => "object",
            Value::Dynamic { .. } => "dynamic value",
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) | (Value::Unknown, Value::Unknown) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => a == b,
            (Value::Set(a), Value::Set(b)) => Value::set_equal(a, b),
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => a == b,
            (Value::Dynamic { ty: ta, value: va }, Value::Dynamic { ty: tb, value: vb }) => {
                ta == tb && va == vb
            }
            _ => false,
        }
    }
}

/// Equality is an equivalence relation: multiset equality over an equivalence is one too.
impl Eq for Value {}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Number(Number::from_i64(i))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::from(text)
    }

    #[test]
    fn set_equality_ignores_order() {
        let a = Value::Set(vec![s("a"), s("b"), s("c")]);
        let b = Value::Set(vec![s("c"), s("a"), s("b")]);
        assert_eq!(a, b);
    }

    #[test]
    fn set_equality_counts_repeated_elements() {
        assert!(!Value::set_equal(
            &[s("a"), s("a"), s("b")],
            &[s("a"), s("b"), s("b")]
        ));
        assert!(Value::set_equal(
            &[s("a"), s("b"), s("a")],
            &[s("a"), s("a"), s("b")]
        ));
        assert!(!Value::set_equal(&[s("a")], &[s("a"), s("a")]));
    }

    #[test]
    fn nested_sets_ignore_order_at_every_level() {
        let obj = |actions: Vec<Value>| {
            Value::Object(BTreeMap::from([
                ("actions".to_owned(), Value::Set(actions)),
                ("resource".to_owned(), s("db")),
            ]))
        };
        let a = Value::Set(vec![obj(vec![s("read"), s("write")]), obj(vec![s("read")])]);
        let b = Value::Set(vec![obj(vec![s("read")]), obj(vec![s("write"), s("read")])]);
        assert_eq!(a, b);
    }

    #[test]
    fn lists_and_tuples_keep_order() {
        assert_ne!(
            Value::List(vec![s("a"), s("b")]),
            Value::List(vec![s("b"), s("a")])
        );
        assert_ne!(
            Value::Tuple(vec![s("a"), s("b")]),
            Value::Tuple(vec![s("b"), s("a")])
        );
        assert_ne!(Value::List(vec![s("a")]), Value::Set(vec![s("a")]));
    }

    #[test]
    fn unknown_anywhere_makes_a_value_not_wholly_known() {
        let v = Value::Object(BTreeMap::from([
            ("a".to_owned(), Value::Null),
            ("b".to_owned(), Value::List(vec![s("x"), Value::Unknown])),
        ]));
        assert!(!v.is_wholly_known());
        assert!(!v.is_unknown());
        let dynamic = Value::Dynamic {
            ty: Type::String,
            value: Box::new(Value::Unknown),
        };
        assert!(!dynamic.is_wholly_known());
        assert!(Value::Map(BTreeMap::from([("k".to_owned(), s("v"))])).is_wholly_known());
    }

    #[test]
    fn accessors_return_only_their_own_kind() {
        let obj = Value::Object(BTreeMap::from([("name".to_owned(), s("n"))]));
        assert_eq!(obj.get_attr("name").and_then(Value::as_str), Some("n"));
        assert_eq!(obj.get_attr("other"), None);
        assert_eq!(obj.attrs().map(BTreeMap::len), Some(1));
        assert_eq!(Value::Null.get_attr("name"), None);
        assert_eq!(Value::from(true).as_bool(), Some(true));
        assert_eq!(Value::from(7).as_number(), Some(&Number::from_i64(7)));
        assert_eq!(s("x").as_bool(), None);
        assert_eq!(
            Value::Tuple(vec![Value::Null])
                .elements()
                .map(<[Value]>::len),
            Some(1)
        );
        assert_eq!(Value::Unknown.elements(), None);
        assert!(Value::null_of(&Type::String).is_null());
    }
}
