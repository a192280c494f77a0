//! The `influxdb3_database` resource: a database of the cluster that created it.
//!
//! Create is POST (a taken name suggests import, or restoring a soft-deleted database), a
//! `name` change an in-place rename, other updates a PATCH of only what changed, delete a
//! DELETE that is refused under `deletion_protection` and treats 404 as done. Read finds the
//! database in the cluster's cached list: absent means deleted or renamed outside Terraform
//! (a protected one then stays in state with an error rather than be planned again empty).
//!
//! This file holds the type and its read, create, update and delete, each in the same steps:
//! find where the database lives ([`Home`]), call the API there, build the state through the
//! model. Beside it: `schema`, `validate`, `plan`, `import`, `identity` (with the list
//! resource), `rename` (the plan warning and the apply of a name change) and `conflict` (a
//! create's 409).

mod conflict;
mod identity;
mod import;
mod plan;
mod rename;
mod schema;
mod validate;

pub use identity::DatabaseList;

use async_trait::async_trait;

use self::conflict::create_conflict;
use self::rename::apply_rename;
use crate::api::{ApiError, Client, Cluster, Database};
use crate::databases::model::{
    self as database, DatabaseValue, MAX_COLUMNS_PER_TABLE, MAX_TABLES, PARTITION_TEMPLATE,
    RETENTION_PERIOD,
};
use crate::framework::{Declaration, Declare, Diagnostics, PlanChange, Resource, attr};
use crate::model::home::{DATABASE, Doing, Home, sentence};
use crate::model::protection;
use crate::model::{Call, PlanCall, ProviderContext};
use crate::value::Value;

/// The resource type.
#[derive(Debug, Default)]
pub struct DatabaseResource;

#[async_trait]
impl Resource<ProviderContext> for DatabaseResource {
    async fn modify_plan(&self, PlanCall { ctx, diags }: PlanCall<'_>, change: &mut PlanChange) {
        plan::modify_plan(ctx, change, diags);
        rename::plan_rename(ctx, change, diags).await;
    }

    fn plan_destroy(&self, call: PlanCall<'_>, prior: &Value, replacing: bool) {
        plan::plan_destroy(prior, replacing, call.diags);
    }

    /// Refreshes the state from the cluster's (cached) database list. A database absent from it
    /// is looked for once more in a fresh list before it is declared gone: a list may lag behind a
    /// create, and dropping a just-created database from the state would plan it again (the API
    /// has no GET by name).
    async fn read(&self, Call { ctx, diags }: Call<'_>, state: &Value) -> Option<Value> {
        let home = home(ctx, state, diags)?;
        let cluster = &home.cluster;
        let name = name_of(state);
        let db = match find(home.client, cluster, name).await {
            Ok(Lookup::Listed(db)) => db,
            Ok(Lookup::Absent(listed)) => return gone(&home, state, &listed, diags),
            Err(e) => {
                home.report(READ, &e, diags);
                return None;
            }
        };
        if db.contradicted {
            diags.warning(
                "Database Listed Twice",
                format!(
                    "The database list of {cluster} holds {name:?} more than once, with different \
                     settings. The database counts as present, and its state is kept as it was: \
                     nothing is planned from settings the list contradicts. The next refresh reads \
                     it again."
                ),
            );
            return Some(state.clone());
        }
        Some(database::state(&db, state))
    }

    /// Creates the database in the provider's cluster.
    async fn create(&self, Call { ctx, diags }: Call<'_>, planned: &Value) -> Option<Value> {
        let (client, cluster) = ctx.api(diags)?;
        let request = database::create_request(planned);
        let name = &request.name;
        match client.create_database(cluster, &request).await {
            Ok(db) => Some(database::state(&db, planned)),
            Err(ApiError::Conflict { detail, .. }) => {
                create_conflict(client, cluster, name, &detail, diags).await;
                None
            }
            Err(e) => {
                diags.error(DATABASE.doing("create").summary(), sentence(&e));
                None
            }
        }
    }

    /// Renames (when `name` changed), then updates limits and retention, in place, in the
    /// database's own cluster. A failed rename changes nothing; a failed update after a rename
    /// keeps the new name in the state (the rename happened).
    async fn update(&self, call: Call<'_>, prior: &Value, planned: &Value) -> Option<Value> {
        let Call { ctx, diags } = call;
        let (old, new) = (name_of(prior), name_of(planned));
        let mut current = prior.clone();
        let home = home(ctx, prior, diags)?;
        if old != new {
            let db = apply_rename(home.client, &home.cluster, old, new, diags).await?;
            current = database::state(&db, prior);
        }
        let mut known = planned.clone();
        database::keep_id(&mut known, &current);
        let Some(request) = database::update_request(prior, planned) else {
            return Some(known);
        };
        match home
            .client
            .update_database(&home.cluster, new, &request)
            .await
        {
            Ok(db) => Some(database::state(&db, &known)),
            Err(e) => {
                home.report(UPDATE, &e, diags);
                (old != new).then_some(current)
            }
        }
    }

    /// Deletes the database from its own cluster; already gone is fine. Refused under deletion
    /// protection.
    async fn delete(&self, Call { ctx, diags }: Call<'_>, prior: &Value) {
        if plan::refuse_delete(prior, diags) {
            return;
        }
        let Some(home) = home(ctx, prior, diags) else {
            return;
        };
        if !home.check_reachable(DELETE, diags).await {
            return;
        }
        if let Err(e) = home
            .client
            .delete_database(&home.cluster, name_of(prior))
            .await
        {
            home.report(DELETE, &e, diags);
        }
    }

    async fn import(&self, Call { ctx, diags }: Call<'_>, id: &str) -> Option<Value> {
        import::import(ctx, id, diags)
    }

    async fn import_by_identity(&self, call: Call<'_>, identity: &Value) -> Option<Value> {
        identity::import(identity, call.diags)
    }
}

impl Declare for DatabaseResource {
    const DECLARATION: Declaration = Declaration::new(crate::databases::TYPE_NAME, schema::schema)
        .validated_by(validate::validate)
        .guarded_by(crate::model::protection::DELETION_PROTECTION)
        .upgraded_by(schema::DATABASE_STEPS)
        .identified_by(identity::schema);
}

/// The database's name in a state or plan.
fn name_of(value: &Value) -> &str {
    DatabaseValue(value).name().unwrap_or_default()
}

/// Where the database a state holds lives (the cluster the state records).
fn home<'a>(ctx: &'a ProviderContext, state: &Value, diags: &mut Diagnostics) -> Option<Home<'a>> {
    let name = format!("{:?}", name_of(state));
    Home::of_state(ctx, &DATABASE, state, name, diags)
}

const READ: Doing = DATABASE.doing("read");

const UPDATE: Doing = DATABASE.doing("update");

const DELETE: Doing = DATABASE.doing("delete");

/// The database in the cached list, else in a fresh one; when it is in neither, the fresh
/// list comes back too, to look for the database under another name.
async fn find(client: &Client, cluster: &Cluster, name: &str) -> Result<Lookup, ApiError> {
    let cached = client.cached_databases(cluster).await?;
    if let Some(db) = cached.iter().find(|db| db.name == name) {
        return Ok(Lookup::Listed(db.clone()));
    }
    let fresh = client.list_databases(cluster).await?;
    match fresh.iter().find(|db| db.name == name) {
        Some(db) => Ok(Lookup::Listed(db.clone())),
        None => Ok(Lookup::Absent(fresh)),
    }
}

/// What the lists say of a database the state holds.
enum Lookup {
    Listed(Database),
    /// Not listed; the fresh list that did not have it.
    Absent(Vec<Database>),
}

/// The names of listed databases whose settings are those `state` records (a database renamed
/// outside Terraform keeps its limits, retention and template; the API gives no id to tell).
fn look_alikes(listed: &[Database], state: &Value) -> Vec<String> {
    let same = [
        MAX_TABLES,
        MAX_COLUMNS_PER_TABLE,
        RETENTION_PERIOD,
        PARTITION_TEMPLATE,
    ];
    listed
        .iter()
        .filter(|db| {
            let theirs = database::state(db, state);
            same.iter().all(|a| attr(&theirs, a) == attr(state, a))
        })
        .map(|db| db.name.clone())
        .collect()
}

/// Reports a database the lists no longer hold. It may have been deleted or renamed outside
/// Terraform, and the two cannot be told apart; unprotected, it leaves the state (the next
/// plan creates an empty one under the old name), protected, the state is kept with an error
/// (`Some`), so no plan puts an empty database in place of a renamed one silently.
fn gone(
    home: &Home<'_>,
    state: &Value,
    listed: &[Database],
    diags: &mut Diagnostics,
) -> Option<Value> {
    let (name, cluster) = (name_of(state), &home.cluster);
    let alikes = look_alikes(listed, state);
    let hint = match alikes.as_slice() {
        [] => String::new(),
        names => format!(
            " {} now in {cluster} with the same settings ({}).",
            if names.len() == 1 {
                "A database is"
            } else {
                "Databases are"
            },
            names
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let new_name = alikes.first().map_or("<new name>", String::as_str);
    let reattach = format!(
        "If it was renamed, keep its data by re-attaching it: `terraform state rm <address>`, \
         then import it under its new name (`terraform import <address> {new_name}`, or an \
         `import` block); the next plan renames it back to {name:?} in place (or set `name` to \
         the new name to keep it)."
    );
    if protection::is_protected(state) {
        diags.error(
            "Protected Database Deleted Or Renamed Outside Terraform",
            format!(
                "The database {name:?} is no longer in {cluster}: it was deleted or renamed \
                 outside Terraform.{hint} Its deletion_protection is true, so the provider does \
                 not plan an empty database in its place. {reattach} If it was deleted on \
                 purpose, `terraform state rm <address>` and apply to create it again."
            ),
        );
        return Some(state.clone());
    }
    diags.warning(
        "Database Deleted Or Renamed Outside Terraform",
        format!(
            "The database {name:?} is no longer in {cluster}: it was deleted or renamed outside \
             Terraform.{hint} It was removed from the Terraform state, and the next plan creates \
             an empty database named {name:?}. {reattach}"
        ),
    );
    None
}
