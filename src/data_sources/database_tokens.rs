//! Data source `influxdb3_database_tokens`: every token of the provider's cluster.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::framework::{Attribute, DataSource, Diagnostics, Schema, attr, set_attr};
use crate::provider::ProviderContext;
use crate::value::{Type, Value};

use super::common;
use super::token_value::{token_attrs, token_types};

/// The data source type.
#[derive(Debug, Default)]
pub struct DatabaseTokensDataSource;

#[async_trait]
impl DataSource<ProviderContext> for DatabaseTokensDataSource {
    fn type_name(&self) -> &'static str {
        "influxdb3_database_tokens"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the database tokens of the provider's cluster, oldest first, without their \
             access tokens (the API returns an access token only when it creates it).",
            vec![
                Attribute::optional("include_revoked", Type::Bool).describe(
                    "Also list revoked tokens (with `revoked_at` set), when the API still \
                     returns them. Default `false`.",
                ),
                Attribute::computed("tokens", Type::List(Box::new(Type::Object(token_types()))))
                    .describe(
                        "The tokens, oldest first: `id`, `description`, `permissions` (set of \
                     `{ action, resource }`), `expires_at`, `created_at`, `revoked_at`, \
                     `account_id`, `cluster_id`.",
                    ),
            ],
        )
    }

    async fn read(
        &self,
        ctx: &ProviderContext,
        config: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let include_revoked = attr(config, "include_revoked").as_bool() == Some(true);
        let (tokens, _) = common::tokens(ctx, diags).await?;
        let mut listed: Vec<_> = tokens
            .iter()
            .filter(|t| include_revoked || !t.is_revoked())
            .collect();
        listed.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        let mut state = Value::Object(BTreeMap::from([(
            "include_revoked".to_owned(),
            attr(config, "include_revoked").clone(),
        )]));
        let list = listed
            .into_iter()
            .map(|t| Value::Object(token_attrs(t)))
            .collect();
        set_attr(&mut state, "tokens", Value::List(list));
        Some(state)
    }
}
