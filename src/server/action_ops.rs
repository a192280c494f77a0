//! Action RPCs (Terraform 1.14+, protocol 6.10): ValidateActionConfig, PlanAction and the
//! server-streaming InvokeAction, plus what GetMetadata/GetProviderSchema advertise for them.
//!
//! What Terraform's client does with them (internal/plugin6/grpc_provider.go and the action
//! nodes of internal/terraform): it encodes the config with the schema it got, shows PlanAction's
//! diagnostics in the plan (an error stops it), and at apply reads InvokeAction's events until
//! the stream ends: each progress message is shown as it arrives, and the diagnostics of a
//! `completed` event end the invocation (an error fails the apply). A gRPC error mid-stream is
//! read as a failed completion. So the invocation runs in a task of its own and every message
//! goes out the moment it is made, and exactly one `completed` event closes every stream.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::Status;
use tonic::codegen::BoxStream;

use super::resource_ops::not_configured;
use super::{ProviderService, convert};
use crate::framework::{Action, ActionEvents, Call, Diagnostics, Provider, Schema};
use crate::proto::tfplugin6 as pb;

type ActionEntry<C> = Arc<dyn Action<C>>;

/// A progress message longer than this is cut: Terraform prints each on a line of its own.
const MAX_PROGRESS_CHARS: usize = 2000;

impl<P: Provider> ProviderService<P> {
    fn action_types(&self) -> HashMap<&'static str, ActionEntry<P::Context>> {
        self.provider
            .actions()
            .into_iter()
            .map(|a| (a.type_name(), a))
            .collect()
    }

    /// Every action type with the schema of its `config` block, sorted by name.
    pub fn action_schemas(&self) -> Vec<(&'static str, Schema)> {
        let mut v: Vec<_> = self
            .action_types()
            .into_iter()
            .map(|(name, a)| (name, a.schema()))
            .collect();
        v.sort_by_key(|(name, _)| *name);
        v
    }

    pub(super) fn action_metadata(&self) -> Vec<pb::get_metadata::ActionMetadata> {
        self.action_schemas()
            .into_iter()
            .map(|(name, _)| pb::get_metadata::ActionMetadata {
                type_name: name.to_owned(),
            })
            .collect()
    }

    pub(super) fn action_schemas_proto(&self) -> HashMap<String, pb::ActionSchema> {
        self.action_schemas()
            .into_iter()
            .map(|(name, s)| {
                (
                    name.to_owned(),
                    pb::ActionSchema {
                        schema: Some(convert::schema(&s)),
                    },
                )
            })
            .collect()
    }

    fn action_type(&self, type_name: &str) -> Result<ActionEntry<P::Context>, Status> {
        self.action_types()
            .remove(type_name)
            .ok_or_else(|| Status::not_found(format!("unknown action type {type_name:?}")))
    }

    pub(super) fn answer_validate_action_config(
        &self,
        req: pb::validate_action_config::Request,
    ) -> Result<pb::validate_action_config::Response, Status> {
        let action = self.action_type(&req.type_name)?;
        let diagnostics = convert::validation(
            req.config.as_ref(),
            &action.schema().value_type(),
            |config, diags| action.validate(config, diags),
        );
        Ok(pb::validate_action_config::Response { diagnostics })
    }

    pub(super) async fn answer_plan_action(
        &self,
        req: pb::plan_action::Request,
    ) -> Result<pb::plan_action::Response, Status> {
        let action = self.action_type(&req.action_type)?;
        let mut diags = Diagnostics::new();
        match convert::decode(req.config.as_ref(), &action.schema().value_type()) {
            Err(d) => diags.push(d),
            Ok(config) => {
                action.validate(&config, &mut diags);
                if !diags.has_errors() {
                    match self.context() {
                        None => not_configured(&mut diags),
                        Some(ctx) => {
                            let planned = action.plan(Call::new(&ctx, &mut diags), &config);
                            let outcome = self.cancellable(planned).await;
                            super::resource_ops::finished(outcome, &mut diags);
                        }
                    }
                }
            }
        }
        Ok(pb::plan_action::Response {
            diagnostics: convert::diagnostics(diags),
            deferred: None,
        })
    }

    pub(super) fn answer_invoke_action(
        &self,
        req: pb::invoke_action::Request,
    ) -> Result<BoxStream<pb::invoke_action::Event>, Status> {
        let action = self.action_type(&req.action_type)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let mut diags = Diagnostics::new();
        let config = match convert::decode(req.config.as_ref(), &action.schema().value_type()) {
            Ok(config) => Some(config),
            Err(d) => {
                diags.push(d);
                None
            }
        };
        let ctx = self.context();
        let stop = self.stop.subscribe();
        tokio::spawn(async move {
            let mut events = Events {
                tx: tx.clone(),
                stop,
            };
            match (config, ctx) {
                (Some(config), Some(ctx)) => {
                    action.validate(&config, &mut diags);
                    // Terraform refuses to invoke with unknown values; a client that does
                    // anyway gets an error rather than an action guessing at them.
                    if !config.is_wholly_known() {
                        diags.error(
                            "Action Configuration Unknown At Apply",
                            "The action was invoked with settings that are still unknown; \
                             nothing was done. Plan and apply the configuration it refers to \
                             first.",
                        );
                    }
                    if !diags.has_errors() {
                        let call = Call::new(&*ctx, &mut diags);
                        action.invoke(call, &config, &mut events).await;
                    }
                }
                (Some(_), None) => not_configured(&mut diags),
                (None, _) => {}
            }
            // The last event: a client that is gone no longer reads it, and nothing else is
            // left to do with it.
            let _ = tx.send(pb::invoke_action::Event {
                r#type: Some(pb::invoke_action::event::Type::Completed(
                    pb::invoke_action::event::Completed {
                        diagnostics: convert::diagnostics(diags),
                    },
                )),
            });
        });
        Ok(Box::pin(tokio_stream::StreamExt::map(
            UnboundedReceiverStream::new(rx),
            Ok,
        )))
    }
}

/// The sending half of one invocation's stream.
struct Events {
    tx: mpsc::UnboundedSender<pb::invoke_action::Event>,
    stop: watch::Receiver<u64>,
}

impl ActionEvents for Events {
    fn progress(&mut self, message: String) {
        // The invocation goes on whether or not Terraform still reads: a revoke started is
        // finished and reported in the provider's log.
        let _ = self.tx.send(pb::invoke_action::Event {
            r#type: Some(pb::invoke_action::event::Type::Progress(
                pb::invoke_action::event::Progress {
                    message: convert::printable(&message, MAX_PROGRESS_CHARS, false),
                },
            )),
        });
    }

    fn stop_requested(&self) -> bool {
        self.stop.has_changed().unwrap_or(true)
    }
}
