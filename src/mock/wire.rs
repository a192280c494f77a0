//! Rendering stored entities as the API's JSON (camelCase, optional fields omitted when unset).

use serde::Serialize;
use uuid::Uuid;

use super::model::{Database, PartitionPart, Permission, Token};
use super::start_options::ClusterIds;
use super::switches::PermissionOrder;
use super::timefmt::{format_millis, format_rfc3339_utc};

/// A token as the API shows it. `accessToken` is only ever set for the create response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenJson<'a> {
    account_id: Uuid,
    cluster_id: Uuid,
    id: Uuid,
    description: &'a str,
    permissions: Vec<PermissionJson<'a>>,
    created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revoked_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct PermissionJson<'a> {
    action: &'static str,
    resource: &'a str,
}

impl<'a> TokenJson<'a> {
    /// `order` is applied to the permissions; the stored order is left as it is.
    pub(crate) fn new(ids: ClusterIds, token: &'a Token, order: PermissionOrder) -> Self {
        Self {
            account_id: ids.account_id,
            cluster_id: ids.cluster_id,
            id: token.id,
            description: &token.description,
            permissions: ordered(&token.permissions, order)
                .into_iter()
                .map(|p| PermissionJson {
                    action: p.action.as_str(),
                    resource: &p.resource,
                })
                .collect(),
            created_at: format_millis(token.created_at),
            expires_at: token.expires_at.map(format_rfc3339_utc),
            revoked_at: token.revoked_at.map(format_millis),
            access_token: None,
        }
    }

    /// Adds the secret (create response only).
    pub(crate) fn with_access_token(mut self, secret: &'a str) -> Self {
        self.access_token = Some(secret);
        self
    }
}

fn ordered(permissions: &[Permission], order: PermissionOrder) -> Vec<&Permission> {
    let mut out: Vec<&Permission> = permissions.iter().collect();
    match order {
        PermissionOrder::Echo => {}
        PermissionOrder::Reversed => out.reverse(),
        PermissionOrder::Sorted => out
            .sort_by(|a, b| (a.resource.as_str(), a.action).cmp(&(b.resource.as_str(), b.action))),
    }
    out
}

/// A database as the API shows it. `partitionTemplate` appears only when one was set and the
/// caller asks for it (the PATCH response schema has no such field).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DatabaseJson<'a> {
    account_id: Uuid,
    cluster_id: Uuid,
    name: &'a str,
    max_tables: i64,
    max_columns_per_table: i64,
    retention_period: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    partition_template: Option<Vec<PartJson<'a>>>,
}

impl<'a> DatabaseJson<'a> {
    pub(crate) fn new(ids: ClusterIds, db: &'a Database, with_template: bool) -> Self {
        let template = db
            .partition_template
            .as_ref()
            .filter(|_| with_template)
            .map(|parts| parts.iter().map(PartJson::new).collect());
        Self {
            account_id: ids.account_id,
            cluster_id: ids.cluster_id,
            name: &db.name,
            max_tables: db.max_tables,
            max_columns_per_table: db.max_columns_per_table,
            retention_period: db.retention_period,
            partition_template: template,
        }
    }
}

/// A partition template part: `{"type":"tag"|"time","value":"…"}` or
/// `{"type":"bucket","value":{"tagName":"…","numberOfBuckets":N}}`.
#[derive(Debug, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
enum PartJson<'a> {
    Tag(&'a str),
    Time(&'a str),
    Bucket(BucketJson<'a>),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct BucketJson<'a> {
    tag_name: &'a str,
    number_of_buckets: u32,
}

impl<'a> PartJson<'a> {
    fn new(part: &'a PartitionPart) -> Self {
        match part {
            PartitionPart::Tag(v) => Self::Tag(v),
            PartitionPart::Time(v) => Self::Time(v),
            PartitionPart::Bucket {
                tag_name,
                number_of_buckets,
            } => Self::Bucket(BucketJson {
                tag_name,
                number_of_buckets: *number_of_buckets,
            }),
        }
    }
}
