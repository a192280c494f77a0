//! The invariants every fault test ends with: the tokens Terraform holds and the tokens active
//! in the mock are the same set (no orphan: active but not in state; no ghost: in state but not
//! active). A placeholder in state (`unsettled-create:<receipt>`, a create whose outcome no list
//! could settle yet) is no ghost: it stands for every active token carrying its receipt, which
//! is therefore no orphan either; its next refresh or apply settles it.

use std::collections::BTreeSet;

use serde_json::Value as Json;
use terraform_provider_influxdb3::mock::MockServer;

use super::WorkDir;
use super::mock_checks::mock_tokens;

/// Ids of the tokens active (not revoked) in every cluster of the mock.
pub(crate) fn active_token_ids(mock: &MockServer) -> BTreeSet<String> {
    mock_tokens(mock)
        .iter()
        .filter(|t| t["revokedAt"].is_null())
        .filter_map(|t| t["id"].as_str().map(str::to_owned))
        .collect()
}

/// Ids of every `influxdb3_database_token` in a `terraform show -json` state.
pub(crate) fn state_token_ids(state: &Json) -> BTreeSet<String> {
    state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["type"] == "influxdb3_database_token" && r["mode"] == "managed")
        .filter_map(|r| r["values"]["id"].as_str().map(str::to_owned))
        .collect()
}

/// What a comparison of state and mock found.
#[derive(Debug, Default)]
pub(crate) struct Agreement {
    /// Tokens in state.
    pub in_state: usize,
    /// Active tokens in the mock that the state does not hold.
    pub orphans: Vec<String>,
    /// Tokens in state that are not active in the mock.
    pub ghosts: Vec<String>,
}

/// The receipt a placeholder id names.
fn placeholder_receipt(id: &str) -> Option<&str> {
    id.strip_prefix("unsettled-create:")
}

/// Compares the working directory's state with the mock's active tokens.
pub(crate) fn agreement(wd: &WorkDir, mock: &MockServer) -> Agreement {
    let in_state = state_token_ids(&wd.state_json());
    let receipts: Vec<String> = in_state
        .iter()
        .filter_map(|id| placeholder_receipt(id))
        .map(|r| format!("[tf-receipt:{r}]"))
        .collect();
    let tokens = mock_tokens(mock);
    let active: Vec<&Json> = tokens.iter().filter(|t| t["revokedAt"].is_null()).collect();
    let covered = |t: &&Json| {
        let description = t["description"].as_str().unwrap_or_default();
        receipts.iter().any(|r| description.contains(r.as_str()))
    };
    let active_ids: BTreeSet<String> = active
        .iter()
        .filter_map(|t| t["id"].as_str().map(str::to_owned))
        .collect();
    Agreement {
        in_state: in_state.len(),
        orphans: active
            .iter()
            .filter(|t| !covered(t))
            .filter_map(|t| t["id"].as_str())
            .filter(|id| !in_state.contains(*id))
            .map(str::to_owned)
            .collect(),
        ghosts: in_state
            .iter()
            .filter(|id| placeholder_receipt(id).is_none() && !active_ids.contains(*id))
            .cloned()
            .collect(),
    }
}

/// Panics unless state and mock agree; returns the number of tokens checked.
pub(crate) fn assert_agreement(wd: &WorkDir, mock: &MockServer) -> usize {
    let found = agreement(wd, mock);
    assert!(
        found.orphans.is_empty() && found.ghosts.is_empty(),
        "state and mock disagree: {found:?}"
    );
    found.in_state
}
