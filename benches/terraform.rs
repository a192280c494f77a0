//! Side-by-side benchmarks against Terraform's built-in `terraform_data` resource, the floor no
//! provider can beat. Run with `cargo bench --bench terraform`; `BENCH_RUNS=N` sets the runs per
//! measurement (default 15). Prints a table of medians and ratios.
//!
//! Not a timed test: nothing here fails on a slow machine; the numbers go in
//! docs/performance.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SOURCE: &str = "registry.terraform.io/ironflux/influxdb3";

struct Dir {
    dir: tempfile::TempDir,
    terraform: PathBuf,
    env: Vec<(&'static str, &'static str)>,
}

impl Dir {
    fn new(terraform: &Path, hcl: &str) -> Dir {
        let dir = tempfile::tempdir().expect("temp dir");
        let provider_dir = Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
            .parent()
            .expect("binary dir")
            .to_path_buf();
        let rc = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{SOURCE}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            provider_dir.display()
        );
        std::fs::write(dir.path().join("dev.tfrc"), rc).expect("write rc");
        std::fs::write(dir.path().join("main.tf"), hcl).expect("write main.tf");
        Dir {
            dir,
            terraform: terraform.to_path_buf(),
            env: Vec::new(),
        }
    }

    fn with_env(mut self, key: &'static str, value: &'static str) -> Dir {
        self.env.push((key, value));
        self
    }

    fn run(&self, args: &[&str]) -> Duration {
        let started = Instant::now();
        let out = Command::new(&self.terraform)
            .args(args)
            .current_dir(self.dir.path())
            .env("TF_CLI_CONFIG_FILE", self.dir.path().join("dev.tfrc"))
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .envs(self.env.iter().copied())
            .output()
            .expect("run terraform");
        let elapsed = started.elapsed();
        assert!(
            out.status.success(),
            "terraform {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        elapsed
    }
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

/// Runs `ours` and `floor` alternately `runs` times each and returns their medians.
fn side_by_side(ours: &Dir, floor: &Dir, args: &[&str], runs: usize) -> (Duration, Duration) {
    // One warm-up each: page cache, plugin binary.
    ours.run(args);
    floor.run(args);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        a.push(ours.run(args));
        b.push(floor.run(args));
    }
    (median(a), median(b))
}

fn main() {
    let Some(tf) = terraform() else {
        eprintln!(
            "no terraform found (set TF_ACC_TERRAFORM_PATH or put it on PATH); nothing to measure"
        );
        return;
    };
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15)
        .max(1);
    let provider_only = format!(
        "terraform {{\n  required_providers {{\n    influxdb3 = {{ source = \"{SOURCE}\" }}\n  }}\n}}\n\
         provider \"influxdb3\" {{\n  account_id = \"11111111-1111-4111-8111-111111111111\"\n  \
         cluster_id = \"33333333-3333-4333-8333-333333333333\"\n}}\n"
    );
    let one_data = "resource \"terraform_data\" \"one\" {\n  input = \"x\"\n}\n";
    let ours = Dir::new(&tf, &provider_only);
    let floor = Dir::new(&tf, one_data);

    println!("terraform: {}", tf.display());
    println!("runs per measurement: {runs} (medians)\n");
    println!("| scenario | influxdb3 | terraform_data | ratio |");
    println!("|---|---:|---:|---:|");
    let plan = ["plan", "-no-color", "-input=false"];
    row(
        "plan: provider block only vs 1 terraform_data",
        side_by_side(&ours, &floor, &plan, runs),
    );
    // Where the time goes: Terraform generates its own P-521 client certificate for every
    // plugin it launches (AutoMTLS). Without TLS that cost, and ours, disappears.
    let ours_plain = Dir::new(&tf, &provider_only).with_env("TF_DISABLE_PLUGIN_TLS", "1");
    row(
        "same, TF_DISABLE_PLUGIN_TLS=1 (no AutoMTLS)",
        side_by_side(&ours_plain, &floor, &plan, runs),
    );
}

fn row(name: &str, (ours, floor): (Duration, Duration)) {
    println!(
        "| {name} | {:.1} ms | {:.1} ms | {:.2}x |",
        ms(ours),
        ms(floor),
        ours.as_secs_f64() / floor.as_secs_f64()
    );
}
