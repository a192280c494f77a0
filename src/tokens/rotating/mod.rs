//! `influxdb3_rotating_database_token`: a database token that is replaced on a schedule, with a
//! hand-over. The state holds the current token and, for `overlap` after a rotation, the
//! previous one; plans decide when to rotate and when to revoke (see `plan`), from instants the
//! provider's clock sets (see `instants`).
//!
//! Every token it creates goes through `Client::create_token` with a receipt, so a create
//! without a usable answer never orphans or adopts a token by likeness
//! (docs/design.md#decision-8-create-is-not-idempotent). A rotation that cannot finish keeps
//! what it made in the previous slot, due at once, so the next plan revokes it.
//!
//! Apply order in a rotation: revoke the previous token first, then create. Creating first
//! would leave three live tokens when the revoke then failed, one more than the state can hold.

mod instants;
mod plan;
mod schema;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::api::{
    Absent, ApiError, Client, Cluster, CreateTokenRequest, CreatedToken, DatabaseToken,
    Description, Found,
};
use crate::framework::{Declaration, Declare, Diagnostics, PlanChange, Resource, attr, set_attr};
use crate::model::cluster::{ACCOUNT_ID, CLUSTER_ID};
use crate::model::home::{Doing, Home, TOKEN, sentence};
use crate::model::instant;
use crate::model::permissions::{permissions, permissions_value};
use crate::model::protection::{self, DELETION_PROTECTION};
use crate::model::{Call, PlanCall, ProviderContext};
use crate::tokens::model::{
    self as token, ACCESS_TOKEN, CREATED_AT, DESCRIPTION, EXPIRES_AT, ID, PERMISSIONS,
    placeholder_receipt,
};
use crate::tokens::resource::{Lookup, Unrevoked, find, revoke_made_by};
use crate::value::Value;
use instants::{Schedule, has_come};
use schema::{
    NEXT_ROTATION_AT, OVERLAP, PREVIOUS_ID, PREVIOUS_REVOKE_AT, ROTATION_PERIOD, ROTATION_TRIGGERS,
    RotatingValue,
};

/// The resource's type name.
pub const TYPE_NAME: &str = "influxdb3_rotating_database_token";

/// The resource type.
#[derive(Debug, Default)]
pub struct RotatingDatabaseTokenResource;

#[async_trait]
impl Resource<ProviderContext> for RotatingDatabaseTokenResource {
    async fn modify_plan(&self, PlanCall { ctx, diags }: PlanCall<'_>, change: &mut PlanChange) {
        plan::modify_plan(ctx, change, diags);
    }

    fn plan_destroy(&self, PlanCall { ctx, diags }: PlanCall<'_>, prior: &Value, replacing: bool) {
        plan::plan_destroy(ctx, prior, replacing, diags);
    }

    /// One cached list serves both tokens. A current token found revoked or missing leaves
    /// `id` null (the next plan rotates at once, handing nothing over); a previous one leaves
    /// the previous attributes null. A failed look-up keeps the state as it was.
    async fn read(&self, Call { ctx, diags }: Call<'_>, state: &Value) -> Option<Value> {
        let home = home(ctx, state, diags)?;
        let (client, cluster) = (home.client, &home.cluster);
        if let Some(receipt) = placeholder_receipt(state) {
            return match client.look_for_receipt(cluster, &receipt).await {
                Found::Absent(Absent { proven: true, .. }) => {
                    diags.warning(
                        "Unsettled Database Token Create Made Nothing",
                        format!(
                            "The first create of the rotating database token {:?} made no \
                             token (no token in {cluster} carries its receipt). It was removed \
                             from the state; the next plan creates it.",
                            RotatingValue(state).description().unwrap_or_default()
                        ),
                    );
                    None
                }
                _ => Some(state.clone()),
            };
        }
        let r = RotatingValue(state);
        let mut new = state.clone();
        if let Some(id) = r.id() {
            match find(client, cluster, id, token::described(state, cluster)).await {
                Ok(Lookup::Active(t)) => {
                    set_attr(&mut new, DESCRIPTION, Value::String(t.description.clone()));
                    set_attr(&mut new, PERMISSIONS, permissions_value(&t.permissions));
                    let created =
                        instant::keep_spelling(attr(state, CREATED_AT), Some(t.created_at));
                    set_attr(&mut new, CREATED_AT, created);
                    let expires = instant::keep_spelling(attr(state, EXPIRES_AT), t.expires_at);
                    set_attr(&mut new, EXPIRES_AT, expires);
                    if t.expires_at.is_some_and(|at| has_come(at, instants::now())) {
                        diags.warning(
                            "Current Database Token Expired",
                            format!(
                                "The current token {id} of the rotating database token {:?} \
                                 has expired; clients using it are rejected. The next apply \
                                 rotates (and revokes the expired token).",
                                r.description().unwrap_or_default()
                            ),
                        );
                    }
                }
                Ok(gone) => {
                    diags.warning(
                        "Current Database Token Gone",
                        format!(
                            "The current token {id} of the rotating database token {:?} {} in \
                             {cluster} (changed outside Terraform). The next apply rotates at \
                             once: a new current token, with nothing to hand over.",
                            r.description().unwrap_or_default(),
                            gone.gone_words()
                        ),
                    );
                    set_attr(&mut new, ID, Value::Null);
                    set_attr(&mut new, ACCESS_TOKEN, Value::Null);
                }
                Err(e) => {
                    home.report(READ, &e, diags);
                    return Some(state.clone());
                }
            }
        }
        if let Some(prev) = r.previous_id() {
            let gone = match token::placeholder_id_receipt(prev) {
                Some(receipt) => matches!(
                    client.look_for_receipt(cluster, &receipt).await,
                    Found::Absent(Absent { proven: true, .. })
                )
                .then_some("made no token"),
                None => match find(client, cluster, prev, None).await {
                    Ok(Lookup::Active(_)) => None,
                    Ok(gone) => Some(gone.gone_words()),
                    Err(e) => {
                        home.report(READ, &e, diags);
                        return Some(state.clone());
                    }
                },
            };
            if let Some(how) = gone {
                diags.warning(
                    "Previous Database Token Gone",
                    format!(
                        "The previous token {prev} of the rotating database token {:?} {how} \
                         (changed outside Terraform), before its scheduled revocation. It was \
                         removed from the state; nothing else changes.",
                        r.description().unwrap_or_default()
                    ),
                );
                set_attr(&mut new, PREVIOUS_ID, Value::Null);
                set_attr(&mut new, PREVIOUS_REVOKE_AT, Value::Null);
            }
        }
        Some(new)
    }

    /// Creates the first current token. A create whose token was made but whose secret was
    /// lost and could not be revoked is kept (tainted) so the next apply replaces it; one whose
    /// outcome is unknown keeps a placeholder naming its receipt.
    async fn create(&self, Call { ctx, diags }: Call<'_>, planned: &Value) -> Option<Value> {
        let (client, cluster) = ctx.api(diags)?;
        let schedule = schedule_of(planned, diags)?;
        let now = instants::now();
        let mut state = planned.clone();
        set_attr(&mut state, PREVIOUS_ID, Value::Null);
        set_attr(&mut state, PREVIOUS_REVOKE_AT, Value::Null);
        match issue(client, cluster, planned, schedule, now, diags).await {
            Ok(created) => {
                set_current(
                    &mut state,
                    &created.token,
                    Some(created.access_token.expose()),
                    now,
                    schedule,
                );
                Some(state)
            }
            Err(Issue::Api(e)) => {
                if let Some(made) = e.adopted_token() {
                    set_current(&mut state, made, None, now, schedule);
                    diags.error(
                        CREATE.summary(),
                        format!(
                            "{e}. It is kept in the state as tainted: the next apply revokes it \
                             and creates a new one."
                        ),
                    );
                    return Some(state);
                }
                diags.error(CREATE.summary(), sentence(&e));
                e.unsettled_receipt()
                    .map(|receipt| token::placeholder(planned, receipt))
            }
            Err(Issue::Bad(why)) => {
                diags.error(CREATE.summary(), why);
                None
            }
        }
    }

    /// Revokes the previous token when the plan drops it, then rotates when the plan asks for
    /// a new current token, else changes the current token in place.
    async fn update(&self, call: Call<'_>, prior: &Value, planned: &Value) -> Option<Value> {
        let Call { ctx, diags } = call;
        let home = home(ctx, prior, diags)?;
        let (client, cluster) = (home.client, &home.cluster);
        let p = RotatingValue(prior);
        let mut state = prior.clone();
        if let Some(prev) = p.previous_id()
            && attr(planned, PREVIOUS_ID).as_str() != Some(prev)
        {
            if let Err(e) = revoke(client, cluster, prev).await {
                e.report(&home, prev, diags);
                return Some(state);
            }
            set_attr(&mut state, PREVIOUS_ID, Value::Null);
            set_attr(&mut state, PREVIOUS_REVOKE_AT, Value::Null);
        }
        if !attr(planned, ID).is_unknown() {
            if let (Some(id), Some(request)) = (p.id(), token::update_request(prior, planned)) {
                match client.update_token(cluster, id, &request).await {
                    Ok(updated) => {
                        set_attr(
                            &mut state,
                            PERMISSIONS,
                            permissions_value(&updated.permissions),
                        );
                        set_attr(&mut state, DESCRIPTION, Value::String(updated.description));
                    }
                    Err(e) => {
                        home.report(UPDATE, &e, diags);
                        return Some(state);
                    }
                }
            }
            for name in SETTINGS {
                set_attr(&mut state, name, attr(planned, name).clone());
            }
            return Some(state);
        }
        let schedule = schedule_of(planned, diags)?;
        let now = instants::now();
        let created = match issue(client, cluster, planned, schedule, now, diags).await {
            Ok(created) => created,
            Err(e) => {
                keep_unfinished(&mut state, &e, now, diags);
                return Some(state);
            }
        };
        let mut new = planned.clone();
        set_current(
            &mut new,
            &created.token,
            Some(created.access_token.expose()),
            now,
            schedule,
        );
        match (p.id(), attr(planned, PREVIOUS_ID).as_str()) {
            (Some(old), Some(_)) => {
                let at = schedule.previous_revoke(now);
                set_attr(&mut new, PREVIOUS_ID, Value::String(old.to_owned()));
                set_attr(&mut new, PREVIOUS_REVOKE_AT, instant::timestamp_value(at));
            }
            (Some(old), None) => {
                // The old current token expired: it cannot serve a hand-over.
                set_attr(&mut new, PREVIOUS_ID, Value::Null);
                set_attr(&mut new, PREVIOUS_REVOKE_AT, Value::Null);
                if let Err(e) = revoke(client, cluster, old).await {
                    e.report(&home, old, diags);
                    set_attr(&mut new, PREVIOUS_ID, Value::String(old.to_owned()));
                    set_attr(
                        &mut new,
                        PREVIOUS_REVOKE_AT,
                        instant::timestamp_value(Some(now)),
                    );
                }
            }
            (None, _) => {
                set_attr(&mut new, PREVIOUS_ID, Value::Null);
                set_attr(&mut new, PREVIOUS_REVOKE_AT, Value::Null);
            }
        }
        Some(new)
    }

    /// Revokes the previous token, then the current one; already gone is success. Refused
    /// under deletion protection (also here: Terraform before 1.3 never plans a destroy with
    /// the provider).
    async fn delete(&self, Call { ctx, diags }: Call<'_>, prior: &Value) {
        let p = RotatingValue(prior);
        let plan_destroy = |d: &mut Diagnostics| plan::plan_destroy(Some(ctx), prior, false, d);
        if protection::delete_refused(prior, plan_destroy, diags) {
            return;
        }
        let Some(home) = home(ctx, prior, diags) else {
            return;
        };
        if !home.check_reachable(REVOKE, diags).await {
            return;
        }
        for id in [p.previous_id(), p.id()].into_iter().flatten() {
            if let Err(e) = revoke(home.client, &home.cluster, id).await {
                e.report(&home, id, diags);
                return;
            }
        }
    }
}

impl Declare for RotatingDatabaseTokenResource {
    const DECLARATION: Declaration = Declaration::new(TYPE_NAME, schema::schema)
        .validated_by(plan::validate)
        .guarded_by(DELETION_PROTECTION);
}

/// The configured attributes an in-place update copies into the state.
const SETTINGS: [&str; 6] = [
    DESCRIPTION,
    PERMISSIONS,
    ROTATION_PERIOD,
    OVERLAP,
    ROTATION_TRIGGERS,
    DELETION_PROTECTION,
];

/// How this type's summaries name it (a revoke's names the token it revokes).
const ROTATING: &str = "Rotating Database Token";

const READ: Doing = Doing::titled("read", ROTATING);

const CREATE: Doing = Doing::titled("create", ROTATING);

const UPDATE: Doing = Doing::titled("update", ROTATING);

const REVOKE: Doing = TOKEN.doing("revoke");

fn home<'a>(ctx: &'a ProviderContext, state: &Value, diags: &mut Diagnostics) -> Option<Home<'a>> {
    let name = RotatingValue(state).display_name();
    Home::of_state(ctx, &TOKEN, state, name, diags)
}

fn schedule_of(planned: &Value, diags: &mut Diagnostics) -> Option<Schedule> {
    match RotatingValue(planned).schedule() {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            diags.error("Invalid Rotation Schedule", e.to_string());
            None
        }
        None => {
            diags.error(
                "Invalid Rotation Schedule",
                "rotation_period and overlap must be known at apply.",
            );
            None
        }
    }
}

/// Why a new token was not issued.
#[derive(Debug, thiserror::Error)]
enum Issue {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("{0}")]
    Bad(String),
}

/// Creates a token for `planned`, expiring at the end of its schedule from `now`, and sets its
/// description back to the configured text (the receipt is for the create alone).
async fn issue(
    client: &Client,
    cluster: &Cluster,
    planned: &Value,
    schedule: Schedule,
    now: OffsetDateTime,
    diags: &mut Diagnostics,
) -> Result<CreatedToken, Issue> {
    let expires_at = schedule
        .expiry(now)
        .ok_or_else(|| Issue::Bad("the token's expiry is beyond what a date can hold".into()))?;
    let description = RotatingValue(planned)
        .description()
        .unwrap_or_default()
        .to_owned();
    let request = CreateTokenRequest {
        description: description.clone(),
        permissions: permissions(attr(planned, PERMISSIONS)),
        expires_at: Some(expires_at),
    };
    let created = client
        .create_token(cluster, &request, Description::Restore)
        .await?;
    token::receipt_left(&created.token, &description, diags);
    Ok(created)
}

/// Sets the current token's attributes from a create at `now` (`secret` null when lost).
fn set_current(
    state: &mut Value,
    t: &DatabaseToken,
    secret: Option<&str>,
    now: OffsetDateTime,
    s: Schedule,
) {
    set_attr(state, ID, Value::String(t.id.clone()));
    token::set_access_token(state, secret);
    set_attr(
        state,
        CREATED_AT,
        instant::timestamp_value(Some(t.created_at)),
    );
    set_attr(state, EXPIRES_AT, instant::timestamp_value(t.expires_at));
    set_attr(
        state,
        NEXT_ROTATION_AT,
        instant::timestamp_value(s.next_rotation(now)),
    );
    set_attr(state, ACCOUNT_ID, Value::String(t.account_id.clone()));
    set_attr(state, CLUSTER_ID, Value::String(t.cluster_id.clone()));
}

/// A rotation whose create failed: the state keeps the prior current token (the next plan
/// rotates again, since nothing it compares changed). A token the create made without a usable
/// answer takes the previous slot, due at once, so the next apply revokes it (its secret
/// reached nobody); the slot is free, as the previous token was revoked first.
fn keep_unfinished(state: &mut Value, e: &Issue, now: OffsetDateTime, diags: &mut Diagnostics) {
    let (Issue::Api(api), due) = (e, instant::timestamp_value(Some(now))) else {
        diags.error(CREATE.summary(), e.to_string());
        return;
    };
    let kept = api
        .adopted_token()
        .map(|t| t.id.clone())
        .or_else(|| api.unsettled_receipt().map(token::placeholder_id));
    match kept {
        Some(id) => {
            diags.error(
                "Database Token Rotation Not Finished",
                format!(
                    "{}. The current token stays current. What the create made is kept as the \
                     previous token ({id}), due for revocation: the next apply revokes it and \
                     rotates again.",
                    sentence(api)
                ),
            );
            set_attr(state, PREVIOUS_ID, Value::String(id));
            set_attr(state, PREVIOUS_REVOKE_AT, due);
        }
        None => diags.error(
            "Database Token Rotation Not Finished",
            format!(
                "{}. The current token stays current; the next apply rotates again.",
                sentence(api)
            ),
        ),
    }
}

/// Why a revoke did not happen.
#[derive(Debug, thiserror::Error)]
enum RevokeError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("the create with receipt [tf-receipt:{receipt}]: {cause}")]
    Unsettled { receipt: String, cause: Unrevoked },
}

impl RevokeError {
    fn report(&self, home: &Home<'_>, id: &str, diags: &mut Diagnostics) {
        match self {
            RevokeError::Api(e) => home.report(REVOKE, e, diags),
            RevokeError::Unsettled { .. } => diags.error(
                REVOKE.summary(),
                format!("Token {id}: {self}. Apply again once the token list can be read."),
            ),
        }
    }
}

/// Revokes token `id` (404 is already gone), or for a placeholder every token carrying its
/// receipt and no other.
async fn revoke(client: &Client, cluster: &Cluster, id: &str) -> Result<(), RevokeError> {
    let Some(receipt) = token::placeholder_id_receipt(id) else {
        client.delete_token(cluster, id).await?;
        return Ok(());
    };
    match revoke_made_by(client, cluster, &receipt).await {
        Ok(()) => Ok(()),
        Err(Unrevoked::Api(e)) => Err(RevokeError::Api(e)),
        Err(cause) => Err(RevokeError::Unsettled {
            receipt: receipt.as_str().to_owned(),
            cause,
        }),
    }
}
