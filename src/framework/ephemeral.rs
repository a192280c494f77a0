//! What an ephemeral resource type implements (Terraform ≥ 1.10, protocol 6.7+): a value that
//! exists for one run only. Terraform opens it when its configuration is known (during plan
//! *and* again during apply), uses the result, and closes it at the end of the run; the result
//! is never written to plan or state.

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::schema::Schema;
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
#[async_trait]
pub trait EphemeralResource<C: Send + Sync>: Send + Sync {
    /// The Terraform type name.
    fn type_name(&self) -> &'static str;

    /// The schema. Called once when the server starts.
    fn schema(&self) -> Schema;

    /// Checks the configuration without calling any API; values may be unknown.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Opens the resource for a wholly known `config`. `None` (with an error) when nothing
    /// usable was opened; whatever was created on the way must then already be cleaned up or
    /// named in the error.
    async fn open(&self, ctx: &C, config: &Value, diags: &mut Diagnostics) -> Option<Opened>;

    /// Closes what `open` opened, from its `private` bytes. An error must say what is left
    /// behind and how to clean it up by hand.
    async fn close(&self, ctx: &C, private: &[u8], diags: &mut Diagnostics);
}
