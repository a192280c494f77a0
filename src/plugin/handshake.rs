//! The go-plugin launch contract: the magic cookie, protocol negotiation and the one handshake
//! line the host reads from stdout.

use base64::Engine;

/// The cookie Terraform and OpenTofu set for every provider they launch.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// Its value, the same for every Terraform plugin.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// The only plugin protocol major version this provider speaks.
pub const PROTOCOL_VERSION: u32 = 6;
/// go-plugin's own protocol version, the first field of the handshake line.
const CORE_PROTOCOL_VERSION: u32 = 1;

/// Printed, with exit code 1, when someone runs the binary by hand.
pub const NOT_A_COMMAND: &str = "This binary is a Terraform plugin (terraform-provider-influxdb3): \
Terraform or OpenTofu start it themselves when a configuration uses the influxdb3 provider, so \
there is nothing to run here by hand.\n\
To debug it, run it with --debug and follow the TF_REATTACH_PROVIDERS instructions it prints.";

/// Why the process cannot serve the host that launched it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandshakeError {
    /// The cookie is absent or wrong: the binary was not started by a plugin host.
    #[error("{NOT_A_COMMAND}")]
    NotLaunchedByHost,
    /// The host offered protocol versions, none of them 6.
    #[error(
        "this provider speaks plugin protocol 6 only, but the host offered {offered:?}; \
         use Terraform 1.0 or later, or OpenTofu"
    )]
    NoCommonProtocol {
        /// What the host offered, as it wrote it.
        offered: String,
    },
}

/// Checks the magic cookie the host passes in the environment.
pub fn check_cookie(value: Option<&str>) -> Result<(), HandshakeError> {
    match value {
        Some(v) if v == MAGIC_COOKIE_VALUE => Ok(()),
        _ => Err(HandshakeError::NotLaunchedByHost),
    }
}

/// Picks protocol 6 from `PLUGIN_PROTOCOL_VERSIONS` (comma separated, any order). A host that
/// sets nothing is an old go-plugin host that assumes the plugin's own version.
pub fn negotiate(offered: Option<&str>) -> Result<u32, HandshakeError> {
    let Some(offered) = offered.filter(|v| !v.trim().is_empty()) else {
        return Ok(PROTOCOL_VERSION);
    };
    let speaks_six = offered
        .split(',')
        .any(|v| v.trim().parse::<u32>() == Ok(PROTOCOL_VERSION));
    if speaks_six {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(HandshakeError::NoCommonProtocol {
            offered: offered.to_owned(),
        })
    }
}

/// Where the plugin listens, as the handshake line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAddr {
    /// A unix socket path.
    Unix(String),
    /// A TCP `host:port`.
    Tcp(String),
}

impl ListenAddr {
    /// The network name go-plugin uses.
    pub fn network(&self) -> &'static str {
        match self {
            ListenAddr::Unix(_) => "unix",
            ListenAddr::Tcp(_) => "tcp",
        }
    }

    /// The address string go-plugin uses.
    pub fn address(&self) -> &str {
        match self {
            ListenAddr::Unix(a) | ListenAddr::Tcp(a) => a,
        }
    }
}

/// The line `1|6|NETWORK|ADDR|grpc|CERT`. CERT is the server certificate's DER in base64
/// without padding (Go's `RawStdEncoding`), empty when serving without TLS.
pub fn handshake_line(version: u32, addr: &ListenAddr, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!(
        "{CORE_PROTOCOL_VERSION}|{version}|{}|{}|grpc|{cert}",
        addr.network(),
        addr.address()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_wrong_cookie_is_refused() {
        assert_eq!(check_cookie(None), Err(HandshakeError::NotLaunchedByHost));
        assert_eq!(
            check_cookie(Some("nope")),
            Err(HandshakeError::NotLaunchedByHost)
        );
        assert_eq!(check_cookie(Some(MAGIC_COOKIE_VALUE)), Ok(()));
    }

    #[test]
    fn protocol_six_is_found_in_any_order_and_spacing() {
        assert_eq!(negotiate(Some("5,6")), Ok(6));
        assert_eq!(negotiate(Some(" 6 , 5")), Ok(6));
        assert_eq!(negotiate(None), Ok(6));
    }

    #[test]
    fn a_host_without_protocol_six_gets_a_clear_error() {
        let err = negotiate(Some("4,5")).expect_err("no common version");
        assert!(err.to_string().contains("protocol 6"), "{err}");
        assert!(err.to_string().contains("4,5"), "{err}");
    }

    #[test]
    fn the_handshake_line_has_six_fields_and_unpadded_base64() {
        let line = handshake_line(
            6,
            &ListenAddr::Unix("/tmp/x/plugin.sock".into()),
            Some(&[1, 2]),
        );
        assert_eq!(line, "1|6|unix|/tmp/x/plugin.sock|grpc|AQI");
        let plain = handshake_line(6, &ListenAddr::Tcp("127.0.0.1:1234".into()), None);
        assert_eq!(plain, "1|6|tcp|127.0.0.1:1234|grpc|");
    }
}
