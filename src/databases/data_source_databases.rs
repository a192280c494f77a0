//! Data source `influxdb3_databases`: every database of the provider's cluster.

use async_trait::async_trait;

use crate::databases::model::{DATABASES, database_types, databases_state};
use crate::framework::{Attribute, DataSource, Declaration, Declare, Schema};
use crate::model::{Call, ProviderContext};
use crate::value::{Type, Value};

use crate::model::data_source as common;

/// The data source type.
#[derive(Debug, Default)]
pub(crate) struct DatabasesDataSource;

#[async_trait]
impl DataSource<ProviderContext> for DatabasesDataSource {
    async fn read(&self, Call { ctx, diags }: Call<'_>, _config: &Value) -> Option<Value> {
        let (databases, _) = common::databases(ctx, diags).await?;
        let mut sorted: Vec<_> = databases.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        Some(databases_state(sorted))
    }
}

impl Declare for DatabasesDataSource {
    const DECLARATION: Declaration = Declaration::new(crate::databases::PLURAL_TYPE_NAME, schema);
}

fn schema() -> Schema {
    Schema::new(
        "Lists the databases of the provider's cluster, by name.",
        vec![
            Attribute::computed(
                DATABASES,
                Type::List(Box::new(Type::Object(database_types()))),
            )
            .describe(
                "The databases, sorted by name: `name`, `max_tables`, \
                 `max_columns_per_table`, `retention_period` (such as `30d`; `0` is \
                 forever), `partition_template`, `account_id`, `cluster_id`.",
            ),
        ],
    )
}
