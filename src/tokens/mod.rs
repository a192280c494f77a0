//! Database tokens: the model of a token and every Terraform type built on it (the managed
//! `influxdb3_database_token` and its rotating sibling `influxdb3_rotating_database_token`, its
//! data sources, its ephemeral twin, its list resource and the
//! `influxdb3_revoke_database_tokens` action).
//! Adding a token type is its own file or folder here plus one line in [`register`].

pub mod action_revoke;
pub(crate) mod data_source_token;
pub(crate) mod data_source_tokens;
pub mod ephemeral;
pub(crate) mod list;
pub(crate) mod model;
pub mod resource;
pub mod rotating;
pub(crate) mod rules;

use crate::framework::Registry;
use crate::model::ProviderContext;

/// The name every kind of the token type shares (resource, data source, ephemeral resource,
/// list resource).
pub const TYPE_NAME: &str = "influxdb3_database_token";
/// The data source that lists tokens.
pub const PLURAL_TYPE_NAME: &str = "influxdb3_database_tokens";

/// Adds the token types.
pub(crate) fn register(types: &mut Registry<ProviderContext>) {
    types
        .resource(resource::DatabaseTokenResource)
        .resource(rotating::RotatingDatabaseTokenResource)
        .data_source(data_source_token::DatabaseTokenDataSource)
        .data_source(data_source_tokens::DatabaseTokensDataSource)
        .ephemeral_resource(ephemeral::EphemeralDatabaseToken)
        .list_resource(list::DatabaseTokenList)
        .action(action_revoke::RevokeDatabaseTokens);
}
