//! The provider block settings of the incumbent provider (`thulasirajkomminar/influxdb3` v1.7):
//! `token`, `type` and `host`. They are accepted so that a team can switch by changing only the
//! `source` line, and each one carries a deprecation warning saying what to write instead.
//!
//! The incumbent's `host` is a base URL without the API path (its client appends `/api/v0`),
//! so `host = "https://console.influxdata.com"` means our
//! `endpoint = "https://console.influxdata.com/api/v0"`.

use crate::api::shape;
use crate::framework::{Attribute, Diagnostics};
use crate::value::{AttributePath, Type, Value};

/// The incumbent's name for `management_token`.
pub const TOKEN: &str = "token";
/// The incumbent's product selector; only `cloud` is what this provider manages.
pub const TYPE: &str = "type";
/// The incumbent's base URL, mapped to `endpoint`.
pub const HOST: &str = "host";
/// Environment variables of the incumbent's `host` and `type`.
pub const ENV_HOST: &str = "INFLUXDB3_HOST";
/// See [`ENV_HOST`].
pub const ENV_TYPE: &str = "INFLUXDB3_TYPE";

/// The path the Management API lives under, below the incumbent's `host`.
const API_PATH: &str = "/api/v0";

/// The incumbent's product names, the only `type` values a message repeats: anything else
/// may be a secret pasted into the wrong setting, and is described by its shape.
const KNOWN_TYPES: &[&str] = &[
    "cloud",
    "core",
    "enterprise",
    "clustered",
    "serverless",
    "dedicated",
    "cloud-dedicated",
    "cloud-serverless",
];

/// The three deprecated attributes, appended to the provider block's schema.
pub fn attributes() -> Vec<Attribute> {
    vec![
        Attribute::optional(TOKEN, Type::String)
            .sensitive()
            .describe(
                "Deprecated: the incumbent provider's name for `management_token`; write \
                 `management_token` instead. Setting both is an error.",
            ),
        Attribute::optional(TYPE, Type::String).describe(
            "Deprecated, accepted for configurations of the incumbent provider: only `cloud` is \
             allowed (this provider manages Cloud Dedicated); remove it. Falls back to \
             `INFLUXDB3_TYPE`.",
        ),
        Attribute::optional(HOST, Type::String).describe(
            "Deprecated: the incumbent provider's base URL without the API path, e.g. \
             `https://console.influxdata.com`; it means `endpoint = \"<host>/api/v0\"`. Write \
             `endpoint` instead. Falls back to `INFLUXDB3_HOST`. Setting both is an error.",
        ),
    ]
}

/// The endpoint a `host` of the incumbent means: the host with `/api/v0` appended (kept when
/// the host already ends with it).
pub fn endpoint_from_host(host: &str) -> String {
    let base = host.trim().trim_end_matches('/');
    if base.ends_with(API_PATH) {
        base.to_owned()
    } else {
        format!("{base}{API_PATH}")
    }
}

/// Checks the known deprecated settings of the block and warns about each one set.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    let set = |name: &str| !matches!(config.get_attr(name), None | Some(Value::Null));
    if set(TOKEN) {
        if set("management_token") {
            // No attribute path: Terraform would quote the configuration line, and with it a
            // token written literally in the block.
            diags.error(
                "Conflicting Management Tokens",
                "Both token and management_token are set. token is the incumbent provider's \
                 name for management_token: keep only management_token.",
            );
        } else {
            diags.warning(
                "Deprecated Attribute token",
                "token is accepted for configurations of the incumbent provider; write \
                 management_token = ... instead.",
            );
        }
    }
    if let Some(kind) = config.get_attr(TYPE).and_then(Value::as_str) {
        check_type(TYPE, kind, diags);
    }
    if set(HOST) {
        // Neither message repeats the host, and neither carries the attribute path when
        // the host holds a user name, password, query or fragment (Terraform would quote the
        // configuration line): the value may come from a sensitive variable, which the
        // provider cannot tell, and a URL with credentials is a secret itself.
        let host = config.get_attr(HOST).and_then(Value::as_str);
        let path = host
            .is_none_or(|h| !carries_secret(h))
            .then(|| AttributePath::attr(HOST));
        let push = |diags: &mut Diagnostics, warn: bool, summary: &str, detail: &str| match (
            &path, warn,
        ) {
            (Some(p), true) => diags.attr_warning(p.clone(), summary, detail),
            (Some(p), false) => diags.attr_error(p.clone(), summary, detail),
            (None, true) => diags.warning(summary, detail),
            (None, false) => diags.error(summary, detail),
        };
        if set("endpoint") {
            push(
                diags,
                false,
                "Conflicting Endpoints",
                "Both host and endpoint are set. host is the incumbent provider's base URL: keep \
                 only endpoint (host followed by /api/v0).",
            );
        } else if host.is_some() {
            push(
                diags,
                true,
                "Deprecated Attribute host",
                "host is accepted for configurations of the incumbent provider; write endpoint \
                 instead, set to the host followed by /api/v0 (for example endpoint = \
                 \"https://console.influxdata.com/api/v0\" for host = \
                 \"https://console.influxdata.com\").",
            );
        }
    }
}

/// Whether a URL written as `host` (or `endpoint`) holds something that must not be shown: a
/// user name or password, a query string or fragment, or text shaped like a token.
pub fn carries_secret(url: &str) -> bool {
    let shaped = crate::api::looks_secret(url, "");
    match reqwest::Url::parse(url.trim()) {
        Ok(u) => {
            shaped
                || !u.username().is_empty()
                || u.password().is_some()
                || u.query().is_some()
                || u.fragment().is_some()
        }
        // Unparsable: show nothing of it, e.g. `user:pass@host` without a scheme.
        Err(_) => true,
    }
}

/// Accepts `cloud` (with a warning) and refuses every other product. `name` is the attribute
/// or the environment variable the value came from.
pub fn check_type(name: &str, kind: &str, diags: &mut Diagnostics) {
    let known = KNOWN_TYPES.contains(&kind);
    // An unknown value is neither repeated nor pointed at (Terraform would quote the line).
    let path = (name == TYPE && known).then(|| AttributePath::attr(TYPE));
    let shown = if known {
        format!("{kind:?}")
    } else {
        shape(kind)
    };
    if kind == "cloud" {
        let (summary, detail) = (
            "Deprecated Setting type",
            format!(
                "{name} = \"cloud\" is accepted for configurations of the incumbent provider and \
                 has no effect: this provider always manages Cloud Dedicated. Remove it."
            ),
        );
        match path {
            Some(p) => diags.attr_warning(p, summary, detail),
            None => diags.warning(summary, detail),
        }
        return;
    }
    let (summary, detail) = (
        "Unsupported Product Type",
        format!(
            "{name} is {shown}, but this provider manages Cloud Dedicated only (type \"cloud\"); \
             InfluxDB 3 Core and Enterprise are not supported. Remove {name} or set it to \
             \"cloud\"."
        ),
    );
    match path {
        Some(p) => diags.attr_error(p, summary, detail),
        None => diags.error(summary, detail),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn block(pairs: &[(&str, &str)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn texts(d: &Diagnostics) -> String {
        d.iter()
            .map(|x| format!("{:?}", x))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn host_means_the_api_path_below_it() {
        assert_eq!(
            endpoint_from_host("https://console.influxdata.com"),
            "https://console.influxdata.com/api/v0"
        );
        assert_eq!(
            endpoint_from_host("https://console.influxdata.com/"),
            "https://console.influxdata.com/api/v0"
        );
        assert_eq!(
            endpoint_from_host("http://127.0.0.1:9/api/v0/"),
            "http://127.0.0.1:9/api/v0"
        );
    }

    #[test]
    fn each_incumbent_setting_warns_with_what_to_write_instead() {
        let mut d = Diagnostics::new();
        validate(
            &block(&[
                ("token", "t"),
                ("type", "cloud"),
                ("host", "https://console.influxdata.com"),
            ]),
            &mut d,
        );
        assert!(!d.has_errors(), "{}", texts(&d));
        let all = texts(&d);
        assert!(all.contains("write management_token"), "{all}");
        assert!(all.contains("Remove it"), "{all}");
        assert!(
            all.contains("endpoint = \\\"https://console.influxdata.com/api/v0\\\""),
            "{all}"
        );
    }

    #[test]
    fn both_names_set_or_another_product_are_errors() {
        for (pairs, needle) in [
            (
                vec![("token", "a"), ("management_token", "b")],
                "keep only management_token",
            ),
            (
                vec![("host", "https://h"), ("endpoint", "https://h/api/v0")],
                "keep only endpoint",
            ),
            (vec![("type", "core")], "manages Cloud Dedicated only"),
            (vec![("type", "enterprise")], "manages Cloud Dedicated only"),
        ] {
            let mut d = Diagnostics::new();
            validate(&block(&pairs), &mut d);
            assert!(d.has_errors(), "{pairs:?}");
            assert!(texts(&d).contains(needle), "{pairs:?}: {}", texts(&d));
        }
    }
}
