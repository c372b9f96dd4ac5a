//! Finding and reading the files a schema refers to.
//!
//! `simplify` asks a [`Loader`] for the file an `href` names; the loader owns
//! how hrefs map to files. [`FsLoader`] reads the file system and refuses
//! network URLs (rngcheck never fetches anything).

use std::path::{Path, PathBuf};

use crate::source::{FileId, SourceMap};

/// Resolves and reads referenced schema files into a [`SourceMap`].
/// Implementors say only how to read a path; resolving an href against its
/// base and registering each file once is the same for all of them.
pub trait Loader {
    /// The text of the file at `path`, or why it cannot be had (a short
    /// reason such as "no such file").
    fn read(&mut self, path: &Path) -> Result<String, String>;

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
            .map_err(|reason| format!("cannot read \"{}\": {reason}", path.display()))?;
        Ok(sources.add(path, text))
    }
}

/// Loads schema files from the file system.
#[derive(Debug, Default)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn read(&mut self, path: &Path) -> Result<String, String> {
        let bytes = std::fs::read(path).map_err(|e| io_reason(&e))?;
        decode_owned(bytes)
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

/// Why an I/O error happened, without Rust's "(os error N)" noise.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// [`decode_text`] of a buffer the caller gives up: plain UTF-8 (no
/// byte-order mark, no other encoding declared), nearly every schema,
/// becomes the `String` without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, String> {
    let marked = [&[0xEF, 0xBB, 0xBF][..], &[0xFF, 0xFE], &[0xFE, 0xFF]]
        .iter()
        .any(|bom| bytes.starts_with(bom));
    let plain = !marked
        && declared_encoding(&bytes).is_none_or(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "utf-8" | "utf8" | "us-ascii" | "ascii"
            )
        });
    if !plain {
        return decode_text(&bytes);
    }
    // Invalid UTF-8: `decode_text` words the error.
    String::from_utf8(bytes).or_else(|e| decode_text(e.as_bytes()))
}

/// Decodes an XML file's bytes: UTF-8 (with or without a byte-order mark) or
/// UTF-16 with a byte-order mark, as XML 1.0 §4.3.3 requires every processor
/// to read, and ISO-8859-1 when the XML declaration names it (each byte is
/// the code point of the same value). Other encodings named in the XML
/// declaration are refused clearly.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, 3);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if let Some(encoding) = declared_encoding(bytes) {
        let e = encoding.to_ascii_lowercase();
        if matches!(
            e.as_str(),
            "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1"
        ) {
            return Ok(bytes.iter().map(|&b| char::from(b)).collect());
        }
        if !matches!(e.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii") {
            return Err(format!("the declared encoding \"{encoding}\" is not supported (use UTF-8, UTF-16 with a byte-order mark, or ISO-8859-1)"));
        }
    }
    utf8(bytes, 0)
}

fn utf8(bytes: &[u8], skipped: usize) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!(
                "invalid UTF-8 at byte {} (line {line})",
                at + skipped
            ))
        }
    }
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("UTF-16 text with an odd number of bytes".to_string());
    }
    let units = bytes.chunks_exact(2).map(|c| read([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| "invalid UTF-16 (unpaired surrogate)".to_string())
}

/// The `encoding` pseudo-attribute of an XML declaration, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(200))?;
    let head = std::str::from_utf8(head).ok().or_else(|| {
        let valid = std::str::from_utf8(head).err()?.valid_up_to();
        std::str::from_utf8(&head[..valid]).ok()
    })?;
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let after = &decl[decl.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let value = &after[1..];
    Some(value[..value.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_refuses_unknown_encodings() {
        assert_eq!(decode_text(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert_eq!(decode_text(b"\xFF\xFE<\0a\0/\0>\0").unwrap(), "<a/>");
        assert_eq!(decode_text(b"\xFE\xFF\0<\0a\0/\0>").unwrap(), "<a/>");
        assert!(decode_text(b"<?xml version='1.0' encoding='EBCDIC'?><a/>")
            .unwrap_err()
            .contains("EBCDIC"));
        assert!(decode_text(b"<a>\xFF</a>")
            .unwrap_err()
            .contains("invalid UTF-8"));
    }

    #[test]
    fn decodes_declared_latin_1() {
        let text = decode_text(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xE9 \xFF</a>");
        assert_eq!(
            text.unwrap(),
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\u{e9} \u{ff}</a>"
        );
    }

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
        assert_eq!(
            normalize(Path::new("../../src/conf/schemas/./x.rng")),
            PathBuf::from("../../src/conf/schemas/x.rng")
        );
        assert_eq!(
            normalize(Path::new("../../../a/b/../c.rng")),
            PathBuf::from("../../../a/c.rng")
        );
        assert_eq!(
            normalize(Path::new("a/../../b.rng")),
            PathBuf::from("../b.rng")
        );
        assert_eq!(
            normalize(Path::new("/../a/./b.rng")),
            PathBuf::from("/a/b.rng")
        );
        assert_eq!(normalize(Path::new("./a.rng")), PathBuf::from("a.rng"));
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
    fn read(&mut self, path: &Path) -> Result<String, String> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| "no such file".to_string())
    }
}
