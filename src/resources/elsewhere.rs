//! An object whose cluster the provider configuration in use cannot reach.
//!
//! Read, update and delete act in the cluster the state records
//! (docs/design.md#decision-6-a-token-lives-where-it-was-created), through the credentials of
//! whichever provider configuration the resource block names now. When the block moved to
//! another provider alias, those credentials may belong to another account or endpoint: the
//! API then answers 404 (it does not say whether the object or the cluster is unknown), 401 or
//! 403. Reported as is, that reads as a missing cluster; the user needs to hear that the block
//! changed provider configuration and what to write.
//!
//! A DELETE answered 404 normally means "already gone" and ends the object's life in state. In
//! a cluster other than the provider's, that 404 may only mean "not reachable from here", so
//! [`check_reachable`] lists the object's cluster first and refuses the delete when the list
//! fails: the object stays in state, never orphaned.

use std::future::Future;

use crate::api::{ApiError, Cluster};
use crate::framework::Diagnostics;
use crate::model::ProviderContext;

/// The words the diagnostic uses for one kind of object.
#[derive(Debug)]
pub(crate) struct Kind {
    /// The diagnostic's summary.
    summary: &'static str,
    /// What the object is called in a sentence ("database token").
    noun: &'static str,
    /// Its short name ("token").
    short: &'static str,
    /// What a delete does to it ("revoked").
    removed: &'static str,
}

/// Database tokens: a delete revokes.
pub(crate) const TOKEN: Kind = Kind {
    summary: "Database Token Not Reachable Through This Provider Configuration",
    noun: "database token",
    short: "token",
    removed: "revoked",
};

/// Databases: a delete is a soft delete.
pub(crate) const DATABASE: Kind = Kind {
    summary: "Database Not Reachable Through This Provider Configuration",
    noun: "database",
    short: "database",
    removed: "deleted",
};

/// Tables: a delete is a soft delete.
pub(crate) const TABLE: Kind = Kind {
    summary: "Table Not Reachable Through This Provider Configuration",
    noun: "table",
    short: "table",
    removed: "deleted",
};

/// Whether `e`, met in `home` while the provider points elsewhere, means the provider's
/// credentials cannot reach `home` rather than something about the object.
fn is_unreachable(e: &ApiError) -> bool {
    matches!(e.status(), Some(401 | 403 | 404))
}

/// Reports `e`: as an unreachable home cluster when the provider configuration points at
/// another cluster and the answer says it cannot act there, else under `summary` as it is.
/// `what` says what was being done ("read", "revoke", ...); `name` names the object.
pub(crate) fn report(
    ctx: &ProviderContext,
    kind: &Kind,
    name: &str,
    home: &Cluster,
    (what, summary): (&str, &str),
    e: &ApiError,
    diags: &mut Diagnostics,
) {
    if ctx.cluster() == Some(home) || !is_unreachable(e) {
        diags.error(summary, e.to_string());
        return;
    }
    let provider = ctx
        .cluster()
        .map_or_else(|| "no cluster".to_owned(), ToString::to_string);
    let Kind {
        summary,
        noun,
        short,
        removed,
    } = kind;
    diags.error(
        *summary,
        format!(
            "Could not {what} the {noun} {name}. Its state records that it lives in {home}, but \
             the provider configuration this resource block now uses points at {provider}, and \
             its credentials cannot reach it (the Management API answered HTTP {status}). This \
             happens when the block moved to another provider configuration (its `provider` \
             argument changed). Nothing was {removed} and the {short} stays in state. Point the \
             block back at the provider configuration for {home} (`provider = \
             influxdb3.<alias>` naming it, or no `provider` argument if it is the default one) \
             and plan again. A {short} cannot move between clusters: repointing it plans a \
             replacement (a new {short} in the new cluster, the old one {removed} in its own), \
             which needs credentials that reach both; otherwise declare the new {short} in a new \
             resource block and remove this one while it still uses the configuration for \
             {home}.",
            status = e.status().unwrap_or_default(),
        ),
    );
}

/// Before a delete in `home`: when the provider points at another cluster, proves that its
/// credentials reach `home` (`probe`, a list of the cluster's objects), so that a 404 from the
/// DELETE means the object is gone and not that the cluster is out of reach. `false` with an
/// error otherwise.
pub(crate) async fn check_reachable<T, F>(
    ctx: &ProviderContext,
    kind: &Kind,
    name: &str,
    home: &Cluster,
    (what, summary): (&str, &str),
    probe: F,
    diags: &mut Diagnostics,
) -> bool
where
    F: Future<Output = Result<T, ApiError>>,
{
    if ctx.cluster() == Some(home) {
        return true;
    }
    match probe.await {
        Ok(_) => true,
        Err(e) => {
            report(ctx, kind, name, home, (what, summary), &e, diags);
            false
        }
    }
}
