//! Data source `influxdb3_database`: one database of the provider's cluster, by name.

use async_trait::async_trait;

use crate::databases::model::{DATABASE_DOCS, DatabaseValue, NAME, database_attrs, database_types};
use crate::databases::name::check_name;
use crate::framework::{Attribute, DataSource, Diagnostics, Schema};
use crate::model::ProviderContext;
use crate::value::{AttributePath, Type, Value};

use crate::model::data_source::{self as common, computed_attributes};

/// The data source type.
#[derive(Debug, Default)]
pub(crate) struct DatabaseDataSource;

#[async_trait]
impl DataSource<ProviderContext> for DatabaseDataSource {
    fn type_name(&self) -> &'static str {
        crate::databases::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        let mut attributes = vec![
            Attribute::required(NAME, Type::String)
                .describe("The name of the database to read, in the provider's cluster."),
        ];
        attributes.extend(computed_attributes(
            database_types(),
            &[NAME],
            DATABASE_DOCS,
        ));
        Schema::new(
            "Reads one database of the provider's cluster by name. A database that does not \
             exist is an error.",
            attributes,
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if let Some(name) = DatabaseValue(config).name() {
            check_name(name, AttributePath::attr(NAME), diags);
        }
    }

    async fn read(
        &self,
        ctx: &ProviderContext,
        config: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let name = DatabaseValue(config).name()?;
        let (databases, cluster) = common::databases(ctx, diags).await?;
        if let Some(db) = databases.iter().find(|db| db.name == name) {
            return Some(Value::Object(database_attrs(
                db,
                &Value::Null,
                &Value::Null,
            )));
        }
        diags.attr_error(
            AttributePath::attr(NAME),
            "Database Not Found",
            format!(
                "There is no database named {name:?} in {cluster}. Names are case-sensitive; \
                 `data.influxdb3_databases` lists the databases there."
            ),
        );
        None
    }
}
