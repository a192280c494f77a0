//! Data source `influxdb3_database_token`: one token of the provider's cluster, by id.

use async_trait::async_trait;

use crate::framework::{DataSource, Declaration, Declare, Diagnostics, Schema};
use crate::model::home::TOKEN;
use crate::model::ids::is_uuid;
use crate::model::{Call, ProviderContext};
use crate::tokens::model::{
    ID, LISTED_DOCS, TokenValue, listed_attrs, listed_types, revoked_at_text,
};
use crate::value::{AttributePath, Value};

use crate::model::data_source::one_by;

/// The data source type.
#[derive(Debug, Default)]
pub(crate) struct DatabaseTokenDataSource;

#[async_trait]
impl DataSource<ProviderContext> for DatabaseTokenDataSource {
    async fn read(&self, Call { ctx, diags }: Call<'_>, config: &Value) -> Option<Value> {
        let id = TokenValue(config).id()?.trim().to_owned();
        // One token is read by id: no list, whose size is the cluster's, is fetched for it.
        let (client, cluster) = ctx.api(diags)?;
        let problem = match client.get_token(cluster, &id).await {
            Ok(t) if t.is_revoked() => {
                format!("was revoked at {}", revoked_at_text(t.revoked_at))
            }
            Ok(t) => return Some(Value::Object(listed_attrs(&t))),
            Err(e) if e.is_not_found() => "does not exist".to_owned(),
            Err(e) => {
                diags.error(TOKEN.doing("read").summary(), format!("{e}."));
                return None;
            }
        };
        diags.attr_error(
            AttributePath::attr(ID),
            "Database Token Not Found",
            format!(
                "The database token {id:?} {problem} in {cluster}. Check the ID, and that the \
                 provider's account_id and cluster_id name the token's cluster; \
                 `data.influxdb3_database_tokens` lists the tokens there."
            ),
        );
        None
    }
}

impl Declare for DatabaseTokenDataSource {
    const DECLARATION: Declaration =
        Declaration::new(crate::tokens::TYPE_NAME, schema).validated_by(validate);
}

fn schema() -> Schema {
    one_by(
        "Reads one active database token of the provider's cluster by ID. The access token \
         itself is never available: the API returns it only once, when the token is \
         created. A token that does not exist or is revoked is an error.",
        (
            ID,
            "The ID (UUID) of the token to read, in the provider's cluster.",
        ),
        listed_types(),
        LISTED_DOCS,
    )
}

/// An id that is no UUID (often the token's description) can never match: say what an id
/// looks like at validate, rather than "does not exist" after listing the cluster.
fn validate(config: &Value, diags: &mut Diagnostics) {
    if let Some(id) = TokenValue(config).id()
        && !is_uuid(id.trim())
    {
        diags.attr_error(
            AttributePath::attr(ID),
            "Invalid Token ID",
            format!(
                "{id:?} is not a token id. A token is read by its id, a UUID such as \
                 \"11111111-2222-4333-8444-555555555555\" (the Admin UI and `influxctl \
                 token list` show it); to find one by description, filter \
                 `data.influxdb3_database_tokens`."
            ),
        );
    }
}
