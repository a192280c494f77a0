//! Reading a list answer while it arrives, one entry at a time.
//!
//! A cluster's token list grows with the cluster (tens of megabytes at 100,000 tokens), while
//! an operation needs a handful of its entries or a few bytes per entry. So a list is never
//! held whole, neither as text nor decoded: the body's chunks go through a small channel to a
//! JSON decoder on a blocking thread, which hands each entry to a sink as soon as it is
//! decoded, and the sink keeps what its operation needs (see `list_trust`).
//!
//! Structure, not a count of entries, is what bounds a hostile answer:
//! - one entry may take at most [`MAX_ENTRY_BYTES`] of text (and a token at most
//!   `bounds::MAX_PERMISSIONS_PER_TOKEN` permissions), so decoding one never costs more than
//!   that;
//! - the whole answer may take at most [`MAX_LIST_BYTES`], which bounds the time a read can
//!   spend and the few bytes per entry a sink keeps, at a size far past any plausible cluster
//!   (a token of 10 permissions is about 700 bytes of text: the budget holds about 1.5 million
//!   of them).

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use serde::de::{DeserializeOwned, Deserializer as _, SeqAccess, Visitor};
use tokio::sync::mpsc;

/// Most bytes one list answer may have: 1 GiB.
pub(crate) const MAX_LIST_BYTES: u64 = 1 << 30;

/// Most bytes of text one list entry may have: 1 MiB. A token with the most permissions the
/// provider reads (2,000, each naming a database of at most 64 characters) takes about 150 KiB.
pub(crate) const MAX_ENTRY_BYTES: u64 = 1 << 20;

/// Bytes the decoder reads ahead of the entry it decodes.
const READ_AHEAD: usize = 64 * 1024;

/// Chunks in flight between the body and the decoder: the decoder's backlog stays a few
/// hundred kilobytes however long the answer.
pub(crate) const CHANNEL_CHUNKS: usize = 8;

/// Why a streamed list could not be read, apart from the transport.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ScanError {
    /// The text is not a JSON array of the expected entries.
    #[error(transparent)]
    Decode(#[from] serde_json::Error),
    /// One entry is longer than [`MAX_ENTRY_BYTES`].
    #[error("one entry of the list is longer than {MAX_ENTRY_BYTES} bytes")]
    EntryTooLarge,
}

/// The bytes read since the current entry began, shared by the reader (which counts them) and
/// the decoder (which starts each entry at zero).
#[derive(Default)]
struct EntryBytes {
    read: Cell<u64>,
    over: Cell<bool>,
}

/// The body's chunks as a blocking [`Read`], for `serde_json`'s streaming decoder.
pub(crate) struct ChunkReader {
    rx: mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
    entry: Rc<EntryBytes>,
}

impl ChunkReader {
    /// A reader of what the body pump sends on `rx`; the end of the body is the channel's
    /// close.
    pub(crate) fn new(rx: mpsc::Receiver<Vec<u8>>) -> Self {
        ChunkReader {
            rx,
            chunk: Vec::new(),
            pos: 0,
            entry: Rc::default(),
        }
    }
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.chunk.len() {
            match self.rx.blocking_recv() {
                Some(chunk) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                None => return Ok(0),
            }
        }
        let n = out.len().min(self.chunk.len() - self.pos);
        let read = self.entry.read.get() + n as u64;
        if read > MAX_ENTRY_BYTES {
            self.entry.over.set(true);
            return Err(io::Error::other("list entry too large"));
        }
        self.entry.read.set(read);
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Decodes a JSON array from `reader`, handing each entry to `each` as soon as it is decoded;
/// no entry is kept here.
pub(crate) fn scan<T, F>(reader: ChunkReader, mut each: F) -> Result<(), ScanError>
where
    T: DeserializeOwned,
    F: FnMut(T),
{
    let entry = Rc::clone(&reader.entry);
    // serde_json pulls one byte at a time; std serves that straight from a BufReader's buffer.
    // The entry bound is then counted in buffer fills, at most `READ_AHEAD` past an entry.
    let buffered = io::BufReader::with_capacity(READ_AHEAD, reader);
    let mut de = serde_json::Deserializer::from_reader(buffered);
    let visited = de.deserialize_seq(Entries {
        each: &mut each,
        entry: &entry,
        item: std::marker::PhantomData,
    });
    let ended = visited.and_then(|()| de.end());
    match ended {
        Ok(()) => Ok(()),
        Err(_) if entry.over.get() => Err(ScanError::EntryTooLarge),
        Err(e) => Err(ScanError::Decode(e)),
    }
}

struct Entries<'a, T, F> {
    each: &'a mut F,
    entry: &'a EntryBytes,
    item: std::marker::PhantomData<T>,
}

impl<'de, T: DeserializeOwned, F: FnMut(T)> Visitor<'de> for Entries<'_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.entry.read.set(0);
            match seq.next_element::<T>()? {
                Some(item) => (self.each)(item),
                None => return Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans `text`, sent in chunks of `size` bytes.
    fn scan_text(text: &str, size: usize) -> Result<Vec<u32>, ScanError> {
        let (tx, rx) = mpsc::channel(text.len() / size + 1);
        for chunk in text.as_bytes().chunks(size) {
            tx.try_send(chunk.to_vec())
                .map_err(|_| ScanError::EntryTooLarge)?;
        }
        drop(tx);
        let mut got = Vec::new();
        scan(ChunkReader::new(rx), |n: u32| got.push(n))?;
        Ok(got)
    }

    #[test]
    fn entries_arrive_whatever_the_chunking() -> Result<(), ScanError> {
        for size in [1, 2, 7, 100] {
            assert_eq!(scan_text(" [1, 2,3 ,4] ", size)?, [1, 2, 3, 4]);
        }
        assert!(scan_text("[]", 1)?.is_empty());
        Ok(())
    }

    #[test]
    fn a_truncated_or_trailing_answer_is_an_error() {
        for bad in ["[1,2", "[1,2] [3]", "{}", "[1,\"x\"]"] {
            assert!(
                matches!(scan_text(bad, 3), Err(ScanError::Decode(_))),
                "{bad} was accepted"
            );
        }
    }

    #[test]
    fn one_entry_may_not_outgrow_its_bound_however_long_the_list() {
        // The bound is counted in the decoder's buffer fills, so it may be passed by up to
        // `READ_AHEAD` before it is noticed.
        let long_entry = format!(
            "[1,{}1]",
            " ".repeat(MAX_ENTRY_BYTES as usize + 2 * READ_AHEAD)
        );
        assert!(matches!(
            scan_text(&long_entry, 64 * 1024),
            Err(ScanError::EntryTooLarge)
        ));
        // Many entries, together far longer than one entry's bound, are fine.
        let entry = format!("{}1", " ".repeat(1000));
        let many = format!("[{}]", vec![entry; 2_000].join(","));
        assert!(many.len() as u64 > MAX_ENTRY_BYTES);
        assert!(scan_text(&many, 64 * 1024).is_ok_and(|v| v.len() == 2_000));
    }
}
