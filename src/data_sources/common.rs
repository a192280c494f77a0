//! What the data sources share: computed attributes from a type map, and reading a list
//! through the client's cache in the provider's cluster.

use std::collections::BTreeMap;

use crate::api::ApiError;
use crate::framework::{Attribute, Diagnostics};
use crate::value::Type;

/// Computed attributes for every entry of `types` except `skip`, described from `docs`.
pub fn computed_attributes(
    types: BTreeMap<String, Type>,
    skip: &[&str],
    docs: &[(&'static str, &str)],
) -> Vec<Attribute> {
    docs.iter()
        .filter(|(name, _)| !skip.contains(name))
        .filter_map(|(name, doc)| {
            let ty = types.get(*name)?.clone();
            Some(Attribute::computed(name, ty).describe(*doc))
        })
        .collect()
}

/// Reports a failed list call.
pub fn list_failed(diags: &mut Diagnostics, what: &str, e: &ApiError) {
    diags.error(format!("Cannot List {what}"), format!("{e}."));
}
