//! The tfplugin6 `Provider` gRPC service over a [`framework::Provider`](crate::framework::Provider).
//!
//! The tonic trait methods only unwrap the request; each delegates to an `answer_*` method of
//! the same RPC (in `provider_ops`, `resource_ops`, `data_ops`, `action_ops`, ...) that takes the plain request and
//! builds the response. Every `answer_*` method follows the same four steps: look the type up, decode the request's values
//! with its schema, call the framework or the resource, encode the answer. Domain failures are
//! diagnostics in an `Ok` response; a gRPC error is returned only for a request that cannot be
//! routed at all.

mod action_ops;
mod convert;
mod data_ops;
mod ephemeral_ops;
#[cfg(test)]
mod ephemeral_tests;
mod identity_ops;
mod list_ops;
mod move_state;
#[cfg(test)]
mod move_tests;
mod provider_ops;
mod replacement;
mod resource_ops;
mod state_json;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod upgrade_tests;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use tokio::sync::watch;
use tonic::{Request, Response, Status};

use crate::framework::{DataSource, EphemeralResource, IdentitySchema, Provider, Resource, Schema};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::ProviderServer;
use crate::value::Type;

pub use convert::schema as schema_to_proto;

struct ResourceEntry<C> {
    resource: Arc<dyn Resource<C>>,
    schema: Schema,
    /// `schema.value_type()`, built on first use and kept: every resource RPC decodes and
    /// encodes with it, and building it again per call was a tree of allocations each time;
    /// not at start, where a launch that only reads the schema would pay for every type.
    value_type: OnceLock<Type>,
    /// The identity schema and its value type, kept for the same reason.
    identity: OnceLock<Option<(IdentitySchema, Type)>>,
}

impl<C: Send + Sync> ResourceEntry<C> {
    /// The value type of the resource's state.
    fn value_type(&self) -> &Type {
        self.value_type.get_or_init(|| self.schema.value_type())
    }

    /// The resource's identity schema and its value type, if it has one.
    fn identity(&self) -> Option<&(IdentitySchema, Type)> {
        self.identity
            .get_or_init(|| {
                self.resource.identity_schema().map(|s| {
                    let ty = s.value_type();
                    (s, ty)
                })
            })
            .as_ref()
    }
}

struct DataSourceEntry<C> {
    data_source: Arc<dyn DataSource<C>>,
    schema: Schema,
}

struct EphemeralEntry<C> {
    ephemeral: Arc<dyn EphemeralResource<C>>,
    schema: Schema,
}

/// Serves one provider. Schemas are computed once, at construction.
pub struct ProviderService<P: Provider> {
    provider: Arc<P>,
    provider_schema: Schema,
    resources: HashMap<&'static str, ResourceEntry<P::Context>>,
    data_sources: HashMap<&'static str, DataSourceEntry<P::Context>>,
    ephemerals: HashMap<&'static str, EphemeralEntry<P::Context>>,
    context: RwLock<Option<Arc<P::Context>>>,
    stop: watch::Sender<u64>,
}

impl<P: Provider> std::fmt::Debug for ProviderService<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderService")
            .field("resources", &self.resources.keys().collect::<Vec<_>>())
            .field(
                "data_sources",
                &self.data_sources.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl<P: Provider> ProviderService<P> {
    /// Builds the service and its schemas.
    pub fn new(provider: P) -> Self {
        let resources = provider
            .resources()
            .into_iter()
            .map(|r| {
                let schema = r.schema();
                (
                    r.type_name(),
                    ResourceEntry {
                        value_type: OnceLock::new(),
                        identity: OnceLock::new(),
                        resource: r,
                        schema,
                    },
                )
            })
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| {
                let schema = d.schema();
                (
                    d.type_name(),
                    DataSourceEntry {
                        data_source: d,
                        schema,
                    },
                )
            })
            .collect();
        let ephemerals = provider
            .ephemeral_resources()
            .into_iter()
            .map(|e| {
                let schema = e.schema();
                (
                    e.type_name(),
                    EphemeralEntry {
                        ephemeral: e,
                        schema,
                    },
                )
            })
            .collect();
        ProviderService {
            provider_schema: provider.schema(),
            provider: Arc::new(provider),
            resources,
            data_sources,
            ephemerals,
            context: RwLock::new(None),
            stop: watch::channel(0).0,
        }
    }

    /// Wraps the service for tonic.
    pub fn into_server(self) -> ProviderServer<Self> {
        ProviderServer::new(self)
    }

    /// The provider's own schema.
    pub fn provider_schema(&self) -> &Schema {
        &self.provider_schema
    }

    /// Every resource type with its schema, sorted by name.
    pub fn resource_schemas(&self) -> Vec<(&'static str, &Schema)> {
        sorted(&self.resources, |e| &e.schema)
    }

    /// Every data source type with its schema, sorted by name.
    pub fn data_source_schemas(&self) -> Vec<(&'static str, &Schema)> {
        sorted(&self.data_sources, |e| &e.schema)
    }

    /// Every ephemeral resource type with its schema, sorted by name.
    pub fn ephemeral_resource_schemas(&self) -> Vec<(&'static str, &Schema)> {
        sorted(&self.ephemerals, |e| &e.schema)
    }

    fn context(&self) -> Option<Arc<P::Context>> {
        match self.context.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_context(&self, ctx: Option<Arc<P::Context>>) {
        match self.context.write() {
            Ok(mut guard) => *guard = ctx,
            Err(poisoned) => *poisoned.into_inner() = ctx,
        }
    }

    fn resource(&self, type_name: &str) -> Result<&ResourceEntry<P::Context>, Status> {
        self.resources
            .get(type_name)
            .ok_or_else(|| Status::not_found(format!("unknown resource type {type_name:?}")))
    }

    fn data_source(&self, type_name: &str) -> Result<&DataSourceEntry<P::Context>, Status> {
        self.data_sources
            .get(type_name)
            .ok_or_else(|| Status::not_found(format!("unknown data source type {type_name:?}")))
    }
}

/// The `(type name, schema)` pairs of one kind of type, sorted by name.
fn sorted<'a, E>(
    entries: &'a HashMap<&'static str, E>,
    schema: impl Fn(&'a E) -> &'a Schema,
) -> Vec<(&'static str, &'a Schema)> {
    let mut v: Vec<_> = entries.iter().map(|(k, e)| (*k, schema(e))).collect();
    v.sort_by_key(|(k, _)| *k);
    v
}

type RpcResult<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl<P: Provider> pb::provider_server::Provider for ProviderService<P> {
    async fn get_metadata(
        &self,
        _r: Request<pb::get_metadata::Request>,
    ) -> RpcResult<pb::get_metadata::Response> {
        Ok(Response::new(self.metadata()))
    }

    async fn get_provider_schema(
        &self,
        _r: Request<pb::get_provider_schema::Request>,
    ) -> RpcResult<pb::get_provider_schema::Response> {
        Ok(Response::new(self.provider_schema_response()))
    }

    async fn validate_provider_config(
        &self,
        r: Request<pb::validate_provider_config::Request>,
    ) -> RpcResult<pb::validate_provider_config::Response> {
        Ok(Response::new(
            self.answer_validate_provider_config(r.into_inner()),
        ))
    }

    async fn configure_provider(
        &self,
        r: Request<pb::configure_provider::Request>,
    ) -> RpcResult<pb::configure_provider::Response> {
        Ok(Response::new(
            self.answer_configure_provider(r.into_inner()).await,
        ))
    }

    async fn validate_resource_config(
        &self,
        r: Request<pb::validate_resource_config::Request>,
    ) -> RpcResult<pb::validate_resource_config::Response> {
        self.answer_validate_resource_config(r.into_inner())
            .map(Response::new)
    }

    async fn upgrade_resource_state(
        &self,
        r: Request<pb::upgrade_resource_state::Request>,
    ) -> RpcResult<pb::upgrade_resource_state::Response> {
        self.answer_upgrade_resource_state(r.into_inner())
            .map(Response::new)
    }

    async fn read_resource(
        &self,
        r: Request<pb::read_resource::Request>,
    ) -> RpcResult<pb::read_resource::Response> {
        self.answer_read_resource(r.into_inner())
            .await
            .map(Response::new)
    }

    async fn plan_resource_change(
        &self,
        r: Request<pb::plan_resource_change::Request>,
    ) -> RpcResult<pb::plan_resource_change::Response> {
        self.answer_plan_resource_change(r.into_inner())
            .await
            .map(Response::new)
    }

    async fn apply_resource_change(
        &self,
        r: Request<pb::apply_resource_change::Request>,
    ) -> RpcResult<pb::apply_resource_change::Response> {
        self.answer_apply_resource_change(r.into_inner())
            .await
            .map(Response::new)
    }

    async fn import_resource_state(
        &self,
        r: Request<pb::import_resource_state::Request>,
    ) -> RpcResult<pb::import_resource_state::Response> {
        self.answer_import_resource_state(r.into_inner())
            .await
            .map(Response::new)
    }

    async fn validate_data_resource_config(
        &self,
        r: Request<pb::validate_data_resource_config::Request>,
    ) -> RpcResult<pb::validate_data_resource_config::Response> {
        self.answer_validate_data_resource_config(r.into_inner())
            .map(Response::new)
    }

    async fn read_data_source(
        &self,
        r: Request<pb::read_data_source::Request>,
    ) -> RpcResult<pb::read_data_source::Response> {
        self.answer_read_data_source(r.into_inner())
            .await
            .map(Response::new)
    }

    async fn validate_ephemeral_resource_config(
        &self,
        r: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> RpcResult<pb::validate_ephemeral_resource_config::Response> {
        self.answer_validate_ephemeral_resource_config(r.into_inner())
            .map(Response::new)
    }

    async fn open_ephemeral_resource(
        &self,
        r: Request<pb::open_ephemeral_resource::Request>,
    ) -> RpcResult<pb::open_ephemeral_resource::Response> {
        self.answer_open_ephemeral_resource(r.into_inner())
            .await
            .map(Response::new)
    }

    async fn renew_ephemeral_resource(
        &self,
        r: Request<pb::renew_ephemeral_resource::Request>,
    ) -> RpcResult<pb::renew_ephemeral_resource::Response> {
        self.answer_renew_ephemeral_resource(r.into_inner())
            .map(Response::new)
    }

    async fn close_ephemeral_resource(
        &self,
        r: Request<pb::close_ephemeral_resource::Request>,
    ) -> RpcResult<pb::close_ephemeral_resource::Response> {
        self.answer_close_ephemeral_resource(r.into_inner())
            .await
            .map(Response::new)
    }

    async fn move_resource_state(
        &self,
        r: Request<pb::move_resource_state::Request>,
    ) -> RpcResult<pb::move_resource_state::Response> {
        self.answer_move_resource_state(r.into_inner())
            .map(Response::new)
    }

    async fn get_resource_identity_schemas(
        &self,
        _r: Request<pb::get_resource_identity_schemas::Request>,
    ) -> RpcResult<pb::get_resource_identity_schemas::Response> {
        Ok(Response::new(self.resource_identity_schemas()))
    }

    async fn upgrade_resource_identity(
        &self,
        r: Request<pb::upgrade_resource_identity::Request>,
    ) -> RpcResult<pb::upgrade_resource_identity::Response> {
        self.upgrade_identity(r.into_inner()).map(Response::new)
    }

    async fn validate_list_resource_config(
        &self,
        r: Request<pb::validate_list_resource_config::Request>,
    ) -> RpcResult<pb::validate_list_resource_config::Response> {
        self.validate_list_config(r.into_inner()).map(Response::new)
    }

    async fn list_resource(
        &self,
        r: Request<pb::list_resource::Request>,
    ) -> RpcResult<tonic::codegen::BoxStream<pb::list_resource::Event>> {
        self.list(r.into_inner()).await.map(Response::new)
    }

    async fn validate_action_config(
        &self,
        r: Request<pb::validate_action_config::Request>,
    ) -> RpcResult<pb::validate_action_config::Response> {
        self.answer_validate_action_config(r.into_inner())
            .map(Response::new)
    }

    async fn plan_action(
        &self,
        r: Request<pb::plan_action::Request>,
    ) -> RpcResult<pb::plan_action::Response> {
        self.answer_plan_action(r.into_inner())
            .await
            .map(Response::new)
    }

    async fn invoke_action(
        &self,
        r: Request<pb::invoke_action::Request>,
    ) -> RpcResult<tonic::codegen::BoxStream<pb::invoke_action::Event>> {
        self.answer_invoke_action(r.into_inner()).map(Response::new)
    }

    async fn stop_provider(
        &self,
        _r: Request<pb::stop_provider::Request>,
    ) -> RpcResult<pb::stop_provider::Response> {
        // Cancels reads and plans in flight; applies finish their current API call so that
        // nothing created is forgotten. The process keeps serving.
        self.stop.send_modify(|generation| *generation += 1);
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}
