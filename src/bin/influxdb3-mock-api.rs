//! `influxdb3-mock-api`: the mock Management API as a process, for the quickstart, manual
//! checks and tools outside Rust.
//!
//! Prints exactly one JSON line on stdout once it accepts connections (a wrapper waits for
//! that line, then reads the endpoint, ids and token from it), then serves until SIGINT or
//! SIGTERM. Exit codes: 0 after a signal, 1 when it cannot start or print, 2 on bad arguments.

use std::io::Write;
use std::process::ExitCode;

use terraform_provider_influxdb3::mock::MockServer;
use terraform_provider_influxdb3::mock::cli::{self, Command, USAGE};

fn main() -> ExitCode {
    let (listen, options) = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Serve { listen, options }) => (listen, options),
        Err(err) => {
            eprintln!("influxdb3-mock-api: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("influxdb3-mock-api: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let server = match MockServer::bind(listen, options).await {
            Ok(server) => server,
            Err(err) if err.kind() == std::io::ErrorKind::InvalidInput => {
                eprintln!("influxdb3-mock-api: {err}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            Err(err) => {
                eprintln!("influxdb3-mock-api: cannot listen on {listen}: {err}");
                return ExitCode::FAILURE;
            }
        };
        let mut stdout = std::io::stdout().lock();
        if let Err(err) = writeln!(stdout, "{}", server.ready_line()).and_then(|()| stdout.flush())
        {
            eprintln!("influxdb3-mock-api: cannot write the ready line: {err}");
            return ExitCode::FAILURE;
        }
        drop(stdout);
        wait_for_signal().await;
        drop(server);
        ExitCode::SUCCESS
    })
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM. If a handler cannot be installed, that
/// signal keeps its default action (which ends the process anyway).
async fn wait_for_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
