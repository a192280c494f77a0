//! `--debug`: the provider serves on its own and Terraform attaches through
//! `TF_REATTACH_PROVIDERS`, as with terraform-plugin-go's debug mode.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::support::terraform_or_return;
use super::support::{WorkDir, required_providers};

#[test]
fn terraform_attaches_to_a_provider_started_with_debug() {
    let tf = terraform_or_return!();
    let mut child = Command::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .arg("--debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start provider");
    let stdout = child.stdout.take().expect("stdout");
    let reattach = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            let start = line.find("TF_REATTACH_PROVIDERS='")? + "TF_REATTACH_PROVIDERS='".len();
            Some(line[start..].trim_end_matches('\'').to_owned())
        })
        .expect("the provider prints a TF_REATTACH_PROVIDERS value");

    let mut wd = WorkDir::new(&tf);
    // No dev_overrides: the only way Terraform can reach the provider is the reattach value.
    std::fs::write(wd.file("dev.tfrc"), "").expect("empty CLI config");
    wd.set_env("TF_REATTACH_PROVIDERS", &reattach);
    wd.write_config(&required_providers());
    let schema = wd.terraform_json(&["providers", "schema", "-json"]);
    let attrs = &schema["provider_schemas"]["registry.terraform.io/ironflux/influxdb3"]["provider"]
        ["block"]["attributes"];
    assert_eq!(attrs["management_token"]["sensitive"], true, "{schema:#}");

    // Terraform does not own a debug-mode process: it is still serving.
    assert!(
        child.try_wait().expect("wait").is_none(),
        "exited after Terraform closed"
    );
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("send SIGINT");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "Ctrl-C did not stop it"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn debug_mode_refuses_to_serve_in_the_clear_when_no_private_socket_can_be_made() {
    // A temp dir that does not exist: the unix socket's private directory cannot be made.
    let missing = tempfile::tempdir().expect("temp dir");
    let tmpdir = missing.path().join("not-there");
    let mut child = Command::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"))
        .arg("--debug")
        .env("TMPDIR", &tmpdir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start provider");
    let stdout = child.stdout.take().expect("stdout");
    // Until the provider exits (refused) or prints a reattach value (it is serving).
    let reattach = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.contains("TF_REATTACH_PROVIDERS="));
    if let Some(line) = reattach {
        let _ = child.kill();
        let _ = child.wait();
        panic!("debug mode served anyway, without TLS: {line}");
    }
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("only on a unix socket") && stderr.contains("TMPDIR"),
        "the refusal says why and what to do: {stderr}"
    );
}
