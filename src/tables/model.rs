//! `influxdb3_table` as Terraform values: its attribute names, the typed read of a state or
//! plan, and the state built from the API's table answers. The API has no table read or
//! list, so a table's state is what was planned plus what create and rename answered.

use std::collections::BTreeMap;

use crate::api::{Cluster, CreateTableRequest, Table};
use crate::framework::{PlanChange, attr, set_attr};
use crate::value::{AttributePath, Number, Value};

use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID, set_cluster};
use crate::model::template::{self, PARTITION_TEMPLATE};
use crate::model::view::attribute_reads;

/// The name of the database the table belongs to.
pub(crate) const DATABASE: &str = "database";
/// The incumbent provider's spelling of [`DATABASE`], accepted (deprecated) so its table
/// configurations work unchanged; a plan copies it into [`DATABASE`], which everything else
/// reads.
pub(crate) const DATABASE_NAME: &str = "database_name";
/// The table name.
pub(crate) const NAME: &str = "name";
/// The table's numeric id (the key to undelete); only rename and undelete answers carry it.
pub(crate) const TABLE_ID: &str = "table_id";

/// Typed reads of a table's configuration, plan or state value. Getters answer `None` (or
/// an empty name) for a null or unknown value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TableValue<'a>(pub &'a Value);

impl<'a> TableValue<'a> {
    attribute_reads! {
        /// The database name, when known.
        database: DATABASE as str;
        /// The configured `database_name` value as it is (null when the configuration uses
        /// `database`).
        database_name: DATABASE_NAME as value;
        /// The configured `database` value as it is.
        database_value: DATABASE as value;
        /// The table name, when known.
        name: NAME as str;
        /// The partition template value (null, unknown, or a list of parts).
        partition_template: PARTITION_TEMPLATE as value;
        /// The `table_id` value as it is.
        table_id: TABLE_ID as value;
    }
}

/// Whether a plan changes the table's name (the only in-place change).
pub(crate) fn renamed(prior: &Value, planned: &Value) -> bool {
    !prior.is_null() && attr(prior, NAME) != attr(planned, NAME)
}

/// Plans `database` from whichever of `database` and the deprecated `database_name` the
/// configuration sets (validation allows exactly one), and decides the replacement by it alone:
/// moving a configuration from `database_name` to `database` with the same value changes
/// nothing but the spelling recorded in state, so it is an update that sends nothing.
pub(crate) fn plan_database(change: &mut PlanChange) {
    if change.planned.is_null() {
        return;
    }
    let config = TableValue(&change.config);
    if config.database_value().is_null() && !config.database_name().is_null() {
        let name = config.database_name().clone();
        set_attr(&mut change.planned, DATABASE, name);
    }
    let path = AttributePath::attr(DATABASE);
    change.requires_replace.retain(|p| *p != path);
    if !change.prior.is_null() && attr(&change.prior, DATABASE) != attr(&change.planned, DATABASE) {
        change.requires_replace.push(path);
    }
}

/// A template the configuration leaves unset is none for a new table (never unknown: the
/// create sends none), and for an existing one stays what the state records, with no
/// replacement: a template cannot change, and the incumbent's state (whose template was
/// optional and computed) may hold one its configuration never set. Terraform itself proposes
/// null there, since the parts hold values only a configuration sets.
pub(crate) fn plan_template(change: &mut PlanChange) {
    if change.planned.is_null() || !attr(&change.config, PARTITION_TEMPLATE).is_null() {
        return;
    }
    let kept = attr(&change.prior, PARTITION_TEMPLATE).clone();
    set_attr(&mut change.planned, PARTITION_TEMPLATE, kept);
    let path = AttributePath::attr(PARTITION_TEMPLATE);
    change.requires_replace.retain(|p| *p != path);
}

/// Marks `table_id` unknown in a plan (a rename answer carries it).
pub(crate) fn plan_unknown_id(planned: &mut Value) {
    set_attr(planned, TABLE_ID, Value::Unknown);
}

/// Sets `table_id` of `value` to `id` as it is.
pub(crate) fn set_id(value: &mut Value, id: Value) {
    set_attr(value, TABLE_ID, id);
}

/// `known` with what the API answered: the name, the cluster, and the id when the answer has
/// one (else the known id, never unknown). The template stays as planned (the answer echoes
/// it, and it cannot change).
pub(crate) fn state(table: &Table, known: &Value) -> Value {
    let mut state = known.clone();
    set_attr(&mut state, NAME, Value::String(table.name.clone()));
    set_cluster(
        &mut state,
        &Cluster::new(&table.account_id, &table.cluster_id),
    );
    let id = match table.id {
        Some(id) => Value::Number(Number::from_i64(id)),
        None => attr(known, TABLE_ID).known_or_null(),
    };
    set_id(&mut state, id);
    state
}

/// The create body of a planned state.
pub(crate) fn create_request(planned: &Value) -> CreateTableRequest {
    let planned = TableValue(planned);
    CreateTableRequest {
        name: planned.name().unwrap_or_default().to_owned(),
        partition_template: template::from_value(planned.partition_template()),
    }
}

/// The state an import starts from: the names and the cluster; the template and the id stay
/// null, as the API cannot read them.
pub(crate) fn import_state(database: &str, table: &str, cluster: &Cluster) -> Value {
    let mut state = Value::Object(BTreeMap::from([
        (DATABASE.to_owned(), Value::String(database.to_owned())),
        (DATABASE_NAME.to_owned(), Value::Null),
        (NAME.to_owned(), Value::String(table.to_owned())),
        (PARTITION_TEMPLATE.to_owned(), Value::Null),
        (TABLE_ID.to_owned(), Value::Null),
        (ACCOUNT_ID.to_owned(), Value::Null),
        (CLUSTER_ID.to_owned(), Value::Null),
    ]));
    set_cluster(&mut state, cluster);
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(id: Option<i64>) -> Table {
        Table {
            account_id: "a".into(),
            cluster_id: "c".into(),
            database_name: "metrics".into(),
            id,
            name: "cpu2".into(),
            partition_template: None,
        }
    }

    fn change(prior: Option<(&str, &str)>, config: (Option<&str>, Option<&str>)) -> PlanChange {
        let cluster = Cluster::new("a", "c");
        let text = |v: Option<&str>| v.map_or(Value::Null, |v| Value::String(v.to_owned()));
        let mut config_value = import_state("", "t", &cluster);
        set_attr(&mut config_value, DATABASE, text(config.0));
        set_attr(&mut config_value, DATABASE_NAME, text(config.1));
        let prior = prior.map_or(Value::Null, |(database, database_name)| {
            let mut v = import_state(database, "t", &cluster);
            set_attr(&mut v, DATABASE_NAME, text(Some(database_name)));
            v
        });
        let mut planned = config_value.clone();
        if config.0.is_none() {
            set_attr(&mut planned, DATABASE, Value::Unknown);
        }
        PlanChange {
            requires_replace: if prior.is_null() {
                vec![]
            } else {
                vec![AttributePath::attr(DATABASE)]
            },
            prior,
            config: config_value,
            planned,
        }
    }

    #[test]
    fn the_database_is_planned_from_either_spelling_and_alone_decides_a_replacement() {
        let mut create = change(None, (None, Some("db")));
        plan_database(&mut create);
        assert_eq!(TableValue(&create.planned).database(), Some("db"));
        assert!(create.requires_replace.is_empty());

        let mut same = change(Some(("db", "db")), (None, Some("db")));
        plan_database(&mut same);
        assert_eq!(TableValue(&same.planned).database(), Some("db"));
        assert!(
            same.requires_replace.is_empty(),
            "the incumbent's state, unchanged"
        );

        let mut respelled = change(Some(("db", "db")), (Some("db"), None));
        plan_database(&mut respelled);
        assert!(
            respelled.requires_replace.is_empty(),
            "database_name to database"
        );

        let mut moved = change(Some(("db", "db")), (None, Some("other")));
        plan_database(&mut moved);
        assert_eq!(
            moved.requires_replace,
            vec![AttributePath::attr(DATABASE)],
            "another database is a replacement"
        );
    }

    #[test]
    fn a_rename_answer_sets_name_and_id_and_one_without_id_keeps_the_known_id() {
        let cluster = Cluster::new("a", "c");
        let mut known = import_state("metrics", "cpu", &cluster);
        plan_unknown_id(&mut known);
        let renamed = state(&answer(Some(7)), &known);
        assert_eq!(TableValue(&renamed).name(), Some("cpu2"));
        assert_eq!(
            TableValue(&renamed).table_id(),
            &Value::Number(Number::from_i64(7))
        );
        let created = state(&answer(None), &renamed);
        assert_eq!(
            TableValue(&created).table_id(),
            &Value::Number(Number::from_i64(7))
        );
        assert_eq!(
            TableValue(&state(&answer(None), &known)).table_id(),
            &Value::Null
        );
        assert_eq!(crate::model::cluster::cluster_of(&created), Some(cluster));
    }
}
