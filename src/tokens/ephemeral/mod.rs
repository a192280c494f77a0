//! Ephemeral `influxdb3_database_token`: Open creates a token with an expiry (POST, under the
//! managed resource's no-blind-retry and reconcile rules, decision 8), Close revokes it (DELETE
//! with retries; 404 is success). The token's id and cluster travel to Close in Terraform's
//! `private` bytes ([`handle`]); nothing of it reaches plan or state.

mod handle;
mod lifetime;
pub(crate) mod model;
mod schema;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::api::{ApiError, Cluster, CreateTokenRequest, Description};
use crate::framework::{Declaration, Declare, Diagnostics, EphemeralResource, Opened};
use crate::model::instant::timestamp_value;
use crate::model::permissions::permissions;
use crate::model::{Call, ProviderContext};
use crate::tokens::ephemeral::model::{self as ephemeral_token, EphemeralTokenValue};
use crate::tokens::rules as token_rules;
use crate::value::Value;

pub use handle::{HandleError, TokenHandle};
pub use lifetime::{DEFAULT as DEFAULT_LIFETIME, MAX as MAX_LIFETIME};

/// Starts the API description of every ephemeral token, so a reviewer can tell them apart in
/// `influxctl token list` (and revoke leftovers by hand with a filter on it).
pub const MARK: &str = "[ephemeral] ";

/// The ephemeral resource type.
#[derive(Debug, Default)]
pub struct EphemeralDatabaseToken;

#[async_trait]
impl EphemeralResource<ProviderContext> for EphemeralDatabaseToken {
    async fn open(&self, Call { ctx, diags }: Call<'_>, config: &Value) -> Option<Opened> {
        let (client, cluster) = ctx.api(diags)?;
        let expires_in = lifetime::configured(config).unwrap_or(lifetime::DEFAULT);
        let lifetime = match lifetime::parse(expires_in) {
            Ok(d) => d,
            Err(problem) => {
                diags.error(
                    "Invalid Token Lifetime",
                    format!("expires_in {expires_in:?} {problem}."),
                );
                return None;
            }
        };
        let request = CreateTokenRequest {
            description: format!(
                "{MARK}{}",
                EphemeralTokenValue(config)
                    .description()
                    .unwrap_or_default()
            ),
            permissions: permissions(EphemeralTokenValue(config).permissions()),
            expires_at: Some(lifetime::expiry(OffsetDateTime::now_utc(), lifetime)),
        };
        // The description keeps its receipt: nothing compares it with the configuration, and a
        // leftover is then told apart from a managed token by more than its mark.
        match client
            .create_token(cluster, &request, Description::KeepReceipt)
            .await
        {
            Ok(created) => {
                let token = &created.token;
                let expires_at = timestamp_value(token.expires_at.or(request.expires_at));
                // The cluster the request went to, never the one an answer names: the client
                // has checked that they agree, and Close must revoke where the token lives.
                let handle =
                    TokenHandle::new(cluster, &token.id, expires_at.as_str().unwrap_or_default());
                Some(Opened {
                    result: ephemeral_token::opened(config, expires_in, &created, expires_at),
                    private: handle.encode(),
                })
            }
            Err(e) => {
                create_failed(cluster, &request, e, diags);
                None
            }
        }
    }

    async fn close(&self, Call { ctx, diags }: Call<'_>, private: &[u8]) {
        let handle = match TokenHandle::decode(private) {
            Ok(h) => h,
            Err(e) => {
                diags.error(
                    "Cannot Revoke Ephemeral Database Token",
                    format!(
                        "{e}. Look for tokens whose description starts with {MARK:?} in \
                         `influxctl token list` and revoke them by hand; each also expires on \
                         its own."
                    ),
                );
                return;
            }
        };
        let Some(client) = ctx.client(diags) else {
            diags.error(
                "Cannot Revoke Ephemeral Database Token",
                left_behind(&handle),
            );
            return;
        };
        if let Err(e) = client.delete_token(&handle.cluster(), &handle.id).await {
            diags.error(
                "Cannot Revoke Ephemeral Database Token",
                format!("{e}. {}", left_behind(&handle)),
            );
        }
    }
}

impl Declare for EphemeralDatabaseToken {
    const DECLARATION: Declaration =
        Declaration::new(crate::tokens::TYPE_NAME, schema::schema).validated_by(validate);
}

fn validate(config: &Value, diags: &mut Diagnostics) {
    // The managed token's rules for description and permissions (this schema has no
    // expires_at, which that check then skips), plus the lifetime's bounds.
    token_rules::validate(config, diags);
    lifetime::validate(config, diags);
}

/// What a failed Close leaves, and how to clean it up by hand.
fn left_behind(handle: &TokenHandle) -> String {
    format!(
        "The ephemeral database token {} in {} is still active; it stops working on its own at \
         {}. To revoke it now: influxctl token delete {}",
        handle.id,
        handle.cluster(),
        handle.expires_at,
        handle.id
    )
}

/// Reports a create that failed. Terraform will not call Close for an Open that failed, so
/// whatever the create made must be revoked here: the client has already revoked every token
/// carrying the create's receipt that it found; what is reported is a token it found and could
/// not revoke (this run's own, proven by the receipt), or an outcome it could not settle. Either
/// way the token stops working at its expiry.
fn create_failed(
    cluster: &Cluster,
    request: &CreateTokenRequest,
    e: ApiError,
    diags: &mut Diagnostics,
) {
    let expires = timestamp_value(request.expires_at);
    let expires = expires.as_str().unwrap_or("its expiry");
    let Some(token) = e.adopted_token() else {
        diags.error(
            "Cannot Create Ephemeral Database Token",
            format!(
                "{e}. Any token this request may have created stops working on its own at \
                 {expires}."
            ),
        );
        return;
    };
    let handle = TokenHandle::new(cluster, &token.id, expires);
    diags.error(
        "Ephemeral Database Token Created Without Its Access Token",
        format!("{e}. {}", left_behind(&handle)),
    );
}

#[cfg(test)]
pub(crate) mod tests;
