//! `https` endpoints: the client (built on a thread of its own, see `http_client.rs`) checks
//! the server's certificate against the system's roots, for every kind of call, and callers
//! arriving while it is built share the one client.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

use super::{ApiError, ClientConfig, TestResult, client_with, cluster, config};
use crate::api::{CreateTokenRequest, Permission};

/// A TLS server on loopback with a fresh self-signed certificate that no root trusts. Returns
/// its address and the number of TLS handshakes it has seen start.
async fn untrusted_tls_server()
-> Result<(std::net::SocketAddr, Arc<AtomicUsize>), Box<dyn std::error::Error + Send + Sync>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let key = rcgen::KeyPair::generate()?;
    let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])?.self_signed(&key)?;
    let tls = rustls::ServerConfig::builder_with_provider(crate::crypto::provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let handshakes = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&handshakes);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = acceptor.accept(stream).await;
            });
        }
    });
    Ok((addr, handshakes))
}

fn https_config(addr: std::net::SocketAddr) -> ClientConfig {
    ClientConfig {
        max_retries: 0,
        ..config(&format!("https://{addr}/api/v0"))
    }
}

#[tokio::test]
async fn an_untrusted_server_certificate_fails_a_read() -> TestResult {
    let (addr, handshakes) = untrusted_tls_server().await?;
    let client = client_with(https_config(addr))?;
    let err = match client.list_tokens(&cluster()).await {
        Ok(tokens) => panic!(
            "listed {} tokens through an untrusted certificate",
            tokens.len()
        ),
        Err(e) => e,
    };
    assert!(matches!(err, ApiError::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("certificate"), "{err}");
    assert_eq!(
        handshakes.load(Ordering::SeqCst),
        1,
        "the call reached the server"
    );
    Ok(())
}

#[tokio::test]
async fn concurrent_first_calls_wait_for_the_client_and_each_fails_cleanly() -> TestResult {
    let (addr, handshakes) = untrusted_tls_server().await?;
    let client = client_with(https_config(addr))?;
    let request = CreateTokenRequest {
        description: "x".into(),
        permissions: vec![Permission {
            action: "read".into(),
            resource: "db".into(),
        }],
        expires_at: None,
    };
    let cluster = cluster();
    let (read, create) = tokio::join!(
        client.get_token(&cluster, "11111111-1111-4111-8111-111111111111"),
        client.create_token(&cluster, &request, crate::api::Description::Restore),
    );
    assert!(matches!(read, Err(ApiError::Transport { .. })), "{read:?}");
    // A create whose TLS handshake failed was never sent, yet the client cannot know how far
    // it got; whatever it answers must be an error naming the certificate problem.
    let create_err = match create {
        Ok(created) => panic!(
            "created {} through an untrusted certificate",
            created.token.id
        ),
        Err(e) => e,
    };
    assert!(
        create_err.to_string().contains("certificate"),
        "{create_err}"
    );
    assert!(
        handshakes.load(Ordering::SeqCst) >= 2,
        "both calls reached the server"
    );
    Ok(())
}

#[tokio::test]
async fn callers_arriving_during_the_background_build_get_the_same_client() -> TestResult {
    let client = client_with(https_config("127.0.0.1:9".parse()?))?;
    let (a, b) = tokio::join!(client.0.http.get(), client.0.http.get());
    assert!(std::ptr::eq(a?, b?), "one client, built once");
    Ok(())
}
