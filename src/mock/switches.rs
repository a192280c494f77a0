//! Behaviour switches (`POST /__mock/config`): their defaults, validation and patching.
//!
//! A patch is a JSON object with any subset of the switches; keys not given keep their value,
//! `null` also keeps it (except `drop_response_after_commit`, where `null` turns it off), and
//! unknown keys are refused so a typo cannot pass silently. A patch is validated whole before
//! any of it is applied.

use axum::http::Method;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use super::body::apply;
use super::error::MockError;

/// Whether revoked tokens are visible to GET and list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RevokedVisibility {
    /// GET answers 404 and list omits them (influxctl's and the Admin UI's default view).
    #[default]
    Hidden,
    /// GET and list show them with `revokedAt` set.
    Listed,
}

/// The answer to DELETE of an already revoked token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DeleteRevoked {
    /// 404, as for an unknown id.
    #[default]
    NotFound,
    /// 204, as if deleting again were idempotent.
    NoContent,
}

/// The order of `permissions` in every API response that contains them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PermissionOrder {
    /// As sent by the client.
    #[default]
    Echo,
    /// Reversed.
    Reversed,
    /// Sorted by resource, then action.
    Sorted,
}

/// What a soft-deleted name (database, or table within its database) means for create and
/// rename while it can still be undeleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DeletedNames {
    /// The name is free at once (the docs: a deleted database's name can be reused).
    #[default]
    Free,
    /// Create and rename onto the name answer 409 until the undelete window ends.
    Reserved,
}

/// Extension beyond the documented control API: untruths the token endpoints tell, so tests can
/// check that the provider never acts on one (`"lies": [...]`; `[]` stops them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Lie {
    /// Token lists name every live token twice.
    ListRepeatsIds,
    /// Token lists mark every live token revoked (a GET by id still tells the truth).
    ListSaysRevoked,
    /// A create's answer names another cluster than the one the token was made in.
    CreateNamesOtherCluster,
}

/// Seven days, the documented recovery window ("approximately 7 days").
pub(crate) const DEFAULT_UNDELETE_WINDOW_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// An injected error: matching requests are answered with `status` and a `{code,message}`
/// body, and nothing they asked for is applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fault {
    /// An HTTP method (any case; stored uppercase) or `*`. Default `*`.
    #[serde(default = "any_method")]
    pub(crate) method: String,
    /// Matches request paths that start with it; must start with `/`. Default `/`.
    #[serde(default = "root_prefix")]
    pub(crate) path_prefix: String,
    /// The status to answer, 400–599. Required.
    pub(crate) status: u16,
    /// Probability (0–1) that a matching request is hit. Default 1.
    #[serde(default = "always")]
    pub(crate) rate: f64,
}

/// Lose the response of a committed change: for a matching request whose answer is a success,
/// apply it, then close the connection without sending anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DropRule {
    /// An HTTP method or `*`. Default `*`.
    #[serde(default = "any_method")]
    pub(crate) method: String,
    /// Extension beyond the documented control API: limits the rule to paths with this prefix. Default `/`.
    #[serde(default = "root_prefix")]
    pub(crate) path_prefix: String,
    /// Probability (0–1) per matching request. Default 1.
    #[serde(default = "always")]
    pub(crate) rate: f64,
    /// Extension beyond the documented control API: the rule hits at most this many requests,
    /// then turns itself off (e.g. `1`: lose one answer, then answer normally). Default: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) count: Option<u64>,
}

/// All switches with their current values. `Default` is the documented default of each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct MockConfig {
    pub(crate) latency_ms: u64,
    /// Extension beyond the documented control API: each API request waits `latency_ms` plus a uniformly random
    /// 0..=`latency_jitter_ms`, so concurrent requests finish out of order.
    pub(crate) latency_jitter_ms: u64,
    pub(crate) revoked_visibility: RevokedVisibility,
    pub(crate) delete_revoked: DeleteRevoked,
    pub(crate) permission_order: PermissionOrder,
    pub(crate) faults: Vec<Fault>,
    pub(crate) drop_response_after_commit: Option<DropRule>,
    pub(crate) list_lag_ms: u64,
    pub(crate) lies: Vec<Lie>,
    /// How long a deleted database or table can be undeleted; 0 deletes outright.
    pub(crate) undelete_window_ms: u64,
    pub(crate) deleted_names: DeletedNames,
}

impl MockConfig {
    /// Whether a list made at `now` shows an object created at `created_at`: not before
    /// `list_lag_ms` has passed.
    pub(crate) fn lists(&self, created_at: OffsetDateTime, now: OffsetDateTime) -> bool {
        let lag = time::Duration::milliseconds(i64::try_from(self.list_lag_ms).unwrap_or(i64::MAX));
        now - created_at >= lag
    }
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            latency_jitter_ms: 0,
            revoked_visibility: RevokedVisibility::default(),
            delete_revoked: DeleteRevoked::default(),
            permission_order: PermissionOrder::default(),
            faults: Vec::new(),
            drop_response_after_commit: None,
            list_lag_ms: 0,
            lies: Vec::new(),
            undelete_window_ms: DEFAULT_UNDELETE_WINDOW_MS,
            deleted_names: DeletedNames::default(),
        }
    }
}

/// The accepted shape of a patch; `Option<Option<_>>` tells `null` from absent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigPatch {
    latency_ms: Option<u64>,
    latency_jitter_ms: Option<u64>,
    revoked_visibility: Option<RevokedVisibility>,
    delete_revoked: Option<DeleteRevoked>,
    permission_order: Option<PermissionOrder>,
    faults: Option<Vec<Fault>>,
    #[serde(default, deserialize_with = "present")]
    drop_response_after_commit: Option<Option<DropRule>>,
    list_lag_ms: Option<u64>,
    lies: Option<Vec<Lie>>,
    undelete_window_ms: Option<u64>,
    deleted_names: Option<DeletedNames>,
}

impl MockConfig {
    /// Applies `patch` after validating all of it; on error nothing changes.
    pub(crate) fn apply(&mut self, patch: Value) -> Result<(), MockError> {
        if !patch.is_object() {
            return Err(MockError::InvalidConfig(
                "the patch must be a JSON object".to_owned(),
            ));
        }
        let patch: ConfigPatch =
            serde_json::from_value(patch).map_err(|e| MockError::InvalidConfig(e.to_string()))?;
        let faults = patch
            .faults
            .map(|faults| faults.into_iter().map(Fault::checked).collect())
            .transpose()?;
        let drop_rule = patch
            .drop_response_after_commit
            .map(|rule| rule.map(DropRule::checked).transpose())
            .transpose()?;

        apply(&mut self.latency_ms, patch.latency_ms);
        apply(&mut self.latency_jitter_ms, patch.latency_jitter_ms);
        apply(&mut self.revoked_visibility, patch.revoked_visibility);
        apply(&mut self.delete_revoked, patch.delete_revoked);
        apply(&mut self.permission_order, patch.permission_order);
        apply(&mut self.faults, faults);
        apply(&mut self.drop_response_after_commit, drop_rule);
        apply(&mut self.list_lag_ms, patch.list_lag_ms);
        apply(&mut self.lies, patch.lies);
        apply(&mut self.undelete_window_ms, patch.undelete_window_ms);
        apply(&mut self.deleted_names, patch.deleted_names);
        Ok(())
    }
}

impl Fault {
    fn checked(mut self) -> Result<Self, MockError> {
        self.method = checked_method(&self.method)?;
        check_prefix(&self.path_prefix)?;
        check_rate(self.rate)?;
        if !(400..=599).contains(&self.status) {
            return Err(MockError::InvalidConfig(format!(
                "fault status {} is not in 400..=599",
                self.status
            )));
        }
        Ok(self)
    }

    /// Whether this fault applies to the request (before rolling `rate`).
    pub(crate) fn matches(&self, method: &Method, path: &str) -> bool {
        method_matches(&self.method, method) && path.starts_with(&self.path_prefix)
    }
}

impl DropRule {
    fn checked(mut self) -> Result<Self, MockError> {
        self.method = checked_method(&self.method)?;
        check_prefix(&self.path_prefix)?;
        check_rate(self.rate)?;
        if self.count == Some(0) {
            return Err(MockError::InvalidConfig(
                "drop_response_after_commit.count must be at least 1 (or absent)".to_owned(),
            ));
        }
        Ok(self)
    }

    /// Whether this rule applies to the request (before rolling `rate`).
    pub(crate) fn matches(&self, method: &Method, path: &str) -> bool {
        method_matches(&self.method, method) && path.starts_with(&self.path_prefix)
    }
}

/// The delay of one API request: `latency_ms` plus a random share of `latency_jitter_ms`.
pub(crate) fn latency(config: &MockConfig) -> u64 {
    let jitter = if config.latency_jitter_ms > 0 {
        rand::random_range(0..=config.latency_jitter_ms)
    } else {
        0
    };
    config.latency_ms.saturating_add(jitter)
}

/// Rolls a probability: `true` with probability `rate` (never for 0, always for 1).
pub(crate) fn roll(rate: f64) -> bool {
    rate > 0.0 && rand::random::<f64>() < rate
}

fn method_matches(pattern: &str, method: &Method) -> bool {
    pattern == "*" || pattern == method.as_str()
}

fn checked_method(method: &str) -> Result<String, MockError> {
    if method == "*" {
        return Ok(method.to_owned());
    }
    let upper = method.to_ascii_uppercase();
    match Method::from_bytes(upper.as_bytes()) {
        Ok(_) if !upper.is_empty() => Ok(upper),
        _ => Err(MockError::InvalidConfig(format!(
            "`{method}` is neither an HTTP method nor `*`"
        ))),
    }
}

fn check_prefix(prefix: &str) -> Result<(), MockError> {
    if prefix.starts_with('/') {
        Ok(())
    } else {
        Err(MockError::InvalidConfig(format!(
            "path_prefix `{prefix}` must start with `/`"
        )))
    }
}

fn check_rate(rate: f64) -> Result<(), MockError> {
    if (0.0..=1.0).contains(&rate) {
        Ok(())
    } else {
        Err(MockError::InvalidConfig(format!(
            "rate {rate} is not between 0 and 1"
        )))
    }
}

fn any_method() -> String {
    "*".to_owned()
}

fn root_prefix() -> String {
    "/".to_owned()
}

fn always() -> f64 {
    1.0
}

/// Deserializes a field that is present (possibly `null`) as `Some(..)`; with
/// `#[serde(default)]` an absent field stays `None`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}
