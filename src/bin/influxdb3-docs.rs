//! Generates `docs/` from the provider's schema, templates and examples.
//!
//! `influxdb3-docs [--check] [ROOT]`: ROOT defaults to the current directory. With `--check`,
//! writes nothing and exits 1 listing the stale pages.

use std::path::PathBuf;
use std::process::ExitCode;

use terraform_provider_influxdb3::docs;

fn main() -> ExitCode {
    let mut check = false;
    let mut root = PathBuf::from(".");
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("usage: influxdb3-docs [--check] [ROOT]");
                return ExitCode::SUCCESS;
            }
            other => root = PathBuf::from(other),
        }
    }
    let result = if check {
        docs::stale_pages(&root).map(|stale| {
            for p in &stale {
                eprintln!("stale: {}", p.display());
            }
            stale.is_empty()
        })
    } else {
        docs::write_all(&root).map(|pages| {
            for p in &pages {
                println!("wrote {}", p.path.display());
            }
            true
        })
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("docs/ is stale: run `cargo run --bin influxdb3-docs` and commit the result");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("influxdb3-docs: {e}");
            ExitCode::FAILURE
        }
    }
}
