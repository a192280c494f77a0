//! Ctrl-C during a slow `terraform apply`: SIGINT to Terraform's process group, as a terminal
//! sends it (so the provider gets it too, and Terraform before 1.1 runs as two processes of
//! which only the inner one acts on it). Terraform stops gracefully, the creates in flight
//! finish and are saved (no orphan), no provider process is left running, and the next apply
//! completes the work.

use std::os::unix::process::CommandExt;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;

use super::database_token::setup;
use super::support::invariants::{active_token_ids, assert_agreement};
use super::support::processes::providers_in;
use super::support::terraform_or_return;
use super::support::text::assert_mentions;
use super::support::{Outcome, required_providers};

const COUNT: usize = 30;

fn config() -> String {
    format!(
        "{}\nresource \"influxdb3_database_token\" \"t\" {{\n  count = {COUNT}\n  description = \
         \"interrupted ${{count.index}}\"\n}}\n",
        required_providers()
    )
}

#[test]
fn an_interrupted_apply_saves_every_token_it_created_and_leaves_no_process() {
    let tf = terraform_or_return!();
    let (mock, wd) = setup(&tf);
    // 30 creates, 10 at a time, 600 ms each: about two seconds of creates.
    mock.configure(json!({ "latency_ms": 400, "latency_jitter_ms": 400 }))
        .expect("configure the mock");
    wd.write_config(&config());
    let args = ["apply", "-no-color", "-input=false", "-auto-approve"];
    let child = wd
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("start terraform");

    let deadline = Instant::now() + Duration::from_secs(30);
    let mut provider_seen = false;
    while mock
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.status == 200)
        .count()
        < 3
    {
        provider_seen |= !providers_in(wd.path()).is_empty();
        assert!(Instant::now() < deadline, "no create within 30 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    provider_seen |= !providers_in(wd.path()).is_empty();
    let status = std::process::Command::new("kill")
        .args(["-INT", "--", &format!("-{}", child.id())])
        .status()
        .expect("run kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait for terraform");
    let out = Outcome {
        command: format!("terraform {} (SIGINT)", args.join(" ")),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    wd.assert_no_secret(&args, &out);
    assert_eq!(
        out.code, 1,
        "Terraform exits with an error, not by the signal:\n{out}"
    );
    assert_mentions(&out.output(), &["Interrupt received"]);

    // Terraform kills its providers before it exits; allow the kernel a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !providers_in(wd.path()).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    if provider_seen {
        assert_eq!(
            providers_in(wd.path()),
            Vec::<u32>::new(),
            "no provider left"
        );
    } else {
        eprintln!("interrupted_apply: cannot see processes through /proc here; not checked");
    }

    let saved = assert_agreement(&wd, &mock);
    assert!(
        saved > 0 && saved < COUNT,
        "interrupted halfway: {saved} of {COUNT} saved"
    );
    mock.configure(json!({ "latency_ms": 0, "latency_jitter_ms": 0 }))
        .expect("configure the mock");
    wd.terraform(&args).success();
    assert_eq!(assert_agreement(&wd, &mock), COUNT);
    wd.destroy().success();
    assert!(active_token_ids(&mock).is_empty());
}
