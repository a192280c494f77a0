//! Checks of the configuration at `terraform validate` (and every plan), without any API call.
//! The rules themselves are in [`crate::model::token_rules`], shared with the ephemeral token.

use crate::framework::Diagnostics;
use crate::model::token_rules;
use crate::value::Value;

/// Checks what is known of `config`.
pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    token_rules::validate(config, diags);
}
