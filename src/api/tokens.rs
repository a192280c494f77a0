//! Database token endpoints (tests/data/openapi/cloud-dedicated-management.yml).

use std::sync::Arc;

use reqwest::Method;

use super::create_retry::{CreateSends, Sent};
use super::error::{ApiError, CallContext, CreateKind, Unsettled};
use super::http::delete_outcome;
use super::list_trust::{TokenIndex, TokenSieve, Trusted, is_about};
use super::models::{
    Cluster, CreateTokenRequest, CreatedToken, DatabaseToken, DeleteOutcome, UpdateTokenRequest,
};
use super::receipt::Receipt;
use super::reconcile::{Found, Unconfirmed};
use super::{Client, to_body};

/// Rounds of retried PATCHes that set a new token's description back before the receipt is
/// left in it (each round is one idempotent call with its own retries).
const SETTLE_ROUNDS: u32 = 3;

/// What becomes of a new token's description, which the create sends with a receipt at its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Description {
    /// Set it back to the requested text once the answer is in (a managed token, whose
    /// description is compared with the configuration).
    Restore,
    /// Keep the receipt (a token only this provider ever reads back, such as an ephemeral one).
    KeepReceipt,
}

/// Why a create's 200 cannot be taken as this request's answer, if it cannot: no secret, or a
/// token of another cluster or without this request's receipt (an answer to someone else's
/// request, or one mangled on the way). Such an answer is treated as no answer at all.
fn answer_problem(created: &CreatedToken, cluster: &Cluster, receipt: &Receipt) -> Option<String> {
    let token = &created.token;
    if created.access_token.expose().is_empty() {
        Some("the answer has no accessToken".into())
    } else if !cluster.is(&token.account_id, &token.cluster_id) {
        Some(format!(
            "the answer is about a token of cluster {} (account {}), not of the cluster the \
             request was sent to",
            token.cluster_id, token.account_id
        ))
    } else if !receipt.is_on(&token.description) {
        Some(
            "the answer is about a token this request did not create (its description lacks the \
              request's receipt)"
                .into(),
        )
    } else {
        None
    }
}

/// `token` when the answer is about token `id` of `cluster`; otherwise an [`ApiError::Decode`]:
/// believed, such an answer would move the state's token elsewhere (see `list_trust`).
fn about(
    ctx: &CallContext,
    token: DatabaseToken,
    cluster: &Cluster,
    id: &str,
) -> Result<DatabaseToken, ApiError> {
    if is_about(&token, cluster, id) {
        return Ok(token);
    }
    Err(ApiError::Decode {
        op: ctx.op.clone(),
        detail: format!(
            "the answer is about token {} of cluster {} (account {}), not the one requested; \
             the state is left as it was",
            token.id, token.cluster_id, token.account_id
        ),
    })
}

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
    /// [`Client::get_token`] before it is called gone. The whole list is returned, so memory
    /// grows with the cluster: an operation that needs only some entries uses
    /// [`Client::list_tokens_keeping`].
    pub async fn list_tokens(&self, cluster: &Cluster) -> Result<Vec<DatabaseToken>, ApiError> {
        Ok(self.list_tokens_keeping(cluster, |_| true).await?.tokens)
    }

    /// A fresh list of the cluster's tokens, read while it arrives (see `list_stream`), of
    /// which only the trusted entries `keep` accepts are kept; the result also tells whether
    /// any entry of the whole list was left out as untrustworthy (only a complete list can
    /// prove that a token is absent). An id listed twice is left out wherever its copies are.
    pub(crate) async fn list_tokens_keeping<K>(
        &self,
        cluster: &Cluster,
        keep: K,
    ) -> Result<Trusted, ApiError>
    where
        K: FnMut(&DatabaseToken) -> bool + Clone + Send,
    {
        let call = self.list_call(cluster)?;
        let sieve = self
            .send_list(&call, || TokenSieve::keeping(cluster.clone(), keep.clone()))
            .await?;
        Ok(sieve.finish().0)
    }

    /// A fresh list of the cluster's tokens read into a [`TokenIndex`]: a digest per entry.
    async fn index_tokens(&self, cluster: &Cluster) -> Result<TokenIndex, ApiError> {
        let call = self.list_call(cluster)?;
        let hasher = &self.0.digest_keys;
        let sieve = self
            .send_list(&call, || {
                TokenSieve::indexing(cluster.clone(), hasher.clone())
            })
            .await?;
        Ok(sieve.into_index())
    }

    fn list_call(&self, cluster: &Cluster) -> Result<super::http::Call, ApiError> {
        let ctx = CallContext::on_cluster(format!("list the tokens of {cluster}"), cluster);
        self.call(Method::GET, cluster, &["tokens"], None, ctx)
    }

    /// What a refresh reads tokens from (docs/design.md#decision-5-read-detects-drift-from-the-list):
    /// the cluster's [`TokenIndex`], from the shared cache. Concurrent callers share one GET,
    /// the index is reused while reads come less than `list_cache_ttl` apart (up to
    /// `list_cache_max_age`), and any token write by this client to the cluster makes the next
    /// call list again. A token whose state the index does not confirm is read by id.
    pub async fn cached_token_index(&self, cluster: &Cluster) -> Result<Arc<TokenIndex>, ApiError> {
        self.0
            .token_cache
            .get(cluster, || self.index_tokens(cluster))
            .await
    }

    /// Reads one token. A token that does not exist is [`ApiError::NotFound`]; a revoked one
    /// may also come back with `revoked_at` set, depending on the server. An answer about
    /// another id, account or cluster is an [`ApiError::Decode`].
    pub async fn get_token(&self, cluster: &Cluster, id: &str) -> Result<DatabaseToken, ApiError> {
        let ctx = token_ctx("read", cluster, id);
        let call = self.call(Method::GET, cluster, &["tokens", id], None, ctx)?;
        let reply = self.send_idempotent(&call).await?;
        about(
            &call.ctx,
            self.decode(&call.ctx, &reply.body, false)?,
            cluster,
            id,
        )
    }

    /// Creates a token; the answer holds its access token, which the API never returns again.
    ///
    /// The request carries a fresh receipt at the end of its description (see `receipt`), and
    /// with [`Description::Restore`] the description is set back to `req.description` by a
    /// PATCH once the answer is in. When that PATCH fails the token is still returned, its
    /// description still carrying the receipt (the caller can tell with
    /// [`receipt::found_in`](super::receipt::found_in)); the next update removes it.
    ///
    /// The request is sent once, except when it provably did not reach the server (connection
    /// refused) or was answered 429. When no usable answer comes back (timeout, connection lost,
    /// 5xx, an unreadable 200 or one about another token or cluster), the client looks for the
    /// receipt in fresh lists (`reconcile`):
    /// - tokens carrying it were made by this request and nobody holds their secrets: they are
    ///   revoked and the create is sent again;
    /// - none listed, proven (complete lists over the whole reconcile window) after a 503: the
    ///   create is sent again;
    /// - otherwise [`ApiError::CreateUnconfirmed`] says what is known: not made, made but not
    ///   revocable (the token is in the error, to be kept as tainted state), or unknown (the
    ///   receipt is in the error, to be looked up later).
    ///
    /// A create is sent at most [`MAX_CREATE_SENDS`](super::create_retry::MAX_CREATE_SENDS)
    /// times, all with the same receipt (see `create_retry`).
    pub async fn create_token(
        &self,
        cluster: &Cluster,
        req: &CreateTokenRequest,
        description: Description,
    ) -> Result<CreatedToken, ApiError> {
        let receipt = Receipt::new();
        let body = CreateTokenRequest {
            description: receipt.stamp(&req.description),
            ..req.clone()
        };
        let ctx = CallContext::on_cluster(
            format!("create the token {:?} in {cluster}", req.description),
            cluster,
        );
        let call = self.call(
            Method::POST,
            cluster,
            &["tokens"],
            Some(to_body(&body)?),
            ctx,
        )?;
        let mut sends = CreateSends::new();
        loop {
            let sent = sends.send(self, &call).await;
            self.0.token_cache.invalidate(cluster);
            let (cause, retryable) = match sent? {
                Sent::Answered(reply) => {
                    let unusable = match self.decode::<CreatedToken>(&call.ctx, &reply.body, true) {
                        Ok(created) => match answer_problem(&created, cluster, &receipt) {
                            None => {
                                return Ok(self
                                    .settle_description(cluster, created, req, description)
                                    .await);
                            }
                            Some(detail) => ApiError::Decode {
                                op: call.ctx.op.clone(),
                                detail,
                            },
                        },
                        Err(e) => e,
                    };
                    (unusable, false)
                }
                Sent::Unknown { cause, may_resend } => (cause, may_resend),
            };
            tracing::debug!(cluster = %cluster, "token create unanswered; looking for its receipt");
            let unconfirmed = |outcome: Unsettled| ApiError::CreateUnconfirmed {
                kind: CreateKind::Token,
                name: req.description.clone(),
                receipt: Some(receipt.to_string()),
                outcome,
                cause: Box::new(cause.clone()),
            };
            let (may_resend, outcome) = match self.find_receipt(cluster, &receipt).await {
                // Found and revoked, the create is as if never sent: whatever the cause, it may
                // be sent again.
                Found::Made(tokens) => match self.revoke_unclaimed(cluster, tokens).await {
                    Ok(ids) => (
                        true,
                        Unconfirmed {
                            error: unconfirmed(Unsettled::Revoked { ids }),
                            proven_absent: true,
                        },
                    ),
                    Err(made) => (false, Unconfirmed::open(unconfirmed(made))),
                },
                Found::Absent(absent) => (
                    retryable,
                    Unconfirmed {
                        proven_absent: absent.proven,
                        error: unconfirmed(absent.unsettled()),
                    },
                ),
            };
            sends.again(self, may_resend, outcome).await?;
        }
    }

    /// Revokes the tokens an unanswered create made (each carries its receipt, and nobody ever
    /// held its secret). The first that cannot be revoked is returned as
    /// [`Unsettled::Made`], to be kept in the state.
    async fn revoke_unclaimed(
        &self,
        cluster: &Cluster,
        tokens: Vec<DatabaseToken>,
    ) -> Result<Vec<String>, Unsettled> {
        let mut ids = Vec::new();
        for token in tokens {
            tracing::info!(
                token_id = %token.id,
                "revoking the token an unanswered create made (it carries the create's receipt)"
            );
            if let Err(e) = self.delete_token(cluster, &token.id).await {
                return Err(Unsettled::Made {
                    token: Box::new(token),
                    revoke_error: Box::new(e),
                });
            }
            ids.push(token.id);
        }
        Ok(ids)
    }

    /// Settles a token created with a receipt: with [`Description::Restore`], PATCHes the
    /// description back to what was asked. A failed PATCH leaves the receipt in the
    /// description (logged; the caller sees it there).
    async fn settle_description(
        &self,
        cluster: &Cluster,
        mut created: CreatedToken,
        req: &CreateTokenRequest,
        description: Description,
    ) -> CreatedToken {
        if description == Description::KeepReceipt {
            return created;
        }
        let patch = UpdateTokenRequest {
            description: Some(req.description.clone()),
            permissions: None,
        };
        let mut rounds = 0;
        loop {
            rounds += 1;
            match self.update_token(cluster, &created.token.id, &patch).await {
                Ok(updated) => {
                    created.token = updated;
                    return created;
                }
                // A passing failure gets more rounds of retries than one call allows: the token
                // is made and its secret in hand, so a receipt left now only costs the user
                // another apply, which a few more seconds here avoid.
                Err(e) if e.is_transient() && rounds < SETTLE_ROUNDS => {
                    tracing::debug!(error = %e, "setting the new token's description again");
                }
                Err(e) => {
                    tracing::warn!(
                        token_id = %created.token.id,
                        error = %e,
                        "the new token's description still carries its receipt; the next apply \
                         sets it"
                    );
                    return created;
                }
            }
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
        let sent = self.send_write(&call, cluster, &self.0.token_cache).await;
        about(
            &call.ctx,
            self.decode(&call.ctx, &sent?.body, false)?,
            cluster,
            id,
        )
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
        let sent = self.send_write(&call, cluster, &self.0.token_cache).await;
        delete_outcome(sent, |e| async move {
            match self.get_token(cluster, id).await {
                Ok(token) if token.is_revoked() => Ok(DeleteOutcome::Revoked),
                Err(lookup) if lookup.is_not_found() => Ok(DeleteOutcome::AlreadyGone),
                _ => Err(e),
            }
        })
        .await
    }
}
