//! `influxdb3_database_token` under real Terraform: the lifecycle, what a revoking plan says,
//! `deletion_protection`, secrets in plan and state, and a token staying in its own cluster.

use serde_json::Value as Json;
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};

use super::support::mock_checks::{api_calls, is_revoked, mock_token, mock_tokens};
use super::support::terraform::Feature;
use super::support::terraform_or_return;
use super::support::{WorkDir, actions, required_providers, state_values};

/// The address every test uses.
pub(crate) const ADDR: &str = "influxdb3_database_token.t";

pub(crate) use super::support::configs::{permissions, token_config};

/// A started mock and a working directory pointed at it.
pub(crate) fn setup(tf: &super::support::terraform::Terraform) -> (MockServer, WorkDir) {
    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    let mut wd = WorkDir::new(tf);
    wd.use_mock(&mock);
    (mock, wd)
}

/// The token's id in state.
pub(crate) fn state_id(wd: &WorkDir) -> String {
    state_values(&wd.state_json(), ADDR)["id"]
        .as_str()
        .expect("id in state")
        .to_owned()
}

fn grants(values: &Json) -> Vec<(String, String)> {
    let mut g: Vec<(String, String)> = values["permissions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["action"].as_str().unwrap_or_default().to_owned(),
                p["resource"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    g.sort();
    g
}

#[test]
fn token_lifecycle_create_update_in_place_replace_on_expiry_and_destroy() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);

    // Create: the state gets the secret once, marked sensitive in plan and state.
    let body = format!(
        "  description = \"ci writer\"\n{}",
        permissions(&[("read", "db1"), ("write", "db1")])
    );
    let plan = wd.step(&token_config(&body));
    assert_eq!(actions(&plan, ADDR), ["create"]);
    let change = &super::support::resource_change(&plan, ADDR)["change"];
    assert_eq!(
        change["after_sensitive"]["access_token"], true,
        "{change:#}"
    );
    assert_eq!(change["after_unknown"]["id"], true, "{change:#}");
    assert!(
        change["after"]["revoked_at"].is_null() && change["after_unknown"]["revoked_at"].is_null(),
        "a new token is planned live, not (known after apply): {change:#}"
    );
    let state = wd.state_json();
    let values = state_values(&state, ADDR).clone();
    let resource = super::support::state_resource(&state, ADDR).expect("in state");
    if wd.tf.at_least(1, 1) {
        assert_eq!(
            resource["sensitive_values"]["access_token"], true,
            "{resource:#}"
        );
    } else {
        eprintln!(
            "Terraform {} writes no sensitive_values in state JSON (added in 1.1): only the \
             plan's after_sensitive is checked",
            wd.tf.version_string()
        );
    }
    let id = values["id"].as_str().expect("id").to_owned();
    let secret = values["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    assert!(secret.len() >= 64, "the access token is stored: {values:#}");
    assert_eq!(values["account_id"], mock.account_id());
    assert_eq!(values["cluster_id"], mock.cluster_id());
    assert_eq!(values["deletion_protection"], false);
    assert!(values["expires_at"].is_null());
    assert!(
        values.get("revoked_at").is_some_and(Json::is_null),
        "{values:#}"
    );
    assert_eq!(
        grants(&values),
        [
            ("read".into(), "db1".into()),
            ("write".into(), "db1".into())
        ]
    );
    assert_eq!(mock_token(&mock, &id)["description"], "ci writer");

    // Description and permissions change in place: same id, same secret, one PATCH.
    let before = api_calls(&mock).len();
    let body = format!(
        "  description = \"ci reader\"\n{}",
        permissions(&[("read", "*")])
    );
    let plan = wd.step(&token_config(&body));
    assert_eq!(actions(&plan, ADDR), ["update"]);
    let values = state_values(&wd.state_json(), ADDR).clone();
    assert_eq!(values["id"], id.as_str());
    assert_eq!(values["access_token"], secret.as_str());
    let token = mock_token(&mock, &id);
    assert_eq!(token["description"], "ci reader");
    assert_eq!(
        token["permissions"],
        serde_json::json!([{"action": "read", "resource": "*"}])
    );
    let writes: Vec<String> = api_calls(&mock)[before..]
        .iter()
        .filter(|c| !c.starts_with("GET"))
        .cloned()
        .collect();
    assert_eq!(writes.len(), 1, "one PATCH, nothing else: {writes:?}");
    assert!(writes[0].starts_with("PATCH"), "{writes:?}");

    // expires_at cannot be changed by the API: a replacement revokes the old token.
    let with_expiry = format!("{body}\n  expires_at = \"2099-01-01T00:00:00Z\"");
    let plan = wd.step(&token_config(&with_expiry));
    assert_eq!(actions(&plan, ADDR), ["delete", "create"]);
    let values = state_values(&wd.state_json(), ADDR).clone();
    let new_id = values["id"].as_str().expect("id").to_owned();
    assert_ne!(new_id, id);
    assert_ne!(values["access_token"], secret.as_str(), "a new secret");
    assert!(is_revoked(&mock, &id), "the old token is revoked");
    assert!(!is_revoked(&mock, &new_id));

    // The same instant written differently is no change.
    let respelled = format!("{body}\n  expires_at = \"2099-01-01T09:00:00+09:00\"");
    wd.write_config(&token_config(&respelled));
    wd.assert_empty_plan(true);

    wd.destroy().success();
    assert!(is_revoked(&mock, &new_id), "destroy revokes");
    assert_eq!(mock_tokens(&mock).len(), 2);
}

/// A platform team's destroy of production: three protected tokens reading a protected
/// database. The ways out are explained once and each other token gets a line; the database,
/// which Terraform plans only after its tokens, is named as coming next, and is refused in the
/// next round once the tokens may go.
#[test]
fn a_destroy_of_protected_tokens_explains_once_and_says_their_database_comes_next() {
    let tf = terraform_or_return!(Feature::PlannedDestroy);
    let (mock, wd) = setup(&tf);
    let config = |protected: bool| {
        format!(
            "{}\nresource \"influxdb3_database\" \"prod\" {{\n  name = \"prod\"\n  \
             deletion_protection = true\n}}\n\
             resource \"influxdb3_database_token\" \"r\" {{\n  count = 3\n  \
             description = \"prod read ${{count.index}}\"\n  \
             permissions = [{{ action = \"read\", resource = influxdb3_database.prod.name }}]\n  \
             deletion_protection = {protected}\n}}\n",
            required_providers()
        )
    };
    wd.step(&config(true));
    let out = wd.destroy();
    assert_ne!(out.code, 0, "refused:\n{out}");
    let text = out.output().replace('\n', " ");
    let count = |phrase: &str| text.matches(phrase).count();
    assert_eq!(count("Error: Database Token Is Protected"), 3, "{out}");
    assert_eq!(count("set deletion_protection = false"), 1, "{out}");
    assert_eq!(count("are given in full once"), 2, "{out}");
    assert!(
        text.contains("its own error appears once its tokens pass"),
        "{out}"
    );
    assert!(mock_tokens(&mock).iter().all(|t| t["revokedAt"].is_null()));

    // The tokens may go now; the database's own protection stops the whole destroy at plan,
    // so nothing is revoked yet.
    wd.step(&config(false));
    wd.destroy()
        .failure_matching(r#"(?s)Database Deletion Protected.*"prod""#);
    assert!(mock_tokens(&mock).iter().all(|t| t["revokedAt"].is_null()));
}

#[test]
fn plans_that_revoke_a_token_say_so_and_deletion_protection_refuses_them() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    let protected = "  description = \"prod ingest\"\n  deletion_protection = true";
    wd.step(&token_config(protected));
    let id = state_id(&wd);

    // A replacement is refused while protected (any Terraform: it plans with the provider).
    wd.write_config(&token_config(&format!(
        "{protected}\n  expires_at = \"2099-01-01T00:00:00Z\""
    )));
    wd.terraform(&["plan", "-no-color"]).failure_matching(
        r"(?s)Database Token Is Protected.*set deletion_protection =\s+false.*apply",
    );

    // Destroy is refused too: at plan from Terraform 1.3, at apply before it.
    let out = wd
        .destroy()
        .failure_matching("(?s)Database Token Is Protected.*prod ingest.*deletion_protection");
    assert!(out.output().contains(&id), "names the token:\n{out}");
    assert!(!is_revoked(&mock, &id), "nothing was revoked");

    // Turning protection off is a change with no API call.
    let before = api_calls(&mock);
    let plan = wd.step(&token_config("  description = \"prod ingest\""));
    assert_eq!(actions(&plan, ADDR), ["update"]);
    assert!(
        api_calls(&mock)[before.len()..]
            .iter()
            .all(|c| c.starts_with("GET")),
        "no write: {:?}",
        api_calls(&mock)
    );

    // The replacement warning (every version), then the destroy warning (1.3+).
    wd.write_config(&token_config(
        "  description = \"prod ingest\"\n  expires_at = \"2099-01-01T00:00:00Z\"",
    ));
    let out = wd.terraform(&["plan", "-no-color"]).success();
    assert!(
        out.output().contains("Database Token Will Be Replaced")
            && out.output().contains("cannot be undone")
            && out.output().contains(&id),
        "{out}"
    );
    wd.write_config(&token_config("  description = \"prod ingest\""));
    if wd.tf.at_least(1, 3) {
        let out = wd.terraform(&["plan", "-destroy", "-no-color"]).success();
        let text = out.output().replace('\n', " ");
        for needle in [
            "Database Token Will Be Revoked",
            "prod ingest",
            id.as_str(),
            "immediate and cannot be undone",
            "needs a new token",
        ] {
            assert!(text.contains(needle), "{needle:?} missing:\n{out}");
        }
    } else {
        eprintln!(
            "Terraform {} < 1.3 does not plan destroys with the provider (no plan_destroy): \
             the destroy-plan warning is not checked",
            wd.tf.version_string()
        );
    }
    wd.destroy().success();
    assert!(is_revoked(&mock, &id));
}

#[test]
fn a_token_stays_in_its_cluster_and_moving_the_provider_replaces_it() {
    let tf = terraform_or_return!();
    let other = (
        "22222222-2222-4222-8222-222222222222".to_owned(),
        "44444444-4444-4444-8444-444444444444".to_owned(),
    );
    let mock = MockServer::start(MockOptions {
        extra_clusters: vec![other.clone()],
        ..MockOptions::default()
    })
    .expect("start the mock");
    let mut wd = WorkDir::new(&tf);
    wd.use_mock(&mock);
    wd.step(&token_config("  description = \"moves\""));
    let id = state_id(&wd);

    wd.set_env("INFLUXDB3_ACCOUNT_ID", &other.0);
    wd.set_env("INFLUXDB3_CLUSTER_ID", &other.1);
    let plan = wd.step(&token_config("  description = \"moves\""));
    assert_eq!(actions(&plan, ADDR), ["delete", "create"]);
    let values = state_values(&wd.state_json(), ADDR).clone();
    assert_eq!(values["cluster_id"], other.1.as_str());
    assert!(
        is_revoked(&mock, &id),
        "the old token is revoked in its own cluster"
    );
    let left_behind: Vec<Json> = mock_tokens(&mock)
        .into_iter()
        .filter(|t| t["clusterId"] == mock.cluster_id() && t["revokedAt"].is_null())
        .collect();
    assert!(
        left_behind.is_empty(),
        "no active token in the old cluster: {left_behind:?}"
    );
    let new_id = values["id"].as_str().expect("id");
    let moved = mock_token(&mock, new_id);
    assert_eq!(moved["clusterId"], other.1.as_str());
    wd.destroy().success();
    assert!(is_revoked(&mock, new_id));
}
