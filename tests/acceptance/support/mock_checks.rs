//! Looking into the mock, and changing it behind Terraform's back (the "out of band" changes a
//! colleague or `influxctl` would make).

use serde_json::Value as Json;
use terraform_provider_influxdb3::mock::MockServer;

/// Every token of the mock's default cluster (revoked ones included), as `/__mock/state` shows
/// them (camelCase, `revokedAt` when revoked).
pub(crate) fn mock_tokens(mock: &MockServer) -> Vec<Json> {
    let state = mock.state();
    state["clusters"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["tokens"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The mock's token `id`; panics with the mock state when absent.
pub(crate) fn mock_token(mock: &MockServer, id: &str) -> Json {
    mock_tokens(mock)
        .into_iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no token {id} in the mock:\n{:#}", mock.state()))
}

/// Whether the mock's token `id` is revoked.
pub(crate) fn is_revoked(mock: &MockServer, id: &str) -> bool {
    !mock_token(mock, id)["revokedAt"].is_null()
}

/// Calls the mock's API on token `id` of the default cluster with the management token, as
/// another tool would; returns the HTTP status.
pub(crate) fn out_of_band(mock: &MockServer, method: &str, id: &str, body: Option<Json>) -> u16 {
    let url = format!(
        "{}/accounts/{}/clusters/{}/tokens/{id}",
        mock.endpoint(),
        mock.account_id(),
        mock.cluster_id()
    );
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("HTTP method");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut req = reqwest::Client::new()
            .request(method, &url)
            .bearer_auth(mock.management_token());
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send()
            .await
            .expect("out-of-band request")
            .status()
            .as_u16()
    })
}

/// The API requests the mock served, as `METHOD path` lines.
pub(crate) fn api_calls(mock: &MockServer) -> Vec<String> {
    mock.requests()
        .into_iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// The API calls that change something (all but GET), as [`api_calls`] writes them.
pub(crate) fn api_writes(mock: &MockServer) -> Vec<String> {
    api_calls(mock)
        .into_iter()
        .filter(|c| !c.starts_with("GET "))
        .collect()
}
