//! What an ephemeral resource type implements (Terraform ≥ 1.10, protocol 6.7+): a value that
//! exists for one run only. Terraform opens it when its configuration is known (during plan
//! *and* again during apply), uses the result, and closes it at the end of the run; the result
//! is never written to plan or state.

use async_trait::async_trait;

use super::call::Call;
use super::declaration::Declared;
use crate::value::Value;

/// What a successful open hands back to Terraform.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// The result object (configured attributes as configured, computed ones filled).
    pub result: Value,
    /// Opaque bytes Terraform keeps in memory and passes to close. They are all close gets, so
    /// they must say what to clean up; they never reach plan or state, but must hold no secret
    /// all the same (Terraform may log them).
    pub private: Vec<u8>,
}

/// An ephemeral resource type.
///
/// Terraform calls `validate` at `terraform validate` (values may be unknown) and right before
/// every `open` (values known). `close` runs once per successful `open`, in the same provider
/// process, unless the run is killed; a resource whose close may never run should make what it
/// opened expire on its own.
///
/// Its name, schema and checks are [`Declared`].
#[async_trait]
pub trait EphemeralResource<C: Send + Sync>: Declared + Send + Sync {
    /// Opens the resource for a wholly known `config`. `None` (with an error) when nothing
    /// usable was opened; whatever was created on the way must then already be cleaned up or
    /// named in the error.
    async fn open(&self, call: Call<'_, C>, config: &Value) -> Option<Opened>;

    /// Closes what `open` opened, from its `private` bytes. An error must say what is left
    /// behind and how to clean it up by hand.
    async fn close(&self, call: Call<'_, C>, private: &[u8]);
}
