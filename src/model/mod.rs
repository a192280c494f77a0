//! The typed model of the provider's Terraform objects, between the value codec and API client
//! below and the resources and data sources above.
//!
//! Every attribute name is defined once here (a constant in the module of the object that has
//! it), read through a typed view ([`token::TokenValue`], [`database::DatabaseValue`]) and
//! written by a state builder, so a misspelt name is a compile error rather than a silent null.
//! The rules more than one type follows live here too: where an object lives
//! ([`cluster`]), deletion protection ([`protection`]), timestamps ([`instant`]) and permission
//! sets ([`permissions`]). [`context::ProviderContext`] is what a configured provider hands every
//! resource and data source.

pub mod cluster;
pub mod context;
pub mod database;
pub mod database_name;
pub mod identity;
pub mod ids;
pub mod instant;
pub mod permissions;
pub mod protection;
pub mod retention;
pub mod template;
pub mod token;

pub use context::{ProviderContext, Settings};
