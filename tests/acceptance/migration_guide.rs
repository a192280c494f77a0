//! Runs every snippet of docs/guides/migrating-from-thulasirajkomminar-influxdb3.md, read from
//! the guide itself, against state shaped as the incumbent writes it (see
//! `support/incumbent.rs`) and a mock holding the incumbent's live token and database.
//!
//! Each fenced block of the guide is preceded by `<!-- snippet: NAME -->`; a block without a
//! name, or a name no route below uses, fails the test, so nothing in the guide goes untested.
//! Shell snippets run line by line as written, with only what automation needs added:
//! `-input=false -no-color` everywhere, `-auto-approve` on `apply`, `-detailed-exitcode` on
//! `plan` (which must then report no changes). The incumbent provider itself cannot be
//! downloaded here; where Terraform insists on installing it because the state names it, this
//! provider's binary stands in for it: `terraform init` installs it from a local filesystem
//! mirror under the incumbent's address (see `mirrored`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use serde_json::Value as Json;
use terraform_provider_influxdb3::mock::MockServer;

use super::support::incumbent::{self, INCUMBENT};
use super::support::mock_checks::api_calls;
use super::support::seed::Seed;
use super::support::terraform::Terraform;
use super::support::terraform_or_return;
use super::support::text::flat;
use super::support::{WorkDir, actions, resource_change, state_values};

const GUIDE: &str =
    include_str!("../../docs/guides/migrating-from-thulasirajkomminar-influxdb3.md");
/// The access token the incumbent stored at creation; the API never returns it again.
const SECRET: &str = "apiv1_the-incumbent-kept-this-one";
/// What the incumbent's own example configuration holds, written as the incumbent reads it.
const INCUMBENT_CONFIG: &str = r#"
resource "influxdb3_cloud_token" "reader" {
  description = "Read signals"
  permissions = [{ action = "read", resource = "signals" }]
}

resource "influxdb3_cloud_database" "signals" {
  name             = "signals"
  retention_period = 604800
  partition_template = [
    { type = "tag", value = "line" },
    { type = "bucket", value = jsonencode({ tagName = "station", numberOfBuckets = 10 }) },
  ]
}
"#;
/// The host the guide's provider blocks name; the test points it at the mock.
const GUIDE_HOST: &str = "https://console.influxdata.com";
/// This provider's address, as the guide's source line writes it.
const OURS: &str = "registry.terraform.io/ironflux/influxdb3";

/// The guide's named snippets, and which of them a route has run.
struct Guide {
    snippets: BTreeMap<String, String>,
    used: Mutex<BTreeSet<String>>,
}

impl Guide {
    fn read() -> Guide {
        let mut snippets = BTreeMap::new();
        let mut pending: Option<String> = None;
        let mut lines = GUIDE.lines();
        while let Some(line) = lines.next() {
            if let Some(name) = line
                .trim()
                .strip_prefix("<!-- snippet:")
                .and_then(|r| r.strip_suffix("-->"))
            {
                pending = Some(name.trim().to_owned());
            } else if line.starts_with("```") {
                let name = pending
                    .take()
                    .unwrap_or_else(|| panic!("a fenced block without a snippet name: {line}"));
                let body: Vec<&str> = lines
                    .by_ref()
                    .take_while(|l| !l.starts_with("```"))
                    .collect();
                snippets.insert(name, body.join("\n") + "\n");
            }
        }
        Guide {
            snippets,
            used: Mutex::default(),
        }
    }

    fn get(&self, name: &str) -> String {
        self.used.lock().expect("lock").insert(name.to_owned());
        self.snippets
            .get(name)
            .unwrap_or_else(|| panic!("the guide has no snippet {name:?}"))
            .clone()
    }

    /// The incumbent's provider block, pointed at `mock` (host) with the token from a variable.
    fn provider_incumbent(&self, mock: &MockServer) -> String {
        self.get("provider-incumbent")
            .replace(GUIDE_HOST, mock.endpoint().trim_end_matches("/api/v0"))
    }

    /// Our provider block with the guide's `variable` block (which it refers to).
    fn provider_ours(&self, mock: &MockServer) -> String {
        let incumbent = self.get("provider-incumbent");
        let variable = incumbent
            .split("provider \"influxdb3\"")
            .next()
            .expect("a variable block first");
        let ours = self
            .get("provider-ours")
            .replace(&format!("{GUIDE_HOST}/api/v0"), &mock.endpoint());
        format!("{variable}{ours}")
    }

    /// Runs a shell snippet in `wd` (see the module docs for what is added to each command).
    fn run_shell(&self, name: &str, wd: &WorkDir) {
        let script = self.get(name).replace("\\\n", " ");
        for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (command, redirect) = match line.split_once('>') {
                Some((c, file)) => (c.trim(), Some(file.trim())),
                None => (line, None),
            };
            let mut words = command.split_whitespace();
            assert_eq!(words.next(), Some("terraform"), "{name}: {line}");
            let mut args: Vec<&str> = words.collect();
            match args.first().copied() {
                Some("apply") => args.extend(["-input=false", "-no-color", "-auto-approve"]),
                Some("plan") => args.extend(["-input=false", "-no-color", "-detailed-exitcode"]),
                Some("init") => args.extend(["-input=false", "-no-color"]),
                _ => {}
            }
            let out = wd.terraform(&args);
            assert_eq!(
                out.code, 0,
                "{name}: `{line}` (plan: 0 = no changes):\n{out}"
            );
            if let Some(file) = redirect {
                std::fs::write(wd.path().join(file), &out.stdout).expect("redirect");
            }
        }
    }

    /// Fails unless every named snippet was run by some route.
    fn assert_all_used(&self) {
        let used = self.used.lock().expect("lock");
        let unused: Vec<_> = self
            .snippets
            .keys()
            .filter(|k| !used.contains(*k))
            .collect();
        assert!(unused.is_empty(), "snippets no route ran: {unused:?}");
    }
}

/// A working directory whose CLI config installs providers with `terraform init` from a local
/// filesystem mirror holding this provider's binary under each of `addresses` (under the
/// incumbent's, it is the stand-in), as a user's `init` would from the registry.
fn mirrored(tf: &Terraform, mock: &MockServer, addresses: &[&str]) -> WorkDir {
    let mut wd = WorkDir::new(tf);
    wd.use_mock(mock);
    let binary = Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"));
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    let platform = format!("{}_{arch}", std::env::consts::OS);
    let mirror = wd.file("mirror");
    for address in addresses.iter().flat_map(|a| tf.install_addresses(a)) {
        let dir = mirror.join(&address).join("1.0.0").join(&platform);
        std::fs::create_dir_all(&dir).expect("mirror dir");
        std::fs::copy(binary, dir.join("terraform-provider-influxdb3_v1.0.0")).expect("copy");
    }
    let rc = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
        mirror.display()
    );
    std::fs::write(wd.file("dev.tfrc"), rc).expect("CLI config");
    wd
}

/// The incumbent's live objects in a fresh mock, and a working directory whose state is the
/// incumbent's; `terraform init` can install the providers at `addresses`.
fn incumbent_world(tf: &Terraform, addresses: &[&str]) -> (MockServer, WorkDir, String) {
    let mock = MockServer::start(Default::default()).expect("start the mock");
    let mut wd = mirrored(tf, &mock, addresses);
    // Wrong on purpose: the guide's provider block must be what points at the mock.
    wd.set_env("INFLUXDB3_ENDPOINT", "http://127.0.0.1:9/api/v0");
    wd.set_env("INFLUXDB3_MANAGEMENT_TOKEN", "not-the-management-token");
    wd.set_env("TF_VAR_management_token", mock.management_token());
    incumbent::seed_database(&mock);
    let seed = Seed::new(&mock);
    let id = seed.token("Read signals", &[("read", "signals")]);
    let cluster = (mock.account_id(), mock.cluster_id());
    let state = incumbent::state(
        INCUMBENT,
        vec![
            incumbent::token(
                "influxdb3_cloud_token",
                "reader",
                (&id, cluster.0, cluster.1),
                "Read signals",
                &[("read", "signals")],
                SECRET,
            ),
            incumbent::database("influxdb3_cloud_database", "signals", cluster, 604_800, 10),
        ],
    );
    std::fs::write(wd.path().join("terraform.tfstate"), state.to_string()).expect("state");
    (mock, wd, id)
}

/// Writes, as seen by the API: anything but a GET.
fn writes(mock: &MockServer) -> Vec<String> {
    api_calls(mock)
        .into_iter()
        .filter(|c| !c.starts_with("GET "))
        .collect()
}

/// The seeding calls are the only writes, the token kept its id and secret, and the state names
/// only this provider.
fn assert_kept(mock: &MockServer, wd: &WorkDir, token_addr: &str, id: &str) {
    let state = wd.state_json();
    let values = state_values(&state, token_addr).clone();
    assert_eq!(values["id"], id, "{token_addr}");
    assert_eq!(
        values["access_token"], SECRET,
        "{token_addr}: the secret is kept"
    );
    let raw: Json = serde_json::from_str(
        &std::fs::read_to_string(wd.path().join("terraform.tfstate")).expect("state file"),
    )
    .expect("state JSON");
    for r in raw["resources"].as_array().into_iter().flatten() {
        let provider = r["provider"].as_str().unwrap_or_default();
        assert!(provider.contains("ironflux/influxdb3"), "{provider}");
    }
    let w = writes(mock);
    assert_eq!(w.len(), 2, "only the seeding database and token: {w:?}");
}

/// The incumbent's configuration after steps 1 and 2 of the guide.
fn switched_config(guide: &Guide, mock: &MockServer) -> String {
    format!(
        "{}\n{}\n{INCUMBENT_CONFIG}",
        guide.get("source"),
        guide.provider_incumbent(mock)
    )
}

/// Step 3c from wherever `wd`'s state is: the plan moves both resources and changes nothing.
fn moved_route(guide: &Guide, mock: &MockServer, wd: &WorkDir, id: &str) {
    wd.write_config(&format!(
        "{}\n{}\n{}",
        guide.get("source"),
        guide.provider_ours(mock),
        guide.get("moved")
    ));
    wd.terraform(&["init", "-no-color", "-input=false"])
        .success();
    let plan = wd.plan_json();
    for (to, from) in [
        (
            "influxdb3_database_token.reader",
            "influxdb3_cloud_token.reader",
        ),
        (
            "influxdb3_database.signals",
            "influxdb3_cloud_database.signals",
        ),
    ] {
        assert_eq!(resource_change(&plan, to)["previous_address"], from);
        assert_eq!(actions(&plan, to), vec!["no-op"], "{to}");
    }
    wd.apply_plan().success();
    wd.assert_empty_plan(true);
    assert_kept(mock, wd, "influxdb3_database_token.reader", id);
}

/// Step 4 after 3c: the database in our spelling plans an update in place and sends nothing.
fn our_spelling(guide: &Guide, mock: &MockServer, wd: &WorkDir, id: &str) {
    let moved = guide.get("moved");
    let start = moved
        .find("resource \"influxdb3_database\"")
        .expect("the moved snippet holds the database");
    let end = start
        + moved[start..]
            .find("\n}\n")
            .expect("the database block ends")
        + 3;
    let config = format!(
        "{}{}{}",
        &moved[..start],
        guide.get("our-spelling"),
        &moved[end..]
    );
    wd.write_config(&format!(
        "{}\n{}\n{config}",
        guide.get("source"),
        guide.provider_ours(mock),
    ));
    let plan = wd.plan_json();
    assert_eq!(actions(&plan, "influxdb3_database.signals"), vec!["update"]);
    wd.apply_plan().success();
    wd.assert_empty_plan(true);
    let out = flat(
        &wd.terraform(&["plan", "-no-color", "-input=false"])
            .success()
            .output(),
    );
    assert!(
        !out.contains("Warning"),
        "our spelling warns of nothing:\n{out}"
    );
    assert_kept(mock, wd, "influxdb3_database_token.reader", id);
}

#[test]
fn migration_guide() {
    let tf = terraform_or_return!();
    let guide = Guide::read();

    // 0, 1, 2 and 3a: back up, change the source line, init, plan (empty), apply.
    let (mock, wd, id) = incumbent_world(&tf, &[OURS, INCUMBENT]);
    wd.write_config(&switched_config(&guide, &mock));
    guide.run_shell("backup", &wd);
    let backup: Json = serde_json::from_str(
        &std::fs::read_to_string(wd.path().join("incumbent-backup.tfstate")).expect("backup"),
    )
    .expect("the backup is a state file");
    assert_eq!(backup["resources"].as_array().map(Vec::len), Some(2));
    guide.run_shell("init-apply", &wd);
    let out = flat(
        &wd.terraform(&["plan", "-no-color", "-input=false"])
            .success()
            .output(),
    );
    for phrase in [
        "Deprecated Resource Type influxdb3_cloud_token",
        "604800 ns = 604.8µs",
        "write management_token",
    ] {
        assert!(out.contains(phrase), "{phrase:?} missing from:\n{out}");
    }
    assert_kept(&mock, &wd, "influxdb3_cloud_token.reader", &id);

    // 4: the data sources, next to the switched configuration.
    wd.write_config(&format!(
        "{}\n{}",
        switched_config(&guide, &mock),
        guide.get("data-sources")
    ));
    wd.terraform(&["apply", "-no-color", "-input=false", "-auto-approve"])
        .success();
    let outputs = wd.terraform_json(&["output", "-json"]);
    assert_eq!(
        outputs["retention_by_database"]["value"]["signals"], "604us800ns",
        "{outputs}"
    );

    // 0, the way back: after the applies above the copy is older than the state, so a plain
    // push is refused (as the guide says) and the guide's `-force` restores the copy.
    let before = writes(&mock);
    let refused = wd.terraform(&["state", "push", "incumbent-backup.tfstate"]);
    assert!(
        refused.code != 0 && flat(&refused.output()).contains("over newer state"),
        "a plain push of the older copy:\n{refused}"
    );
    let page = flat(GUIDE);
    assert!(
        page.contains("a plain `state push` then refuses the older copy (\"cannot import state"),
        "the guide explains the refusal"
    );
    guide.run_shell("way-back", &wd);
    let restored: Json = serde_json::from_str(
        &std::fs::read_to_string(wd.path().join("terraform.tfstate")).expect("state"),
    )
    .expect("a state");
    assert_eq!(
        restored["resources"], backup["resources"],
        "the copy, as taken"
    );
    assert_eq!(writes(&mock), before, "a push never calls the API");

    // 3b: replace the provider in state, then init and an empty plan; the incumbent is not
    // installable on this route.
    let (mock, wd, id) = incumbent_world(&tf, &[OURS]);
    wd.write_config(&switched_config(&guide, &mock));
    guide.run_shell("replace-provider", &wd);
    assert_kept(&mock, &wd, "influxdb3_cloud_token.reader", &id);

    // 2, second half: the provider block in this provider's words plans nothing and warns only
    // of the aliases and spellings still in use.
    wd.write_config(&format!(
        "{}\n{}\n{INCUMBENT_CONFIG}",
        guide.get("source"),
        guide.provider_ours(&mock)
    ));
    wd.assert_empty_plan(true);
    let out = flat(
        &wd.terraform(&["plan", "-no-color", "-input=false"])
            .success()
            .output(),
    );
    assert!(
        !out.contains("Deprecated Attribute") && !out.contains("Deprecated Setting"),
        "{out}"
    );

    // 3c: moved blocks, after 3b and straight from the incumbent's state.
    if tf.at_least(1, 8) {
        moved_route(&guide, &mock, &wd, &id);
        let (mock, wd, id) = incumbent_world(&tf, &[OURS, INCUMBENT]);
        moved_route(&guide, &mock, &wd, &id);
        our_spelling(&guide, &mock, &wd, &id);
    } else {
        eprintln!(
            "migration_guide: step 3c not run: moved blocks across types need Terraform 1.8 or \
             later, this is {}",
            tf.version_string()
        );
        guide.get("moved");
        guide.get("our-spelling");
    }
    guide.assert_all_used();
}
