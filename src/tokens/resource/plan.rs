//! Plan adjustments: the token's cluster, expiry checks, and what a plan that revokes the
//! token says (or refuses).

use time::OffsetDateTime;

use crate::api::receipt_in;
use crate::framework::{Diagnostics, PlanChange};
use crate::model::ProviderContext;
use crate::model::cluster::plan_cluster;
use crate::model::instant;
use crate::model::protection::{
    self, DELETION_PROTECTION, REVOKE_PROTECTED_TOKEN_IDS as ATTRIBUTE,
    REVOKE_PROTECTED_TOKEN_IDS_ENV as ENV,
};
use crate::tokens::model::{EXPIRES_AT, TokenValue, placeholder_receipt, plan_not_revoked};
use crate::value::{AttributePath, Value};

/// Plans a token's cluster (a token moves only by replacement). Missing credentials fail the
/// plan, not the apply that follows it.
pub(crate) fn plan_home(
    ctx: Option<&ProviderContext>,
    change: &mut PlanChange,
    diags: &mut Diagnostics,
) {
    if let Some(ctx) = ctx {
        ctx.api(diags);
    }
    plan_cluster(ctx.and_then(ProviderContext::cluster), change);
}

/// Plans the cluster (a token moves only by replacement) and checks `expires_at` for a token
/// about to be created.
pub(super) fn modify_plan(
    ctx: Option<&ProviderContext>,
    change: &mut PlanChange,
    diags: &mut Diagnostics,
) {
    plan_home(ctx, change, diags);
    let creating = change.prior.is_null() || !change.requires_replace.is_empty();
    if creating {
        plan_not_revoked(&mut change.planned);
    }
    check_expiry(&change.planned, creating, diags);
    warn_of_receipt(&change.prior, diags);
}

/// A token whose description still ends with a create's receipt was made by a run that did not
/// finish (interrupted, or its last step failed). Only that run could tell whether the token
/// is its own, so the receipt is shown, never removed by anyone else; this configuration's
/// plan sets its own token's description back, which removes it.
fn warn_of_receipt(prior: &Value, diags: &mut Diagnostics) {
    let Some((_, receipt)) = TokenValue(prior).description().and_then(receipt_in) else {
        return;
    };
    diags.warning(
        "Database Token Description Carries A Receipt",
        format!(
            "The description of the database token {} still ends with [tf-receipt:{receipt}], \
             the mark its create carried so the provider could recognise the token if the \
             answer was lost. The run that created it did not get to set the description back; \
             this apply does.",
            TokenValue(prior).display_name()
        ),
    );
}

/// An expiry in the past is an error for a token about to be created (it would be useless
/// from the start) and a warning for an existing one (clients are being rejected).
fn check_expiry(planned: &Value, creating: bool, diags: &mut Diagnostics) {
    let Some(text) = TokenValue(planned).expires_at() else {
        return;
    };
    let Some(at) = instant::parse(text) else {
        return;
    };
    if at > OffsetDateTime::now_utc() {
        return;
    }
    let path = AttributePath::attr(EXPIRES_AT);
    if creating {
        diags.attr_error(
            path,
            "Expiration Time In The Past",
            format!(
                "expires_at {text:?} has already passed, so the new token would never work. \
                 Set a future time, or remove expires_at for a token that never expires."
            ),
        );
    } else {
        diags.attr_warning(
            path,
            "Database Token Expired",
            format!(
                "The token {} expired at {text}; clients using it are rejected. Changing \
                 expires_at replaces it with a new token.",
                TokenValue(planned).display_name()
            ),
        );
    }
}

/// Warns that the plan revokes the token, or refuses when `deletion_protection` is on and the
/// provider configuration (`ctx`) does not name the token in `revoke_protected_token_ids`.
pub(crate) fn plan_destroy(
    ctx: Option<&ProviderContext>,
    prior: &Value,
    replacing: bool,
    diags: &mut Diagnostics,
) {
    if placeholder_receipt(prior).is_some() {
        // Nothing of the user's is at stake: whatever the unsettled create made never handed
        // its access token to anyone. Protection must not make this a dead end.
        diags.warning(
            "Unsettled Database Token Create Will Be Settled",
            format!(
                "The database token {} is a placeholder for a create whose outcome was not \
                 known. This apply revokes the token that create made, if it made one (it \
                 carries the create's receipt, and its access token reached nobody), and no \
                 other token.",
                TokenValue(prior).display_name()
            ),
        );
        return;
    }
    let prior = TokenValue(prior);
    let name = prior.display_name();
    let verb = if replacing { "replace" } else { "destroy" };
    if protection::is_protected(prior.0) {
        let id = prior.id().unwrap_or_default();
        if ctx.is_some_and(|c| c.may_revoke_protected(id)) {
            diags.warning(
                "Protected Database Token Will Be Revoked",
                format!(
                    "The database token {name} has deletion_protection = true, but the \
                     provider's {ATTRIBUTE} names it, so this plan may {verb} it: revocation is \
                     immediate and cannot be undone. Remove the id from {ATTRIBUTE} (or {ENV}) \
                     once this is applied."
                ),
            );
            return;
        }
        let refused = format!(
            "This plan would {verb} the database token {name}, which revokes it, but its \
             deletion_protection is true."
        );
        let detail = if ctx.is_some_and(ProviderContext::protection_explained_before) {
            format!(
                "{refused} The ways out are the same for every protected token and are given in \
                 full once, in this error for another token of this plan (a deposed token is \
                 named by the id shown here)."
            )
        } else {
            let after = if replacing {
                ""
            } else {
                " In a destroy, Terraform plans the database a token uses only after the token: \
                 if that database is protected too, its own error appears once its tokens pass."
            };
            format!(
                "{refused} To revoke it, set deletion_protection = false, apply, then plan \
                 again; to stop managing it without revoking it, use a `removed` block with \
                 `lifecycle {{ destroy = false }}` or `terraform state rm`. A deposed token (the \
                 old object of a create_before_destroy replacement) is revoked by naming it in \
                 the provider block: {ATTRIBUTE} = [\"{id}\"] (or {ENV}={id} for one run).{after}"
            )
        };
        diags.attr_error(
            AttributePath::attr(DELETION_PROTECTION),
            "Database Token Is Protected",
            detail,
        );
        return;
    }
    let (summary, why) = if replacing {
        (
            "Database Token Will Be Replaced",
            "is being replaced by a new token, with a new access token: the old one is revoked \
             before the new one is created, or after it under create_before_destroy",
        )
    } else {
        ("Database Token Will Be Revoked", "will be revoked")
    };
    diags.warning(
        summary,
        format!(
            "The database token {name} {why}. Revocation is immediate and cannot be undone: \
             every client using this token is rejected from that moment and needs a new token."
        ),
    );
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::model::context::Settings;
    use crate::tokens::model::{DESCRIPTION, ID};

    const OLD: &str = "11111111-1111-4111-8111-111111111111";
    const OTHER: &str = "22222222-2222-4222-8222-222222222222";

    fn naming(ids: &[&str]) -> ProviderContext {
        let settings = Settings {
            account_id: None,
            cluster_id: None,
            management_token: None,
            endpoint: "http://127.0.0.1:1/api/v0".into(),
            request_timeout: std::time::Duration::from_secs(1),
            max_retries: 0,
            revoke_protected_token_ids: ids.iter().map(|&s| s.to_owned()).collect::<BTreeSet<_>>(),
            protected_token_ids: BTreeSet::new(),
        };
        ProviderContext::new(settings, "1.11.4", &mut Diagnostics::new()).expect("context")
    }

    fn protected(id: &str) -> Value {
        Value::Object(BTreeMap::from([
            (ID.to_owned(), id.into()),
            (DESCRIPTION.to_owned(), "old".into()),
            (DELETION_PROTECTION.to_owned(), Value::Bool(true)),
        ]))
    }

    #[test]
    fn a_protected_token_is_revoked_only_when_the_provider_names_its_id() {
        for ctx in [None, Some(naming(&[])), Some(naming(&[OTHER]))] {
            let mut diags = Diagnostics::new();
            plan_destroy(ctx.as_ref(), &protected(OLD), false, &mut diags);
            assert!(diags.has_errors());
            let detail = &diags.iter().next().expect("one").detail;
            let way_out = format!("{ATTRIBUTE} = [\"{OLD}\"]");
            assert!(detail.contains(&way_out), "{detail}");
        }
        let mut diags = Diagnostics::new();
        plan_destroy(
            Some(&naming(&[OTHER, OLD])),
            &protected(OLD),
            true,
            &mut diags,
        );
        assert!(!diags.has_errors());
        assert_eq!(
            diags.iter().next().map(|d| d.summary.as_str()),
            Some("Protected Database Token Will Be Revoked")
        );
    }
}
