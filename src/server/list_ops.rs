//! List-resource RPCs (`terraform query`, Terraform 1.14+): ValidateListResourceConfig and the
//! server-streaming ListResource, plus what GetMetadata/GetProviderSchema advertise for them.
//!
//! Terraform's client reads events until `limit` results, the end of the stream, or an error
//! diagnostic; every result event must carry an identity (an event without one is an error
//! unless it only carries warnings), and `resource_object` is read only when the query asked
//! for it. So: one API list per query, at most `limit` events, each with identity and display
//! name, the object only on request, and a failure as a single event with an error.

use std::collections::HashMap;
use std::sync::Arc;

use tonic::Status;
use tonic::codegen::BoxStream;

use super::identity_ops::identity_data;
use super::resource_ops::{finished, not_configured};
use super::{ProviderService, convert};
use crate::framework::{Call, Diagnostics, ListResource, Provider, Schema};
use crate::proto::tfplugin6 as pb;

type ListEntry<C> = Arc<dyn ListResource<C>>;

impl<P: Provider> ProviderService<P> {
    /// The list resource types whose managed type has an identity (Terraform rejects a list
    /// type without one), by name.
    fn list_types(&self) -> HashMap<&'static str, ListEntry<P::Context>> {
        self.provider
            .list_resources()
            .into_iter()
            .filter(|l| {
                self.resources
                    .get(l.type_name())
                    .is_some_and(|e| e.resource.identity_schema().is_some())
            })
            .map(|l| (l.type_name(), l))
            .collect()
    }

    /// Every list resource type with the schema of its `config` block, sorted by name.
    pub fn list_schemas(&self) -> Vec<(&'static str, Schema)> {
        let mut v: Vec<_> = self
            .list_types()
            .into_iter()
            .map(|(name, l)| (name, l.schema()))
            .collect();
        v.sort_by_key(|(name, _)| *name);
        v
    }

    pub(super) fn list_metadata(&self) -> Vec<pb::get_metadata::ListResourceMetadata> {
        self.list_schemas()
            .into_iter()
            .map(|(name, _)| pb::get_metadata::ListResourceMetadata {
                type_name: name.to_owned(),
            })
            .collect()
    }

    pub(super) fn list_schemas_proto(&self) -> HashMap<String, pb::Schema> {
        self.list_schemas()
            .into_iter()
            .map(|(name, s)| (name.to_owned(), convert::schema(&s)))
            .collect()
    }

    fn list_type(&self, type_name: &str) -> Result<ListEntry<P::Context>, Status> {
        self.list_types()
            .remove(type_name)
            .ok_or_else(|| Status::not_found(format!("unknown list resource type {type_name:?}")))
    }

    pub(super) fn validate_list_config(
        &self,
        req: pb::validate_list_resource_config::Request,
    ) -> Result<pb::validate_list_resource_config::Response, Status> {
        let list = self.list_type(&req.type_name)?;
        let diagnostics = convert::validation(
            req.config.as_ref(),
            &list.schema().value_type(),
            |config, diags| list.validate(config, diags),
        );
        Ok(pb::validate_list_resource_config::Response { diagnostics })
    }

    pub(super) async fn list(
        &self,
        req: pb::list_resource::Request,
    ) -> Result<BoxStream<pb::list_resource::Event>, Status> {
        let list = self.list_type(&req.type_name)?;
        let entry = self.resource(&req.type_name)?;
        let identity_schema = entry.resource.identity_schema();
        let state_type = entry.schema.value_type();
        let mut diags = Diagnostics::new();
        let mut events = Vec::new();
        match convert::decode(req.config.as_ref(), &list.schema().value_type()) {
            Err(d) => diags.push(d),
            Ok(config) => match self.context() {
                None => not_configured(&mut diags),
                Some(ctx) => {
                    list.validate(&config, &mut diags);
                    if !diags.has_errors() {
                        let found = list.list(Call::new(&ctx, &mut diags), &config);
                        let outcome = self.cancellable(found).await;
                        let found = finished(outcome, &mut diags).unwrap_or_default();
                        let limit = usize::try_from(req.limit).unwrap_or(0);
                        for object in found.into_iter().take(limit) {
                            let identity = identity_schema.as_ref().and_then(|s| {
                                s.from_state(&object.state)
                                    .and_then(|id| identity_data(s, &id))
                            });
                            // An object without a complete identity cannot be imported: leave
                            // it out rather than send an event Terraform rejects.
                            if identity.is_none() {
                                continue;
                            }
                            let resource_object = if req.include_resource_object {
                                convert::encode(&object.state, &state_type)
                                    .map_err(|d| diags.push(d))
                                    .ok()
                            } else {
                                None
                            };
                            events.push(pb::list_resource::Event {
                                identity,
                                // A name from the API's answer, shown by `terraform query`.
                                display_name: convert::printable(&object.display_name, 200, false),
                                resource_object,
                                diagnostic: Vec::new(),
                            });
                        }
                    }
                }
            },
        }
        if !diags.is_empty() {
            // Diagnostics travel in an event of their own, after the objects found.
            events.push(pb::list_resource::Event {
                diagnostic: convert::diagnostics(diags),
                ..Default::default()
            });
        }
        Ok(Box::pin(tokio_stream::iter(events.into_iter().map(Ok))))
    }
}
