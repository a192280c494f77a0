//! The msgpack form of tfplugin6 `DynamicValue`, decoded and encoded against a [`Type`].
//!
//! The wire form is lossy (lists, sets and tuples are all arrays; maps and objects are all
//! maps), so both directions need the schema's type. Layout, per Terraform's
//! `docs/plugin-protocol/object-wire-format.md`:
//!
//! - null is nil; unknown is *any* extension (Terraform sends ext 0, or ext 12 carrying
//!   refinements; we send `d4 00 00`);
//! - strings are str (bin accepted); bools are bool;
//! - numbers are any int, float32/64, or a str holding a decimal;
//! - lists, sets and tuples are arrays; maps and objects are maps with string keys, objects
//!   with every attribute present;
//! - a `dynamic` slot holds nil, an unknown, or `[type JSON as bin, value]`.
//!
//! Decoding treats its input as hostile: it never panics, checks every declared length
//! against the bytes left before allocating, and stops at [`MAX_DEPTH`] levels of nesting.

use std::collections::BTreeMap;

use super::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, ShapeError};
use super::number::Number;
use super::path::PathStack;
use super::types::Type;
use super::value::Value;

/// The deepest nesting of containers and `dynamic` wrappers the decoder accepts. The schema's
/// own types stay far below it; the cap only matters for `dynamic` values, whose types come
/// from the peer.
pub const MAX_DEPTH: usize = 128;

/// Cap on elements preallocated for one collection, so a length prefix alone (which is only
/// checked against the bytes left) cannot reserve a large block of memory up front.
const MAX_PREALLOCATE: usize = 1024;

/// Decodes a msgpack `DynamicValue` of type `ty`.
///
/// Object keys the type does not declare are an error; attributes missing from the bytes
/// decode as `Null`. Fails on malformed or truncated input, trailing bytes, nesting beyond
/// [`MAX_DEPTH`], invalid UTF-8, duplicate keys, and any value that does not fit `ty`; the
/// error carries the attribute path.
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let mut decoder = Decoder {
        input: bytes,
        pos: 0,
        path: PathStack::default(),
    };
    let value = decoder.value(ty, 0)?;
    match decoder.remaining() {
        0 => Ok(value),
        extra => Err(DecodeError::at_root(DecodeErrorKind::TrailingBytes(extra))),
    }
}

/// Encodes `v` as a msgpack `DynamicValue` of type `ty`.
///
/// - `Unknown` becomes `d4 00 00` (ext 0, unrefined), `Null` becomes nil, at any depth.
/// - Objects are written with every attribute of the object type, in name order; attributes
///   absent from the value are written as nil. Attributes the type lacks are an error.
/// - Numbers are an int when integral and within i64/u64, a float64 when one is exactly the
///   number, and otherwise the exact decimal text.
/// - A known value in a `dynamic` slot must be [`Value::Dynamic`]; it is written as
///   `[type JSON (msgpack bin), value]`, as Terraform does.
/// - Any value that does not fit `ty` is an error naming its attribute path.
pub fn encode_msgpack(v: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut encoder = Encoder {
        out: Vec::new(),
        path: PathStack::default(),
    };
    encoder.value(v, ty)?;
    Ok(encoder.out)
}

/// `bytes`, a msgpack map with string keys (an object as Terraform sends it), with the value of
/// every key `nulled` accepts replaced by nil and every other byte kept as it was; `None` when
/// `bytes` is not one well-formed map (the caller then encodes the object itself).
///
/// Copying the bytes costs a tenth of encoding the decoded object again, which every plan of an
/// existing object did to keep it in its private data.
pub fn msgpack_with_nulled(bytes: &[u8], nulled: impl Fn(&str) -> bool) -> Option<Vec<u8>> {
    let mut decoder = Decoder {
        input: bytes,
        pos: 0,
        path: PathStack::default(),
    };
    let Ok(Head::Map(len)) = decoder.head() else {
        return None;
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..decoder.pos]);
    for _ in 0..len {
        let key_start = decoder.pos;
        let key = decoder.key().ok()?;
        let value_start = decoder.pos;
        decoder.skip(0).ok()?;
        out.extend_from_slice(&bytes[key_start..value_start]);
        if nulled(key) {
            out.push(0xc0);
        } else {
            out.extend_from_slice(&bytes[value_start..decoder.pos]);
        }
    }
    (decoder.remaining() == 0).then_some(out)
}

/// One msgpack item as far as the decoder needs to see it before looking at the type.
/// Strings and binaries carry their payload; arrays and maps only their (checked) length;
/// extensions have already been skipped.
enum Head<'a> {
    Nil,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    Ext,
}

impl Head<'_> {
    fn name(&self) -> &'static str {
        match self {
            Head::Nil => "nil",
            Head::Bool(_) => "bool",
            Head::Unsigned(_) | Head::Signed(_) => "integer",
            Head::Float(_) => "float",
            Head::Str(_) => "string",
            Head::Bin(_) => "binary",
            Head::Array(_) => "array",
            Head::Map(_) => "map",
            Head::Ext => "extension",
        }
    }
}

struct Decoder<'a> {
    input: &'a [u8],
    pos: usize,
    path: PathStack<'a>,
}

impl<'a> Decoder<'a> {
    fn err(&self, kind: impl Into<DecodeErrorKind>) -> DecodeError {
        DecodeError::new(self.path.to_path(), kind.into())
    }

    fn mismatch(&self, expected: &str, found: &Head<'_>) -> DecodeError {
        self.err(ShapeError::Kind {
            expected: expected.to_owned(),
            found: found.name().to_owned(),
        })
    }

    fn remaining(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let bytes = self
            .pos
            .checked_add(n)
            .and_then(|end| self.input.get(self.pos..end))
            .ok_or_else(|| self.err(DecodeErrorKind::Truncated))?;
        self.pos = self.pos.saturating_add(n);
        Ok(bytes)
    }

    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let bytes = self.take(N)?;
        bytes
            .try_into()
            .map_err(|_| self.err(DecodeErrorKind::Truncated))
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let [b] = self.take_array::<1>()?;
        Ok(b)
    }

    /// Reads a big-endian length of `width` bytes (1, 2 or 4).
    fn length(&mut self, width: usize) -> Result<usize, DecodeError> {
        let len = match width {
            1 => u64::from(self.byte()?),
            2 => u64::from(u16::from_be_bytes(self.take_array()?)),
            _ => u64::from(u32::from_be_bytes(self.take_array()?)),
        };
        usize::try_from(len).map_err(|_| self.err(DecodeErrorKind::LengthExceedsInput(len)))
    }

    /// Checks that `count` items of at least `min_size` bytes each can fit in the rest of
    /// the input, before anything is allocated for them.
    fn check_fits(&self, count: usize, min_size: usize) -> Result<usize, DecodeError> {
        match count.checked_mul(min_size) {
            Some(needed) if needed <= self.remaining() => Ok(count),
            _ => Err(self.err(DecodeErrorKind::LengthExceedsInput(
                u64::try_from(count).unwrap_or(u64::MAX),
            ))),
        }
    }

    fn payload(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        self.check_fits(len, 1)?;
        self.take(len)
    }

    fn skip_ext(&mut self, data_len: usize) -> Result<Head<'a>, DecodeError> {
        // One type byte, then the data; the payload (refinements, for ext 12) is ignored.
        self.payload(data_len.saturating_add(1))?;
        Ok(Head::Ext)
    }

    fn head(&mut self) -> Result<Head<'a>, DecodeError> {
        let marker = self.byte()?;
        let head = match marker {
            0x00..=0x7f => Head::Unsigned(u64::from(marker)),
            0x80..=0x8f => Head::Map(self.check_fits(usize::from(marker & 0x0f), 2)?),
            0x90..=0x9f => Head::Array(self.check_fits(usize::from(marker & 0x0f), 1)?),
            0xa0..=0xbf => Head::Str(self.payload(usize::from(marker & 0x1f))?),
            0xc0 => Head::Nil,
            0xc1 => {
                return Err(self.err(DecodeErrorKind::Syntax(
                    "reserved marker byte 0xc1".to_owned(),
                )));
            }
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4..=0xc6 => {
                let len = self.length(1 << (marker - 0xc4))?;
                Head::Bin(self.payload(len)?)
            }
            0xc7..=0xc9 => {
                let len = self.length(1 << (marker - 0xc7))?;
                self.skip_ext(len)?
            }
            0xca => Head::Float(f64::from(f32::from_be_bytes(self.take_array()?))),
            0xcb => Head::Float(f64::from_be_bytes(self.take_array()?)),
            0xcc => Head::Unsigned(u64::from(self.byte()?)),
            0xcd => Head::Unsigned(u64::from(u16::from_be_bytes(self.take_array()?))),
            0xce => Head::Unsigned(u64::from(u32::from_be_bytes(self.take_array()?))),
            0xcf => Head::Unsigned(u64::from_be_bytes(self.take_array()?)),
            0xd0 => Head::Signed(i64::from(i8::from_be_bytes(self.take_array()?))),
            0xd1 => Head::Signed(i64::from(i16::from_be_bytes(self.take_array()?))),
            0xd2 => Head::Signed(i64::from(i32::from_be_bytes(self.take_array()?))),
            0xd3 => Head::Signed(i64::from_be_bytes(self.take_array()?)),
            0xd4..=0xd8 => self.skip_ext(1 << (marker - 0xd4))?,
            0xd9..=0xdb => {
                let len = self.length(1 << (marker - 0xd9))?;
                Head::Str(self.payload(len)?)
            }
            0xdc | 0xdd => {
                let len = self.length(if marker == 0xdc { 2 } else { 4 })?;
                Head::Array(self.check_fits(len, 1)?)
            }
            0xde | 0xdf => {
                let len = self.length(if marker == 0xde { 2 } else { 4 })?;
                Head::Map(self.check_fits(len, 2)?)
            }
            0xe0..=0xff => Head::Signed(i64::from(i8::from_be_bytes([marker]))),
        };
        Ok(head)
    }

    /// Moves past one whole item, whatever its type (at most [`MAX_DEPTH`] deep).
    fn skip(&mut self, depth: usize) -> Result<(), DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(self.err(DecodeErrorKind::TooDeep(MAX_DEPTH)));
        }
        let items = match self.head()? {
            Head::Array(len) => len,
            Head::Map(len) => len.saturating_mul(2),
            _ => 0,
        };
        for _ in 0..items {
            self.skip(depth + 1)?;
        }
        Ok(())
    }

    fn text(&self, bytes: &'a [u8]) -> Result<&'a str, DecodeError> {
        std::str::from_utf8(bytes).map_err(|_| self.err(DecodeErrorKind::InvalidUtf8))
    }

    /// A map key: a str (or bin) holding UTF-8.
    fn key(&mut self) -> Result<&'a str, DecodeError> {
        match self.head()? {
            Head::Str(bytes) | Head::Bin(bytes) => self.text(bytes),
            other => Err(self.mismatch("string map key", &other)),
        }
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(self.err(DecodeErrorKind::TooDeep(MAX_DEPTH)));
        }
        let head = self.head()?;
        match (ty, head) {
            (_, Head::Ext) => Ok(Value::Unknown),
            (_, Head::Nil) => Ok(Value::Null),
            (Type::Dynamic, head) => self.dynamic(head, depth),
            (Type::Bool, Head::Bool(b)) => Ok(Value::Bool(b)),
            (Type::Number, head) => self.number(head).map(Value::Number),
            (Type::String, Head::Str(bytes) | Head::Bin(bytes)) => {
                Ok(Value::String(self.text(bytes)?.to_owned()))
            }
            (Type::List(elem), Head::Array(len)) => {
                self.elements(len, |_| elem, depth).map(Value::List)
            }
            (Type::Set(elem), Head::Array(len)) => {
                self.elements(len, |_| elem, depth).map(Value::Set)
            }
            (Type::Tuple(elems), Head::Array(len)) => {
                if len != elems.len() {
                    return Err(self.err(ShapeError::TupleLength {
                        expected: elems.len(),
                        found: len,
                    }));
                }
                let ty_at = |i: usize| elems.get(i).unwrap_or(&Type::Dynamic);
                self.elements(len, ty_at, depth).map(Value::Tuple)
            }
            (Type::Map(elem), Head::Map(len)) => self.map(len, elem, depth).map(Value::Map),
            (Type::Object(attrs), Head::Map(len)) => {
                self.object(len, attrs, depth).map(Value::Object)
            }
            (ty, head) => Err(self.mismatch(ty.kind_name(), &head)),
        }
    }

    fn number(&self, head: Head<'a>) -> Result<Number, DecodeError> {
        match head {
            Head::Unsigned(u) => Ok(Number::from_u64(u)),
            Head::Signed(i) => Ok(Number::from_i64(i)),
            // `1/0` in a configuration: kept, so validation can name the attribute.
            Head::Float(f) if f.is_infinite() => Ok(Number::infinity(f < 0.0)),
            Head::Float(f) => Number::from_f64(f)
                .ok_or_else(|| self.err(DecodeErrorKind::InvalidNumber(f.to_string()))),
            Head::Str(bytes) | Head::Bin(bytes) => {
                Number::parse(self.text(bytes)?).map_err(|e| self.err(e.kind))
            }
            other => Err(self.mismatch("number", &other)),
        }
    }

    fn elements<'t>(
        &mut self,
        len: usize,
        ty_at: impl Fn(usize) -> &'t Type,
        depth: usize,
    ) -> Result<Vec<Value>, DecodeError> {
        let mut out = Vec::with_capacity(len.min(MAX_PREALLOCATE));
        for i in 0..len {
            self.path.push_index(i);
            out.push(self.value(ty_at(i), depth.saturating_add(1))?);
            self.path.pop();
        }
        Ok(out)
    }

    fn map(
        &mut self,
        len: usize,
        elem: &Type,
        depth: usize,
    ) -> Result<BTreeMap<String, Value>, DecodeError> {
        let mut out = BTreeMap::new();
        for _ in 0..len {
            let key = self.key()?;
            if out.contains_key(key) {
                return Err(self.err(DecodeErrorKind::DuplicateKey(key.to_owned())));
            }
            self.path.push_key(key);
            let value = self.value(elem, depth.saturating_add(1))?;
            self.path.pop();
            out.insert(key.to_owned(), value);
        }
        Ok(out)
    }

    fn object(
        &mut self,
        len: usize,
        attrs: &BTreeMap<String, Type>,
        depth: usize,
    ) -> Result<BTreeMap<String, Value>, DecodeError> {
        let mut out = BTreeMap::new();
        for _ in 0..len {
            let key = self.key()?;
            let Some(attr_ty) = attrs.get(key) else {
                return Err(self.err(ShapeError::UnknownAttribute(key.to_owned())));
            };
            if out.contains_key(key) {
                return Err(self.err(DecodeErrorKind::DuplicateKey(key.to_owned())));
            }
            self.path.push_attr(key);
            let value = self.value(attr_ty, depth.saturating_add(1))?;
            self.path.pop();
            out.insert(key.to_owned(), value);
        }
        for name in attrs.keys() {
            if !out.contains_key(name) {
                out.insert(name.clone(), Value::Null);
            }
        }
        Ok(out)
    }

    /// `[type JSON, value]`: the type as msgpack bin (what Terraform sends) or str.
    fn dynamic(&mut self, head: Head<'a>, depth: usize) -> Result<Value, DecodeError> {
        match head {
            Head::Array(2) => {}
            Head::Array(n) => {
                return Err(self.err(DecodeErrorKind::InvalidDynamic(format!(
                    "expected a [type, value] array, found an array of {n} elements"
                ))));
            }
            other => return Err(self.mismatch("[type, value] array of a dynamic value", &other)),
        }
        let type_json = match self.head()? {
            Head::Bin(bytes) | Head::Str(bytes) => bytes,
            other => return Err(self.mismatch("type JSON of a dynamic value", &other)),
        };
        let json: serde_json::Value = serde_json::from_slice(type_json).map_err(|e| {
            self.err(DecodeErrorKind::InvalidDynamic(format!(
                "type is not valid JSON: {e}"
            )))
        })?;
        let ty = Type::from_json(&json).map_err(|e| self.err(e.kind))?;
        let value = self.value(&ty, depth.saturating_add(1))?;
        Ok(Value::Dynamic {
            ty,
            value: Box::new(value),
        })
    }
}

struct Encoder<'a> {
    out: Vec<u8>,
    path: PathStack<'a>,
}

impl<'a> Encoder<'a> {
    fn err(&self, kind: impl Into<EncodeErrorKind>) -> EncodeError {
        EncodeError::new(self.path.to_path(), kind.into())
    }

    fn value(&mut self, v: &'a Value, ty: &'a Type) -> Result<(), EncodeError> {
        match (v, ty) {
            (Value::Null, _) => self.out.push(0xc0),
            (Value::Unknown, _) => self.out.extend_from_slice(&[0xd4, 0x00, 0x00]),
            (Value::Dynamic { ty: inner, value }, Type::Dynamic) => {
                self.out.push(0x92);
                self.bin(&inner.to_json_bytes())?;
                self.value(value, inner)?;
            }
            (v, Type::Dynamic) => {
                return Err(self.err(EncodeErrorKind::DynamicWithoutType(
                    v.kind_name().to_owned(),
                )));
            }
            (Value::Bool(b), Type::Bool) => self.out.push(if *b { 0xc3 } else { 0xc2 }),
            (Value::Number(n), Type::Number) => self.number(n)?,
            (Value::String(s), Type::String) => self.str(s)?,
            (Value::List(items), Type::List(elem)) | (Value::Set(items), Type::Set(elem)) => {
                self.array_len(items.len())?;
                for (i, item) in items.iter().enumerate() {
                    self.path.push_index(i);
                    self.value(item, elem)?;
                    self.path.pop();
                }
            }
            (Value::Tuple(items), Type::Tuple(elems)) => {
                if items.len() != elems.len() {
                    return Err(self.err(ShapeError::TupleLength {
                        expected: elems.len(),
                        found: items.len(),
                    }));
                }
                self.array_len(items.len())?;
                for (i, (item, elem)) in items.iter().zip(elems).enumerate() {
                    self.path.push_index(i);
                    self.value(item, elem)?;
                    self.path.pop();
                }
            }
            (Value::Map(entries), Type::Map(elem)) => {
                self.map_len(entries.len())?;
                for (key, item) in entries {
                    self.str(key)?;
                    self.path.push_key(key);
                    self.value(item, elem)?;
                    self.path.pop();
                }
            }
            (Value::Object(values), Type::Object(attrs)) => {
                if let Some(extra) = values.keys().find(|k| !attrs.contains_key(*k)) {
                    return Err(self.err(ShapeError::UnknownAttribute(extra.clone())));
                }
                self.map_len(attrs.len())?;
                for (name, attr_ty) in attrs {
                    self.str(name)?;
                    self.path.push_attr(name);
                    self.value(values.get(name).unwrap_or(&Value::Null), attr_ty)?;
                    self.path.pop();
                }
            }
            (v, ty) => {
                return Err(self.err(ShapeError::Kind {
                    expected: ty.kind_name().to_owned(),
                    found: v.kind_name().to_owned(),
                }));
            }
        }
        Ok(())
    }

    fn number(&mut self, n: &Number) -> Result<(), EncodeError> {
        if let Some(i) = n.as_i64() {
            self.int(i);
        } else if let Some(u) = n.as_u64() {
            self.uint(u);
        } else if let Some(f) = n.to_exact_f64() {
            self.out.push(0xcb);
            self.out.extend_from_slice(&f.to_be_bytes());
        } else {
            self.str(&n.to_string())?;
        }
        Ok(())
    }

    fn uint(&mut self, u: u64) {
        if let Ok(b) = u8::try_from(u) {
            if b < 0x80 {
                self.out.push(b);
            } else {
                self.out.extend_from_slice(&[0xcc, b]);
            }
        } else if let Ok(v) = u16::try_from(u) {
            self.out.push(0xcd);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else if let Ok(v) = u32::try_from(u) {
            self.out.push(0xce);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else {
            self.out.push(0xcf);
            self.out.extend_from_slice(&u.to_be_bytes());
        }
    }

    fn int(&mut self, i: i64) {
        if let Ok(u) = u64::try_from(i) {
            return self.uint(u);
        }
        if let Ok(v) = i8::try_from(i) {
            if v >= -32 {
                self.out.extend_from_slice(&v.to_be_bytes());
            } else {
                self.out.push(0xd0);
                self.out.extend_from_slice(&v.to_be_bytes());
            }
        } else if let Ok(v) = i16::try_from(i) {
            self.out.push(0xd1);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else if let Ok(v) = i32::try_from(i) {
            self.out.push(0xd2);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else {
            self.out.push(0xd3);
            self.out.extend_from_slice(&i.to_be_bytes());
        }
    }

    /// Writes the header of a str, array or map: the fix form when `len` fits in `fix_bits`
    /// bits, else the 8-bit form (if the format has one), else 16 or 32 bits.
    fn header(
        &mut self,
        len: usize,
        (fix, fix_bits): (u8, u32),
        m8: Option<u8>,
        [m16, m32]: [u8; 2],
    ) -> Result<(), EncodeError> {
        match (u8::try_from(len), m8) {
            (Ok(small), _) if small >> fix_bits == 0 => self.out.push(fix | small),
            (Ok(v), Some(marker)) => self.out.extend_from_slice(&[marker, v]),
            _ => self.sized(len, m16, m32)?,
        }
        Ok(())
    }

    /// Writes `marker16` and a 16-bit length, or `marker32` and a 32-bit one.
    fn sized(&mut self, len: usize, marker16: u8, marker32: u8) -> Result<(), EncodeError> {
        if let Ok(v) = u16::try_from(len) {
            self.out.push(marker16);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else if let Ok(v) = u32::try_from(len) {
            self.out.push(marker32);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else {
            return Err(self.err(EncodeErrorKind::TooLong(len)));
        }
        Ok(())
    }

    fn str(&mut self, s: &str) -> Result<(), EncodeError> {
        self.header(s.len(), (0xa0, 5), Some(0xd9), [0xda, 0xdb])?;
        self.out.extend_from_slice(s.as_bytes());
        Ok(())
    }

    fn bin(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        match u8::try_from(bytes.len()) {
            Ok(v) => self.out.extend_from_slice(&[0xc4, v]),
            Err(_) => self.sized(bytes.len(), 0xc5, 0xc6)?,
        }
        self.out.extend_from_slice(bytes);
        Ok(())
    }

    fn array_len(&mut self, len: usize) -> Result<(), EncodeError> {
        self.header(len, (0x90, 4), None, [0xdc, 0xdd])
    }

    fn map_len(&mut self, len: usize) -> Result<(), EncodeError> {
        self.header(len, (0x80, 4), None, [0xde, 0xdf])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::AttributePath;
    use crate::value::strategies::{arb_type, arb_typed_value, list, num, obj, obj_ty};
    use proptest::prelude::*;

    fn hex(text: &str) -> Vec<u8> {
        let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
        digits
            .chunks(2)
            .map(|pair| {
                let s = std::str::from_utf8(pair).expect("ascii");
                u8::from_str_radix(s, 16).expect("hex")
            })
            .collect()
    }

    /// Cases that encode to exactly these bytes and decode back to the same value.
    fn golden() -> Vec<(&'static str, Type, Value, &'static str)> {
        vec![
            ("null", Type::String, Value::Null, "c0"),
            ("unknown", Type::String, Value::Unknown, "d4 00 00"),
            (
                "unknown object",
                obj_ty(&[("a", Type::String)]),
                Value::Unknown,
                "d4 00 00",
            ),
            ("true", Type::Bool, true.into(), "c3"),
            ("false", Type::Bool, false.into(), "c2"),
            ("string", Type::String, "hello".into(), "a5 68 65 6c 6c 6f"),
            ("empty string", Type::String, "".into(), "a0"),
            ("one", Type::Number, num("1"), "01"),
            ("minus one", Type::Number, num("-1"), "ff"),
            ("zero", Type::Number, num("0"), "00"),
            ("127", Type::Number, num("127"), "7f"),
            ("128", Type::Number, num("128"), "cc 80"),
            ("300", Type::Number, num("300"), "cd 01 2c"),
            ("70000", Type::Number, num("70000"), "ce 00 01 11 70"),
            (
                "2^32",
                Type::Number,
                num("4294967296"),
                "cf 00 00 00 01 00 00 00 00",
            ),
            (
                "u64 max",
                Type::Number,
                num("18446744073709551615"),
                "cf ff ff ff ff ff ff ff ff",
            ),
            ("-32", Type::Number, num("-32"), "e0"),
            ("-33", Type::Number, num("-33"), "d0 df"),
            ("-200", Type::Number, num("-200"), "d1 ff 38"),
            ("-40000", Type::Number, num("-40000"), "d2 ff ff 63 c0"),
            (
                "i64 min",
                Type::Number,
                num("-9223372036854775808"),
                "d3 80 00 00 00 00 00 00 00",
            ),
            (
                "2.5",
                Type::Number,
                num("2.5"),
                "cb 40 04 00 00 00 00 00 00",
            ),
            (
                "-0.5",
                Type::Number,
                num("-0.5"),
                "cb bf e0 00 00 00 00 00 00",
            ),
            (
                "2^70 is an exact float",
                Type::Number,
                num("1180591620717411303424"),
                "cb 44 50 00 00 00 00 00 00",
            ),
            (
                "0.1 is not a float",
                Type::Number,
                num("0.1"),
                "a3 30 2e 31",
            ),
            ("huge", Type::Number, num("1e400"), "a6 31 65 2b 34 30 30"),
            (
                "big integer",
                Type::Number,
                num("12345678901234567890123"),
                "b7 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38 39 30 31 32 33",
            ),
            (
                "object with null and unknown attributes",
                obj_ty(&[("a", Type::String), ("b", Type::Number), ("c", Type::Bool)]),
                obj(&[
                    ("a", Value::Null),
                    ("b", Value::Unknown),
                    ("c", true.into()),
                ]),
                "83 a1 61 c0 a1 62 d4 00 00 a1 63 c3",
            ),
            (
                "set",
                Type::Set(Box::new(Type::String)),
                Value::Set(vec!["a".into(), "b".into()]),
                "92 a1 61 a1 62",
            ),
            (
                "list with an unknown element",
                list(Type::Number),
                Value::List(vec![num("1"), Value::Unknown]),
                "92 01 d4 00 00",
            ),
            (
                "map",
                Type::Map(Box::new(Type::String)),
                Value::Map(BTreeMap::from([("k".to_owned(), "v".into())])),
                "81 a1 6b a1 76",
            ),
            (
                "tuple",
                Type::Tuple(vec![Type::Bool, Type::Number]),
                Value::Tuple(vec![true.into(), num("1")]),
                "92 c3 01",
            ),
            ("empty list", list(Type::String), Value::List(vec![]), "90"),
            (
                "dynamic string",
                Type::Dynamic,
                Value::Dynamic {
                    ty: Type::String,
                    value: Box::new("hi".into()),
                },
                "92 c4 08 22 73 74 72 69 6e 67 22 a2 68 69",
            ),
            (
                "dynamic unknown of a known type",
                Type::Dynamic,
                Value::Dynamic {
                    ty: Type::Bool,
                    value: Box::new(Value::Unknown),
                },
                "92 c4 06 22 62 6f 6f 6c 22 d4 00 00",
            ),
            ("dynamic null", Type::Dynamic, Value::Null, "c0"),
            ("dynamic unknown", Type::Dynamic, Value::Unknown, "d4 00 00"),
        ]
    }

    #[test]
    fn nulling_attributes_in_place_keeps_every_other_byte() {
        let ty = obj_ty(&[
            ("id", Type::String),
            ("secret", Type::String),
            (
                "tags",
                Type::List(Box::new(Type::Map(Box::new(Type::Number)))),
            ),
            ("when", Type::Dynamic),
        ]);
        let value = obj(&[
            ("id", Value::from("t1")),
            ("secret", Value::from("s3cr3t")),
            (
                "tags",
                Value::List(vec![Value::Map(
                    [
                        ("a".to_owned(), num("1.5")),
                        ("b".to_owned(), Value::Unknown),
                    ]
                    .into(),
                )]),
            ),
            ("when", Value::Null),
        ]);
        let bytes = encode_msgpack(&value, &ty).expect("encodes");
        let nulled = msgpack_with_nulled(&bytes, |k| k == "secret").expect("a map");
        assert!(!String::from_utf8_lossy(&nulled).contains("s3cr3t"));
        let mut expected = value.clone();
        if let Value::Object(attrs) = &mut expected {
            attrs.insert("secret".to_owned(), Value::Null);
        }
        assert_eq!(decode_msgpack(&nulled, &ty).expect("decodes"), expected);
        assert_eq!(nulled, encode_msgpack(&expected, &ty).expect("encodes"));
        // Anything but one whole map is left to the caller.
        for bad in [
            &bytes[..bytes.len() - 1],
            &hex("c0"),
            &[bytes.as_slice(), &[0xc0]].concat(),
        ] {
            assert!(msgpack_with_nulled(bad, |_| true).is_none(), "{bad:02x?}");
        }
    }

    #[test]
    fn golden_vectors_encode_to_their_bytes() {
        for (name, ty, value, bytes) in golden() {
            assert_eq!(encode_msgpack(&value, &ty), Ok(hex(bytes)), "{name}");
        }
    }

    #[test]
    fn golden_vectors_decode_to_their_values() {
        for (name, ty, value, bytes) in golden() {
            assert_eq!(decode_msgpack(&hex(bytes), &ty), Ok(value), "{name}");
        }
    }

    #[test]
    fn long_strings_and_collections_use_wider_headers() {
        let s = "x".repeat(40);
        let bytes = encode_msgpack(&Value::String(s.clone()), &Type::String).expect("encodes");
        assert_eq!(bytes.get(..2), Some(&[0xd9, 40][..]));
        let s = "x".repeat(300);
        let bytes = encode_msgpack(&Value::String(s.clone()), &Type::String).expect("encodes");
        assert_eq!(bytes.get(..3), Some(&[0xda, 0x01, 0x2c][..]));
        let items = Value::List(vec![Value::Null; 20]);
        let bytes = encode_msgpack(&items, &list(Type::String)).expect("encodes");
        assert_eq!(bytes.get(..3), Some(&[0xdc, 0x00, 20][..]));
        assert_eq!(decode_msgpack(&bytes, &list(Type::String)), Ok(items));
        let entries: BTreeMap<String, Value> =
            (0..20).map(|i| (i.to_string(), Value::Null)).collect();
        let map = Value::Map(entries);
        let ty = Type::Map(Box::new(Type::Bool));
        let bytes = encode_msgpack(&map, &ty).expect("encodes");
        assert_eq!(bytes.get(..3), Some(&[0xde, 0x00, 20][..]));
        assert_eq!(decode_msgpack(&bytes, &ty), Ok(map));
    }

    #[test]
    fn any_extension_decodes_as_unknown() {
        for bytes in [
            "d4 00 00",
            "d4 0c 00",
            "d5 07 00 00",
            "d6 01 00 00 00 00",
            "d7 7f 00 00 00 00 00 00 00 00",
            "d8 ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
            "c7 00 0c",
            // ext 12 with a refinement map {1: false} (definitely not null).
            "c7 03 0c 81 01 c2",
            // ext 12 with a string prefix refinement {2: "ab"}.
            "c8 00 05 0c 81 02 a2 61 62",
            "c9 00 00 00 01 00 00",
        ] {
            assert_eq!(
                decode_msgpack(&hex(bytes), &Type::String),
                Ok(Value::Unknown),
                "{bytes}"
            );
        }
    }

    #[test]
    fn extension_payloads_are_length_checked() {
        for bytes in ["d4 00", "d8 00 00", "c7 05 0c 81 01", "c9 ff ff ff ff 0c"] {
            assert!(
                decode_msgpack(&hex(bytes), &Type::String).is_err(),
                "{bytes}"
            );
        }
    }

    /// `1/0` in a configuration arrives as a float infinity: it decodes (so validation can name
    /// the attribute instead of Terraform reporting a provider bug) and goes back out as the
    /// same float.
    #[test]
    fn infinities_decode_and_encode_back_as_floats() {
        for (bytes, negative) in [
            ("cb 7f f0 00 00 00 00 00 00", false),
            ("cb ff f0 00 00 00 00 00 00", true),
            ("ca 7f 80 00 00", false),
            ("ca ff 80 00 00", true),
        ] {
            let value = decode_msgpack(&hex(bytes), &Type::Number).expect(bytes);
            let Value::Number(n) = &value else {
                panic!("{bytes}: {value:?}")
            };
            assert!(n.is_infinite() && n.is_negative() == negative, "{bytes}");
            assert_eq!(n.as_i64(), None, "{bytes}");
            let encoded = encode_msgpack(&value, &Type::Number).expect("encode");
            let float = if negative { "cb ff f0" } else { "cb 7f f0" };
            assert_eq!(
                encoded,
                hex(&format!("{float} 00 00 00 00 00 00")),
                "{bytes}"
            );
        }
    }

    #[test]
    fn numbers_decode_from_every_width_and_from_text() {
        for (bytes, expected) in [
            ("cc 01", "1"),
            ("cd 00 01", "1"),
            ("ce 00 00 00 01", "1"),
            ("cf 00 00 00 00 00 00 00 01", "1"),
            ("d0 ff", "-1"),
            ("d1 ff ff", "-1"),
            ("d2 ff ff ff ff", "-1"),
            ("d3 ff ff ff ff ff ff ff ff", "-1"),
            ("ca 40 20 00 00", "2.5"),
            ("a4 31 32 2e 35", "12.5"),
            ("c4 03 31 65 35", "1e5"),
        ] {
            assert_eq!(
                decode_msgpack(&hex(bytes), &Type::Number),
                Ok(num(expected)),
                "{bytes}"
            );
        }
        for bytes in [
            "cb 7f f8 00 00 00 00 00 00",
            "ca 7f c0 00 00",
            "a3 61 62 63",
            "c3",
        ] {
            assert!(
                decode_msgpack(&hex(bytes), &Type::Number).is_err(),
                "{bytes}"
            );
        }
    }

    #[test]
    fn dynamic_type_may_arrive_as_str() {
        let bytes = hex("92 a8 22 73 74 72 69 6e 67 22 a2 68 69");
        assert_eq!(
            decode_msgpack(&bytes, &Type::Dynamic),
            Ok(Value::Dynamic {
                ty: Type::String,
                value: Box::new("hi".into())
            })
        );
    }

    #[test]
    fn malformed_dynamic_values_are_rejected() {
        for bytes in [
            "a2 68 69",
            "91 c4 08 22 73 74 72 69 6e 67 22",
            "93 c4 08 22 73 74 72 69 6e 67 22 a2 68 69 c0",
            "92 01 a2 68 69",
            "92 c4 03 7b 7d 7b c0",
            "92 c4 07 22 73 74 72 75 6e 67 a2 68 69",
            "92 c4 08 22 73 74 72 69 6e 67 22 01",
        ] {
            assert!(
                decode_msgpack(&hex(bytes), &Type::Dynamic).is_err(),
                "{bytes}"
            );
        }
    }

    #[test]
    fn objects_decode_missing_attributes_as_null() {
        let ty = obj_ty(&[("a", Type::String), ("b", Type::Number)]);
        assert_eq!(
            decode_msgpack(&hex("81 a1 61 a1 78"), &ty),
            Ok(obj(&[("a", "x".into()), ("b", Value::Null)]))
        );
    }

    #[test]
    fn objects_reject_unknown_and_duplicate_keys() {
        let ty = obj_ty(&[("a", Type::String)]);
        let err = decode_msgpack(&hex("81 a1 7a c0"), &ty).expect_err("z is not declared");
        assert_eq!(
            err.kind,
            DecodeErrorKind::Shape(ShapeError::UnknownAttribute("z".to_owned()))
        );
        let err = decode_msgpack(&hex("82 a1 61 c0 a1 61 c0"), &ty).expect_err("duplicate");
        assert_eq!(err.kind, DecodeErrorKind::DuplicateKey("a".to_owned()));
        let map = Type::Map(Box::new(Type::String));
        let err = decode_msgpack(&hex("82 a1 61 c0 a1 61 c0"), &map).expect_err("duplicate");
        assert_eq!(err.kind, DecodeErrorKind::DuplicateKey("a".to_owned()));
        let err = decode_msgpack(&hex("81 01 c0"), &map).expect_err("integer key");
        assert!(matches!(
            err.kind,
            DecodeErrorKind::Shape(ShapeError::Kind { .. })
        ));
    }

    #[test]
    fn errors_carry_the_attribute_path() {
        let ty = obj_ty(&[("permissions", list(obj_ty(&[("action", Type::String)])))]);
        // {"permissions": [{"action": "a"}, {"action": "b"}, {"action": 7}]}
        let bytes = hex("81 ab 70 65 72 6d 69 73 73 69 6f 6e 73 93 \
             81 a6 61 63 74 69 6f 6e a1 61 \
             81 a6 61 63 74 69 6f 6e a1 62 \
             81 a6 61 63 74 69 6f 6e 07");
        let err = decode_msgpack(&bytes, &ty).expect_err("7 is not a string");
        assert_eq!(
            err.path,
            AttributePath::attr("permissions")
                .push_index(2)
                .push_attr("action")
        );
        assert_eq!(
            err.to_string(),
            "at .permissions[2].action: expected string, found integer"
        );
        let map = Type::Map(Box::new(Type::Bool));
        let err = decode_msgpack(&hex("81 a1 6b 01"), &map).expect_err("not a bool");
        assert_eq!(err.to_string(), "at [\"k\"]: expected bool, found integer");
    }

    #[test]
    fn structural_errors_are_reported() {
        let s = Type::String;
        let cases: [(&str, &Type, DecodeErrorKind); 6] = [
            ("", &s, DecodeErrorKind::Truncated),
            ("a5 68 69", &s, DecodeErrorKind::LengthExceedsInput(5)),
            ("c0 c0", &s, DecodeErrorKind::TrailingBytes(1)),
            ("a2 c3 28", &s, DecodeErrorKind::InvalidUtf8),
            ("cd 00", &Type::Number, DecodeErrorKind::Truncated),
            (
                "dd ff ff ff ff",
                &Type::List(Box::new(Type::String)),
                DecodeErrorKind::LengthExceedsInput(0xffff_ffff),
            ),
        ];
        for (bytes, ty, kind) in cases {
            assert_eq!(
                decode_msgpack(&hex(bytes), ty).map_err(|e| e.kind),
                Err(kind),
                "{bytes}"
            );
        }
        let err = decode_msgpack(&hex("c1"), &s).expect_err("reserved");
        assert!(matches!(err.kind, DecodeErrorKind::Syntax(_)));
        let err = decode_msgpack(&hex("df ff ff ff ff c0"), &Type::Map(Box::new(s.clone())))
            .expect_err("too long");
        assert!(matches!(err.kind, DecodeErrorKind::LengthExceedsInput(_)));
        let err =
            decode_msgpack(&hex("92 01 02"), &Type::Tuple(vec![Type::Number])).expect_err("arity");
        assert_eq!(
            err.kind,
            DecodeErrorKind::Shape(ShapeError::TupleLength {
                expected: 1,
                found: 2
            })
        );
    }

    #[test]
    fn nested_dynamic_values_stop_at_the_depth_limit() {
        // ["dynamic", ["dynamic", ... nil]] nested far beyond the limit.
        let mut bytes = Vec::new();
        for _ in 0..10_000 {
            bytes.extend_from_slice(&hex("92 c4 09 22 64 79 6e 61 6d 69 63 22"));
        }
        bytes.push(0xc0);
        let err = decode_msgpack(&bytes, &Type::Dynamic).expect_err("too deep");
        assert_eq!(err.kind, DecodeErrorKind::TooDeep(MAX_DEPTH));
        // A few levels are fine.
        let mut bytes = Vec::new();
        for _ in 0..3 {
            bytes.extend_from_slice(&hex("92 c4 09 22 64 79 6e 61 6d 69 63 22"));
        }
        bytes.push(0xc0);
        assert!(decode_msgpack(&bytes, &Type::Dynamic).is_ok());
    }

    #[test]
    fn deep_schema_types_stop_at_the_depth_limit() {
        let mut ty = Type::String;
        for _ in 0..MAX_DEPTH + 10 {
            ty = list(ty);
        }
        let bytes = vec![0x91; MAX_DEPTH + 10];
        let err = decode_msgpack(&bytes, &ty).expect_err("too deep");
        assert_eq!(err.kind, DecodeErrorKind::TooDeep(MAX_DEPTH));
    }

    #[test]
    fn encoding_rejects_values_that_do_not_fit_the_type() {
        let ty = obj_ty(&[("a", Type::String), ("t", Type::Tuple(vec![Type::Bool]))]);
        let err = encode_msgpack(&obj(&[("a", 1.into())]), &ty).expect_err("mismatch");
        assert_eq!(err.to_string(), "at .a: expected string, found number");
        let err = encode_msgpack(&obj(&[("zz", Value::Null)]), &ty).expect_err("extra");
        assert_eq!(
            err.kind,
            EncodeErrorKind::Shape(ShapeError::UnknownAttribute("zz".to_owned()))
        );
        let err = encode_msgpack(&obj(&[("t", Value::Tuple(vec![]))]), &ty).expect_err("arity");
        assert_eq!(
            err.kind,
            EncodeErrorKind::Shape(ShapeError::TupleLength {
                expected: 1,
                found: 0
            })
        );
        let err = encode_msgpack(&Value::from("x"), &Type::Dynamic).expect_err("untyped");
        assert!(matches!(err.kind, EncodeErrorKind::DynamicWithoutType(_)));
        let wrapped = Value::Dynamic {
            ty: Type::String,
            value: Box::new("x".into()),
        };
        let err = encode_msgpack(&wrapped, &Type::String).expect_err("wrapped");
        assert!(matches!(
            err.kind,
            EncodeErrorKind::Shape(ShapeError::Kind { .. })
        ));
        let err = encode_msgpack(&Value::List(vec![]), &Type::Set(Box::new(Type::String)))
            .expect_err("list is not a set");
        assert!(matches!(
            err.kind,
            EncodeErrorKind::Shape(ShapeError::Kind { .. })
        ));
    }

    #[test]
    fn encoding_writes_absent_object_attributes_as_nil() {
        let ty = obj_ty(&[("a", Type::String), ("b", Type::Bool)]);
        assert_eq!(
            encode_msgpack(&obj(&[("b", true.into())]), &ty),
            Ok(hex("82 a1 61 c0 a1 62 c3"))
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn values_roundtrip_through_msgpack((ty, value) in arb_typed_value(true)) {
            let bytes = encode_msgpack(&value, &ty).expect("conforming values encode");
            prop_assert_eq!(decode_msgpack(&bytes, &ty), Ok(value));
        }

        #[test]
        fn arbitrary_bytes_never_panic(ty in arb_type(), bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_msgpack(&bytes, &ty);
        }

        #[test]
        fn mutated_encodings_never_panic(
            (ty, value) in arb_typed_value(true),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3_u8), 1..4),
        ) {
            let mut bytes = encode_msgpack(&value, &ty).expect("conforming values encode");
            for (at, byte, how) in edits {
                if bytes.is_empty() {
                    bytes.push(byte);
                    continue;
                }
                let i = at.index(bytes.len());
                match how {
                    0 => bytes[i] = byte,
                    1 => bytes.truncate(i),
                    _ => bytes.insert(i, byte),
                }
            }
            let _ = decode_msgpack(&bytes, &ty);
        }
    }
}
