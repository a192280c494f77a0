//! The `influxdb3_table` schema; its descriptions are the user documentation.

use crate::framework::{Attribute, Schema};
use crate::framework::{Diagnostics, StateObject, UpgradeStep};
use crate::model::cluster::cluster_attributes;
use crate::model::template::empty_template_is_none;
use crate::model::template::{TEMPLATE_DOC, template_attribute};
use crate::tables::model::{DATABASE, DATABASE_NAME, NAME, TABLE_ID};
use crate::value::Type;
use serde_json::Value as Json;

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
    let [account_id, cluster_id] = cluster_attributes(
        "The account of the table's cluster (from the provider at creation).",
        "The cluster the table lives in (from the provider at creation). Rename, delete and \
         refresh always use this cluster.",
    );
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
            account_id,
            cluster_id,
        ],
    )
    .with_version(1)
}

/// `influxdb3_table` and its aliases: as for databases (the incumbent's table, v1.6 and
/// later, was also called `influxdb3_table`).
pub(super) const TABLE_STEPS: &[UpgradeStep] = &[table_v0];

/// Table 0 → 1: the incumbent's `database_name` fills our `database` and is kept, since the
/// incumbent's configuration, unchanged, still sets it; its JSON bucket parts stay as written,
/// like a database's.
fn table_v0(state: &mut StateObject, _: &mut Diagnostics) {
    if let Some(name) = state.get(DATABASE_NAME).filter(|n| !n.is_null()).cloned()
        && state.get(DATABASE).is_none_or(Json::is_null)
    {
        state.insert(DATABASE.to_owned(), name);
    }
    empty_template_is_none(state);
}

#[cfg(test)]
mod upgrade_tests {
    use serde_json::json;

    use super::*;
    use crate::framework::upgrade::upgraded_from_0 as upgraded;

    #[test]
    fn our_own_version_0_passes_unchanged() {
        let table = json!({"database": "db", "name": "t", "partition_template": [
            {"type": "bucket", "value": "{\"tagName\":\"x\",\"numberOfBuckets\":3}",
             "number_of_buckets": 5}]});
        assert_eq!(upgraded(TABLE_STEPS, table.clone()), table);
    }

    #[test]
    fn the_incumbents_table_keeps_its_spellings_and_gains_database() {
        let bucket = "{\"numberOfBuckets\":2,\"tagName\":\"h\"}";
        let got = upgraded(
            TABLE_STEPS,
            json!({"database_name": "db", "name": "t", "partition_template": [
                {"type": "bucket", "value": bucket}]}),
        );
        assert_eq!(got["database"], "db", "what everything else reads");
        assert_eq!(
            got["database_name"], "db",
            "what its configuration still sets"
        );
        assert_eq!(
            got["partition_template"][0],
            json!({"type": "bucket", "value": bucket}),
            "as written, which its configuration matches"
        );
        let empty = upgraded(
            TABLE_STEPS,
            json!({"database_name": "db", "partition_template": []}),
        );
        assert_eq!(empty["partition_template"], Json::Null);
    }
}
