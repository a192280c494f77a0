//! Deprecated aliases carrying the incumbent provider's resource type names
//! (`influxdb3_token`, `influxdb3_cloud_token`, `influxdb3_cloud_database`).
//!
//! They exist for the route that works on every Terraform and OpenTofu version: after
//! `terraform state replace-provider <incumbent> registry.terraform.io/ironflux/influxdb3`,
//! state entries keep the incumbent's type names, now under this provider. An alias behaves
//! exactly like the type it stands for (same schema, plan and API calls; see
//! [`crate::framework::Alias`]), so the incumbent's state (schema version 0, brought to ours by
//! the target's upgrade chain, which the alias shares) and configuration plan no change. Each configuration gets a warning
//! naming our type and the `moved` block to get there.
//!
//! The incumbent's `influxdb3_database` and `influxdb3_table` need no alias: they are our names
//! too. Its `influxdb3_cloud_table` is an alias of `influxdb3_table` so that its state has a
//! type to land in after `state replace-provider`; its `database_name` argument is accepted as
//! a deprecated spelling of `database`, so its configuration works unchanged too.

use std::sync::Arc;

use crate::framework::{Alias, Deprecation, Resource};
use crate::model::ProviderContext;

pub use crate::databases::TYPE_NAME as DATABASE;
pub use crate::tables::TYPE_NAME as TABLE;
pub use crate::tokens::TYPE_NAME as TOKEN;

/// The incumbent's token type names; each is an alias of `influxdb3_database_token`.
pub const TOKEN_ALIASES: &[&str] = &["influxdb3_token", "influxdb3_cloud_token"];
/// The incumbent's database type names that are not ours; each is an alias of
/// `influxdb3_database`.
pub const DATABASE_ALIASES: &[&str] = &["influxdb3_cloud_database"];
/// The incumbent's table type names that are not ours; each is an alias of `influxdb3_table`.
pub const TABLE_ALIASES: &[&str] = &["influxdb3_cloud_table"];

/// The warning every configuration of a resource alias gets.
pub fn deprecation(alias: &str, target: &str) -> Deprecation {
    Deprecation {
        summary: format!("Deprecated Resource Type {alias}"),
        detail: format!(
            "{alias} is the incumbent provider's name, kept so its state and configuration work \
             unchanged. Rename the resource to {target} and add, for each one, a block such as\n\
             \n  moved {{\n    from = {alias}.NAME\n    to   = {target}.NAME\n  }}\n\n\
             (Terraform 1.8 or later; the move makes no API call{}).",
            match target {
                TOKEN => " and keeps the access token",
                _ => "",
            }
        ),
    }
}

/// The alias types of `ours` (our real resource types, looked up by name), in a stable order.
pub fn all(ours: &[Arc<dyn Resource<ProviderContext>>]) -> Vec<Arc<dyn Resource<ProviderContext>>> {
    let pairs = TOKEN_ALIASES
        .iter()
        .map(|name| (*name, TOKEN))
        .chain(DATABASE_ALIASES.iter().map(|name| (*name, DATABASE)))
        .chain(TABLE_ALIASES.iter().map(|name| (*name, TABLE)));
    pairs
        .filter_map(|(name, target)| {
            let real = ours.iter().find(|r| r.type_name() == target)?;
            let alias: Arc<dyn Resource<ProviderContext>> =
                Arc::new(Alias::new(name, real.clone(), deprecation(name, target)));
            Some(alias)
        })
        .collect()
}
