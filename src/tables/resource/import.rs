//! Import of `influxdb3_table`, by id or by identity. The id is `<database>/<table>`, split
//! at the **last** `/` because database names may contain `/` (so a table whose name contains
//! `/` imports by identity only); the identity is `{account_id, cluster_id, database, name}`.
//! Nothing more can be read: the API has no table read, so the table itself is not checked
//! (only its database, by the refresh after the import), and the import says so.

use crate::api::{Cluster, shape};
use crate::databases::name::{NAME_RULES, name_problem};
use crate::framework::{Diagnostics, IdentityAttribute, IdentitySchema};
use crate::model::ProviderContext;
use crate::model::identity::{cluster_of, home_identity};
use crate::tables::model::{self as table, DATABASE, NAME};
use crate::value::Value;

/// `{account_id, cluster_id, database, name}`: a table's name is unique in its database.
pub(super) fn identity_schema() -> IdentitySchema {
    home_identity(&[
        IdentityAttribute {
            name: DATABASE,
            description: "The name of the database the table belongs to.",
        },
        IdentityAttribute {
            name: NAME,
            description: "The name of the table, unique in its database.",
        },
    ])
}

/// The database and table names of an import id, or why it is not one.
fn parse(id: &str) -> Result<(&str, &str), String> {
    match id.rsplit_once('/') {
        Some((database, table)) if !database.is_empty() && !table.is_empty() => {
            Ok((database, table))
        }
        _ => Err(format!(
            "the import id ({}) is not `<database>/<table>` (for example `metrics/cpu`; the id \
             is split at the last `/`)",
            shape(id)
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
            format!(
                "The database part of the import id ({}) is not a database name: it \
                 {problem}. {NAME_RULES}",
                shape(database)
            ),
        );
        return None;
    }
    let (_, cluster) = ctx.api(diags)?;
    Some(starting_state(database, table, cluster, diags))
}

/// Starts the state of the table an identity names, in the identity's cluster (the refresh
/// that follows checks its database there).
pub(super) fn import_by_identity(identity: &Value, diags: &mut Diagnostics) -> Option<Value> {
    let cluster = cluster_of(identity, diags)?;
    let database = IdentitySchema::get(identity, DATABASE)?;
    let table = IdentitySchema::get(identity, NAME)?;
    if let Some(problem) = name_problem(database) {
        diags.error(
            "Invalid Import Identity",
            format!(
                "The identity's database ({}) is not a database name: it {problem}. \
                 {NAME_RULES}",
                shape(database)
            ),
        );
        return None;
    }
    Some(starting_state(database, table, &cluster, diags))
}

/// The imported table's state, with the warning that nothing checked the table itself.
fn starting_state(
    database: &str,
    table: &str,
    cluster: &Cluster,
    diags: &mut Diagnostics,
) -> Value {
    diags.warning(
        "Table Not Checked",
        format!(
            "The Management API cannot read or list tables, so nothing checked that the table \
             {table:?} exists in the database {database:?}; only the database is checked (by \
             the refresh that follows the import). A table that does not exist is imported \
             all the same, and shows only when an apply renames it (404) or creates it again \
             after `terraform state rm`; destroying it is treated as already done."
        ),
    );
    table::import_state(database, table, cluster)
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
