//! The plugin transport outside the default path: TCP loopback (the only transport on Windows,
//! selected on Linux with `INFLUXDB3_PLUGIN_TRANSPORT=tcp`) under real Terraform, and the
//! socket directory removed when the provider is stopped by a signal or loses its host.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::database_token::{permissions, setup, token_config};
use super::support::terraform_or_return;

#[test]
fn a_plan_runs_with_the_provider_listening_on_tcp_loopback_in_the_hosts_port_range() {
    let tf = terraform_or_return!();
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

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// The provider as a host launches it (without TLS), its socket directory under `parent`.
fn launched(parent: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env("TF_DISABLE_PLUGIN_TLS", "1")
        .env("PLUGIN_UNIX_SOCKET_DIR", parent)
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
    assert_eq!(socket_dirs(parent).len(), 1);
    (child, socket)
}

/// Polls `exited` until it holds or 20 seconds pass; whether it held.
fn within_20s(mut exited: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if exited() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn each_stop_signal_stops_the_provider_and_removes_its_socket_directory() {
    for signal in ["TERM", "HUP", "QUIT", "USR1"] {
        let parent = tempfile::tempdir().expect("temp dir");
        let (mut child, _) = launched(parent.path());
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success());
        let mut status = None;
        let stopped = within_20s(|| {
            status = child.try_wait().expect("wait");
            status.is_some()
        });
        if !stopped {
            let _ = child.kill();
            let _ = child.wait();
        }
        assert!(stopped, "the provider did not stop on SIG{signal}");
        assert_eq!(
            socket_dirs(parent.path()),
            Vec::<String>::new(),
            "the socket directory outlived the provider stopped by SIG{signal} ({status:?})"
        );
    }
}

/// Whether process `pid` has ended (gone, or a zombie nobody has reaped yet).
fn ended(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

#[test]
fn a_provider_whose_host_was_killed_exits_and_removes_its_socket_directory() {
    if !Path::new("/proc/self/stat").exists() {
        eprintln!("SKIPPED provider_orphaned: no /proc");
        return;
    }
    let parent = tempfile::tempdir().expect("temp dir");
    // A stand-in host: a shell that launches the provider, prints its pid and waits.
    let mut host = Command::new("sh")
        .arg("-c")
        .arg("\"$0\" & echo \"pid $!\"; wait")
        .arg(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env("TF_DISABLE_PLUGIN_TLS", "1")
        .env("PLUGIN_UNIX_SOCKET_DIR", parent.path())
        .env_remove("INFLUXDB3_PLUGIN_TRANSPORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("launch the stand-in host");
    let mut lines = BufReader::new(host.stdout.take().expect("stdout")).lines();
    let mut pid = None;
    let mut handshake = None;
    while pid.is_none() || handshake.is_none() {
        let line = lines.next().expect("a line").expect("read");
        if let Some(p) = line.strip_prefix("pid ") {
            pid = Some(p.trim().to_owned());
        } else if line.starts_with("1|6|unix|") {
            handshake = Some(line);
        }
    }
    let pid = pid.unwrap_or_default();
    assert_eq!(socket_dirs(parent.path()).len(), 1);

    host.kill().expect("kill the host");
    host.wait().expect("reap the host");
    let gone = within_20s(|| ended(&pid));
    if !gone {
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
    }
    assert!(gone, "the provider kept running after its host was killed");
    assert_eq!(
        socket_dirs(parent.path()),
        Vec::<String>::new(),
        "the socket directory outlived the orphaned provider"
    );
}
