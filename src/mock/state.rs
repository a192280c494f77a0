//! The shared state of one mock: its identity (fixed) and, behind one mutex, the tokens and
//! databases of each cluster, the behaviour switches and the request log.
//!
//! The mutex is never held across an `.await`, and a poisoned lock is recovered (the state is
//! plain data and stays consistent between statements), so a panicking test thread cannot
//! wedge the mock for the others.

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::Serialize;
use serde_json::Value;

use super::error::MockError;
use uuid::Uuid;

use super::model::{Action, Database, Deleted, Permission, Token};
use super::request_log::RequestRecord;
use super::start_options::{ClusterIds, Identity};
use super::switches::{MockConfig, PermissionOrder};
use super::wire::{DatabaseJson, TableJson, TokenJson};

/// Everything the handlers and the in-process API share.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) identity: Identity,
    data: Mutex<Data>,
}

/// The mutable part.
#[derive(Debug)]
pub(crate) struct Data {
    /// Parallel to `identity.clusters`.
    pub(crate) clusters: Vec<ClusterData>,
    pub(crate) config: MockConfig,
    pub(crate) log: Vec<RequestRecord>,
}

/// One cluster's entities, each list in creation order.
#[derive(Debug, Default)]
pub(crate) struct ClusterData {
    pub(crate) tokens: Vec<Token>,
    /// Live databases.
    pub(crate) databases: Vec<Database>,
    /// Soft-deleted databases still inside the undelete window.
    pub(crate) deleted_databases: Vec<Deleted<Database>>,
    /// The last numeric id handed out (databases and tables share the sequence).
    pub(crate) last_id: i64,
}

impl ClusterData {
    /// The next numeric id: 1, 2, … (the spec's `ClusterDatabaseId` has minimum 1).
    pub(crate) fn next_id(&mut self) -> i64 {
        self.last_id += 1;
        self.last_id
    }
}

/// An index into the served clusters, obtained from a validated path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClusterRef(pub(crate) usize);

impl App {
    pub(crate) fn new(identity: Identity) -> Self {
        let data = Data::initial(&identity);
        Self {
            identity,
            data: Mutex::new(data),
        }
    }

    /// Locks the mutable state, recovering it if another thread panicked while holding it.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The ids of a served cluster.
    pub(crate) fn ids(&self, cluster: ClusterRef) -> ClusterIds {
        self.identity.clusters[cluster.0]
    }

    /// Forgets all tokens, databases and logged requests and restores the default switches.
    pub(crate) fn reset(&self) {
        *self.lock() = Data::initial(&self.identity);
    }

    /// Applies a switch patch (validated whole first).
    pub(crate) fn configure(&self, patch: Value) -> Result<Value, MockError> {
        let mut data = self.lock();
        data.config.apply(patch)?;
        Ok(config_json(&data.config))
    }

    pub(crate) fn record(&self, record: RequestRecord) {
        self.lock().log.push(record);
    }

    pub(crate) fn requests(&self) -> Vec<RequestRecord> {
        self.lock().log.clone()
    }

    /// The state dump of `GET /__mock/state`: every cluster with all its tokens (revoked
    /// included, never a secret, permissions in stored order) and databases (with their
    /// templates), plus the current switches.
    pub(crate) fn state_json(&self) -> Value {
        let data = self.lock();
        let clusters: Vec<ClusterDump<'_>> = self
            .identity
            .clusters
            .iter()
            .zip(&data.clusters)
            .map(|(ids, cluster)| ClusterDump {
                account_id: ids.account_id.to_string(),
                cluster_id: ids.cluster_id.to_string(),
                tokens: cluster
                    .tokens
                    .iter()
                    .map(|t| TokenJson::new(*ids, t, PermissionOrder::Echo))
                    .collect(),
                databases: cluster
                    .databases
                    .iter()
                    .map(|d| DatabaseJson::new(*ids, d, true))
                    .collect(),
                deleted_databases: cluster
                    .deleted_databases
                    .iter()
                    .map(|d| DatabaseJson::new(*ids, &d.item, true).with_id())
                    .collect(),
                tables: cluster
                    .databases
                    .iter()
                    .flat_map(|d| d.tables.iter().map(|t| TableJson::new(*ids, &d.name, t)))
                    .map(TableJson::with_id)
                    .collect(),
            })
            .collect();
        serde_json::json!({
            "clusters": clusters,
            "config": config_json(&data.config),
        })
    }
}

impl Data {
    /// The state a mock starts (and resets) with: no tokens or databases, except the
    /// generated tokens of the default cluster.
    fn initial(identity: &Identity) -> Self {
        let mut clusters: Vec<ClusterData> = (0..identity.clusters.len())
            .map(|_| ClusterData::default())
            .collect();
        let (tokens, permissions) = identity.generated;
        if let Some(first) = clusters.first_mut() {
            first.tokens = generated_tokens(tokens, permissions);
        }
        Self {
            clusters,
            config: MockConfig::default(),
            log: Vec::new(),
        }
    }

    pub(crate) fn cluster(&mut self, cluster: ClusterRef) -> &mut ClusterData {
        &mut self.clusters[cluster.0]
    }
}

/// `count` live tokens with `permissions` permissions each, created a second apart before the
/// mock started (so no `list_lag_ms` hides them).
fn generated_tokens(count: usize, permissions: usize) -> Vec<Token> {
    let start = super::timefmt::now_millis() - time::Duration::days(1);
    (0..count)
        .map(|i| Token {
            id: Uuid::new_v4(),
            description: format!("generated token {i}"),
            permissions: (0..permissions)
                .map(|k| Permission {
                    action: if k % 2 == 0 {
                        Action::Read
                    } else {
                        Action::Write
                    },
                    resource: format!("generated-db-{}", k / 2),
                })
                .collect(),
            created_at: start + time::Duration::milliseconds(i64::try_from(i).unwrap_or(0)),
            expires_at: None,
            revoked_at: None,
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct ClusterDump<'a> {
    account_id: String,
    cluster_id: String,
    tokens: Vec<TokenJson<'a>>,
    databases: Vec<DatabaseJson<'a>>,
    /// With their `id`, the key to undelete.
    deleted_databases: Vec<DatabaseJson<'a>>,
    /// The live tables of live databases, with their `id`.
    tables: Vec<TableJson<'a>>,
}

fn config_json(config: &MockConfig) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}
