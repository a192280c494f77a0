//! The go-plugin launch as Terraform performs it: handshake line, AutoMTLS with the host's
//! P-521 CA certificate pinned, and a prompt exit on `GRPCController.Shutdown`.

use std::time::{Duration, Instant};

use terraform_provider_influxdb3::proto::plugin::Empty;
use terraform_provider_influxdb3::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_influxdb3::proto::tfplugin6::get_provider_schema;
use terraform_provider_influxdb3::proto::tfplugin6::provider_client::ProviderClient;

#[path = "../common/plugin_client.rs"]
mod plugin_client;

use plugin_client::{HostCert, Launched, connect, host_cert, launch, launch_with};

async fn call_schema(p: &Launched, identity: Option<&HostCert>) -> Result<usize, String> {
    let channel = connect(p, identity).await?;
    let response = tokio::time::timeout(
        Duration::from_secs(10),
        ProviderClient::new(channel).get_provider_schema(get_provider_schema::Request {}),
    )
    .await
    .map_err(|_| "timed out".to_owned())?
    .map_err(|e| e.to_string())?;
    Ok(response
        .into_inner()
        .provider
        .map(|s| s.block.map(|b| b.attributes.len()).unwrap_or(0))
        .unwrap_or(0))
}

#[tokio::test]
async fn only_the_pinned_host_certificate_can_complete_a_call() {
    let host = host_cert();
    let intruder = host_cert();
    let plugin = launch(&host.pem);
    assert_eq!(
        plugin.network, "unix",
        "listens on a unix socket by default"
    );

    let attributes = call_schema(&plugin, Some(&host))
        .await
        .expect("the host's call succeeds");
    assert!(attributes >= 4, "the provider schema came back");

    let other = call_schema(&plugin, Some(&intruder)).await;
    assert!(
        other.is_err(),
        "another certificate must be refused, got {other:?}"
    );
    let none = call_schema(&plugin, None).await;
    assert!(
        none.is_err(),
        "a client without certificate must be refused, got {none:?}"
    );

    // Still serving the real host afterwards.
    call_schema(&plugin, Some(&host))
        .await
        .expect("the host can still call");
}

#[tokio::test]
async fn shutdown_ends_the_process_at_once_and_removes_the_socket() {
    let host = host_cert();
    let mut plugin = launch(&host.pem);
    let channel = connect(&plugin, Some(&host)).await.expect("connect");
    let started = Instant::now();
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("shutdown answered");
    let status = loop {
        if let Some(status) = plugin.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "still running 2 s after Shutdown"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert!(status.success(), "exit status {status:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
    let socket_dir = std::path::Path::new(&plugin.addr)
        .parent()
        .expect("dir")
        .to_path_buf();
    assert!(
        !socket_dir.exists(),
        "socket directory {socket_dir:?} was left behind"
    );
}

#[tokio::test]
async fn idle_connections_reopened_as_they_close_do_not_lock_the_host_out_over_tcp() {
    let host = host_cert();
    let plugin = launch_with(&host.pem, &[("INFLUXDB3_PLUGIN_TRANSPORT", "tcp")]);
    assert_eq!(plugin.network, "tcp");
    // More idle connections than there are handshake slots, each re-opened when closed.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let connected = std::sync::Arc::new(tokio::sync::Barrier::new(41));
    let mut flood = Vec::new();
    for _ in 0..40 {
        let (addr, stop, connected) = (plugin.addr.clone(), stop.clone(), connected.clone());
        flood.push(tokio::spawn(async move {
            use tokio::io::AsyncReadExt;
            let mut first = true;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let Ok(mut conn) = tokio::net::TcpStream::connect(&addr).await else {
                    continue;
                };
                if std::mem::take(&mut first) {
                    connected.wait().await;
                }
                let mut buf = [0u8; 16];
                // Returns when the provider closes it (or the test ends).
                let _ = tokio::time::timeout(Duration::from_secs(1), conn.read(&mut buf)).await;
            }
        }));
    }
    // The host comes once every idle connection is open.
    connected.wait().await;
    let result = call_schema(&plugin, Some(&host)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in flood {
        let _ = task.await;
    }
    let attributes = result.expect("the host's call succeeds despite the idle connections");
    assert!(attributes >= 4);
}
