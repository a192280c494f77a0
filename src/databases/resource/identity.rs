//! The database's identity `{account_id, cluster_id, name}`, import by identity (in the
//! cluster the identity names) and the `influxdb3_database` list resource.

use async_trait::async_trait;

use crate::api::shape;
use crate::databases::model::{NAME, import_state, state};
use crate::databases::name::{NAME_RULES, name_problem};
use crate::framework::{
    Declaration, Declare, Diagnostics, IdentityAttribute, IdentitySchema, ListResource,
    ListedObject, Schema,
};
use crate::model::identity::{cluster_of, home_identity};
use crate::model::{Call, ProviderContext};
use crate::value::Value;

/// `{account_id, cluster_id, name}`.
pub(super) fn schema() -> IdentitySchema {
    home_identity(&[IdentityAttribute {
        name: NAME,
        description: "The name of the database, unique in its cluster.",
    }])
}

/// The starting state of the database an identity names; Terraform reads it right after, in
/// the identity's cluster.
pub(super) fn import(identity: &Value, diags: &mut Diagnostics) -> Option<Value> {
    let cluster = cluster_of(identity, diags)?;
    let name = IdentitySchema::get(identity, NAME)?;
    if let Some(problem) = name_problem(name) {
        diags.error(
            "Invalid Import Identity",
            format!(
                "The identity's name ({}) is not a database name: it {problem}. {NAME_RULES}",
                shape(name)
            ),
        );
        return None;
    }
    Some(import_state(name, &cluster))
}

/// The list resource type: every database of the provider's cluster, by name.
#[derive(Debug, Default)]
pub struct DatabaseList;

#[async_trait]
impl ListResource<ProviderContext> for DatabaseList {
    async fn list(&self, Call { ctx, diags }: Call<'_>, _config: &Value) -> Vec<ListedObject> {
        let Some((client, cluster)) = ctx.api(diags) else {
            return Vec::new();
        };
        match client.list_databases(cluster).await {
            Ok(mut databases) => {
                databases.sort_by(|a, b| a.name.cmp(&b.name));
                databases
                    .iter()
                    .map(|db| ListedObject {
                        display_name: db.name.clone(),
                        state: state(db, &Value::Null),
                    })
                    .collect()
            }
            Err(e) => {
                diags.error("Cannot List Databases", e.to_string());
                Vec::new()
            }
        }
    }
}

impl Declare for DatabaseList {
    const DECLARATION: Declaration = Declaration::new(crate::databases::TYPE_NAME, filter_schema);
}

fn filter_schema() -> Schema {
    Schema::new(
        "Finds the databases of the provider's cluster (one Management API list call per \
         query), to import the ones no configuration manages.",
        Vec::new(),
    )
}
