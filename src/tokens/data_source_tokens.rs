//! Data source `influxdb3_database_tokens`: every token of the provider's cluster.

use async_trait::async_trait;

use crate::api::DatabaseToken;
use crate::framework::{Attribute, DataSource, Declaration, Declare, Schema};
use crate::model::{Call, ProviderContext};
use crate::tokens::model::{
    DESCRIPTION_PREFIX, INCLUDE_REVOKED, TOKENS, description_prefix, include_revoked, listed_types,
    tokens_state,
};
use crate::value::{Type, Value};

use crate::model::data_source as common;

/// The data source type.
#[derive(Debug, Default)]
pub(crate) struct DatabaseTokensDataSource;

#[async_trait]
impl DataSource<ProviderContext> for DatabaseTokensDataSource {
    async fn read(&self, Call { ctx, diags }: Call<'_>, config: &Value) -> Option<Value> {
        let include_revoked = include_revoked(config);
        let prefix = description_prefix(config);
        let wanted = move |t: &DatabaseToken| {
            (include_revoked || !t.is_revoked())
                && prefix
                    .as_deref()
                    .is_none_or(|p| t.description.starts_with(p))
        };
        let (tokens, _) = common::tokens(ctx, wanted, diags).await?;
        let mut listed: Vec<_> = tokens.iter().collect();
        listed.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Some(tokens_state(config, listed))
    }
}

impl Declare for DatabaseTokensDataSource {
    const DECLARATION: Declaration = Declaration::new(crate::tokens::PLURAL_TYPE_NAME, schema);
}

fn schema() -> Schema {
    Schema::new(
        "Lists the database tokens of the provider's cluster, oldest first, without their \
         access tokens (the API returns an access token only when it creates it).",
        vec![
            Attribute::optional(INCLUDE_REVOKED, Type::Bool).describe(
                "Also list revoked tokens (with `revoked_at` set), when the API still \
                 returns them. Default `false`.",
            ),
            Attribute::optional(DESCRIPTION_PREFIX, Type::String).describe(
                "Only list tokens whose description starts with this text (case \
                 sensitive), such as `device-` for per-device tokens. The provider keeps \
                 only the tokens it returns, so in a large cluster a prefix keeps the \
                 answer, the state and the memory of the plan small.",
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
