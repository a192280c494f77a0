//! The plugin transport outside the default path: TCP loopback (the only transport on Windows,
//! selected on Linux with `INFLUXDB3_PLUGIN_TRANSPORT=tcp`) under real Terraform, and the
//! socket directory removed when the provider is stopped with SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::database_token::{permissions, setup, token_config};
use super::support::terraform_or_skip;

#[test]
fn a_plan_runs_with_the_provider_listening_on_tcp_loopback_in_the_hosts_port_range() {
    let Some(tf) = terraform_or_skip(
        "a_plan_runs_with_the_provider_listening_on_tcp_loopback_in_the_hosts_port_range",
    ) else {
        return;
    };
    let (_mock, mut wd) = setup(&tf);
    wd.set_env("INFLUXDB3_PLUGIN_TRANSPORT", "tcp");
    // Terraform relays the provider's debug log (where it listens) to its own on stderr.
    wd.set_env("TF_LOG", "debug");
    wd.write_config(&token_config(&format!(
        "  description = \"over TCP\"\n{}",
        permissions(&[("read", "*")])
    )));
    let out = wd.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(out.code, 2, "a plan to create the token:\n{out}");
    assert!(out.stdout.contains("1 to add"), "{out}");
    let re = regex_lite::Regex::new(r"listening on TCP loopback:.*address=127\.0\.0\.1:(\d+)")
        .expect("regex");
    let ports: Vec<u16> = re
        .captures_iter(&out.stderr)
        .filter_map(|c| c[1].parse().ok())
        .collect();
    assert!(
        !ports.is_empty(),
        "the provider did not listen on TCP:\n{out}"
    );
    // go-plugin hosts pass PLUGIN_MIN_PORT=10000 and PLUGIN_MAX_PORT=25000.
    assert!(
        ports.iter().all(|p| (10000..=25000).contains(p)),
        "ports {ports:?} outside the host's range"
    );
}

fn socket_dirs(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("tfplugin-influxdb3-"))
        .collect()
}

#[test]
fn sigterm_stops_the_provider_and_removes_its_socket_directory() {
    let parent = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .env(
            "TF_PLUGIN_MAGIC_COOKIE",
            "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        )
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env("TF_DISABLE_PLUGIN_TLS", "1")
        .env("PLUGIN_UNIX_SOCKET_DIR", parent.path())
        .env_remove("INFLUXDB3_PLUGIN_TRANSPORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("launch provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("handshake line");
    let socket = line.split('|').nth(3).unwrap_or_default().to_owned();
    assert!(line.starts_with("1|6|unix|"), "handshake {line:?}");
    assert!(Path::new(&socket).exists(), "{socket} missing");
    assert_eq!(socket_dirs(parent.path()).len(), 1);

    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(status.is_some(), "the provider did not stop on SIGTERM");
    assert_eq!(
        socket_dirs(parent.path()),
        Vec::<String>::new(),
        "the socket directory outlived the provider"
    );
}
