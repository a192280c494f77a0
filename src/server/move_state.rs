//! MoveResourceState: a `moved` block across resource types or providers (Terraform 1.8+,
//! OpenTofu 1.10+). The provider decides which sources it takes; the state JSON is fitted to
//! the target schema like an upgraded state. No API call is made.

use tonic::Status;

use super::{ProviderService, convert, state_json};
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
            let ty = entry.schema.value_type();
            let fitted = state_json::fit_to_schema(&raw.json, &entry.schema);
            let json = pb::DynamicValue {
                msgpack: Vec::new(),
                json: fitted.unwrap_or(raw.json),
            };
            match convert::decode(Some(&json), &ty).and_then(|v| convert::encode(&v, &ty)) {
                Ok(v) => target_state = Some(v),
                Err(d) => diags.push(d),
            }
        }
        Ok(pb::move_resource_state::Response {
            target_state,
            diagnostics: convert::diagnostics(diags),
            target_private: Vec::new(),
            target_identity: None,
        })
    }
}
