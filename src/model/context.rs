//! What configuration gives resources: the API client, the cluster the provider points at, and
//! the reason the API cannot be used when a credential is missing.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::api::{Client, ClientConfig, Cluster, Secret};
use crate::framework::Diagnostics;

/// A call into one of this provider's types, once the provider is configured.
pub(crate) type Call<'a> = crate::framework::Call<'a, ProviderContext>;

/// A call into one of this provider's types while planning.
pub(crate) type PlanCall<'a> = crate::framework::PlanCall<'a, ProviderContext>;

/// The provider's settings after environment fallbacks and defaults. Missing credentials stay
/// `None` so that the error appears only when the API is needed. `Debug` never shows the
/// management token (it is a [`Secret`]).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Account UUID.
    pub account_id: Option<String>,
    /// Cluster UUID.
    pub cluster_id: Option<String>,
    /// Management token.
    pub management_token: Option<Secret>,
    /// API base URL.
    pub endpoint: String,
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// Retries of idempotent requests.
    pub max_retries: u32,
    /// Tokens the user allows to be revoked despite deletion protection (the provider's
    /// `revoke_protected_token_ids`).
    pub revoke_protected_token_ids: BTreeSet<String>,
    /// Tokens no action may revoke (the provider's `protected_token_ids`).
    pub protected_token_ids: BTreeSet<String>,
}

/// The configured provider, shared by every resource and data source of one provider block.
#[derive(Debug)]
pub struct ProviderContext {
    client: Option<Client>,
    cluster: Option<Cluster>,
    missing: Vec<&'static str>,
    revoke_protected: BTreeSet<String>,
    protected_from_actions: BTreeSet<String>,
    /// Whether a plan of this run already explained a deletion-protection refusal in full.
    protection_explained: AtomicBool,
    /// The Terraform version that configured the provider.
    pub terraform_version: String,
}

impl ProviderContext {
    /// Builds the client. Missing credentials are remembered, not reported: they become an
    /// error when something needs the API.
    pub fn new(
        settings: Settings,
        terraform_version: &str,
        diags: &mut Diagnostics,
    ) -> Option<Self> {
        let mut missing = Vec::new();
        if settings.account_id.is_none() {
            missing.push("account_id (or INFLUXDB3_ACCOUNT_ID)");
        }
        if settings.cluster_id.is_none() {
            missing.push("cluster_id (or INFLUXDB3_CLUSTER_ID)");
        }
        if settings.management_token.is_none() {
            missing.push("management_token (or INFLUXDB3_MANAGEMENT_TOKEN)");
        }
        let cluster = match (&settings.account_id, &settings.cluster_id) {
            (Some(a), Some(c)) => Some(Cluster::new(a, c)),
            _ => None,
        };
        let client = match settings.management_token {
            None => None,
            Some(token) => {
                let config = ClientConfig {
                    request_timeout: settings.request_timeout,
                    max_retries: settings.max_retries,
                    ..ClientConfig::new(settings.endpoint.clone(), token)
                };
                match Client::new(config) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        diags.error("Cannot Create API Client", e.to_string());
                        return None;
                    }
                }
            }
        };
        Some(ProviderContext {
            client,
            cluster,
            missing,
            revoke_protected: settings.revoke_protected_token_ids,
            protected_from_actions: settings.protected_token_ids,
            protection_explained: AtomicBool::new(false),
            terraform_version: terraform_version.to_owned(),
        })
    }

    /// The client and the provider's cluster, or an error naming each missing setting.
    pub fn api(&self, diags: &mut Diagnostics) -> Option<(&Client, &Cluster)> {
        match (&self.client, &self.cluster) {
            (Some(client), Some(cluster)) => Some((client, cluster)),
            _ => {
                diags.error(
                    "Missing Provider Configuration",
                    format!(
                        "The influxdb3 provider needs these settings to call the Management API, \
                         and they are not set: {}. Set them in the provider block or through \
                         the environment variables named.",
                        self.missing.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// The client alone (for calls that name their own cluster, such as reading a token in the
    /// cluster that created it).
    pub fn client(&self, diags: &mut Diagnostics) -> Option<&Client> {
        if self.client.is_none() {
            self.api(diags);
        }
        self.client.as_ref()
    }

    /// Whether the provider configuration names token `id` as one it may revoke although its
    /// state says `deletion_protection = true`.
    pub fn may_revoke_protected(&self, id: &str) -> bool {
        self.revoke_protected.contains(id)
    }

    /// Whether a deletion-protection refusal was already explained in full in this run (one
    /// provider process serves one Terraform operation); the first call answers `false` and
    /// every later one `true`. A destroy of many protected objects then explains the ways out
    /// once and names each object in a line.
    pub(crate) fn protection_explained_before(&self) -> bool {
        self.protection_explained.swap(true, Ordering::Relaxed)
    }

    /// Whether an action must refuse to revoke token `id`: the provider names it in
    /// `protected_token_ids` and not in `revoke_protected_token_ids` (the explicit way out).
    pub fn refuses_action_revoke(&self, id: &str) -> bool {
        let id = crate::api::canonical_id(id);
        self.protected_from_actions.contains(&id)
            && !self
                .revoke_protected
                .iter()
                .any(|r| crate::api::canonical_id(r) == id)
    }

    /// The cluster the provider points at, when known.
    pub fn cluster(&self) -> Option<&Cluster> {
        self.cluster.as_ref()
    }
}
