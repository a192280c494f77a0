//! The `influxdb3_database_token` list resource: the tokens of the provider's cluster, one
//! list call per query, filtered by `include_revoked` and `description_prefix`, so that
//! `terraform query` can show which live tokens no configuration manages.

use async_trait::async_trait;

use crate::framework::{Attribute, Declaration, Declare, ListResource, ListedObject, Schema, attr};
use crate::model::{Call, ProviderContext};
use crate::tokens::model::{self as token, TokenValue};
use crate::value::{Type, Value};

/// The list resource type.
#[derive(Debug, Default)]
pub(crate) struct DatabaseTokenList;

#[async_trait]
impl ListResource<ProviderContext> for DatabaseTokenList {
    async fn list(&self, Call { ctx, diags }: Call<'_>, config: &Value) -> Vec<ListedObject> {
        let Some((client, cluster)) = ctx.api(diags) else {
            return Vec::new();
        };
        let include_revoked = matches!(attr(config, "include_revoked"), Value::Bool(true));
        let prefix = attr(config, "description_prefix")
            .as_str()
            .unwrap_or("")
            .to_owned();
        // Only the tokens the query returns are kept of the list (a cluster may hold many).
        let wanted = move |t: &crate::api::DatabaseToken| {
            (include_revoked || !t.is_revoked()) && t.description.starts_with(&prefix)
        };
        let mut tokens = match client.list_tokens_keeping(cluster, wanted).await {
            Ok(trusted) => trusted.tokens,
            Err(e) => {
                diags.error("Cannot List Database Tokens", e.to_string());
                return Vec::new();
            }
        };
        tokens.sort_by(|a, b| (&a.description, &a.id).cmp(&(&b.description, &b.id)));
        tokens
            .iter()
            .map(|t| listed(token::state(t, &Value::Null)))
            .collect()
    }
}

impl Declare for DatabaseTokenList {
    const DECLARATION: Declaration = Declaration::new(crate::tokens::TYPE_NAME, schema);
}

fn schema() -> Schema {
    Schema::new(
        "Finds the database tokens of the provider's cluster (one Management API list \
         call per query), to import the ones no configuration manages.",
        vec![
            Attribute::optional("include_revoked", Type::Bool).describe(
                "Also list revoked tokens (default `false`). A revoked token never works \
                 again and cannot be imported; the API lists them only for a while.",
            ),
            Attribute::optional("description_prefix", Type::String)
                .describe("Only tokens whose description starts with this text (case-sensitive)."),
        ],
    )
}

/// A token found by a list, as `terraform query` shows it.
fn listed(state: Value) -> ListedObject {
    ListedObject {
        display_name: TokenValue(&state).display_name(),
        state,
    }
}
