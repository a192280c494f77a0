//! The `influxdb3_database` schema; its descriptions are the user documentation.

use crate::framework::{Attribute, Schema};
use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::model::database::{
    DATABASE_ID, MAX_COLUMNS_PER_TABLE, MAX_TABLES, NAME, RETENTION_PERIOD,
};
use crate::model::database_name::NAME_RULES;
use crate::model::protection::DELETION_PROTECTION;
use crate::model::retention;
use crate::model::template::{TEMPLATE_DOC, template_attribute};
use crate::value::{Type, Value};

/// The soft-delete facts every destroy warning and the docs repeat.
pub(super) const DELETE_DOC: &str = "Deleting a database is a soft delete that the API can undo only \
    for about 7 days. Database tokens grant access by database **name**: tokens that name this \
    database keep applying to any database created later with the same name.";

/// What a rename does to tokens, for the schema and the plan warning's readers.
pub(super) const RENAME_DOC: &str = "Database tokens grant access by database **name**: after a \
    rename, tokens whose permissions name the old name no longer reach this database (and would \
    reach a new database created with the old name). The plan warns and names the live tokens \
    whose permissions mention the old name.";

/// An optional limit that shows the server's default when unset.
fn limit(name: &'static str, what: &str, default: u32) -> Attribute {
    Attribute::optional(name, Type::Number)
        .also_computed()
        .use_state_for_unknown()
        .describe(format!(
            "Most {what} (at least 1). When unset, the server's default ({default}) is used \
             and shown after create, and later changes made outside Terraform are accepted. \
             Updated in place."
        ))
}

/// The resource schema.
pub(super) fn schema() -> Schema {
    Schema::new(
        format!(
            "A database of an InfluxDB Cloud Dedicated cluster. The database lives in the \
             cluster that created it: if the provider is later pointed at another cluster, the \
             plan replaces it. {DELETE_DOC}"
        ),
        vec![
            Attribute::required(NAME, Type::String).describe(format!(
                "The database name. {NAME_RULES} Changing it renames the database in place \
                 (data, tables and settings stay). {RENAME_DOC}"
            )),
            limit(MAX_TABLES, "tables the database may hold", 500),
            limit(MAX_COLUMNS_PER_TABLE, "columns a table may have", 250),
            Attribute::optional(RETENTION_PERIOD, Type::String)
                .default_value(Value::String("0".into()))
                .semantic_eq(retention::same_duration)
                .describe(
                    "How long data is kept, as a duration such as `\"30d\"`, `\"12h\"` or \
                     `\"1h30m\"` (units `ns`, `us`, `ms`, `s`, `m`, `h`, `d`, `w`). `\"0\"` or \
                     `\"infinite\"` keeps data forever, and is the default: removing the \
                     attribute sets the retention back to infinite. Two spellings of one \
                     duration (`\"30d\"`, `\"720h\"`) are no change. Updated in place. \
                     A whole number without a unit (the incumbent provider's spelling, \
                     `604800`) is read as **nanoseconds**, with a warning that shows the \
                     duration and the likely intent (`604800` is 604.8µs; 7 days is `\"7d\"`).",
                ),
            template_attribute().describe(format!(
                "How data is partitioned: 1 to 8 unique parts, at most one `time` part and at \
                 most 7 `tag` and `bucket` parts. {TEMPLATE_DOC} The API sets the template \
                 only at creation: changing it replaces the database."
            )),
            Attribute::computed(ACCOUNT_ID, Type::String)
                .use_state_for_unknown()
                .describe("The account the database lives in (from the provider at creation)."),
            Attribute::computed(CLUSTER_ID, Type::String)
                .use_state_for_unknown()
                .describe(
                    "The cluster the database lives in (from the provider at creation). Read, \
                     update and delete always use this cluster.",
                ),
            Attribute::computed(DATABASE_ID, Type::Number)
                .use_state_for_unknown()
                .describe(
                    "The database's numeric id, the key to undelete it. The API returns it only \
                     when a database is renamed (or undeleted), so it is null until this \
                     resource first renames the database.",
                ),
            Attribute::optional(DELETION_PROTECTION, Type::Bool)
                .default_value(Value::Bool(false))
                .describe(format!(
                    "When `true`, any plan that would delete or replace the database fails, \
                     and so does a delete. Set it to `false` and apply before removing or \
                     replacing the database. Not sent to the API. {DELETE_DOC}"
                )),
        ],
    )
}
