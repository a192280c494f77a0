//! Deletion protection, shared by every resource: a state attribute the API never sees. While
//! it is `true`, a plan that would destroy or replace the object fails, and so does a delete
//! (Terraform before 1.3 calls delete without planning the destroy with the provider).

use crate::framework::{Diagnostics, attr};
use crate::value::Value;

/// The attribute's name.
pub(crate) const DELETION_PROTECTION: &str = "deletion_protection";

/// The provider setting that names tokens which may be revoked despite deletion protection
/// (the way out for a deposed object, whose destroy never sees the resource's configuration).
pub(crate) const REVOKE_PROTECTED_TOKEN_IDS: &str = "revoke_protected_token_ids";
/// Its environment variable: ids separated by commas or white space.
pub(crate) const REVOKE_PROTECTED_TOKEN_IDS_ENV: &str = "INFLUXDB3_REVOKE_PROTECTED_TOKEN_IDS";

/// Whether `state` has deletion protection on.
pub(crate) fn is_protected(state: &Value) -> bool {
    attr(state, DELETION_PROTECTION).as_bool() == Some(true)
}

/// Whether the delete of `prior` is refused: Terraform before 1.3 calls delete without
/// planning the destroy with the provider, so a delete of a protected object runs the type's
/// destroy plan (`plan_destroy`) and is refused, with that plan's diagnostics, when the plan
/// holds an error. An unprotected object is never refused.
pub(crate) fn delete_refused(
    prior: &Value,
    plan_destroy: impl FnOnce(&mut Diagnostics),
    diags: &mut Diagnostics,
) -> bool {
    if !is_protected(prior) {
        return false;
    }
    let mut plan = Diagnostics::new();
    plan_destroy(&mut plan);
    if !plan.has_errors() {
        return false;
    }
    diags.extend(plan);
    true
}

/// The value to store after an API call: the one `known` (the plan or prior state) holds, or
/// `false` when it holds none (the API knows nothing of it).
pub(crate) fn kept(known: &Value) -> Value {
    match attr(known, DELETION_PROTECTION) {
        Value::Bool(b) => Value::Bool(*b),
        _ => Value::Bool(false),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn only_a_true_value_protects_and_is_kept() {
        let on = Value::Object(BTreeMap::from([(
            DELETION_PROTECTION.to_owned(),
            Value::Bool(true),
        )]));
        assert!(is_protected(&on));
        assert_eq!(kept(&on), Value::Bool(true));
        assert!(!is_protected(&Value::Null));
        assert_eq!(kept(&Value::Null), Value::Bool(false));
    }
}
