//! The rules a token's configuration follows, checked at `terraform validate` (and every plan)
//! without any API call: the managed `influxdb3_database_token` and the ephemeral one share
//! them (the ephemeral schema has no `expires_at` to configure, so that check sees null and
//! passes). Unknown values pass; each problem names its attribute.

use crate::databases::name::{NAME_RULES, name_problem};
use crate::framework::Diagnostics;
use crate::model::instant;
use crate::model::permissions::{self, is_incomplete};
use crate::tokens::model::{DESCRIPTION, EXPIRES_AT, PERMISSIONS, TokenValue};
use crate::value::{AttributePath, Value};

/// Longest database name the API accepts.
const MAX_DATABASE_NAME_CHARS: usize = 64;

/// Checks what is known of `config`.
pub(crate) fn validate(config: &Value, diags: &mut Diagnostics) {
    let config = TokenValue(config);
    if let Some(d) = config.description()
        && d.trim().is_empty()
    {
        diags.attr_error(
            AttributePath::attr(DESCRIPTION),
            "Empty Description",
            "description must say what the token is for; it cannot be empty or only spaces.",
        );
    }
    for p in config.permission_elements() {
        check_permission(p, diags);
    }
    if let Some(text) = config.expires_at()
        && instant::parse(text).is_none()
    {
        diags.attr_error(
            AttributePath::attr(EXPIRES_AT),
            "Invalid Expiration Time",
            format!(
                "expires_at {text:?} is not an RFC 3339 timestamp. Write a date and time with \
                 an offset, such as \"2030-01-01T00:00:00Z\" or \"2030-01-01T09:00:00+09:00\"."
            ),
        );
    }
}

fn check_permission(p: &Value, diags: &mut Diagnostics) {
    let path = AttributePath::attr(PERMISSIONS);
    // The attribute's type allows a null element and null keys, but the API needs both; left
    // to apply, such a grant would be dropped and Terraform would reject the result.
    if is_incomplete(p) {
        diags.attr_error(
            path.clone(),
            "Incomplete Permission",
            "Every permission needs both action and resource, neither null: for example \
             { action = \"read\", resource = \"mydb\" }.",
        );
    }
    if let Some(action) = permissions::action(p)
        && action != "read"
        && action != "write"
    {
        diags.attr_error(
            path.clone(),
            "Invalid Permission Action",
            format!(
                "A permission has action {action:?}; use \"read\" or \"write\" (a token that \
                 reads and writes needs one permission of each)."
            ),
        );
    }
    if let Some(resource) = permissions::resource(p) {
        let chars = resource.chars().count();
        if resource != "*" && !(1..=MAX_DATABASE_NAME_CHARS).contains(&chars) {
            diags.attr_error(
                path,
                "Invalid Permission Resource",
                format!(
                    "A permission has resource {resource:?} ({chars} characters); use a \
                     database name of 1 to {MAX_DATABASE_NAME_CHARS} characters, or \"*\" for \
                     every database."
                ),
            );
        } else if resource != "*"
            && let Some(problem) = name_problem(resource)
        {
            // Only a warning: the API accepts any 1 to 64 characters here, so refusing would
            // block a token the API allows. But no database can carry such a name, so the
            // grant is almost surely a typo (a stray space, a heredoc's newline) and would
            // silently give the token no access.
            diags.attr_warning(
                path,
                "Permission Names No Database",
                format!(
                    "A permission has resource {resource:?}, which {problem}, so no database \
                     can have that name and this grant gives the token no access. \
                     {NAME_RULES} Use \"*\" for every database."
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn config(description: &str, perms: &[(&str, &str)], expires: Option<&str>) -> Value {
        let perms = perms
            .iter()
            .map(|(a, r)| {
                Value::Object(BTreeMap::from([
                    ("action".to_owned(), Value::from(*a)),
                    ("resource".to_owned(), Value::from(*r)),
                ]))
            })
            .collect();
        Value::Object(BTreeMap::from([
            ("description".to_owned(), Value::from(description)),
            ("permissions".to_owned(), Value::Set(perms)),
            (
                "expires_at".to_owned(),
                expires.map(Value::from).unwrap_or(Value::Null),
            ),
        ]))
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .map(|d| d.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn good_config_passes() {
        let mut d = Diagnostics::new();
        let long = "d".repeat(64);
        validate(
            &config(
                "x",
                &[("read", "*"), ("write", &long)],
                Some("2030-01-01T00:00:00Z"),
            ),
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn every_bad_input_is_reported_at_its_attribute() {
        let mut d = Diagnostics::new();
        let long = "d".repeat(65);
        validate(
            &config(
                " ",
                &[("admin", "db"), ("read", ""), ("read", &long)],
                Some("tomorrow"),
            ),
            &mut d,
        );
        let perms = Value::Set(vec![
            Value::Null,
            Value::Object(BTreeMap::from([
                ("action".to_owned(), Value::from("read")),
                ("resource".to_owned(), Value::Null),
            ])),
        ]);
        let mut with_nulls = Diagnostics::new();
        validate(
            &Value::Object(BTreeMap::from([("permissions".to_owned(), perms)])),
            &mut with_nulls,
        );
        assert_eq!(paths(&with_nulls), ["permissions"]);
        assert!(
            with_nulls
                .iter()
                .all(|d| d.summary == "Incomplete Permission")
        );
        assert_eq!(
            paths(&d),
            [
                "description",
                "permissions",
                "permissions",
                "permissions",
                "expires_at"
            ]
        );
    }

    #[test]
    fn a_name_no_database_can_have_is_a_warning_not_an_error() {
        let mut d = Diagnostics::new();
        validate(
            &config(
                "x",
                &[("read", "db with space"), ("write", "ok/db-1")],
                None,
            ),
            &mut d,
        );
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(paths(&d), ["permissions"]);
        assert!(
            d.iter().all(|x| x.detail.contains("db with space")),
            "{d:?}"
        );
    }

    #[test]
    fn unknown_values_pass() {
        let mut d = Diagnostics::new();
        let c = Value::Object(BTreeMap::from([
            ("description".to_owned(), Value::Unknown),
            ("permissions".to_owned(), Value::Unknown),
            ("expires_at".to_owned(), Value::Unknown),
        ]));
        validate(&c, &mut d);
        assert!(d.is_empty());
    }
}
