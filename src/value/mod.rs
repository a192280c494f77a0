//! Terraform's value model and the tfplugin6 `DynamicValue` codecs.
//!
//! A [`Value`] is null, unknown, or known data; its [`Type`] comes from the schema (values in
//! `dynamic` slots carry their own). [`decode_msgpack`] and [`decode_json`] read the two
//! `DynamicValue` encodings Terraform sends; [`encode_msgpack`] writes the one providers must
//! reply with. Errors carry the [`AttributePath`] where they arose. Nothing here does I/O, and
//! decoding untrusted bytes never panics.

mod error;
mod json;
mod msgpack;
mod number;
mod path;
mod types;
#[allow(clippy::module_inception)]
mod value;

#[cfg(test)]
mod strategies;

pub use error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, ShapeError};
pub use json::decode_json;
pub use msgpack::{MAX_DEPTH, decode_msgpack, encode_msgpack, msgpack_with_nulled};
pub use number::Number;
pub use path::{AttributePath, PathStep};
pub use types::{MAX_TYPE_DEPTH, Type};
pub use value::Value;
