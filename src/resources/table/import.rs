//! Import of `influxdb3_table`: the id is `<database>/<table>`, split at the **last** `/`
//! because database names may contain `/` (so a table whose name contains `/` cannot be
//! imported). Nothing more can be read: the API has no table read.

use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::model::database_name::{NAME_RULES, name_problem};
use crate::model::table;
use crate::value::Value;

/// The database and table names of an import id, or why it is not one.
fn parse(id: &str) -> Result<(&str, &str), String> {
    match id.rsplit_once('/') {
        Some((database, table)) if !database.is_empty() && !table.is_empty() => {
            Ok((database, table))
        }
        _ => Err(format!(
            "{id:?} is not `<database>/<table>` (for example `metrics/cpu`; the id is split at \
             the last `/`)"
        )),
    }
}

/// Starts the state of an existing table from `<database>/<table>`. Nothing more can be read:
/// `partition_template` starts null (set it in the configuration as the table was created;
/// the plan then shows a replacement, which is the only way to learn it differs).
pub(super) fn import(ctx: &ProviderContext, id: &str, diags: &mut Diagnostics) -> Option<Value> {
    let (database, table) = match parse(id) {
        Ok(parts) => parts,
        Err(problem) => {
            diags.error(
                "Invalid Import ID",
                format!("Import an influxdb3_table as `<database>/<table>`: {problem}."),
            );
            return None;
        }
    };
    if let Some(problem) = name_problem(database) {
        diags.error(
            "Invalid Import ID",
            format!("{database:?} is not a database name: it {problem}. {NAME_RULES}"),
        );
        return None;
    }
    let (_, cluster) = ctx.api(diags)?;
    Some(table::import_state(database, table, cluster))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_last_slash_so_database_names_may_hold_slashes() {
        assert_eq!(parse("metrics/cpu"), Ok(("metrics", "cpu")));
        assert_eq!(parse("team/metrics/cpu"), Ok(("team/metrics", "cpu")));
        for bad in ["cpu", "/cpu", "metrics/", ""] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
