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
//! nanoseconds becomes the unitless text `"N"` (read as nanoseconds), and a database's JSON
//! bucket part stays as it is (our Read keeps that spelling). A table's JSON bucket part
//! becomes ours, because the incumbent's table configuration must be rewritten anyway (its
//! `database_name` is our `database`).

use serde_json::{Map, Value as Json};

use super::database::RETENTION_PERIOD;
use super::table::DATABASE;
use super::template::{NUMBER_OF_BUCKETS, PARTITION_TEMPLATE, TYPE, VALUE};
use super::template_json;
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

/// The incumbent's name for the table's database.
const INCUMBENT_DATABASE_NAME: &str = "database_name";

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

/// Table 0 → 1: the incumbent's `database_name` is our `database`, and its JSON bucket parts
/// become ours.
fn table_v0(state: &mut StateObject, _: &mut Diagnostics) {
    if let Some(name) = state.remove(INCUMBENT_DATABASE_NAME)
        && state.get(DATABASE).is_none_or(Json::is_null)
    {
        state.insert(DATABASE.to_owned(), name);
    }
    empty_template_is_none(state);
    if let Some(Json::Array(parts)) = state.get_mut(PARTITION_TEMPLATE) {
        for part in parts {
            if let Json::Object(part) = part {
                bucket_v0(part);
            }
        }
    }
}

/// An empty template list (which our Read never writes) is no template.
fn empty_template_is_none(state: &mut StateObject) {
    if let Some(template) = state.get_mut(PARTITION_TEMPLATE)
        && template.as_array().is_some_and(Vec::is_empty)
    {
        *template = Json::Null;
    }
}

/// A `bucket` part in the incumbent's JSON spelling (see [`template_json`]) gets our `value`
/// and `number_of_buckets`. Anything else is left as it is: our own parts, and a value that is
/// not that JSON (the strict checks of a later plan name it).
fn bucket_v0(part: &mut Map<String, Json>) {
    let is_bucket = part.get(TYPE).and_then(Json::as_str) == Some("bucket");
    let has_count = part.get(NUMBER_OF_BUCKETS).is_some_and(|n| !n.is_null());
    let Some(bucket) = part
        .get(VALUE)
        .and_then(Json::as_str)
        .filter(|_| is_bucket)
        .and_then(|value| template_json::bucket_of(value, has_count))
    else {
        return;
    };
    part.insert(VALUE.to_owned(), Json::String(bucket.tag_name));
    part.insert(
        NUMBER_OF_BUCKETS.to_owned(),
        Json::from(bucket.number_of_buckets),
    );
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
    fn the_incumbents_table_and_token_become_ours() {
        let got = upgraded(
            TABLE_STEPS,
            json!({"database_name": "db", "name": "t", "partition_template": [
                {"type": "bucket", "value": "{\"tagName\":\"h\",\"numberOfBuckets\":2}"}]}),
        );
        assert_eq!(got["database"], "db");
        assert!(got.get("database_name").is_none());
        assert_eq!(
            got["partition_template"][0],
            json!({"type": "bucket", "value": "h", "number_of_buckets": 2})
        );
        let revoked = json!({"id": "x", "revoked_at": "2026-01-01T00:00:00Z"});
        assert_eq!(
            upgraded(TOKEN_STEPS, revoked.clone()),
            revoked,
            "kept for Read"
        );
    }

    #[test]
    fn a_table_bucket_value_that_is_not_the_incumbents_json_is_left_alone() {
        for value in [
            "host",
            "{\"tagName\":\"h\"}",
            "[1]",
            "{\"numberOfBuckets\":\"2\"}",
        ] {
            let part = json!({"type": "bucket", "value": value});
            let got = upgraded(TABLE_STEPS, json!({"partition_template": [part.clone()]}));
            assert_eq!(got["partition_template"][0], part, "{value}");
        }
    }
}
