//! Action types (Terraform 1.14+): operations a run performs without keeping state.

pub mod revoke_database_tokens;

pub use revoke_database_tokens::RevokeDatabaseTokens;
