//! Plan adjustments: the token's cluster, expiry checks, and what a plan that revokes the
//! token says (or refuses).

use time::OffsetDateTime;

use crate::framework::{Diagnostics, PlanChange, attr, set_attr};
use crate::provider::ProviderContext;
use crate::value::{AttributePath, Value};

use super::{instant, model};

/// Plans the cluster (a token moves only by replacement) and checks `expires_at` for a token
/// about to be created.
pub fn modify_plan(
    ctx: Option<&ProviderContext>,
    change: &mut PlanChange,
    diags: &mut Diagnostics,
) {
    // Missing credentials fail the plan, not the apply that follows it.
    if let Some(ctx) = ctx {
        ctx.api(diags);
    }
    if let Some(target) = ctx.and_then(ProviderContext::cluster) {
        let creating = change.prior.is_null();
        let moved = model::cluster_of(&change.prior).is_some_and(|home| &home != target);
        if creating || moved {
            set_attr(
                &mut change.planned,
                "account_id",
                target.account_id.as_str().into(),
            );
            set_attr(
                &mut change.planned,
                "cluster_id",
                target.cluster_id.as_str().into(),
            );
        }
        if moved {
            for name in ["account_id", "cluster_id"] {
                let path = AttributePath::attr(name);
                if attr(&change.prior, name) != attr(&change.planned, name)
                    && !change.requires_replace.contains(&path)
                {
                    change.requires_replace.push(path);
                }
            }
        }
    }
    let creating = change.prior.is_null() || !change.requires_replace.is_empty();
    check_expiry(&change.planned, creating, diags);
}

/// An expiry in the past is an error for a token about to be created (it would be useless
/// from the start) and a warning for an existing one (clients are being rejected).
fn check_expiry(planned: &Value, creating: bool, diags: &mut Diagnostics) {
    let Some(text) = attr(planned, "expires_at").as_str() else {
        return;
    };
    let Some(at) = instant::parse(text) else {
        return;
    };
    if at > OffsetDateTime::now_utc() {
        return;
    }
    let path = AttributePath::attr("expires_at");
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
                model::display_name(planned)
            ),
        );
    }
}

/// Warns that the plan revokes the token, or refuses when `deletion_protection` is on.
pub fn plan_destroy(prior: &Value, replacing: bool, diags: &mut Diagnostics) {
    let name = model::display_name(prior);
    let verb = if replacing { "replace" } else { "destroy" };
    if is_protected(prior) {
        diags.attr_error(
            AttributePath::attr("deletion_protection"),
            "Database Token Is Protected",
            format!(
                "This plan would {verb} the database token {name}, which revokes it, but its \
                 deletion_protection is true. To revoke it, first set deletion_protection = \
                 false (keeping the resource block and its other settings) and apply that \
                 change, then plan again. To stop managing it without revoking it, use a \
                 `removed` block with `lifecycle {{ destroy = false }}` (Terraform 1.7+) or \
                 `terraform state rm`."
            ),
        );
        return;
    }
    let (summary, why) = if replacing {
        (
            "Database Token Will Be Replaced",
            "is being replaced: the old token is revoked and a new one, with a new access \
             token, is created",
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

/// Whether `deletion_protection` is on in `prior`.
pub(super) fn is_protected(prior: &Value) -> bool {
    attr(prior, "deletion_protection") == &Value::Bool(true)
}
