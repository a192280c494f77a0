//! Tables: the model of a table of a database and the managed `influxdb3_table`. The API can
//! neither read nor list tables, so there is no data source and no list resource. Adding a
//! table type is its own file or folder here plus one line in [`register`].

pub(crate) mod model;
pub mod resource;

use crate::framework::Registry;
use crate::model::ProviderContext;

/// The table resource's name.
pub const TYPE_NAME: &str = "influxdb3_table";

/// Adds the table types.
pub(crate) fn register(types: &mut Registry<ProviderContext>) {
    types.resource(resource::TableResource);
}
