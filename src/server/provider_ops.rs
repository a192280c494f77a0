//! Provider-level RPCs: metadata, schemas, provider validation and configuration.

use std::sync::Arc;

use super::{ProviderService, convert};
use crate::framework::{Diagnostics, Provider};
use crate::proto::tfplugin6 as pb;

impl<P: Provider> ProviderService<P> {
    fn capabilities() -> pb::ServerCapabilities {
        pb::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: true,
            generate_resource_config: false,
        }
    }

    pub(super) fn metadata(&self) -> pb::get_metadata::Response {
        pb::get_metadata::Response {
            server_capabilities: Some(Self::capabilities()),
            diagnostics: Vec::new(),
            data_sources: self
                .data_source_schemas()
                .into_iter()
                .map(|(name, _)| pb::get_metadata::DataSourceMetadata {
                    type_name: name.to_owned(),
                })
                .collect(),
            resources: self
                .resource_schemas()
                .into_iter()
                .map(|(name, _)| pb::get_metadata::ResourceMetadata {
                    type_name: name.to_owned(),
                })
                .collect(),
            ephemeral_resources: self
                .ephemeral_resource_schemas()
                .into_iter()
                .map(|(name, _)| pb::get_metadata::EphemeralMetadata {
                    type_name: name.to_owned(),
                })
                .collect(),
            // Declared in the protocol, not offered (yet) by this provider.
            functions: Vec::new(),
            list_resources: self.list_metadata(),
            state_stores: Vec::new(),
            actions: self.action_metadata(),
        }
    }

    pub(super) fn provider_schema_response(&self) -> pb::get_provider_schema::Response {
        pb::get_provider_schema::Response {
            provider: Some(convert::schema(&self.provider_schema)),
            resource_schemas: self
                .resources
                .iter()
                .map(|(name, e)| ((*name).to_owned(), convert::schema(&e.schema)))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(name, e)| ((*name).to_owned(), convert::schema(&e.schema)))
                .collect(),
            ephemeral_resource_schemas: self
                .ephemeral_resource_schemas()
                .into_iter()
                .map(|(name, s)| (name.to_owned(), convert::schema(s)))
                .collect(),
            // Declared in the protocol, not offered (yet) by this provider.
            functions: Default::default(),
            list_resource_schemas: self.list_schemas_proto(),
            state_store_schemas: Default::default(),
            // Unknown to clients older than protocol 6.10, which skip the field.
            action_schemas: self.action_schemas_proto(),
            diagnostics: Vec::new(),
            provider_meta: None,
            server_capabilities: Some(Self::capabilities()),
        }
    }

    pub(super) fn answer_validate_provider_config(
        &self,
        req: pb::validate_provider_config::Request,
    ) -> pb::validate_provider_config::Response {
        let diagnostics = convert::validation(
            req.config.as_ref(),
            &self.provider_schema.value_type(),
            |config, diags| self.provider.validate(config, diags),
        );
        pb::validate_provider_config::Response { diagnostics }
    }

    pub(super) async fn answer_configure_provider(
        &self,
        req: pb::configure_provider::Request,
    ) -> pb::configure_provider::Response {
        let mut diags = Diagnostics::new();
        match convert::decode(req.config.as_ref(), &self.provider_schema.value_type()) {
            Ok(config) => {
                let ctx = self
                    .provider
                    .configure(&config, &req.terraform_version, &mut diags)
                    .await;
                self.set_context(ctx.map(Arc::new));
            }
            Err(d) => diags.push(d),
        }
        pb::configure_provider::Response {
            diagnostics: convert::diagnostics(diags),
        }
    }
}
