//! Source files and positions inside them.
//!
//! Every diagnostic points into a [`SourceFile`] by a [`Span`]; the file keeps
//! its text so the diagnostic renderer can show the offending line.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::node::Position;

/// A position in a source file, as the YAML loader reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte length (at least 1 when the node is not empty).
    pub len: usize,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl Span {
    /// The byte range of the span, for the snippet renderer.
    pub fn range(&self) -> Range<usize> {
        self.start..self.start + self.len
    }

    /// Builds a span from a node's position or serde-saphyr's location;
    /// unknown positions become the start of the file so a diagnostic still
    /// names the file.
    pub fn from_location(location: impl Into<Position>, text: &str) -> Span {
        let position = location.into();
        let line = position.line();
        let column = position.column();
        let bytes = position.bytes().and_then(|(offset, len)| {
            Some((usize::try_from(offset).ok()?, usize::try_from(len).ok()?))
        });
        let start = bytes
            .map(|(offset, _)| offset)
            .or_else(|| byte_offset_of(text, line, column))
            .unwrap_or(0)
            .min(text.len());
        let len = bytes.map_or(0, |(_, len)| len).min(text.len() - start);
        Span {
            start,
            len,
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// The byte offset of a 1-based line and column (columns count characters).
pub fn byte_offset_of(text: &str, line: u64, column: u64) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let line_start = if line == 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(usize::try_from(line - 2).ok()?)
            .map(|(at, _)| at + 1)?
    };
    let rest = &text[line_start..];
    let skip = usize::try_from(column.saturating_sub(1)).ok()?;
    let within = rest
        .char_indices()
        .nth(skip)
        .map_or(rest.len(), |(at, _)| at);
    Some(line_start + within)
}

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// A loaded source file: its path (as shown to the user) and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path shown in diagnostics, relative to the working root where possible.
    pub display_path: String,
    /// The path on disk.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// Every file a run has read, so diagnostics can quote any of them.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    root: PathBuf,
}

impl Sources {
    /// A registry whose display paths are relative to `root`.
    pub fn new(root: &Path) -> Sources {
        Sources {
            files: Vec::new(),
            root: root.to_path_buf(),
        }
    }

    /// Registers a file that has been read already.
    pub fn add(&mut self, path: &Path, text: String) -> FileId {
        let display_path = display_path(&self.root, path);
        self.files.push(SourceFile {
            display_path,
            path: path.to_path_buf(),
            text,
        });
        FileId(self.files.len() - 1)
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// The root display paths are relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// `path` relative to `root` with `/` separators, or as given when outside it.
pub fn display_path(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(inside) => inside
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_count_characters_not_bytes() {
        let text = "a: 1\nbé: x\n";
        assert_eq!(byte_offset_of(text, 1, 1), Some(0));
        assert_eq!(byte_offset_of(text, 2, 1), Some(5));
        // `x` is the 5th character of line 2 but its 6th byte.
        assert_eq!(byte_offset_of(text, 2, 5), Some(10));
        assert_eq!(byte_offset_of(text, 9, 1), None);
    }

    #[test]
    fn display_paths_are_relative_and_slashed() {
        let root = Path::new("/repo");
        assert_eq!(
            display_path(root, Path::new("/repo/schema/events/task.yaml")),
            "schema/events/task.yaml"
        );
        assert_eq!(
            display_path(root, Path::new("/elsewhere/x.yaml")),
            "/elsewhere/x.yaml"
        );
    }
}
