//! Rename and undelete of a database (`PUT …/databases/{name}/rename`,
//! `PUT …/databases/{id}/undelete`).

use reqwest::Method;

use super::Client;
use super::database_models::Database;
use super::error::{ApiError, CallContext};
use super::models::Cluster;

impl Client {
    /// Renames a live database. The answer carries the numeric `id`. A taken `new_name` is
    /// [`ApiError::Conflict`] with the API's message, and nothing changed.
    ///
    /// The call is retried like an idempotent one. When an attempt's answer is lost after the
    /// rename was done, the retry meets 404 (the old name is gone); so a 404, or a failure
    /// after every retry, is checked against a fresh list: old name absent and new name present
    /// means the rename happened, and the listed database (without `id`) is returned.
    pub async fn rename_database(
        &self,
        cluster: &Cluster,
        name: &str,
        new_name: &str,
    ) -> Result<Database, ApiError> {
        let ctx = CallContext {
            op: format!("rename the database {name:?} of {cluster} to {new_name:?}"),
            what: format!("database {name:?} in {cluster}"),
        };
        let call = self.rename_call(cluster, &["databases", name], new_name, ctx)?;
        let sent = self
            .send_write(&call, cluster, &self.0.database_cache)
            .await;
        let cause = match sent {
            Ok(reply) => return self.decode(&call.ctx, &reply.body, false),
            Err(e) if e.is_definite_refusal() && !e.is_not_found() => return Err(e),
            Err(e) => e,
        };
        match self.list_databases(cluster).await {
            Ok(listed) if !listed.iter().any(|d| d.name == name) => {
                listed.into_iter().find(|d| d.name == new_name).ok_or(cause)
            }
            _ => Err(cause),
        }
    }

    /// Restores a soft-deleted database by its numeric id (only the rename and undelete
    /// answers, and `influxctl`, show it). 404 when nothing with that id can be undeleted.
    pub async fn undelete_database(
        &self,
        cluster: &Cluster,
        id: i64,
    ) -> Result<Database, ApiError> {
        let id_text = id.to_string();
        let ctx = CallContext {
            op: format!("undelete the database with id {id} of {cluster}"),
            what: format!("deleted database with id {id} in {cluster}"),
        };
        let call = self.call(
            Method::PUT,
            cluster,
            &["databases", &id_text, "undelete"],
            None,
            ctx,
        )?;
        self.write_database(&call, cluster).await
    }
}
