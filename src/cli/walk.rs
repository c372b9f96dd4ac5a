/*!
Expanding path arguments into documents: a file is taken as given, a
directory is walked (walkdir) in a stable, sorted order.

Hidden entries (names starting with `.`) are skipped below the directory
given; symbolic links are not followed unless asked. A walk error (an
unreadable directory, a symlink loop) becomes a [`Found::Error`] for that
entry: the caller reports and counts it, and the walk goes on.
*/

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// One entry found while expanding a path argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A document to check.
    File(PathBuf),
    /// An entry that could not be walked.
    Error {
        /// The entry (or the directory being read).
        path: PathBuf,
        /// Why, in a few words.
        message: String,
    },
}

/// How directories are walked.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    /// Follow symbolic links (loops are then reported as errors).
    pub follow_symlinks: bool,
    /// Descend into subdirectories.
    pub recursive: bool,
}

/// Expands `path`: a directory is walked, keeping the files for which
/// `keep` is true; anything else is returned as a file (a missing file is
/// reported when it is read).
pub fn expand(
    path: &Path,
    options: WalkOptions,
    keep: &dyn Fn(&Path) -> bool,
    out: &mut Vec<Found>,
) {
    if !path.is_dir() {
        out.push(Found::File(path.to_path_buf()));
        return;
    }
    let walker = WalkDir::new(path)
        .follow_links(options.follow_symlinks)
        .max_depth(if options.recursive { usize::MAX } else { 1 })
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for result in walker {
        match result {
            Ok(entry) => {
                if entry.file_type().is_file() && keep(entry.path()) {
                    out.push(Found::File(entry.into_path()));
                }
            }
            Err(e) => out.push(walk_error(path, &e)),
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Found {
    let path = e.path().unwrap_or(root).to_path_buf();
    let message = if let Some(ancestor) = e.loop_ancestor() {
        format!(
            "symbolic link loop (back to {}), not followed",
            ancestor.display()
        )
    } else if let Some(io) = e.io_error() {
        format!("cannot walk: {}", crate::loader::io_reason(io))
    } else {
        format!("cannot walk: {e}")
    };
    Found::Error { path, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path) {
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(p, "<a/>").unwrap();
    }

    fn names(root: &Path, found: &[Found]) -> Vec<String> {
        found
            .iter()
            .map(|f| match f {
                Found::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
                Found::Error { path, .. } => format!("ERR {}", path.display()),
            })
            .collect()
    }

    #[test]
    fn sorted_hidden_skipped_and_depth() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b.xml",
            "a.xml",
            "c.txt",
            ".h.xml",
            ".hid/x.xml",
            "sub/z.xml",
            "sub/a.xml",
        ] {
            touch(&root.join(f));
        }
        let xml = |p: &Path| p.extension().is_some_and(|e| e == "xml");
        let mut out = Vec::new();
        let opts = WalkOptions {
            follow_symlinks: false,
            recursive: true,
        };
        expand(root, opts, &xml, &mut out);
        assert_eq!(
            names(root, &out),
            ["a.xml", "b.xml", "sub/a.xml", "sub/z.xml"]
        );
        let mut out = Vec::new();
        let flat = WalkOptions {
            recursive: false,
            ..opts
        };
        expand(root, flat, &xml, &mut out);
        assert_eq!(names(root, &out), ["a.xml", "b.xml"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_and_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(&root.join("real/a.xml"));
        std::os::unix::fs::symlink(root.join("real"), root.join("link")).unwrap();
        std::os::unix::fs::symlink(root, root.join("real/loop")).unwrap();
        let all = |_: &Path| true;
        let mut out = Vec::new();
        let opts = WalkOptions {
            follow_symlinks: false,
            recursive: true,
        };
        expand(root, opts, &all, &mut out);
        assert_eq!(names(root, &out), ["real/a.xml"]);
        let mut out = Vec::new();
        let follow = WalkOptions {
            follow_symlinks: true,
            ..opts
        };
        expand(root, follow, &all, &mut out);
        let n = names(root, &out);
        assert!(n.contains(&"link/a.xml".to_string()), "{n:?}");
        assert!(n.iter().any(|s| s.starts_with("ERR")), "{n:?}");
    }
}
