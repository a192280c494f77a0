//! Which `moved` blocks across types or providers this provider accepts (MoveResourceState):
//! from the incumbent provider, under either of its addresses, and between our own alias and
//! real type names, each under its Terraform and its OpenTofu registry host (OpenTofu sends the
//! address its state records, `registry.opentofu.org/...` when the configuration wrote a bare
//! `namespace/type`). The state itself is carried over unchanged apart from fitting it to the
//! target schema; no API call is made, and the next refresh decides what is still live.

use crate::provider::resource_aliases::{
    DATABASE, DATABASE_ALIASES, TABLE, TABLE_ALIASES, TOKEN, TOKEN_ALIASES,
};

/// Provider addresses whose state we take: the incumbent's two and our own, on both hosts.
pub const SOURCES: &[&str] = &[
    "registry.terraform.io/thulasirajkomminar/influxdb3",
    "registry.terraform.io/komminarlabs/influxdb3",
    OURS[0],
    "registry.opentofu.org/thulasirajkomminar/influxdb3",
    "registry.opentofu.org/komminarlabs/influxdb3",
    OURS[1],
];

/// The family (our real type) a type name belongs to, if we know it: our own name, or one of
/// the incumbent's (which are also our deprecated aliases).
fn family(type_name: &str) -> Option<&'static str> {
    if type_name == TOKEN || TOKEN_ALIASES.contains(&type_name) {
        Some(TOKEN)
    } else if type_name == DATABASE || DATABASE_ALIASES.contains(&type_name) {
        Some(DATABASE)
    } else if type_name == TABLE || TABLE_ALIASES.contains(&type_name) {
        Some(TABLE)
    } else {
        None
    }
}

/// See [`crate::framework::Provider::accepts_move`].
pub fn accepts_move(
    source_provider: &str,
    source_type: &str,
    target_type: &str,
) -> Result<(), String> {
    if !SOURCES.contains(&source_provider) {
        return Err(format!(
            "state from the provider {source_provider} cannot move here; accepted sources are {}",
            SOURCES.join(", ")
        ));
    }
    match (family(source_type), family(target_type)) {
        (Some(a), Some(b)) if a == b => Ok(()),
        _ => Err(format!(
            "{source_type} cannot move to {target_type}. Tokens move from influxdb3_token, \
             influxdb3_cloud_token or influxdb3_database_token to a token type; databases from \
             influxdb3_database or influxdb3_cloud_database to influxdb3_database; tables from \
             influxdb3_table or influxdb3_cloud_table to influxdb3_table"
        )),
    }
}

/// See [`crate::framework::Provider::foreign_state_version`]: state from the incumbent, under
/// either of its addresses and whatever version it was written with, has the shapes our
/// version-0 upgrade steps read (each type's `STEPS`, beside its schema); our own state carries our version.
pub fn foreign_state_version(source_provider: &str) -> Option<i64> {
    (!OURS.contains(&source_provider)).then_some(0)
}

/// This provider's own address, as Terraform and as OpenTofu record it.
const OURS: [&str; 2] = [
    "registry.terraform.io/ironflux/influxdb3",
    "registry.opentofu.org/ironflux/influxdb3",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_incumbent_address_and_name_moves_into_its_family_only() {
        for src in SOURCES {
            for ty in ["influxdb3_token", "influxdb3_cloud_token", TOKEN] {
                assert_eq!(accepts_move(src, ty, TOKEN), Ok(()), "{src} {ty}");
                assert!(accepts_move(src, ty, DATABASE).is_err(), "{src} {ty}");
            }
            for ty in ["influxdb3_database", "influxdb3_cloud_database"] {
                assert_eq!(accepts_move(src, ty, DATABASE), Ok(()), "{src} {ty}");
                assert!(accepts_move(src, ty, TOKEN).is_err(), "{src} {ty}");
            }
        }
        let err = accepts_move(SOURCES[0], "influxdb3_cloud_table", TOKEN).expect_err("table");
        assert!(err.contains("influxdb3_cloud_token"), "{err}");
        for src in SOURCES {
            for ty in ["influxdb3_table", "influxdb3_cloud_table"] {
                assert_eq!(accepts_move(src, ty, TABLE), Ok(()), "{src} {ty}");
                assert!(accepts_move(src, ty, DATABASE).is_err(), "{src} {ty}");
            }
        }
        assert_eq!(
            foreign_state_version(OURS[1]),
            None,
            "OpenTofu's record of us"
        );
        assert_eq!(
            foreign_state_version(SOURCES[3]),
            Some(0),
            "the incumbent via OpenTofu"
        );
        let err = accepts_move(
            "registry.terraform.io/hashicorp/null",
            "null_resource",
            TOKEN,
        )
        .expect_err("foreign");
        assert!(err.contains("thulasirajkomminar"), "{err}");
    }
}
