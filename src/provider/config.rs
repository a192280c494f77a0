//! The `provider "influxdb3"` block: its schema, environment fallbacks and validation.
//!
//! Validation runs twice: at `terraform validate` on the block alone (unknown values pass,
//! environment variables are not consulted, so a missing setting is not an error yet), and at
//! configure time on the resolved settings. A missing management token, account or cluster is
//! reported only when a resource or data source actually needs the API.

use super::{incumbent, protected_revocation, protected_tokens};
use crate::api::{
    DEFAULT_ENDPOINT, DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_BASE_DELAY,
    DEFAULT_RETRY_MAX_DELAY, MAX_CREATE_SENDS, MAX_MAX_RETRIES, RETRIED_STATUSES_TEXT,
    RETRY_AFTER_CAP_FACTOR, Secret, looks_secret, shape,
};
use crate::framework::{Attribute, Diagnostics, Schema};
use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::model::context::Settings;
use crate::model::duration::parse_duration;
use crate::model::ids::is_uuid;
use crate::value::{AttributePath, Type, Value};

/// Environment variables, by setting. The first one set wins.
pub const ENV_ACCOUNT_ID: &[&str] = &["INFLUXDB3_ACCOUNT_ID"];
/// See [`ENV_ACCOUNT_ID`].
pub const ENV_CLUSTER_ID: &[&str] = &["INFLUXDB3_CLUSTER_ID"];
/// `INFLUXDB3_TOKEN` is the name the community provider uses; accepted for people moving over.
pub const ENV_MANAGEMENT_TOKEN: &[&str] = &["INFLUXDB3_MANAGEMENT_TOKEN", "INFLUXDB3_TOKEN"];
/// See [`ENV_ACCOUNT_ID`].
pub const ENV_ENDPOINT: &[&str] = &["INFLUXDB3_ENDPOINT"];

/// The provider block's schema.
pub fn schema() -> Schema {
    let mut schema = Schema::new(
        "Manages InfluxDB Cloud Dedicated database tokens and databases through the Management API.",
        vec![
            Attribute::optional(ACCOUNT_ID, Type::String).describe(
                "ID (UUID) of the InfluxDB Cloud Dedicated account. Falls back to \
                 `INFLUXDB3_ACCOUNT_ID`.",
            ),
            Attribute::optional(CLUSTER_ID, Type::String).describe(
                "ID (UUID) of the cluster whose tokens and databases this provider manages. Falls \
                 back to `INFLUXDB3_CLUSTER_ID`. Tokens remember the cluster that created them: \
                 pointing the provider at another cluster plans their replacement.",
            ),
            Attribute::optional("management_token", Type::String)
                .sensitive()
                .describe(
                    "Management token used as the Bearer credential of every API call. Falls back \
                     to `INFLUXDB3_MANAGEMENT_TOKEN`, then `INFLUXDB3_TOKEN`. Never logged.",
                ),
            Attribute::optional("endpoint", Type::String).describe(format!(
                "Base URL of the Management API, default `{DEFAULT_ENDPOINT}`. Falls back to \
                 `INFLUXDB3_ENDPOINT`. Must be `https://`, except on a loopback address \
                 (127.0.0.1, ::1, localhost) for local testing, and carry no user name, \
                 password, query string or fragment. Proxies: only `HTTPS_PROXY` and \
                 `NO_PROXY` apply, never to a loopback endpoint."
            )),
            Attribute::optional("request_timeout", Type::String).describe(
                "Time limit of one API request, as a duration such as `30s` or `2m`. Default `30s`.",
            ),
            Attribute::optional("max_retries", Type::Number).describe(max_retries_doc()),
        ],
    );
    schema.attributes.extend(incumbent::attributes());
    schema.attributes.push(protected_revocation::attribute());
    schema.attributes.push(protected_tokens::attribute());
    schema
}

/// The `max_retries` description, built from the client's own limits so the docs cannot drift
/// from them.
fn max_retries_doc() -> String {
    let base = DEFAULT_RETRY_BASE_DELAY.as_millis();
    let cap = DEFAULT_RETRY_MAX_DELAY.as_secs();
    let after = DEFAULT_RETRY_MAX_DELAY
        .saturating_mul(RETRY_AFTER_CAP_FACTOR)
        .as_secs();
    format!(
        "How many times a request that failed transiently is retried: answered HTTP \
         {RETRIED_STATUSES_TEXT} (any other status, 501 and 505 included, is final), timed out, \
         or not connected. A whole number from 0 to {MAX_MAX_RETRIES}; default \
         `{DEFAULT_MAX_RETRIES}`. Each wait is random up to an exponential step ({base} ms, \
         doubling, at most {cap} s); a `Retry-After` from the server is honoured up to {after} s. \
         Creates are sent again only when that cannot make a second token: one answered 429 or \
         unable to connect is sent up to `max_retries` + 1 times ({} by default); one answered \
         503, or whose answer was lost, only after the cluster's lists settled what it made \
         (see Retries and safety), up to {MAX_CREATE_SENDS} sends in all.",
        DEFAULT_MAX_RETRIES + 1
    )
}

/// Checks what is known of the block, without the environment. Used by `terraform validate`.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    incumbent::validate(config, diags);
    protected_revocation::IDS.validate(config, diags);
    protected_tokens::IDS.validate(config, diags);
    if let Some(v) = known_str(config, ACCOUNT_ID) {
        check_uuid(ACCOUNT_ID, v, diags);
    }
    if let Some(v) = known_str(config, CLUSTER_ID) {
        check_uuid(CLUSTER_ID, v, diags);
    }
    if let Some(v) = known_str(config, "endpoint") {
        check_endpoint("endpoint", v, diags);
    }
    if let Some(v) = known_str(config, "management_token")
        && v.trim().is_empty()
    {
        diags.attr_error(
            AttributePath::attr("management_token"),
            "Empty Management Token",
            "management_token is set to an empty string. Set it to a management token, or \
                 remove it to use INFLUXDB3_MANAGEMENT_TOKEN.",
        );
    }
    if let Some(v) = known_str(config, "request_timeout")
        && let Err(msg) = parse_duration(v)
    {
        diags.attr_error(
            AttributePath::attr("request_timeout"),
            "Invalid Request Timeout",
            format!(
                "request_timeout {v:?} {msg}. Write a duration such as \"30s\", \"90s\" or \"2m\"."
            ),
        );
    }
    if let Some(v) = config.get_attr("max_retries").and_then(Value::as_number)
        && v.as_i64()
            .filter(|n| (0..=i64::from(MAX_MAX_RETRIES)).contains(n))
            .is_none()
    {
        diags.attr_error(
            AttributePath::attr("max_retries"),
            "Invalid Retry Count",
            format!("max_retries is {v}; use a whole number from 0 to {MAX_MAX_RETRIES}."),
        );
    }
}

/// Resolves the block with environment fallbacks (`env` looks a variable up) and defaults.
/// Returns `None` when a value is still unknown (the provider is then configured later).
pub fn resolve(
    config: &Value,
    env: impl Fn(&str) -> Option<String>,
    diags: &mut Diagnostics,
) -> Option<Settings> {
    if !config.is_wholly_known() {
        return None;
    }
    validate(config, diags);
    let from_env = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| env(n).filter(|v| !v.trim().is_empty()))
    };
    let pick = |name: &str, names: &[&str]| {
        known_str(config, name)
            .map(str::to_owned)
            .or_else(|| from_env(names))
    };
    let account_id = pick(ACCOUNT_ID, ENV_ACCOUNT_ID);
    let cluster_id = pick(CLUSTER_ID, ENV_CLUSTER_ID);
    let management_token = known_str(config, incumbent::TOKEN)
        .map(str::to_owned)
        .or_else(|| pick("management_token", ENV_MANAGEMENT_TOKEN))
        .map(Secret::new);
    // Ours before the incumbent's at each level: block, then environment.
    let from_host = |h: &str| incumbent::endpoint_from_host(h);
    let endpoint = known_str(config, "endpoint")
        .map(str::to_owned)
        .or_else(|| known_str(config, incumbent::HOST).map(from_host))
        .or_else(|| from_env(ENV_ENDPOINT))
        .or_else(|| from_env(&[incumbent::ENV_HOST]).map(|h| from_host(&h)))
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    if known_str(config, incumbent::TYPE).is_none()
        && let Some(kind) = from_env(&[incumbent::ENV_TYPE])
    {
        incumbent::check_type(incumbent::ENV_TYPE, &kind, diags);
    }
    if known_str(config, ACCOUNT_ID).is_none()
        && let Some(v) = &account_id
    {
        check_uuid("INFLUXDB3_ACCOUNT_ID", v, diags);
    }
    if known_str(config, CLUSTER_ID).is_none()
        && let Some(v) = &cluster_id
    {
        check_uuid("INFLUXDB3_CLUSTER_ID", v, diags);
    }
    if known_str(config, "endpoint").is_none() {
        let name = if known_str(config, incumbent::HOST).is_some() {
            incumbent::HOST
        } else {
            "INFLUXDB3_ENDPOINT"
        };
        check_endpoint(name, &endpoint, diags);
    }
    let request_timeout = known_str(config, "request_timeout")
        .and_then(|v| parse_duration(v).ok())
        .unwrap_or(DEFAULT_REQUEST_TIMEOUT);
    let max_retries = config
        .get_attr("max_retries")
        .and_then(Value::as_number)
        .and_then(|n| n.as_i64())
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(DEFAULT_MAX_RETRIES);
    let revoke_protected_token_ids = protected_revocation::IDS.resolve(config, &env, diags);
    let protected_token_ids = protected_tokens::IDS.resolve(config, &env, diags);
    if diags.has_errors() {
        return None;
    }
    Some(Settings {
        account_id,
        cluster_id,
        management_token,
        endpoint: endpoint.trim_end_matches('/').to_owned(),
        request_timeout,
        max_retries,
        revoke_protected_token_ids,
        protected_token_ids,
    })
}

fn known_str<'a>(config: &'a Value, name: &str) -> Option<&'a str> {
    config.get_attr(name).and_then(Value::as_str)
}

/// The path a diagnostic about `name` points at: the attribute, or none for an env variable
/// or when the value itself is a secret (with a path, Terraform quotes the configuration
/// line, and a literal written there with it).
fn path_for(name: &str, secret: bool) -> Option<AttributePath> {
    if name.starts_with("INFLUXDB3_") || secret {
        None
    } else {
        Some(AttributePath::attr(name))
    }
}

fn report(diags: &mut Diagnostics, name: &str, secret: bool, summary: &str, detail: String) {
    match path_for(name, secret) {
        Some(path) => diags.attr_error(path, summary, detail),
        None => diags.error(summary, detail),
    }
}

fn check_uuid(name: &str, v: &str, diags: &mut Diagnostics) {
    if !is_uuid(v) {
        // The value is not echoed: a token pasted into the wrong variable would be printed.
        report(
            diags,
            name,
            looks_secret(v, ""),
            "Invalid UUID",
            format!(
                "{name} must be a UUID such as 11111111-1111-4111-8111-111111111111, got {}. \
                 Copy it from the Cloud Dedicated console or `influxctl` profile.",
                shape(v)
            ),
        );
    }
}

/// Refuses an endpoint that is not a URL, carries credentials, a query string or a fragment,
/// or is plain `http` off loopback. No message quotes the value in full (it may hold a
/// secret); a parsed URL is shown as its scheme and host only.
fn check_endpoint(name: &str, v: &str, diags: &mut Diagnostics) {
    let secret = incumbent::carries_secret(v);
    let url = match reqwest::Url::parse(v) {
        Ok(u) => u,
        Err(e) => {
            report(
                diags,
                name,
                secret,
                "Invalid Endpoint",
                format!(
                    "{name} is not a URL ({e}): got {}. Use for example {DEFAULT_ENDPOINT}.",
                    shape(v)
                ),
            );
            return;
        }
    };
    let shown = format!(
        "{}://{}",
        url.scheme(),
        url.host_str().unwrap_or("(no host)")
    );
    if !url.username().is_empty() || url.password().is_some() {
        report(
            diags,
            name,
            secret,
            "Endpoint With Credentials",
            format!(
                "{name} ({shown}/…) contains a user name or password. Remove them from the URL: \
                 the Management API authenticates with management_token only."
            ),
        );
        return;
    }
    if url.query().is_some() || url.fragment().is_some() {
        report(
            diags,
            name,
            secret,
            "Endpoint With Query String",
            format!(
                "{name} ({shown}/…) has a query string or fragment (after `?` or `#`). Remove \
                 it: the endpoint is the Management API's base URL, such as {DEFAULT_ENDPOINT}."
            ),
        );
        return;
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let ok = match url.scheme() {
        "https" => url.host().is_some(),
        "http" => loopback,
        _ => false,
    };
    if !ok {
        report(
            diags,
            name,
            secret,
            "Insecure Or Invalid Endpoint",
            format!(
                "{name} ({shown}/…) must be an https:// URL (plain http is allowed only on a \
                 loopback address such as http://127.0.0.1:8080/api/v0), since the management \
                 token travels with every request."
            ),
        );
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn config(pairs: &[(&str, Value)]) -> Value {
        schema().value_with(pairs.iter().map(|(name, value)| (*name, value.clone())))
    }

    fn s(v: &str) -> Value {
        Value::String(v.to_owned())
    }

    const A: &str = "11111111-1111-4111-8111-111111111111";

    /// The limits the `max_retries` description promises are the ones validation and the
    /// client apply (the page once said nothing of them).
    #[test]
    fn max_retries_accepts_what_its_description_says() {
        let doc = max_retries_doc();
        for said in [
            "from 0 to 20",
            "(250 ms, doubling, at most 8 s)",
            "up to 32 s",
            "6 sends",
        ] {
            assert!(doc.contains(said), "{said}: {doc}");
        }
        let problems = |n: i64| {
            let mut d = Diagnostics::new();
            validate(
                &config(&[(
                    "max_retries",
                    Value::Number(crate::value::Number::from_i64(n)),
                )]),
                &mut d,
            );
            d.iter().count()
        };
        assert_eq!((problems(0), problems(20)), (0, 0));
        assert_eq!((problems(-1), problems(21)), (1, 1));
        let client = crate::api::ClientConfig::new("https://x", Secret::new("t"));
        assert_eq!(
            (
                client.retry_base_delay.as_millis(),
                client.retry_max_delay.as_secs()
            ),
            (250, 8)
        );
    }

    #[test]
    fn bad_values_are_reported_with_their_attribute_path() {
        let mut d = Diagnostics::new();
        validate(
            &config(&[
                ("account_id", s("nope")),
                ("endpoint", s("http://example.com/api/v0")),
            ]),
            &mut d,
        );
        let paths: Vec<String> = d
            .iter()
            .filter_map(|x| x.path.as_ref().map(|p| p.to_string()))
            .collect();
        assert_eq!(paths, vec!["account_id", "endpoint"]);
    }

    #[test]
    fn unknown_and_absent_values_pass_validation() {
        let mut d = Diagnostics::new();
        validate(&config(&[("account_id", Value::Unknown)]), &mut d);
        validate(&config(&[]), &mut d);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn loopback_http_is_allowed_for_local_testing() {
        for ok in [
            "http://127.0.0.1:9/api/v0",
            "http://localhost/api/v0",
            "http://[::1]:8/x",
            DEFAULT_ENDPOINT,
        ] {
            let mut d = Diagnostics::new();
            validate(&config(&[("endpoint", s(ok))]), &mut d);
            assert!(d.is_empty(), "{ok}: {d:?}");
        }
    }

    #[test]
    fn the_environment_fills_what_the_block_leaves_out() {
        let env = |k: &str| match k {
            "INFLUXDB3_ACCOUNT_ID" | "INFLUXDB3_CLUSTER_ID" => Some(A.to_owned()),
            "INFLUXDB3_TOKEN" => Some("from-legacy-name".to_owned()),
            _ => None,
        };
        let mut d = Diagnostics::new();
        let s = resolve(&config(&[]), env, &mut d).expect("settings");
        assert_eq!(s.account_id.as_deref(), Some(A));
        assert_eq!(
            s.management_token.as_ref().map(Secret::expose),
            Some("from-legacy-name")
        );
        assert_eq!(s.endpoint, DEFAULT_ENDPOINT);
        assert!(
            !format!("{s:?}").contains("from-legacy-name"),
            "Debug hides the token"
        );
    }

    #[test]
    fn the_block_wins_over_the_environment() {
        let env = |k: &str| {
            (k == "INFLUXDB3_ACCOUNT_ID").then(|| "22222222-2222-4222-8222-222222222222".to_owned())
        };
        let mut d = Diagnostics::new();
        let s = resolve(&config(&[("account_id", s(A))]), env, &mut d).expect("settings");
        assert_eq!(s.account_id.as_deref(), Some(A));
    }

    #[test]
    fn a_bad_environment_value_is_an_error_naming_the_variable() {
        let env = |k: &str| (k == "INFLUXDB3_CLUSTER_ID").then(|| "bad".to_owned());
        let mut d = Diagnostics::new();
        assert!(resolve(&config(&[]), env, &mut d).is_none());
        assert!(d.iter().any(|x| x.detail.contains("INFLUXDB3_CLUSTER_ID")));
    }

    #[test]
    fn the_incumbents_block_resolves_to_our_settings() {
        let mut d = Diagnostics::new();
        let block = config(&[
            ("token", s("incumbent-token")),
            ("type", s("cloud")),
            ("host", s("http://127.0.0.1:9")),
        ]);
        let got = resolve(&block, |_| None, &mut d).expect("settings");
        assert_eq!(got.endpoint, "http://127.0.0.1:9/api/v0");
        assert_eq!(
            got.management_token.as_ref().map(Secret::expose),
            Some("incumbent-token")
        );
        assert!(!d.has_errors(), "{d:?}");
        let env = |k: &str| match k {
            "INFLUXDB3_HOST" => Some("http://localhost:8".to_owned()),
            "INFLUXDB3_TYPE" => Some("core".to_owned()),
            _ => None,
        };
        let mut d = Diagnostics::new();
        assert!(
            resolve(&config(&[]), env, &mut d).is_none(),
            "core is refused"
        );
        assert!(
            d.iter().any(|x| x.detail.contains("INFLUXDB3_TYPE")),
            "{d:?}"
        );
    }

    #[test]
    fn endpoints_with_credentials_or_a_query_fail_validate_without_echoing_them() {
        for (endpoint, summary) in [
            (
                "https://user:PASSWORD@example.com/api/v0",
                "Endpoint With Credentials",
            ),
            (
                "https://PASSWORD@example.com/api/v0",
                "Endpoint With Credentials",
            ),
            (
                "https://example.com/api/v0?token=PASSWORD",
                "Endpoint With Query String",
            ),
            (
                "https://example.com/api/v0#PASSWORD",
                "Endpoint With Query String",
            ),
            (
                "http://example.com/PASSWORD",
                "Insecure Or Invalid Endpoint",
            ),
        ] {
            let mut d = Diagnostics::new();
            validate(&config(&[("endpoint", s(endpoint))]), &mut d);
            let all: Vec<_> = d.iter().collect();
            assert_eq!(all.len(), 1, "{endpoint}: {d:?}");
            assert_eq!(all[0].summary, summary, "{endpoint}");
            assert!(!format!("{d:?}").contains("PASSWORD"), "{endpoint}: {d:?}");
        }
    }

    #[test]
    fn a_token_in_the_wrong_variable_is_described_by_its_shape_only() {
        let token = "apiv1_Zk3pQ9rT2vX8wY1aB4cD6eF0gH5iJ7kL9mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF";
        let env = move |k: &str| {
            matches!(k, "INFLUXDB3_ACCOUNT_ID" | "INFLUXDB3_ENDPOINT").then(|| token.to_owned())
        };
        let mut d = Diagnostics::new();
        assert!(resolve(&config(&[("cluster_id", s(token))]), env, &mut d).is_none());
        let summaries: Vec<&str> = d.iter().map(|x| x.summary.as_str()).collect();
        assert_eq!(
            summaries,
            ["Invalid UUID", "Invalid UUID", "Invalid Endpoint"]
        );
        let shown = format!("{d:?}");
        assert!(!shown.contains(&token[6..20]), "{shown}");
        assert!(
            shown.contains(&format!("{}-character", token.len())),
            "{shown}"
        );
    }
}
