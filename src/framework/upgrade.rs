//! Stored-state upgrades: how a resource type reads state written by an earlier schema
//! version of itself (or, under a shared type name, by the incumbent provider).
//!
//! A resource declares one step per version it has left behind: `steps[n]` rewrites a state
//! object of schema version `n` into version `n + 1`, so a type at schema version `V` has
//! exactly `V` steps. The server applies the steps from the stored version up to the current
//! one, then fits the result to the current schema (attributes it no longer has are dropped,
//! with a warning when they held a value) and decodes it strictly. A step works on JSON
//! because the stored shape is, by definition, not the current schema's type.

use serde_json::{Map, Value as Json};

use super::diag::Diagnostics;

/// One stored state object: attribute name to its JSON value.
pub type StateObject = Map<String, Json>;

/// Rewrites a state object of version `n` into version `n + 1`. A step never fails: a value
/// it cannot convert stays as it is, for the strict decode (or the next refresh) to judge; it
/// may add warnings, never a secret's value.
pub type UpgradeStep = fn(&mut StateObject, &mut Diagnostics);

/// Applies `steps[from..]` to `state`. A `from` beyond the steps applies none (the caller
/// refuses state from a newer version before this).
pub fn apply_steps(
    steps: &[UpgradeStep],
    from: i64,
    state: &mut StateObject,
    diags: &mut Diagnostics,
) {
    let from = usize::try_from(from).unwrap_or(0);
    for step in steps.iter().skip(from) {
        step(state, diags);
    }
}

/// For tests of a type's chain: `state` (a JSON object) brought from version 0 by `steps`,
/// which must report nothing.
#[cfg(test)]
pub(crate) fn upgraded_from_0(steps: &[UpgradeStep], state: Json) -> Json {
    let Json::Object(mut state) = state else {
        panic!("stored state is a JSON object");
    };
    let mut diags = Diagnostics::new();
    apply_steps(steps, 0, &mut state, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    Json::Object(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add_one(state: &mut StateObject, _: &mut Diagnostics) {
        state.insert("one".into(), Json::Bool(true));
    }

    fn rename_one(state: &mut StateObject, _: &mut Diagnostics) {
        if let Some(v) = state.remove("one") {
            state.insert("two".into(), v);
        }
    }

    #[test]
    fn steps_run_from_the_stored_version_on() {
        let steps: &[UpgradeStep] = &[add_one, rename_one];
        let mut diags = Diagnostics::new();
        for (from, expect) in [(0, Some(true)), (1, None), (2, None)] {
            let mut state = StateObject::new();
            apply_steps(steps, from, &mut state, &mut diags);
            assert_eq!(
                state.get("two").and_then(Json::as_bool),
                expect,
                "from {from}: {state:?}"
            );
        }
        let mut state = StateObject::new();
        apply_steps(steps, -1, &mut state, &mut diags);
        assert!(state.contains_key("two"), "a negative version starts at 0");
    }
}
