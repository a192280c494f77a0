//! Which proxy, if any, the client uses: chosen here from the environment, never by reqwest.
//!
//! reqwest on its own honours `HTTP_PROXY`, `http_proxy` and `ALL_PROXY`, which would hand a
//! plain-http request, its `Authorization: Bearer …` header and every answer to whatever those
//! variables name (they are often set in CI). The rules instead:
//! - a loopback endpoint (`localhost`, `127.0.0.0/8`, `::1`) never goes through a proxy;
//! - a plain `http` endpoint (allowed on loopback only) never goes through a proxy;
//! - an `https` endpoint goes through `HTTPS_PROXY` (or `https_proxy`) when set, except for
//!   hosts matched by `NO_PROXY` (or `no_proxy`). reqwest reaches an https URL through a
//!   proxy only by a `CONNECT` tunnel, so the proxy sees the host name and port and then TLS,
//!   never a header or a body.
//! - `HTTP_PROXY`, `http_proxy`, `ALL_PROXY` and `all_proxy` are never used.

use reqwest::Url;

/// The proxy decision for one endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) enum ProxyChoice {
    /// Connect directly.
    #[default]
    Direct,
    /// Tunnel https requests through `url` (CONNECT), except for hosts `no_proxy` matches.
    Https {
        url: String,
        no_proxy: Option<String>,
    },
}

impl ProxyChoice {
    /// Decides for `base`, looking variables up with `env` (the process environment in
    /// production; a map in tests).
    pub(crate) fn for_endpoint(base: &Url, env: impl Fn(&str) -> Option<String>) -> ProxyChoice {
        if base.scheme() != "https" || is_loopback(base) {
            return ProxyChoice::Direct;
        }
        let first = |names: &[&str]| {
            names.iter().find_map(|n| {
                env(n)
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
            })
        };
        match first(&["HTTPS_PROXY", "https_proxy"]) {
            Some(url) => ProxyChoice::Https {
                url,
                no_proxy: first(&["NO_PROXY", "no_proxy"]),
            },
            None => ProxyChoice::Direct,
        }
    }

    /// Applies the decision to a client builder; always turns reqwest's own environment
    /// lookup off. The error names the variable, never its value (a proxy URL may hold a
    /// password).
    pub(crate) fn apply(
        &self,
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, String> {
        let builder = builder.no_proxy();
        match self {
            ProxyChoice::Direct => Ok(builder),
            ProxyChoice::Https { url, no_proxy } => {
                // `proxy.example:3128` (no scheme) is common in these variables: an http proxy.
                let url = if url.contains("://") {
                    url.clone()
                } else {
                    format!("http://{url}")
                };
                let proxy = reqwest::Proxy::https(url.as_str())
                    .map_err(|_| {
                        "HTTPS_PROXY (or https_proxy) is not a usable proxy URL; set it to \
                         something like http://proxy.example:3128"
                            .to_owned()
                    })?
                    .no_proxy(no_proxy.as_deref().and_then(reqwest::NoProxy::from_string));
                Ok(builder.proxy(proxy))
            }
        }
    }
}

/// Whether `url`'s host is this machine: `localhost` (and names under it), `127.0.0.0/8`, `::1`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    const ALL: &[(&str, &str)] = &[
        ("HTTP_PROXY", "http://127.0.0.1:1"),
        ("http_proxy", "http://127.0.0.1:1"),
        ("ALL_PROXY", "http://127.0.0.1:1"),
        ("all_proxy", "http://127.0.0.1:1"),
        ("HTTPS_PROXY", "http://proxy.example:3128"),
    ];

    #[test]
    fn loopback_and_plain_http_endpoints_never_use_a_proxy() {
        for endpoint in [
            "http://127.0.0.1:8080/api/v0",
            "http://localhost:8080/api/v0",
            "http://[::1]:8080/api/v0",
            "https://127.0.0.1:8443/api/v0",
            "https://localhost/api/v0",
            "https://api.localhost/api/v0",
            "https://[::1]/api/v0",
        ] {
            assert_eq!(
                ProxyChoice::for_endpoint(&url(endpoint), env(ALL)),
                ProxyChoice::Direct,
                "{endpoint}"
            );
        }
    }

    #[test]
    fn https_uses_https_proxy_only_and_keeps_no_proxy() {
        let remote = url("https://console.influxdata.com/api/v0");
        let only_http = &ALL[..4];
        assert_eq!(
            ProxyChoice::for_endpoint(&remote, env(only_http)),
            ProxyChoice::Direct,
            "HTTP_PROXY and ALL_PROXY are never used"
        );
        assert_eq!(
            ProxyChoice::for_endpoint(
                &remote,
                env(&[("https_proxy", "proxy:1"), ("no_proxy", ".internal")])
            ),
            ProxyChoice::Https {
                url: "proxy:1".into(),
                no_proxy: Some(".internal".into())
            }
        );
        assert_eq!(
            ProxyChoice::for_endpoint(&remote, env(ALL)),
            ProxyChoice::Https {
                url: "http://proxy.example:3128".into(),
                no_proxy: None
            }
        );
    }

    /// A loopback "proxy" that records the head of every request it gets and refuses it.
    async fn recording_proxy() -> std::io::Result<(String, tokio::sync::mpsc::Receiver<String>)> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tx.send(String::from_utf8_lossy(&head).into_owned()).await;
                let _ = stream
                    .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
                    .await;
            }
        });
        Ok((format!("http://{addr}"), rx))
    }

    #[tokio::test]
    async fn an_https_request_reaches_the_proxy_only_as_a_connect_tunnel() {
        let (proxy, mut seen) = recording_proxy().await.unwrap_or_else(|e| panic!("{e}"));
        let base = url("https://api.example.test/api/v0");
        let vars = [
            ("HTTPS_PROXY", proxy.as_str()),
            ("HTTP_PROXY", proxy.as_str()),
        ];
        let choice = ProxyChoice::for_endpoint(&base, env(&vars));
        let client = choice
            .apply(reqwest::Client::builder())
            .and_then(|b| b.build().map_err(|e| e.to_string()))
            .unwrap_or_else(|e| panic!("{e}"));
        let sent = client
            .get("https://api.example.test/api/v0/accounts/a/clusters/c/tokens")
            .bearer_auth("mgmt-SECRET-token")
            .send()
            .await;
        assert!(sent.is_err(), "the proxy refused the tunnel: {sent:?}");
        let head = seen.recv().await.unwrap_or_default();
        assert!(
            head.starts_with("CONNECT api.example.test:443 HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(
            !head.contains("SECRET") && !head.to_ascii_lowercase().contains("authorization"),
            "{head}"
        );
    }

    #[test]
    fn a_bad_proxy_url_names_the_variable_not_the_value() {
        let choice = ProxyChoice::Https {
            url: "http://user:SECRET@[bad".into(),
            no_proxy: None,
        };
        let err = choice
            .apply(reqwest::Client::builder())
            .err()
            .unwrap_or_default();
        assert!(
            err.contains("HTTPS_PROXY") && !err.contains("SECRET"),
            "{err}"
        );
    }
}
