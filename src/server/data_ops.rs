//! Data source RPCs.

use tonic::Status;

use super::resource_ops::{finished, not_configured};
use super::{ProviderService, convert};
use crate::framework::{Call, Diagnostics, Provider};
use crate::proto::tfplugin6 as pb;

impl<P: Provider> ProviderService<P> {
    pub(super) fn answer_validate_data_resource_config(
        &self,
        req: pb::validate_data_resource_config::Request,
    ) -> Result<pb::validate_data_resource_config::Response, Status> {
        let entry = self.data_source(&req.type_name)?;
        let diagnostics = convert::validation(
            req.config.as_ref(),
            &entry.schema.value_type(),
            |config, diags| entry.data_source.validate(config, diags),
        );
        Ok(pb::validate_data_resource_config::Response { diagnostics })
    }

    pub(super) async fn answer_read_data_source(
        &self,
        req: pb::read_data_source::Request,
    ) -> Result<pb::read_data_source::Response, Status> {
        let entry = self.data_source(&req.type_name)?;
        let ty = entry.schema.value_type();
        let mut diags = Diagnostics::new();
        let mut state = None;
        match (convert::decode(req.config.as_ref(), &ty), self.context()) {
            (Err(d), _) => diags.push(d),
            (Ok(_), None) => not_configured(&mut diags),
            (Ok(config), Some(ctx)) => {
                let read = entry.data_source.read(Call::new(&ctx, &mut diags), &config);
                let outcome = self.cancellable(read).await;
                if let Some(value) = finished(outcome, &mut diags).flatten() {
                    state = convert::encode_or_report(&value, &ty, &mut diags);
                }
            }
        }
        Ok(pb::read_data_source::Response {
            state,
            diagnostics: convert::diagnostics(diags),
            deferred: None,
        })
    }
}
