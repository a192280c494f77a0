//! Reading a list answer while it arrives, one entry at a time.
//!
//! A cluster's token list grows with the cluster (tens of megabytes at 100,000 tokens), while
//! an operation needs a handful of its entries or a few bytes per entry. So a list is never
//! held whole, neither as text nor decoded: each chunk of the body is handed to a
//! [`ListScanner`] as it arrives, which finds where each entry of the JSON array ends and hands
//! the entry's text to a [`ListSink`], which decodes it and keeps what its operation needs (see
//! `list_trust`).
//!
//! Each entry is decoded from a byte slice (`serde_json::from_slice`), not through a reader:
//! serde_json reads a `Read` one byte at a time through its I/O layer, which made reading a
//! list of 1,000 tokens cost about 28 M instructions. Finding the end of an entry needs only
//! strings, escapes and bracket depth, and skips a string's body with `memchr`; the entry
//! itself is then decoded (and checked) by serde_json as before. An entry that lies within one
//! chunk is decoded in place; only one split across chunks is copied.
//!
//! Structure, not a count of entries, is what bounds a hostile answer:
//! - one entry may take at most [`MAX_ENTRY_BYTES`] of text (and a token at most
//!   `bounds::MAX_PERMISSIONS_PER_TOKEN` permissions), so decoding one never costs more than
//!   that, and the text kept of an entry split across chunks stays below it;
//! - the whole answer may take at most [`MAX_LIST_BYTES`] (counted by the caller, which sees
//!   the chunks), which bounds the time a read can spend and the few bytes per entry a sink
//!   keeps, at a size far past any plausible cluster (a token of 10 permissions is about 700
//!   bytes of text: the budget holds about 1.5 million of them).

use serde::de::DeserializeOwned;

/// Most bytes one list answer may have: 1 GiB.
pub(crate) const MAX_LIST_BYTES: u64 = 1 << 30;

/// Most bytes of text one list entry may have: 1 MiB. A token with the most permissions the
/// provider reads (2,000, each naming a database of at most 64 characters) takes about 150 KiB.
pub(crate) const MAX_ENTRY_BYTES: u64 = 1 << 20;

/// A place in the answer, counted like serde_json's positions (1-based line, and byte within
/// the line), so an error names it in the answer, not in the entry it arose in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) line: u64,
    pub(crate) column: u64,
}

impl Position {
    /// Where the position `e` gives inside an entry starting at `self` lies in the answer.
    fn within(self, e: &serde_json::Error) -> Position {
        match e.line() as u64 {
            0 => self,
            1 => Position {
                line: self.line,
                column: self.column - 1 + e.column() as u64,
            },
            line => Position {
                line: self.line + line - 1,
                column: e.column() as u64,
            },
        }
    }
}

/// Why a streamed list could not be read, apart from the transport.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ScanError {
    /// An entry is not the JSON the sink expects; `at` is where in the answer (serde_json's own
    /// position is within the entry).
    #[error("{error}")]
    Decode {
        error: serde_json::Error,
        at: Position,
    },
    /// The text around the entries is not a JSON array.
    #[error("the answer is not a JSON array: {why} at line {} column {}", at.line, at.column)]
    NotAnArray { why: &'static str, at: Position },
    /// One entry is longer than [`MAX_ENTRY_BYTES`].
    #[error("one entry of the list is longer than {MAX_ENTRY_BYTES} bytes")]
    EntryTooLarge,
}

/// What a list is read into: it is handed each entry's text (one JSON value, maybe with
/// whitespace around it) in order, and keeps what its operation needs.
pub(crate) trait ListSink {
    /// Decodes and takes one entry.
    fn entry(&mut self, text: &[u8]) -> Result<(), serde_json::Error>;
}

/// The simplest sink: every entry, decoded.
impl<T: DeserializeOwned> ListSink for Vec<T> {
    fn entry(&mut self, text: &[u8]) -> Result<(), serde_json::Error> {
        self.push(serde_json::from_slice(text)?);
        Ok(())
    }
}

/// Where the scanner is in the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before the opening `[`.
    Start,
    /// After `[` (`first`) or after a `,`: whitespace, then an entry (or `]` when `first`).
    BeforeEntry { first: bool },
    /// Inside an entry.
    Entry,
    /// After the closing `]`: only whitespace may follow.
    End,
}

/// Splits a JSON array arriving in chunks into its entries, and hands each to a sink.
pub(crate) struct ListScanner<S> {
    sink: S,
    phase: Phase,
    /// Open brackets and braces of the current entry.
    depth: u32,
    in_string: bool,
    /// The previous byte was a backslash inside a string.
    escaped: bool,
    /// The start of the current entry, when it began in an earlier chunk.
    carry: Vec<u8>,
    /// Where the current entry starts in the answer.
    entry_at: Position,
    /// Newlines before `counted`, and the offset in the answer just after the last of them.
    lines: u64,
    line_start: u64,
    /// The offset in the answer of the current chunk's first byte.
    offset: u64,
    /// How far into the current chunk newlines are counted.
    counted: usize,
}

impl<S: ListSink> ListScanner<S> {
    /// A scanner that hands the entries to `sink`.
    pub(crate) fn new(sink: S) -> Self {
        ListScanner {
            sink,
            phase: Phase::Start,
            depth: 0,
            in_string: false,
            escaped: false,
            carry: Vec::new(),
            entry_at: Position::default(),
            lines: 0,
            line_start: 0,
            offset: 0,
            counted: 0,
        }
    }

    /// The position of byte `i` of `chunk`; `i` never moves back within a chunk, so each byte
    /// is counted once.
    fn position(&mut self, chunk: &[u8], i: usize) -> Position {
        for at in memchr::memchr_iter(b'\n', &chunk[self.counted..i]) {
            self.lines += 1;
            self.line_start = self.offset + (self.counted + at) as u64 + 1;
        }
        self.counted = i;
        Position {
            line: self.lines + 1,
            column: self.offset + i as u64 - self.line_start + 1,
        }
    }

    fn not_an_array(&mut self, chunk: &[u8], i: usize, why: &'static str) -> ScanError {
        let at = self.position(chunk, i);
        ScanError::NotAnArray { why, at }
    }

    /// Reads the next chunk of the answer; every entry it completes goes to the sink.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Result<(), ScanError> {
        let mut i = 0;
        // Where the current entry starts in this chunk (0 when it began in an earlier one).
        let mut start = 0;
        while i < chunk.len() {
            match self.phase {
                Phase::Start => {
                    match chunk[i] {
                        b' ' | b'\t' | b'\n' | b'\r' => {}
                        b'[' => self.phase = Phase::BeforeEntry { first: true },
                        _ => return Err(self.not_an_array(chunk, i, "it does not start with `[`")),
                    }
                    i += 1;
                }
                Phase::BeforeEntry { first } => match chunk[i] {
                    b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                    b']' if first => {
                        self.phase = Phase::End;
                        i += 1;
                    }
                    _ => {
                        self.phase = Phase::Entry;
                        self.entry_at = self.position(chunk, i);
                        start = i;
                    }
                },
                Phase::Entry => {
                    let Some(end) = self.entry_end(chunk, &mut i) else {
                        break;
                    };
                    self.finish_entry(&chunk[start..i])?;
                    self.phase = match end {
                        b',' => Phase::BeforeEntry { first: false },
                        _ => Phase::End,
                    };
                    i += 1;
                }
                Phase::End => match chunk[i] {
                    b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                    _ => {
                        return Err(self.not_an_array(
                            chunk,
                            i,
                            "there is more after its closing `]`",
                        ));
                    }
                },
            }
        }
        if self.phase == Phase::Entry {
            let rest = &chunk[start..];
            if (self.carry.len() + rest.len()) as u64 > MAX_ENTRY_BYTES {
                return Err(ScanError::EntryTooLarge);
            }
            self.carry.extend_from_slice(rest);
        }
        self.position(chunk, chunk.len());
        self.offset += chunk.len() as u64;
        self.counted = 0;
        Ok(())
    }

    /// Advances `i` through the current entry to the `,` or `]` that ends it, and returns
    /// that byte; `None` when the chunk ends first (`i` is then its length).
    fn entry_end(&mut self, chunk: &[u8], i: &mut usize) -> Option<u8> {
        while *i < chunk.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    *i += 1;
                    continue;
                }
                match memchr::memchr2(b'"', b'\\', &chunk[*i..]) {
                    Some(at) => {
                        *i += at;
                        if chunk[*i] == b'"' {
                            self.in_string = false;
                        } else {
                            self.escaped = true;
                        }
                        *i += 1;
                    }
                    None => *i = chunk.len(),
                }
                continue;
            }
            let b = chunk[*i];
            match b {
                b'"' => self.in_string = true,
                b'[' | b'{' => self.depth += 1,
                b']' | b'}' if self.depth > 0 => self.depth -= 1,
                b',' | b']' if self.depth == 0 => return Some(b),
                _ => {}
            }
            *i += 1;
        }
        None
    }

    /// Hands the entry whose last bytes in this chunk are `tail` to the sink.
    fn finish_entry(&mut self, tail: &[u8]) -> Result<(), ScanError> {
        if (self.carry.len() + tail.len()) as u64 > MAX_ENTRY_BYTES {
            return Err(ScanError::EntryTooLarge);
        }
        let decoded = if self.carry.is_empty() {
            self.sink.entry(tail)
        } else {
            self.carry.extend_from_slice(tail);
            let decoded = self.sink.entry(&self.carry);
            self.carry.clear();
            decoded
        };
        decoded.map_err(|error| ScanError::Decode {
            at: self.entry_at.within(&error),
            error,
        })
    }

    /// The sink, once the whole answer was read; an answer that ends before its closing `]`
    /// is an error.
    pub(crate) fn end(mut self) -> Result<S, ScanError> {
        let why = match self.phase {
            Phase::End => return Ok(self.sink),
            Phase::Start => "it is empty",
            _ => "it ends before its closing `]`",
        };
        Err(self.not_an_array(&[], 0, why))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans `text`, sent in chunks of `size` bytes.
    fn scan_text(text: &str, size: usize) -> Result<Vec<u32>, ScanError> {
        let mut scanner = ListScanner::new(Vec::new());
        for chunk in text.as_bytes().chunks(size) {
            scanner.feed(chunk)?;
        }
        scanner.end()
    }

    #[test]
    fn entries_arrive_whatever_the_chunking() -> Result<(), ScanError> {
        for size in [1, 2, 7, 100] {
            assert_eq!(scan_text(" [1, 2,3 ,4] ", size)?, [1, 2, 3, 4]);
            assert!(scan_text("[]", size)?.is_empty());
            assert!(scan_text(" [ ]\n", size)?.is_empty());
        }
        Ok(())
    }

    #[test]
    fn strings_escapes_and_nesting_do_not_end_an_entry() -> Result<(), Box<dyn std::error::Error>> {
        let text = r#"[{"a":"x,]\"}\\","b":[1,[2]]}, "\\\"]", [[]] ,{}]"#;
        for size in [1, 2, 3, 5, 100] {
            let mut scanner = ListScanner::new(Vec::<serde_json::Value>::new());
            for chunk in text.as_bytes().chunks(size) {
                scanner.feed(chunk)?;
            }
            let got = scanner.end()?;
            let want: Vec<serde_json::Value> = serde_json::from_str(text)?;
            assert_eq!(got, want, "chunks of {size}");
        }
        Ok(())
    }

    #[test]
    fn a_truncated_or_trailing_answer_is_an_error() {
        for bad in [
            "",
            "[1,2",
            "[1,2] [3]",
            "{}",
            "[1,\"x\"]",
            "[1,]",
            "[,1]",
            "[1 2]",
            "[1}",
            "]",
        ] {
            for size in [1, 3, 100] {
                assert!(scan_text(bad, size).is_err(), "{bad:?} was accepted");
            }
        }
    }

    #[test]
    fn one_entry_may_not_outgrow_its_bound_however_long_the_list() {
        // Whitespace after a value is part of its entry's text (before it, it is skipped).
        let long_entry = format!("[1,1{}]", " ".repeat(MAX_ENTRY_BYTES as usize));
        for size in [64 * 1024, long_entry.len()] {
            assert!(matches!(
                scan_text(&long_entry, size),
                Err(ScanError::EntryTooLarge)
            ));
        }
        let at_bound = format!("[1,1{}]", " ".repeat(MAX_ENTRY_BYTES as usize - 1));
        assert!(scan_text(&at_bound, 64 * 1024).is_ok_and(|v| v == [1, 1]));
        // Many entries, together far longer than one entry's bound, are fine.
        let entry = format!("{}1", " ".repeat(1000));
        let many = format!("[{}]", vec![entry; 2_000].join(","));
        assert!(many.len() as u64 > MAX_ENTRY_BYTES);
        assert!(scan_text(&many, 64 * 1024).is_ok_and(|v| v.len() == 2_000));
    }

    #[test]
    fn an_error_names_its_place_in_the_answer_not_in_its_entry() {
        let text = "[1,\n  2,\n  \"x\"]";
        for size in [1, 4, 100] {
            match scan_text(text, size) {
                Err(ScanError::Decode { at, .. }) => {
                    assert_eq!(at, Position { line: 3, column: 5 }, "chunks of {size}")
                }
                other => panic!("{other:?}"),
            }
            match scan_text("[1]\n x", size) {
                Err(ScanError::NotAnArray { at, .. }) => {
                    assert_eq!(at, Position { line: 2, column: 2 }, "chunks of {size}")
                }
                other => panic!("{other:?}"),
            }
        }
        let whole = serde_json::from_str::<Vec<u32>>(text).err();
        assert!(whole.is_some_and(|e| (e.line(), e.column()) == (3, 5)));
    }
}
