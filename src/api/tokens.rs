//! Database token endpoints (tests/data/openapi/cloud-dedicated-management.yml).

use std::sync::Arc;

use reqwest::Method;
use time::OffsetDateTime;

use super::bounds::{BoundedList, MAX_PERMISSIONS_PER_LIST, MAX_TOKENS_PER_LIST};
use super::create_retry::CreateSends;
use super::error::{ApiError, CallContext};
use super::http::CreateFailure;
use super::list_trust::{is_about, trusted_tokens};
use super::models::{
    Cluster, CreateTokenRequest, CreatedToken, DatabaseToken, DeleteOutcome, UpdateTokenRequest,
};
use super::{Client, to_body};

fn token_ctx(verb: &str, cluster: &Cluster, id: &str) -> CallContext {
    CallContext {
        op: format!("{verb} token {id} of {cluster}"),
        what: format!("token {id} in {cluster}"),
    }
}

impl Client {
    /// Lists the cluster's tokens with a fresh GET (no cache). Depending on the server, revoked
    /// tokens are left out or listed with `revoked_at` set; treat both as gone. Entries that
    /// contradict the request (another account or cluster, an id listed twice) are left out
    /// (see `list_trust`); a token missing from the list must be confirmed by
    /// [`Client::get_token`] before it is called gone. An answer over the limits of `bounds`
    /// is an [`ApiError::Decode`].
    pub async fn list_tokens(&self, cluster: &Cluster) -> Result<Vec<DatabaseToken>, ApiError> {
        let ctx = CallContext {
            op: format!("list the tokens of {cluster}"),
            what: cluster.to_string(),
        };
        let call = self.call(Method::GET, cluster, &["tokens"], None, ctx)?;
        let reply = self.send_idempotent(&call).await?;
        let BoundedList(tokens) = self.decode::<BoundedList<DatabaseToken, MAX_TOKENS_PER_LIST>>(
            &call.ctx,
            &reply.body,
            false,
        )?;
        let permissions: usize = tokens.iter().map(|t| t.permissions.len()).sum();
        if permissions > MAX_PERMISSIONS_PER_LIST {
            return Err(ApiError::Decode {
                op: call.ctx.op.clone(),
                detail: format!(
                    "the answer has {permissions} permissions in all, more than the \
                     {MAX_PERMISSIONS_PER_LIST} this provider accepts in one list; the server \
                     or something between it and the provider is misbehaving"
                ),
            });
        }
        Ok(trusted_tokens(cluster, tokens))
    }

    /// The cluster's token list from the shared cache (docs/design.md#decision-5-read-detects-drift-from-the-list): concurrent callers share
    /// one GET, the result is reused while reads come less than `list_cache_ttl` apart (up to
    /// `list_cache_max_age`), and any token write by this client
    /// to the cluster makes the next call list again. Use it for refresh/read; use
    /// [`Client::list_tokens`] when the answer must postdate the call.
    pub async fn cached_tokens(
        &self,
        cluster: &Cluster,
    ) -> Result<Arc<Vec<DatabaseToken>>, ApiError> {
        self.0
            .token_cache
            .get(cluster, || self.list_tokens(cluster))
            .await
    }

    /// Reads one token. A token that does not exist is [`ApiError::NotFound`]; a revoked one
    /// may also come back with `revoked_at` set, depending on the server. An answer about
    /// another id, account or cluster is an [`ApiError::Decode`].
    pub async fn get_token(&self, cluster: &Cluster, id: &str) -> Result<DatabaseToken, ApiError> {
        let ctx = token_ctx("read", cluster, id);
        let call = self.call(Method::GET, cluster, &["tokens", id], None, ctx)?;
        let reply = self.send_idempotent(&call).await?;
        let token: DatabaseToken = self.decode(&call.ctx, &reply.body, false)?;
        if !is_about(&token, cluster, id) {
            // Believed, it would move the state's token elsewhere (see `list_trust`).
            return Err(ApiError::Decode {
                op: call.ctx.op.clone(),
                detail: format!(
                    "the answer is about token {} of cluster {} (account {}), not the one \
                     requested; the state is left as it was",
                    token.id, token.cluster_id, token.account_id
                ),
            });
        }
        Ok(token)
    }

    /// Creates a token; the answer holds its access token, which the API never returns again.
    ///
    /// The request is sent once, except when it provably did not reach the server (connection
    /// refused) or was answered 429. When the outcome is unknown (timeout, connection lost,
    /// 5xx, unreadable 200) the client lists the cluster and returns
    /// [`ApiError::CreateUnconfirmed`]: with `adopted` set when exactly one matching token
    /// appeared (its access token is lost), else with the ids of the candidates. A create
    /// answered 503 whose reconcile proves nothing was made is sent again instead, up to
    /// [`MAX_CREATE_SENDS`](super::create_retry::MAX_CREATE_SENDS) times in all (see
    /// `create_retry`).
    pub async fn create_token(
        &self,
        cluster: &Cluster,
        req: &CreateTokenRequest,
    ) -> Result<CreatedToken, ApiError> {
        let ctx = CallContext {
            op: format!("create the token {:?} in {cluster}", req.description),
            what: cluster.to_string(),
        };
        let call = self.call(Method::POST, cluster, &["tokens"], Some(to_body(req)?), ctx)?;
        let mut sends = CreateSends::new();
        loop {
            let started = OffsetDateTime::now_utc();
            sends.record();
            let sent = self.send_create(&call).await;
            self.0.token_cache.invalidate(cluster);
            let retryable = sent.as_ref().is_err_and(CreateSends::retryable);
            let cause = match sent {
                Ok(reply) => match self.decode::<CreatedToken>(&call.ctx, &reply.body, true) {
                    Ok(created) if !created.access_token.expose().is_empty() => {
                        self.claim_token(&created.token.id);
                        return Ok(created);
                    }
                    Ok(_) => ApiError::Decode {
                        op: call.ctx.op.clone(),
                        detail: "the answer has no accessToken".into(),
                    },
                    Err(e) => e,
                },
                Err(CreateFailure::Definite(e)) => return Err(e),
                Err(CreateFailure::Ambiguous(e) | CreateFailure::Unavailable(e)) => e,
            };
            tracing::debug!(cluster = %cluster, "token create outcome unknown; reconciling");
            let outcome = self
                .reconcile_token_create(cluster, req, started, cause)
                .await;
            sends.again(self, retryable, outcome).await?;
        }
    }

    /// Changes a token's description and/or replaces its permissions. At least one field of
    /// `req` must be set. Retried like every idempotent call.
    pub async fn update_token(
        &self,
        cluster: &Cluster,
        id: &str,
        req: &UpdateTokenRequest,
    ) -> Result<DatabaseToken, ApiError> {
        if req.description.is_none() && req.permissions.is_none() {
            return Err(ApiError::InvalidInput(
                "update_token needs a description or permissions to change".into(),
            ));
        }
        let ctx = token_ctx("update", cluster, id);
        let call = self.call(
            Method::PATCH,
            cluster,
            &["tokens", id],
            Some(to_body(req)?),
            ctx,
        )?;
        let sent = self.send_idempotent(&call).await;
        self.0.token_cache.invalidate(cluster);
        self.decode(&call.ctx, &sent?.body, false)
    }

    /// Revokes a token (immediate and irreversible). 404 is success
    /// ([`DeleteOutcome::AlreadyGone`]), including after a retry whose first answer was lost.
    ///
    /// When the retries run out, an earlier attempt may still have revoked the token (its
    /// answer lost, the later ones 503): the token is then looked up, and a revoked or absent
    /// token is success. Reporting an error would keep a revoked token in the state.
    pub async fn delete_token(
        &self,
        cluster: &Cluster,
        id: &str,
    ) -> Result<DeleteOutcome, ApiError> {
        let ctx = token_ctx("revoke", cluster, id);
        let call = self.call(Method::DELETE, cluster, &["tokens", id], None, ctx)?;
        let sent = self.send_idempotent(&call).await;
        self.0.token_cache.invalidate(cluster);
        match sent {
            Ok(_) => Ok(DeleteOutcome::Revoked),
            Err(e) if e.is_not_found() => Ok(DeleteOutcome::AlreadyGone),
            Err(e) if e.is_definite_refusal() => Err(e),
            Err(e) => match self.get_token(cluster, id).await {
                Ok(token) if token.is_revoked() => Ok(DeleteOutcome::Revoked),
                Err(lookup) if lookup.is_not_found() => Ok(DeleteOutcome::AlreadyGone),
                _ => Err(e),
            },
        }
    }
}
