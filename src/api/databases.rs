//! Database endpoints (tests/data/openapi/cloud-dedicated-management.yml).

use std::sync::Arc;

use reqwest::Method;

use super::create_retry::{CreateSends, Sent};
use super::database_models::{CreateDatabaseRequest, Database, DatabaseSettings};
use super::database_trust::trusted_databases;
use super::error::{ApiError, CallContext};
use super::http::{Call, delete_outcome};
use super::models::{Cluster, DeleteOutcome};
use super::{Client, to_body};

fn database_ctx(verb: &str, cluster: &Cluster, name: &str) -> CallContext {
    CallContext {
        op: format!("{verb} the database {name:?} of {cluster}"),
        what: format!("database {name:?} in {cluster}"),
    }
}

impl Client {
    /// Lists the cluster's databases with a fresh GET (no cache), as far as the list can be
    /// trusted (see `database_trust`). The list is read while it arrives, like a token list
    /// (see `list_stream`), and kept whole: a cluster holds at most a few hundred databases,
    /// and every read of one needs the others' names (renames, conflicts).
    pub async fn list_databases(&self, cluster: &Cluster) -> Result<Vec<Database>, ApiError> {
        let ctx = CallContext::on_cluster(format!("list the databases of {cluster}"), cluster);
        let call = self.call(Method::GET, cluster, &["databases"], None, ctx)?;
        let databases: Vec<Database> = self.send_list(&call, Vec::new).await?;
        Ok(trusted_databases(cluster, databases))
    }

    /// The cluster's database list from the shared cache; see [`Client::cached_token_index`].
    pub async fn cached_databases(
        &self,
        cluster: &Cluster,
    ) -> Result<Arc<Vec<Database>>, ApiError> {
        self.0
            .database_cache
            .get(cluster, || self.list_databases(cluster))
            .await
    }

    /// Creates a database. A taken name is [`ApiError::Conflict`]. When the outcome is unknown
    /// (timeout, connection lost, 5xx, unreadable 200) the client lists the cluster: if the
    /// database is there it is returned as a success, else the error is
    /// [`ApiError::CreateUnconfirmed`]. A create answered 503 whose reconcile proves nothing
    /// was made is sent again instead, like a token create (see `create_retry`); should it
    /// have been made after all, the name is taken and the next send answers 409.
    pub async fn create_database(
        &self,
        cluster: &Cluster,
        req: &CreateDatabaseRequest,
    ) -> Result<Database, ApiError> {
        let ctx = database_ctx("create", cluster, &req.name);
        let call = self.call(
            Method::POST,
            cluster,
            &["databases"],
            Some(to_body(req)?),
            ctx,
        )?;
        let mut sends = CreateSends::new();
        loop {
            let sent = sends.send(self, &call).await;
            self.0.database_cache.invalidate(cluster);
            let (cause, retryable) = match sent? {
                Sent::Answered(reply) => {
                    match self.decode::<Database>(&call.ctx, &reply.body, false) {
                        Ok(db) => return Ok(db),
                        Err(e) => (e, false),
                    }
                }
                Sent::Unknown { cause, may_resend } => (cause, may_resend),
            };
            tracing::debug!(cluster = %cluster, "database create outcome unknown; reconciling");
            match self
                .reconcile_database_create(cluster, &req.name, cause)
                .await
            {
                Ok(db) => return Ok(db),
                Err(outcome) => sends.again(self, retryable, outcome).await?,
            }
        }
    }

    /// Changes a database's limits or retention. At least one field of `req` must be set.
    pub async fn update_database(
        &self,
        cluster: &Cluster,
        name: &str,
        req: &DatabaseSettings,
    ) -> Result<Database, ApiError> {
        if *req == DatabaseSettings::default() {
            return Err(ApiError::InvalidInput(
                "update_database needs max_tables, max_columns_per_table or retention_period"
                    .into(),
            ));
        }
        let ctx = database_ctx("update", cluster, name);
        let call = self.call(
            Method::PATCH,
            cluster,
            &["databases", name],
            Some(to_body(req)?),
            ctx,
        )?;
        self.write_database(&call, cluster).await
    }

    /// Sends a write to one database (retried like every idempotent call) and reads the
    /// database the answer holds.
    pub(super) async fn write_database(
        &self,
        call: &Call,
        cluster: &Cluster,
    ) -> Result<Database, ApiError> {
        let sent = self.send_write(call, cluster, &self.0.database_cache).await;
        self.decode(&call.ctx, &sent?.body, false)
    }

    /// Deletes a database (soft delete on the server: the name stays taken for a while).
    /// 404 is success ([`DeleteOutcome::AlreadyGone`]).
    ///
    /// When the retries run out, an earlier attempt may have deleted it with its answer lost;
    /// there is no read by name, so a fresh list decides: a database no longer listed is gone.
    /// A listed one (or a failed list) keeps the error, and the database stays in the state.
    pub async fn delete_database(
        &self,
        cluster: &Cluster,
        name: &str,
    ) -> Result<DeleteOutcome, ApiError> {
        let ctx = database_ctx("delete", cluster, name);
        let call = self.call(Method::DELETE, cluster, &["databases", name], None, ctx)?;
        let sent = self
            .send_write(&call, cluster, &self.0.database_cache)
            .await;
        delete_outcome(sent, |e| async move {
            match self.list_databases(cluster).await {
                Ok(listed) if !listed.iter().any(|d| d.name == name) => {
                    Ok(DeleteOutcome::AlreadyGone)
                }
                _ => Err(e),
            }
        })
        .await
    }
}
