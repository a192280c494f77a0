//! What the provider can learn of a replacement Terraform does not announce.
//!
//! Terraform never tells a provider about `-replace`, `replace_triggered_by` or `taint`. What
//! it does (Terraform 1.0 to 1.14 alike): when an update plan turns into a replacement, it plans
//! again with a null prior state and passes the first plan's `planned_private` as
//! `prior_private`; and the destroy half of a replacement that is not create_before_destroy is
//! applied with the `planned_private` of that second (create) plan. So:
//!
//! - every plan of an existing object leaves a [`REPLACING`] mark (the prior object, its
//!   sensitive attributes nulled) in `planned_private`: a create plan that finds the mark is the
//!   create half of a replacement of that object, and the resource's destroy checks (deletion
//!   protection) run on it at plan time;
//! - a create plan whose configuration sets the resource's destroy guard
//!   ([`Resource::destroy_guard`](crate::framework::Resource::destroy_guard), e.g. a deletion
//!   protection flag) to `false` leaves an [`UNPROTECTED`] mark: a destroy applied with it (the
//!   destroy half of replacing a tainted object) follows the configuration rather than the
//!   guard recorded in the old state.
//!
//! Private data is opaque to Terraform and never shown; the marks live only in plans.

use crate::framework::{Schema, attr, set_attr};
use crate::value::{Type, Value, decode_msgpack, encode_msgpack, msgpack_with_nulled};

/// Prefix of the mark that carries the object an update plan started from.
const REPLACING: &[u8] = b"plan:replacing:";
/// Mark of a create plan whose configuration turns the destroy guard off.
const UNPROTECTED: &[u8] = b"plan:unprotected";

/// The `planned_private` of a plan that keeps an object (`prior` not null) or creates one;
/// `prior_msgpack` is the prior state as Terraform sent it (empty when it came as JSON), and
/// `guard` the resource's destroy guard attribute, if it has one.
pub(super) fn planned_private(
    schema: &Schema,
    ty: &Type,
    prior: &Value,
    prior_msgpack: &[u8],
    config: &Value,
    guard: Option<&str>,
) -> Vec<u8> {
    if prior.is_null() {
        return if guard.is_some_and(|g| attr(config, g) == &Value::Bool(false)) {
            UNPROTECTED.to_vec()
        } else {
            Vec::new()
        };
    }
    let sensitive = |name: &str| {
        schema
            .attributes
            .iter()
            .any(|a| a.sensitive && a.name == name)
    };
    // The bytes Terraform sent, secrets nulled in place, cost a tenth of encoding `prior`.
    if let Some(bytes) = msgpack_with_nulled(prior_msgpack, sensitive) {
        return [REPLACING, &bytes].concat();
    }
    let mut kept = prior.clone();
    for a in schema.attributes.iter().filter(|a| a.sensitive) {
        set_attr(&mut kept, a.name, Value::Null);
    }
    match encode_msgpack(&kept, ty) {
        Ok(bytes) => [REPLACING, &bytes].concat(),
        Err(_) => Vec::new(),
    }
}

/// The object a create plan replaces, when `prior_private` carries the mark of one.
pub(super) fn replaced_object(prior_private: &[u8], ty: &Type) -> Option<Value> {
    let bytes = prior_private.strip_prefix(REPLACING)?;
    decode_msgpack(bytes, ty).ok().filter(|v| !v.is_null())
}

/// The object a destroy should check: `prior`, with its destroy guard off when the plan that
/// asked for the destroy saw a configuration that turns it off.
pub(super) fn destroy_subject(prior: &Value, planned_private: &[u8], guard: Option<&str>) -> Value {
    let mut subject = prior.clone();
    if let Some(guard) = guard
        && planned_private == UNPROTECTED
    {
        set_attr(&mut subject, guard, Value::Bool(false));
    }
    subject
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Attribute;

    /// The guard attribute of the sample resource.
    const GUARD: Option<&str> = Some("deletion_protection");

    fn schema() -> Schema {
        Schema::new(
            "t",
            vec![
                Attribute::computed("id", Type::String),
                Attribute::computed("access_token", Type::String).sensitive(),
                Attribute::optional("deletion_protection", Type::Bool),
            ],
        )
    }

    fn object(protected: Option<bool>) -> Value {
        let mut v = Value::Object(Default::default());
        set_attr(&mut v, "id", "t1".into());
        set_attr(&mut v, "access_token", "secret-value".into());
        set_attr(
            &mut v,
            "deletion_protection",
            protected.map_or(Value::Null, Value::Bool),
        );
        v
    }

    #[test]
    fn an_update_plan_marks_the_object_without_its_secrets_for_the_create_half() {
        let (s, ty) = (schema(), schema().value_type());
        let prior = object(Some(true));
        let sent = encode_msgpack(&prior, &ty).expect("encodes");
        // From the bytes Terraform sent, or (sent as JSON) from the decoded object: the same.
        let from_bytes = planned_private(&s, &ty, &prior, &sent, &prior, GUARD);
        let from_value = planned_private(&s, &ty, &prior, b"", &prior, GUARD);
        assert_eq!(from_bytes, from_value);
        for private in [from_bytes, from_value] {
            assert!(!String::from_utf8_lossy(&private).contains("secret-value"));
            let replaced = replaced_object(&private, &ty).expect("marked");
            assert_eq!(attr(&replaced, "id"), &Value::from("t1"));
            assert_eq!(attr(&replaced, "deletion_protection"), &Value::Bool(true));
            assert_eq!(attr(&replaced, "access_token"), &Value::Null);
        }
        assert!(replaced_object(b"", &ty).is_none());
        assert!(replaced_object(UNPROTECTED, &ty).is_none());
    }

    #[test]
    fn only_a_configuration_that_turns_protection_off_unprotects_the_destroy_half() {
        let (s, ty) = (schema(), schema().value_type());
        let prior = object(Some(true));
        for (config, off) in [(Some(false), true), (Some(true), false), (None, false)] {
            let private = planned_private(&s, &ty, &Value::Null, b"", &object(config), GUARD);
            let subject = destroy_subject(&prior, &private, GUARD);
            let unguarded = planned_private(&s, &ty, &Value::Null, b"", &object(config), None);
            assert!(
                unguarded.is_empty(),
                "a type without a guard is never marked"
            );
            assert_eq!(
                attr(&subject, "deletion_protection") == &Value::Bool(false),
                off,
                "{config:?}"
            );
        }
        assert_eq!(destroy_subject(&prior, b"", GUARD), prior);
        assert_eq!(destroy_subject(&prior, UNPROTECTED, None), prior);
    }
}
