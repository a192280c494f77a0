//! The provider binary Terraform and OpenTofu launch.

use std::process::ExitCode;

use terraform_provider_influxdb3::plugin::{self, LaunchEnv, PluginError};
use terraform_provider_influxdb3::{logging, provider, server::ProviderService};

fn main() -> ExitCode {
    let debug = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--debug") => true,
        Some("--version" | "-v") => {
            println!("terraform-provider-influxdb3 {}", env!("CARGO_PKG_VERSION"));
            // scripts/release.py refuses to package a binary that says this, unless told to.
            if let Some(how) = test_build() {
                println!("test build ({how}): not for release");
            }
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown argument {other:?}; the only flags are --debug and --version");
            return ExitCode::from(2);
        }
    };
    logging::init();
    // Milestones of a launch at trace level: with the host's log they time each step
    // (docs/performance.md, "Where one launch's time goes").
    tracing::trace!("provider process started");
    terraform_provider_influxdb3::crypto::install_default();
    // One thread serves every RPC. The provider mostly waits on the API: an RPC costs it a few
    // hundred thousand instructions, so a plan of 1,000 tokens keeps one thread busy for a few
    // percent of its time. Each worker thread of a multi-threaded runtime costs a stack and,
    // with glibc, a malloc arena of its own, and Terraform runs several providers at once.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let service = ProviderService::new(provider::InfluxDb3Provider).into_server();
    let result = runtime.block_on(async {
        if debug {
            plugin::serve_debug(service).await
        } else {
            plugin::serve_launched(service, LaunchEnv::from_env()).await
        }
    });
    // In-flight work has been answered or cancelled; do not wait for idle runtime threads.
    runtime.shutdown_background();
    tracing::trace!("provider process exiting");
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(PluginError::Handshake(e)) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("terraform-provider-influxdb3: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What makes this binary a test build rather than a release one (`cargo build --release
/// --no-default-features`), if anything.
fn test_build() -> Option<&'static str> {
    match (cfg!(debug_assertions), cfg!(feature = "mock")) {
        (false, false) => None,
        (true, false) => Some("debug assertions"),
        (false, true) => Some("mock feature"),
        (true, true) => Some("debug assertions, mock feature"),
    }
}
