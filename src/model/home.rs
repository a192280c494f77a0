//! Where an object lives and how to reach it: one [`Home`] per call, for every managed type.
//!
//! Read, update and delete act in the cluster the state records
//! (docs/design.md#decision-6-a-token-lives-where-it-was-created), through the credentials of
//! whichever provider configuration the resource block names now; a create acts in the
//! provider's cluster. A state that records no cluster is refused alike for every type: acting
//! in the provider's cluster instead could revoke or delete another object of the same id or
//! name, or call a live object gone and orphan it.
//!
//! When the block moved to another provider alias, its credentials may belong to another
//! account or endpoint: the API then answers 404 (it does not say whether the object or the
//! cluster is unknown), 401 or 403. Reported as is, that reads as a missing cluster; the user
//! needs to hear that the block changed provider configuration and what to write
//! ([`Home::report`]). A DELETE answered 404 normally means "already gone" and ends the
//! object's life in state; in a cluster other than the provider's it may only mean "not
//! reachable from here", so [`Home::check_reachable`] lists the cluster first and refuses the
//! delete when the list fails: the object stays in state, never orphaned.

use crate::api::{ApiError, Client, Cluster};
use crate::framework::Diagnostics;
use crate::model::ProviderContext;
use crate::model::cluster::cluster_of;
use crate::value::Value;

/// The words a diagnostic uses for one kind of object.
#[derive(Debug)]
pub(crate) struct Kind {
    /// Its name in a title ("Database Token").
    title: &'static str,
    /// What it is called in a sentence ("database token").
    noun: &'static str,
    /// Its short name ("token").
    short: &'static str,
    /// What a delete does to it ("revoked").
    removed: &'static str,
    /// The list that proves a cluster answers these credentials, before a delete.
    probe: Probe,
}

/// A list of a cluster's objects, read (from the client's cache when it has one) only to learn
/// that the cluster answers.
#[derive(Debug, Clone, Copy)]
enum Probe {
    Tokens,
    Databases,
}

/// Database tokens: a delete revokes.
pub(crate) const TOKEN: Kind = Kind {
    title: "Database Token",
    noun: "database token",
    short: "token",
    removed: "revoked",
    probe: Probe::Tokens,
};

/// Databases: a delete is a soft delete.
pub(crate) const DATABASE: Kind = Kind {
    title: "Database",
    noun: "database",
    short: "database",
    removed: "deleted",
    probe: Probe::Databases,
};

/// Tables: a delete is a soft delete.
pub(crate) const TABLE: Kind = Kind {
    title: "Table",
    noun: "table",
    short: "table",
    removed: "deleted",
    probe: Probe::Databases,
};

/// What a call was doing when it failed: the verb of the sentence ("revoke") and the title of
/// what it acted on, which make the diagnostic's summary ("Cannot Revoke Database Token").
#[derive(Debug, Clone, Copy)]
pub(crate) struct Doing {
    verb: &'static str,
    title: &'static str,
}

impl Doing {
    /// Doing `verb` to an object the summary calls `title`, for a type whose summaries name it
    /// otherwise than its [`Kind`] does.
    pub(crate) const fn titled(verb: &'static str, title: &'static str) -> Self {
        Doing { verb, title }
    }

    /// The diagnostic's summary: "Cannot", the verb capitalised, the title.
    pub(crate) fn summary(&self) -> String {
        let mut letters = self.verb.chars();
        let verb: String = letters
            .next()
            .map(|first| first.to_uppercase().chain(letters).collect())
            .unwrap_or_default();
        format!("Cannot {verb} {}", self.title)
    }
}

impl Kind {
    /// Doing `verb` to an object of this kind.
    pub(crate) const fn doing(&self, verb: &'static str) -> Doing {
        Doing::titled(verb, self.title)
    }
}

/// One object's cluster, the client that reaches it and the words that name it.
#[derive(Debug)]
pub(crate) struct Home<'a> {
    /// The API client of the provider configuration in use.
    pub(crate) client: &'a Client,
    /// The cluster the object lives in (or, for a create, will).
    pub(crate) cluster: Cluster,
    /// The cluster the provider configuration points at, when it names one.
    provider: Option<&'a Cluster>,
    kind: &'static Kind,
    /// The object as diagnostics name it.
    name: String,
}

impl<'a> Home<'a> {
    /// The home of the object `state` holds: the cluster the state records. A state without
    /// one is an error naming the way out (remove it and import again).
    pub(crate) fn of_state(
        ctx: &'a ProviderContext,
        kind: &'static Kind,
        state: &Value,
        name: String,
        diags: &mut Diagnostics,
    ) -> Option<Self> {
        let client = ctx.client(diags)?;
        let Some(cluster) = cluster_of(state) else {
            let Kind { title, noun, .. } = kind;
            diags.error(
                format!("{title} Without A Cluster"),
                format!(
                    "The state of the {noun} {name} has no account_id or cluster_id, so the \
                     provider cannot tell where it lives, and acting in the provider's cluster \
                     instead could reach another object. Remove it from the state (terraform \
                     state rm) and import it again."
                ),
            );
            return None;
        };
        Some(Self {
            client,
            cluster,
            provider: ctx.cluster(),
            kind,
            name,
        })
    }

    /// Whether the provider configuration in use points at this object's cluster.
    pub(crate) fn is_providers(&self) -> bool {
        self.provider == Some(&self.cluster)
    }

    /// The object as diagnostics name it.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Reports `e`: as an unreachable cluster when the provider configuration points at
    /// another one and the answer says it cannot act there, else under the summary as it is.
    pub(crate) fn report(&self, doing: Doing, e: &ApiError, diags: &mut Diagnostics) {
        if self.is_providers() || !matches!(e.status(), Some(401 | 403 | 404)) {
            diags.error(doing.summary(), sentence(e));
            return;
        }
        let home = &self.cluster;
        let provider = self
            .provider
            .map_or_else(|| "no cluster".to_owned(), ToString::to_string);
        let Kind {
            title,
            noun,
            short,
            removed,
            ..
        } = self.kind;
        let (what, name) = (doing.verb, &self.name);
        diags.error(
            format!("{title} Not Reachable Through This Provider Configuration"),
            format!(
                "Could not {what} the {noun} {name}. Its state records that it lives in {home}, \
                 but the provider configuration this resource block now uses points at \
                 {provider}, and its credentials cannot reach it (the Management API answered \
                 HTTP {status}). This happens when the block moved to another provider \
                 configuration (its `provider` argument changed). Nothing was {removed} and the \
                 {short} stays in state. Point the block back at the provider configuration for \
                 {home} (`provider = influxdb3.<alias>` naming it, or no `provider` argument if \
                 it is the default one) and plan again. A {short} cannot move between clusters: \
                 repointing it plans a replacement (a new {short} in the new cluster, the old \
                 one {removed} in its own), which needs credentials that reach both; otherwise \
                 declare the new {short} in a new resource block and remove this one while it \
                 still uses the configuration for {home}.",
                status = e.status().unwrap_or_default(),
            ),
        );
    }

    /// Before a delete: when the provider points at another cluster, proves that its
    /// credentials reach this one (a list of the cluster's objects of the kind's probe), so
    /// that a 404 from the DELETE means the object is gone and not that the cluster is out of
    /// reach. `false` with an error otherwise.
    pub(crate) async fn check_reachable(&self, doing: Doing, diags: &mut Diagnostics) -> bool {
        if self.is_providers() {
            return true;
        }
        let listed = match self.kind.probe {
            Probe::Tokens => self
                .client
                .cached_token_index(&self.cluster)
                .await
                .map(drop),
            Probe::Databases => self.client.cached_databases(&self.cluster).await.map(drop),
        };
        match listed {
            Ok(()) => true,
            Err(e) => {
                self.report(doing, &e, diags);
                false
            }
        }
    }
}

/// An error as the end of a diagnostic's detail: ending with a full stop, once.
pub(crate) fn sentence(e: &ApiError) -> String {
    let text = e.to_string();
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {

    use crate::databases::model as database;
    use crate::databases::resource::DatabaseResource;
    use crate::framework::{Call, Diagnostics, Provider, Resource};
    use crate::mock::{MockOptions, MockServer};
    use crate::model::ProviderContext;
    use crate::provider::InfluxDb3Provider;
    use crate::provider::testing::mock_block;
    use crate::tables::model as table;
    use crate::tables::resource::TableResource;
    use crate::tokens::model as token;
    use crate::tokens::resource::DatabaseTokenResource;
    use crate::value::Value;

    /// A resource type, the attributes its state sets, the summary of its refusal.
    type Case<'a> = (
        &'a dyn Resource<ProviderContext>,
        Vec<(&'a str, &'a str)>,
        &'a str,
    );

    /// A state of `resource` with `set` attributes and no `account_id`/`cluster_id`.
    fn without_cluster(resource: &dyn Resource<ProviderContext>, set: &[(&str, &str)]) -> Value {
        resource
            .schema()
            .value_with(set.iter().map(|(name, value)| (*name, Value::from(*value))))
    }

    #[test]
    fn a_summary_is_cannot_the_capitalised_verb_and_the_title() {
        use super::{Doing, TABLE, TOKEN};
        assert_eq!(
            TOKEN.doing("revoke").summary(),
            "Cannot Revoke Database Token"
        );
        assert_eq!(TABLE.doing("rename").summary(), "Cannot Rename Table");
        assert_eq!(
            Doing::titled("read", "Rotating Database Token").summary(),
            "Cannot Read Rotating Database Token"
        );
    }

    #[tokio::test]
    async fn a_state_without_a_cluster_is_refused_alike_for_every_type_and_nothing_is_sent() {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let mock = MockServer::spawn(MockOptions::default())
            .await
            .expect("mock");
        let mut diags = Diagnostics::new();
        let ctx = InfluxDb3Provider
            .configure(&mock_block(&mock), "1.11.4", &mut diags)
            .await
            .unwrap_or_else(|| panic!("configure: {diags:?}"));
        let id = "0b0d2c1e-5f4a-4e7b-9c3d-2a1b0c9d8e7f";
        let cases: [Case; 3] = [
            (
                &DatabaseTokenResource,
                vec![(token::ID, id), (token::DESCRIPTION, "ci")],
                "Database Token Without A Cluster",
            ),
            (
                &DatabaseResource,
                vec![(database::NAME, "metrics")],
                "Database Without A Cluster",
            ),
            (
                &TableResource,
                vec![(table::DATABASE, "metrics"), (table::NAME, "cpu")],
                "Table Without A Cluster",
            ),
        ];
        for (resource, set, summary) in cases {
            let state = without_cluster(resource, &set);
            let mut read = Diagnostics::new();
            let refreshed = resource.read(Call::new(&ctx, &mut read), &state).await;
            let mut delete = Diagnostics::new();
            resource.delete(Call::new(&ctx, &mut delete), &state).await;
            for (what, diags) in [("read", &read), ("delete", &delete)] {
                assert!(
                    diags
                        .iter()
                        .any(|d| d.summary == summary && d.detail.contains("terraform state rm")),
                    "{} {what}: {diags:?}",
                    resource.type_name()
                );
            }
            assert!(refreshed.is_none(), "{}", resource.type_name());
        }
        assert!(
            mock.requests().is_empty(),
            "nothing reaches the API: {:?}",
            mock.requests()
        );
    }
}
