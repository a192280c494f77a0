//! Ctrl-C in a terminal signals the whole process group, the provider included. A provider
//! launched by Terraform must outlive it (as go-plugin's do): Terraform lets the calls in flight
//! finish, saves their results, and only then shuts the provider down. A provider that stopped
//! on SIGINT would drop a create the API had already committed: an orphaned token.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn a_launched_provider_survives_sigint() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .env(
            "TF_PLUGIN_MAGIC_COOKIE",
            "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        )
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env("TF_DISABLE_PLUGIN_TLS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("launch provider");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("handshake line");
    assert!(line.starts_with("1|6|"), "handshake {line:?}");
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    std::thread::sleep(Duration::from_millis(800));
    let running = child.try_wait().expect("wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(running, "the provider exited on SIGINT");
}
