//! Plan adjustments of `influxdb3_table`: the table's cluster (a table moves only by
//! replacement), its database from either spelling, a `partition_template` only respelled is
//! no replacement, and an unknown `table_id` for an in-place rename, whose answer carries it.

use crate::framework::PlanChange;
use crate::model::ProviderContext;
use crate::model::cluster::plan_cluster;
use crate::model::{table, template};

/// Plans the cluster, then the id of a rename (skipped when the plan replaces the table).
pub(super) fn modify_plan(ctx: Option<&ProviderContext>, change: &mut PlanChange) {
    plan_cluster(ctx.and_then(ProviderContext::cluster), change);
    table::plan_database(change);
    template::respelling_is_no_replacement(change);
    table::plan_template(change);
    if table::renamed(&change.prior, &change.planned) && change.requires_replace.is_empty() {
        table::plan_unknown_id(&mut change.planned);
    }
}
