//! The plan rules every resource shares, following Terraform's plan validity contract:
//! configured values are kept; computed attributes the configuration leaves null become unknown
//! on create, and on an update that changes something (unless they keep their prior value);
//! defaults fill null optional attributes; a changed `requires_replace` attribute plans a
//! replacement; a value that differs from the prior one only in spelling plans the prior value.

use std::collections::BTreeMap;

use super::schema::Schema;
use crate::value::{AttributePath, Value};

/// What the framework planned, before the resource's own adjustments.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The planned new state (null for a destroy).
    pub state: Value,
    /// Attributes whose change forces a replacement.
    pub requires_replace: Vec<AttributePath>,
}

/// Plans a change of one resource instance from Terraform's prior state, proposed new state and
/// configuration (all objects of the schema's type, or null).
pub fn plan_change(schema: &Schema, prior: &Value, proposed: &Value, config: &Value) -> Planned {
    if proposed.is_null() {
        return Planned {
            state: Value::Null,
            requires_replace: Vec::new(),
        };
    }
    let empty = BTreeMap::new();
    let config_attrs = config.attrs().unwrap_or(&empty);
    let mut planned: BTreeMap<String, Value> = proposed.attrs().cloned().unwrap_or_default();
    let null = Value::Null;
    let config_of = |name: &str| config_attrs.get(name).unwrap_or(&null);

    for attr in &schema.attributes {
        if let Some(default) = &attr.default
            && config_of(attr.name).is_null()
        {
            planned.insert(attr.name.to_owned(), default.clone());
        }
    }

    let Some(prior_attrs) = prior.attrs().filter(|_| !prior.is_null()) else {
        for attr in &schema.attributes {
            if attr.computed && attr.default.is_none() && config_of(attr.name).is_null() {
                planned.insert(attr.name.to_owned(), Value::Unknown);
            }
        }
        return Planned {
            state: Value::Object(planned),
            requires_replace: Vec::new(),
        };
    };

    for attr in &schema.attributes {
        if attr.semantic_eq.is_none() {
            continue;
        }
        if let (Some(new), Some(old)) = (planned.get(attr.name), prior_attrs.get(attr.name))
            && new != old
            && attr.values_equal(new, old)
        {
            planned.insert(attr.name.to_owned(), old.clone());
        }
    }

    let changed = schema.attributes.iter().any(|attr| {
        let new = planned.get(attr.name).unwrap_or(&null);
        let old = prior_attrs.get(attr.name).unwrap_or(&null);
        !attr.values_equal(new, old)
    });

    let mut requires_replace = Vec::new();
    if changed {
        for attr in &schema.attributes {
            let computed_only = attr.computed && attr.default.is_none();
            if computed_only && config_of(attr.name).is_null() && !attr.use_state_for_unknown {
                planned.insert(attr.name.to_owned(), Value::Unknown);
            }
        }
        for attr in schema.attributes.iter().filter(|a| a.requires_replace) {
            let new = planned.get(attr.name).unwrap_or(&null);
            let old = prior_attrs.get(attr.name).unwrap_or(&null);
            if !attr.values_equal(new, old) {
                requires_replace.push(AttributePath::attr(attr.name));
            }
        }
    }
    Planned {
        state: Value::Object(planned),
        requires_replace,
    }
}

/// Reads a top-level attribute of an object value (null when absent).
pub fn attr<'a>(value: &'a Value, name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    value.get_attr(name).unwrap_or(&NULL)
}

/// Sets a top-level attribute of an object value; does nothing to a non-object.
pub fn set_attr(value: &mut Value, name: &str, new: Value) {
    if let Value::Object(map) = value {
        map.insert(name.to_owned(), new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::Attribute;
    use crate::value::Type;

    fn schema() -> Schema {
        Schema::new(
            "test",
            vec![
                Attribute::computed("id", Type::String).use_state_for_unknown(),
                Attribute::required("description", Type::String),
                Attribute::optional("expires_at", Type::String)
                    .requires_replace()
                    .semantic_eq(|a, b| {
                        a.as_str().map(|s| s.trim_end_matches('Z'))
                            == b.as_str().map(|s| s.trim_end_matches('Z'))
                    }),
                Attribute::computed("updated", Type::String),
                Attribute::optional("protect", Type::Bool).default_value(Value::Bool(false)),
            ],
        )
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let mut m = BTreeMap::new();
        for name in ["id", "description", "expires_at", "updated", "protect"] {
            m.insert(name.to_owned(), Value::Null);
        }
        for (k, v) in pairs {
            m.insert((*k).to_owned(), v.clone());
        }
        Value::Object(m)
    }

    fn s(v: &str) -> Value {
        Value::String(v.to_owned())
    }

    #[test]
    fn create_marks_computed_unknown_and_fills_defaults() {
        let config = obj(&[("description", s("d"))]);
        let p = plan_change(&schema(), &Value::Null, &config, &config);
        assert_eq!(attr(&p.state, "id"), &Value::Unknown);
        assert_eq!(attr(&p.state, "updated"), &Value::Unknown);
        assert_eq!(attr(&p.state, "protect"), &Value::Bool(false));
        assert_eq!(attr(&p.state, "description"), &s("d"));
        assert!(p.requires_replace.is_empty());
    }

    #[test]
    fn an_unchanged_resource_plans_its_prior_state() {
        let prior = obj(&[
            ("id", s("1")),
            ("description", s("d")),
            ("updated", s("t")),
            ("protect", Value::Bool(false)),
        ]);
        let config = obj(&[("description", s("d"))]);
        let proposed = obj(&[("id", s("1")), ("description", s("d")), ("updated", s("t"))]);
        let p = plan_change(&schema(), &prior, &proposed, &config);
        assert_eq!(p.state, prior);
    }

    #[test]
    fn an_update_keeps_ids_but_recomputes_other_computed_values() {
        let prior = obj(&[
            ("id", s("1")),
            ("description", s("d")),
            ("updated", s("t")),
            ("protect", Value::Bool(false)),
        ]);
        let config = obj(&[("description", s("new"))]);
        let proposed = obj(&[
            ("id", s("1")),
            ("description", s("new")),
            ("updated", s("t")),
        ]);
        let p = plan_change(&schema(), &prior, &proposed, &config);
        assert_eq!(attr(&p.state, "id"), &s("1"));
        assert_eq!(attr(&p.state, "updated"), &Value::Unknown);
        assert!(p.requires_replace.is_empty());
    }

    #[test]
    fn a_changed_replace_attribute_plans_a_replacement_but_a_respelling_does_not() {
        let prior = obj(&[
            ("id", s("1")),
            ("description", s("d")),
            ("expires_at", s("2030Z")),
            ("updated", s("t")),
            ("protect", Value::Bool(false)),
        ]);
        let config = obj(&[("description", s("d")), ("expires_at", s("2031"))]);
        let proposed = obj(&[
            ("id", s("1")),
            ("description", s("d")),
            ("expires_at", s("2031")),
            ("updated", s("t")),
        ]);
        let p = plan_change(&schema(), &prior, &proposed, &config);
        assert_eq!(p.requires_replace, vec![AttributePath::attr("expires_at")]);

        let config = obj(&[("description", s("d")), ("expires_at", s("2030"))]);
        let proposed = obj(&[
            ("id", s("1")),
            ("description", s("d")),
            ("expires_at", s("2030")),
            ("updated", s("t")),
        ]);
        let p = plan_change(&schema(), &prior, &proposed, &config);
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.state, prior,
            "same instant, other spelling: no change at all"
        );
    }

    #[test]
    fn destroy_plans_null() {
        let prior = obj(&[("id", s("1"))]);
        let p = plan_change(&schema(), &prior, &Value::Null, &Value::Null);
        assert_eq!(p.state, Value::Null);
    }
}
