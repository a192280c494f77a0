//! Figures of a fault run, from the mock's request log: calls by method and status, injected
//! 503s and dropped responses (logged with status 0).

use std::collections::BTreeMap;

use terraform_provider_influxdb3::mock::MockServer;

/// Calls counted by `METHOD status`.
pub(crate) fn calls_by_method_and_status(mock: &MockServer) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for r in mock.requests() {
        *counts
            .entry(format!("{} {}", r.method, r.status))
            .or_insert(0) += 1;
    }
    counts
}

/// One line for the test's output: total calls, faults injected, and calls by method/status.
pub(crate) fn summary(mock: &MockServer) -> String {
    let requests = mock.requests();
    let injected = requests.iter().filter(|r| r.status == 503).count();
    let dropped = requests.iter().filter(|r| r.status == 0).count();
    format!(
        "{} calls, {injected} injected 503s, {dropped} dropped responses; by method and status: \
         {:?}",
        requests.len(),
        calls_by_method_and_status(mock)
    )
}
