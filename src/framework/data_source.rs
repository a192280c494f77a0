//! What a data source type implements.

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::schema::Schema;
use crate::value::Value;

/// A data source type: read-only, evaluated at plan time when its configuration is known.
#[async_trait]
pub trait DataSource<C: Send + Sync>: Send + Sync {
    /// The Terraform type name.
    fn type_name(&self) -> &'static str;

    /// The schema. Called once when the server starts.
    fn schema(&self) -> Schema;

    /// Checks the configuration without calling any API; values may be unknown.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Reads the data for `config`; returns the whole object, computed attributes filled.
    async fn read(&self, ctx: &C, config: &Value, diags: &mut Diagnostics) -> Option<Value>;
}
