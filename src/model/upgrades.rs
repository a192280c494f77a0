//! The upgrade chains of stored state (see [`crate::framework::upgrade`]), one per resource
//! family. A type and every alias of it (the incumbent's type names) share one chain, so state
//! stored under any of those names, by us or by the incumbent, reaches the same current shape.
//!
//! Version 0 is two shapes under one version number: ours before the first bump, and the
//! incumbent's (its schema version 0), which `terraform state replace-provider` or a `moved`
//! block brings to us. The version-0 steps therefore work field by field and leave our own
//! shape untouched: a retention stored as a JSON number, a bucket part whose `value` is JSON
//! and has no `number_of_buckets`, a `database_name` without a `database`, all happen only in
//! the incumbent's state. Each converted value is written the way our Read writes it, so the
//! next refresh changes nothing.

use serde_json::{Map, Value as Json};

use super::database::RETENTION_PERIOD;
use super::retention;
use super::table::DATABASE;
use super::template::{NUMBER_OF_BUCKETS, PARTITION_TEMPLATE, TYPE, VALUE};
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
/// The members of the incumbent's bucket part value, `jsonencode({tagName, numberOfBuckets})`.
const TAG_NAME: &str = "tagName";
const BUCKETS: &str = "numberOfBuckets";

/// Token 0 → 1. Our version-0 state has no `revoked_at`: a token in state is live, so it is
/// null. The incumbent's (v1.7) has it and keeps it: a revoked token is then removed by the
/// next refresh, with the usual warning.
fn token_v0(state: &mut StateObject, _: &mut Diagnostics) {
    state.entry(REVOKED_AT).or_insert(Json::Null);
}

/// Database 0 → 1: the incumbent's retention in nanoseconds (a JSON number) becomes our
/// duration text, and its partition template our parts.
fn database_v0(state: &mut StateObject, _: &mut Diagnostics) {
    let retention = state.get(RETENTION_PERIOD);
    if let Some(Json::Number(ns)) = retention {
        let text = match ns.as_i64() {
            Some(ns) => retention::format(ns),
            None => ns.to_string(),
        };
        state.insert(RETENTION_PERIOD.to_owned(), Json::String(text));
    }
    template_v0(state);
}

/// Table 0 → 1: the incumbent's `database_name` is our `database`, and its partition template
/// becomes our parts.
fn table_v0(state: &mut StateObject, _: &mut Diagnostics) {
    if let Some(name) = state.remove(INCUMBENT_DATABASE_NAME)
        && state.get(DATABASE).is_none_or(Json::is_null)
    {
        state.insert(DATABASE.to_owned(), name);
    }
    template_v0(state);
}

/// The incumbent's template as ours: an empty list (which our Read never writes) is no
/// template, and each bucket part written as JSON gets our `value` and `number_of_buckets`.
fn template_v0(state: &mut StateObject) {
    let Some(template) = state.get_mut(PARTITION_TEMPLATE) else {
        return;
    };
    match template {
        Json::Array(parts) if parts.is_empty() => *template = Json::Null,
        Json::Array(parts) => {
            for part in parts {
                if let Json::Object(part) = part {
                    bucket_v0(part);
                }
            }
        }
        _ => {}
    }
}

/// A `bucket` part whose `value` is `{"tagName": T, "numberOfBuckets": N}` and that has no
/// `number_of_buckets` becomes `value = T, number_of_buckets = N`. Anything else is left as
/// it is: our own parts, and a value that is not that JSON (the next refresh writes the part
/// the API holds).
fn bucket_v0(part: &mut Map<String, Json>) {
    let is_bucket = part.get(TYPE).and_then(Json::as_str) == Some("bucket");
    let has_count = part.get(NUMBER_OF_BUCKETS).is_some_and(|n| !n.is_null());
    if !is_bucket || has_count {
        return;
    }
    let Some(Json::Object(inner)) = part
        .get(VALUE)
        .and_then(Json::as_str)
        .and_then(|text| serde_json::from_str(text).ok())
    else {
        return;
    };
    let (Some(Json::String(tag)), Some(count)) = (
        inner.get(TAG_NAME),
        inner.get(BUCKETS).and_then(Json::as_i64),
    ) else {
        return;
    };
    part.insert(VALUE.to_owned(), Json::String(tag.clone()));
    part.insert(NUMBER_OF_BUCKETS.to_owned(), Json::from(count));
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn the_incumbents_database_becomes_ours() {
        let got = upgraded(
            DATABASE_STEPS,
            json!({"name": "db", "retention_period": 604_800, "partition_template": [
                {"type": "tag", "value": "region"},
                {"type": "bucket", "value": "{\"numberOfBuckets\":10,\"tagName\":\"host\"}"},
            ]}),
        );
        assert_eq!(got["retention_period"], "604us800ns");
        assert_eq!(
            retention::parse("604us800ns"),
            Ok(604_800),
            "the same duration"
        );
        assert_eq!(
            got["partition_template"],
            json!([{"type": "tag", "value": "region"},
                   {"type": "bucket", "value": "host", "number_of_buckets": 10}])
        );
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
            {"type": "bucket", "value": "{\"tagName\":\"x\",\"numberOfBuckets\":3}",
             "number_of_buckets": 5},
            {"type": "time", "value": "%Y"},
        ], "deletion_protection": true, "database_id": 7});
        assert_eq!(upgraded(DATABASE_STEPS, ours.clone()), ours);
        let table = json!({"database": "db", "name": "t", "partition_template": null});
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
        assert_eq!(got["partition_template"][0]["number_of_buckets"], 2);
        let revoked = json!({"id": "x", "revoked_at": "2026-01-01T00:00:00Z"});
        assert_eq!(
            upgraded(TOKEN_STEPS, revoked.clone()),
            revoked,
            "kept for Read"
        );
    }

    #[test]
    fn a_bucket_value_that_is_not_the_incumbents_json_is_left_alone() {
        for value in [
            "host",
            "{\"tagName\":\"h\"}",
            "[1]",
            "{\"numberOfBuckets\":\"2\"}",
        ] {
            let part = json!({"type": "bucket", "value": value});
            let got = upgraded(
                DATABASE_STEPS,
                json!({"partition_template": [part.clone()]}),
            );
            assert_eq!(got["partition_template"][0], part, "{value}");
        }
    }
}
