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

pub(crate) mod cluster;
pub(crate) mod context;
pub(crate) mod database;
pub(crate) mod database_name;
pub(crate) mod duration;
pub(crate) mod ephemeral_token;
pub(crate) mod identity;
pub(crate) mod ids;
pub(crate) mod instant;
pub(crate) mod permissions;
pub(crate) mod protection;
pub(crate) mod retention;
pub(crate) mod retention_hint;
pub(crate) mod table;
pub(crate) mod template;
pub(crate) mod template_json;
pub(crate) mod token;
pub(crate) mod token_rules;

pub(crate) use context::ProviderContext;
