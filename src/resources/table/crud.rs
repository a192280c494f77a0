//! Create, rename, delete and refresh of `influxdb3_table`, each in the same steps: read the
//! value through the model, call the API in the table's cluster, build the state through the
//! model.

use crate::api::TableCreateError;
use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::model::table::{self, DATABASE, NAME, TableValue};
use crate::resources::home::{Doing, Home, TABLE, sentence};
use crate::value::{AttributePath, Value};

/// The database and table names of a state or plan (empty when unknown).
fn names(value: &Value) -> (&str, &str) {
    let value = TableValue(value);
    (
        value.database().unwrap_or_default(),
        value.name().unwrap_or_default(),
    )
}

/// Where the table a state holds lives (the cluster the state records).
fn home<'a>(ctx: &'a ProviderContext, state: &Value, diags: &mut Diagnostics) -> Option<Home<'a>> {
    let (database, name) = names(state);
    let shown = format!("{database}/{name}");
    Home::of_state(ctx, &TABLE, TableValue(state).cluster(), shown, diags)
}

const READ: Doing = Doing {
    verb: "read",
    summary: "Cannot Read Table",
};
const RENAME: Doing = Doing {
    verb: "rename",
    summary: "Cannot Rename Table",
};
const DELETE: Doing = Doing {
    verb: "delete",
    summary: "Cannot Delete Table",
};

/// Creates the table in the provider's cluster. A create whose outcome is unknown keeps the
/// planned table in the state with the error (tainted), so the next apply deletes it (404 is
/// fine) and creates it again: nothing is left behind unmanaged.
pub(super) async fn create(
    ctx: &ProviderContext,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (client, cluster) = ctx.api(diags)?;
    let (database, name) = names(planned);
    let req = table::create_request(planned);
    match client.create_table(cluster, database, &req).await {
        Ok(table) => Some(table::state(&table, planned)),
        Err(TableCreateError::Refused(e)) if e.is_conflict() => {
            diags.attr_error(
                AttributePath::attr(NAME),
                "Table Already Exists",
                format!(
                    "{e}. Tables are also created by the first write to them. To manage this \
                     one with Terraform, import it: `terraform import <resource address> \
                     {database}/{name}`. Its partition template cannot be read back, so keep \
                     `partition_template` as it was created."
                ),
            );
            None
        }
        Err(TableCreateError::Refused(e)) if e.is_not_found() => {
            diags.attr_error(
                AttributePath::attr(DATABASE),
                "Database Not Found",
                format!("The table {name:?} was not created: {e}."),
            );
            None
        }
        Err(TableCreateError::Refused(e)) => {
            diags.error("Cannot Create Table", sentence(&e));
            None
        }
        Err(TableCreateError::Unconfirmed(e)) => {
            diags.error(
                "Table Create Unconfirmed",
                format!(
                    "{e}. The table may or may not exist now, and the API cannot list tables \
                     to tell. It is kept in the state as tainted: the next apply deletes it if \
                     it is there and creates it again."
                ),
            );
            let mut state = planned.clone();
            table::set_id(&mut state, Value::Null);
            Some(state)
        }
    }
}

/// Renames in place (the only in-place change). 409: the API's message, nothing changed.
pub(super) async fn update(
    ctx: &ProviderContext,
    prior: &Value,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let ((database, old), (_, new)) = (names(prior), names(planned));
    if old == new {
        let mut same = planned.clone();
        table::set_id(&mut same, TableValue(prior).table_id().clone());
        return Some(same);
    }
    let home = home(ctx, prior, diags)?;
    match home
        .client
        .rename_table(&home.cluster, database, old, new)
        .await
    {
        Ok(table) => Some(table::state(&table, planned)),
        Err(e) if e.is_conflict() => {
            diags.attr_error(
                AttributePath::attr(NAME),
                "Table Name Taken",
                format!("The table {old:?} was not renamed to {new:?}: {e}. Nothing was changed."),
            );
            None
        }
        Err(e) if e.is_not_found() => {
            diags.error(
                "Table Not Found",
                format!(
                    "The table {old:?} of database {database:?} was not renamed: {e}. The API \
                     cannot list tables, so the provider cannot tell whether it was deleted or \
                     already renamed (outside Terraform, or by an earlier attempt whose answer \
                     was lost). If it now exists as {new:?}, `terraform state rm` this resource \
                     and import it as `{database}/{new}`; if it is gone, `terraform state rm` it \
                     and apply to create it again."
                ),
            );
            None
        }
        Err(e) => {
            home.report(RENAME, &e, diags);
            None
        }
    }
}

/// Deletes the table from its own cluster; already gone (404, also for a gone database) is
/// fine.
pub(super) async fn delete(ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
    let Some(home) = home(ctx, prior, diags) else {
        return;
    };
    let (database, name) = names(prior);
    let probe = home.client.cached_databases(&home.cluster);
    if !home.check_reachable(DELETE, probe, diags).await {
        return;
    }
    if let Err(e) = home
        .client
        .delete_table(&home.cluster, database, name)
        .await
    {
        home.report(DELETE, &e, diags);
    }
}

/// Refresh: the only thing the API can tell is whether the table's database is still listed
/// (one cached list call). Gone database: removed from the state with a warning. Otherwise the
/// state is returned as it is; nothing about the table itself can be read.
pub(super) async fn read(
    ctx: &ProviderContext,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let home = home(ctx, state, diags)?;
    let (client, cluster) = (home.client, &home.cluster);
    let (database, name) = names(state);
    let listed = match client.cached_databases(cluster).await {
        Ok(list) if list.iter().any(|d| d.name == database) => Ok(true),
        Ok(_) => client
            .list_databases(cluster)
            .await
            .map(|fresh| fresh.iter().any(|d| d.name == database)),
        Err(e) => Err(e),
    };
    match listed {
        Ok(true) => Some(state.clone()),
        Ok(false) => {
            diags.warning(
                "Table's Database Gone",
                format!(
                    "The database {database:?} is no longer in {cluster}, so its table {name:?} \
                     is gone too; it was removed from the Terraform state, and the next plan \
                     creates it again."
                ),
            );
            None
        }
        Err(e) => {
            home.report(READ, &e, diags);
            None
        }
    }
}
