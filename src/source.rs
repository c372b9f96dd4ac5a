//! Source files and positions.
//!
//! Every schema file and document is registered in a [`SourceMap`] and then
//! referred to by an opaque [`FileId`]. Positions travel through the pipeline
//! as byte [`Span`]s; only when a diagnostic is rendered is a span turned into
//! a line and column, by binary search over the file's line starts.

use std::num::NonZeroU32;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Identifies a file registered in a [`SourceMap`]. Stored as index + 1 so
/// that `Option<FileId>` stays four bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(NonZeroU32);

impl FileId {
    /// Saturates: past `u32::MAX - 1` files (never reached: each is read
    /// into memory) every further file shares the last id.
    fn from_index(index: usize) -> FileId {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        FileId(NonZeroU32::MIN.saturating_add(index))
    }

    fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// A byte range inside one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range belongs to.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span covering `range` of `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: clamp_u32(range.start),
            end: clamp_u32(range.end),
        }
    }

    /// The byte range as `usize`s.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A 1-based line and column; the column counts characters, as editors do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// One registered file: its path (as given), its text and where lines start.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    /// Owned as read: an `Arc<str>` would copy every file once more.
    text: String,
    /// Where lines start, found on first use: only messages need lines,
    /// and most files never get one.
    line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> SourceFile {
        SourceFile {
            path,
            text,
            line_starts: OnceLock::new(),
        }
    }

    /// A file not registered in any map (for one-off position lookups).
    pub fn detached(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::new(), text.to_string())
    }

    /// The path the file was loaded from (or the name it was given).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offsets where lines start (the first is 0).
    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr_newlines(self.text.as_bytes()).map(|i| clamp_u32(i + 1)));
            starts
        })
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line_index = match line_starts.binary_search(&clamp_u32(offset)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = line_starts[line_index] as usize;
        let mut boundary = offset;
        while !self.text.is_char_boundary(boundary) {
            boundary -= 1;
        }
        let column = self.text[line_start..boundary].chars().count() + 1;
        LineCol {
            line: clamp_u32(line_index + 1),
            column: clamp_u32(column),
        }
    }

    /// Byte offset of a 1-based line and character column (clamped).
    pub fn offset_of(&self, pos: LineCol) -> usize {
        let line_starts = self.line_starts();
        let line_index = (pos.line.max(1) as usize - 1).min(line_starts.len() - 1);
        let line_start = line_starts[line_index] as usize;
        let rest = &self.text[line_start..];
        rest.char_indices()
            .nth(pos.column.max(1) as usize - 1)
            .map(|(i, _)| line_start + i)
            .unwrap_or(self.text.len())
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes)
}

/// All files loaded for one schema (or one document), addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// For each file, the `include`/`externalRef` that first loaded it.
    included_from: Vec<Option<Span>>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Registers a file and returns its id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile::new(path.into(), text.into()));
        self.included_from.push(None);
        FileId::from_index(self.files.len() - 1)
    }

    /// Remembers the reference that first brought `file` in.
    pub fn note_included_from(&mut self, file: FileId, reference: Span) {
        if let Some(slot) = self.included_from.get_mut(file.index()) {
            if slot.is_none() && reference.file != file {
                *slot = Some(reference);
            }
        }
    }

    /// The chain of references that led to `file`, innermost first.
    pub fn include_chain(&self, file: FileId) -> Vec<Span> {
        let mut chain = Vec::new();
        let mut current = file;
        while let Some(Some(reference)) = self.included_from.get(current.index()) {
            if chain.len() > self.files.len() {
                break;
            }
            chain.push(*reference);
            current = reference.file;
        }
        chain
    }

    /// The file behind an id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    /// The paths of the files, in the order they were registered.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// Finds an already registered file by path.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(FileId::from_index)
    }

    /// Line and column where a span starts.
    pub fn line_col(&self, span: Span) -> LineCol {
        self.file(span.file).line_col(span.start as usize)
    }
}

/// Byte offset of a 1-based row and character column in `text`, as
/// roxmltree reports positions (clamped to the text).
pub fn offset_of_text_pos(text: &str, row: u32, col: u32) -> usize {
    let mut line_start = 0;
    for _ in 1..row.max(1) {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    text[line_start..]
        .char_indices()
        .nth(col.max(1) as usize - 1)
        .map(|(i, _)| line_start + i)
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let mut map = SourceMap::new();
        let id = map.add("a.xml", "ab\ncé d\n");
        let file = map.file(id);
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        // 'é' is two bytes; the space after it is column 3.
        assert_eq!(file.line_col(6), LineCol { line: 2, column: 3 });
        assert_eq!(file.offset_of(LineCol { line: 2, column: 3 }), 6);
    }
}
