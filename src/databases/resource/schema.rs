//! The `influxdb3_database` schema; its descriptions are the user documentation.

use crate::databases::model::{
    DATABASE_ID, MAX_COLUMNS_PER_TABLE, MAX_TABLES, NAME, RETENTION_PERIOD,
};
use crate::databases::name::NAME_RULES;
use crate::databases::retention;
use crate::framework::{Attribute, Schema};
use crate::framework::{Diagnostics, StateObject, UpgradeStep};
use crate::model::cluster::cluster_attributes;
use crate::model::protection::DELETION_PROTECTION;
use crate::model::template::empty_template_is_none;
use crate::model::template::{TEMPLATE_DOC, template_attribute};
use crate::value::{Type, Value};
use serde_json::Value as Json;

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
    let [account_id, cluster_id] = cluster_attributes(
        "The account the database lives in (from the provider at creation).",
        "The cluster the database lives in (from the provider at creation). Read, update and \
         delete always use this cluster.",
    );
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
            account_id,
            cluster_id,
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
    .with_version(1)
}

/// `influxdb3_database` and its aliases: version 1 is the first version whose state can only
/// be ours (version 0 may be the incumbent's).
pub(super) const DATABASE_STEPS: &[UpgradeStep] = &[database_v0];

/// Database 0 → 1: the incumbent's retention in nanoseconds (a JSON number) becomes the
/// unitless text of the same number, which our Read keeps and the incumbent's configuration
/// (`retention_period = 604800`) matches; an empty template is none.
fn database_v0(state: &mut StateObject, _: &mut Diagnostics) {
    if let Some(Json::Number(ns)) = state.get(RETENTION_PERIOD) {
        let text = ns.to_string();
        state.insert(RETENTION_PERIOD.to_owned(), Json::String(text));
    }
    empty_template_is_none(state);
}

#[cfg(test)]
mod upgrade_tests {
    use serde_json::json;

    use super::*;
    use crate::framework::upgrade::upgraded_from_0 as upgraded;

    #[test]
    fn the_incumbents_database_keeps_its_spellings_as_text() {
        let template = json!([
            {"type": "tag", "value": "region"},
            {"type": "bucket", "value": "{\"numberOfBuckets\":10,\"tagName\":\"host\"}"},
        ]);
        let got = upgraded(
            DATABASE_STEPS,
            json!({"name": "db", "retention_period": 604_800, "partition_template": template}),
        );
        assert_eq!(got["retention_period"], "604800");
        assert_eq!(
            retention::parse("604800"),
            Ok(604_800),
            "read as nanoseconds"
        );
        assert_eq!(got["partition_template"], template, "our Read keeps it");
        let zero = upgraded(
            DATABASE_STEPS,
            json!({"retention_period": 0, "partition_template": []}),
        );
        assert_eq!(zero["retention_period"], "0", "our default for infinite");
        assert_eq!(zero["partition_template"], Json::Null);
    }

    #[test]
    fn our_own_version_0_passes_unchanged() {
        let ours = json!({"name": "db", "retention_period": "7d", "partition_template": [
            {"type": "bucket", "value": "host", "number_of_buckets": 5},
            {"type": "time", "value": "%Y"},
        ], "deletion_protection": true, "database_id": 7});
        assert_eq!(upgraded(DATABASE_STEPS, ours.clone()), ours);
    }
}
