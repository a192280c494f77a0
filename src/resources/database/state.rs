//! A database as Terraform values: the attributes the resource and the database data sources
//! share, built from the API's answer.

use std::collections::BTreeMap;

use crate::api::{Cluster, Database};
use crate::framework::attr;
use crate::value::{Number, Type, Value};

use super::{retention, template};

/// The attributes every view of a database has, with their types.
pub fn database_types() -> BTreeMap<String, Type> {
    BTreeMap::from([
        ("name".to_owned(), Type::String),
        ("max_tables".to_owned(), Type::Number),
        ("max_columns_per_table".to_owned(), Type::Number),
        ("retention_period".to_owned(), Type::String),
        (
            "partition_template".to_owned(),
            Type::List(Box::new(template::part_type())),
        ),
        ("account_id".to_owned(), Type::String),
        ("cluster_id".to_owned(), Type::String),
    ])
}

/// Descriptions of the shared attributes, in display order.
pub const DATABASE_DOCS: &[(&str, &str)] = &[
    ("name", "The database name."),
    ("max_tables", "Most tables the database may hold."),
    ("max_columns_per_table", "Most columns a table may have."),
    (
        "retention_period",
        "How long data is kept, as a duration such as `30d` or `1h30m`; `0` means forever.",
    ),
    (
        "partition_template",
        "How data is partitioned, or null for the default template. Each part is \
         `{ type, value, number_of_buckets }` (see the `influxdb3_database` resource).",
    ),
    ("account_id", "The account the database lives in."),
    ("cluster_id", "The cluster the database lives in."),
];

/// The shared attributes of `db`. `retention_period` keeps the spelling of `prior_retention`
/// when it means the same duration (so `"720h"` stays `"720h"`), else is written readably.
pub fn database_attrs(db: &Database, prior_retention: &Value) -> BTreeMap<String, Value> {
    let retention = match prior_retention.as_str() {
        Some(text) if retention::parse(text) == Ok(db.retention_period) => prior_retention.clone(),
        _ => Value::String(retention::format(db.retention_period)),
    };
    BTreeMap::from([
        ("name".to_owned(), Value::String(db.name.clone())),
        (
            "max_tables".to_owned(),
            Value::Number(Number::from_i64(db.max_tables)),
        ),
        (
            "max_columns_per_table".to_owned(),
            Value::Number(Number::from_i64(db.max_columns_per_table)),
        ),
        ("retention_period".to_owned(), retention),
        (
            "partition_template".to_owned(),
            template::to_value(db.partition_template.as_deref()),
        ),
        (
            "account_id".to_owned(),
            Value::String(db.account_id.clone()),
        ),
        (
            "cluster_id".to_owned(),
            Value::String(db.cluster_id.clone()),
        ),
    ])
}

/// The cluster a state value records, if both ids are known.
pub fn state_cluster(state: &Value) -> Option<Cluster> {
    match (
        attr(state, "account_id").as_str(),
        attr(state, "cluster_id").as_str(),
    ) {
        (Some(a), Some(c)) => Some(Cluster::new(a, c)),
        _ => None,
    }
}

/// A known whole number attribute.
pub fn int_attr(value: &Value, name: &str) -> Option<i64> {
    attr(value, name).as_number().and_then(Number::as_i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(retention_period: i64) -> Database {
        Database {
            id: None,
            account_id: "a".into(),
            cluster_id: "c".into(),
            name: "metrics".into(),
            max_tables: 500,
            max_columns_per_table: 250,
            retention_period,
            partition_template: None,
        }
    }

    #[test]
    fn retention_keeps_the_users_spelling_only_while_it_is_right() {
        let hours = Value::String("720h".into());
        let attrs = database_attrs(&db(2_592_000_000_000_000), &hours);
        assert_eq!(attrs["retention_period"], hours);
        let attrs = database_attrs(&db(3_600_000_000_000), &hours);
        assert_eq!(attrs["retention_period"], Value::String("1h".into()));
        let attrs = database_attrs(&db(0), &Value::Null);
        assert_eq!(attrs["retention_period"], Value::String("0".into()));
        assert_eq!(attrs["partition_template"], Value::Null);
        assert_eq!(int_attr(&Value::Object(attrs), "max_tables"), Some(500));
    }
}
