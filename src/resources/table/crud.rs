//! Create, rename, delete, refresh and import of `influxdb3_table` against the API.

use std::collections::BTreeMap;

use crate::api::{Client, Cluster, CreateTableRequest, Table, TableCreateError};
use crate::framework::{Diagnostics, attr, set_attr};
use crate::provider::ProviderContext;
use crate::resources::database::naming::{NAME_RULES, name_problem};
use crate::resources::database::state::state_cluster;
use crate::resources::database::template;
use crate::value::{AttributePath, Number, Value};

use super::id;

fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    attr(value, name).as_str().unwrap_or_default()
}

/// The client and the cluster a state names, else the provider's.
fn cluster_for<'a>(
    ctx: &'a ProviderContext,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<(&'a Client, Cluster)> {
    match state_cluster(state) {
        Some(cluster) => Some((ctx.client(diags)?, cluster)),
        None => ctx.api(diags).map(|(c, cluster)| (c, cluster.clone())),
    }
}

/// `known` with what the API answered: the name, and the id when the answer has one.
/// The template stays as planned (the answer echoes it, and it cannot change).
fn state_of(table: &Table, known: &Value) -> Value {
    let mut state = known.clone();
    set_attr(&mut state, "name", Value::String(table.name.clone()));
    set_attr(
        &mut state,
        "account_id",
        Value::String(table.account_id.clone()),
    );
    set_attr(
        &mut state,
        "cluster_id",
        Value::String(table.cluster_id.clone()),
    );
    let id = match (table.id, attr(known, "table_id")) {
        (Some(id), _) => Value::Number(Number::from_i64(id)),
        (None, Value::Unknown) => Value::Null,
        (None, other) => other.clone(),
    };
    set_attr(&mut state, "table_id", id);
    state
}

/// Creates the table in the provider's cluster. A create whose outcome is unknown keeps the
/// planned table in the state with the error (tainted), so the next apply deletes it (404 is
/// fine) and creates it again: nothing is left behind unmanaged.
pub async fn create(
    ctx: &ProviderContext,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (client, cluster) = ctx.api(diags)?;
    let (database, name) = (text(planned, "database"), text(planned, "name"));
    let req = CreateTableRequest {
        name: name.to_owned(),
        partition_template: template::from_value(attr(planned, "partition_template")),
    };
    match client.create_table(cluster, database, &req).await {
        Ok(table) => Some(state_of(&table, planned)),
        Err(TableCreateError::Refused(e)) if e.is_conflict() => {
            diags.attr_error(
                AttributePath::attr("name"),
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
                AttributePath::attr("database"),
                "Database Not Found",
                format!("The table {name:?} was not created: {e}."),
            );
            None
        }
        Err(TableCreateError::Refused(e)) => {
            diags.error("Cannot Create Table", format!("{e}."));
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
            set_attr(&mut state, "table_id", Value::Null);
            Some(state)
        }
    }
}

/// Renames in place (the only in-place change). 409: the API's message, nothing changed.
pub async fn update(
    ctx: &ProviderContext,
    prior: &Value,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (database, old, new) = (
        text(prior, "database"),
        text(prior, "name"),
        text(planned, "name"),
    );
    if old == new {
        let mut same = planned.clone();
        set_attr(&mut same, "table_id", attr(prior, "table_id").clone());
        return Some(same);
    }
    let (client, cluster) = cluster_for(ctx, prior, diags)?;
    match client.rename_table(&cluster, database, old, new).await {
        Ok(table) => Some(state_of(&table, planned)),
        Err(e) if e.is_conflict() => {
            diags.attr_error(
                AttributePath::attr("name"),
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
            diags.error("Cannot Rename Table", format!("{e}."));
            None
        }
    }
}

/// Deletes the table from its own cluster; already gone (404, also for a gone database) is
/// fine.
pub async fn delete(ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
    let Some((client, cluster)) = cluster_for(ctx, prior, diags) else {
        return;
    };
    let (database, name) = (text(prior, "database"), text(prior, "name"));
    if let Err(e) = client.delete_table(&cluster, database, name).await {
        diags.error("Cannot Delete Table", format!("{e}."));
    }
}

/// Refresh: the only thing the API can tell is whether the table's database is still listed
/// (one cached list call). Gone database: removed from the state with a warning. Otherwise the
/// state is returned as it is; nothing about the table itself can be read.
pub async fn read(ctx: &ProviderContext, state: &Value, diags: &mut Diagnostics) -> Option<Value> {
    let (client, cluster) = cluster_for(ctx, state, diags)?;
    let (database, name) = (text(state, "database"), text(state, "name"));
    let listed = match client.cached_databases(&cluster).await {
        Ok(list) if list.iter().any(|d| d.name == database) => Ok(true),
        Ok(_) => client
            .list_databases(&cluster)
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
            diags.error("Cannot Read Table", format!("{e}."));
            None
        }
    }
}

/// Starts the state of an existing table from `<database>/<table>`. Nothing more can be read:
/// `partition_template` starts null (set it in the configuration as the table was created;
/// the plan then shows a replacement, which is the only way to learn it differs).
pub fn import(ctx: &ProviderContext, id: &str, diags: &mut Diagnostics) -> Option<Value> {
    let (database, table) = match id::parse(id) {
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
    let attrs = BTreeMap::from([
        ("database".to_owned(), Value::String(database.to_owned())),
        ("name".to_owned(), Value::String(table.to_owned())),
        ("partition_template".to_owned(), Value::Null),
        ("table_id".to_owned(), Value::Null),
        (
            "account_id".to_owned(),
            Value::String(cluster.account_id.clone()),
        ),
        (
            "cluster_id".to_owned(),
            Value::String(cluster.cluster_id.clone()),
        ),
    ]);
    Some(Value::Object(attrs))
}
