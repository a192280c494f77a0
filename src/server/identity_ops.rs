//! Resource identity RPCs (GetResourceIdentitySchemas, UpgradeResourceIdentity) and the
//! identity every state-returning RPC attaches, derived from the state it returns so that it
//! is the same in Read, Plan, Apply and Import for the object's whole life.

use tonic::Status;

use super::{ProviderService, ResourceEntry, convert};
use crate::framework::{Call, Diagnostics, IdentitySchema, Provider, Resource};
use crate::proto::tfplugin6 as pb;
use crate::value::{Type, Value};

/// The identity of the object whose encoded state is `state`, for types with an identity
/// schema; `None` for a null state or one whose identity attributes are not known yet (a
/// create being planned), which Terraform accepts.
pub(super) fn identity_of<C: Send + Sync>(
    entry: &ResourceEntry<C>,
    state: Option<&pb::DynamicValue>,
) -> Option<pb::ResourceIdentityData> {
    entry.identity()?;
    let value = convert::decode(state, entry.value_type()).ok()?;
    identity_of_value(entry, &value)
}

/// [`identity_of`] from the state value itself, when the caller holds the value it has just
/// encoded: the identity's strings are the same either way, and decoding the whole state
/// again cost about as much as the rest of a read.
pub(super) fn identity_of_value<C: Send + Sync>(
    entry: &ResourceEntry<C>,
    state: &Value,
) -> Option<pb::ResourceIdentityData> {
    let (schema, ty) = entry.identity()?;
    convert::encode(&schema.from_state(state)?, ty)
        .ok()
        .map(|v| pb::ResourceIdentityData {
            identity_data: Some(v),
        })
}

/// Encodes an identity value for the wire.
pub(super) fn identity_data(
    schema: &IdentitySchema,
    identity: &Value,
) -> Option<pb::ResourceIdentityData> {
    convert::encode(identity, &schema.value_type())
        .ok()
        .map(|v| pb::ResourceIdentityData {
            identity_data: Some(v),
        })
}

fn schema_to_proto(schema: &IdentitySchema) -> pb::ResourceIdentitySchema {
    let string_type = Type::String.to_json_bytes();
    pb::ResourceIdentitySchema {
        version: schema.version,
        identity_attributes: schema
            .attributes
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.to_owned(),
                r#type: string_type.clone(),
                required_for_import: true,
                optional_for_import: false,
                description: a.description.to_owned(),
            })
            .collect(),
    }
}

impl<P: Provider> ProviderService<P> {
    /// Every resource type that has an identity, with its identity schema.
    pub fn identity_schemas(&self) -> Vec<(&'static str, IdentitySchema)> {
        let mut v: Vec<_> = self
            .resources
            .iter()
            .filter_map(|(name, e)| e.resource.identity_schema().map(|s| (*name, s)))
            .collect();
        v.sort_by_key(|(name, _)| *name);
        v
    }

    pub(super) fn resource_identity_schemas(&self) -> pb::get_resource_identity_schemas::Response {
        pb::get_resource_identity_schemas::Response {
            identity_schemas: self
                .identity_schemas()
                .into_iter()
                .map(|(name, s)| (name.to_owned(), schema_to_proto(&s)))
                .collect(),
            diagnostics: Vec::new(),
        }
    }

    /// Version 0 is the only identity version so far: it is returned as it is (re-encoded with
    /// the schema, which also rejects a stored identity of the wrong shape). A later version
    /// converts older ones here.
    pub(super) fn upgrade_identity(
        &self,
        req: pb::upgrade_resource_identity::Request,
    ) -> Result<pb::upgrade_resource_identity::Response, Status> {
        let entry = self.resource(&req.type_name)?;
        let mut diags = Diagnostics::new();
        let mut upgraded = None;
        match entry.resource.identity_schema() {
            None => diags.error(
                "Resource Type Has No Identity",
                format!(
                    "Terraform asked to upgrade a stored identity of {}, which has no identity \
                     schema in this provider version.",
                    req.type_name
                ),
            ),
            Some(schema) if req.version > schema.version => diags.error(
                "Identity Written By A Newer Provider",
                format!(
                    "This {} identity was stored by a newer version of the provider (identity \
                     version {}, this one understands up to {}). Upgrade the provider.",
                    req.type_name, req.version, schema.version
                ),
            ),
            Some(schema) => {
                let json = pb::DynamicValue {
                    msgpack: Vec::new(),
                    json: req.raw_identity.unwrap_or_default().json,
                };
                let ty = schema.value_type();
                match convert::decode(Some(&json), &ty).and_then(|v| convert::encode(&v, &ty)) {
                    Ok(v) => {
                        upgraded = Some(pb::ResourceIdentityData {
                            identity_data: Some(v),
                        })
                    }
                    Err(d) => diags.push(d),
                }
            }
        }
        Ok(pb::upgrade_resource_identity::Response {
            upgraded_identity: upgraded,
            diagnostics: convert::diagnostics(diags),
        })
    }

    /// Decodes the identity of an `import { identity = … }` request and checks it is complete;
    /// `None` (with an error naming the missing attributes) otherwise.
    pub(super) fn import_identity(
        &self,
        resource: &dyn Resource<P::Context>,
        data: &pb::ResourceIdentityData,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let Some(schema) = resource.identity_schema() else {
            diags.error(
                "Import By Identity Not Supported",
                format!(
                    "The resource type {} has no identity; import it by id.",
                    resource.type_name()
                ),
            );
            return None;
        };
        let identity = match convert::decode(data.identity_data.as_ref(), &schema.value_type()) {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        let missing = schema.missing(&identity);
        if !missing.is_empty() {
            diags.error(
                "Incomplete Import Identity",
                format!(
                    "The identity to import a {} needs every one of {}; set {} to a known, \
                     non-empty string.",
                    resource.type_name(),
                    schema
                        .attributes
                        .iter()
                        .map(|a| a.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                    missing.join(", ")
                ),
            );
            return None;
        }
        Some(identity)
    }

    /// An import by id, or by identity when Terraform sends one with an empty id
    /// (`import { identity = … }`).
    pub(super) async fn import_by_id_or_identity(
        &self,
        resource: &dyn Resource<P::Context>,
        ctx: &P::Context,
        req: &pb::import_resource_state::Request,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        match req.identity.as_ref().filter(|_| req.id.is_empty()) {
            Some(data) => {
                let identity = self.import_identity(resource, data, diags)?;
                resource
                    .import_by_identity(Call::new(ctx, diags), &identity)
                    .await
            }
            None => resource.import(Call::new(ctx, diags), &req.id).await,
        }
    }
}
