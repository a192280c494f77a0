//! Diagnostics: how every failure reaches the user. RPCs never fail at the gRPC level for a
//! domain problem; they answer with these (Title-Case summary, a detail that says what to do,
//! and the attribute path when one attribute is at fault).

use crate::value::AttributePath;

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Stops the operation.
    Error,
    /// Shown to the user; the operation goes on.
    Warning,
}

/// One message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short Title-Case headline.
    pub summary: String,
    /// What happened and what the user can do about it.
    pub detail: String,
    /// The attribute at fault, when there is one.
    pub path: Option<AttributePath>,
}

/// The diagnostics of one operation, in the order they arose; duplicates are dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one, unless the same one is already there.
    pub fn push(&mut self, d: Diagnostic) {
        if !self.0.contains(&d) {
            self.0.push(d);
        }
    }

    /// Adds an error not tied to an attribute.
    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.add(Severity::Error, None, summary.into(), detail.into());
    }

    /// Adds a warning not tied to an attribute.
    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.add(Severity::Warning, None, summary.into(), detail.into());
    }

    /// Adds an error about one attribute.
    pub fn attr_error(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.add(Severity::Error, Some(path), summary.into(), detail.into());
    }

    /// Adds a warning about one attribute.
    pub fn attr_warning(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.add(Severity::Warning, Some(path), summary.into(), detail.into());
    }

    fn add(
        &mut self,
        severity: Severity,
        path: Option<AttributePath>,
        summary: String,
        detail: String,
    ) {
        self.push(Diagnostic {
            severity,
            summary,
            detail,
            path,
        });
    }

    /// Appends all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.0 {
            self.push(d);
        }
    }

    /// Whether any error is present.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether there are none at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The diagnostics in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Takes them out.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_kept_once_and_errors_are_detected() {
        let mut d = Diagnostics::new();
        d.warning("W", "w");
        assert!(!d.has_errors());
        d.error("E", "e");
        d.error("E", "e");
        assert!(d.has_errors());
        assert_eq!(d.iter().count(), 2);
    }
}
