//! Validation of database names and of database create and update bodies (tests/data/openapi/cloud-dedicated-management.yml).

use serde_json::Value;

use super::body::{self, Object};
use super::error::ApiError;
use super::model::PartitionPart;

/// Default `maxTables` when create omits it.
pub(crate) const DEFAULT_MAX_TABLES: i64 = 500;
/// Default `maxColumnsPerTable` when create omits it. The spec's schema says 200, but its
/// create-operation text, the docs and the influxdb3-go client say 250; the reference follows
/// the latter (see the API description), and so does the mock.
pub(crate) const DEFAULT_MAX_COLUMNS_PER_TABLE: i64 = 250;
/// Default `retentionPeriod` (nanoseconds; 0 = infinite).
pub(crate) const DEFAULT_RETENTION_PERIOD: i64 = 0;

const INT32_MAX: i64 = i32::MAX as i64;
const MAX_TEMPLATE_PARTS: usize = 8;
const MAX_BUCKETS: i64 = 100_000;

/// A valid create request, defaults filled in. Unknown fields are ignored.
#[derive(Debug)]
pub(crate) struct NewDatabase {
    pub(crate) name: String,
    pub(crate) max_tables: i64,
    pub(crate) max_columns_per_table: i64,
    pub(crate) retention_period: i64,
    pub(crate) partition_template: Option<Vec<PartitionPart>>,
}

/// A valid update request: at least one field set.
#[derive(Debug)]
pub(crate) struct DatabasePatch {
    pub(crate) max_tables: Option<i64>,
    pub(crate) max_columns_per_table: Option<i64>,
    pub(crate) retention_period: Option<i64>,
}

/// Checks a database name: 1–64 characters of ASCII letters, digits, `_`, `-`, `/`, not
/// starting with `_` (the docs' naming rules; the spec only bounds the length).
pub(crate) fn check_name(name: &str) -> Result<(), ApiError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/');
    let valid =
        (1..=64).contains(&name.len()) && name.chars().all(allowed) && !name.starts_with('_');
    if valid {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "database name `{name}` must be 1 to 64 letters, digits, `_`, `-` or `/`, not starting with `_`"
        )))
    }
}

pub(crate) fn new_database(obj: &Object) -> Result<NewDatabase, ApiError> {
    let name = body::required_str(obj, "name")?;
    check_name(name)?;
    let limits = limits(obj)?;
    let partition_template = opt_template(obj)?;
    Ok(NewDatabase {
        name: name.to_owned(),
        max_tables: limits.max_tables.unwrap_or(DEFAULT_MAX_TABLES),
        max_columns_per_table: limits
            .max_columns_per_table
            .unwrap_or(DEFAULT_MAX_COLUMNS_PER_TABLE),
        retention_period: limits.retention_period.unwrap_or(DEFAULT_RETENTION_PERIOD),
        partition_template,
    })
}

/// The body of a rename (database or table): `{"name": "…"}`, the name itself checked by the
/// caller. Unknown fields are ignored.
pub(crate) fn rename_body(obj: &Object) -> Result<String, ApiError> {
    body::required_str(obj, "name").map(str::to_owned)
}

pub(crate) fn database_patch(obj: &Object) -> Result<DatabasePatch, ApiError> {
    for fixed in ["name", "partitionTemplate"] {
        if obj.contains_key(fixed) {
            return Err(ApiError::bad_request(format!(
                "`{fixed}` cannot be changed by an update"
            )));
        }
    }
    let patch = limits(obj)?;
    if patch.max_tables.is_none()
        && patch.max_columns_per_table.is_none()
        && patch.retention_period.is_none()
    {
        return Err(ApiError::bad_request(
            "the body must set at least one of `maxTables`, `maxColumnsPerTable`, `retentionPeriod`",
        ));
    }
    Ok(patch)
}

fn limits(obj: &Object) -> Result<DatabasePatch, ApiError> {
    Ok(DatabasePatch {
        max_tables: body::opt_int(obj, "maxTables", 1, INT32_MAX)?,
        max_columns_per_table: body::opt_int(obj, "maxColumnsPerTable", 1, INT32_MAX)?,
        retention_period: body::opt_int(obj, "retentionPeriod", 0, i64::MAX)?,
    })
}

/// The `partitionTemplate` of a create body, when it has one (see [`template`]).
pub(crate) fn opt_template(obj: &Object) -> Result<Option<Vec<PartitionPart>>, ApiError> {
    obj.get("partitionTemplate").map(template).transpose()
}

/// 1–8 unique parts, at most one of them `time` (databases and tables share the rules).
pub(crate) fn template(value: &Value) -> Result<Vec<PartitionPart>, ApiError> {
    let items = value
        .as_array()
        .ok_or_else(|| ApiError::bad_request("`partitionTemplate` must be an array"))?;
    if !(1..=MAX_TEMPLATE_PARTS).contains(&items.len()) {
        return Err(ApiError::bad_request(format!(
            "`partitionTemplate` must have 1 to {MAX_TEMPLATE_PARTS} parts"
        )));
    }
    let mut parts: Vec<PartitionPart> = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let part = template_part(index, item)?;
        if parts.contains(&part) {
            return Err(ApiError::bad_request(format!(
                "`partitionTemplate[{index}]` repeats an earlier part"
            )));
        }
        parts.push(part);
    }
    let time_parts = parts
        .iter()
        .filter(|p| matches!(p, PartitionPart::Time(_)))
        .count();
    if time_parts > 1 {
        return Err(ApiError::bad_request(
            "`partitionTemplate` may have at most one `time` part",
        ));
    }
    Ok(parts)
}

fn template_part(index: usize, item: &Value) -> Result<PartitionPart, ApiError> {
    let bad = |what: &str| ApiError::bad_request(format!("`partitionTemplate[{index}]` {what}"));
    let obj = item.as_object().ok_or_else(|| bad("must be an object"))?;
    let value = obj.get("value");
    let text_value = || {
        value
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| bad("must have a non-empty string `value`"))
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("tag") => Ok(PartitionPart::Tag(text_value()?)),
        Some("time") => Ok(PartitionPart::Time(text_value()?)),
        Some("bucket") => {
            let bucket = value
                .and_then(Value::as_object)
                .ok_or_else(|| bad("must have an object `value`"))?;
            let tag_name = bucket
                .get("tagName")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| bad("must have a non-empty `value.tagName`"))?;
            let number_of_buckets = bucket
                .get("numberOfBuckets")
                .and_then(Value::as_i64)
                .filter(|n| (1..=MAX_BUCKETS).contains(n))
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    bad("`value.numberOfBuckets` must be an integer from 1 to 100000")
                })?;
            Ok(PartitionPart::Bucket {
                tag_name: tag_name.to_owned(),
                number_of_buckets,
            })
        }
        _ => Err(bad("`type` must be \"tag\", \"time\" or \"bucket\"")),
    }
}
