//! A generated file's bytes, kept as the pieces its renderer made them in.
//!
//! The Rust module of a large catalog is a hundred megabytes of items:
//! joined into one string, the file would be held twice at the moment of
//! joining. As [`Contents`], its items are compared with the file on disk
//! and written one after another instead, and joined only for a diff.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read, Write};

/// How much of a file on disk is read at a time to compare it.
const BLOCK: usize = 1 << 20;

/// The bytes of one output: pieces that follow one another.
#[derive(Debug, Clone, Default)]
pub struct Contents {
    pieces: Vec<Cow<'static, str>>,
    len: usize,
}

impl Contents {
    pub fn new() -> Contents {
        Contents::default()
    }

    /// Adds a piece at the end; an owned string is kept, not copied.
    pub fn push(&mut self, piece: impl Into<Cow<'static, str>>) {
        let piece = piece.into();
        if !piece.is_empty() {
            self.len += piece.len();
            self.pieces.push(piece);
        }
    }

    /// Adds a copy of `text` at the end.
    pub fn push_str(&mut self, text: &str) {
        self.push(text.to_string());
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The pieces, in order.
    pub fn pieces(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().map(|piece| piece.as_ref())
    }

    /// The text in one string; one owned piece is handed over as it is.
    pub fn into_string(mut self) -> String {
        if self.pieces.len() == 1 {
            return self.pieces.pop().map(Cow::into_owned).unwrap_or_default();
        }
        let mut text = String::with_capacity(self.len);
        self.pieces().for_each(|piece| text.push_str(piece));
        text
    }

    /// Reads the bytes, piece after piece.
    pub fn reader(&self) -> impl Read + '_ {
        PieceReader {
            pieces: self.pieces.iter(),
            current: &[],
        }
    }

    /// Writes the bytes to `out`, one piece after another.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(BLOCK, out);
        for piece in self.pieces() {
            out.write_all(piece.as_bytes())?;
        }
        out.flush()
    }

    /// Whether `reader` gives exactly these bytes, read a block at a time.
    pub fn matches(&self, mut reader: impl Read) -> io::Result<bool> {
        let mut block = vec![0; BLOCK.min(self.len.max(1))];
        let mut pieces = self.pieces.iter().map(|piece| piece.as_bytes());
        let mut rest: &[u8] = &[];
        loop {
            let read = reader.read(&mut block)?;
            if read == 0 {
                return Ok(rest.is_empty() && pieces.next().is_none());
            }
            let mut got = &block[..read];
            while !got.is_empty() {
                if rest.is_empty() {
                    match pieces.next() {
                        Some(piece) => rest = piece,
                        None => return Ok(false),
                    }
                }
                let common = rest.len().min(got.len());
                if rest[..common] != got[..common] {
                    return Ok(false);
                }
                rest = &rest[common..];
                got = &got[common..];
            }
        }
    }
}

/// A reader over the pieces of [`Contents`].
struct PieceReader<'a> {
    pieces: std::slice::Iter<'a, Cow<'static, str>>,
    current: &'a [u8],
}

impl Read for PieceReader<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.pieces.next() {
                Some(piece) => self.current = piece.as_bytes(),
                None => return Ok(0),
            }
        }
        let count = self.current.len().min(buffer.len());
        buffer[..count].copy_from_slice(&self.current[..count]);
        self.current = &self.current[count..];
        Ok(count)
    }
}

impl From<String> for Contents {
    fn from(text: String) -> Contents {
        let mut contents = Contents::new();
        contents.push(text);
        contents
    }
}

impl From<&str> for Contents {
    fn from(text: &str) -> Contents {
        Contents::from(text.to_string())
    }
}

impl PartialEq for Contents {
    fn eq(&self, other: &Contents) -> bool {
        self.len == other.len && self.matches(other.reader()).unwrap_or(false)
    }
}

impl Eq for Contents {}

impl PartialEq<str> for Contents {
    fn eq(&self, other: &str) -> bool {
        self.len == other.len() && self.matches(other.as_bytes()).unwrap_or(false)
    }
}

impl PartialEq<&str> for Contents {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl PartialEq<String> for Contents {
    fn eq(&self, other: &String) -> bool {
        self == other.as_str()
    }
}

impl fmt::Display for Contents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces().try_for_each(|piece| f.write_str(piece))
    }
}

#[cfg(test)]
mod tests {
    use super::Contents;

    fn pieces(parts: &[&'static str]) -> Contents {
        let mut contents = Contents::new();
        parts.iter().for_each(|part| contents.push(*part));
        contents
    }

    #[test]
    fn pieces_are_the_bytes_they_join_into() {
        let contents = pieces(&["// head\n", "", "fn a() {}", "\n\n", "fn b() {}\n"]);
        let joined = "// head\nfn a() {}\n\nfn b() {}\n";
        assert_eq!(contents.len(), joined.len());
        assert_eq!(contents.to_string(), joined);
        assert_eq!(contents, joined);
        assert_eq!(contents, Contents::from(joined));
        assert_eq!(contents.clone().into_string(), joined);
        let mut written = Vec::new();
        contents.write_to(&mut written).unwrap();
        assert_eq!(written, joined.as_bytes());
        let mut read = String::new();
        std::io::Read::read_to_string(&mut contents.reader(), &mut read).unwrap();
        assert_eq!(read, joined);
    }

    #[test]
    fn a_difference_anywhere_is_found_across_pieces() {
        let contents = pieces(&["ab", "cd", "ef"]);
        for other in [
            "abcdef", "abcdeg", "xbcdef", "abcde", "abcdefg", "", "abcXef",
        ] {
            assert_eq!(
                contents.matches(other.as_bytes()).unwrap(),
                other == "abcdef",
                "{other}"
            );
        }
        assert!(pieces(&[]).matches(&b""[..]).unwrap());
        assert_ne!(contents, pieces(&["ab", "cd"]));
        assert_eq!(contents, pieces(&["a", "bcde", "f"]));
    }

    #[test]
    fn a_reader_that_gives_few_bytes_at_a_time_is_compared_whole() {
        struct Trickle<'a>(&'a [u8]);
        impl std::io::Read for Trickle<'_> {
            fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
                let count = self.0.len().min(buffer.len()).min(3);
                buffer[..count].copy_from_slice(&self.0[..count]);
                self.0 = &self.0[count..];
                Ok(count)
            }
        }
        let contents = pieces(&["hello, ", "pieces", "\n"]);
        assert!(contents.matches(Trickle(b"hello, pieces\n")).unwrap());
        assert!(!contents.matches(Trickle(b"hello, pieces!")).unwrap());
    }
}
