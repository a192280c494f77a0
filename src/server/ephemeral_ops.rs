//! Ephemeral resource RPCs (protocol 6.7+). Terraform validates, opens (in plan and again in
//! apply, only with a wholly known configuration), may renew when Open asked for it, and closes
//! each opened instance with the `private` bytes Open returned. Neither Open nor Close is cut
//! short by StopProvider: an Open abandoned mid-create would leave a token nobody closes, and a
//! Close is what revokes it.

use tonic::Status;

use super::resource_ops::not_configured;
use super::{EphemeralEntry, ProviderService, convert};
use crate::framework::{Call, Diagnostics, Opened, Provider};
use crate::proto::tfplugin6 as pb;

impl<P: Provider> ProviderService<P> {
    fn ephemeral(&self, type_name: &str) -> Result<&EphemeralEntry<P::Context>, Status> {
        self.ephemerals.get(type_name).ok_or_else(|| {
            Status::not_found(format!("unknown ephemeral resource type {type_name:?}"))
        })
    }

    pub(super) fn answer_validate_ephemeral_resource_config(
        &self,
        req: pb::validate_ephemeral_resource_config::Request,
    ) -> Result<pb::validate_ephemeral_resource_config::Response, Status> {
        let entry = self.ephemeral(&req.type_name)?;
        let diagnostics = convert::validation(
            req.config.as_ref(),
            &entry.schema.value_type(),
            |config, diags| entry.ephemeral.validate(config, diags),
        );
        Ok(pb::validate_ephemeral_resource_config::Response { diagnostics })
    }

    pub(super) async fn answer_open_ephemeral_resource(
        &self,
        req: pb::open_ephemeral_resource::Request,
    ) -> Result<pb::open_ephemeral_resource::Response, Status> {
        let entry = self.ephemeral(&req.type_name)?;
        let ty = entry.schema.value_type();
        let mut diags = Diagnostics::new();
        let mut delivered = None;
        match (convert::decode(req.config.as_ref(), &ty), self.context()) {
            (Err(d), _) => diags.push(d),
            (Ok(config), _) if !config.is_wholly_known() => diags.push(convert::provider_bug(
                "Ephemeral Resource Opened With Unknown Values",
                format!(
                    "Terraform asked to open {} before its configuration was known.",
                    req.type_name
                ),
            )),
            (Ok(_), None) => not_configured(&mut diags),
            (Ok(config), Some(ctx)) => {
                // Terraform validates just before it opens; checking here too keeps bad input
                // from the API whichever client calls.
                entry.ephemeral.validate(&config, &mut diags);
                let opened = if diags.has_errors() {
                    None
                } else {
                    entry
                        .ephemeral
                        .open(Call::new(&ctx, &mut diags), &config)
                        .await
                };
                if let Some(opened) = opened {
                    delivered = Self::deliverable(entry, &ctx, opened, &mut diags).await;
                }
            }
        }
        let (result, private) = match delivered {
            Some((result, private)) => (Some(result), Some(private)),
            None => (None, None),
        };
        Ok(pb::open_ephemeral_resource::Response {
            diagnostics: convert::diagnostics(diags),
            renew_at: None,
            result,
            private,
            deferred: None,
        })
    }

    /// The wire form of what Open opened, or `None` after closing it again: Terraform never
    /// closes an Open that failed, so whatever cannot be handed over is cleaned up here.
    async fn deliverable(
        entry: &EphemeralEntry<P::Context>,
        ctx: &P::Context,
        opened: Opened,
        diags: &mut Diagnostics,
    ) -> Option<(pb::DynamicValue, Vec<u8>)> {
        let encoded = convert::encode(&opened.result, &entry.schema.value_type());
        match encoded {
            Ok(result) if !diags.has_errors() => return Some((result, opened.private)),
            Ok(_) => {}
            Err(d) => diags.push(d),
        }
        entry
            .ephemeral
            .close(Call::new(ctx, diags), &opened.private)
            .await;
        None
    }

    pub(super) fn answer_renew_ephemeral_resource(
        &self,
        req: pb::renew_ephemeral_resource::Request,
    ) -> Result<pb::renew_ephemeral_resource::Response, Status> {
        // Open never asks for renewal (no renew_at), so there is nothing to extend: answer
        // without a next renewal, keeping the private bytes as they are.
        self.ephemeral(&req.type_name)?;
        Ok(pb::renew_ephemeral_resource::Response {
            diagnostics: Vec::new(),
            renew_at: None,
            private: req.private,
        })
    }

    pub(super) async fn answer_close_ephemeral_resource(
        &self,
        req: pb::close_ephemeral_resource::Request,
    ) -> Result<pb::close_ephemeral_resource::Response, Status> {
        let entry = self.ephemeral(&req.type_name)?;
        let mut diags = Diagnostics::new();
        let private = req.private.unwrap_or_default();
        match self.context() {
            None => not_configured(&mut diags),
            Some(ctx) => {
                entry
                    .ephemeral
                    .close(Call::new(&ctx, &mut diags), &private)
                    .await
            }
        }
        Ok(pb::close_ephemeral_resource::Response {
            diagnostics: convert::diagnostics(diags),
        })
    }
}
