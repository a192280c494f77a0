//! A Terraform/OpenTofu provider for InfluxDB Cloud Dedicated database tokens and databases.
//!
//! Layers, outside in: `resources`/`data_sources` → `framework` → `value`; `provider` builds the
//! `api` client; `server` speaks tfplugin6 over the generated `proto` types; `plugin` is the
//! go-plugin process contract. `mock` is an in-memory Management API used by tests, the
//! quickstart and the benchmarks; nothing in the provider depends on it.

pub mod api;
pub mod crypto;
pub mod data_sources;
pub mod docs;
pub mod ephemeral;
pub mod framework;
pub mod logging;
pub mod mock;
pub mod plugin;
pub mod proto;
pub mod provider;
pub mod resources;
pub mod server;
pub mod value;
