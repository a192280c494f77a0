//! Issue 30: a configuration managing a few tokens in a cluster of 100,000 works, and what it
//! costs grows with what it manages or asks for, not with the cluster.

use serde_json::Value as Json;
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

use super::support::{WorkDir, required_providers, terraform_or_skip};

/// 100,000 tokens of 10 permissions each: far past the 10,000 tokens and 100,000 permissions
/// the provider once refused.
fn large_cluster() -> MockServer {
    MockServer::start(MockOptions {
        generate_tokens: 100_000,
        permissions_per_token: 10,
        ..MockOptions::default()
    })
    .expect("start the mock")
}

/// The request timeout is raised far above the default: the test counts list calls, and on a
/// loaded machine the debug builds of the mock and the provider can take more than the default
/// 30 s over a list of 100,000 tokens, which the provider then rightly retries.
const CONFIG: &str = r#"
provider "influxdb3" {
  request_timeout = "600s"
}

resource "influxdb3_database_token" "managed" {
  count       = 3
  description = "managed ${count.index}"
  permissions = [{ action = "read", resource = "generated-db-0" }]
}

data "influxdb3_database_tokens" "nines" {
  description_prefix = "generated token 9999"
}

output "nines" {
  value = [for t in data.influxdb3_database_tokens.nines.tokens : t.description]
}

output "permissions" {
  value = length(data.influxdb3_database_tokens.nines.tokens[0].permissions)
}
"#;

/// Token list calls among the mock's requests from `from` on.
fn lists_since(mock: &MockServer, from: usize) -> Vec<String> {
    mock.requests()[from..]
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains("/tokens"))
        .map(|r| r.path.clone())
        .collect()
}

#[test]
fn a_few_tokens_and_a_filtered_data_source_in_a_cluster_of_100000() {
    let Some(tf) = terraform_or_skip("a large cluster") else {
        return;
    };
    let mock = large_cluster();
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.step(&format!("{}\n{CONFIG}", required_providers()));

    let outputs = wd.terraform_json(&["output", "-json"]);
    let mut nines: Vec<String> = outputs["nines"]["value"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    nines.sort();
    let mut expected: Vec<String> = std::iter::once(9999)
        .chain(99_990..100_000)
        .map(|i| format!("generated token {i}"))
        .collect();
    expected.sort();
    assert_eq!(
        nines, expected,
        "the data source returns its prefix's tokens only"
    );
    assert_eq!(outputs["permissions"]["value"], 10);

    // A refreshing plan: one list for the three managed tokens (each confirmed against it,
    // none read by id) and one for the data source.
    let before = mock.requests().len();
    wd.assert_empty_plan(true);
    let lists = lists_since(&mock, before);
    assert_eq!(
        lists.iter().filter(|p| p.ends_with("/tokens")).count(),
        2,
        "{lists:?}"
    );
    assert!(
        lists.iter().all(|p| p.ends_with("/tokens")),
        "no token was read by id: {lists:?}"
    );
    wd.destroy().success();
}
