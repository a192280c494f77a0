//! Logs as hclog JSON lines on stderr, the form go-plugin hosts parse, so each line keeps its
//! level in Terraform's log and `TF_LOG_PROVIDER` filters it.
//!
//! The level comes from `TF_LOG_PROVIDER`, else `TF_LOG` (as terraform-plugin-log does), else
//! `warn`. Nothing secret may be logged anywhere: log ids, paths, statuses and counts, never
//! headers, request or response bodies, or configuration values.

use std::fmt;
use std::io::Write;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// Installs the global subscriber. Safe to call more than once (later calls do nothing).
pub fn init() {
    let level = level_from_env(
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    // Libraries (h2, hyper, rustls) log every frame at trace level: keep them at warn so that
    // TF_LOG_PROVIDER=trace shows the provider's own story, not the transport's.
    let filter = tracing_subscriber::filter::Targets::new()
        .with_default(Level::WARN.min(level))
        .with_target(env!("CARGO_CRATE_NAME"), level);
    let _ = tracing_subscriber::registry()
        .with(HclogJson.with_filter(filter))
        .try_init();
}

/// Maps Terraform's level names (`TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `JSON`, `OFF` is
/// treated as error-only) to a tracing level. Unknown or empty names fall back to `warn`.
pub fn level_from_env(provider: Option<&str>, global: Option<&str>) -> Level {
    let name = provider
        .filter(|v| !v.trim().is_empty())
        .or(global.filter(|v| !v.trim().is_empty()));
    match name.map(|v| v.trim().to_ascii_uppercase()).as_deref() {
        Some("TRACE") | Some("JSON") => Level::TRACE,
        Some("DEBUG") => Level::DEBUG,
        Some("INFO") => Level::INFO,
        Some("ERROR") | Some("OFF") => Level::ERROR,
        _ => Level::WARN,
    }
}

struct HclogJson;

impl<S: Subscriber> Layer<S> for HclogJson {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = render(event);
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes());
    }
}

fn render(event: &Event<'_>) -> String {
    let meta = event.metadata();
    let mut fields = FieldCollector::default();
    event.record(&mut fields);
    let mut object = serde_json::Map::new();
    object.insert("@level".into(), hclog_level(*meta.level()).into());
    object.insert("@message".into(), fields.message.unwrap_or_default().into());
    object.insert(
        "@module".into(),
        "provider.terraform-provider-influxdb3".into(),
    );
    object.insert("@timestamp".into(), timestamp().into());
    for (key, value) in fields.fields {
        object.insert(key, value);
    }
    let mut line = serde_json::Value::Object(object).to_string();
    line.push('\n');
    line
}

fn hclog_level(level: Level) -> &'static str {
    match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// hclog's layout, `2006-01-02T15:04:05.000000Z07:00` in Go's notation: exactly six fractional
/// digits. go-plugin parses `@timestamp` with that layout and, when parsing fails, logs the
/// whole line as text at debug level, losing its level (a warning then disappears under
/// `TF_LOG_PROVIDER=warn`). RFC 3339 with nanoseconds does not parse.
const HCLOG_TIMESTAMP: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
);

fn timestamp() -> String {
    format_timestamp(time::OffsetDateTime::now_utc())
}

fn format_timestamp(at: time::OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(HCLOG_TIMESTAMP)
        .unwrap_or_default()
}

#[derive(Default)]
struct FieldCollector {
    message: Option<String>,
    fields: Vec<(String, serde_json::Value)>,
}

impl Visit for FieldCollector {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = Some(value.to_owned());
        } else {
            self.fields.push((field.name().to_owned(), value.into()));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields.push((field.name().to_owned(), value.into()));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.push((field.name().to_owned(), value.into()));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields.push((field.name().to_owned(), value.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_level_wins_over_the_global_one() {
        assert_eq!(level_from_env(Some("debug"), Some("ERROR")), Level::DEBUG);
        assert_eq!(level_from_env(Some(""), Some("TRACE")), Level::TRACE);
        assert_eq!(level_from_env(None, None), Level::WARN);
        assert_eq!(level_from_env(Some("bogus"), None), Level::WARN);
    }

    #[test]
    fn timestamps_have_the_six_fractional_digits_go_plugin_parses() {
        let at = time::macros::datetime!(2026-11-28 07:42:17.336201331 +01:00);
        assert_eq!(format_timestamp(at), "2026-11-28T06:42:17.336201Z");
        let whole = time::macros::datetime!(2026-11-28 07:42:17 UTC);
        assert_eq!(format_timestamp(whole), "2026-11-28T07:42:17.000000Z");
    }
}
