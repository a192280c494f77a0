//! A resource or data source type under a second, deprecated name.
//!
//! The alias answers every call exactly as the type it stands for (same schema, plan, reads
//! and API calls), so configuration and state written for the old name keep working. Each
//! validate adds the caller's deprecation warning, and the schema description starts with
//! **Deprecated** so the generated docs say so. The words (what to write instead) belong to the
//! caller: the framework knows nothing of which names are old.

use std::sync::Arc;

use async_trait::async_trait;

use super::data_source::DataSource;
use super::diag::Diagnostics;
use super::resource::{PlanChange, Resource};
use super::schema::Schema;
use super::upgrade::UpgradeStep;
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

#[async_trait]
impl<C: Send + Sync> Resource<C> for Alias<dyn Resource<C>> {
    fn type_name(&self) -> &'static str {
        self.name
    }

    fn schema(&self) -> Schema {
        deprecated_schema(self.target.schema(), self.target.type_name())
    }

    /// The target's chain: state stored under the alias name (the incumbent's, or ours) is
    /// upgraded exactly as the target's.
    fn state_upgrades(&self) -> &'static [UpgradeStep] {
        self.target.state_upgrades()
    }

    fn destroy_guard(&self) -> Option<&'static str> {
        self.target.destroy_guard()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.warn(diags);
        self.target.validate(config, diags);
    }

    async fn modify_plan(&self, ctx: Option<&C>, change: &mut PlanChange, diags: &mut Diagnostics) {
        self.target.modify_plan(ctx, change, diags).await;
    }

    fn plan_destroy(
        &self,
        ctx: Option<&C>,
        prior: &Value,
        replacing: bool,
        diags: &mut Diagnostics,
    ) {
        self.target.plan_destroy(ctx, prior, replacing, diags);
    }

    async fn read(&self, ctx: &C, state: &Value, diags: &mut Diagnostics) -> Option<Value> {
        self.target.read(ctx, state, diags).await
    }

    async fn create(&self, ctx: &C, planned: &Value, diags: &mut Diagnostics) -> Option<Value> {
        self.target.create(ctx, planned, diags).await
    }

    async fn update(
        &self,
        ctx: &C,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        self.target.update(ctx, prior, planned, diags).await
    }

    async fn delete(&self, ctx: &C, prior: &Value, diags: &mut Diagnostics) {
        self.target.delete(ctx, prior, diags).await;
    }

    async fn import(&self, ctx: &C, id: &str, diags: &mut Diagnostics) -> Option<Value> {
        self.target.import(ctx, id, diags).await
    }
}

#[async_trait]
impl<C: Send + Sync> DataSource<C> for Alias<dyn DataSource<C>> {
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

    async fn read(&self, ctx: &C, config: &Value, diags: &mut Diagnostics) -> Option<Value> {
        self.target.read(ctx, config, diags).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Attribute, Severity};
    use crate::value::Type;

    struct Echo;

    #[async_trait]
    impl DataSource<()> for Echo {
        fn type_name(&self) -> &'static str {
            "new_name"
        }
        fn schema(&self) -> Schema {
            Schema::new("Reads.", vec![Attribute::required("id", Type::String)])
        }
        fn validate(&self, _config: &Value, diags: &mut Diagnostics) {
            diags.error("Own Check", "the target's own validation still runs");
        }
        async fn read(&self, _ctx: &(), config: &Value, _d: &mut Diagnostics) -> Option<Value> {
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
        assert_eq!(DataSource::type_name(&alias), "old_name");
        let schema = DataSource::schema(&alias);
        assert!(
            schema.description.starts_with("**Deprecated**")
                && schema.description.contains("`new_name`"),
            "{}",
            schema.description
        );
        assert_eq!(schema.attributes.len(), 1);
        let mut diags = Diagnostics::new();
        DataSource::validate(&alias, &Value::Null, &mut diags);
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
        let read = DataSource::read(&alias, &(), &config, &mut diags).await;
        assert_eq!(read, Some(config));
    }
}
