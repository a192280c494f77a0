//! What a plan of a rotating token does: validation of the schedule, the choice between
//! nothing, a rotation and the previous token's revocation, and what a revoking plan says.
//!
//! Everything a plan decides is visible in plan JSON for policy-as-code: a rotation is an
//! update whose `after.id` is unknown and whose `after.previous_id` is the `before.id`; the
//! scheduled revocation of the previous token is an update whose `before.previous_id` is set
//! and whose `after.previous_id` is another value (null, or the old current id in a rotation).

use time::OffsetDateTime;

use super::instants::{ScheduleError, has_come, now};
use super::schema::{
    CURRENT_COMPUTED, OVERLAP, PREVIOUS_ID, PREVIOUS_REVOKE_AT, ROTATION_PERIOD, RotatingValue,
};
use crate::framework::{Diagnostics, PlanChange, set_attr};
use crate::model::ProviderContext;
use crate::model::protection::{self, DELETION_PROTECTION};
use crate::tokens::model::{DESCRIPTION, ID};
use crate::tokens::resource::plan::{plan_destroy as token_plan_destroy, plan_home};
use crate::value::{AttributePath, Value};
use std::collections::BTreeMap;

/// The token rules, then the schedule's (each problem at its attribute).
pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    crate::tokens::rules::validate(config, diags);
    let Some(Err(e)) = RotatingValue(config).schedule() else {
        return;
    };
    let at = match e {
        ScheduleError::Period { .. } | ScheduleError::PeriodTooLong => ROTATION_PERIOD,
        ScheduleError::Overlap { .. } | ScheduleError::OverlapTooLong { .. } => OVERLAP,
    };
    diags.attr_error(
        AttributePath::attr(at),
        "Invalid Rotation Schedule",
        format!(
            "{e}. Write durations such as \"720h\" or \"90m\" (units ms, s, m, h); the overlap \
             must end before the next rotation is due."
        ),
    );
}

/// Why a plan rotates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rotation {
    /// The current token was revoked or deleted outside Terraform.
    CurrentGone,
    /// The current token's own expiry has passed: it cannot serve a hand-over.
    CurrentExpired,
    /// `next_rotation_at` has come (or is unknown).
    Due,
    /// `rotation_triggers` changed.
    Triggered,
}

impl Rotation {
    /// Whether the old current token becomes the previous one (it still works).
    pub(crate) fn hands_over(self) -> bool {
        matches!(self, Rotation::Due | Rotation::Triggered)
    }

    fn why(self) -> &'static str {
        match self {
            Rotation::CurrentGone => {
                "its current token was revoked or deleted outside Terraform, so there is \
                 nothing to hand over"
            }
            Rotation::CurrentExpired => {
                "its current token has expired (it is revoked in the same apply, as it \
                 cannot serve a hand-over)"
            }
            Rotation::Due => "next_rotation_at has come",
            Rotation::Triggered => "rotation_triggers changed",
        }
    }
}

/// Whether (and why) a plan from `prior` under `config` rotates at `now`.
pub(crate) fn rotation(prior: &Value, config: &Value, now: OffsetDateTime) -> Option<Rotation> {
    let p = RotatingValue(prior);
    if p.id().is_none() {
        return Some(Rotation::CurrentGone);
    }
    if p.expires_at().is_some_and(|at| has_come(at, now)) {
        return Some(Rotation::CurrentExpired);
    }
    if p.next_rotation_at().is_none_or(|at| has_come(at, now)) {
        return Some(Rotation::Due);
    }
    let (old, new) = (p.triggers(), RotatingValue(config).triggers());
    if !same_triggers(old, new) {
        return Some(Rotation::Triggered);
    }
    None
}

/// Null and an empty map are the same; an unknown map may change, so it rotates.
fn same_triggers(old: &Value, new: &Value) -> bool {
    if new.is_unknown() || !new.is_wholly_known() {
        return false;
    }
    let empty = Value::Map(BTreeMap::new());
    let norm = |v: &Value| {
        if v.is_null() {
            empty.clone()
        } else {
            v.clone()
        }
    };
    norm(old) == norm(new)
}

/// Whether the previous token of `prior` is due for revocation at `now`.
pub(crate) fn previous_due(prior: &Value, now: OffsetDateTime) -> bool {
    let p = RotatingValue(prior);
    p.previous_id().is_some() && p.previous_revoke_at().is_none_or(|at| has_come(at, now))
}

/// Plans the cluster, then a rotation or the previous token's revocation when their time has
/// come, and nothing otherwise.
pub(super) fn modify_plan(
    ctx: Option<&ProviderContext>,
    change: &mut PlanChange,
    diags: &mut Diagnostics,
) {
    plan_home(ctx, change, diags);
    let planned = &mut change.planned;
    if change.prior.is_null() || !change.requires_replace.is_empty() {
        for name in CURRENT_COMPUTED {
            set_attr(planned, name, Value::Unknown);
        }
        set_attr(planned, PREVIOUS_ID, Value::Null);
        set_attr(planned, PREVIOUS_REVOKE_AT, Value::Null);
        return;
    }
    let now = now();
    let prior = &change.prior;
    let p = RotatingValue(prior);
    let previous = p.previous_id();
    if let Some(why) = rotation(prior, &change.config, now) {
        for name in CURRENT_COMPUTED {
            set_attr(planned, name, Value::Unknown);
        }
        let (id, revoke_at) = match p.id() {
            Some(id) if why.hands_over() => (Value::String(id.to_owned()), Value::Unknown),
            _ => (Value::Null, Value::Null),
        };
        set_attr(planned, PREVIOUS_ID, id);
        set_attr(planned, PREVIOUS_REVOKE_AT, revoke_at);
        diags.warning(
            "Database Token Will Be Rotated",
            format!(
                "The rotating database token {} gets a new current token (a new access token) \
                 because {}.{}",
                p.display_name(),
                why.why(),
                if why.hands_over() {
                    " The current token stays valid for the overlap, as the previous token."
                } else {
                    ""
                }
            ),
        );
        if let Some(prev) = previous {
            if !previous_due(prior, now) {
                diags.warning(
                    "Previous Database Token Revoked Before Its Time",
                    format!(
                        "A rotation keeps one previous token: the previous token {prev} is \
                         revoked by this rotation, before its previous_revoke_at."
                    ),
                );
            }
            revoke_warning(ctx, p.description(), prev, diags);
        }
        if why == Rotation::CurrentExpired
            && let Some(id) = p.id()
        {
            revoke_warning(ctx, p.description(), id, diags);
        }
        return;
    }
    if let Some(prev) = previous.filter(|_| previous_due(prior, now)) {
        set_attr(planned, PREVIOUS_ID, Value::Null);
        set_attr(planned, PREVIOUS_REVOKE_AT, Value::Null);
        revoke_warning(ctx, p.description(), prev, diags);
    }
}

/// The revoke warning `influxdb3_database_token` gives, for one token this plan revokes.
/// Deletion protection is left out: it guards the resource, and this revocation is the
/// schedule the configuration asked for.
fn revoke_warning(
    ctx: Option<&ProviderContext>,
    description: Option<&str>,
    id: &str,
    diags: &mut Diagnostics,
) {
    let token = Value::Object(BTreeMap::from([
        (ID.to_owned(), Value::String(id.to_owned())),
        (
            DESCRIPTION.to_owned(),
            description.map_or(Value::Null, |d| Value::String(d.to_owned())),
        ),
        (DELETION_PROTECTION.to_owned(), Value::Bool(false)),
    ]));
    token_plan_destroy(ctx, &token, false, diags);
}

/// Destroying or replacing revokes both tokens: refused under deletion protection exactly as
/// `influxdb3_database_token` refuses (the provider's `revoke_protected_token_ids` may name the
/// current id), else one revoke warning per token.
pub(super) fn plan_destroy(
    ctx: Option<&ProviderContext>,
    prior: &Value,
    replacing: bool,
    diags: &mut Diagnostics,
) {
    let p = RotatingValue(prior);
    let mut current = Diagnostics::new();
    if p.id().is_some() || protection::is_protected(prior) {
        token_plan_destroy(ctx, prior, replacing, &mut current);
    }
    let refused = current.has_errors();
    diags.extend(current);
    if refused {
        return;
    }
    if let Some(prev) = p.previous_id() {
        revoke_warning(ctx, p.description(), prev, diags);
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::NEXT_ROTATION_AT;
    use super::*;
    use crate::tokens::model::EXPIRES_AT;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2030-01-01 00:00:00 UTC);

    fn prior(prev: Option<&str>) -> Value {
        let mut m = BTreeMap::from([
            (ID.to_owned(), Value::from("cur")),
            (DESCRIPTION.to_owned(), Value::from("d")),
            (
                NEXT_ROTATION_AT.to_owned(),
                Value::from("2030-01-31T00:00:00Z"),
            ),
            (EXPIRES_AT.to_owned(), Value::from("2030-02-01T01:00:00Z")),
            (ROTATION_PERIOD.to_owned(), Value::from("720h")),
            (OVERLAP.to_owned(), Value::from("24h")),
            (PREVIOUS_ID.to_owned(), Value::Null),
            (PREVIOUS_REVOKE_AT.to_owned(), Value::Null),
        ]);
        if let Some(p) = prev {
            m.insert(PREVIOUS_ID.to_owned(), Value::from(p));
            m.insert(
                PREVIOUS_REVOKE_AT.to_owned(),
                Value::from("2030-01-02T00:00:00Z"),
            );
        }
        Value::Object(m)
    }

    #[test]
    fn rotation_comes_at_next_rotation_at_and_an_expired_token_does_not_hand_over() {
        let p = prior(None);
        let due = datetime!(2030-01-31 00:00:00 UTC);
        assert_eq!(
            rotation(&p, &p, due - time::Duration::milliseconds(1)),
            None
        );
        assert_eq!(rotation(&p, &p, due), Some(Rotation::Due));
        let expired = datetime!(2030-02-01 01:00:00 UTC);
        assert_eq!(rotation(&p, &p, expired), Some(Rotation::CurrentExpired));
        assert!(!Rotation::CurrentExpired.hands_over());
        let mut gone = p.clone();
        set_attr(&mut gone, ID, Value::Null);
        assert_eq!(rotation(&gone, &gone, T0), Some(Rotation::CurrentGone));
    }

    #[test]
    fn changed_triggers_rotate_and_null_equals_empty() {
        let p = prior(None);
        let mut config = p.clone();
        set_attr(
            &mut config,
            super::super::schema::ROTATION_TRIGGERS,
            Value::Map(BTreeMap::new()),
        );
        assert_eq!(rotation(&p, &config, T0), None);
        set_attr(
            &mut config,
            super::super::schema::ROTATION_TRIGGERS,
            Value::Map(BTreeMap::from([("k".to_owned(), Value::from("v"))])),
        );
        assert_eq!(rotation(&p, &config, T0), Some(Rotation::Triggered));
    }

    #[test]
    fn the_previous_token_is_due_at_previous_revoke_at() {
        let p = prior(Some("prev"));
        let at = datetime!(2030-01-02 00:00:00 UTC);
        assert!(!previous_due(&p, at - time::Duration::milliseconds(1)));
        assert!(previous_due(&p, at));
        assert!(!previous_due(&prior(None), at));
        assert_eq!(
            crate::framework::attr(&p, PREVIOUS_ID),
            &Value::from("prev")
        );
    }

    #[test]
    fn a_schedule_error_names_its_attribute() {
        let mut config = prior(None);
        set_attr(&mut config, OVERLAP, Value::from("720h"));
        let mut d = Diagnostics::new();
        validate(&config, &mut d);
        let paths: Vec<String> = d
            .iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect();
        assert_eq!(paths, [OVERLAP]);
        set_attr(&mut config, ROTATION_PERIOD, Value::from("30d"));
        let mut d = Diagnostics::new();
        validate(&config, &mut d);
        assert!(
            d.iter().any(|d| d.detail.contains("rotation_period")),
            "{d:?}"
        );
    }
}
