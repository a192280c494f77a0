//! The `influxdb3_table` resource: a table of a database, created with its own partition
//! template, renamed in place, deleted (soft, like databases). The API has no table read or
//! list, so refresh checks only that the database still exists (see `schema::DRIFT_DOC`).
//!
//! This file holds the type and its create, rename, delete and refresh, each in the same
//! steps: find where the table lives ([`Home`]), call the API there, build the state through
//! the model. Beside it: `schema`, `validate` and `import` (by id and by identity).

mod import;
mod schema;
mod validate;

use async_trait::async_trait;

use crate::api::TableCreateError;
use crate::framework::{Declaration, Declare, Diagnostics, PlanChange, Resource};
use crate::model::cluster::plan_cluster;
use crate::model::home::{Doing, Home, TABLE, sentence};
use crate::model::template;
use crate::model::{Call, PlanCall, ProviderContext};
use crate::tables::model::{self as table, DATABASE, NAME, TableValue};
use crate::value::AttributePath;
use crate::value::Value;

/// The resource type.
#[derive(Debug, Default)]
pub struct TableResource;

#[async_trait]
impl Resource<ProviderContext> for TableResource {
    async fn modify_plan(&self, PlanCall { ctx, .. }: PlanCall<'_>, change: &mut PlanChange) {
        // The table's cluster (a table moves only by replacement), its database from either
        // spelling, a `partition_template` only respelled is no replacement, and an unknown
        // `table_id` for an in-place rename (whose answer carries it).
        plan_cluster(ctx.and_then(ProviderContext::cluster), change);
        table::plan_database(change);
        template::respelling_is_no_replacement(change);
        table::plan_template(change);
        if table::renamed(&change.prior, &change.planned) && change.requires_replace.is_empty() {
            table::plan_unknown_id(&mut change.planned);
        }
    }

    /// Refresh: the only thing the API can tell is whether the table's database is still listed
    /// (one cached list call). Gone database: removed from the state with a warning. Otherwise the
    /// state is returned as it is; nothing about the table itself can be read.
    async fn read(&self, Call { ctx, diags }: Call<'_>, state: &Value) -> Option<Value> {
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

    /// Creates the table in the provider's cluster. A create whose outcome is unknown keeps the
    /// planned table in the state with the error (tainted), so the next apply deletes it (404 is
    /// fine) and creates it again: nothing is left behind unmanaged.
    async fn create(&self, Call { ctx, diags }: Call<'_>, planned: &Value) -> Option<Value> {
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
                diags.error(TABLE.doing("create").summary(), sentence(&e));
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
    async fn update(&self, call: Call<'_>, prior: &Value, planned: &Value) -> Option<Value> {
        let Call { ctx, diags } = call;
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
                    format!(
                        "The table {old:?} was not renamed to {new:?}: {e}. Nothing was changed."
                    ),
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
    async fn delete(&self, Call { ctx, diags }: Call<'_>, prior: &Value) {
        let Some(home) = home(ctx, prior, diags) else {
            return;
        };
        let (database, name) = names(prior);
        if !home.check_reachable(DELETE, diags).await {
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

    async fn import(&self, Call { ctx, diags }: Call<'_>, id: &str) -> Option<Value> {
        import::import(ctx, id, diags)
    }

    async fn import_by_identity(&self, call: Call<'_>, identity: &Value) -> Option<Value> {
        import::import_by_identity(identity, call.diags)
    }
}

impl Declare for TableResource {
    const DECLARATION: Declaration = Declaration::new(crate::tables::TYPE_NAME, schema::schema)
        .validated_by(validate::validate)
        .upgraded_by(schema::TABLE_STEPS)
        .identified_by(import::identity_schema);
}

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
    Home::of_state(ctx, &TABLE, state, shown, diags)
}

const READ: Doing = TABLE.doing("read");

const RENAME: Doing = TABLE.doing("rename");

const DELETE: Doing = TABLE.doing("delete");
