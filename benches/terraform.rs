//! Side-by-side benchmarks against Terraform's built-in `terraform_data` resource, the floor no
//! provider can beat, with the mock Management API running in this process.
//!
//! Run with `cargo bench --bench terraform`. For N tokens and a mock latency, each run does
//! `apply` (create N), a refreshing `plan` that must find no changes, and `destroy`, each one
//! beside the same command on N `terraform_data` resources of the same shape. It prints a
//! Markdown table of medians, the ratio, the API calls each command made (from the mock's
//! request log) and the provider's peak RSS.
//!
//! Environment (all optional):
//! - `BENCH_N`: token counts, comma-separated (default `1,100,1000`).
//! - `BENCH_LATENCY_MS`: mock latencies per API request, comma-separated (default `0,50`).
//! - `BENCH_RUNS`: runs per measurement, one number for every N or a list matching `BENCH_N`
//!   (e.g. `11,5,1`); without it N=1 gets 11, N≤100 gets 5 and larger N get 3.
//! - `BENCH_PLANS`: plans per run (default 1), for more plan samples without more applies.
//! - `BENCH_LAUNCH=0`: skip the launch rows (provider block only, with and without AutoMTLS).
//! - `TF_ACC_TERRAFORM_PATH`: the Terraform binary (else `terraform` on PATH).
//! - `BENCH_BASELINE_BIN`: another build of the provider (e.g. of an earlier commit, built with
//!   `cargo build --release`), run on the same commands in the same cycles, so a change's cost
//!   is measured side by side in one run; adds its time, its ratio to ours and its API calls.
//!
//! Peak RSS: while a command runs, a thread scans `/proc` every 5 ms for processes whose `exe`
//! is the provider binary and keeps the largest `VmHWM` (the kernel's own high-water mark of the
//! process's resident set, so a sample only misses growth in the last few ms of a process's
//! life). It also counts the provider launches it saw.
//!
//! Not a timed test: nothing here fails on a slow machine; the numbers go in
//! docs/performance.md.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use terraform_provider_influxdb3::mock::{MockOptions, MockServer, RequestRecord};

const SOURCE: &str = "registry.terraform.io/ironflux/influxdb3";

fn provider_binary() -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"));
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The baseline provider of `BENCH_BASELINE_BIN`, if given.
fn baseline_binary() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("BENCH_BASELINE_BIN")?);
    Some(path.canonicalize().unwrap_or(path))
}

/// A working directory with a `dev_overrides` CLI config and one `main.tf`.
struct Dir {
    dir: tempfile::TempDir,
    terraform: PathBuf,
    /// The provider binary the CLI config points at.
    exe: PathBuf,
    env: Vec<(&'static str, &'static str)>,
}

/// What one command cost.
struct Run {
    elapsed: Duration,
    /// Largest VmHWM of any provider process seen, in KiB.
    peak_rss_kib: u64,
    /// Provider processes seen.
    launches: usize,
}

impl Dir {
    fn new(terraform: &Path, hcl: &str) -> Dir {
        Dir::with_provider(terraform, hcl, provider_binary())
    }

    /// A directory whose CLI config points at the provider binary `exe`, which must be named
    /// `terraform-provider-influxdb3`.
    fn with_provider(terraform: &Path, hcl: &str, exe: PathBuf) -> Dir {
        let dir = tempfile::tempdir().expect("temp dir");
        let provider_dir = exe.parent().expect("binary dir").to_path_buf();
        let rc = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{SOURCE}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            provider_dir.display()
        );
        std::fs::write(dir.path().join("dev.tfrc"), rc).expect("write rc");
        std::fs::write(dir.path().join("main.tf"), hcl).expect("write main.tf");
        Dir {
            dir,
            terraform: terraform.to_path_buf(),
            exe,
            env: Vec::new(),
        }
    }

    fn with_env(mut self, key: &'static str, value: &'static str) -> Dir {
        self.env.push((key, value));
        self
    }

    /// Runs terraform with `args`; panics unless it exits with `expect_code`.
    fn run(&self, args: &[&str], expect_code: i32) -> Run {
        // Output goes to files: a pipe nobody reads would block a chatty apply.
        let out_path = self.dir.path().join("out.log");
        let err_path = self.dir.path().join("err.log");
        let out = File::create(&out_path).expect("out.log");
        let err = File::create(&err_path).expect("err.log");
        let sampler = Sampler::start(self.exe.clone());
        let started = Instant::now();
        let status = Command::new(&self.terraform)
            .args(args)
            .current_dir(self.dir.path())
            .env("TF_CLI_CONFIG_FILE", self.dir.path().join("dev.tfrc"))
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .envs(self.env.iter().copied())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .status()
            .expect("run terraform");
        let elapsed = started.elapsed();
        let (peak_rss_kib, launches) = sampler.stop();
        assert!(
            status.code() == Some(expect_code),
            "terraform {args:?} exited {status}, expected {expect_code}:\n{}\n{}",
            std::fs::read_to_string(&out_path).unwrap_or_default(),
            std::fs::read_to_string(&err_path).unwrap_or_default()
        );
        Run {
            elapsed,
            peak_rss_kib,
            launches,
        }
    }
}

/// Samples the provider processes' VmHWM from /proc while a command runs.
struct Sampler {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<(u64, usize)>,
}

impl Sampler {
    fn start(exe: PathBuf) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let mut peak = 0;
            let mut pids = HashSet::new();
            loop {
                // One last scan after the stop request would find nothing: the command has
                // exited, and its plugins with it.
                let stopping = flag.load(Ordering::Relaxed);
                for (pid, hwm) in scan(&exe) {
                    pids.insert(pid);
                    peak = peak.max(hwm);
                }
                if stopping {
                    break;
                }
                thread::sleep(Duration::from_millis(5));
            }
            (peak, pids.len())
        });
        Sampler { stop, thread }
    }

    fn stop(self) -> (u64, usize) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("sampler thread")
    }
}

/// (pid, VmHWM in KiB) of every live process running `exe`.
fn scan(exe: &Path) -> Vec<(u32, u64)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(target) = std::fs::read_link(entry.path().join("exe")) else {
            continue;
        };
        if target != exe {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let hwm = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
        if let Some(hwm) = hwm {
            found.push((pid, hwm));
        }
    }
    found
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn terraform() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TF_ACC_TERRAFORM_PATH").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|d| d.join("terraform"))
        .find(|p| p.is_file())
}

fn list_env(key: &str, default: &[u64]) -> Vec<u64> {
    match std::env::var(key) {
        Ok(v) if !v.trim().is_empty() => v
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{key}: {s:?} is not a number"))
            })
            .collect(),
        _ => default.to_vec(),
    }
}

/// Runs for the `index`-th N: `BENCH_RUNS` is one number for every N or a list matching
/// `BENCH_N`; without it N=1 gets 11, N<=100 gets 5 and larger N get 3.
fn runs_for(index: usize, n: u64) -> usize {
    if let Ok(v) = std::env::var("BENCH_RUNS") {
        let list: Vec<usize> = v.split(',').filter_map(|s| s.trim().parse().ok()).collect();
        if let Some(r) = list.get(index).or(list.last()) {
            return (*r).max(1);
        }
    }
    match n {
        0..=1 => 11,
        2..=100 => 5,
        _ => 3,
    }
}

fn main() {
    let Some(tf) = terraform() else {
        eprintln!(
            "no terraform found (set TF_ACC_TERRAFORM_PATH or put it on PATH); nothing to measure"
        );
        return;
    };
    let counts = list_env("BENCH_N", &[1, 100, 1000]);
    let latencies = list_env("BENCH_LATENCY_MS", &[0, 50]);
    let version = Command::new(&tf)
        .arg("version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .unwrap_or_default();
    println!("terraform: {} ({version})", tf.display());
    println!("provider: {}", provider_binary().display());
    let baseline = baseline_binary();
    if let Some(base) = &baseline {
        println!("baseline provider: {}", base.display());
    }
    println!(
        "N: {counts:?}, mock latency (ms): {latencies:?}, runs: {}",
        match std::env::var("BENCH_RUNS") {
            Ok(r) => r,
            Err(_) => "11 for N=1, 5 for N<=100, 3 above (medians)".into(),
        }
    );

    if std::env::var("BENCH_LAUNCH").as_deref() != Ok("0") {
        launch_rows(&tf, runs_for(0, 1));
    }

    let mock = MockServer::start(MockOptions::default()).expect("start the mock");
    println!();
    println!(
        "| N | latency | command | influxdb3 | terraform_data | ratio | API calls (influxdb3) | \
         provider launches | provider peak RSS |{}",
        if baseline.is_some() {
            " baseline | ours vs baseline | API calls (baseline) |"
        } else {
            ""
        }
    );
    println!(
        "|---:|---:|---|---:|---:|---:|---|---:|---:|{}",
        if baseline.is_some() {
            "---:|---:|---|"
        } else {
            ""
        }
    );
    let plans = std::env::var("BENCH_PLANS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let mut warmed = false;
    for &latency in &latencies {
        for (index, &n) in counts.iter().enumerate() {
            if !warmed {
                // Page cache, plugin binary, Terraform's own start-up: one cycle of N=1.
                let ours = Dir::new(&tf, &token_config(&mock, 1));
                let floor = Dir::new(&tf, &data_config(1));
                let base = baseline
                    .clone()
                    .map(|exe| Dir::with_provider(&tf, &token_config(&mock, 1), exe));
                cycle(&mock, latency, &ours, &floor, base.as_ref(), 1);
                warmed = true;
            }
            let ours = Dir::new(&tf, &token_config(&mock, n));
            let floor = Dir::new(&tf, &data_config(n));
            let base = baseline
                .clone()
                .map(|exe| Dir::with_provider(&tf, &token_config(&mock, n), exe));
            let runs = runs_for(index, n);
            let mut results: Vec<Sample> = Vec::new();
            for _ in 0..runs {
                results.extend(cycle(&mock, latency, &ours, &floor, base.as_ref(), plans));
            }
            for command in COMMANDS {
                let mine: Vec<&Sample> = results
                    .iter()
                    .filter(|s| s.command == command.name)
                    .collect();
                let ours_t = median(mine.iter().map(|s| s.ours.elapsed).collect());
                let floor_t = median(mine.iter().map(|s| s.floor).collect());
                let calls = mine.last().map(|s| s.calls.clone()).unwrap_or_default();
                let stable = mine.iter().all(|s| s.calls == calls);
                let peak = mine.iter().map(|s| s.ours.peak_rss_kib).max().unwrap_or(0);
                let launches = mine.last().map(|s| s.ours.launches).unwrap_or(0);
                let versus = match mine
                    .iter()
                    .map(|s| s.base.clone())
                    .collect::<Option<Vec<_>>>()
                {
                    Some(base) if !base.is_empty() => {
                        let base_t = median(base.iter().map(|(t, _)| *t).collect());
                        let base_calls = base.last().map(|(_, c)| c.clone()).unwrap_or_default();
                        format!(
                            " {:.0} ms | {:.2}x | {} |",
                            ms(base_t),
                            ours_t.as_secs_f64() / base_t.as_secs_f64(),
                            format_calls(&base_calls)
                        )
                    }
                    _ => String::new(),
                };
                println!(
                    "| {n} | {latency} ms | {} | {:.0} ms | {:.0} ms | {:.2}x | {}{} | {launches} | {:.1} MiB |{versus}",
                    command.name,
                    ms(ours_t),
                    ms(floor_t),
                    ours_t.as_secs_f64() / floor_t.as_secs_f64(),
                    format_calls(&calls),
                    if stable { "" } else { " (varied)" },
                    peak as f64 / 1024.0,
                );
            }
        }
    }
}

struct CommandSpec {
    name: &'static str,
    args: &'static [&'static str],
    /// `plan -detailed-exitcode` exits 0 only when there is nothing to change.
    code: i32,
}

const COMMANDS: [CommandSpec; 3] = [
    CommandSpec {
        name: "apply",
        args: &["apply", "-auto-approve", "-no-color", "-input=false"],
        code: 0,
    },
    CommandSpec {
        name: "plan",
        args: &["plan", "-no-color", "-input=false", "-detailed-exitcode"],
        code: 0,
    },
    CommandSpec {
        name: "destroy",
        args: &["destroy", "-auto-approve", "-no-color", "-input=false"],
        code: 0,
    },
];

struct Sample {
    command: &'static str,
    ours: Run,
    floor: Duration,
    calls: BTreeMap<String, usize>,
    /// The baseline provider's time and API calls, when one is compared.
    base: Option<(Duration, BTreeMap<String, usize>)>,
}

/// apply, `plans` × plan, destroy: each on `ours`, then on `floor`, then on `base` if given.
/// The mock starts empty, and each configuration's tokens are its own (the baseline's are made
/// after ours exist, so each list holds both sets).
fn cycle(
    mock: &MockServer,
    latency: u64,
    ours: &Dir,
    floor: &Dir,
    base: Option<&Dir>,
    plans: usize,
) -> Vec<Sample> {
    mock.reset();
    mock.configure(serde_json::json!({ "latency_ms": latency }))
        .expect("configure the mock");
    let mut samples = Vec::new();
    let repeated = COMMANDS
        .iter()
        .flat_map(|c| std::iter::repeat_n(c, if c.name == "plan" { plans } else { 1 }));
    for command in repeated {
        let before = mock.requests().len();
        let run = ours.run(command.args, command.code);
        let calls = count_calls(&mock.requests()[before..]);
        let floor_run = floor.run(command.args, command.code);
        let base = base.map(|dir| {
            let before = mock.requests().len();
            let run = dir.run(command.args, command.code);
            (run.elapsed, count_calls(&mock.requests()[before..]))
        });
        samples.push(Sample {
            command: command.name,
            ours: run,
            floor: floor_run.elapsed,
            calls,
            base,
        });
    }
    samples
}

/// API calls by kind: `LIST` for a list of tokens, else the method (GET means by id).
fn count_calls(records: &[RequestRecord]) -> BTreeMap<String, usize> {
    let mut calls = BTreeMap::new();
    for r in records {
        let kind = if r.method == "GET" && r.path.ends_with("/tokens") {
            "LIST".to_owned()
        } else {
            r.method.clone()
        };
        *calls.entry(kind).or_insert(0) += 1;
    }
    calls
}

fn format_calls(calls: &BTreeMap<String, usize>) -> String {
    if calls.is_empty() {
        return "none".into();
    }
    calls
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn provider_block(mock: &MockServer) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    influxdb3 = {{ source = \"{SOURCE}\" }}\n  }}\n}}\n\n\
         provider \"influxdb3\" {{\n  endpoint         = \"{}\"\n  account_id       = \"{}\"\n  \
         cluster_id       = \"{}\"\n  management_token = \"{}\"\n}}\n",
        mock.endpoint(),
        mock.account_id(),
        mock.cluster_id(),
        mock.management_token()
    )
}

const PERMISSIONS: &str = "[\n    { action = \"read\", resource = \"bench\" },\n    \
                           { action = \"write\", resource = \"bench\" },\n  ]";

fn token_config(mock: &MockServer, n: u64) -> String {
    format!(
        "{}\nresource \"influxdb3_database_token\" \"bench\" {{\n  count       = {n}\n  \
         description = \"bench token ${{count.index}}\"\n  permissions = {PERMISSIONS}\n}}\n",
        provider_block(mock)
    )
}

fn data_config(n: u64) -> String {
    format!(
        "resource \"terraform_data\" \"bench\" {{\n  count = {n}\n  input = {{\n    \
         description = \"bench token ${{count.index}}\"\n    permissions = {PERMISSIONS}\n  }}\n}}\n"
    )
}

/// Launch cost alone: a provider block and no resources (the provider is still started for
/// its schema, validation and plan) against one `terraform_data`.
fn launch_rows(tf: &Path, runs: usize) {
    let provider_only = format!(
        "terraform {{\n  required_providers {{\n    influxdb3 = {{ source = \"{SOURCE}\" }}\n  }}\n}}\n\
         provider \"influxdb3\" {{\n  account_id = \"11111111-1111-4111-8111-111111111111\"\n  \
         cluster_id = \"33333333-3333-4333-8333-333333333333\"\n}}\n"
    );
    let one_data = "resource \"terraform_data\" \"one\" {\n  input = \"x\"\n}\n";
    let floor = Dir::new(tf, one_data);
    let plan = ["plan", "-no-color", "-input=false"];
    println!();
    println!("| launch | influxdb3 | terraform_data | ratio | provider launches |");
    println!("|---|---:|---:|---:|---:|");
    let cases = [
        ("plan: provider block only vs 1 terraform_data", None),
        (
            "same, TF_DISABLE_PLUGIN_TLS=1 (no AutoMTLS)",
            Some(("TF_DISABLE_PLUGIN_TLS", "1")),
        ),
    ];
    for (name, env) in cases {
        let mut ours = Dir::new(tf, &provider_only);
        if let Some((k, v)) = env {
            ours = ours.with_env(k, v);
        }
        ours.run(&plan, 0);
        floor.run(&plan, 0);
        let (mut a, mut b, mut launches) = (Vec::new(), Vec::new(), 0);
        for _ in 0..runs {
            let r = ours.run(&plan, 0);
            launches = r.launches;
            a.push(r.elapsed);
            b.push(floor.run(&plan, 0).elapsed);
        }
        let (a, b) = (median(a), median(b));
        println!(
            "| {name} | {:.0} ms | {:.0} ms | {:.2}x | {launches} |",
            ms(a),
            ms(b),
            a.as_secs_f64() / b.as_secs_f64()
        );
    }
}
