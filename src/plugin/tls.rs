//! AutoMTLS as go-plugin does it, with the host's client certificate pinned.
//!
//! The host passes its certificate in `PLUGIN_CLIENT_CERT` (ECDSA P-521 with SHA-512, marked
//! as a CA). We answer with a fresh self-signed server certificate in the handshake line, and
//! accept a TLS client only when it presents exactly the host's certificate. webpki's path
//! validation cannot be used for that (it refuses a CA certificate as an end entity), so the
//! verifier below compares the DER byte for byte and checks the handshake signature with
//! aws-lc-rs's verification algorithms, which, unlike ring's, include P-521.
//!
//! Everything else (key generation, key exchange, ciphers, randomness) uses ring: aws-lc seeds
//! its random generator on first use, which costs about 30 ms, and Terraform launches the
//! provider up to three times per command. Verifying a signature needs no randomness.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// `PLUGIN_CLIENT_CERT` held no PEM certificate.
    #[error("PLUGIN_CLIENT_CERT does not hold a PEM certificate")]
    NoClientCertificate,
    /// The PEM could not be read.
    #[error("PLUGIN_CLIENT_CERT is not valid PEM: {0}")]
    BadPem(String),
    /// Generating the server certificate failed.
    #[error("could not generate the plugin's TLS certificate: {0}")]
    CertificateGeneration(String),
    /// rustls refused the configuration.
    #[error("could not configure TLS: {0}")]
    Config(#[from] rustls::Error),
}

/// Signature verification algorithms that include ECDSA P-521 with SHA-512, Terraform's.
fn verification_algorithms() -> WebPkiSupportedAlgorithms {
    rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms
}

/// A server certificate for this process and its key.
#[derive(Debug)]
pub struct ServerIdentity {
    /// DER of the self-signed certificate, also sent in the handshake line.
    pub cert_der: CertificateDer<'static>,
    key_der: PrivatePkcs8KeyDer<'static>,
}

/// Makes a self-signed ECDSA P-256 certificate for `localhost`, shaped like go-plugin's own
/// (a CA usable for server and client auth), which the Go client pins from the handshake line.
pub fn generate_server_identity() -> Result<ServerIdentity, TlsError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
    };
    let err = |e: rcgen::Error| TlsError::CertificateGeneration(e.to_string());
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(err)?;
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).map_err(err)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "terraform-provider-influxdb3");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::minutes(1);
    params.not_after = now + time::Duration::days(365 * 30);
    let cert = params.self_signed(&key).map_err(err)?;
    Ok(ServerIdentity {
        cert_der: cert.der().clone(),
        key_der: PrivatePkcs8KeyDer::from(key.serialize_der()),
    })
}

/// Reads the first certificate of a PEM document.
pub fn parse_client_cert(pem: &str) -> Result<CertificateDer<'static>, TlsError> {
    let mut reader = pem.as_bytes();
    match rustls_pemfile::certs(&mut reader).next() {
        Some(Ok(cert)) => Ok(cert),
        Some(Err(e)) => Err(TlsError::BadPem(e.to_string())),
        None => Err(TlsError::NoClientCertificate),
    }
}

/// The rustls server configuration: TLS 1.2/1.3, ALPN `h2` (gRPC clients require it), and a
/// mandatory client certificate equal to `pinned`.
pub fn server_config(
    identity: &ServerIdentity,
    pinned: CertificateDer<'static>,
) -> Result<ServerConfig, TlsError> {
    let verifier = PinnedClientCert {
        pinned,
        algorithms: verification_algorithms(),
    };
    let mut config = ServerConfig::builder_with_provider(crate::crypto::provider())
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(
            vec![identity.cert_der.clone()],
            PrivateKeyDer::Pkcs8(identity.key_der.clone_key()),
        )?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// Accepts exactly one client certificate, compared as DER bytes.
#[derive(Debug)]
struct PinnedClientCert {
    pinned: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.pinned.as_ref() {
            tracing::trace!("host presented the pinned certificate");
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let verified = rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms);
        tracing::trace!(ok = verified.is_ok(), "host's handshake signature checked");
        verified
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_certificate_is_for_localhost_and_loads_into_rustls() {
        let identity = generate_server_identity().expect("identity");
        let other = generate_server_identity().expect("identity");
        assert!(server_config(&identity, other.cert_der.clone()).is_ok());
        assert_ne!(
            identity.cert_der, other.cert_der,
            "each launch gets a fresh certificate"
        );
    }

    #[test]
    fn a_pem_without_certificate_is_refused() {
        assert!(matches!(
            parse_client_cert("not pem"),
            Err(TlsError::NoClientCertificate)
        ));
    }

    #[test]
    fn the_verifier_offers_p521_so_terraform_sends_its_certificate() {
        let identity = generate_server_identity().expect("identity");
        let verifier = PinnedClientCert {
            pinned: identity.cert_der.clone(),
            algorithms: verification_algorithms(),
        };
        assert!(
            verifier
                .supported_verify_schemes()
                .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
        );
    }
}
