//! `influxdb3_database` as Terraform values: its attribute names, the typed reads of a state
//! or plan, and the conversions to and from the API's database types. The resource and the
//! database data sources both build their values here.

use std::collections::BTreeMap;

use crate::api::{Cluster, CreateDatabaseRequest, Database, DatabaseSettings};
use crate::framework::{attr, set_attr};
use crate::value::{Number, Type, Value};

use super::retention;
use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID, set_cluster};
use crate::model::protection::{self, DELETION_PROTECTION};
use crate::model::template;
use crate::model::view::attribute_reads;

/// The database name; its identity within a cluster.
pub(crate) const NAME: &str = "name";
/// Most tables the database may hold.
pub(crate) const MAX_TABLES: &str = "max_tables";
/// Most columns a table may have.
pub(crate) const MAX_COLUMNS_PER_TABLE: &str = "max_columns_per_table";
/// How long data is kept, as a duration text.
pub(crate) const RETENTION_PERIOD: &str = "retention_period";
pub(crate) use crate::model::template::PARTITION_TEMPLATE;
/// The resource's numeric database id (the key to undelete); only rename and undelete
/// answers carry it, so it stays null until the resource renames the database.
pub(crate) const DATABASE_ID: &str = "database_id";
/// `influxdb3_databases`: the listed databases.
pub(crate) const DATABASES: &str = "databases";

/// Typed reads of a database's configuration, plan or state value. Every getter answers
/// `None` for a null or unknown value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DatabaseValue<'a>(pub &'a Value);

impl<'a> DatabaseValue<'a> {
    attribute_reads! {
        /// The name.
        name: NAME as str;
        /// `max_tables` as a value (may be a fraction or out of range before validation).
        max_tables_value: MAX_TABLES as number;
        /// `max_columns_per_table` as a value.
        max_columns_per_table_value: MAX_COLUMNS_PER_TABLE as number;
        /// The retention text.
        retention_text: RETENTION_PERIOD as str;
        /// The partition template value (null, unknown, or a list of parts).
        partition_template: PARTITION_TEMPLATE as value;
    }

    /// `max_tables` when a whole number.
    pub(crate) fn max_tables(self) -> Option<i64> {
        self.max_tables_value().and_then(Number::as_i64)
    }

    /// `max_columns_per_table` when a whole number.
    pub(crate) fn max_columns_per_table(self) -> Option<i64> {
        self.max_columns_per_table_value().and_then(Number::as_i64)
    }

    /// The retention in nanoseconds, when known and valid.
    pub(crate) fn retention_ns(self) -> Option<i64> {
        self.retention_text().and_then(|t| retention::parse(t).ok())
    }

    /// The `database_id` to keep when an API answer has none: the known one, else null
    /// (never unknown, which a plan sets before a rename).
    pub(crate) fn known_id(self) -> Value {
        attr(self.0, DATABASE_ID).known_or_null()
    }
}

/// The attributes every view of a database has, with their types.
pub(crate) fn database_types() -> BTreeMap<String, Type> {
    BTreeMap::from([
        (NAME.to_owned(), Type::String),
        (MAX_TABLES.to_owned(), Type::Number),
        (MAX_COLUMNS_PER_TABLE.to_owned(), Type::Number),
        (RETENTION_PERIOD.to_owned(), Type::String),
        (
            PARTITION_TEMPLATE.to_owned(),
            Type::List(Box::new(template::part_type())),
        ),
        (ACCOUNT_ID.to_owned(), Type::String),
        (CLUSTER_ID.to_owned(), Type::String),
    ])
}

/// Descriptions of the shared attributes, in display order.
pub(crate) const DATABASE_DOCS: &[(&str, &str)] = &[
    (NAME, "The database name."),
    (MAX_TABLES, "Most tables the database may hold."),
    (MAX_COLUMNS_PER_TABLE, "Most columns a table may have."),
    (
        RETENTION_PERIOD,
        "How long data is kept, as a duration such as `30d` or `1h30m`; `0` means forever.",
    ),
    (
        PARTITION_TEMPLATE,
        "How data is partitioned, or null for the default template. Each part is \
         `{ type, value, number_of_buckets }` (see the `influxdb3_database` resource).",
    ),
    (ACCOUNT_ID, "The account the database lives in."),
    (CLUSTER_ID, "The cluster the database lives in."),
];

/// The shared attributes of `db`. `retention_period` keeps the spelling of `prior_retention`
/// when it means the same duration (so `"720h"` stays `"720h"`), else is written readably;
/// `partition_template` likewise keeps the spelling of `prior_template` (see
/// [`template::keep_spelling`]).
pub(crate) fn database_attrs(
    db: &Database,
    prior_retention: &Value,
    prior_template: &Value,
) -> BTreeMap<String, Value> {
    let retention = match prior_retention.as_str() {
        Some(text) if retention::parse(text) == Ok(db.retention_period) => prior_retention.clone(),
        _ => Value::String(retention::format(db.retention_period)),
    };
    BTreeMap::from([
        (NAME.to_owned(), Value::String(db.name.clone())),
        (
            MAX_TABLES.to_owned(),
            Value::Number(Number::from_i64(db.max_tables)),
        ),
        (
            MAX_COLUMNS_PER_TABLE.to_owned(),
            Value::Number(Number::from_i64(db.max_columns_per_table)),
        ),
        (RETENTION_PERIOD.to_owned(), retention),
        (
            PARTITION_TEMPLATE.to_owned(),
            template::keep_spelling(db.partition_template.as_deref(), prior_template),
        ),
        (ACCOUNT_ID.to_owned(), Value::String(db.account_id.clone())),
        (CLUSTER_ID.to_owned(), Value::String(db.cluster_id.clone())),
    ])
}

/// The resource state of `db`: the API's values, the spelling of `retention_period` and the
/// `partition_template` of `known` when the API leaves it out (its update answer always
/// does), `database_id` from the answer else from `known`, and `deletion_protection` as
/// planned.
pub(crate) fn state(db: &Database, known: &Value) -> Value {
    let mut attrs = database_attrs(
        db,
        attr(known, RETENTION_PERIOD),
        attr(known, PARTITION_TEMPLATE),
    );
    if db.partition_template.is_none() {
        attrs.insert(
            PARTITION_TEMPLATE.to_owned(),
            attr(known, PARTITION_TEMPLATE).clone(),
        );
    }
    let id = match db.id {
        Some(id) => Value::Number(Number::from_i64(id)),
        None => DatabaseValue(known).known_id(),
    };
    attrs.insert(DATABASE_ID.to_owned(), id);
    attrs.insert(DELETION_PROTECTION.to_owned(), protection::kept(known));
    Value::Object(attrs)
}

/// Sets `value`'s `database_id` to the known one of `from` (see [`DatabaseValue::known_id`]).
pub(crate) fn keep_id(value: &mut Value, from: &Value) {
    set_attr(value, DATABASE_ID, DatabaseValue(from).known_id());
}

/// The state an import starts from: the name and the cluster, the rest null until read.
pub(crate) fn import_state(name: &str, cluster: &Cluster) -> Value {
    let mut attrs: BTreeMap<String, Value> = database_types()
        .into_keys()
        .map(|k| (k, Value::Null))
        .collect();
    attrs.insert(NAME.to_owned(), Value::String(name.to_owned()));
    attrs.insert(DATABASE_ID.to_owned(), Value::Null);
    attrs.insert(DELETION_PROTECTION.to_owned(), Value::Bool(false));
    let mut state = Value::Object(attrs);
    set_cluster(&mut state, cluster);
    state
}

/// The create body of a planned state.
pub(crate) fn create_request(planned: &Value) -> CreateDatabaseRequest {
    let view = DatabaseValue(planned);
    CreateDatabaseRequest {
        name: view.name().unwrap_or_default().to_owned(),
        settings: settings(view),
        partition_template: template::from_value(view.partition_template()),
    }
}

/// The PATCH body for what changed between `prior` and `planned` (`None` when nothing the API
/// holds changed).
pub(crate) fn update_request(prior: &Value, planned: &Value) -> Option<DatabaseSettings> {
    let (old, new) = (
        settings(DatabaseValue(prior)),
        settings(DatabaseValue(planned)),
    );
    let changed = |new: Option<i64>, old: Option<i64>| new.filter(|n| Some(*n) != old);
    let req = DatabaseSettings {
        max_tables: changed(new.max_tables, old.max_tables),
        max_columns_per_table: changed(new.max_columns_per_table, old.max_columns_per_table),
        retention_period: changed(new.retention_period, old.retention_period),
    };
    (req != DatabaseSettings::default()).then_some(req)
}

/// The settings a value holds, as the API takes them (`None` where unknown, null or invalid).
fn settings(view: DatabaseValue<'_>) -> DatabaseSettings {
    DatabaseSettings {
        max_tables: view.max_tables(),
        max_columns_per_table: view.max_columns_per_table(),
        retention_period: view.retention_ns(),
    }
}

/// The state of `influxdb3_databases`: the listed databases.
pub(crate) fn databases_state(databases: Vec<&Database>) -> Value {
    let list = databases
        .into_iter()
        .map(|db| Value::Object(database_attrs(db, &Value::Null, &Value::Null)))
        .collect();
    Value::Object(BTreeMap::from([(DATABASES.to_owned(), Value::List(list))]))
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
            contradicted: false,
        }
    }

    #[test]
    fn retention_keeps_the_users_spelling_only_while_it_is_right() {
        let hours = Value::String("720h".into());
        let attrs = database_attrs(&db(2_592_000_000_000_000), &hours, &Value::Null);
        assert_eq!(attrs[RETENTION_PERIOD], hours);
        let attrs = database_attrs(&db(3_600_000_000_000), &hours, &Value::Null);
        assert_eq!(attrs[RETENTION_PERIOD], Value::String("1h".into()));
        let attrs = database_attrs(&db(0), &Value::Null, &Value::Null);
        assert_eq!(attrs[RETENTION_PERIOD], Value::String("0".into()));
        assert_eq!(attrs[PARTITION_TEMPLATE], Value::Null);
        assert_eq!(DatabaseValue(&Value::Object(attrs)).max_tables(), Some(500));
    }

    #[test]
    fn the_incumbent_bucket_spelling_stays_while_the_parts_are_the_same() {
        let part = |value: &str, buckets: Value| {
            Value::List(vec![Value::Object(BTreeMap::from([
                ("type".to_owned(), Value::String("bucket".into())),
                ("value".to_owned(), Value::String(value.into())),
                ("number_of_buckets".to_owned(), buckets),
            ]))])
        };
        let json = part(r#"{"numberOfBuckets":10,"tagName":"host"}"#, Value::Null);
        let mut api = db(0);
        api.partition_template = Some(vec![crate::api::PartitionPart::Bucket {
            tag_name: "host".into(),
            number_of_buckets: 10,
        }]);
        let attrs = database_attrs(&api, &Value::Null, &json);
        assert_eq!(attrs[PARTITION_TEMPLATE], json);
        let ours = part("host", Value::from(10));
        let attrs = database_attrs(&api, &Value::Null, &ours);
        assert_eq!(attrs[PARTITION_TEMPLATE], ours);
        // Changed outside Terraform: the API's parts, in our spelling.
        let other = part(r#"{"numberOfBuckets":9,"tagName":"host"}"#, Value::Null);
        let attrs = database_attrs(&api, &Value::Null, &other);
        assert_eq!(attrs[PARTITION_TEMPLATE], ours);
        assert_eq!(
            create_request(&Value::Object(BTreeMap::from([(
                PARTITION_TEMPLATE.to_owned(),
                json
            )])))
            .partition_template,
            api.partition_template
        );
    }
}
