//! Token wire types (tests/data/openapi/cloud-dedicated-management.yml) and the types every call shares.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::bounds;
use super::secret::Secret;
use super::timestamps;

/// The cluster a call acts on. Every call names it, because a token (or database) lives in the
/// cluster where it was created, which may differ from the provider's current settings.
///
/// Both ids are kept in canonical form ([`canonical_id`]): the API accepts and serves a UUID in
/// either case, so two spellings of one id must compare equal everywhere (caches, list
/// filters, plans). Build one with [`Cluster::new`], which canonicalises.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cluster {
    /// Account UUID, as in the Admin UI.
    pub account_id: String,
    /// Cluster UUID.
    pub cluster_id: String,
}

impl Cluster {
    /// Names a cluster; both ids are canonicalised ([`canonical_id`]).
    pub fn new(account_id: impl AsRef<str>, cluster_id: impl AsRef<str>) -> Self {
        Cluster {
            account_id: canonical_id(account_id.as_ref()),
            cluster_id: canonical_id(cluster_id.as_ref()),
        }
    }

    /// Whether an answer's `accountId` and `clusterId` name this cluster, in any spelling.
    pub fn is(&self, account_id: &str, cluster_id: &str) -> bool {
        // Answers and states spell ids canonically, so comparing as they are settles almost
        // every call without building the canonical spelling of each.
        (account_id == self.account_id || canonical_id(account_id) == self.account_id)
            && (cluster_id == self.cluster_id || canonical_id(cluster_id) == self.cluster_id)
    }
}

/// The canonical spelling of an account, cluster or token id: a UUID in its lower-case
/// hyphenated form (however it was written: upper case, braces, no hyphens), anything else as
/// it is. Ids are compared in this form only.
pub fn canonical_id(id: &str) -> String {
    if is_canonical_uuid(id) {
        return id.to_owned();
    }
    match uuid::Uuid::try_parse(id) {
        Ok(uuid) => uuid.hyphenated().to_string(),
        Err(_) => id.to_owned(),
    }
}

/// Whether `id` is a UUID written in its canonical form already: parsing and writing it again
/// would give the same text, at several times the cost of this look.
fn is_canonical_uuid(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// Deserialises an id of an answer into its canonical form, from the answer's text where the
/// decoder lends it (a list entry's), without an intermediate copy.
pub(super) fn canonical<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct Canonical;
    impl serde::de::Visitor<'_> for Canonical {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<String, E> {
            Ok(canonical_id(id))
        }
    }
    d.deserialize_str(Canonical)
}

impl std::fmt::Display for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cluster {} (account {})",
            self.cluster_id, self.account_id
        )
    }
}

/// One grant of a database token: `action` is `read` or `write`; `resource` is a database name
/// or `*` (all databases). Order-insensitive comparisons should use a set of these.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Permission {
    /// `read` or `write` (the API defines no enum; the client sends what it is given).
    /// Required and non-empty in an answer: a permission without it is malformed.
    #[serde(deserialize_with = "bounds::non_empty")]
    pub action: String,
    /// A database name or `*`. Required and non-empty in an answer, like `action`.
    #[serde(deserialize_with = "bounds::non_empty")]
    pub resource: String,
}

impl Permission {
    /// A permission from its parts.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Permission {
            action: action.into(),
            resource: resource.into(),
        }
    }
}

/// A database token as list, get and update return it (never with its access token).
///
/// Timestamps are UTC. `expires_at` is `None` when the token never expires (the field was
/// absent, `null` or the epoch); `revoked_at` is `Some` once the token is revoked, and such a
/// token is gone for every practical purpose.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseToken {
    /// The token's id (a UUID): the key for get, update and delete. Canonical
    /// ([`canonical_id`]), like the two ids below.
    #[serde(deserialize_with = "canonical")]
    pub id: String,
    /// The account that owns the cluster (a UUID).
    #[serde(deserialize_with = "canonical")]
    pub account_id: String,
    /// The cluster the token grants access to (a UUID).
    #[serde(deserialize_with = "canonical")]
    pub cluster_id: String,
    /// Free text set at create; may be updated.
    pub description: String,
    /// At most [`bounds::MAX_PERMISSIONS_PER_TOKEN`] in an answer.
    #[serde(default, deserialize_with = "bounds::permissions")]
    pub permissions: Vec<Permission>,
    /// When the token was created (UTC).
    #[serde(with = "timestamps::required")]
    pub created_at: OffsetDateTime,
    /// `None` when the token never expires; set only at create.
    #[serde(default, with = "timestamps::optional")]
    pub expires_at: Option<OffsetDateTime>,
    /// `None` while the token is live; once `Some`, the token is revoked for good.
    #[serde(default, with = "timestamps::optional")]
    pub revoked_at: Option<OffsetDateTime>,
}

impl DatabaseToken {
    /// Whether the token has been revoked (deleted).
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    /// The permissions as a set, for order-insensitive comparison.
    pub fn permission_set(&self) -> BTreeSet<&Permission> {
        self.permissions.iter().collect()
    }
}

/// The answer to a successful create: the token and its secret, which the API returns only
/// this once. `Debug` shows the access token as `<redacted>`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedToken {
    /// The token as later reads will show it.
    #[serde(flatten)]
    pub token: DatabaseToken,
    /// The database token's secret. The API returns it only in this answer: losing it means
    /// replacing the token.
    pub access_token: Secret,
}

/// Body of `POST …/tokens`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTokenRequest {
    /// Required and, by this provider's rule, non-empty.
    pub description: String,
    /// May be empty (a token with no access).
    pub permissions: Vec<Permission>,
    /// Sent as RFC 3339 UTC; omitted when `None` (never expires). Cannot be changed later.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "timestamps::optional::serialize"
    )]
    pub expires_at: Option<OffsetDateTime>,
}

/// Body of `PATCH …/tokens/{id}`. `None` fields are not sent; `permissions` replaces the whole
/// list. The caller must set at least one field (the API rejects `{}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTokenRequest {
    /// `None` keeps the current description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `None` keeps the current permissions; `Some` replaces all of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Permission>>,
}

/// What a delete did. Both are success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// The API answered 204: this call revoked the token / deleted the database.
    Revoked,
    /// The API answered 404: the object was already gone (revoked, deleted, or never existed
    /// in this cluster), possibly by an earlier attempt of this very call whose answer was lost.
    AlreadyGone,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn token_tolerates_unknown_fields_and_reads_no_expiry_forms() -> Result<(), serde_json::Error> {
        let json = r#"[
          {"id":"a","accountId":"x","clusterId":"y","description":"d","permissions":[],
           "createdAt":"2023-12-21T17:32:28Z","future":1},
          {"id":"b","accountId":"x","clusterId":"y","description":"d",
           "permissions":[{"action":"read","resource":"*"}],
           "createdAt":"2023-12-21T17:32:28.123Z","expiresAt":null},
          {"id":"c","accountId":"x","clusterId":"y","description":"d","permissions":[],
           "createdAt":"2023-12-21T17:32:28.123456789Z","expiresAt":"1970-01-01T00:00:00Z"},
          {"id":"d","accountId":"x","clusterId":"y","description":"d","permissions":[],
           "createdAt":"2023-12-21T17:32:28Z","expiresAt":"2030-01-01T00:00:00.000Z",
           "revokedAt":"2024-01-01T00:00:00Z"}
        ]"#;
        let tokens: Vec<DatabaseToken> = serde_json::from_str(json)?;
        assert_eq!(tokens.len(), 4);
        assert!(tokens[..3].iter().all(|t| t.expires_at.is_none()));
        assert_eq!(tokens[3].expires_at, Some(datetime!(2030-01-01 00:00 UTC)));
        assert!(tokens[3].is_revoked());
        assert_eq!(tokens[1].created_at, datetime!(2023-12-21 17:32:28.123 UTC));
        Ok(())
    }

    #[test]
    fn ids_in_canonical_form_are_kept_and_others_rewritten() {
        let canonical = "0b9a1c3e-5f7d-4e2a-9c8b-1d2e3f4a5b6c";
        for spelling in [
            canonical,
            "0B9A1C3E-5F7D-4E2A-9C8B-1D2E3F4A5B6C",
            "{0b9a1c3e-5f7d-4e2a-9c8b-1d2e3f4a5b6c}",
            "0b9a1c3e5f7d4e2a9c8b1d2e3f4a5b6c",
        ] {
            assert_eq!(canonical_id(spelling), canonical, "{spelling}");
        }
        assert!(is_canonical_uuid(canonical));
        for not_canonical in [
            "0b9a1c3e-5f7d-4e2a-9c8b-1d2e3f4a5b6C",
            "0b9a1c3e_5f7d-4e2a-9c8b-1d2e3f4a5b6c",
            "t1",
            "",
        ] {
            assert!(!is_canonical_uuid(not_canonical), "{not_canonical}");
        }
        assert_eq!(canonical_id("t1"), "t1");
        let cluster = Cluster::new(canonical, canonical);
        assert!(cluster.is(canonical, &canonical.to_uppercase()));
        assert!(!cluster.is(canonical, "t1"));
    }

    #[test]
    fn requests_omit_unset_fields() -> Result<(), serde_json::Error> {
        let create = CreateTokenRequest {
            description: "d".into(),
            permissions: vec![Permission::new("read", "db")],
            expires_at: None,
        };
        assert_eq!(
            serde_json::to_string(&create)?,
            r#"{"description":"d","permissions":[{"action":"read","resource":"db"}]}"#
        );
        let create = CreateTokenRequest {
            expires_at: Some(datetime!(2030-01-01 00:00 +01:00)),
            ..create
        };
        assert!(serde_json::to_string(&create)?.contains(r#""expiresAt":"2029-12-31T23:00:00Z""#));
        let update = UpdateTokenRequest {
            description: Some("n".into()),
            permissions: None,
        };
        assert_eq!(serde_json::to_string(&update)?, r#"{"description":"n"}"#);
        Ok(())
    }
}
