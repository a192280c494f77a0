//! Creates without a usable answer next to another configuration (issue 24) under real
//! Terraform: two working directories share one cluster of the mock, whose list lags behind
//! creates, and write identical tokens (same description and permissions). A create is settled
//! by its receipt only: the other configuration's identical token, made before, during or after
//! the request, is never adopted, named or revoked; this configuration's own token is never
//! left outside its state; the list lag the docs promise (10 s) is waited out.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::json;
use terraform_provider_influxdb3::mock::MockServer;

use super::database_token::{permissions, setup};
use super::support::invariants::{active_token_ids, state_token_ids};
use super::support::mock_checks::is_revoked;
use super::support::terraform_or_return;
use super::support::text::flat;
use super::support::{WorkDir, required_providers};

const APPLY: [&str; 4] = ["apply", "-no-color", "-input=false", "-auto-approve"];

/// `count` tokens alike in description and permissions, as two teams might both write.
fn identical(count: usize) -> String {
    format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  count = {count}\n  description = \
         \"shared writer\"\n{}\n}}\n",
        required_providers(),
        permissions(&[("write", "metrics")])
    )
}

/// A second working directory on the same mock cluster.
fn other_config(tf: &super::support::terraform::Terraform, mock: &MockServer) -> WorkDir {
    let mut wd = WorkDir::new(tf);
    wd.use_mock(mock);
    wd
}

fn ids(wd: &WorkDir) -> BTreeSet<String> {
    state_token_ids(&wd.state_json())
}

/// The active tokens of the mock are exactly those the configurations hold.
fn assert_all_owned(mock: &MockServer, configs: &[&WorkDir]) {
    let held: BTreeSet<String> = configs.iter().flat_map(|wd| ids(wd)).collect();
    assert_eq!(
        active_token_ids(mock),
        held,
        "no orphan (active, in no state) and no ghost (in a state, not active)"
    );
}

fn token_posts(mock: &MockServer) -> Vec<u16> {
    mock.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/tokens"))
        .map(|r| r.status)
        .collect()
}

#[test]
fn an_identical_token_made_just_before_by_another_configuration_is_never_taken_for_ours() {
    let tf = terraform_or_return!();
    let (mock, a) = setup(&tf);
    mock.configure(json!({ "list_lag_ms": 3000 }))
        .expect("configure the mock");
    a.write_config(&identical(1));
    a.terraform(&APPLY).success();
    let theirs = ids(&a).into_iter().next().expect("A's token");

    // B writes the same token at once and loses the answer to its create.
    let b = other_config(&tf, &mock);
    b.write_config(&identical(1));
    mock.configure(json!({
        "drop_response_after_commit": { "method": "POST", "rate": 1.0, "count": 1 }
    }))
    .expect("configure the mock");
    let out = b.terraform(&APPLY).success();
    let ours = ids(&b)
        .into_iter()
        .next()
        .expect("B's token is in its state");
    assert_ne!(ours, theirs, "B never adopts A's token");
    assert!(
        !flat(&out.output()).contains(&theirs),
        "B's apply never names A's token:\n{out}"
    );
    assert!(!is_revoked(&mock, &theirs), "A's token is untouched");
    assert_eq!(
        token_posts(&mock)[1..],
        [0, 200],
        "B's lost create was made again"
    );
    assert_all_owned(&mock, &[&a, &b]);
    b.assert_empty_plan(true);
    a.assert_empty_plan(true);
}

#[test]
fn a_lost_create_answer_is_found_through_seconds_of_list_lag() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    mock.configure(json!({
        "list_lag_ms": 9000,
        "drop_response_after_commit": { "method": "POST", "rate": 1.0, "count": 1 },
    }))
    .expect("configure the mock");
    wd.write_config(&identical(1));
    wd.terraform(&APPLY).success();
    assert_eq!(
        token_posts(&mock),
        [0, 200],
        "9 s of lag is within the 10 s the docs promise: the lost token is found, revoked, and \
         the create sent again"
    );
    let revoked: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect();
    assert_eq!(revoked.len(), 1, "{revoked:?}");
    assert_all_owned(&mock, &[&wd]);
}

#[test]
fn a_create_answered_503_is_sent_again_while_another_configuration_makes_identical_tokens() {
    let tf = terraform_or_return!();
    let (mock, a) = setup(&tf);
    a.write_config(&identical(2));
    a.terraform(&APPLY).success();
    let before = ids(&a);

    let wd = other_config(&tf, &mock);
    mock.configure(json!({
        "list_lag_ms": 2000,
        "faults": [{ "method": "POST", "path_prefix": "/api/v0/", "status": 503, "rate": 1.0 }],
    }))
    .expect("configure the mock");
    wd.write_config(&identical(1));
    let mut child = wd.command(&APPLY).spawn().expect("start terraform apply");
    // The first create meets the 503; the faults end while the provider checks the list, and
    // A makes another identical token inside B's reconcile window.
    let waited = Instant::now();
    while !token_posts(&mock).contains(&503) {
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "no create was sent"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    mock.configure(json!({ "faults": [] }))
        .expect("configure the mock");
    a.write_config(&identical(3));
    a.terraform(&APPLY).success();
    let status = child.wait().expect("terraform apply");
    assert!(status.success(), "one apply is enough");
    let b_posts: Vec<u16> = token_posts(&mock)[2..]
        .iter()
        .copied()
        .filter(|s| *s == 503)
        .collect();
    assert_eq!(b_posts, [503], "B met one 503");
    let theirs = ids(&a);
    assert_eq!(theirs.len(), 3);
    assert!(before.is_subset(&theirs));
    let ours = ids(&wd);
    assert_eq!(ours.len(), 1);
    assert!(ours.is_disjoint(&theirs), "B adopted none of A's tokens");
    assert!(
        mock.requests().iter().all(|r| r.method != "DELETE"),
        "nothing was revoked"
    );
    assert_all_owned(&mock, &[&a, &wd]);
    wd.assert_empty_plan(true);
}
