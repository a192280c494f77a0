//! Read, create, update, delete and import of `influxdb3_database` against the API.

use std::collections::BTreeMap;

use crate::api::{ApiError, Cluster, CreateDatabaseRequest, Database, UpdateDatabaseRequest};
use crate::framework::{Diagnostics, attr, set_attr};
use crate::provider::ProviderContext;
use crate::value::{Number, Value};

use super::conflict::create_conflict;
use super::naming::{NAME_RULES, name_problem};
use super::rename::apply_rename;
use super::state::{database_attrs, int_attr, state_cluster};
use super::{retention, template};

/// The database's name in a state or plan.
fn name_of(value: &Value) -> &str {
    attr(value, "name").as_str().unwrap_or_default()
}

/// The state of `db`: the API's values, the spelling of `retention_period` and the
/// `partition_template` of `known` when the API leaves it out (its update answer always
/// does), and `deletion_protection` as planned.
fn state_of(db: &Database, known: &Value) -> Value {
    let mut attrs = database_attrs(db, attr(known, "retention_period"));
    if db.partition_template.is_none() {
        attrs.insert(
            "partition_template".to_owned(),
            attr(known, "partition_template").clone(),
        );
    }
    let id = match db.id {
        Some(id) => Value::Number(Number::from_i64(id)),
        None => known_id(known),
    };
    attrs.insert("database_id".to_owned(), id);
    let protection = attr(known, "deletion_protection");
    attrs.insert(
        "deletion_protection".to_owned(),
        if protection.is_null() {
            Value::Bool(false)
        } else {
            protection.clone()
        },
    );
    Value::Object(attrs)
}

/// The `database_id` to keep when the API's answer has none (only rename and undelete
/// answers do): the known one, else null.
fn known_id(known: &Value) -> Value {
    match attr(known, "database_id") {
        Value::Unknown => Value::Null,
        other => other.clone(),
    }
}

/// The cluster a state names, else the provider's.
fn cluster_for<'a>(
    ctx: &'a ProviderContext,
    state: &Value,
    diags: &mut Diagnostics,
) -> Option<(&'a crate::api::Client, Cluster)> {
    match state_cluster(state) {
        Some(cluster) => Some((ctx.client(diags)?, cluster)),
        None => ctx
            .api(diags)
            .map(|(client, cluster)| (client, cluster.clone())),
    }
}

fn api_error(diags: &mut Diagnostics, summary: &str, e: &ApiError) {
    diags.error(summary, format!("{e}."));
}

/// Refreshes the state from the cluster's (cached) database list. A database absent from it
/// is looked for once more in a fresh list before it is declared gone: a list may lag behind a
/// create, and dropping a just-created database from the state would plan it again (the API
/// has no GET by name).
pub async fn read(ctx: &ProviderContext, state: &Value, diags: &mut Diagnostics) -> Option<Value> {
    let (client, cluster) = cluster_for(ctx, state, diags)?;
    let name = name_of(state);
    let found = match find(client, &cluster, name).await {
        Ok(found) => found,
        Err(e) => {
            api_error(diags, "Cannot Read Database", &e);
            return None;
        }
    };
    let Some(db) = found else {
        diags.warning(
            "Database Deleted Outside Terraform",
            format!(
                "The database {name:?} is no longer in {cluster}; it was removed from the \
                 Terraform state, and the next plan creates it again."
            ),
        );
        return None;
    };
    Some(state_of(&db, state))
}

/// The database in the cached list, else in a fresh one.
async fn find(
    client: &crate::api::Client,
    cluster: &Cluster,
    name: &str,
) -> Result<Option<Database>, ApiError> {
    let cached = client.cached_databases(cluster).await?;
    if let Some(db) = cached.iter().find(|db| db.name == name) {
        return Ok(Some(db.clone()));
    }
    let fresh = client.list_databases(cluster).await?;
    Ok(fresh.into_iter().find(|db| db.name == name))
}

/// Creates the database in the provider's cluster.
pub async fn create(
    ctx: &ProviderContext,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (client, cluster) = ctx.api(diags)?;
    let name = name_of(planned);
    let req = CreateDatabaseRequest {
        name: name.to_owned(),
        max_tables: int_attr(planned, "max_tables"),
        max_columns_per_table: int_attr(planned, "max_columns_per_table"),
        retention_period: attr(planned, "retention_period")
            .as_str()
            .and_then(|t| retention::parse(t).ok()),
        partition_template: template::from_value(attr(planned, "partition_template")),
    };
    match client.create_database(cluster, &req).await {
        Ok(db) => Some(state_of(&db, planned)),
        Err(ApiError::Conflict { detail, .. }) => {
            create_conflict(client, cluster, name, &detail, diags).await;
            None
        }
        Err(e) => {
            api_error(diags, "Cannot Create Database", &e);
            None
        }
    }
}

/// The PATCH body for what changed between `prior` and `planned` (`None` when nothing the API
/// holds changed).
fn changes(prior: &Value, planned: &Value) -> Option<UpdateDatabaseRequest> {
    let changed_int = |name: &str| {
        let new = int_attr(planned, name);
        new.filter(|n| Some(*n) != int_attr(prior, name))
    };
    let ns = |v: &Value| {
        attr(v, "retention_period")
            .as_str()
            .and_then(|t| retention::parse(t).ok())
    };
    let retention_period = ns(planned).filter(|n| Some(*n) != ns(prior));
    let req = UpdateDatabaseRequest {
        max_tables: changed_int("max_tables"),
        max_columns_per_table: changed_int("max_columns_per_table"),
        retention_period,
    };
    (req != UpdateDatabaseRequest::default()).then_some(req)
}

/// Renames (when `name` changed), then updates limits and retention, in place, in the
/// database's own cluster. A failed rename changes nothing; a failed update after a rename
/// keeps the new name in the state (the rename happened).
pub async fn update(
    ctx: &ProviderContext,
    prior: &Value,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (old, new) = (name_of(prior), name_of(planned));
    let mut current = prior.clone();
    if old != new {
        let (client, cluster) = cluster_for(ctx, prior, diags)?;
        let db = apply_rename(client, &cluster, old, new, diags).await?;
        current = state_of(&db, prior);
    }
    let Some(req) = changes(prior, planned) else {
        let mut done = planned.clone();
        set_attr(&mut done, "database_id", known_id(&current));
        return Some(done);
    };
    let (client, cluster) = cluster_for(ctx, prior, diags)?;
    match client.update_database(&cluster, new, &req).await {
        Ok(db) => Some(state_of(&db, &current_with(&current, planned))),
        Err(e) => {
            api_error(diags, "Cannot Update Database", &e);
            (old != new).then_some(current)
        }
    }
}

/// `planned` with the `database_id` of `current` (what a rename just returned).
fn current_with(current: &Value, planned: &Value) -> Value {
    let mut out = planned.clone();
    set_attr(&mut out, "database_id", known_id(current));
    out
}

/// Deletes the database from its own cluster; already gone is fine.
pub async fn delete(ctx: &ProviderContext, prior: &Value, diags: &mut Diagnostics) {
    let Some((client, cluster)) = cluster_for(ctx, prior, diags) else {
        return;
    };
    if let Err(e) = client.delete_database(&cluster, name_of(prior)).await {
        api_error(diags, "Cannot Delete Database", &e);
    }
}

/// Starts the state of an existing database of the provider's cluster from its name; Terraform
/// reads the rest right after.
pub fn import(ctx: &ProviderContext, id: &str, diags: &mut Diagnostics) -> Option<Value> {
    if let Some(problem) = name_problem(id) {
        diags.error(
            "Invalid Import ID",
            format!(
                "Import an influxdb3_database by its name; {id:?} is not a database name: it \
                 {problem}. {NAME_RULES}"
            ),
        );
        return None;
    }
    let (_, cluster) = ctx.api(diags)?;
    let mut attrs: BTreeMap<String, Value> = super::state::database_types()
        .into_keys()
        .map(|k| (k, Value::Null))
        .collect();
    attrs.insert("name".to_owned(), Value::String(id.to_owned()));
    attrs.insert(
        "account_id".to_owned(),
        Value::String(cluster.account_id.clone()),
    );
    attrs.insert(
        "cluster_id".to_owned(),
        Value::String(cluster.cluster_id.clone()),
    );
    attrs.insert("deletion_protection".to_owned(), Value::Bool(false));
    attrs.insert("database_id".to_owned(), Value::Null);
    Some(Value::Object(attrs))
}
