//! The schema of `influxdb3_rotating_database_token`, its own attribute names and the typed
//! reads of its values. The token attributes it shares with `influxdb3_database_token` keep
//! their names from the token model. Each description is the only source of the user docs.

use super::instants::{EXPIRY_MARGIN, Schedule, ScheduleError};
use crate::framework::{Attribute, Schema, attr};
use crate::model::cluster::cluster_attributes;
use crate::model::permissions::permissions_type;
use crate::model::protection::DELETION_PROTECTION;
use crate::model::view::attribute_reads;
use crate::tokens::model::{ACCESS_TOKEN, CREATED_AT, DESCRIPTION, EXPIRES_AT, ID, PERMISSIONS};
use crate::value::{Type, Value};

/// How long a token is current before the next plan rotates it (Go-style duration).
pub(crate) const ROTATION_PERIOD: &str = "rotation_period";
/// How long the previous token stays valid after a rotation.
pub(crate) const OVERLAP: &str = "overlap";
/// Arbitrary values; any change rotates at the next apply.
pub(crate) const ROTATION_TRIGGERS: &str = "rotation_triggers";
/// When the current token is due for rotation.
pub(crate) const NEXT_ROTATION_AT: &str = "next_rotation_at";
/// The previous token's id during a hand-over, else null.
pub(crate) const PREVIOUS_ID: &str = "previous_id";
/// When the previous token is due for revocation, else null.
pub(crate) const PREVIOUS_REVOKE_AT: &str = "previous_revoke_at";

/// The attributes only the API or a rotation sets: planned unknown when a rotation makes a new
/// current token.
pub(crate) const CURRENT_COMPUTED: &[&str] =
    &[ID, ACCESS_TOKEN, CREATED_AT, EXPIRES_AT, NEXT_ROTATION_AT];

/// The resource schema.
pub(super) fn schema() -> Schema {
    let [account_id, cluster_id] = cluster_attributes(
        "The account the tokens belong to.",
        "The cluster the tokens belong to. Pointing the provider at another account or \
         cluster **replaces** the resource (both tokens revoked in their own cluster).",
    );
    let margin_hours = EXPIRY_MARGIN.as_secs() / 3600;
    Schema::new(
        format!(
            "A database token that rotates itself: after each `rotation_period` the next plan \
             creates a new token and keeps the previous one valid for `overlap` (the hand-over, \
             while clients pick up the new `access_token`), then a plan revokes the previous \
             one. Every token it creates expires on its own at `rotation_period + overlap + \
             {margin_hours}h` after its rotation, so no token outlives its schedule even if \
             nobody applies again. Destroying the resource **revokes** the current and the \
             previous token, immediately and irreversibly."
        ),
        vec![
            Attribute::computed(ID, Type::String)
                .use_state_for_unknown()
                .describe(
                    "The current token's ID (UUID). Changes at every rotation. Null after a \
                     refresh found the current token revoked outside Terraform (the next plan \
                     rotates).",
                ),
            Attribute::required(DESCRIPTION, Type::String).describe(
                "What the token is for; must not be empty. Every rotation creates its token \
                 with it; a change is made in place on the current token.",
            ),
            Attribute::optional(PERMISSIONS, permissions_type())
                .default_value(Value::Set(Vec::new()))
                .describe(
                    "What the token may do: a set of `{ action, resource }` grants, as for \
                     `influxdb3_database_token`. A change is made in place on the current \
                     token; the previous token keeps what it had.",
                ),
            Attribute::required(ROTATION_PERIOD, Type::String).describe(
                "How long a token is current, as a duration such as `720h` (units `ms`, `s`, \
                 `m`, `h`). A plan at or after `next_rotation_at` rotates. A change takes \
                 effect at the next rotation. At most `87840h`.",
            ),
            Attribute::required(OVERLAP, Type::String).describe(
                "How long the previous token stays valid after a rotation, such as `24h`; \
                 shorter than `rotation_period`. A plan at or after `previous_revoke_at` \
                 revokes it. A change takes effect at the next rotation.",
            ),
            Attribute::optional(ROTATION_TRIGGERS, Type::Map(Box::new(Type::String))).describe(
                "Arbitrary values; a plan that changes any of them rotates at once (the \
                 current token becomes the previous one, with the usual `overlap`).",
            ),
            Attribute::computed(ACCESS_TOKEN, Type::String)
                .sensitive()
                .use_state_for_unknown()
                .describe(
                    "The current token's secret, the one clients should use. Changes at every \
                     rotation. Stored in state (protect your state); `terraform show -json` \
                     prints it in plain text.",
                ),
            Attribute::computed(CREATED_AT, Type::String)
                .use_state_for_unknown()
                .describe("When the API created the current token (RFC 3339)."),
            Attribute::computed(EXPIRES_AT, Type::String)
                .use_state_for_unknown()
                .describe(format!(
                    "When the current token expires on its own (RFC 3339): its rotation time \
                     plus `rotation_period + overlap + {margin_hours}h`. A plan after it rotates \
                     and revokes the expired token at once."
                )),
            Attribute::computed(NEXT_ROTATION_AT, Type::String)
                .use_state_for_unknown()
                .describe(
                    "When the current token is due for rotation (RFC 3339): its rotation time, \
                     by the provider's clock, plus `rotation_period`.",
                ),
            Attribute::computed(PREVIOUS_ID, Type::String)
                .use_state_for_unknown()
                .describe(
                    "The previous token's ID during a hand-over, else null. A plan that revokes \
                     it shows this attribute changing from the id to null (or to the current \
                     id, in a rotation).",
                ),
            Attribute::computed(PREVIOUS_REVOKE_AT, Type::String)
                .use_state_for_unknown()
                .describe("When the previous token is due for revocation (RFC 3339), else null."),
            account_id,
            cluster_id,
            Attribute::optional(DELETION_PROTECTION, Type::Bool)
                .default_value(Value::Bool(false))
                .describe(
                    "When `true`, a plan that would destroy or replace the resource (revoking \
                     its tokens) fails. It does not stop the scheduled revocation of the \
                     previous token after a rotation: that revocation is what the \
                     configuration asked for. Default `false`.",
                ),
        ],
    )
}

/// Typed reads of a rotating token's configuration, plan or state. Getters answer `None` for
/// null or unknown values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RotatingValue<'a>(pub &'a Value);

impl<'a> RotatingValue<'a> {
    attribute_reads! {
        /// The current token's id.
        id: ID as str;
        /// The description both tokens carry.
        description: DESCRIPTION as str;
        /// The previous token's id, during a hand-over.
        previous_id: PREVIOUS_ID as str;
        /// When the previous token is due for revocation.
        previous_revoke_at: PREVIOUS_REVOKE_AT as instant;
        /// When the current token is due for rotation.
        next_rotation_at: NEXT_ROTATION_AT as instant;
        /// When the current token stops working.
        expires_at: EXPIRES_AT as instant;
        /// The rotation triggers as a value.
        triggers: ROTATION_TRIGGERS as value;
    }

    /// The schedule, when both durations are known.
    pub(crate) fn schedule(self) -> Option<Result<Schedule, ScheduleError>> {
        let period = attr(self.0, ROTATION_PERIOD).as_str()?;
        let overlap = attr(self.0, OVERLAP).as_str()?;
        Some(Schedule::parse(period, overlap))
    }

    /// The resource's name for messages: its description and current id.
    pub(crate) fn display_name(self) -> String {
        format!(
            "{:?} (current id {})",
            self.description().unwrap_or("?"),
            self.id().unwrap_or("unknown")
        )
    }
}
