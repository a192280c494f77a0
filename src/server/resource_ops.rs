//! Managed-resource RPCs.

use std::future::Future;
use std::sync::Arc;

use tonic::Status;

use super::identity_ops::{identity_of, identity_of_value};
use super::state_json::Upgrade;
use super::{ProviderService, ResourceEntry, convert, replacement};
use crate::framework::{Call, Diagnostics, PlanCall, PlanChange, Provider, plan_change};
use crate::proto::tfplugin6 as pb;
use crate::value::Value;

/// A call cut short by StopProvider.
#[derive(Debug)]
pub(super) struct Stopped;

/// What a [`ProviderService::cancellable`] call returned, or `None` with an error saying it
/// was cancelled.
pub(super) fn finished<T>(outcome: Result<T, Stopped>, diags: &mut Diagnostics) -> Option<T> {
    match outcome {
        Ok(v) => Some(v),
        Err(Stopped) => {
            diags.error(
                "Operation Cancelled",
                "Terraform asked the provider to stop; nothing was changed by this operation.",
            );
            None
        }
    }
}

/// Diagnostic for an RPC that needs the API before the provider block could be configured.
pub(super) fn not_configured(diags: &mut Diagnostics) {
    diags.error(
        "Provider Not Configured",
        "The influxdb3 provider has no usable configuration yet (some of its settings may be \
         unknown until another resource is applied). Set account_id, cluster_id and \
         management_token to known values, or apply the resources they depend on first.",
    );
}

impl<P: Provider> ProviderService<P> {
    /// Runs `fut` unless StopProvider arrives first. Pass the answer to [`finished`] once
    /// `fut` (which usually borrows the RPC's diagnostics) is done.
    pub(super) async fn cancellable<T>(&self, fut: impl Future<Output = T>) -> Result<T, Stopped> {
        let mut stopped = self.stop.subscribe();
        tokio::select! {
            v = fut => Ok(v),
            _ = stopped.changed() => Err(Stopped),
        }
    }

    pub(super) fn answer_validate_resource_config(
        &self,
        req: pb::validate_resource_config::Request,
    ) -> Result<pb::validate_resource_config::Response, Status> {
        let entry = self.resource(&req.type_name)?;
        let diagnostics =
            convert::validation(req.config.as_ref(), entry.value_type(), |config, diags| {
                entry.resource.validate(config, diags)
            });
        Ok(pb::validate_resource_config::Response { diagnostics })
    }

    pub(super) fn answer_upgrade_resource_state(
        &self,
        req: pb::upgrade_resource_state::Request,
    ) -> Result<pb::upgrade_resource_state::Response, Status> {
        let entry = self.resource(&req.type_name)?;
        let mut diags = Diagnostics::new();
        let raw = req.raw_state.unwrap_or_default();
        let upgraded = if raw.json.is_empty() && !raw.flatmap.is_empty() {
            diags.error(
                "Unsupported State Format",
                "The stored state uses the legacy flatmap format, which this provider never wrote.",
            );
            None
        } else {
            self.upgraded_state(entry, &req.type_name, req.version, &raw.json, &mut diags)
        };
        Ok(pb::upgrade_resource_state::Response {
            upgraded_state: upgraded,
            diagnostics: convert::diagnostics(diags),
        })
    }

    /// Stored state JSON of schema version `version` as a value of `entry`'s current schema:
    /// its upgrade steps from `version` on, fitted, decoded strictly. State from a newer
    /// version than the schema's is refused: this provider cannot know its shape.
    pub(super) fn upgraded_state(
        &self,
        entry: &ResourceEntry<P::Context>,
        type_name: &str,
        version: i64,
        json: &[u8],
        diags: &mut Diagnostics,
    ) -> Option<pb::DynamicValue> {
        if version > entry.schema.version {
            diags.error(
                "State Written By A Newer Provider",
                format!(
                    "This {type_name} was stored by a newer version of the provider (schema \
                     version {version}, this one understands up to {}). Upgrade the provider.",
                    entry.schema.version
                ),
            );
            return None;
        }
        let fitted = Upgrade {
            type_name,
            from: version,
            steps: entry.resource.state_upgrades(),
            schema: &entry.schema,
        }
        .run(json, diags);
        let ty = entry.value_type();
        let json = pb::DynamicValue {
            msgpack: Vec::new(),
            json: fitted,
        };
        match convert::decode(Some(&json), ty).and_then(|v| convert::encode(&v, ty)) {
            Ok(v) => Some(v),
            Err(d) => {
                diags.push(d);
                None
            }
        }
    }

    pub(super) async fn answer_read_resource(
        &self,
        req: pb::read_resource::Request,
    ) -> Result<pb::read_resource::Response, Status> {
        let entry = self.resource(&req.type_name)?;
        let ty = entry.value_type();
        let mut diags = Diagnostics::new();
        let mut new_state = req.current_state.clone();
        // The value `new_state` encodes, where this call holds it: the identity is taken from
        // it instead of decoding `new_state` again.
        let mut new_value = None;
        match convert::decode(req.current_state.as_ref(), ty) {
            Err(d) => diags.push(d),
            Ok(current) if current.is_null() => {}
            Ok(current) => match self.context() {
                None => not_configured(&mut diags),
                Some(ctx) => {
                    let read = entry.resource.read(Call::new(&ctx, &mut diags), &current);
                    let outcome = self.cancellable(read).await;
                    let failed = diags.has_errors();
                    // A failed read keeps the state as it was: only a read that succeeds and
                    // finds nothing removes the object.
                    if let Some(result) = finished(outcome, &mut diags).filter(|_| !failed) {
                        let value = result.unwrap_or(Value::Null);
                        if let Some(v) = convert::encode_or_report(&value, ty, &mut diags) {
                            new_state = Some(v);
                            new_value = Some(value);
                        }
                    }
                }
            },
        }
        let new_identity = match &new_value {
            Some(value) => identity_of_value(entry, value),
            None => identity_of(entry, new_state.as_ref()),
        };
        Ok(pb::read_resource::Response {
            new_identity,
            new_state,
            diagnostics: convert::diagnostics(diags),
            private: req.private,
            deferred: None,
        })
    }

    pub(super) async fn answer_plan_resource_change(
        &self,
        req: pb::plan_resource_change::Request,
    ) -> Result<pb::plan_resource_change::Response, Status> {
        let entry = self.resource(&req.type_name)?;
        let ty = entry.value_type();
        let mut diags = Diagnostics::new();
        let decoded = (|| {
            Ok::<_, crate::framework::Diagnostic>((
                convert::decode(req.prior_state.as_ref(), ty)?,
                convert::decode(req.proposed_new_state.as_ref(), ty)?,
                convert::decode(req.config.as_ref(), ty)?,
            ))
        })();
        let (prior, proposed, config) = match decoded {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                return Ok(plan_response(None, Vec::new(), req.prior_private, diags));
            }
        };
        let planned = plan_change(&entry.schema, &prior, &proposed, &config);
        let ctx = self.context();
        if proposed.is_null() {
            if !prior.is_null() {
                let ctx = ctx.as_deref();
                entry
                    .resource
                    .plan_destroy(PlanCall::new(ctx, &mut diags), &prior, false);
            }
            let state = convert::encode_or_report(&Value::Null, ty, &mut diags);
            return Ok(plan_response(state, Vec::new(), req.prior_private, diags));
        }
        // The create half of a replacement Terraform did not announce (-replace,
        // replace_triggered_by): the object it replaces gets the destroy checks now.
        let replaced = prior
            .is_null()
            .then(|| replacement::replaced_object(&req.prior_private, ty))
            .flatten();
        if let Some(old) = &replaced {
            entry
                .resource
                .plan_destroy(PlanCall::new(ctx.as_deref(), &mut diags), old, true);
        }
        let private = replacement::planned_private(
            &entry.schema,
            ty,
            &prior,
            req.prior_state
                .as_ref()
                .map_or(&[][..], |dv| dv.msgpack.as_slice()),
            &config,
            entry.resource.destroy_guard(),
        );
        let mut change = PlanChange {
            prior,
            config,
            planned: planned.state,
            requires_replace: planned.requires_replace,
        };
        let modify = entry
            .resource
            .modify_plan(PlanCall::new(ctx.as_deref(), &mut diags), &mut change);
        let outcome = self.cancellable(modify).await;
        let done = finished(outcome, &mut diags).is_some();
        if done && !change.prior.is_null() && !change.requires_replace.is_empty() {
            entry.resource.plan_destroy(
                PlanCall::new(ctx.as_deref(), &mut diags),
                &change.prior,
                true,
            );
        }
        let state = convert::encode_or_report(&change.planned, ty, &mut diags);
        let replace = change
            .requires_replace
            .iter()
            .map(convert::attribute_path)
            .collect();
        let mut response = plan_response(state, replace, private, diags);
        response.planned_identity = match &response.planned_state {
            Some(_) => identity_of_value(entry, &change.planned),
            None => identity_of(entry, None),
        };
        Ok(response)
    }

    pub(super) async fn answer_apply_resource_change(
        &self,
        req: pb::apply_resource_change::Request,
    ) -> Result<pb::apply_resource_change::Response, Status> {
        let entry = self.resource(&req.type_name)?;
        let ty = entry.value_type();
        let mut diags = Diagnostics::new();
        let prior = convert::decode(req.prior_state.as_ref(), ty);
        let planned = convert::decode(req.planned_state.as_ref(), ty);
        let (prior, planned) = match (prior, planned) {
            (Ok(p), Ok(n)) => (p, n),
            (Err(d), _) | (_, Err(d)) => {
                diags.push(d);
                return Ok(apply_response(req.prior_state, diags));
            }
        };
        let Some(ctx) = self.context() else {
            not_configured(&mut diags);
            return Ok(apply_response(req.prior_state, diags));
        };
        // A destroy follows the configuration when the plan saw one turn protection off.
        let subject = replacement::destroy_subject(
            &prior,
            &req.planned_private,
            entry.resource.destroy_guard(),
        );
        let mut new_state = apply(&*entry.resource, &ctx, &subject, &planned, &mut diags).await;
        if planned.is_null() && diags.has_errors() {
            new_state = prior;
        }
        let encoded = convert::encode_or_report(&new_state, ty, &mut diags);
        let identity = match &encoded {
            Some(_) => identity_of_value(entry, &new_state),
            None => identity_of(entry, req.prior_state.as_ref()),
        };
        let mut response = apply_response(encoded.or(req.prior_state), diags);
        response.new_identity = identity;
        Ok(response)
    }

    pub(super) async fn answer_import_resource_state(
        &self,
        req: pb::import_resource_state::Request,
    ) -> Result<pb::import_resource_state::Response, Status> {
        let entry = self.resource(&req.type_name)?;
        let ty = entry.value_type();
        let mut diags = Diagnostics::new();
        let mut imported = Vec::new();
        match self.context() {
            None => not_configured(&mut diags),
            Some(ctx) => {
                let import =
                    self.import_by_id_or_identity(&*entry.resource, &ctx, &req, &mut diags);
                let outcome = self.cancellable(import).await;
                let state = finished(outcome, &mut diags).flatten();
                if let Some(state) = state.filter(|_| !diags.has_errors())
                    && let Some(v) = convert::encode_or_report(&state, ty, &mut diags)
                {
                    imported.push(pb::import_resource_state::ImportedResource {
                        type_name: req.type_name.clone(),
                        identity: identity_of_value(entry, &state),
                        state: Some(v),
                        private: Vec::new(),
                    });
                }
            }
        }
        Ok(pb::import_resource_state::Response {
            imported_resources: imported,
            diagnostics: convert::diagnostics(diags),
            deferred: None,
        })
    }
}

/// Runs the create, update or delete the plan calls for and returns the state to record:
/// after a failed delete the prior state (the object still exists); after a failed create
/// whatever the resource could save (tainted), else null.
async fn apply<C: Send + Sync>(
    resource: &dyn crate::framework::Resource<C>,
    ctx: &Arc<C>,
    prior: &Value,
    planned: &Value,
    diags: &mut Diagnostics,
) -> Value {
    if planned.is_null() {
        if prior.is_null() {
            return Value::Null;
        }
        resource.delete(Call::new(ctx, diags), prior).await;
        return if diags.has_errors() {
            prior.clone()
        } else {
            Value::Null
        };
    }
    if prior.is_null() {
        return resource
            .create(Call::new(ctx, diags), planned)
            .await
            .unwrap_or(Value::Null);
    }
    resource
        .update(Call::new(ctx, diags), prior, planned)
        .await
        .unwrap_or_else(|| prior.clone())
}

fn plan_response(
    planned_state: Option<pb::DynamicValue>,
    requires_replace: Vec<pb::AttributePath>,
    planned_private: Vec<u8>,
    diags: Diagnostics,
) -> pb::plan_resource_change::Response {
    pb::plan_resource_change::Response {
        planned_state,
        requires_replace,
        planned_private,
        diagnostics: convert::diagnostics(diags),
        deferred: None,
        planned_identity: None,
        legacy_type_system: false,
    }
}

fn apply_response(
    new_state: Option<pb::DynamicValue>,
    diags: Diagnostics,
) -> pb::apply_resource_change::Response {
    pb::apply_resource_change::Response {
        new_state,
        private: Vec::new(),
        diagnostics: convert::diagnostics(diags),
        new_identity: None,
        legacy_type_system: false,
    }
}
