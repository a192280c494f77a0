//! A Terraform/OpenTofu provider for InfluxDB Cloud Dedicated database tokens and databases.
//!
//! Layers, outside in: `resources`/`data_sources` → `model` (typed Terraform objects, attribute
//! names, shared rules, the provider context) → `framework` → `value`, with `api` below `model`;
//! `provider` lists the types and resolves its block; `server` speaks tfplugin6 over the generated `proto` types; `plugin` is the
//! go-plugin process contract. `mock` is an in-memory Management API used by tests, the
//! quickstart and the benchmarks; nothing in the provider depends on it, and it is compiled
//! only with the `mock` feature (on by default).

pub mod actions;
pub mod api;
pub mod crypto;
mod data_sources;
pub mod docs;
pub mod ephemeral;
pub mod framework;
pub mod logging;
#[cfg(feature = "mock")]
pub mod mock;
mod model;
pub mod plugin;
pub mod proto;
pub mod provider;
pub mod resources;
pub mod server;
pub mod value;
