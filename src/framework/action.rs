//! What an action type implements (Terraform ≥ 1.14, protocol 6.10+): an operation that
//! changes something outside Terraform's state, run by `terraform apply -invoke=action.T.N` or
//! by an `action_trigger` in a resource's lifecycle.
//!
//! Terraform validates the `config` block (values may be unknown), plans the invocation (its
//! diagnostics are all a reviewer of the plan sees of it: an action has no planned state), and
//! at apply invokes it with the same configuration, now wholly known. Nothing the plan learned
//! reaches the invocation: an action that must act on what the plan showed checks it again.

use async_trait::async_trait;

use super::call::Call;
use super::declaration::Declared;
use crate::value::Value;

/// Where an invocation reports what it is doing while it runs. Each message is shown by
/// Terraform as it arrives, so a long or partly failing invocation is never silent.
pub trait ActionEvents: Send {
    /// Sends one progress message (plain text, one line).
    fn progress(&mut self, message: String);

    /// Whether Terraform asked the provider to stop (Ctrl-C): the action should finish the
    /// step under way, start no new one, and say in its diagnostics what it left undone.
    fn stop_requested(&self) -> bool;
}

/// An action type. Its name, the schema of its `config` block and their checks are
/// [`Declared`].
#[async_trait]
pub trait Action<C: Send + Sync>: Declared + Send + Sync {
    /// Plans an invocation: what it will do, as diagnostics for the reviewer (an error stops
    /// the plan). `config` may hold unknown values when the action is triggered by a resource
    /// whose new values are not known yet.
    async fn plan(&self, call: Call<'_, C>, config: &Value);

    /// Runs the invocation with a wholly known `config`, reporting progress through `events`.
    /// The diagnostics close the invocation: an error must say what was done and what was not.
    async fn invoke(&self, call: Call<'_, C>, config: &Value, events: &mut dyn ActionEvents);
}
