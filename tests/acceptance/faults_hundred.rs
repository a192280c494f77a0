//! A hundred tokens applied and destroyed through a hostile API: 503 on 20% of all calls,
//! 5% of creates (then deletes) committed with their response lost, and jittered latency.
//! After every apply, failed or not, the state and the mock agree (no orphan, no ghost); a
//! failed apply names every token it could not settle; the next applies converge.

use serde_json::{Value as Json, json};

use super::database_token::setup;
use super::support::fault_figures::summary;
use super::support::invariants::{Agreement, active_token_ids, agreement, assert_agreement};
use super::support::mock_checks::mock_tokens;
use super::support::terraform_or_return;
use super::support::text::flat;
use super::support::{WorkDir, required_providers};

const COUNT: usize = 100;
/// Applies (and destroys) allowed before convergence; each leaves about a quarter of the
/// remaining work undone, so a handful is plenty.
const MAX_RUNS: usize = 8;

fn config() -> String {
    format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  count = {COUNT}\n  description = \
         \"fault ${{count.index}}\"\n}}\n",
        required_providers()
    )
}

fn address(index: usize) -> String {
    format!("influxdb3_database_token.t[{index}]")
}

/// Indices of the tokens a failed apply left unsettled: absent from state, or tainted.
fn unsettled(state: &Json) -> Vec<usize> {
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (0..COUNT)
        .filter(|i| {
            let entry = resources.iter().find(|r| r["address"] == address(*i));
            entry.is_none_or(|r| r["tainted"] == true)
        })
        .collect()
}

/// Runs `args` until it succeeds; after each run the state and the mock agree, and a failed
/// run names every token `concerned` reports. Returns the number of runs.
fn until_success(
    wd: &WorkDir,
    mock: &terraform_provider_influxdb3::mock::MockServer,
    args: &[&str],
    concerned: impl Fn(&Json) -> Vec<usize>,
) -> usize {
    for run in 1..=MAX_RUNS {
        let out = wd.terraform(args);
        let found = agreement(wd, mock);
        assert!(
            found.orphans.is_empty() && found.ghosts.is_empty(),
            "after run {run} of `terraform {}` state and mock disagree: {found:?}\n\
             tokens concerned in the mock: {}\n{}\n{out}",
            args.join(" "),
            concerned_in_mock(mock, &found),
            summary(mock)
        );
        if out.code == 0 {
            return run;
        }
        let text = flat(&out.output());
        let state = wd.state_json();
        let missing: Vec<String> = concerned(&state)
            .into_iter()
            .filter(|i| !text.contains(&address(*i)) || !text.contains(&format!("fault {i}")))
            .map(address)
            .collect();
        assert!(
            !concerned(&state).is_empty() && missing.is_empty(),
            "run {run} of `terraform {}` failed; its output must name every unsettled token, \
             and misses {missing:?}:\n{out}",
            args.join(" ")
        );
    }
    panic!(
        "`terraform {}` did not converge in {MAX_RUNS} runs; {}",
        args.join(" "),
        summary(mock)
    );
}

/// The mock's record of each orphan or ghost, to tell which path lost it.
fn concerned_in_mock(
    mock: &terraform_provider_influxdb3::mock::MockServer,
    found: &Agreement,
) -> String {
    mock_tokens(mock)
        .into_iter()
        .filter(|t| {
            t["id"]
                .as_str()
                .is_some_and(|id| found.orphans.iter().chain(&found.ghosts).any(|o| o == id))
        })
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_hundred_tokens_survive_503s_lost_responses_and_jitter() {
    let tf = terraform_or_return!();
    let started = std::time::Instant::now();
    let (mock, wd) = setup(&tf);
    let faults = json!([{ "method": "*", "path_prefix": "/api/v0/", "status": 503, "rate": 0.2 }]);
    mock.configure(json!({
        "latency_ms": 5,
        "latency_jitter_ms": 40,
        "faults": faults,
        "drop_response_after_commit": { "method": "POST", "rate": 0.05 },
    }))
    .expect("configure the mock");
    wd.write_config(&config());
    let apply = [
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
        "-parallelism=10",
    ];
    let applies = until_success(&wd, &mock, &apply, unsettled);
    assert_eq!(assert_agreement(&wd, &mock), COUNT);
    wd.assert_empty_plan(true);
    let after_apply = summary(&mock);

    mock.configure(json!({ "drop_response_after_commit": { "method": "DELETE", "rate": 0.05 } }))
        .expect("configure the mock");
    let destroy = [
        "destroy",
        "-no-color",
        "-input=false",
        "-auto-approve",
        "-parallelism=10",
    ];
    let in_state = |state: &Json| {
        (0..COUNT)
            .filter(|i| super::support::state_resource(state, &address(*i)).is_some())
            .collect()
    };
    let destroys = until_success(&wd, &mock, &destroy, in_state);
    assert!(active_token_ids(&mock).is_empty(), "no active token left");
    eprintln!(
        "faults_hundred: {COUNT} tokens, converged in {applies} apply(s) and {destroys} \
         destroy(s), 0 orphans, {:.1}s\n  after apply: {after_apply}\n  in all: {}",
        started.elapsed().as_secs_f64(),
        summary(&mock)
    );
}
