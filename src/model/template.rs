//! `partition_template`: a list of `{type, value, number_of_buckets}` parts, its limits
//! (tests/data/openapi/cloud-dedicated-management.yml) and its conversion to and from the API's parts.
//!
//! `value` is the tag key of a `tag` part, the strftime format of a `time` part and the tag key
//! of a `bucket` part, whose `number_of_buckets` is then required.

use std::collections::BTreeMap;

use super::template_json;
use crate::api::PartitionPart;
use crate::framework::{
    Attribute, AttributeKind, Diagnostics, Nesting, PlanChange, StateObject, attr,
};
use crate::value::{AttributePath, Number, Type, Value};

/// The attribute's name.
pub(crate) const PARTITION_TEMPLATE: &str = "partition_template";
/// A part's kind: `tag`, `time` or `bucket`.
pub(crate) const TYPE: &str = "type";
/// A part's tag key or strftime format.
pub(crate) const VALUE: &str = "value";
/// A `bucket` part's number of buckets.
pub(crate) const NUMBER_OF_BUCKETS: &str = "number_of_buckets";

/// Most parts a template may have.
pub(crate) const MAX_PARTS: usize = 8;
/// Most `tag` and `bucket` parts together.
pub(crate) const MAX_TAG_PARTS: usize = 7;
/// Largest `number_of_buckets`.
pub(crate) const MAX_BUCKETS: i64 = 100_000;
/// Longest part value, in bytes.
pub(crate) const MAX_PART_BYTES: usize = 200;

/// What `partition_template` parts look like, for the database and table resources and the
/// data sources.
pub(crate) const TEMPLATE_DOC: &str = "Each part is `{ type, value, number_of_buckets }`: \
    `type = \"tag\"` partitions by the tag key in `value`; `type = \"time\"` by time formatted \
    with the strftime format in `value` (default `%Y-%m-%d`); `type = \"bucket\"` hashes the tag \
    key in `value` into `number_of_buckets` (1 to 100000) buckets.";

/// The `partition_template` schema attribute: replace-only, as the API sets a template only at
/// creation (of a database or a table). The caller adds the description.
pub(crate) fn template_attribute() -> Attribute {
    Attribute::optional(
        PARTITION_TEMPLATE,
        AttributeKind::Nested(
            Nesting::List,
            vec![
                Attribute::required(TYPE, Type::String).describe("`tag`, `time` or `bucket`."),
                Attribute::required(VALUE, Type::String).describe(
                    "The tag key (`tag`, `bucket`) or strftime format (`time`); at most 200 \
                     bytes.",
                ),
                Attribute::optional(NUMBER_OF_BUCKETS, Type::Number)
                    .describe("For `bucket` parts only: 1 to 100000."),
            ],
        ),
    )
    .requires_replace()
}

/// The object type of one part.
pub(crate) fn part_type() -> Type {
    Type::Object(BTreeMap::from([
        (TYPE.to_owned(), Type::String),
        (VALUE.to_owned(), Type::String),
        (NUMBER_OF_BUCKETS.to_owned(), Type::Number),
    ]))
}

/// The state value of the API's parts (a list), or null when there is no template.
pub(crate) fn to_value(parts: Option<&[PartitionPart]>) -> Value {
    let Some(parts) = parts else {
        return Value::Null;
    };
    let part = |kind: &str, value: &str, buckets: Option<i64>| {
        Value::Object(BTreeMap::from([
            (TYPE.to_owned(), Value::String(kind.to_owned())),
            (VALUE.to_owned(), Value::String(value.to_owned())),
            (
                NUMBER_OF_BUCKETS.to_owned(),
                buckets.map_or(Value::Null, |n| Value::Number(Number::from_i64(n))),
            ),
        ]))
    };
    Value::List(
        parts
            .iter()
            .map(|p| match p {
                PartitionPart::Tag { value } => part("tag", value, None),
                PartitionPart::Time { value } => part("time", value, None),
                PartitionPart::Bucket {
                    tag_name,
                    number_of_buckets,
                } => part("bucket", tag_name, Some(*number_of_buckets)),
                PartitionPart::Unknown { kind, value } => part(kind, value, None),
            })
            .collect(),
    )
}

/// The API's parts of a known, validated template value (`None` for null).
pub(crate) fn from_value(value: &Value) -> Option<Vec<PartitionPart>> {
    let items = value.elements()?;
    let parts = items
        .iter()
        .filter_map(|item| {
            let text = |name: &str| item.get_attr(name).and_then(Value::as_str);
            let value = text(VALUE)?.to_owned();
            Some(match text(TYPE)? {
                "tag" => PartitionPart::Tag { value },
                "time" => PartitionPart::Time { value },
                _ => {
                    let buckets = item.get_attr(NUMBER_OF_BUCKETS).and_then(Value::as_number);
                    match template_json::bucket_of(&value, buckets.is_some()) {
                        Some(b) => PartitionPart::Bucket {
                            tag_name: b.tag_name,
                            number_of_buckets: b.number_of_buckets,
                        },
                        None => PartitionPart::Bucket {
                            tag_name: value,
                            number_of_buckets: buckets.and_then(Number::as_i64).unwrap_or(0),
                        },
                    }
                }
            })
        })
        .collect();
    Some(parts)
}

/// The state value of the API's `parts`, spelled as `known` (a plan or prior state) spells
/// them when it means the same parts: so the incumbent's JSON bucket spelling stays as
/// configured and the next plan is empty.
pub(crate) fn keep_spelling(parts: Option<&[PartitionPart]>, known: &Value) -> Value {
    match (parts, from_value(known)) {
        (Some(parts), Some(known_parts)) if known.is_wholly_known() && known_parts == parts => {
            known.clone()
        }
        _ => to_value(parts),
    }
}

/// Whether two known templates mean the same parts (our spelling and the incumbent's alike).
pub(crate) fn same_parts(a: &Value, b: &Value) -> bool {
    a.is_wholly_known() && b.is_wholly_known() && from_value(a) == from_value(b)
}

/// Takes `partition_template` off a plan's replacement reasons when only its spelling changed
/// (our bucket spelling against the incumbent's): the update then sends nothing to the API.
pub(crate) fn respelling_is_no_replacement(change: &mut PlanChange) {
    let (old, new) = (
        attr(&change.prior, PARTITION_TEMPLATE),
        attr(&change.planned, PARTITION_TEMPLATE),
    );
    if same_parts(old, new) {
        let path = AttributePath::attr(PARTITION_TEMPLATE);
        change.requires_replace.retain(|p| *p != path);
    }
}

/// Checks what is known of a configured template against the reference's limits.
pub(crate) fn validate(value: &Value, diags: &mut Diagnostics) {
    let root = AttributePath::attr(PARTITION_TEMPLATE);
    let Some(items) = value.elements() else {
        return;
    };
    if !(1..=MAX_PARTS).contains(&items.len()) {
        diags.attr_error(
            root.clone(),
            "Invalid Partition Template",
            format!(
                "partition_template has {} parts; it must have 1 to {MAX_PARTS} (remove the \
                 attribute for the default template).",
                items.len()
            ),
        );
    }
    // Parts compare as the API will see them, so a bucket written both ways is a repeat.
    let mut seen: Vec<Vec<PartitionPart>> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = root.push_index(index as i64);
        check_part(item, &at, diags);
        let Some(part) = item
            .is_wholly_known()
            .then(|| from_value(&Value::List(vec![item.clone()])))
            .flatten()
        else {
            continue;
        };
        if seen.contains(&part) {
            diags.attr_error(
                at,
                "Duplicate Partition Template Part",
                format!(
                    "partition_template[{index}] repeats an earlier part; each part must be unique."
                ),
            );
        }
        seen.push(part);
    }
    let kinds: Vec<&str> = items
        .iter()
        .filter_map(|i| i.get_attr(TYPE).and_then(Value::as_str))
        .collect();
    let times = kinds.iter().filter(|k| **k == "time").count();
    let tags = kinds
        .iter()
        .filter(|k| matches!(**k, "tag" | "bucket"))
        .count();
    if times > 1 {
        diags.attr_error(
            root.clone(),
            "Invalid Partition Template",
            format!("partition_template has {times} `time` parts; at most one is allowed."),
        );
    }
    if tags > MAX_TAG_PARTS {
        diags.attr_error(
            root,
            "Invalid Partition Template",
            format!(
                "partition_template has {tags} `tag` and `bucket` parts; at most \
                 {MAX_TAG_PARTS} are allowed."
            ),
        );
    }
}

fn check_part(item: &Value, at: &AttributePath, diags: &mut Diagnostics) {
    // The nested list's type allows a null element, but the API needs every part, so the
    // request would be rejected at apply.
    if item.is_null() {
        diags.attr_error(
            at.clone(),
            "Invalid Partition Template Part",
            format!("{at} is null; remove it, or give its type and value."),
        );
        return;
    }
    let field = |name: &str| item.get_attr(name).unwrap_or(&Value::Null);
    let kind = field(TYPE);
    let kind_text = kind.as_str();
    if let Some(k) = kind_text
        && !matches!(k, "tag" | "time" | "bucket")
    {
        diags.attr_error(
            at.push_attr(TYPE),
            "Invalid Partition Template Part",
            format!("type {k:?} is not one of \"tag\", \"time\", \"bucket\"."),
        );
    }
    if kind_text == Some("bucket")
        && let Some(v) = field(VALUE).as_str()
        && check_json_bucket(v, field(NUMBER_OF_BUCKETS), at, diags)
    {
        return;
    }
    if let Some(v) = field(VALUE).as_str() {
        if v.is_empty() {
            diags.attr_error(
                at.push_attr(VALUE),
                "Invalid Partition Template Part",
                "value is empty: give the tag key (tag, bucket) or the strftime format (time).",
            );
        } else if v.len() > MAX_PART_BYTES {
            diags.attr_error(
                at.push_attr(VALUE),
                "Invalid Partition Template Part",
                format!(
                    "value is {} bytes long; a part may be at most {MAX_PART_BYTES} bytes.",
                    v.len()
                ),
            );
        }
    }
    let buckets = field(NUMBER_OF_BUCKETS);
    let buckets_at = at.push_attr(NUMBER_OF_BUCKETS);
    match (kind_text, buckets) {
        (Some("bucket"), Value::Null) => diags.attr_error(
            buckets_at,
            "Missing Number Of Buckets",
            "a `bucket` part needs number_of_buckets (1 to 100000).",
        ),
        (Some("bucket"), Value::Number(n))
            if n.as_i64().is_none_or(|n| !(1..=MAX_BUCKETS).contains(&n)) =>
        {
            diags.attr_error(
                buckets_at,
                "Invalid Number Of Buckets",
                format!("number_of_buckets is {n}; use a whole number from 1 to {MAX_BUCKETS}."),
            )
        }
        (Some(k @ ("tag" | "time")), Value::Number(_)) => diags.attr_error(
            buckets_at,
            "Unexpected Number Of Buckets",
            format!("number_of_buckets applies only to `bucket` parts, not to a `{k}` part."),
        ),
        _ => {}
    }
}

/// Checks a `bucket` part whose `value` is the incumbent's JSON spelling; answers whether it
/// was (so the checks of our spelling do not apply). A `value` that only starts like JSON but
/// does not parse, next to a `number_of_buckets`, is taken as a tag key.
fn check_json_bucket(
    value: &str,
    buckets: &Value,
    at: &AttributePath,
    diags: &mut Diagnostics,
) -> bool {
    if !template_json::looks_like_json(value) {
        return false;
    }
    let value_at = at.push_attr(VALUE);
    let ours = "ours is value = \"host\", number_of_buckets = 10";
    match (template_json::parse(value), buckets) {
        (Err(_), Value::Number(_)) => false,
        (Err(e), _) => {
            diags.attr_error(
                value_at,
                "Invalid Bucket Partition Part",
                format!(
                    "{at}.value {e}. The incumbent provider's spelling is value = \
                     jsonencode({{ tagName = \"host\", numberOfBuckets = 10 }}); {ours}."
                ),
            );
            true
        }
        (Ok(_), Value::Null) => {
            check_json_limits(value, at, diags);
            true
        }
        // Checked again once the count is known.
        (Ok(_), Value::Unknown) => true,
        (Ok(_), _) => {
            diags.attr_error(
                at.push_attr(NUMBER_OF_BUCKETS),
                "Conflicting Bucket Partition Part",
                format!(
                    "{at} gives the bucket count twice: in value as JSON (the incumbent \
                     provider's spelling) and in number_of_buckets. Write one: {ours}."
                ),
            );
            true
        }
    }
}

/// The limits of a parsed JSON bucket, then the deprecation warning with our spelling.
fn check_json_limits(value: &str, at: &AttributePath, diags: &mut Diagnostics) {
    let Ok(bucket) = template_json::parse(value) else {
        return;
    };
    let value_at = at.push_attr(VALUE);
    let problem = if !(1..=MAX_BUCKETS).contains(&bucket.number_of_buckets) {
        Some(format!(
            "numberOfBuckets is {}; use a whole number from 1 to {MAX_BUCKETS}.",
            bucket.number_of_buckets
        ))
    } else if bucket.tag_name.is_empty() {
        Some("tagName is empty: give the tag key.".to_owned())
    } else if bucket.tag_name.len() > MAX_PART_BYTES {
        Some(format!(
            "tagName is {} bytes long; a tag key may be at most {MAX_PART_BYTES} bytes.",
            bucket.tag_name.len()
        ))
    } else {
        None
    };
    match problem {
        Some(why) => diags.attr_error(
            value_at,
            "Invalid Bucket Partition Part",
            format!("{at}.value: {why}"),
        ),
        None => diags.attr_warning(
            at.clone(),
            "Deprecated Bucket Partition Part Spelling",
            format!(
                "{at} writes a bucket part the incumbent provider's way, as JSON in value. It \
                 is accepted and means the same as our spelling, which to write instead:\n\n  \
                 {}\n\nChanging between the two spellings replaces nothing and makes no API \
                 call.",
                template_json::our_spelling(&bucket)
            ),
        ),
    }
}

/// In stored state being upgraded: an empty template list (which our Read never writes, and
/// the incumbent did) is no template.
pub(crate) fn empty_template_is_none(state: &mut StateObject) {
    if let Some(template) = state.get_mut(PARTITION_TEMPLATE)
        && template.as_array().is_some_and(Vec::is_empty)
    {
        *template = serde_json::Value::Null;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(kind: &str, value: &str, buckets: Option<i64>) -> Value {
        Value::Object(BTreeMap::from([
            ("type".to_owned(), Value::String(kind.into())),
            ("value".to_owned(), Value::String(value.into())),
            (
                "number_of_buckets".to_owned(),
                buckets.map_or(Value::Null, Value::from),
            ),
        ]))
    }

    fn errors(parts: Vec<Value>) -> Vec<String> {
        let mut diags = Diagnostics::new();
        validate(&Value::List(parts), &mut diags);
        diags
            .iter()
            .map(|d| {
                format!(
                    "{}: {}",
                    d.path.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                    d.detail
                )
            })
            .collect()
    }

    #[test]
    fn the_incumbent_bucket_json_is_accepted_with_our_spelling_in_a_warning() {
        let json = r#"{"numberOfBuckets":10,"tagName":"host"}"#;
        let mut diags = Diagnostics::new();
        validate(&Value::List(vec![part("bucket", json, None)]), &mut diags);
        let all: Vec<_> = diags.iter().collect();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].severity, crate::framework::Severity::Warning);
        assert_eq!(
            all[0].path.as_ref().map(ToString::to_string).as_deref(),
            Some("partition_template[0]")
        );
        assert!(
            all[0]
                .detail
                .contains(r#"{ type = "bucket", value = "host", number_of_buckets = 10 }"#),
            "{}",
            all[0].detail
        );
        let incumbent = Value::List(vec![part("bucket", json, None)]);
        let ours = Value::List(vec![part("bucket", "host", Some(10))]);
        assert!(same_parts(&incumbent, &ours));
        assert!(!same_parts(
            &incumbent,
            &Value::List(vec![part("bucket", "host", Some(9))])
        ));
        assert_eq!(from_value(&incumbent), from_value(&ours));
    }

    #[test]
    fn bad_bucket_json_is_an_error_at_its_value() {
        for (json, buckets, path, words) in [
            ("{tagName", None, "[0].value", "is not valid JSON"),
            (
                r#"{"numberOfBuckets":10}"#,
                None,
                "[0].value",
                "needs tagName",
            ),
            (
                r#"{"tagName":"h"}"#,
                None,
                "[0].value",
                "needs numberOfBuckets",
            ),
            (
                r#"{"tagName":"h","numberOfBuckets":0}"#,
                None,
                "[0].value",
                "1 to 100000",
            ),
            (
                r#"{"tagName":"","numberOfBuckets":3}"#,
                None,
                "[0].value",
                "tagName is empty",
            ),
            (
                r#"{"tagName":"h","numberOfBuckets":3}"#,
                Some(3),
                "[0].number_of_buckets",
                "twice",
            ),
        ] {
            let e = errors(vec![part("bucket", json, buckets)]);
            assert_eq!(e.len(), 1, "{json}: {e:?}");
            assert!(
                e[0].starts_with(&format!("partition_template{path}:")) && e[0].contains(words),
                "{json}: {e:?}"
            );
        }
        let e = errors(vec![
            part("bucket", "host", Some(10)),
            part("bucket", r#"{"tagName":"host","numberOfBuckets":10}"#, None),
        ]);
        assert!(
            e.iter().any(|m| m.contains("[1]") && m.contains("repeats")),
            "{e:?}"
        );
        // Starts like JSON but is not, next to a count: a tag key in our spelling.
        assert!(errors(vec![part("bucket", "{odd", Some(3))]).is_empty());
    }

    #[test]
    fn a_valid_template_round_trips_through_the_api_parts() {
        let value = Value::List(vec![
            part("tag", "region", None),
            part("bucket", "host", Some(10)),
            part("time", "%Y-%m-%d", None),
        ]);
        assert!(errors(value.elements().unwrap_or_default().to_vec()).is_empty());
        let parts = from_value(&value).unwrap_or_default();
        assert_eq!(to_value(Some(&parts)), value);
        assert_eq!(to_value(None), Value::Null);
    }

    #[test]
    fn each_limit_is_reported_at_its_path() {
        let e = errors(vec![]);
        assert!(e[0].contains("0 parts"), "{e:?}");
        let e = errors(vec![part("time", "%Y", None), part("time", "%m", None)]);
        assert!(e.iter().any(|m| m.contains("2 `time` parts")), "{e:?}");
        let e = errors(
            (0..8)
                .map(|i| part("tag", &format!("t{i}"), None))
                .collect(),
        );
        assert!(
            e.iter().any(|m| m.contains("8 `tag` and `bucket`")),
            "{e:?}"
        );
        let e = errors(vec![part("bucket", "h", None)]);
        assert!(e[0].contains("[0].number_of_buckets"), "{e:?}");
        let e = errors(vec![part("bucket", "h", Some(100_001))]);
        assert!(e[0].contains("100001"), "{e:?}");
        let e = errors(vec![part("tag", "h", Some(3))]);
        assert!(e[0].contains("only to `bucket`"), "{e:?}");
        let e = errors(vec![part("tag", &"x".repeat(201), None)]);
        assert!(
            e[0].contains("[0].value") && e[0].contains("201 bytes"),
            "{e:?}"
        );
        let e = errors(vec![part("tag", "a", None), part("tag", "a", None)]);
        assert!(e[0].contains("[1]") && e[0].contains("repeats"), "{e:?}");
        let e = errors(vec![part("hash", "a", None)]);
        assert!(e[0].contains("[0].type"), "{e:?}");
        let e = errors(vec![part("tag", "a", None), Value::Null]);
        assert_eq!(
            e,
            [
                "partition_template[1]: partition_template[1] is null; remove it, or give its type and value."
            ]
        );
    }
}
