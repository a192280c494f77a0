//! Database wire types (tests/data/openapi/cloud-dedicated-management.yml).

use serde::{Deserialize, Serialize};

/// A database as list, create, update, rename and undelete return it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Database {
    /// The account that owns the cluster (a UUID), as the API returns it.
    #[serde(deserialize_with = "super::models::canonical")]
    pub account_id: String,
    /// The cluster that holds the database (a UUID), as the API returns it.
    #[serde(deserialize_with = "super::models::canonical")]
    pub cluster_id: String,
    /// The numeric id, the key to undelete. Only the rename and undelete answers carry it;
    /// list, create and update leave it out.
    #[serde(default)]
    pub id: Option<i64>,
    /// Unique in the cluster; 1–64 characters, may contain `/`.
    pub name: String,
    /// Most tables the database may hold; the API's default is 500.
    pub max_tables: i64,
    /// Most columns one table may have; the API's default is 250.
    pub max_columns_per_table: i64,
    /// Nanoseconds; 0 means infinite. Read as 0 when the API leaves it out.
    #[serde(default)]
    pub retention_period: i64,
    /// Only present when one was set at creation; it cannot be changed later.
    #[serde(default)]
    pub partition_template: Option<Vec<PartitionPart>>,
    /// Set by the client, never by the API: the cluster's list held this name more than once
    /// with different settings, so they cannot be trusted (the name still counts as listed).
    #[serde(skip)]
    pub contradicted: bool,
}

/// One part of a partition template, in the API's `{"type": …, "value": …}` shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "WirePart", into = "WirePart")]
pub enum PartitionPart {
    /// `{"type":"tag","value":"<tag key>"}`
    Tag {
        /// The tag key whose value partitions the data.
        value: String,
    },
    /// `{"type":"time","value":"<strftime format>"}`
    Time {
        /// A strftime format applied to the row's time, e.g. `%Y-%m-%d`.
        value: String,
    },
    /// `{"type":"bucket","value":{"tagName":…,"numberOfBuckets":…}}`
    Bucket {
        /// The tag key whose values are hashed into buckets.
        tag_name: String,
        /// How many buckets the values are spread over.
        number_of_buckets: i64,
    },
    /// A part type this client does not know; kept so a newer API does not break reads.
    /// `value` is its JSON text. Never send one back.
    Unknown {
        /// The part's `type` as the API sent it.
        kind: String,
        /// The part's `value` as JSON text.
        value: String,
    },
}

#[derive(Serialize, Deserialize)]
struct WirePart {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    value: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireBucket {
    tag_name: String,
    number_of_buckets: i64,
}

impl TryFrom<WirePart> for PartitionPart {
    type Error = String;

    fn try_from(wire: WirePart) -> Result<Self, String> {
        let text = |v: serde_json::Value| match v {
            serde_json::Value::String(s) => Ok(s),
            other => Err(format!(
                "partition template part {:?} has a non-string value: {other}",
                wire.kind
            )),
        };
        match wire.kind.as_str() {
            "tag" => Ok(PartitionPart::Tag {
                value: text(wire.value)?,
            }),
            "time" => Ok(PartitionPart::Time {
                value: text(wire.value)?,
            }),
            "bucket" => {
                let b: WireBucket = serde_json::from_value(wire.value)
                    .map_err(|e| format!("invalid bucket partition part: {e}"))?;
                Ok(PartitionPart::Bucket {
                    tag_name: b.tag_name,
                    number_of_buckets: b.number_of_buckets,
                })
            }
            _ => Ok(PartitionPart::Unknown {
                value: wire.value.to_string(),
                kind: wire.kind,
            }),
        }
    }
}

impl From<PartitionPart> for WirePart {
    fn from(part: PartitionPart) -> Self {
        match part {
            PartitionPart::Tag { value } => WirePart {
                kind: "tag".into(),
                value: serde_json::Value::String(value),
            },
            PartitionPart::Time { value } => WirePart {
                kind: "time".into(),
                value: serde_json::Value::String(value),
            },
            PartitionPart::Bucket {
                tag_name,
                number_of_buckets,
            } => WirePart {
                kind: "bucket".into(),
                value: serde_json::json!({
                    "tagName": tag_name,
                    "numberOfBuckets": number_of_buckets,
                }),
            },
            PartitionPart::Unknown { kind, value } => WirePart {
                value: serde_json::from_str(&value).unwrap_or(serde_json::Value::String(value)),
                kind,
            },
        }
    }
}

/// The settings a create may set and an update may change: the `PATCH …/databases/{name}`
/// body, and part of the create body. `None` fields are not sent, so they keep what the
/// server has (at creation its defaults: 500 tables, 250 columns per table, infinite
/// retention). A PATCH must set at least one (the API rejects `{}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseSettings {
    /// Most tables; the API refuses to lower it below what exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tables: Option<i64>,
    /// Most columns per table; the API refuses to lower it below what exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_columns_per_table: Option<i64>,
    /// Nanoseconds; 0 means infinite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<i64>,
}

/// Body of `POST …/databases`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDatabaseRequest {
    /// Unique in the cluster; 1–64 characters, may contain `/`. Cannot be changed later.
    pub name: String,
    /// Limits and retention; unset ones take the server's defaults.
    #[serde(flatten)]
    pub settings: DatabaseSettings,
    /// Parts in order; `None` means no custom partitioning. Never send
    /// [`PartitionPart::Unknown`]. Cannot be changed later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionPart>>,
}

/// Body of `PUT …/databases/{name}/rename` and `PUT …/tables/{name}/rename`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenameRequest {
    /// The new name; the API answers 409 when a database or table already has it.
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_template_round_trips_in_the_api_shape() -> Result<(), serde_json::Error> {
        let json = r#"[{"type":"tag","value":"region"},{"type":"time","value":"%Y-%m-%d"},
            {"type":"bucket","value":{"tagName":"host","numberOfBuckets":10}},
            {"type":"hash","value":{"x":1}}]"#;
        let parts: Vec<PartitionPart> = serde_json::from_str(json)?;
        assert_eq!(
            parts[..3],
            [
                PartitionPart::Tag {
                    value: "region".into()
                },
                PartitionPart::Time {
                    value: "%Y-%m-%d".into()
                },
                PartitionPart::Bucket {
                    tag_name: "host".into(),
                    number_of_buckets: 10
                },
            ]
        );
        assert!(matches!(&parts[3], PartitionPart::Unknown { kind, .. } if kind == "hash"));
        let back = serde_json::to_value(&parts[..3])?;
        assert_eq!(
            back,
            serde_json::json!([{"type":"tag","value":"region"},{"type":"time","value":"%Y-%m-%d"},
                {"type":"bucket","value":{"tagName":"host","numberOfBuckets":10}}])
        );
        Ok(())
    }

    #[test]
    fn a_create_body_sends_only_the_settings_given_beside_the_name() -> Result<(), serde_json::Error>
    {
        let req = CreateDatabaseRequest {
            name: "db".into(),
            settings: DatabaseSettings {
                max_tables: Some(7),
                retention_period: Some(0),
                ..DatabaseSettings::default()
            },
            partition_template: None,
        };
        assert_eq!(
            serde_json::to_value(&req)?,
            serde_json::json!({"name": "db", "maxTables": 7, "retentionPeriod": 0})
        );
        Ok(())
    }

    #[test]
    fn database_defaults_missing_retention_and_template() -> Result<(), serde_json::Error> {
        let db: Database = serde_json::from_str(
            r#"{"accountId":"a","clusterId":"c","name":"x/y","maxTables":500,
                "maxColumnsPerTable":250,"extra":true}"#,
        )?;
        assert_eq!(db.retention_period, 0);
        assert_eq!(db.partition_template, None);
        Ok(())
    }
}
