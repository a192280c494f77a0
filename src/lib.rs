//! A Terraform/OpenTofu provider for InfluxDB Cloud Dedicated database tokens and databases.
//!
//! Layers, outside in: `provider` (its block, the families it serves) → the families of types,
//! one folder per domain object (`tokens`, `databases`, `tables`: the object's model and every
//! Terraform kind built on it) → `model` (rules the families share, the provider context) →
//! `framework` → `value`, with `api` below `model`; `server` speaks tfplugin6 over the generated `proto` types; `plugin` is the
//! go-plugin process contract. `mock` is an in-memory Management API used by tests, the
//! quickstart and the benchmarks; nothing in the provider depends on it, and it is compiled
//! only with the `mock` feature (on by default).

pub mod api;
pub mod crypto;
pub mod databases;
pub mod docs;
pub mod framework;
pub mod logging;
#[cfg(feature = "mock")]
pub mod mock;
mod model;
pub mod plugin;
pub mod proto;
pub mod provider;
pub mod server;
pub mod tables;
pub mod tokens;
pub mod value;
