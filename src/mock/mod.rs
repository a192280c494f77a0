//! An in-memory mock of the InfluxDB Cloud Dedicated Management API (database tokens,
//! databases with rename and soft delete/undelete, and tables), for tests, the quickstart and
//! the benchmarks.
//!
//! The mock is deliberately strict (Bearer auth, UUID path checks, body validation,
//! `{"code","message"}` errors) so that a client bug shows up as a failing request instead of
//! being silently accepted. Its wire types are written from `reference/management-api.md`
//! independently of the provider's API client, so a misreading in the client is not echoed here.
//!
//! Start it in-process with [`MockServer::spawn`] (async tests) or [`MockServer::start`] (sync
//! tests), or run the `influxdb3-mock-api` binary. Besides the API under `/api/v0`, it serves
//! unauthenticated control endpoints under `/__mock/` (request log, state, behaviour switches,
//! reset); that is why it only ever listens on a loopback address.
//!
//! Behaviour switches (see [`MockServer::configure`]) let tests exercise a client's handling of
//! latency, injected error statuses, responses lost after the change was committed, list lag,
//! permission reordering and the two plausible ways the real API shows revoked tokens.

mod access;
mod body;
pub mod cli;
mod config;
mod control;
mod database_body;
mod database_recovery;
mod databases;
mod error;
mod ids;
mod layer;
mod model;
mod options;
mod request_log;
mod router;
mod serve;
mod server;
mod soft_delete;
mod state;
mod table_body;
mod tables;
mod timefmt;
mod token_body;
mod tokens;
mod wire;

#[cfg(test)]
mod tests;

pub use error::MockError;
pub use options::MockOptions;
pub use request_log::RequestRecord;
pub use server::MockServer;
