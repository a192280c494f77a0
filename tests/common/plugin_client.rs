//! A go-plugin client as Terraform is one, for tests that talk to the real provider binary:
//! launch with the magic cookie and `PLUGIN_CLIENT_CERT`, read the handshake line, connect over
//! mutual TLS with the server certificate pinned. Shared by the acceptance and protocol suites.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use base64::Engine;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tonic::transport::{Channel, Endpoint, Uri};

pub(crate) const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// A client identity shaped like Terraform's: a self-signed CA certificate. (Terraform's is
/// P-521, which rcgen signs only with aws-lc; here P-384. Every acceptance test that runs the
/// real Terraform exercises the P-521 path.)
pub(crate) struct HostCert {
    pub pem: String,
    pub der: CertificateDer<'static>,
    pub key: PrivatePkcs8KeyDer<'static>,
}

pub(crate) fn host_cert() -> HostCert {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, PKCS_ECDSA_P384_SHA384};
    let key = KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384).expect("key");
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).expect("self-signed");
    HostCert {
        pem: cert.pem(),
        der: cert.der().clone(),
        key: PrivatePkcs8KeyDer::from(key.serialize_der()),
    }
}

/// A provider process launched the way Terraform launches it.
pub(crate) struct Launched {
    pub child: Child,
    pub network: String,
    pub addr: String,
    pub server_cert: CertificateDer<'static>,
}

impl Drop for Launched {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Launches the provider binary with `client_pem` as `PLUGIN_CLIENT_CERT` and reads its
/// handshake line.
pub(crate) fn launch(client_pem: &str) -> Launched {
    launch_with(client_pem, &[])
}

/// [`launch`] with more environment variables.
pub(crate) fn launch_with(client_pem: &str, env: &[(&str, &str)]) -> Launched {
    let mut command = Command::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb3"));
    command.envs(env.iter().copied());
    launch_command(command, client_pem)
}

/// [`launch`] with the command given whole: the benchmark runs the binary under valgrind.
pub(crate) fn launch_command(mut command: Command, client_pem: &str) -> Launched {
    let mut child = command
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", client_pem)
        .env_remove("TF_DISABLE_PLUGIN_TLS")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("launch provider");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("handshake line");
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields.len(), 6, "handshake line {line:?}");
    assert_eq!(
        &fields[..2],
        ["1", "6"],
        "core and protocol version in {line:?}"
    );
    assert_eq!(fields[4], "grpc");
    let der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(fields[5])
        .expect("unpadded base64 certificate");
    Launched {
        network: fields[2].to_owned(),
        addr: fields[3].to_owned(),
        server_cert: CertificateDer::from(der),
        child,
    }
}

/// Trusts exactly the certificate from the handshake line, as go-plugin's client does.
#[derive(Debug)]
struct PinnedServer(CertificateDer<'static>);

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the pinned server certificate".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            m,
            c,
            d,
            &provider().signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            m,
            c,
            d,
            &provider().signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

/// A gRPC channel to the launched provider over mutual TLS, presenting `identity`.
pub(crate) async fn connect(p: &Launched, identity: Option<&HostCert>) -> Result<Channel, String> {
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer(p.server_cert.clone())));
    let mut config = match identity {
        Some(id) => builder
            .with_client_auth_cert(
                vec![id.der.clone()],
                PrivateKeyDer::Pkcs8(id.key.clone_key()),
            )
            .expect("client cert"),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let (network, addr) = (p.network.clone(), p.addr.clone());
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let (network, addr, connector) = (network.clone(), addr.clone(), connector.clone());
            async move {
                let name = ServerName::try_from("localhost").expect("name");
                if network == "unix" {
                    let s = tokio::net::UnixStream::connect(addr).await?;
                    Ok::<_, std::io::Error>(TokioIo::new(
                        Box::new(connector.connect(name, s).await?) as Box<dyn Stream>,
                    ))
                } else {
                    let s = tokio::net::TcpStream::connect(addr).await?;
                    Ok(TokioIo::new(
                        Box::new(connector.connect(name, s).await?) as Box<dyn Stream>
                    ))
                }
            }
        }))
        .await
        .map_err(|e| e.to_string())
}

pub(crate) trait Stream:
    tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send
{
}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Stream for T {}
