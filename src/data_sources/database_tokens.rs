//! Data source `influxdb3_database_tokens`: every token of the provider's cluster.

use async_trait::async_trait;

use crate::api::DatabaseToken;
use crate::framework::{Attribute, DataSource, Diagnostics, Schema};
use crate::model::ProviderContext;
use crate::model::token::{INCLUDE_REVOKED, TOKENS, include_revoked, listed_types, tokens_state};
use crate::value::{Type, Value};

use super::common;

/// The data source type.
#[derive(Debug, Default)]
pub(crate) struct DatabaseTokensDataSource;

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
                Attribute::optional(INCLUDE_REVOKED, Type::Bool).describe(
                    "Also list revoked tokens (with `revoked_at` set), when the API still \
                     returns them. Default `false`.",
                ),
                Attribute::computed(TOKENS, Type::List(Box::new(Type::Object(listed_types()))))
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
        let include_revoked = include_revoked(config);
        let wanted = move |t: &DatabaseToken| include_revoked || !t.is_revoked();
        let (tokens, _) = common::tokens(ctx, wanted, diags).await?;
        let mut listed: Vec<_> = tokens.iter().collect();
        listed.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Some(tokens_state(config, listed))
    }
}
