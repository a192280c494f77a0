//! A resource or data source type under a second, deprecated name.
//!
//! The alias answers every call exactly as the type it stands for (same schema, plan, reads
//! and API calls), so configuration and state written for the old name keep working. Each
//! validate adds the caller's deprecation warning, and the schema description starts with
//! **Deprecated** so the generated docs say so. The words (what to write instead) belong to the
//! caller: the framework knows nothing of which names are old.

use std::sync::Arc;

use async_trait::async_trait;

use super::call::{Call, PlanCall};
use super::data_source::DataSource;
use super::declaration::{Declaration, Declared};
use super::diag::Diagnostics;
use super::identity::IdentitySchema;
use super::resource::{PlanChange, Resource};
use super::schema::Schema;
use crate::value::Value;

/// The warning an alias adds at validate: a summary and a detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    /// One line, e.g. "Deprecated Resource Type influxdb3_token".
    pub summary: String,
    /// What to write instead, and what differs.
    pub detail: String,
}

/// `target` under the name `name`. `T` is `dyn Resource<C>` or `dyn DataSource<C>`.
pub struct Alias<T: ?Sized> {
    name: &'static str,
    target: Arc<T>,
    deprecation: Deprecation,
}

impl<T: ?Sized> Alias<T> {
    /// `name` stands for `target`; every validate warns with `deprecation`.
    pub fn new(name: &'static str, target: Arc<T>, deprecation: Deprecation) -> Self {
        Alias {
            name,
            target,
            deprecation,
        }
    }

    fn warn(&self, diags: &mut Diagnostics) {
        diags.warning(
            self.deprecation.summary.clone(),
            self.deprecation.detail.clone(),
        );
    }
}

impl<T: ?Sized> std::fmt::Debug for Alias<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Alias").field("name", &self.name).finish()
    }
}

/// The target's schema, its description led by the deprecation note.
fn deprecated_schema(mut schema: Schema, target: &str) -> Schema {
    schema.description = format!(
        "**Deprecated**: the incumbent provider's name for `{target}`; write `{target}` \
         instead. {}",
        schema.description
    );
    schema
}

impl<T: ?Sized + Declared> Declared for Alias<T> {
    /// The target's: state stored under the alias name (the incumbent's, or ours) is upgraded
    /// exactly as the target's, and its destroy is guarded alike.
    fn declaration(&self) -> Declaration {
        self.target.declaration()
    }

    fn type_name(&self) -> &'static str {
        self.name
    }

    fn schema(&self) -> Schema {
        deprecated_schema(self.target.schema(), self.target.type_name())
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.warn(diags);
        self.target.validate(config, diags);
    }
}

#[async_trait]
impl<C: Send + Sync> Resource<C> for Alias<dyn Resource<C>> {
    /// None: identities, import by identity and lists are the new name's alone.
    fn identity_schema(&self) -> Option<IdentitySchema> {
        None
    }

    async fn modify_plan(&self, call: PlanCall<'_, C>, change: &mut PlanChange) {
        self.target.modify_plan(call, change).await;
    }

    fn plan_destroy(&self, call: PlanCall<'_, C>, prior: &Value, replacing: bool) {
        self.target.plan_destroy(call, prior, replacing);
    }

    async fn read(&self, call: Call<'_, C>, state: &Value) -> Option<Value> {
        self.target.read(call, state).await
    }

    async fn create(&self, call: Call<'_, C>, planned: &Value) -> Option<Value> {
        self.target.create(call, planned).await
    }

    async fn update(&self, call: Call<'_, C>, prior: &Value, planned: &Value) -> Option<Value> {
        self.target.update(call, prior, planned).await
    }

    async fn delete(&self, call: Call<'_, C>, prior: &Value) {
        self.target.delete(call, prior).await;
    }

    async fn import(&self, call: Call<'_, C>, id: &str) -> Option<Value> {
        self.target.import(call, id).await
    }
}

#[async_trait]
impl<C: Send + Sync> DataSource<C> for Alias<dyn DataSource<C>> {
    async fn read(&self, call: Call<'_, C>, config: &Value) -> Option<Value> {
        self.target.read(call, config).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Attribute, Declare, Severity};
    use crate::value::Type;

    struct Echo;

    fn echo_schema() -> Schema {
        Schema::new("Reads.", vec![Attribute::required("id", Type::String)])
    }

    fn own_check(_config: &Value, diags: &mut Diagnostics) {
        diags.error("Own Check", "the target's own validation still runs");
    }

    impl Declare for Echo {
        const DECLARATION: Declaration =
            Declaration::new("new_name", echo_schema).validated_by(own_check);
    }

    #[async_trait]
    impl DataSource<()> for Echo {
        async fn read(&self, _call: Call<'_, ()>, config: &Value) -> Option<Value> {
            Some(config.clone())
        }
    }

    #[tokio::test]
    async fn a_data_source_alias_warns_then_answers_as_its_target() {
        let target: Arc<dyn DataSource<()>> = Arc::new(Echo);
        let alias: Alias<dyn DataSource<()>> = Alias::new(
            "old_name",
            target,
            Deprecation {
                summary: "Deprecated".into(),
                detail: "write new_name".into(),
            },
        );
        assert_eq!(alias.type_name(), "old_name");
        let schema = alias.schema();
        assert!(
            schema.description.starts_with("**Deprecated**")
                && schema.description.contains("`new_name`"),
            "{}",
            schema.description
        );
        assert_eq!(schema.attributes.len(), 1);
        let mut diags = Diagnostics::new();
        alias.validate(&Value::Null, &mut diags);
        let seen: Vec<_> = diags
            .iter()
            .map(|d| (d.severity, d.detail.clone()))
            .collect();
        assert_eq!(
            seen,
            [
                (Severity::Warning, "write new_name".to_owned()),
                (
                    Severity::Error,
                    "the target's own validation still runs".to_owned()
                )
            ]
        );
        let config = Value::String("x".into());
        let read = DataSource::read(&alias, Call::new(&(), &mut diags), &config).await;
        assert_eq!(read, Some(config));
    }
}
