//! An in-memory mock of the InfluxDB Cloud Dedicated Management API (database tokens and
//! databases), for tests, the quickstart and the benchmarks.
//!
//! The mock is deliberately strict (Bearer auth, UUID path checks, body validation,
//! `{"code","message"}` errors) so that a client bug shows up as a failing request instead of
//! being silently accepted. Its wire types are written from the API description in `tests/data/openapi/cloud-dedicated-management.yml`
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
mod connections;
mod control;
mod control_guard;
mod database_body;
mod databases;
mod error;
mod ids;
mod layer;
mod mock_server;
mod model;
mod request_log;
mod router;
mod start_options;
mod state;
mod switches;
mod timefmt;
mod token_body;
mod tokens;
mod wire;

#[cfg(test)]
mod tests;

pub use error::MockError;
pub use mock_server::MockServer;
pub use request_log::RequestRecord;
pub use start_options::MockOptions;
