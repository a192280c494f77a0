//! A `name` change is an in-place rename (`PUT …/databases/{name}/rename`): the data stays.
//!
//! Database tokens grant access by database name, so a rename silently changes what they
//! grant: tokens naming the old name stop reaching this database (and would reach any later
//! database created with that name). The plan says so and names the live tokens whose
//! permissions mention the old name, found with one (cached) token list call.

use crate::api::{ApiError, Client, Cluster, Database, DatabaseToken};
use crate::databases::model::{DATABASE_ID, DatabaseValue, NAME};
use crate::framework::{Diagnostics, PlanChange, attr, set_attr};
use crate::model::ProviderContext;
use crate::model::cluster::cluster_of;
use crate::value::{AttributePath, Value};

/// The old name and the new one when `change` renames a database: the new name is `None`
/// when it is known only at apply (computed from another resource), which may or may not be a
/// rename, so it is planned as one.
fn renaming(change: &PlanChange) -> Option<(&str, Option<&str>)> {
    if change.prior.is_null() {
        return None;
    }
    let old = DatabaseValue(&change.prior).name()?;
    match DatabaseValue(&change.planned).name() {
        Some(new) => (old != new).then_some((old, Some(new))),
        None => attr(&change.planned, NAME)
            .is_unknown()
            .then_some((old, None)),
    }
}

/// Plans a rename: `database_id` becomes unknown (the rename answer carries it), and a warning
/// on `name` names the tokens that mention the old name. Skipped when the plan replaces the
/// database anyway (another cluster, a new template): then nothing is renamed.
pub(super) async fn plan_rename(
    ctx: Option<&ProviderContext>,
    change: &mut PlanChange,
    diags: &mut Diagnostics,
) {
    if !change.requires_replace.is_empty() {
        return;
    }
    let Some((old, new)) = renaming(change) else {
        return;
    };
    let (old, new) = (old.to_owned(), new.map(str::to_owned));
    // Written once for both: a known new name, or one the plan cannot know yet.
    let (to, update) = match &new {
        Some(new) => (format!("to {new:?}"), format!("to {new:?}")),
        None => (
            "to a name known only at apply".to_owned(),
            "to the new name".to_owned(),
        ),
    };
    set_attr(&mut change.planned, DATABASE_ID, Value::Unknown);
    let client = ctx.and_then(|c| c.client(&mut Diagnostics::new()).cloned());
    let tokens = match (client, cluster_of(&change.prior)) {
        (Some(client), Some(cluster)) => Some(tokens_naming(&client, &cluster, &old).await),
        _ => None,
    };
    let affected = match tokens {
        Some(Ok(names)) if names.is_empty() => {
            format!("No live database token in the cluster names {old:?} in its permissions now.")
        }
        Some(Ok(names)) => format!(
            "Live database tokens whose permissions name {old:?}: {}. Update their permissions \
             {update} (or keep them pointing at {old:?} on purpose).",
            names.join(", ")
        ),
        Some(Err(e)) => format!("The tokens naming {old:?} could not be listed: {e}."),
        None => format!("Check which tokens name {old:?} once the provider is configured."),
    };
    diags.attr_warning(
        AttributePath::attr(NAME),
        "Database Will Be Renamed",
        format!(
            "This plan renames the database {old:?} {to} in place; its data, tables and \
             settings stay. Database tokens grant access by database name: tokens whose \
             permissions name {old:?} stop granting access to this database, and would grant \
             access to any database created later as {old:?}. {affected}"
        ),
    );
}

/// `"description" (id)` of each live token with a permission on exactly `name`.
async fn tokens_naming(
    client: &Client,
    cluster: &Cluster,
    name: &str,
) -> Result<Vec<String>, ApiError> {
    let name = name.to_owned();
    let naming = move |t: &DatabaseToken| {
        !t.is_revoked() && t.permissions.iter().any(|p| p.resource == name)
    };
    let tokens = client.list_tokens_keeping(cluster, naming).await?.tokens;
    Ok(tokens
        .iter()
        .map(|t| format!("{:?} ({})", t.description, t.id))
        .collect())
}

/// Renames at apply. A taken name (409) is an error carrying the API's message, and nothing
/// else of the update is done.
pub(super) async fn apply_rename(
    client: &Client,
    cluster: &Cluster,
    old: &str,
    new: &str,
    diags: &mut Diagnostics,
) -> Option<Database> {
    match client.rename_database(cluster, old, new).await {
        Ok(db) => Some(db),
        Err(e) if e.is_conflict() => {
            diags.attr_error(
                AttributePath::attr(NAME),
                "Database Name Taken",
                format!(
                    "The database {old:?} was not renamed to {new:?}: {e}. Nothing was changed. \
                     Choose another name, or delete or rename the database that holds {new:?} \
                     first (a database deleted in the last ~7 days may still hold it)."
                ),
            );
            None
        }
        Err(e) => {
            diags.error("Cannot Rename Database", format!("{e}."));
            None
        }
    }
}
