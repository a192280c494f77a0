//! The `influxdb3_table` schema; its descriptions are the user documentation.

use crate::framework::{Attribute, Schema};
use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::model::table::{DATABASE, DATABASE_NAME, NAME, TABLE_ID};
use crate::model::template::{TEMPLATE_DOC, template_attribute};
use crate::value::Type;

/// What refresh can and cannot see, for the schema and the docs. The API has no table read
/// or list, so this must not promise more.
pub(super) const DRIFT_DOC: &str = "The Management API can create, rename and delete a table, but \
    cannot read or list tables. So a refresh detects only that the table's **database** is gone \
    (deleted or renamed outside Terraform): the table is then removed from the state with a \
    warning. It cannot detect a table deleted, renamed or re-created outside Terraform, nor a \
    table created by writes; such drift shows up only when an apply fails (a rename or delete \
    of a missing table answers 404, a create of an existing one 409).";

/// The resource schema.
pub(super) fn schema() -> Schema {
    Schema::new(
        format!(
            "A table (measurement) of a database in an InfluxDB Cloud Dedicated cluster. \
             Create a table with this resource when it needs its own partition template: \
             tables are otherwise created by the first write. {DRIFT_DOC}"
        ),
        vec![
            Attribute::optional(DATABASE, Type::String)
                .also_computed()
                .requires_replace()
                .describe(
                    "The name of the database the table belongs to (required unless the \
                     deprecated `database_name` is set instead). Changing it replaces the table \
                     (the API cannot move a table).",
                ),
            Attribute::optional(DATABASE_NAME, Type::String).describe(
                "**Deprecated**: the incumbent provider's spelling of `database`, accepted so \
                 its table configurations work unchanged. Set exactly one of the two; write \
                 `database` instead. Moving the same value from `database_name` to `database` \
                 is an in-place update that sends nothing to the API.",
            ),
            Attribute::required(NAME, Type::String).describe(
                "The table name (non-empty, no control characters). Changing it renames the \
                 table in place; its data stays.",
            ),
            template_attribute()
                .also_computed()
                .use_state_for_unknown()
                .describe(format!(
                    "The table's own partition template; when unset at creation the table uses \
                     its database's. 1 to 8 unique parts, at most one `time` part and at most 7 \
                     `tag` and `bucket` parts. {TEMPLATE_DOC} The API sets the template only at \
                     creation: changing it replaces the table, and a template changed outside \
                     Terraform cannot be seen. Removing it from the configuration changes \
                     nothing: the state keeps the template the table was created with (as the \
                     incumbent provider's state does)."
                )),
            Attribute::computed(TABLE_ID, Type::Number)
                .use_state_for_unknown()
                .describe(
                    "The table's numeric id, the key to undelete it. The API returns it only \
                     when a table is renamed (or undeleted), so it is null until this resource \
                     first renames the table.",
                ),
            Attribute::computed(ACCOUNT_ID, Type::String)
                .use_state_for_unknown()
                .describe("The account of the table's cluster (from the provider at creation)."),
            Attribute::computed(CLUSTER_ID, Type::String)
                .use_state_for_unknown()
                .describe(
                    "The cluster the table lives in (from the provider at creation). Rename, \
                     delete and refresh always use this cluster.",
                ),
        ],
    )
    .with_version(1)
}
