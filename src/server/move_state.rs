//! MoveResourceState: a `moved` block across resource types or providers (Terraform 1.8+,
//! OpenTofu 1.10+). The provider decides which sources it takes; the state JSON goes through
//! the target type's upgrade chain like stored state (from the source's schema version, or
//! from version 0 for the incumbent's shapes). No API call is made.

use tonic::Status;

use super::{ProviderService, convert};
use crate::framework::{Diagnostics, Provider};
use crate::proto::tfplugin6 as pb;

impl<P: Provider> ProviderService<P> {
    pub(super) fn answer_move_resource_state(
        &self,
        req: pb::move_resource_state::Request,
    ) -> Result<pb::move_resource_state::Response, Status> {
        let entry = self.resource(&req.target_type_name)?;
        let mut diags = Diagnostics::new();
        let mut target_state = None;
        let raw = req.source_state.unwrap_or_default();
        if let Err(why) = self.provider.accepts_move(
            &req.source_provider_address,
            &req.source_type_name,
            &req.target_type_name,
        ) {
            diags.error("Unsupported Move", format!("{why}."));
        } else if raw.json.is_empty() {
            diags.error(
                "Unsupported State Format",
                "The source state has no JSON form; only state written by Terraform 0.12 or \
                 later can move.",
            );
        } else {
            // The incumbent's state has the shapes our first steps read, whatever version it
            // was written with; our own carries our version.
            let version = self
                .provider
                .foreign_state_version(&req.source_provider_address)
                .unwrap_or(req.source_schema_version);
            target_state =
                self.upgraded_state(entry, &req.target_type_name, version, &raw.json, &mut diags);
        }
        Ok(pb::move_resource_state::Response {
            target_state,
            diagnostics: convert::diagnostics(diags),
            target_private: Vec::new(),
            target_identity: None,
        })
    }
}
