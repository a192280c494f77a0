//! The incumbent provider's spelling of a `bucket` partition part: the tag key and the count
//! as JSON in `value`, `{ type = "bucket", value = jsonencode({ tagName = "host",
//! numberOfBuckets = 10 }) }`. It means the same as our `{ type = "bucket", value = "host",
//! number_of_buckets = 10 }`, is sent to the API the same way, and stays in state as written
//! so a plan against it is empty. Validate warns with our spelling.

/// The JSON keys of the incumbent's bucket value.
const TAG_NAME: &str = "tagName";
const NUMBER_OF_BUCKETS: &str = "numberOfBuckets";

/// A bucket part read from the incumbent's JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonBucket {
    /// The tag key.
    pub(crate) tag_name: String,
    /// How many buckets (not yet range-checked).
    pub(crate) number_of_buckets: i64,
}

/// Why a JSON bucket value cannot be used; completes "value …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum JsonBucketError {
    /// Not JSON at all.
    #[error("is not valid JSON ({0})")]
    Malformed(String),
    /// JSON, but not an object.
    #[error("is JSON but not an object")]
    NotObject,
    /// The key is missing or of the wrong kind.
    #[error("needs {0} as {1}")]
    Key(&'static str, &'static str),
}

/// Whether `value` is written the incumbent's way (a JSON object), rather than as a tag key.
pub(crate) fn looks_like_json(value: &str) -> bool {
    value.trim_start().starts_with('{')
}

/// Reads the incumbent's JSON bucket value.
pub(crate) fn parse(value: &str) -> Result<JsonBucket, JsonBucketError> {
    let json: serde_json::Value =
        serde_json::from_str(value).map_err(|e| JsonBucketError::Malformed(e.to_string()))?;
    let object = json.as_object().ok_or(JsonBucketError::NotObject)?;
    let tag_name = object
        .get(TAG_NAME)
        .and_then(serde_json::Value::as_str)
        .ok_or(JsonBucketError::Key(TAG_NAME, "a string"))?;
    let number_of_buckets = object
        .get(NUMBER_OF_BUCKETS)
        .and_then(serde_json::Value::as_i64)
        .ok_or(JsonBucketError::Key(NUMBER_OF_BUCKETS, "a whole number"))?;
    Ok(JsonBucket {
        tag_name: tag_name.to_owned(),
        number_of_buckets,
    })
}

/// The bucket part of `value` when it is the incumbent's spelling (JSON and no
/// `number_of_buckets`); `None` for our spelling or anything that does not parse.
pub(crate) fn bucket_of(value: &str, number_of_buckets_set: bool) -> Option<JsonBucket> {
    if number_of_buckets_set || !looks_like_json(value) {
        return None;
    }
    parse(value).ok()
}

/// Our spelling of `bucket`, as HCL, for the deprecation warning.
pub(crate) fn our_spelling(bucket: &JsonBucket) -> String {
    format!(
        "{{ type = \"bucket\", value = {:?}, number_of_buckets = {} }}",
        bucket.tag_name, bucket.number_of_buckets
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_incumbent_json_reads_as_a_bucket() {
        let b = parse(r#"{"numberOfBuckets":10,"tagName":"host"}"#);
        let host = JsonBucket {
            tag_name: "host".into(),
            number_of_buckets: 10,
        };
        assert_eq!(b, Ok(host.clone()));
        assert_eq!(
            our_spelling(&host),
            r#"{ type = "bucket", value = "host", number_of_buckets = 10 }"#
        );
        assert_eq!(
            bucket_of(r#" {"tagName":"host","numberOfBuckets":10}"#, false),
            Some(host)
        );
        assert_eq!(
            bucket_of(r#"{"tagName":"host","numberOfBuckets":10}"#, true),
            None
        );
        assert_eq!(bucket_of("host", false), None);
    }

    #[test]
    fn bad_json_says_what_is_wrong() {
        assert!(matches!(
            parse("{tagName"),
            Err(JsonBucketError::Malformed(_))
        ));
        assert_eq!(parse("[1]"), Err(JsonBucketError::NotObject));
        assert_eq!(
            parse(r#"{"numberOfBuckets":10}"#),
            Err(JsonBucketError::Key("tagName", "a string"))
        );
        assert_eq!(
            parse(r#"{"tagName":"h","numberOfBuckets":"10"}"#),
            Err(JsonBucketError::Key("numberOfBuckets", "a whole number"))
        );
        assert_eq!(
            parse(r#"{"tagName":"h","numberOfBuckets":1.5}"#),
            Err(JsonBucketError::Key("numberOfBuckets", "a whole number"))
        );
    }
}
