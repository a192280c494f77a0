//! Databases: the model of a database (its name rules, retention, limits) and every Terraform
//! type built on it (the managed `influxdb3_database`, its data sources and its list
//! resource). Adding a database type is its own file or folder here plus one line in
//! [`register`].

pub(crate) mod data_source_database;
pub(crate) mod data_source_databases;
pub(crate) mod model;
pub(crate) mod name;
pub mod resource;
pub(crate) mod retention;
pub(crate) mod retention_hint;

use crate::framework::Registry;
use crate::model::ProviderContext;

/// The name the database's resource, data source and list resource share.
pub const TYPE_NAME: &str = "influxdb3_database";
/// The data source that lists databases.
pub const PLURAL_TYPE_NAME: &str = "influxdb3_databases";

/// Adds the database types.
pub(crate) fn register(types: &mut Registry<ProviderContext>) {
    types
        .resource(resource::DatabaseResource)
        .data_source(data_source_database::DatabaseDataSource)
        .data_source(data_source_databases::DatabasesDataSource)
        .list_resource(resource::DatabaseList);
}
