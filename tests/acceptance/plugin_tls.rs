//! The go-plugin launch as Terraform performs it: handshake line, AutoMTLS with the host's
//! P-521 CA certificate pinned, and a prompt exit on `GRPCController.Shutdown`.

use std::time::{Duration, Instant};

use terraform_provider_influxdb3::proto::plugin::Empty;
use terraform_provider_influxdb3::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_influxdb3::proto::tfplugin6::get_provider_schema;
use terraform_provider_influxdb3::proto::tfplugin6::provider_client::ProviderClient;

#[path = "../common/plugin_client.rs"]
mod plugin_client;

use plugin_client::{HostCert, Launched, connect, host_cert, launch};

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
