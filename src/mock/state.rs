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
use super::model::{Database, Token};
use super::request_log::RequestRecord;
use super::start_options::{ClusterIds, Identity};
use super::switches::{MockConfig, PermissionOrder};
use super::wire::{DatabaseJson, TokenJson};

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
    pub(crate) databases: Vec<Database>,
}

/// An index into the served clusters, obtained from a validated path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClusterRef(pub(crate) usize);

impl App {
    pub(crate) fn new(identity: Identity) -> Self {
        let data = Data::empty(identity.clusters.len());
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
        *self.lock() = Data::empty(self.identity.clusters.len());
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
            })
            .collect();
        serde_json::json!({
            "clusters": clusters,
            "config": config_json(&data.config),
        })
    }
}

impl Data {
    fn empty(clusters: usize) -> Self {
        Self {
            clusters: (0..clusters).map(|_| ClusterData::default()).collect(),
            config: MockConfig::default(),
            log: Vec::new(),
        }
    }

    pub(crate) fn cluster(&mut self, cluster: ClusterRef) -> &mut ClusterData {
        &mut self.clusters[cluster.0]
    }
}

#[derive(Debug, Serialize)]
struct ClusterDump<'a> {
    account_id: String,
    cluster_id: String,
    tokens: Vec<TokenJson<'a>>,
    databases: Vec<DatabaseJson<'a>>,
}

fn config_json(config: &MockConfig) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}
