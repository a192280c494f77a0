//! The database naming rules (tests/data/openapi/cloud-dedicated-management.yml, the
//! database `name` schema): what a name may be, and how to say so.

use crate::framework::Diagnostics;
use crate::value::AttributePath;

/// The rules, as shown in every error about a name.
pub(crate) const NAME_RULES: &str = "A database name is 1 to 64 characters of ASCII letters, digits, \
     `_`, `-` and `/`, and does not start with `_`. Names are case-sensitive.";

/// Why `name` breaks the rules, or `None` when it is a valid database name.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".into());
    }
    let length = name.chars().count();
    if length > 64 {
        return Some(format!("has {length} characters (at most 64)"));
    }
    if name.starts_with('_') {
        return Some("starts with `_`".into());
    }
    let allowed = |c: &char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/');
    if let Some(bad) = name.chars().find(|c| !allowed(c)) {
        return Some(format!("contains {bad:?}"));
    }
    None
}

/// Reports a database name that breaks the rules, at `path`.
pub(crate) fn check_name(name: &str, path: AttributePath, diags: &mut Diagnostics) {
    if let Some(problem) = name_problem(name) {
        diags.attr_error(
            path,
            "Invalid Database Name",
            format!("The database name {name:?} {problem}. {NAME_RULES}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_documented_rules() {
        for good in ["db", "a/b-c_d", "X1", &"a".repeat(64)] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        assert_eq!(name_problem(""), Some("is empty".into()));
        assert_eq!(name_problem("_x"), Some("starts with `_`".into()));
        assert_eq!(name_problem("my db"), Some("contains ' '".into()));
        assert_eq!(name_problem("é"), Some("contains 'é'".into()));
        assert!(name_problem(&"a".repeat(65)).is_some_and(|p| p.contains("65")));
    }
}
