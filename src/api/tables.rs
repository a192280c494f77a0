//! Table endpoints: create, delete, rename, undelete. The API has no table read or list, so
//! unlike tokens and databases nothing here can be checked against a fresh list.

use reqwest::Method;

use super::error::{ApiError, CallContext};
use super::http::{CreateFailure, delete_outcome};
use super::models::{Cluster, DeleteOutcome};
use super::table_models::{CreateTableRequest, Table, TableCreateError};
use super::{Client, to_body};

fn table_ctx(verb: &str, cluster: &Cluster, database: &str, table: &str) -> CallContext {
    CallContext {
        op: format!("{verb} the table {table:?} of database {database:?} in {cluster}"),
        what: format!("table {table:?} of database {database:?} in {cluster}"),
    }
}

impl Client {
    /// Creates a table in a live database (404 when the database is not). A taken name is
    /// [`ApiError::Conflict`]. Sent like every create: never retried once it may have reached
    /// the server; with no list to look in, an unknown outcome is
    /// [`TableCreateError::Unconfirmed`].
    pub async fn create_table(
        &self,
        cluster: &Cluster,
        database: &str,
        req: &CreateTableRequest,
    ) -> Result<Table, TableCreateError> {
        let ctx = table_ctx("create", cluster, database, &req.name);
        let call = to_body(req)
            .and_then(|body| {
                self.call(
                    Method::POST,
                    cluster,
                    &["databases", database, "tables"],
                    Some(body),
                    ctx,
                )
            })
            .map_err(TableCreateError::Refused)?;
        let reply = self.send_create(&call).await.map_err(|e| match e {
            CreateFailure::Definite(e) => TableCreateError::Refused(e),
            CreateFailure::Ambiguous(e) | CreateFailure::Unavailable(e) => {
                TableCreateError::Unconfirmed(e)
            }
        })?;
        self.decode(&call.ctx, &reply.body, false)
            .map_err(TableCreateError::Unconfirmed)
    }

    /// Renames a table; the answer carries its numeric `id`. A taken `new_name` is
    /// [`ApiError::Conflict`]; a table (or database) that is not there is
    /// [`ApiError::NotFound`], which after a lost answer can also mean the rename was done.
    pub async fn rename_table(
        &self,
        cluster: &Cluster,
        database: &str,
        name: &str,
        new_name: &str,
    ) -> Result<Table, ApiError> {
        let mut ctx = table_ctx("rename", cluster, database, name);
        ctx.op.push_str(&format!(" to {new_name:?}"));
        let call = self.rename_call(
            cluster,
            &["databases", database, "tables", name],
            new_name,
            ctx,
        )?;
        let reply = self.send_idempotent(&call).await?;
        self.decode(&call.ctx, &reply.body, false)
    }

    /// Deletes a table (soft: undeletable by id for the recovery window). 404 is success
    /// ([`DeleteOutcome::AlreadyGone`]), also when a lost answer made a retry meet 404.
    pub async fn delete_table(
        &self,
        cluster: &Cluster,
        database: &str,
        name: &str,
    ) -> Result<DeleteOutcome, ApiError> {
        let ctx = table_ctx("delete", cluster, database, name);
        let call = self.call(
            Method::DELETE,
            cluster,
            &["databases", database, "tables", name],
            None,
            ctx,
        )?;
        let sent = self.send_idempotent(&call).await;
        delete_outcome(sent, |e| std::future::ready(Err(e))).await
    }

    /// Restores a soft-deleted table of a live database by its numeric id.
    pub async fn undelete_table(
        &self,
        cluster: &Cluster,
        database: &str,
        id: i64,
    ) -> Result<Table, ApiError> {
        let id_text = id.to_string();
        let ctx = table_ctx("undelete", cluster, database, &format!("#{id}"));
        let call = self.call(
            Method::PUT,
            cluster,
            &["databases", database, "tables", &id_text, "undelete"],
            None,
            ctx,
        )?;
        let reply = self.send_idempotent(&call).await?;
        self.decode(&call.ctx, &reply.body, false)
    }
}
