//! Data source `influxdb3_database`: one database of the provider's cluster, by name.

use async_trait::async_trait;

use crate::databases::model::{DATABASE_DOCS, DatabaseValue, NAME, database_attrs, database_types};
use crate::databases::name::check_name;
use crate::framework::{DataSource, Declaration, Declare, Diagnostics, Schema};
use crate::model::{Call, ProviderContext};
use crate::value::{AttributePath, Value};

use crate::model::data_source as common;

/// The data source type.
#[derive(Debug, Default)]
pub(crate) struct DatabaseDataSource;

#[async_trait]
impl DataSource<ProviderContext> for DatabaseDataSource {
    async fn read(&self, Call { ctx, diags }: Call<'_>, config: &Value) -> Option<Value> {
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

impl Declare for DatabaseDataSource {
    const DECLARATION: Declaration =
        Declaration::new(crate::databases::TYPE_NAME, schema).validated_by(validate);
}

fn schema() -> Schema {
    common::one_by(
        "Reads one database of the provider's cluster by name. A database that does not \
         exist is an error.",
        (
            NAME,
            "The name of the database to read, in the provider's cluster.",
        ),
        database_types(),
        DATABASE_DOCS,
    )
}

fn validate(config: &Value, diags: &mut Diagnostics) {
    if let Some(name) = DatabaseValue(config).name() {
        check_name(name, AttributePath::attr(NAME), diags);
    }
}
