//! A benchmark-style fault run (issues 18 and 24; not a timed test, and ignored by default):
//! how many `terraform apply` runs a configuration of N tokens needs to converge against a
//! hostile mock, whether state and mock ever disagree, and whether any token of another
//! configuration (identical in description and permissions) is ever taken or revoked.
//!
//! Run it with
//!
//! ```text
//! cargo test --test acceptance faults_convergence -- --ignored --nocapture
//! ```
//!
//! Settings (environment): `FAULT_RUNS_40` (default 20) runs of 40 tokens and
//! `FAULT_RUNS_100` (default 20) runs of 100 tokens; `FAULT_503_RATE` (default 0.2) of every API
//! call answered 503 before anything is done; `FAULT_DROP_RATE` (default 0.05) of the creates
//! that got through committed with their answer dropped; `FAULT_LIST_LAG_MS` (default 3000) of
//! list lag. Before each run, "another configuration" makes one token identical to each of the
//! run's (same description and permissions). Each run prints one line: applies to converge,
//! orphans (active tokens in the mock not in state or seeded) and ghosts (state entries the mock
//! does not have) after every apply, the 503s and lost answers the creates met, and the time
//! taken. A lost create answer is settled by the create's receipt (its token revoked, the create
//! sent again) within the same apply.
//!
//! It asserts only what must always hold: no orphan, no ghost and every seeded token active
//! after any apply, and convergence within a few applies. The figures are for the reader.

use std::time::Instant;

use serde_json::json;
use terraform_provider_influxdb3::mock::MockServer;

use super::database_token::setup;
use super::support::invariants::{active_token_ids, agreement};
use super::support::required_providers;
use super::support::seed::Seed;
use super::support::terraform_or_return;

/// Applies allowed before a run counts as not converging (and fails).
const MAX_APPLIES: usize = 6;

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(count: usize) -> String {
    format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  count = {count}\n  description = \
         \"converge ${{count.index}}\"\n}}\n",
        required_providers()
    )
}

/// What one run measured.
#[derive(Debug)]
struct Run {
    applies: usize,
    /// The largest number of orphans / ghosts seen after any apply.
    orphans: usize,
    ghosts: usize,
    /// Token creates answered 503, and creates whose answer was dropped after commit.
    create_503s: usize,
    lost_answers: usize,
    /// Creates the mock committed (made tokens).
    made: usize,
    secs: f64,
}

fn token_posts(mock: &MockServer) -> impl Iterator<Item = u16> {
    mock.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/tokens"))
        .map(|r| r.status)
}

fn one_run(tf: &super::support::terraform::Terraform, count: usize) -> Run {
    let started = Instant::now();
    let (mock, wd) = setup(tf);
    let seed = Seed::new(&mock);
    let theirs: std::collections::BTreeSet<String> = (0..count)
        .map(|i| seed.token(&format!("converge {i}"), &[]))
        .collect();
    mock.configure(json!({
        "faults": [{ "method": "*", "path_prefix": "/api/v0/", "status": 503,
                     "rate": env_or("FAULT_503_RATE", 0.2) }],
        "drop_response_after_commit": { "method": "POST", "rate": env_or("FAULT_DROP_RATE", 0.05) },
        "list_lag_ms": env_or("FAULT_LIST_LAG_MS", 3000u64),
    }))
    .expect("configure the mock");
    wd.write_config(&config(count));
    let (mut orphans, mut ghosts) = (0, 0);
    for applies in 1..=MAX_APPLIES {
        let out = wd.terraform(&[
            "apply",
            "-no-color",
            "-input=false",
            "-auto-approve",
            "-parallelism=10",
        ]);
        let mut found = agreement(&wd, &mock);
        found.orphans.retain(|id| !theirs.contains(id));
        orphans = orphans.max(found.orphans.len());
        ghosts = ghosts.max(found.ghosts.len());
        assert!(
            found.orphans.is_empty() && found.ghosts.is_empty(),
            "apply {applies} of {count} tokens left state and mock disagreeing: {found:?}\n{out}"
        );
        let active = active_token_ids(&mock);
        let taken: Vec<&String> = theirs.iter().filter(|id| !active.contains(*id)).collect();
        assert!(
            taken.is_empty(),
            "apply {applies} revoked tokens of another configuration: {taken:?}\n{out}"
        );
        if out.code != 0 {
            eprintln!(
                "faults_convergence: {count} tokens, apply {applies} failed: {}",
                failure_reasons(&out.output())
            );
        }
        if out.code == 0 {
            let statuses: Vec<u16> = token_posts(&mock).collect();
            return Run {
                applies,
                orphans,
                ghosts,
                create_503s: statuses.iter().filter(|s| **s == 503).count(),
                lost_answers: statuses.iter().filter(|s| **s == 0).count(),
                made: statuses.iter().filter(|s| matches!(**s, 0 | 200)).count() - count,
                secs: started.elapsed().as_secs_f64(),
            };
        }
    }
    panic!("{count} tokens did not converge in {MAX_APPLIES} applies");
}

/// The distinct error summaries of a failed apply, each with a count, and the first line of
/// each detail, so the figures say why an apply did not converge.
fn failure_reasons(output: &str) -> String {
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    let lines: Vec<&str> = output.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if let Some(summary) = line.trim_start_matches(['│', ' ']).strip_prefix("Error: ") {
            let detail = lines[i + 1..]
                .iter()
                .map(|l| l.trim_start_matches(['│', ' ']))
                .find(|l| {
                    // Skip Terraform's source excerpt: "with ...", "on main.tf line ...", and
                    // the quoted configuration line ("9: resource ...").
                    let quoted = l.split_once(':').is_some_and(|(n, _)| {
                        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
                    });
                    !l.is_empty() && !l.starts_with("with ") && !l.starts_with("on ") && !quoted
                })
                .unwrap_or_default();
            let detail: String = detail.chars().take(160).collect();
            *reasons.entry(format!("{summary}: {detail}")).or_insert(0) += 1;
        }
    }
    reasons
        .iter()
        .map(|(reason, n)| format!("{n}x {reason}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn series(tf: &super::support::terraform::Terraform, count: usize, runs: usize) -> Vec<Run> {
    (1..=runs)
        .map(|i| {
            let run = one_run(tf, count);
            eprintln!(
                "faults_convergence: {count} tokens, run {i}/{runs}: {} apply(s), {} orphans, \
                 {} ghosts; creates: {} answered 503, {} answers lost, {} tokens made; {:.1}s",
                run.applies,
                run.orphans,
                run.ghosts,
                run.create_503s,
                run.lost_answers,
                run.made,
                run.secs
            );
            run
        })
        .collect()
}

fn report(count: usize, runs: &[Run]) {
    let one = runs.iter().filter(|r| r.applies == 1).count();
    let without_loss = runs.iter().filter(|r| r.lost_answers == 0).count();
    let extra_without_loss = runs
        .iter()
        .filter(|r| r.applies > 1 && r.lost_answers == 0)
        .count();
    eprintln!(
        "faults_convergence: {count} tokens: {one}/{n} runs converged in one apply; {without_loss} \
         runs lost no create answer, of which {extra_without_loss} needed more than one apply; \
         applies per run {:?}; most orphans {} and ghosts {} after any apply",
        runs.iter().map(|r| r.applies).collect::<Vec<_>>(),
        runs.iter().map(|r| r.orphans).max().unwrap_or(0),
        runs.iter().map(|r| r.ghosts).max().unwrap_or(0),
        n = runs.len(),
    );
}

#[test]
#[ignore = "a benchmark-style fault run of several minutes; run with --ignored --nocapture"]
fn faults_convergence() {
    let tf = terraform_or_return!();
    let forty = series(&tf, 40, env_or("FAULT_RUNS_40", 20));
    let hundred = series(&tf, 100, env_or("FAULT_RUNS_100", 20));
    report(40, &forty);
    report(100, &hundred);
}
