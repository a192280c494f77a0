//! What a data source type implements.

use async_trait::async_trait;

use super::call::Call;
use super::declaration::Declared;
use crate::value::Value;

/// A data source type: read-only, evaluated at plan time when its configuration is known. Its
/// name, schema and checks are [`Declared`].
#[async_trait]
pub trait DataSource<C: Send + Sync>: Declared + Send + Sync {
    /// Reads the data for `config`; returns the whole object, computed attributes filled.
    async fn read(&self, call: Call<'_, C>, config: &Value) -> Option<Value>;
}
