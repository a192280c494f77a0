//! What the codec tests share: proptest strategies (arbitrary types, and values that conform to
//! them, with nulls, unknowns and `dynamic` wrappers at any depth) and builders of literal types
//! and values.

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

use super::number::Number;
use super::types::Type;
use super::value::Value;

/// An object type of `attrs`.
pub(crate) fn obj_ty(attrs: &[(&str, Type)]) -> Type {
    Type::Object(
        attrs
            .iter()
            .map(|(n, t)| ((*n).to_owned(), t.clone()))
            .collect(),
    )
}

/// An object value of `attrs`.
pub(crate) fn obj(attrs: &[(&str, Value)]) -> Value {
    Value::Object(
        attrs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect(),
    )
}

/// The number written `text`.
pub(crate) fn num(text: &str) -> Value {
    Value::Number(Number::parse(text).expect("valid number"))
}

/// A list type of `elem`.
pub(crate) fn list(elem: Type) -> Type {
    Type::List(Box::new(elem))
}

/// Types up to three levels deep, `dynamic` included.
pub(crate) fn arb_type() -> impl Strategy<Value = Type> + Clone {
    let leaf = prop_oneof![
        Just(Type::Bool),
        Just(Type::Number),
        Just(Type::String),
        Just(Type::Dynamic),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| Type::List(Box::new(t))),
            inner.clone().prop_map(|t| Type::Set(Box::new(t))),
            inner.clone().prop_map(|t| Type::Map(Box::new(t))),
            btree_map("[a-z_]{1,6}", inner.clone(), 0..4).prop_map(Type::Object),
            vec(inner, 0..4).prop_map(Type::Tuple),
        ]
    })
}

/// A type and a value of it. Without `unknowns`, no `Unknown` appears (for JSON, which cannot
/// express them).
pub(crate) fn arb_typed_value(unknowns: bool) -> impl Strategy<Value = (Type, Value)> {
    arb_type().prop_flat_map(move |ty| {
        let value = arb_value(&ty, unknowns, 2);
        (Just(ty), value)
    })
}

/// Numbers of every shape the codecs distinguish: small and large integers, floats, and
/// decimals with long digit strings or extreme exponents.
pub(crate) fn arb_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from_i64),
        any::<u64>().prop_map(Number::from_u64),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        (-1000_i64..1000).prop_map(Number::from_i64),
        ("-?[0-9]{1,30}", -450_i64..450).prop_filter_map("valid", |(digits, exp)| {
            Number::parse(&format!("{digits}e{exp}")).ok()
        }),
    ]
}

/// A value of `ty`. `dynamic_depth` bounds how many `dynamic` wrappers may nest, each of which
/// brings a fresh type.
pub(crate) fn arb_value(ty: &Type, unknowns: bool, dynamic_depth: u32) -> BoxedStrategy<Value> {
    let known: BoxedStrategy<Value> = match ty {
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Number => arb_number().prop_map(Value::Number).boxed(),
        Type::String => ".{0,8}".prop_map(Value::String).boxed(),
        Type::Dynamic => {
            if dynamic_depth == 0 {
                Just(Value::Null).boxed()
            } else {
                arb_type()
                    .prop_flat_map(move |inner| {
                        arb_value(&inner, unknowns, dynamic_depth - 1).prop_map(move |v| {
                            Value::Dynamic {
                                ty: inner.clone(),
                                value: Box::new(v),
                            }
                        })
                    })
                    .boxed()
            }
        }
        Type::List(elem) => vec(arb_value(elem, unknowns, dynamic_depth), 0..4)
            .prop_map(Value::List)
            .boxed(),
        Type::Set(elem) => vec(arb_value(elem, unknowns, dynamic_depth), 0..4)
            .prop_map(Value::Set)
            .boxed(),
        Type::Map(elem) => btree_map(".{0,4}", arb_value(elem, unknowns, dynamic_depth), 0..4)
            .prop_map(Value::Map)
            .boxed(),
        Type::Object(attrs) => {
            let names: Vec<String> = attrs.keys().cloned().collect();
            let values: Vec<BoxedStrategy<Value>> = attrs
                .values()
                .map(|t| arb_value(t, unknowns, dynamic_depth))
                .collect();
            values
                .prop_map(move |vals| Value::Object(names.iter().cloned().zip(vals).collect()))
                .boxed()
        }
        Type::Tuple(elems) => elems
            .iter()
            .map(|t| arb_value(t, unknowns, dynamic_depth))
            .collect::<Vec<_>>()
            .prop_map(Value::Tuple)
            .boxed(),
    };
    if unknowns {
        prop_oneof![1 => Just(Value::Null), 1 => Just(Value::Unknown), 6 => known].boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 7 => known].boxed()
    }
}
