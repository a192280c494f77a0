//! URLs of the Management API: `{endpoint}/accounts/{account}/clusters/{cluster}/…`.

use reqwest::Url;

use super::error::ApiError;
use super::models::Cluster;

/// Parses and checks the configured endpoint. The result has no trailing slash.
pub(crate) fn parse_endpoint(endpoint: &str) -> Result<Url, ApiError> {
    let trimmed = endpoint.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|e| {
        ApiError::Config(format!(
            "endpoint is not a valid URL ({e}): got {}; expected something like \
             https://console.influxdata.com/api/v0",
            super::redact::shape(trimmed)
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(ApiError::Config(format!(
            "endpoint must be an http:// or https:// URL, not {}:",
            url.scheme()
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::Config(format!(
            "endpoint {}://{} must not have a query string or fragment",
            url.scheme(),
            url.host_str().unwrap_or_default()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::Config(
            "endpoint must not contain credentials; set management_token instead".into(),
        ));
    }
    Ok(url)
}

/// `{base}/accounts/{account}/clusters/{cluster}/{tail…}`, each segment percent-encoded (so a
/// database name with `/` stays one segment).
pub(crate) fn cluster_url(base: &Url, cluster: &Cluster, tail: &[&str]) -> Result<Url, ApiError> {
    let segments = [
        "accounts",
        cluster.account_id.as_str(),
        "clusters",
        cluster.cluster_id.as_str(),
    ];
    for segment in segments.iter().chain(tail) {
        if segment.is_empty() || *segment == "." || *segment == ".." {
            return Err(ApiError::InvalidInput(format!(
                "{segment:?} cannot be used as an id or name in a Management API path"
            )));
        }
    }
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| ApiError::Config("endpoint cannot be a base URL".into()))?
        .pop_if_empty()
        .extend(segments.iter().chain(tail));
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_encoded_paths() -> Result<(), ApiError> {
        let base = parse_endpoint("http://h:1/api/v0/")?;
        let c = Cluster::new("a", "c");
        let url = cluster_url(&base, &c, &["databases", "team/metrics %x"])?;
        assert_eq!(
            url.as_str(),
            "http://h:1/api/v0/accounts/a/clusters/c/databases/team%2Fmetrics%20%25x"
        );
        assert!(cluster_url(&base, &c, &["tokens", ".."]).is_err());
        assert!(cluster_url(&base, &Cluster::new("", "c"), &[]).is_err());
        Ok(())
    }

    #[test]
    fn rejects_bad_endpoints() {
        assert!(parse_endpoint("console.influxdata.com").is_err());
        assert!(parse_endpoint("ftp://x/api/v0").is_err());
        assert!(parse_endpoint("https://u:p@x/api/v0").is_err());
        assert!(parse_endpoint("https://console.influxdata.com/api/v0").is_ok());
    }
}
