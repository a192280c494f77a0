//! `protected_token_ids`: tokens no action of this provider may revoke.
//!
//! Why it exists: a resource's `deletion_protection` lives in its state, and an action sees no
//! state at all, so an action naming a protected token (a typo, a copied id, a selector wider
//! than meant) would revoke it. The provider block is the one place every invocation reads, so
//! the tokens a team cannot lose (the CI's own, a production ingest token) are named there. A
//! token named here and also in `revoke_protected_token_ids` may be revoked: that setting
//! already means "revoke this one despite its protection", and naming it is the explicit,
//! one-off opt-in.

use crate::framework::Attribute;
use crate::value::Type;

use super::token_id_list::TokenIdList;

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

/// How the setting is read and checked.
pub(crate) const IDS: TokenIdList = TokenIdList {
    attribute: ATTRIBUTE,
    env: ENV,
    hint: "Name tokens by their id, never by their access token.",
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::framework::Diagnostics;
    use crate::value::Value;

    const A: &str = "11111111-1111-4111-8111-111111111111";

    #[test]
    fn the_block_and_the_environment_are_joined_and_secrets_are_not_echoed() {
        let block = Value::Object(BTreeMap::from([(
            ATTRIBUTE.to_owned(),
            Value::Set(vec![A.into()]),
        )]));
        let mut diags = Diagnostics::new();
        let b = "22222222-2222-4222-8222-222222222222";
        let ids = IDS.resolve(
            &block,
            |k| (k == ENV).then(|| format!("{b} apiv1_leak")),
            &mut diags,
        );
        assert!(ids.contains(A) && ids.contains(b));
        assert!(diags.has_errors());
        assert!(!format!("{diags:?}").contains("apiv1_leak"));
    }
}
