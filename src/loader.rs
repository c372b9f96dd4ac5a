//! Finding and reading the files a schema refers to.
//!
//! `simplify` asks a [`Loader`] for the file an `href` names; the loader owns
//! how hrefs map to files. [`FsLoader`] reads the file system and refuses
//! network URLs (rngcheck never fetches anything).

use std::path::{Path, PathBuf};

pub use crate::diagnostic::io_reason;
use crate::encoding::DecodeError;
use crate::source::{FileId, SourceMap};

/// Resolves and reads referenced schema files into a [`SourceMap`].
/// Implementors say only how to read a path; resolving an href against its
/// base and registering each file once is the same for all of them.
pub trait Loader {
    /// The text of the file at `path`, or why it cannot be had.
    fn read(&mut self, path: &Path) -> Result<String, ReadError>;

    /// Loads the file `href` names, relative to the file `base` (or to the
    /// current directory when `base` is `None`). Returns its id, registering
    /// it once per path. The error is a sentence saying what went wrong.
    fn load(
        &mut self,
        sources: &mut SourceMap,
        base: Option<FileId>,
        href: &str,
    ) -> Result<FileId, String> {
        let path = resolve_href(sources, base, href)?;
        if let Some(id) = sources.find(&path) {
            return Ok(id);
        }
        let text = self
            .read(&path)
            .map_err(|e| format!("cannot read \"{}\": {}", path.display(), e.reason()))?;
        Ok(sources.add(path, text))
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// It could not be opened or read: a short reason such as "no such file".
    Io(String),
    /// Its bytes are not text in its encoding.
    Decode(DecodeError),
}

impl ReadError {
    /// The reason in words, with the line and column of a decoding error.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(reason) => reason.clone(),
            ReadError::Decode(e) => e.located_message(),
        }
    }
}

/// Loads schema files from the file system.
#[derive(Debug, Default)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn read(&mut self, path: &Path) -> Result<String, ReadError> {
        let bytes = std::fs::read(path).map_err(|e| ReadError::Io(io_reason(&e)))?;
        crate::encoding::decode(bytes).map_err(ReadError::Decode)
    }
}

/// The path an href names, relative to the directory of `base`.
pub fn resolve_href(
    sources: &SourceMap,
    base: Option<FileId>,
    href: &str,
) -> Result<PathBuf, String> {
    let Some(base) = base else {
        // The main schema is named by a path, not a URI.
        return Ok(PathBuf::from(href));
    };
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("ftp://")
    {
        return Err(format!("\"{href}\" is a network URL; rngcheck never fetches schemas over the network (use a local copy)"));
    }
    let href = lower
        .strip_prefix("file://")
        .map(|_| &href[7..])
        .unwrap_or(href);
    let decoded = percent_decode(href);
    let relative = Path::new(&decoded);
    let dir = sources
        .file(base)
        .path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok(normalize(&dir.join(relative)))
}

/// Removes `.` and `name/..` segments so that one file has one path.
///
/// A `..` cancels only a directory name before it: never another `..` (in
/// `../../x` both steps up are kept), never the root (`/..` is `/`), and
/// never a symbolic link (`link/..` is the parent of the link's target, as
/// the file system resolves it, not the directory holding the link).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) if !is_symlink(&out) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether `path` is a symbolic link (false when it does not exist, as for
/// the in-memory files of [`MemLoader`]).
fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_network_urls() {
        let mut map = SourceMap::new();
        let base = map.add("dir/main.rng", "");
        assert!(resolve_href(&map, Some(base), "https://example.org/x.rng")
            .unwrap_err()
            .contains("network"));
        assert_eq!(
            resolve_href(&map, Some(base), "../x%20y.rng").unwrap(),
            PathBuf::from("x y.rng")
        );
    }

    #[test]
    fn parent_steps_cancel_only_directory_names() {
        let rows = [
            (
                "../../src/conf/schemas/./x.rng",
                "../../src/conf/schemas/x.rng",
            ),
            ("../../../a/b/../c.rng", "../../../a/c.rng"),
            ("a/../../b.rng", "../b.rng"),
            ("/../a/./b.rng", "/a/b.rng"),
            ("./a.rng", "a.rng"),
        ];
        for (path, want) in rows {
            assert_eq!(normalize(Path::new(path)), PathBuf::from(want), "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn parent_of_a_symlinked_directory_is_the_targets_parent() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real/schemas");
        std::fs::create_dir_all(&real).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let through = normalize(&link.join("../common.rng"));
        assert_eq!(through, link.join("../common.rng"));
        assert_eq!(
            normalize(&real.join("../common.rng")),
            dir.path().join("real/common.rng")
        );
    }
}

/// Serves schema files from memory (the embedded default schema, tests),
/// falling back to nothing: an href to any other file is an error.
#[derive(Debug, Default)]
pub struct MemLoader {
    files: Vec<(PathBuf, String)>,
}

impl MemLoader {
    /// A loader over `(path, text)` pairs.
    pub fn new(files: impl IntoIterator<Item = (PathBuf, String)>) -> MemLoader {
        MemLoader {
            files: files.into_iter().collect(),
        }
    }
}

impl Loader for MemLoader {
    fn read(&mut self, path: &Path) -> Result<String, ReadError> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| ReadError::Io("no such file".to_string()))
    }
}
