//! The one rustls crypto provider of the process (ring), shared by the plugin's TLS server and
//! the API client. aws-lc-rs is used only to verify Terraform's P-521 client signature
//! (`plugin::tls`): its random generator costs ~30 ms to seed on first use, at every launch.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;

/// The process's crypto provider.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Installs [`provider`] as the process default (reqwest uses the default) unless one is
/// installed already.
pub fn install_default() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
