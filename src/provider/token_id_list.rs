//! Provider settings that name database tokens by id: a set in the provider block joined with
//! an environment variable (for a one-off run). Both lists are read, canonicalised and checked
//! alike; a value that is not a token id is refused without being repeated, since an access
//! token pasted there by mistake must not reach a log.

use std::collections::BTreeSet;

use crate::api::canonical_id;
use crate::framework::Diagnostics;
use crate::model::ids::is_uuid;
use crate::value::{AttributePath, Value};

/// One setting: its attribute, its environment variable, and what to name instead of a wrong
/// value.
#[derive(Debug)]
pub(crate) struct TokenIdList {
    pub(crate) attribute: &'static str,
    pub(crate) env: &'static str,
    /// The end of the error for a value that is not an id: where the right id is found.
    pub(crate) hint: &'static str,
}

impl TokenIdList {
    /// Checks the ids the block holds (unknown ones pass).
    pub(crate) fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        for id in self.listed(config) {
            self.check(self.attribute, id, diags);
        }
    }

    /// The ids named by the block and by the environment variable (`env` looks it up), each
    /// checked, in canonical form (`api::canonical_id`), so they compare with ids in state.
    pub(crate) fn resolve(
        &self,
        config: &Value,
        env: impl Fn(&str) -> Option<String>,
        diags: &mut Diagnostics,
    ) -> BTreeSet<String> {
        let mut ids: BTreeSet<String> = self.listed(config).map(canonical_id).collect();
        if let Some(text) = env(self.env) {
            for id in text.split(|c: char| c == ',' || c.is_whitespace()) {
                if id.is_empty() {
                    continue;
                }
                self.check(self.env, id, diags);
                ids.insert(canonical_id(id));
            }
        }
        ids
    }

    fn listed<'v>(&self, config: &'v Value) -> impl Iterator<Item = &'v str> {
        config
            .get_attr(self.attribute)
            .and_then(Value::elements)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
    }

    fn check(&self, name: &str, id: &str, diags: &mut Diagnostics) {
        if is_uuid(id) {
            return;
        }
        let summary = "Invalid Token Id";
        let detail = format!(
            "{name} lists a value that is not a token id (a UUID such as \
             11111111-1111-4111-8111-111111111111). {}",
            self.hint
        );
        if name == self.attribute {
            diags.attr_error(AttributePath::attr(self.attribute), summary, detail);
        } else {
            diags.error(summary, detail);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const LIST: TokenIdList = TokenIdList {
        attribute: "ids",
        env: "IDS_ENV",
        hint: "Name the id.",
    };

    #[test]
    fn ids_from_the_block_and_the_environment_compare_as_ids_in_state_do() {
        let block = Value::Object(BTreeMap::from([(
            "ids".to_owned(),
            Value::Set(vec!["AAAAAAAA-1111-4111-8111-111111111111".into()]),
        )]));
        let mut diags = Diagnostics::new();
        let ids = LIST.resolve(
            &block,
            |_| Some("BBBBBBBB-1111-4111-8111-111111111111".into()),
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            ids,
            BTreeSet::from([
                "aaaaaaaa-1111-4111-8111-111111111111".to_owned(),
                "bbbbbbbb-1111-4111-8111-111111111111".to_owned()
            ])
        );
    }
}
