//! `revoke_protected_token_ids`: the explicit opt-in that lets the provider revoke named
//! database tokens whose state still says `deletion_protection = true`.
//!
//! Why it exists: the old object of a create_before_destroy replacement (a tainted token, for
//! one) is kept by Terraform as a *deposed* object. Terraform plans and applies its destroy with
//! a null configuration and its own old state, so a configuration that now says
//! `deletion_protection = false` never reaches it: without this setting the only way out would
//! be editing state. The provider block is the one channel every plan and apply of that object
//! goes through, so the user names the token there (or, for one run, in the environment) and
//! nothing else: a token whose id is not listed keeps its protection.

use crate::framework::Attribute;
use crate::model::protection::{REVOKE_PROTECTED_TOKEN_IDS, REVOKE_PROTECTED_TOKEN_IDS_ENV};
use crate::value::Type;

use super::token_id_list::TokenIdList;

/// The provider setting.
pub const ATTRIBUTE: &str = REVOKE_PROTECTED_TOKEN_IDS;
/// Its environment variable: ids separated by commas or white space.
pub const ENV: &str = REVOKE_PROTECTED_TOKEN_IDS_ENV;

/// The attribute of the provider block.
pub fn attribute() -> Attribute {
    Attribute::optional(ATTRIBUTE, Type::Set(Box::new(Type::String))).describe(format!(
        "Ids of database tokens the provider may revoke although their state says \
         `deletion_protection = true`. Only the tokens named are affected. This is the way out \
         when Terraform keeps the old token of a `create_before_destroy` replacement as a \
         deposed object: that object's destroy never sees the resource's configuration, so \
         setting `deletion_protection = false` there cannot reach it. Name the id the error \
         shows, apply, then remove it again. Also read from `{ENV}` (ids separated by commas), \
         which suits a one-off `apply`."
    ))
}

/// How the setting is read and checked.
pub(crate) const IDS: TokenIdList = TokenIdList {
    attribute: ATTRIBUTE,
    env: ENV,
    hint: "Copy the id the \"Database Token Is Protected\" error shows, not an access token.",
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use std::collections::BTreeSet;

    use super::*;
    use crate::framework::Diagnostics;
    use crate::value::Value;

    const A: &str = "11111111-1111-4111-8111-111111111111";
    const B: &str = "22222222-2222-4222-8222-222222222222";

    fn block(ids: &[&str]) -> Value {
        Value::Object(BTreeMap::from([(
            ATTRIBUTE.to_owned(),
            Value::Set(ids.iter().map(|&s| s.into()).collect()),
        )]))
    }

    #[test]
    fn the_block_and_the_environment_both_name_tokens() {
        let mut diags = Diagnostics::new();
        let env = |k: &str| (k == ENV).then(|| format!(" {B},\n"));
        let ids = IDS.resolve(&block(&[A]), env, &mut diags);
        assert!(!diags.has_errors());
        assert_eq!(ids, BTreeSet::from([A.to_owned(), B.to_owned()]));
        assert!(IDS.resolve(&Value::Null, |_| None, &mut diags).is_empty());
    }

    #[test]
    fn a_value_that_is_not_an_id_is_refused_without_being_shown() {
        let mut diags = Diagnostics::new();
        IDS.validate(&block(&[A, "apiv1_secret-token"]), &mut diags);
        assert!(diags.has_errors());
        let text = format!("{diags:?}");
        assert!(
            text.contains(ATTRIBUTE) && !text.contains("secret-token"),
            "{text}"
        );

        let mut diags = Diagnostics::new();
        IDS.resolve(&Value::Null, |_| Some("apiv1_x".into()), &mut diags);
        assert!(diags.has_errors());
    }
}
