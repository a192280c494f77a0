//! Errors of the value codecs. Each carries the [`AttributePath`] where it arose, so a caller
//! can turn it into a diagnostic that points at the attribute.

use std::fmt;

use super::path::AttributePath;

/// Bytes (msgpack, JSON, or a JSON type constraint) that do not form a value of the expected
/// type. Displays as `at .permissions[2].action: expected string, found integer`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at {}: {kind}", At(path))]
pub struct DecodeError {
    /// Where in the value the problem was found; the root when it concerns the whole input
    /// (for example trailing bytes).
    pub path: AttributePath,
    /// What was wrong.
    pub kind: DecodeErrorKind,
}

/// The reasons decoding can fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended inside a value.
    #[error("unexpected end of input")]
    Truncated,
    /// A length prefix promises more bytes or elements than the input holds.
    #[error("declared length {0} exceeds the remaining input")]
    LengthExceedsInput(u64),
    /// The input nests deeper than the decoder allows (a guard against hostile input).
    #[error("value nests deeper than {0} levels")]
    TooDeep(usize),
    /// Bytes follow the top-level value.
    #[error("{0} unexpected bytes after the value")]
    TrailingBytes(usize),
    /// The input is not well-formed msgpack or JSON.
    #[error("malformed input: {0}")]
    Syntax(String),
    /// A well-formed item that does not fit the expected type.
    #[error(transparent)]
    Shape(#[from] ShapeError),
    /// The same key twice in one map or object.
    #[error("duplicate key {0:?}")]
    DuplicateKey(String),
    /// A string or bytes that are not valid UTF-8.
    #[error("string is not valid UTF-8")]
    InvalidUtf8,
    /// Text that is not a finite decimal number (or one with an absurd exponent).
    #[error("invalid number {0:?}")]
    InvalidNumber(String),
    /// A JSON type constraint that does not describe a Terraform type.
    #[error("invalid type constraint: {0}")]
    InvalidType(String),
    /// A `dynamic` value whose `[type, value]` (msgpack) or `{"type","value"}` (JSON) wrapper is
    /// malformed.
    #[error("invalid dynamic value: {0}")]
    InvalidDynamic(String),
}

impl DecodeError {
    /// An error at `path`.
    pub fn new(path: AttributePath, kind: DecodeErrorKind) -> Self {
        Self { path, kind }
    }

    /// An error about the whole input.
    pub fn at_root(kind: DecodeErrorKind) -> Self {
        Self::new(AttributePath::root(), kind)
    }
}

/// How an item (decoded bytes, or a value to encode) fails to fit its type: what both codecs
/// check the same way, so both report it in the same words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShapeError {
    /// An item of another kind than the type calls for.
    #[error("expected {expected}, found {found}")]
    Kind {
        /// What the type called for.
        expected: String,
        /// What the item was.
        found: String,
    },
    /// An object attribute that the object type does not declare.
    #[error("unsupported attribute {0:?}")]
    UnknownAttribute(String),
    /// A tuple with the wrong number of elements.
    #[error("expected a tuple of {expected} elements, found {found}")]
    TupleLength {
        /// Elements the tuple type declares.
        expected: usize,
        /// Elements the item has.
        found: usize,
    },
}

/// A value that does not conform to the type it was to be encoded as; always a bug in the
/// code that built the value. Displays like [`DecodeError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at {}: {kind}", At(path))]
pub struct EncodeError {
    /// Where in the value the mismatch is.
    pub path: AttributePath,
    /// What was wrong.
    pub kind: EncodeErrorKind,
}

/// The reasons encoding can fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// A value that does not fit the type.
    #[error(transparent)]
    Shape(#[from] ShapeError),
    /// A known value in a `dynamic` slot that is not wrapped in [`Value::Dynamic`], so its type
    /// cannot be sent along with it.
    ///
    /// [`Value::Dynamic`]: super::Value::Dynamic
    #[error("a value in a dynamic slot must be Value::Dynamic (carrying its type), found {0}")]
    DynamicWithoutType(String),
    /// A string or collection longer than msgpack can express (2³² − 1).
    #[error("length {0} is too long for msgpack")]
    TooLong(usize),
}

impl EncodeError {
    /// An error at `path`.
    pub fn new(path: AttributePath, kind: EncodeErrorKind) -> Self {
        Self { path, kind }
    }
}

/// Formats a path for error messages: `.a[0].b`, or `root` for the empty path.
struct At<'a>(&'a AttributePath);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_root() {
            f.write_str("root")
        } else if matches!(self.0.steps.first(), Some(super::path::PathStep::Attr(_))) {
            write!(f, ".{}", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_error_displays_path_and_reason() {
        let err = DecodeError::new(
            AttributePath::attr("permissions")
                .push_index(2)
                .push_attr("action"),
            ShapeError::Kind {
                expected: "string".into(),
                found: "integer".into(),
            }
            .into(),
        );
        assert_eq!(
            err.to_string(),
            "at .permissions[2].action: expected string, found integer"
        );
    }

    #[test]
    fn root_errors_say_root() {
        let err = DecodeError::at_root(DecodeErrorKind::TrailingBytes(3));
        assert_eq!(
            err.to_string(),
            "at root: 3 unexpected bytes after the value"
        );
    }

    #[test]
    fn paths_starting_with_an_index_have_no_leading_dot() {
        let err = EncodeError::new(
            AttributePath::root().push_index(1),
            ShapeError::UnknownAttribute("x".into()).into(),
        );
        assert_eq!(err.to_string(), "at [1]: unsupported attribute \"x\"");
    }
}
