//! The go-plugin process contract around the tfplugin6 server: handshake, AutoMTLS with the
//! host's certificate pinned, the controller services, and debug (reattach) mode.

pub mod accept;
pub mod controller;
pub mod handshake;
pub mod listen;
pub mod serve;
pub mod tls;

pub use serve::{LaunchEnv, PROVIDER_ADDRESS, PluginError, serve_debug, serve_launched};
