//! Attribute paths: where inside a value something (usually an error) happened.
//!
//! Paths are what diagnostics point at, so Terraform can underline the offending part of the
//! configuration. They mirror tfplugin6's `AttributePath` steps: attribute names, string map
//! keys and integer element positions.

use std::fmt;

/// One step from a value into one of its parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// An attribute of an object (or a nested block).
    Attr(String),
    /// The element of a map with this key.
    Key(String),
    /// The element of a list or tuple at this position. For sets this is the position in the
    /// encoded array, which is only meaningful for the bytes at hand: set elements have no
    /// stable position.
    Index(i64),
}

/// A sequence of steps from the root of a value to one of its parts; empty means the root.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct AttributePath {
    /// The steps, outermost first.
    pub steps: Vec<PathStep>,
}

impl AttributePath {
    /// The path of the whole value.
    pub fn root() -> Self {
        Self::default()
    }

    /// A path of one step: the top-level attribute `name`.
    pub fn attr(name: impl Into<String>) -> Self {
        Self {
            steps: vec![PathStep::Attr(name.into())],
        }
    }

    /// This path extended by the attribute `name`; `self` is left unchanged.
    #[must_use]
    pub fn push_attr(&self, name: impl Into<String>) -> Self {
        self.with(PathStep::Attr(name.into()))
    }

    /// This path extended by the map key `key`; `self` is left unchanged.
    #[must_use]
    pub fn push_key(&self, key: impl Into<String>) -> Self {
        self.with(PathStep::Key(key.into()))
    }

    /// This path extended by the element position `index`; `self` is left unchanged.
    #[must_use]
    pub fn push_index(&self, index: i64) -> Self {
        self.with(PathStep::Index(index))
    }

    /// Whether this is the root path (no steps).
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }

    fn with(&self, step: PathStep) -> Self {
        let mut steps = Vec::with_capacity(self.steps.len().saturating_add(1));
        steps.extend(self.steps.iter().cloned());
        steps.push(step);
        Self { steps }
    }
}

/// Formats like an HCL traversal without the leading resource address:
/// `permissions[0].action`, `tags["a"]`. The root path formats as the empty string.
impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Attr(name) if i == 0 => f.write_str(name)?,
                PathStep::Attr(name) => write!(f, ".{name}")?,
                PathStep::Key(key) => write!(f, "[{key:?}]")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A path under construction while walking a value, borrowing its names so the walk does not
/// allocate; turned into an [`AttributePath`] only when an error is reported.
#[derive(Debug, Default)]
pub(crate) struct PathStack<'a> {
    steps: Vec<StackStep<'a>>,
}

#[derive(Debug, Clone, Copy)]
enum StackStep<'a> {
    Attr(&'a str),
    Key(&'a str),
    Index(usize),
}

impl<'a> PathStack<'a> {
    pub(crate) fn push_attr(&mut self, name: &'a str) {
        self.steps.push(StackStep::Attr(name));
    }

    pub(crate) fn push_key(&mut self, key: &'a str) {
        self.steps.push(StackStep::Key(key));
    }

    pub(crate) fn push_index(&mut self, index: usize) {
        self.steps.push(StackStep::Index(index));
    }

    pub(crate) fn pop(&mut self) {
        self.steps.pop();
    }

    /// An owned copy of the current path.
    pub(crate) fn to_path(&self) -> AttributePath {
        AttributePath {
            steps: self
                .steps
                .iter()
                .map(|step| match *step {
                    StackStep::Attr(name) => PathStep::Attr(name.to_owned()),
                    StackStep::Key(key) => PathStep::Key(key.to_owned()),
                    StackStep::Index(index) => {
                        PathStep::Index(i64::try_from(index).unwrap_or(i64::MAX))
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_displays_as_empty_text() {
        assert_eq!(AttributePath::root().to_string(), "");
        assert!(AttributePath::root().is_root());
    }

    #[test]
    fn attributes_indexes_and_keys_display_like_hcl() {
        let path = AttributePath::attr("permissions")
            .push_index(0)
            .push_attr("action");
        assert_eq!(path.to_string(), "permissions[0].action");
        let path = AttributePath::attr("tags").push_key("a");
        assert_eq!(path.to_string(), "tags[\"a\"]");
    }

    #[test]
    fn keys_with_quotes_are_escaped() {
        let path = AttributePath::attr("tags").push_key("a\"b");
        assert_eq!(path.to_string(), "tags[\"a\\\"b\"]");
    }

    #[test]
    fn push_leaves_the_original_unchanged() {
        let base = AttributePath::attr("a");
        let longer = base.push_attr("b");
        assert_eq!(base.steps.len(), 1);
        assert_eq!(longer.steps.len(), 2);
    }

    #[test]
    fn path_stack_turns_into_the_same_path() {
        let mut stack = PathStack::default();
        stack.push_attr("perms");
        stack.push_index(2);
        stack.push_key("k");
        stack.pop();
        stack.push_attr("action");
        assert_eq!(
            stack.to_path(),
            AttributePath::attr("perms")
                .push_index(2)
                .push_attr("action")
        );
    }
}
