//! Deprecated aliases carrying the incumbent provider's data source names. Each reads exactly
//! as the data source it stands for (see [`crate::framework::Alias`]); the warning at validate
//! says what to write instead and which outputs differ from the incumbent's, since a
//! configuration that reads them may need changing.

use std::sync::Arc;

use crate::framework::{Alias, DataSource, Deprecation};
use crate::model::ProviderContext;
use crate::{databases, tokens};

/// `(incumbent name, our name)` for every aliased data source. `influxdb3_database` and
/// `influxdb3_databases` are the incumbent's names and ours alike.
pub(crate) const ALIASES: &[(&str, &str)] = &[
    ("influxdb3_token", tokens::TYPE_NAME),
    ("influxdb3_cloud_token", tokens::TYPE_NAME),
    ("influxdb3_tokens", tokens::PLURAL_TYPE_NAME),
    ("influxdb3_cloud_tokens", tokens::PLURAL_TYPE_NAME),
    ("influxdb3_cloud_database", databases::TYPE_NAME),
    ("influxdb3_cloud_databases", databases::PLURAL_TYPE_NAME),
];

/// What our outputs do differently from the incumbent's, by our data source name.
fn differences(target: &str) -> &'static str {
    if target.contains("token") {
        "`permissions` is a set (compare it as one, not by index), `revoked_at` is shown, \
         and `access_token` is never returned by a read."
    } else {
        "`retention_period` is a duration text such as \"7d\" (\"0\" for infinite), not a \
         number of nanoseconds, and a `bucket` partition part has the tag key in `value` and \
         the count in `number_of_buckets` instead of a JSON text."
    }
}

/// The warning every configuration of a data source alias gets.
pub(crate) fn deprecation(alias: &str, target: &str) -> Deprecation {
    let list_note = if target == tokens::PLURAL_TYPE_NAME {
        " Revoked tokens are left out unless include_revoked = true."
    } else {
        ""
    };
    Deprecation {
        summary: format!("Deprecated Data Source {alias}"),
        detail: format!(
            "{alias} is the incumbent provider's name, kept so its configuration works \
             unchanged. Write data \"{target}\" instead (same arguments). Unlike the \
             incumbent's, {}{list_note}",
            differences(target)
        ),
    }
}

/// The alias data sources of `ours` (our real data sources, looked up by name).
pub(crate) fn all(
    ours: &[Arc<dyn DataSource<ProviderContext>>],
) -> Vec<Arc<dyn DataSource<ProviderContext>>> {
    ALIASES
        .iter()
        .filter_map(|(alias, target)| {
            let real = ours.iter().find(|d| d.type_name() == *target)?;
            let aliased: Arc<dyn DataSource<ProviderContext>> =
                Arc::new(Alias::new(alias, real.clone(), deprecation(alias, target)));
            Some(aliased)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Provider;

    #[test]
    fn every_alias_stands_for_one_of_our_data_sources_and_says_what_differs() {
        let ours = crate::provider::InfluxDb3Provider.data_sources();
        let names: Vec<&str> = ours.iter().map(|d| d.type_name()).collect();
        for (alias, target) in ALIASES {
            assert!(names.contains(alias), "{alias} is not served");
            let d = deprecation(alias, target);
            assert!(
                d.detail.contains(&format!("data \"{target}\"")),
                "{}",
                d.detail
            );
        }
        let db = deprecation("influxdb3_cloud_database", "influxdb3_database").detail;
        assert!(db.contains("retention_period") && db.contains("7d"), "{db}");
        let list = deprecation("influxdb3_tokens", "influxdb3_database_tokens").detail;
        assert!(list.contains("include_revoked"), "{list}");
    }
}
