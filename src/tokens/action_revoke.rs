//! Action `influxdb3_revoke_database_tokens`: revoke database tokens that no configuration
//! manages, through a reviewed plan. The incident-response verb: a leaked token is often one
//! made by hand or by another team, and its revoke should still go through the pipeline that
//! plans, gates (policy) and logs every other change.
//!
//! Tokens are chosen by id, by a selector (permissions naming a database, a description
//! prefix, created before an instant), or both. Every choice is checked against one fresh list
//! of the cluster, at plan (shown to the reviewer as a warning) and again at invoke (an action
//! carries nothing from its plan to its invocation, so the guards must hold at both):
//! - a selector must match at least one active token and at most `max_tokens`;
//! - `expect_description` pins the description of an id, so a mistyped id that happens to
//!   name another token revokes nothing;
//! - a token in the provider's `protected_token_ids` is refused (resource deletion protection
//!   lives in state, which an action cannot see).
//!
//! Any failed check is an error with nothing sent. At invoke each revoke uses the client's
//! rules (retries, 404 = already gone, a lost answer looked up), each is confirmed by a fresh
//! list (or a read by id), and the result names what was and was not revoked.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::api::{ApiError, Client, Cluster, DatabaseToken, DeleteOutcome, canonical_id};
use crate::framework::{
    Action, ActionEvents, Attribute, Declaration, Declare, Diagnostics, Schema,
};
use crate::model::ids::is_uuid;
use crate::model::instant;
use crate::model::{Call, ProviderContext};
use crate::value::{AttributePath, Type, Value};

/// The Terraform type name.
pub const TYPE_NAME: &str = "influxdb3_revoke_database_tokens";
/// Ids of the tokens to revoke.
pub const TOKEN_IDS: &str = "token_ids";
/// Guard: id → the description that token must have.
pub const EXPECT_DESCRIPTION: &str = "expect_description";
/// Selector: tokens with a permission on this database (or `*`).
pub const DATABASE: &str = "database";
/// Selector: tokens whose description starts with this.
pub const DESCRIPTION_PREFIX: &str = "description_prefix";
/// Selector: tokens created before this instant.
pub const CREATED_BEFORE: &str = "created_before";
/// The most tokens a selector may match.
pub const MAX_TOKENS: &str = "max_tokens";

/// `max_tokens` when unset: small, so that a selector wider than meant stops at plan.
pub const DEFAULT_MAX_TOKENS: u64 = 3;
/// The largest `max_tokens` accepted.
pub const MAX_MAX_TOKENS: u64 = 100;
/// Tokens named one by one in an error about a selector that matched too many.
const LISTED_IN_ERRORS: usize = 20;

/// The action type.
#[derive(Debug, Default)]
pub struct RevokeDatabaseTokens;

#[async_trait]
impl Action<ProviderContext> for RevokeDatabaseTokens {
    async fn plan(&self, Call { ctx, diags }: Call<'_>, config: &Value) {
        let Some(request) = Request::from_config(config) else {
            diags.warning(
                "Tokens To Revoke Known Only At Apply",
                "Some settings of this action are not known until apply (they refer to \
                 resources not created yet), so the plan cannot list the tokens it will revoke. \
                 At apply the provider lists the cluster and checks every guard \
                 (expect_description, max_tokens, protected_token_ids) before it revokes \
                 anything.",
            );
            return;
        };
        let Some((_, cluster, tokens)) = list_for(ctx, &request, diags).await else {
            return;
        };
        let Some(selection) = select(&request, &tokens, ctx, diags) else {
            return;
        };
        selection.report_inactive(diags);
        if selection.revoke.is_empty() {
            diags.warning(
                "Nothing To Revoke",
                "None of the tokens this action names is an active token of the cluster; the \
                 invocation will revoke nothing.",
            );
            return;
        }
        diags.warning(
            "Database Tokens Will Be Revoked",
            format!(
                "Invoking this action revokes {} of {cluster}, immediately and irreversibly; \
                 anything using them loses access at once:\n\n{}\n\nChosen by {}. At apply the \
                 provider lists the cluster again and revokes what the same settings choose \
                 then, with the same guards.",
                count(selection.revoke.len()),
                selection
                    .revoke
                    .iter()
                    .map(|t| describe(t))
                    .collect::<Vec<_>>()
                    .join("\n"),
                request.chosen_by(),
            ),
        );
    }

    async fn invoke(&self, call: Call<'_>, config: &Value, events: &mut dyn ActionEvents) {
        let Call { ctx, diags } = call;
        let Some(request) = Request::from_config(config) else {
            diags.error(
                "Action Configuration Unknown",
                "Some settings of this action are still unknown; nothing was revoked.",
            );
            return;
        };
        let Some((client, cluster, tokens)) = list_for(ctx, &request, diags).await else {
            return;
        };
        let Some(selection) = select(&request, &tokens, ctx, diags) else {
            diags.error(
                "Nothing Was Revoked",
                "A check of this action failed against the cluster's current tokens (see the \
                 other errors), so no token was revoked.",
            );
            return;
        };
        selection.report_inactive(diags);
        let outcome = revoke_all(client, cluster, &selection.revoke, events).await;
        let outcome = confirm(client, cluster, outcome, events).await;
        outcome.report(cluster, events, diags);
    }
}

impl Declare for RevokeDatabaseTokens {
    const DECLARATION: Declaration = Declaration::new(TYPE_NAME, schema).validated_by(validate);
}

fn schema() -> Schema {
    let strings = || Type::Set(Box::new(Type::String));
    Schema::new(
        "Revokes database tokens of the provider's cluster, immediately and irreversibly, \
         including tokens no configuration manages. The plan lists exactly which tokens the \
         invocation will revoke; a selector that matches nothing or more than `max_tokens`, \
         a failed `expect_description`, or a token in the provider's \
         `protected_token_ids` is an error at plan, with nothing sent. Set `token_ids`, a \
         selector (`database`, `description_prefix`, `created_before`), or both.",
        vec![
            Attribute::optional(TOKEN_IDS, strings()).describe(
                "Ids of tokens to revoke. An id that is not an active token of the cluster \
                 (already revoked, or unknown) is reported in the plan and skipped.",
            ),
            Attribute::optional(EXPECT_DESCRIPTION, Type::Map(Box::new(Type::String))).describe(
                "Guard for `token_ids`: token id → the exact description that token \
                     must have. When the cluster's token has another description, nothing \
                     is revoked, so a mistyped id cannot revoke the wrong token. Every key \
                     must be one of `token_ids`.",
            ),
            Attribute::optional(DATABASE, Type::String).describe(
                "Selector: active tokens with a permission (read or write) whose resource \
                 is exactly this database name. `\"*\"` selects tokens with a permission on \
                 every database; a named database does not select them.",
            ),
            Attribute::optional(DESCRIPTION_PREFIX, Type::String)
                .describe("Selector: active tokens whose description starts with this text."),
            Attribute::optional(CREATED_BEFORE, Type::String).describe(
                "Selector: active tokens created before this instant (RFC 3339, such as \
                 `2026-12-01T00:00:00Z`).",
            ),
            Attribute::optional(MAX_TOKENS, Type::Number).describe(format!(
                "The most tokens the selector may match (1 to {MAX_MAX_TOKENS}, default \
                 {DEFAULT_MAX_TOKENS}). A selector that matches more is an error at plan \
                 that lists them. Tokens named in `token_ids` do not count."
            )),
        ],
    )
}

/// The configuration, read once it is wholly known.
#[derive(Debug, Clone, PartialEq)]
struct Request {
    ids: BTreeSet<String>,
    expect: BTreeMap<String, String>,
    selector: Option<Selector>,
    max_tokens: usize,
}

#[derive(Debug, Clone, PartialEq)]
struct Selector {
    database: Option<String>,
    prefix: Option<String>,
    created_before: Option<OffsetDateTime>,
}

impl Selector {
    fn matches(&self, t: &DatabaseToken) -> bool {
        !t.is_revoked()
            && self
                .database
                .as_ref()
                .is_none_or(|db| t.permissions.iter().any(|p| &p.resource == db))
            && self
                .prefix
                .as_ref()
                .is_none_or(|p| t.description.starts_with(p.as_str()))
            && self
                .created_before
                .is_none_or(|before| t.created_at < before)
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(db) = &self.database {
            parts.push(format!("{DATABASE} = {db:?}"));
        }
        if let Some(p) = &self.prefix {
            parts.push(format!("{DESCRIPTION_PREFIX} = {p:?}"));
        }
        if let Some(t) = self.created_before.and_then(instant::format) {
            parts.push(format!("{CREATED_BEFORE} = {t}"));
        }
        parts.join(", ")
    }
}

/// A fresh list of the cluster's tokens, keeping only those `keep` accepts: a cluster of any
/// size is read while it arrives, and memory holds what the action names or selects.
async fn listed<K>(
    client: &Client,
    cluster: &Cluster,
    keep: K,
) -> Result<Vec<DatabaseToken>, ApiError>
where
    K: FnMut(&DatabaseToken) -> bool + Clone + Send + 'static,
{
    Ok(client.list_tokens_keeping(cluster, keep).await?.tokens)
}

impl Request {
    /// The tokens a list must keep for this request: those it names, and those its selector
    /// matches.
    fn wants(&self) -> impl FnMut(&DatabaseToken) -> bool + Clone + Send + 'static {
        let ids = std::sync::Arc::new(self.ids.clone());
        let selector = self.selector.clone();
        move |t| ids.contains(&t.id) || selector.as_ref().is_some_and(|s| s.matches(t))
    }

    /// The request, or `None` while any setting is unknown (validation has run: what is
    /// known is well formed).
    fn from_config(config: &Value) -> Option<Request> {
        if !config.is_wholly_known() {
            return None;
        }
        let text = |name: &str| config.get_attr(name).and_then(Value::as_str);
        let ids = config
            .get_attr(TOKEN_IDS)
            .and_then(Value::elements)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .map(canonical_id)
            .collect();
        let expect = config
            .get_attr(EXPECT_DESCRIPTION)
            .and_then(Value::entries)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((canonical_id(k), v.as_str()?.to_owned())))
            .collect();
        let selector = Selector {
            database: text(DATABASE).map(str::to_owned),
            prefix: text(DESCRIPTION_PREFIX).map(str::to_owned),
            created_before: text(CREATED_BEFORE).and_then(instant::parse),
        };
        let has_selector = selector.database.is_some()
            || selector.prefix.is_some()
            || selector.created_before.is_some();
        let max_tokens = config
            .get_attr(MAX_TOKENS)
            .and_then(Value::as_number)
            .and_then(|n| n.as_u64())
            .unwrap_or(DEFAULT_MAX_TOKENS);
        Some(Request {
            ids,
            expect,
            selector: has_selector.then_some(selector),
            max_tokens: usize::try_from(max_tokens).unwrap_or(usize::MAX),
        })
    }

    fn chosen_by(&self) -> String {
        match (&self.selector, self.ids.is_empty()) {
            (Some(s), true) => format!("the selector ({})", s.describe()),
            (Some(s), false) => format!("{TOKEN_IDS} and the selector ({})", s.describe()),
            (None, _) => TOKEN_IDS.to_owned(),
        }
    }
}

/// Checks what is known of the configuration; nothing is sent.
fn validate(config: &Value, diags: &mut Diagnostics) {
    let attr = |name: &str| config.get_attr(name).unwrap_or(&Value::Null);
    let ids = attr(TOKEN_IDS);
    let mut named = BTreeSet::new();
    for id in ids.elements().unwrap_or_default() {
        match id.as_str() {
            Some(id) if is_uuid(id) => {
                named.insert(canonical_id(id));
            }
            // Not echoed: an access token pasted by mistake must not be printed.
            Some(_) => diags.attr_error(
                AttributePath::attr(TOKEN_IDS),
                "Invalid Token Id",
                format!(
                    "{TOKEN_IDS} holds a value that is not a token id. Name tokens by their id \
                     (a UUID such as 11111111-1111-4111-8111-111111111111, shown by the \
                     influxdb3_database_tokens data source or `terraform query`), never by \
                     their access token."
                ),
            ),
            None => {}
        }
    }
    let ids_known = ids.is_null() || ids.is_wholly_known();
    for (key, expected) in attr(EXPECT_DESCRIPTION).entries().into_iter().flatten() {
        if !is_uuid(key) {
            diags.attr_error(
                AttributePath::attr(EXPECT_DESCRIPTION),
                "Invalid Token Id",
                format!(
                    "A key of {EXPECT_DESCRIPTION} is not a token id. Its keys are ids from \
                     {TOKEN_IDS} (UUIDs), each mapped to the description that token must have."
                ),
            );
            continue;
        }
        let path = AttributePath::attr(EXPECT_DESCRIPTION).push_key(key.clone());
        if ids_known && !named.contains(&canonical_id(key)) {
            diags.attr_error(
                path.clone(),
                "Guard For A Token Not Named",
                format!(
                    "{EXPECT_DESCRIPTION} guards token {key}, which {TOKEN_IDS} does not name. \
                     Add it to {TOKEN_IDS}, or remove the guard (a guard never selects a token \
                     by itself)."
                ),
            );
        }
        if expected.as_str() == Some("") {
            diags.attr_error(
                path,
                "Empty Expected Description",
                "An expected description must be the token's whole description; the API \
                 gives every token a non-empty one.",
            );
        }
    }
    for name in [DATABASE, DESCRIPTION_PREFIX] {
        if attr(name).as_str() == Some("") {
            diags.attr_error(
                AttributePath::attr(name),
                "Empty Selector",
                format!(
                    "An empty {name} would select every token. Remove it, or give the text to \
                     match."
                ),
            );
        }
    }
    if let Some(text) = attr(CREATED_BEFORE).as_str()
        && instant::parse(text).is_none()
    {
        diags.attr_error(
            AttributePath::attr(CREATED_BEFORE),
            "Invalid Instant",
            format!(
                "{CREATED_BEFORE} must be an RFC 3339 instant such as 2026-12-01T00:00:00Z (or \
                 with an offset, 2026-12-01T01:00:00+01:00); {text:?} is not one."
            ),
        );
    }
    if let Some(n) = attr(MAX_TOKENS).as_number() {
        let ok = n
            .as_u64()
            .is_some_and(|n| (1..=MAX_MAX_TOKENS).contains(&n));
        if !ok || !n.is_integer() {
            diags.attr_error(
                AttributePath::attr(MAX_TOKENS),
                "Invalid Token Bound",
                format!(
                    "{MAX_TOKENS} must be a whole number from 1 to {MAX_MAX_TOKENS}; {n} is \
                     not. It bounds how many tokens the selector may match."
                ),
            );
        }
    }
    let unset = |name: &str| attr(name).is_null();
    let no_selector = unset(DATABASE) && unset(DESCRIPTION_PREFIX) && unset(CREATED_BEFORE);
    let no_ids = match ids.elements() {
        Some(elements) => elements.is_empty(),
        None => ids.is_null(),
    };
    if no_selector && no_ids {
        diags.attr_error(
            AttributePath::attr(TOKEN_IDS),
            "No Token Chosen",
            format!(
                "Name the tokens to revoke in {TOKEN_IDS}, or select them with {DATABASE}, \
                 {DESCRIPTION_PREFIX} and/or {CREATED_BEFORE} (a selector revokes at most \
                 {MAX_TOKENS}, default {DEFAULT_MAX_TOKENS})."
            ),
        );
    }
}

/// What the configuration chooses among the cluster's tokens.
#[derive(Debug)]
struct Selection<'a> {
    /// Active tokens to revoke, oldest first.
    revoke: Vec<&'a DatabaseToken>,
    /// Ids named in `token_ids` that are not active: their revoke time when listed revoked.
    inactive: Vec<(String, Option<OffsetDateTime>)>,
}

impl Selection<'_> {
    fn report_inactive(&self, diags: &mut Diagnostics) {
        if self.inactive.is_empty() {
            return;
        }
        let lines: Vec<String> = self
            .inactive
            .iter()
            .map(|(id, revoked)| match revoked.and_then(instant::format) {
                Some(at) => format!("- {id}: revoked at {at}"),
                None => format!(
                    "- {id}: not listed by the cluster (already revoked, or no token has this id)"
                ),
            })
            .collect();
        diags.attr_warning(
            AttributePath::attr(TOKEN_IDS),
            "Tokens Already Gone",
            format!(
                "These ids are not active tokens of the cluster, so there is nothing to revoke \
                 for them:\n{}",
                lines.join("\n")
            ),
        );
    }
}

/// Applies the configuration and every guard to one list of the cluster. Each failure is an
/// error; `None` when there is any.
fn select<'a>(
    request: &Request,
    tokens: &'a [DatabaseToken],
    ctx: &ProviderContext,
    diags: &mut Diagnostics,
) -> Option<Selection<'a>> {
    let mut failed = false;
    let mut chosen: BTreeMap<&str, &DatabaseToken> = BTreeMap::new();
    let mut inactive = Vec::new();
    for id in &request.ids {
        match tokens.iter().find(|t| &t.id == id) {
            Some(t) if !t.is_revoked() => {
                if let Some(expected) = request.expect.get(id)
                    && &t.description != expected
                {
                    failed = true;
                    diags.attr_error(
                        AttributePath::attr(EXPECT_DESCRIPTION).push_key(id.clone()),
                        "Token Description Does Not Match",
                        format!(
                            "Token {id} has the description {:?}, not the expected {expected:?}, \
                             so nothing will be revoked. Check that the id is the one you mean \
                             (the influxdb3_database_tokens data source lists every token with \
                             its description).",
                            t.description
                        ),
                    );
                }
                chosen.insert(&t.id, t);
            }
            Some(t) => inactive.push((id.clone(), t.revoked_at)),
            None => inactive.push((id.clone(), None)),
        }
    }
    if let Some(selector) = &request.selector {
        let matched: Vec<&DatabaseToken> = sorted(tokens.iter().filter(|t| selector.matches(t)));
        if matched.is_empty() {
            failed = true;
            let active = tokens.iter().filter(|t| !t.is_revoked()).count();
            diags.error(
                "Selector Matches No Token",
                format!(
                    "No active token of the cluster matches {} (the cluster has {}). A \
                     selector must match at least one token; check its settings against the \
                     influxdb3_database_tokens data source.",
                    selector.describe(),
                    count(active),
                ),
            );
        } else if matched.len() > request.max_tokens {
            failed = true;
            let shown: Vec<String> = matched
                .iter()
                .take(LISTED_IN_ERRORS)
                .map(|t| describe(t))
                .collect();
            let more = matched.len().saturating_sub(LISTED_IN_ERRORS);
            diags.attr_error(
                AttributePath::attr(MAX_TOKENS),
                "Selector Matches Too Many Tokens",
                format!(
                    "{} matches {}, more than {MAX_TOKENS} = {}, so nothing will be revoked:\n\n\
                     {}{}\n\nNarrow the selector, or set {MAX_TOKENS} = {} if every one of them \
                     must go.",
                    selector.describe(),
                    count(matched.len()),
                    request.max_tokens,
                    shown.join("\n"),
                    if more > 0 {
                        format!("\n(and {more} more)")
                    } else {
                        String::new()
                    },
                    matched.len(),
                ),
            );
        }
        for t in matched {
            chosen.insert(&t.id, t);
        }
    }
    for t in chosen.values() {
        if ctx.refuses_action_revoke(&t.id) {
            failed = true;
            diags.error(
                "Token Is Protected",
                format!(
                    "Token {} ({:?}) is in the provider's protected_token_ids, so this action \
                     will not revoke it and revokes nothing. Remove it from {TOKEN_IDS} or \
                     narrow the selector; to revoke it on purpose, also name it in the \
                     provider's revoke_protected_token_ids for this run.",
                    t.id, t.description
                ),
            );
        }
    }
    if failed {
        return None;
    }
    Some(Selection {
        revoke: sorted(chosen.into_values()),
        inactive,
    })
}

fn sorted<'a>(tokens: impl Iterator<Item = &'a DatabaseToken>) -> Vec<&'a DatabaseToken> {
    let mut v: Vec<_> = tokens.collect();
    v.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    v
}

/// One line about a token for a reviewer: never its secret (a list has none).
fn describe(t: &DatabaseToken) -> String {
    let permissions = if t.permissions.is_empty() {
        "none".to_owned()
    } else {
        t.permissions
            .iter()
            .map(|p| format!("{} on {}", p.action, p.resource))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let created = instant::format(t.created_at).unwrap_or_else(|| "unknown".to_owned());
    format!(
        "- {} {:?} (permissions: {permissions}; created {created})",
        t.id, t.description
    )
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 token".to_owned()
    } else {
        format!("{n} tokens")
    }
}

/// The provider's client and cluster, and the tokens `request` names or selects from a fresh
/// list; `None` once an error says why not.
async fn list_for<'a>(
    ctx: &'a ProviderContext,
    request: &Request,
    diags: &mut Diagnostics,
) -> Option<(&'a Client, &'a Cluster, Vec<DatabaseToken>)> {
    let (client, cluster) = ctx.api(diags)?;
    match listed(client, cluster, request.wants()).await {
        Ok(tokens) => Some((client, cluster, tokens)),
        Err(e) => {
            list_failed(&e, diags);
            None
        }
    }
}

fn list_failed(e: &ApiError, diags: &mut Diagnostics) {
    diags.error(
        "Cannot List Database Tokens",
        format!("{e}. Nothing was revoked: the tokens to revoke are chosen from this list."),
    );
}

/// What happened to each token of one invocation.
#[derive(Debug, Default)]
struct Outcome {
    /// Revoked by this invocation, or found already gone: (id, description, how).
    done: Vec<(String, String, Done)>,
    /// Revoke failed: (id, description, why).
    failed: Vec<(String, String, String)>,
    /// Not attempted because Terraform asked the provider to stop: (id, description).
    skipped: Vec<(String, String)>,
    /// Answered as revoked but still listed as active by the cluster afterwards.
    unconfirmed: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    Revoked,
    AlreadyGone,
}

async fn revoke_all(
    client: &Client,
    cluster: &Cluster,
    tokens: &[&DatabaseToken],
    events: &mut dyn ActionEvents,
) -> Outcome {
    let mut outcome = Outcome::default();
    let total = tokens.len();
    for (i, t) in tokens.iter().enumerate() {
        let (id, description) = (t.id.clone(), t.description.clone());
        if events.stop_requested() {
            outcome.skipped.push((id, description));
            continue;
        }
        events.progress(format!(
            "[{}/{total}] revoking token {id} ({description:?})",
            i + 1
        ));
        match client.delete_token(cluster, &id).await {
            Ok(DeleteOutcome::Revoked) => {
                tracing::info!(token_id = %id, "revoked database token by action");
                events.progress(format!("[{}/{total}] revoked token {id}", i + 1));
                outcome.done.push((id, description, Done::Revoked));
            }
            Ok(DeleteOutcome::AlreadyGone) => {
                events.progress(format!(
                    "[{}/{total}] token {id} was already gone (404)",
                    i + 1
                ));
                outcome.done.push((id, description, Done::AlreadyGone));
            }
            Err(e) => {
                tracing::warn!(token_id = %id, error = %e, "revoking a database token failed");
                events.progress(format!(
                    "[{}/{total}] could not revoke token {id}: {e}",
                    i + 1
                ));
                outcome.failed.push((id, description, e.to_string()));
            }
        }
    }
    outcome
}

/// Checks that every token reported done is listed revoked or absent. One list for all; a
/// token still listed as active (a list that lags behind) is read by id before it is called
/// unconfirmed.
async fn confirm(
    client: &Client,
    cluster: &Cluster,
    mut outcome: Outcome,
    events: &mut dyn ActionEvents,
) -> Outcome {
    if outcome.done.is_empty() {
        return outcome;
    }
    let done: BTreeSet<String> = outcome.done.iter().map(|(id, ..)| id.clone()).collect();
    let listed = listed(client, cluster, move |t| done.contains(&t.id))
        .await
        .ok();
    let mut kept = Vec::new();
    for (id, description, how) in std::mem::take(&mut outcome.done) {
        let active_in_list = match &listed {
            Some(list) => list.iter().any(|t| t.id == id && !t.is_revoked()),
            None => true,
        };
        let confirmed = !active_in_list
            || match client.get_token(cluster, &id).await {
                Ok(t) => t.is_revoked(),
                Err(e) => e.is_not_found(),
            };
        if confirmed {
            kept.push((id, description, how));
        } else {
            outcome.unconfirmed.push((id, description));
        }
    }
    outcome.done = kept;
    events.progress(format!(
        "confirmed {} gone from the cluster",
        count(outcome.done.len())
    ));
    outcome
}

impl Outcome {
    fn report(&self, cluster: &Cluster, events: &mut dyn ActionEvents, diags: &mut Diagnostics) {
        let lines = |items: Vec<String>| items.join("\n");
        let done = lines(
            self.done
                .iter()
                .map(|(id, d, how)| match how {
                    Done::Revoked => format!("- {id} {d:?}: revoked"),
                    Done::AlreadyGone => format!("- {id} {d:?}: already gone"),
                })
                .collect(),
        );
        let ok = self.failed.is_empty() && self.skipped.is_empty() && self.unconfirmed.is_empty();
        events.progress(format!(
            "summary: {} revoked or already gone, {} failed, {} not attempted, {} unconfirmed",
            self.done.len(),
            self.failed.len(),
            self.skipped.len(),
            self.unconfirmed.len()
        ));
        if ok {
            if self.done.is_empty() {
                return;
            }
            diags.warning(
                "Database Tokens Revoked",
                format!(
                    "{} of {cluster} revoked and confirmed gone:\n{done}",
                    count(self.done.len())
                ),
            );
            return;
        }
        let mut detail = String::new();
        let mut section = |title: &str, body: String| {
            if !body.is_empty() {
                detail.push_str(&format!("{title}:\n{body}\n\n"));
            }
        };
        section("Revoked (confirmed)", done);
        section(
            "NOT revoked (the revoke failed)",
            lines(
                self.failed
                    .iter()
                    .map(|(id, d, why)| format!("- {id} {d:?}: {why}"))
                    .collect(),
            ),
        );
        section(
            "NOT attempted (the provider was asked to stop)",
            lines(
                self.skipped
                    .iter()
                    .map(|(id, d)| format!("- {id} {d:?}"))
                    .collect(),
            ),
        );
        section(
            "Answered as revoked, but still listed as active",
            lines(
                self.unconfirmed
                    .iter()
                    .map(|(id, d)| format!("- {id} {d:?}"))
                    .collect(),
            ),
        );
        detail.push_str(
            "Invoke the action again to finish: tokens already revoked are no longer active \
             and are skipped.",
        );
        diags.error("Database Tokens Partly Revoked", detail);
    }
}

#[cfg(test)]
mod tests;
