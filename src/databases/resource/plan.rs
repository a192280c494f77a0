//! Plan adjustments: the database's cluster, and what a plan that deletes a database says:
//! always a warning about soft deletes and name-bound tokens; with `deletion_protection`, an
//! error that says how to proceed.

use crate::databases::model::DatabaseValue;
use crate::framework::{Diagnostics, PlanChange};
use crate::model::ProviderContext;
use crate::model::cluster::plan_cluster;
use crate::model::protection::{self, DELETION_PROTECTION};
use crate::model::template;
use crate::value::{AttributePath, Value};

use super::schema::DELETE_DOC;

/// Plans the cluster: a database moves only by replacement. A `partition_template` that is
/// only respelled (the incumbent's bucket JSON against ours) replaces nothing.
pub(super) fn modify_plan(
    ctx: Option<&ProviderContext>,
    change: &mut PlanChange,
    _diags: &mut Diagnostics,
) {
    plan_cluster(ctx.and_then(ProviderContext::cluster), change);
    template::respelling_is_no_replacement(change);
}

fn name_of(state: &Value) -> &str {
    DatabaseValue(state).name().unwrap_or("(unknown)")
}

/// Warns about (or, when protected, refuses) a plan that deletes the database in `prior`.
pub(super) fn plan_destroy(prior: &Value, replacing: bool, diags: &mut Diagnostics) {
    let name = name_of(prior);
    let verb = if replacing { "replaces" } else { "destroys" };
    if protection::is_protected(prior) {
        diags.attr_error(
            AttributePath::attr(DELETION_PROTECTION),
            "Database Deletion Protected",
            format!(
                "This plan {verb} the database {name:?}, but its deletion_protection is true. \
                 To go ahead, first set deletion_protection = false, apply, then plan again. To \
                 stop managing the database without deleting it, remove it from the state \
                 instead (`terraform state rm` or a `removed` block)."
            ),
        );
        return;
    }
    // DELETE_DOC is markdown for the docs; Terraform prints diagnostics as plain text, where
    // `**name**` would show its asterisks.
    let facts = DELETE_DOC.replace("**", "");
    diags.warning(
        "Database Will Be Deleted",
        format!(
            "This plan {verb} the database {name:?}, which deletes it and the data in it. \
             {facts} Revoke or update tokens that grant access to {name:?} if that is not what \
             you want."
        ),
    );
}

/// Refuses a delete of a protected database (Terraform versions that never plan destroys
/// still call delete).
pub(super) fn refuse_delete(prior: &Value, diags: &mut Diagnostics) -> bool {
    if !protection::is_protected(prior) {
        return false;
    }
    diags.attr_error(
        AttributePath::attr(DELETION_PROTECTION),
        "Database Deletion Protected",
        format!(
            "The database {:?} was not deleted: its deletion_protection is true. Set \
             deletion_protection = false and apply, then destroy it again.",
            name_of(prior)
        ),
    );
    true
}
