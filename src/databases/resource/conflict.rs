//! A create refused with 409. Either a live database has the name (import it), or a database
//! deleted in the last ~7 days still holds it: the API lists only live databases, so a name
//! that is taken yet not listed belongs to a soft-deleted one. Then the error says how to get
//! that database (and its data) back.
//!
//! Why no opt-in "restore instead of create": undelete needs the numeric database id, which
//! the API shows only in the rename and undelete answers: the list does not, and no call finds
//! deleted databases by name. The provider could only restore a database whose id it kept in
//! state before the delete, and after a delete that state is gone. `influxctl` lists deleted
//! databases with their ids, so the restore stays a manual step followed by an import.

use crate::api::{Client, Cluster};
use crate::databases::model::NAME;
use crate::framework::Diagnostics;
use crate::value::AttributePath;

/// Reports the 409 of creating `name`, after one fresh list to tell the two causes apart.
pub(super) async fn create_conflict(
    client: &Client,
    cluster: &Cluster,
    name: &str,
    api_message: &str,
    diags: &mut Diagnostics,
) {
    let import = format!(
        "`terraform import <resource address> {name}` (or an `import {{ to = <resource \
         address>, id = \"{name}\" }}` block with Terraform 1.5 or later)"
    );
    let live = match client.list_databases(cluster).await {
        Ok(listed) => Some(listed.iter().any(|d| d.name == name)),
        Err(_) => None,
    };
    let (summary, detail) = match live {
        Some(false) => (
            "Database Name Held By A Deleted Database",
            format!(
                "The name {name:?} is taken in {cluster} (HTTP 409: {api_message}), yet no live \
                 database has it: a database of that name was deleted and can still be restored \
                 (deleted databases stay recoverable for about 7 days). To get it and its data \
                 back, restore it with `influxctl database undelete` (or the API's `PUT \
                 …/databases/<database id>/undelete`), then import it: {import}. Otherwise \
                 choose another name, or wait until the recovery window ends."
            ),
        ),
        _ => (
            "Database Already Exists",
            format!(
                "A database named {name:?} already exists in {cluster} (HTTP 409: \
                 {api_message}). To manage it with Terraform, import it: {import}. Otherwise \
                 choose another name."
            ),
        ),
    };
    diags.attr_error(AttributePath::attr(NAME), summary, detail);
}
