//! Instructions per RPC: the provider binary run under `valgrind --tool=callgrind`, driven
//! straight over the go-plugin handshake and tfplugin6 gRPC (as `tests/protocol` does), so that
//! one process makes exactly the calls a row names and nothing else.
//!
//! Seconds move with the load of a shared machine; instruction counts do not (they repeat
//! within a fraction of a percent), so these rows are the ones that can catch a regression.
//! Each row is the difference between two processes that differ only in the calls it names:
//! a process that stops after `ConfigureProvider`, against the same plus one call of a kind
//! ("first") or plus 1 + K calls ("each further", divided by K). The provider's idle timers
//! (its parent check every 500 ms) add a little that grows with the run's length under
//! valgrind; K calls make that small against the calls themselves. A launch with AutoMTLS
//! varies by about 0.1 M between runs (the client's fresh signature is verified in variable
//! time), which the "first" rows inherit; the launch's own rows are split without TLS.
//!
//! The 1000-token state is made before, with the provider run natively: it creates the tokens
//! in the in-process mock through Plan/ApplyResourceChange, and the measured processes are
//! handed those states back as Terraform would hand them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use terraform_provider_influxdb3::framework::Declared;
use terraform_provider_influxdb3::mock::{MockOptions, MockServer};
use terraform_provider_influxdb3::proto::plugin::Empty;
use terraform_provider_influxdb3::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_influxdb3::proto::tfplugin6 as pb;
use terraform_provider_influxdb3::proto::tfplugin6::provider_client::ProviderClient;
use terraform_provider_influxdb3::tokens::resource::DatabaseTokenResource;
use terraform_provider_influxdb3::value::{Type, Value, encode_msgpack};
use tonic::transport::{Channel, Endpoint, Uri};

use crate::plugin_client::{HostCert, Launched, connect, host_cert, launch_command};

const TOKEN: &str = "influxdb3_database_token";

/// Tokens in the state the per-resource rows run in.
const STATE: usize = 1000;

/// One call the measured process is asked to make, after `ConfigureProvider`.
#[derive(Clone, Copy)]
enum Op {
    /// ReadResource of the i-th token of the state.
    Read(usize),
    /// PlanResourceChange of the i-th token, its configuration unchanged.
    Plan(usize),
    /// ApplyResourceChange creating a new token from a plan made beforehand.
    Create,
    /// ApplyResourceChange destroying the i-th token of the state.
    Delete(usize),
}

/// What one measured process does.
struct Script {
    tls: bool,
    schema: bool,
    configure: bool,
    ops: Vec<Op>,
}

/// The state and plans the measured processes are handed.
struct Fixture {
    /// The API the states live in, running while the measured processes call it.
    _mock: MockServer,
    token_type: Type,
    provider_config: pb::DynamicValue,
    /// (state, identity) of each token of the state.
    states: Vec<(pb::DynamicValue, Option<pb::ResourceIdentityData>)>,
    /// A create's config, planned state and planned private data.
    create: (pb::DynamicValue, pb::DynamicValue, Vec<u8>),
}

/// Prints the rows, or a notice when valgrind is missing; with `baseline` (another build of
/// the provider, `BENCH_BASELINE_BIN`) its counts and the difference stand beside ours.
/// `BENCH_INSTRUCTIONS_K` sets K (default 50); `BENCH_CALLGRIND_DIR` keeps each process's
/// callgrind output there, named after its row, for `callgrind_annotate`.
pub(crate) fn rows(exe: &Path, baseline: Option<&Path>) {
    let valgrind = Command::new("valgrind").arg("--version").output();
    let Some(version) = valgrind.ok().filter(|o| o.status.success()) else {
        println!();
        println!("valgrind not found: the instructions-per-RPC rows are skipped");
        return;
    };
    let k: usize = std::env::var("BENCH_INSTRUCTIONS_K")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
        .clamp(1, 200);
    let keep = std::env::var_os("BENCH_CALLGRIND_DIR").map(PathBuf::from);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let started = Instant::now();
    let fixture = runtime.block_on(Fixture::make(exe));
    eprintln!(
        "(instructions: {STATE}-token state made in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let ours = counts(&runtime, &fixture, exe, k, 0, keep.as_deref());
    let base = baseline.map(|b| {
        let keep = keep.as_ref().map(|d| d.join("baseline"));
        counts(&runtime, &fixture, b, k, 1, keep.as_deref())
    });
    println!();
    println!(
        "Instructions per RPC ({}, provider process only, from exec to exit; \"each further\" \
         is the mean of K={k}):",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    println!();
    match &base {
        Some(_) => {
            println!("| what | instructions | baseline | ours less baseline |");
            println!("|---|---:|---:|---:|");
        }
        None => {
            println!("| what | instructions |");
            println!("|---|---:|");
        }
    }
    for (i, (what, n)) in ours.iter().enumerate() {
        match base.as_ref().and_then(|b| b.get(i)) {
            Some((_, b)) => println!(
                "| {what} | {} | {} | {} |",
                group(*n),
                group(*b),
                signed(*n as i64 - *b as i64)
            ),
            None => println!("| {what} | {} |", group(*n)),
        }
    }
}

/// The rows for the provider binary `exe`: (what, instructions). `round` picks the tokens its
/// destroys remove, so that each binary measured against the one state deletes its own.
fn counts(
    runtime: &tokio::runtime::Runtime,
    fixture: &Fixture,
    exe: &Path,
    k: usize,
    round: usize,
    keep: Option<&Path>,
) -> Vec<(String, u64)> {
    let host = host_cert();
    let measure = |label: &str, script: Script| -> u64 {
        runtime.block_on(measure(exe, &host, fixture, label, &script, keep))
    };
    let plain = |tls, schema, configure| Script {
        tls,
        schema,
        configure,
        ops: Vec::new(),
    };
    let with = |ops: Vec<Op>| Script {
        tls: true,
        schema: false,
        configure: true,
        ops,
    };
    let started = Instant::now();
    let launch = measure("launch", plain(true, false, false));
    let schema = measure("launch-schema", plain(true, true, false));
    let full = measure("launch-schema-configure", plain(true, true, true));
    // The schema and configure rows come from processes without TLS: the handshake verifies
    // the client's signature in variable time, and a fresh signature each launch moves a
    // TLS launch's count by about 0.1 M, more than ConfigureProvider itself.
    let launch_plain = measure("launch-notls", plain(false, false, false));
    let schema_plain = measure("launch-schema-notls", plain(false, true, false));
    let no_tls = measure("launch-schema-configure-notls", plain(false, true, true));
    let base = measure("configure", plain(true, false, true));
    let spread = |label: &str, op: &dyn Fn(usize) -> Op| -> (u64, u64) {
        let one = measure(&format!("{label}-1"), with(vec![op(0)]));
        let many = measure(
            &format!("{label}-{}", k + 1),
            with((0..=k).map(op).collect()),
        );
        (
            one.saturating_sub(base),
            many.saturating_sub(one) / k as u64,
        )
    };
    let read = spread("read", &Op::Read);
    let plan = spread("plan", &Op::Plan);
    let create = spread("create", &|_| Op::Create);
    // Deletes last: they remove tokens of the state, each process its own.
    let top = STATE - 1 - round * (k + 2);
    let delete_one = measure("delete-1", with(vec![Op::Delete(top)]));
    let delete_many = measure(
        &format!("delete-{}", k + 1),
        with((0..=k).map(|i| Op::Delete(top - 1 - i)).collect()),
    );
    let delete = (
        delete_one.saturating_sub(base),
        delete_many.saturating_sub(delete_one) / k as u64,
    );
    eprintln!(
        "(instructions: 15 processes of {} under callgrind in {:.0} s)",
        exe.display(),
        started.elapsed().as_secs_f64()
    );
    let mut rows = vec![
        (
            "launch + GetProviderSchema + ConfigureProvider (+ Shutdown, exit), AutoMTLS"
                .to_owned(),
            full,
        ),
        (
            "  launch alone (handshake, TLS, Shutdown, exit)".to_owned(),
            launch,
        ),
        ("  launch + GetProviderSchema".to_owned(), schema),
        (
            "launch + GetProviderSchema + ConfigureProvider, no AutoMTLS".to_owned(),
            no_tls,
        ),
        (
            "  launch alone (handshake, Shutdown, exit)".to_owned(),
            launch_plain,
        ),
        (
            "  GetProviderSchema".to_owned(),
            schema_plain.saturating_sub(launch_plain),
        ),
        (
            "  ConfigureProvider".to_owned(),
            no_tls.saturating_sub(schema_plain),
        ),
    ];
    let mut per = |what: String, (first, each): (u64, u64)| {
        rows.push((format!("{what}, first"), first));
        rows.push((format!("{what}, each further"), each));
    };
    per(
        format!("ReadResource of 1 token in a {STATE}-token state (the first lists all)"),
        read,
    );
    per(
        format!("PlanResourceChange of 1 unchanged token in a {STATE}-token state"),
        plan,
    );
    per("ApplyResourceChange creating 1 token".to_owned(), create);
    per(
        format!("ApplyResourceChange destroying 1 token of a {STATE}-token state"),
        delete,
    );
    rows
}

/// `-1234` as `-1,234`, `1234` as `+1,234`.
fn signed(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "+" };
    format!("{sign}{}", group(n.unsigned_abs()))
}

/// `1234567` as `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

/// An object of type `ty` with `pairs` set and every other attribute null.
fn object(ty: &Type, pairs: Vec<(&str, Value)>) -> Value {
    let Type::Object(attrs) = ty else {
        panic!("not an object type")
    };
    let mut map: std::collections::BTreeMap<String, Value> =
        attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    for (k, v) in pairs {
        map.insert(k.to_owned(), v);
    }
    Value::Object(map)
}

fn dv(v: &Value, ty: &Type) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: encode_msgpack(v, ty).expect("encode"),
        json: Vec::new(),
    }
}

/// The configuration of the benchmark's i-th token: `terraform.rs`'s `token_config`.
fn token_config(ty: &Type, i: usize) -> Value {
    let Type::Object(attrs) = ty else {
        panic!("not an object type")
    };
    let Some(Type::Set(permission)) = attrs.get("permissions") else {
        panic!("permissions is not a set")
    };
    let permission = |action: &str| {
        object(
            permission,
            vec![("action", s(action)), ("resource", s("bench"))],
        )
    };
    object(
        ty,
        vec![
            ("description", s(&format!("bench token {i}"))),
            (
                "permissions",
                Value::Set(vec![permission("read"), permission("write")]),
            ),
        ],
    )
}

impl Fixture {
    /// Starts the mock and makes the state with the provider run natively.
    async fn make(exe: &Path) -> Fixture {
        let mock = MockServer::start(MockOptions::default()).expect("start the mock");
        let provider_type = terraform_provider_influxdb3::provider::config::schema().value_type();
        let provider_config = dv(
            &object(
                &provider_type,
                vec![
                    ("account_id", s(mock.account_id())),
                    ("cluster_id", s(mock.cluster_id())),
                    ("management_token", s(mock.management_token())),
                    ("endpoint", s(&mock.endpoint())),
                ],
            ),
            &provider_type,
        );
        let token_type = DatabaseTokenResource.schema().value_type();
        let mut fixture = Fixture {
            _mock: mock,
            token_type,
            provider_config,
            states: Vec::new(),
            create: Default::default(),
        };
        let host = host_cert();
        let launched = launch_command(Command::new(exe), &host.pem);
        let channel = connect(&launched, Some(&host)).await.expect("connect");
        let mut client = ProviderClient::new(channel.clone());
        fixture.configure(&mut client).await;
        let null = dv(&Value::Null, &fixture.token_type);
        for i in 0..=STATE {
            let config = dv(&token_config(&fixture.token_type, i), &fixture.token_type);
            let plan = client
                .plan_resource_change(pb::plan_resource_change::Request {
                    type_name: TOKEN.into(),
                    prior_state: Some(null.clone()),
                    proposed_new_state: Some(config.clone()),
                    config: Some(config.clone()),
                    ..Default::default()
                })
                .await
                .expect("plan")
                .into_inner();
            assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
            let planned = plan.planned_state.expect("a planned state");
            if i == STATE {
                // One more plan, not applied: what the measured creates apply.
                fixture.create = (config, planned, plan.planned_private);
                break;
            }
            let created = client
                .apply_resource_change(pb::apply_resource_change::Request {
                    type_name: TOKEN.into(),
                    prior_state: Some(null.clone()),
                    planned_state: Some(planned),
                    config: Some(config),
                    planned_private: plan.planned_private,
                    ..Default::default()
                })
                .await
                .expect("apply")
                .into_inner();
            assert!(created.diagnostics.is_empty(), "{:?}", created.diagnostics);
            fixture
                .states
                .push((created.new_state.expect("a state"), created.new_identity));
        }
        shut_down(channel, launched).await;
        fixture
    }

    async fn configure(&self, client: &mut ProviderClient<Channel>) {
        let configured = client
            .configure_provider(pb::configure_provider::Request {
                terraform_version: "1.11.4".into(),
                config: Some(self.provider_config.clone()),
                client_capabilities: None,
            })
            .await
            .expect("configure")
            .into_inner();
        assert!(
            configured.diagnostics.is_empty(),
            "{:?}",
            configured.diagnostics
        );
    }

    /// Makes one call of `op`, checking that it reports nothing.
    async fn call(&self, client: &mut ProviderClient<Channel>, op: Op) {
        let diagnostics = match op {
            Op::Read(i) => {
                let (state, identity) = &self.states[i];
                client
                    .read_resource(pb::read_resource::Request {
                        type_name: TOKEN.into(),
                        current_state: Some(state.clone()),
                        current_identity: identity.clone(),
                        ..Default::default()
                    })
                    .await
                    .expect("read")
                    .into_inner()
                    .diagnostics
            }
            Op::Plan(i) => {
                let (state, identity) = &self.states[i];
                let config = dv(&token_config(&self.token_type, i), &self.token_type);
                client
                    .plan_resource_change(pb::plan_resource_change::Request {
                        type_name: TOKEN.into(),
                        prior_state: Some(state.clone()),
                        proposed_new_state: Some(state.clone()),
                        config: Some(config),
                        prior_identity: identity.clone(),
                        ..Default::default()
                    })
                    .await
                    .expect("plan")
                    .into_inner()
                    .diagnostics
            }
            Op::Create => {
                let (config, planned, private) = &self.create;
                client
                    .apply_resource_change(pb::apply_resource_change::Request {
                        type_name: TOKEN.into(),
                        prior_state: Some(dv(&Value::Null, &self.token_type)),
                        planned_state: Some(planned.clone()),
                        config: Some(config.clone()),
                        planned_private: private.clone(),
                        ..Default::default()
                    })
                    .await
                    .expect("create")
                    .into_inner()
                    .diagnostics
            }
            Op::Delete(i) => {
                let (state, _) = &self.states[i];
                let null = dv(&Value::Null, &self.token_type);
                client
                    .apply_resource_change(pb::apply_resource_change::Request {
                        type_name: TOKEN.into(),
                        prior_state: Some(state.clone()),
                        planned_state: Some(null.clone()),
                        config: Some(null),
                        ..Default::default()
                    })
                    .await
                    .expect("delete")
                    .into_inner()
                    .diagnostics
            }
        };
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }
}

/// Runs `script` in one provider process under callgrind and returns the instructions it
/// executed (callgrind's total, every thread, from exec to exit).
async fn measure(
    exe: &Path,
    host: &HostCert,
    fixture: &Fixture,
    label: &str,
    script: &Script,
    keep: Option<&Path>,
) -> u64 {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = match keep {
        Some(keep) => {
            std::fs::create_dir_all(keep).expect("BENCH_CALLGRIND_DIR");
            keep.join(format!("callgrind.{label}.out"))
        }
        None => dir.path().join("callgrind.out"),
    };
    let mut command = Command::new("valgrind");
    command
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe);
    // An empty PLUGIN_CLIENT_CERT is no certificate: the provider serves without TLS, as
    // under TF_DISABLE_PLUGIN_TLS.
    let launched = launch_command(command, if script.tls { &host.pem } else { "" });
    let channel = if script.tls {
        connect(&launched, Some(host)).await.expect("connect")
    } else {
        connect_plain(&launched).await.expect("connect")
    };
    let mut client = ProviderClient::new(channel.clone());
    if script.schema {
        let schema = client
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .expect("schema")
            .into_inner();
        assert!(schema.diagnostics.is_empty(), "{:?}", schema.diagnostics);
    }
    if script.configure {
        fixture.configure(&mut client).await;
    }
    for op in &script.ops {
        fixture.call(&mut client, *op).await;
    }
    shut_down(channel, launched).await;
    let text = std::fs::read_to_string(&out).expect("callgrind output");
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("a total in the callgrind output")
}

/// Asks the plugin to shut down, as Terraform does, and waits for it to exit (callgrind
/// writes its output at exit; a kill would lose it).
async fn shut_down(channel: Channel, mut launched: Launched) {
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("shutdown answered");
    let started = Instant::now();
    loop {
        if launched.child.try_wait().expect("wait").is_some() {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the provider still runs 120 s after Shutdown"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A gRPC channel to a provider serving without TLS (h2 in the clear, as go-plugin does
/// under TF_DISABLE_PLUGIN_TLS).
async fn connect_plain(p: &Launched) -> Result<Channel, tonic::transport::Error> {
    let (network, addr) = (p.network.clone(), p.addr.clone());
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let (network, addr) = (network.clone(), addr.clone());
            async move {
                if network == "unix" {
                    let s = tokio::net::UnixStream::connect(addr).await?;
                    Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(
                        Box::new(s) as Box<dyn crate::plugin_client::Stream>
                    ))
                } else {
                    let s = tokio::net::TcpStream::connect(addr).await?;
                    Ok(hyper_util::rt::TokioIo::new(
                        Box::new(s) as Box<dyn crate::plugin_client::Stream>
                    ))
                }
            }
        }))
        .await
}
