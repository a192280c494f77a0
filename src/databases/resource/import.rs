//! `terraform import` and `import` blocks: a database name, in the provider's cluster.

use crate::api::shape;
use crate::databases::model as database;
use crate::databases::name::{NAME_RULES, name_problem};
use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::value::Value;

/// Starts the state of an existing database of the provider's cluster from its name; Terraform
/// reads the rest right after.
pub(super) fn import(ctx: &ProviderContext, id: &str, diags: &mut Diagnostics) -> Option<Value> {
    if let Some(problem) = name_problem(id) {
        diags.error(
            "Invalid Import ID",
            format!(
                "Import an influxdb3_database by its name; the import id ({}) is not a \
                 database name: it {problem}. {NAME_RULES}",
                shape(id)
            ),
        );
        return None;
    }
    let (_, cluster) = ctx.api(diags)?;
    Some(database::import_state(id, cluster))
}
