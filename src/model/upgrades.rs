//! The upgrade chains of stored state (see [`crate::framework::upgrade`]), one per resource
//! family. A type and every alias of it (the incumbent's type names) share one chain, so state
//! stored under any of those names, by us or by the incumbent, reaches the same current shape.
//!
//! Version 0 is two shapes under one version number: ours before the first bump, and the
//! incumbent's (its schema version 0), which `terraform state replace-provider` or a `moved`
//! block brings to us. The version-0 steps therefore work field by field and leave our own
//! shape untouched: a retention stored as a JSON number, a `database_name` without a
//! `database`, a bucket part whose `value` is JSON, all happen only in the incumbent's state.
//! Each converted value is written the way our Read writes it for the incumbent's
//! configuration, so that configuration, unchanged, plans nothing: a retention of N
//! nanoseconds becomes the unitless text `"N"` (read as nanoseconds), a JSON bucket part
//! stays as it is (our Read and our plans keep that spelling), and a table's `database_name`
//! stays (the deprecated spelling its configuration still writes) and fills `database`, which
//! everything else reads.

use serde_json::Value as Json;

use super::database::RETENTION_PERIOD;
use super::table::{DATABASE, DATABASE_NAME};
use super::template::PARTITION_TEMPLATE;
use super::token::REVOKED_AT;
use crate::framework::{Diagnostics, StateObject, UpgradeStep};

/// `influxdb3_database_token` and its aliases: version 1 added `revoked_at`.
pub(crate) const TOKEN_STEPS: &[UpgradeStep] = &[token_v0];

/// `influxdb3_database` and its aliases: version 1 is the first version whose state can only
/// be ours (version 0 may be the incumbent's).
pub(crate) const DATABASE_STEPS: &[UpgradeStep] = &[database_v0];

/// `influxdb3_table` and its aliases: as for databases (the incumbent's table, v1.6 and
/// later, was also called `influxdb3_table`).
pub(crate) const TABLE_STEPS: &[UpgradeStep] = &[table_v0];

/// Token 0 → 1. Our version-0 state has no `revoked_at`: a token in state is live, so it is
/// null. The incumbent's (v1.7) has it and keeps it: a revoked token is then removed by the
/// next refresh, with the usual warning.
fn token_v0(state: &mut StateObject, _: &mut Diagnostics) {
    state.entry(REVOKED_AT).or_insert(Json::Null);
}

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

/// An empty template list (which our Read never writes) is no template.
fn empty_template_is_none(state: &mut StateObject) {
    if let Some(template) = state.get_mut(PARTITION_TEMPLATE)
        && template.as_array().is_some_and(Vec::is_empty)
    {
        *template = Json::Null;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::retention;
    use serde_json::json;

    fn upgraded(steps: &[UpgradeStep], state: Json) -> Json {
        let Json::Object(mut state) = state else {
            panic!("an object");
        };
        let mut diags = Diagnostics::new();
        crate::framework::upgrade::apply_steps(steps, 0, &mut state, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        Json::Object(state)
    }

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
        let table = json!({"database": "db", "name": "t", "partition_template": [
            {"type": "bucket", "value": "{\"tagName\":\"x\",\"numberOfBuckets\":3}",
             "number_of_buckets": 5}]});
        assert_eq!(upgraded(TABLE_STEPS, table.clone()), table);
        let token = json!({"id": "x", "access_token": "s"});
        let mut with = token.clone();
        with["revoked_at"] = Json::Null;
        assert_eq!(upgraded(TOKEN_STEPS, token), with);
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
        let revoked = json!({"id": "x", "revoked_at": "2026-01-01T00:00:00Z"});
        assert_eq!(
            upgraded(TOKEN_STEPS, revoked.clone()),
            revoked,
            "kept for Read"
        );
    }
}
