//! One `influxdb3-mock-api` process serving several clusters (`--cluster ACCOUNT:CLUSTER`,
//! repeatable): the ready line lists them, each keeps its own tokens, a cluster it does not
//! serve answers 404 as the API does, and a configuration with two provider aliases manages
//! tokens in two clusters of the one process.

use serde_json::{Value as Json, json};

use super::support::mock_process::MockProcess;
use super::support::terraform_or_return;
use super::support::{WorkDir, required_providers, state_values};

const ACCOUNT: &str = "a0000000-0000-4000-8000-000000000001";
const DEFAULT_CLUSTER: &str = "c0000000-0000-4000-8000-000000000001";
const OTHER_ACCOUNT: &str = "a0000000-0000-4000-8000-000000000002";
const SECOND_CLUSTER: &str = "c0000000-0000-4000-8000-000000000002";
const THIRD_CLUSTER: &str = "c0000000-0000-4000-8000-000000000003";

fn three_clusters() -> MockProcess {
    MockProcess::start(&[
        "--account-id",
        ACCOUNT,
        "--cluster-id",
        DEFAULT_CLUSTER,
        "--cluster",
        &format!("{OTHER_ACCOUNT}:{SECOND_CLUSTER}"),
        &format!("--cluster={ACCOUNT}:{THIRD_CLUSTER}"),
    ])
}

fn tokens_path(account: &str, cluster: &str) -> String {
    format!("/api/v0/accounts/{account}/clusters/{cluster}/tokens")
}

#[test]
fn the_binary_lists_its_clusters_and_keeps_their_tokens_apart() {
    let single = MockProcess::start(&["--listen", "127.0.0.1:0"]);
    assert!(
        single.ready.get("clusters").is_none(),
        "one cluster: the line is as before: {}",
        single.ready
    );
    drop(single);

    let mock = three_clusters();
    assert_eq!(mock.field("account_id"), ACCOUNT, "{}", mock.ready);
    assert_eq!(mock.field("cluster_id"), DEFAULT_CLUSTER);
    assert_eq!(
        mock.ready["clusters"],
        json!([
            {"account_id": ACCOUNT, "cluster_id": DEFAULT_CLUSTER},
            {"account_id": OTHER_ACCOUNT, "cluster_id": SECOND_CLUSTER},
            {"account_id": ACCOUNT, "cluster_id": THIRD_CLUSTER},
        ])
    );

    let body = json!({"description": "second only", "permissions": [{"action": "read", "resource": "db1"}]});
    let (status, created) = mock.call(
        "POST",
        &tokens_path(OTHER_ACCOUNT, SECOND_CLUSTER),
        Some(body),
    );
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["clusterId"], SECOND_CLUSTER);
    assert_eq!(created["accountId"], OTHER_ACCOUNT);
    let listed = |account: &str, cluster: &str| -> Vec<Json> {
        let (status, list) = mock.call("GET", &tokens_path(account, cluster), None);
        assert_eq!(status, 200, "{list}");
        list.as_array().cloned().unwrap_or_default()
    };
    assert_eq!(listed(OTHER_ACCOUNT, SECOND_CLUSTER).len(), 1);
    assert!(listed(ACCOUNT, DEFAULT_CLUSTER).is_empty());
    assert!(listed(ACCOUNT, THIRD_CLUSTER).is_empty());

    // A served cluster id under another served account is not a served cluster.
    for (account, cluster) in [
        (ACCOUNT, SECOND_CLUSTER),
        (OTHER_ACCOUNT, DEFAULT_CLUSTER),
        (ACCOUNT, "c0000000-0000-4000-8000-00000000000f"),
    ] {
        let (status, error) = mock.call("GET", &tokens_path(account, cluster), None);
        assert_eq!(status, 404, "{account}/{cluster}: {error}");
        assert_eq!(error["code"], 404, "{error}");
        assert!(error["message"].is_string(), "{error}");
    }
}

#[test]
fn a_malformed_cluster_argument_exits_2_with_the_usage() {
    for value in ["not-a-pair", &format!("{ACCOUNT}:not-a-uuid")] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_influxdb3-mock-api"))
            .args(["--cluster", value])
            .output()
            .expect("run the mock");
        assert_eq!(out.status.code(), Some(2), "{value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--cluster") && stderr.contains("Usage:"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty(), "no ready line");
    }
}

#[test]
fn two_provider_aliases_manage_tokens_in_two_clusters_of_one_mock() {
    let tf = terraform_or_return!();
    let mock = three_clusters();
    let mut wd = WorkDir::new(&tf);
    wd.set_env("INFLUXDB3_ENDPOINT", mock.field("endpoint"));
    wd.set_env("INFLUXDB3_MANAGEMENT_TOKEN", mock.field("management_token"));
    wd.register_secret(mock.field("management_token"));
    let config = format!(
        r#"{}
provider "influxdb3" {{
  account_id = "{ACCOUNT}"
  cluster_id = "{DEFAULT_CLUSTER}"
}}

provider "influxdb3" {{
  alias      = "second"
  account_id = "{OTHER_ACCOUNT}"
  cluster_id = "{SECOND_CLUSTER}"
}}

resource "influxdb3_database_token" "first" {{
  description = "in the default cluster"
  permissions = [{{ action = "read", resource = "db1" }}]
}}

resource "influxdb3_database_token" "second" {{
  provider    = influxdb3.second
  description = "in the second cluster"
  permissions = [{{ action = "write", resource = "db2" }}]
}}
"#,
        required_providers()
    );
    wd.step(&config);

    let state = wd.state_json();
    let mut ids = Vec::new();
    for (address, account, cluster) in [
        ("influxdb3_database_token.first", ACCOUNT, DEFAULT_CLUSTER),
        (
            "influxdb3_database_token.second",
            OTHER_ACCOUNT,
            SECOND_CLUSTER,
        ),
    ] {
        let values = state_values(&state, address);
        assert_eq!(values["account_id"], account, "{address}: {values:#}");
        assert_eq!(values["cluster_id"], cluster, "{address}: {values:#}");
        let id = values["id"].as_str().expect("id").to_owned();
        let (status, token) = mock.call(
            "GET",
            &format!("{}/{id}", tokens_path(account, cluster)),
            None,
        );
        assert_eq!(status, 200, "{address} lives in its own cluster: {token}");
        ids.push(id);
    }
    let (_, dump) = mock.call("GET", "/__mock/state", None);
    let per_cluster: Vec<usize> = dump["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .map(|c| c["tokens"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(
        per_cluster,
        [1, 1, 0],
        "one token in each aliased cluster: {dump:#}"
    );

    wd.destroy().success();
    let (_, dump) = mock.call("GET", "/__mock/state", None);
    let active: Vec<&Json> = dump["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .flat_map(|c| c["tokens"].as_array().into_iter().flatten())
        .filter(|t| t["revokedAt"].is_null())
        .collect();
    assert!(
        active.is_empty(),
        "destroy revoked both: {active:?} (ids {ids:?})"
    );
}
