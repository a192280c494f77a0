//! `protected_token_ids`: tokens no action of this provider may revoke.
//!
//! Why it exists: a resource's `deletion_protection` lives in its state, and an action sees no
//! state at all, so an action naming a protected token (a typo, a copied id, a selector wider
//! than meant) would revoke it. The provider block is the one place every invocation reads, so
//! the tokens a team cannot lose (the CI's own, a production ingest token) are named there. A
//! token named here and also in `revoke_protected_token_ids` may be revoked: that setting
//! already means "revoke this one despite its protection", and naming it is the explicit,
//! one-off opt-in.

use std::collections::BTreeSet;

use crate::framework::{Attribute, Diagnostics};
use crate::model::ids::is_uuid;
use crate::value::{AttributePath, Type, Value};

/// The provider setting.
pub const ATTRIBUTE: &str = "protected_token_ids";
/// Its environment variable: ids separated by commas or white space.
pub const ENV: &str = "INFLUXDB3_PROTECTED_TOKEN_IDS";

/// The attribute of the provider block.
pub fn attribute() -> Attribute {
    Attribute::optional(ATTRIBUTE, Type::Set(Box::new(Type::String))).describe(format!(
        "Ids of database tokens that the `influxdb3_revoke_database_tokens` action refuses to \
         revoke: an invocation whose ids or selector reach one fails at plan, before anything \
         is sent. A resource's `deletion_protection` is in its state, which an action cannot \
         see; this list is how a token stays safe from actions. A token also named in \
         `revoke_protected_token_ids` may be revoked. Also read from `{ENV}` (ids separated by \
         commas); the two are joined."
    ))
}

/// Checks the ids the block holds (unknown ones pass).
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    for id in listed(config) {
        check(ATTRIBUTE, id, diags);
    }
}

/// The ids named by the block and by [`ENV`] (`env` looks a variable up), each checked.
pub fn resolve(
    config: &Value,
    env: impl Fn(&str) -> Option<String>,
    diags: &mut Diagnostics,
) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = listed(config).map(crate::api::canonical_id).collect();
    if let Some(text) = env(ENV) {
        for id in text.split(|c: char| c == ',' || c.is_whitespace()) {
            if id.is_empty() {
                continue;
            }
            check(ENV, id, diags);
            ids.insert(crate::api::canonical_id(id));
        }
    }
    ids
}

fn listed(config: &Value) -> impl Iterator<Item = &str> {
    config
        .get_attr(ATTRIBUTE)
        .and_then(Value::elements)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
}

fn check(name: &str, id: &str, diags: &mut Diagnostics) {
    if is_uuid(id) {
        return;
    }
    let summary = "Invalid Token Id";
    // Not echoed: an access token pasted here by mistake must not be printed.
    let detail = format!(
        "{name} lists a value that is not a token id (a UUID such as \
         11111111-1111-4111-8111-111111111111). Name tokens by their id, never by their \
         access token."
    );
    if name == ATTRIBUTE {
        diags.attr_error(AttributePath::attr(ATTRIBUTE), summary, detail);
    } else {
        diags.error(summary, detail);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const A: &str = "11111111-1111-4111-8111-111111111111";

    #[test]
    fn the_block_and_the_environment_are_joined_and_secrets_are_not_echoed() {
        let block = Value::Object(BTreeMap::from([(
            ATTRIBUTE.to_owned(),
            Value::Set(vec![A.into()]),
        )]));
        let mut diags = Diagnostics::new();
        let b = "22222222-2222-4222-8222-222222222222";
        let ids = resolve(
            &block,
            |k| (k == ENV).then(|| format!("{b} apiv1_leak")),
            &mut diags,
        );
        assert!(ids.contains(A) && ids.contains(b));
        assert!(diags.has_errors());
        assert!(!format!("{diags:?}").contains("apiv1_leak"));
    }
}
