/*!
Schema discovery: which schema directories a document with no schema named
is checked against, in order (each picks by root element, as
`--schema-dir` does; the first that has a schema for the root wins):

1. the schema directory of an enclosing libvirt checkout: `src/conf/schemas/`,
   or `docs/schemas/` in older trees, holding `domain.rng`, found by walking
   up from the document's directory;
2. an installed libvirt's schemas: `/usr/share/libvirt/schemas`, then
   `PREFIX/share/libvirt/schemas` of the `virsh` found on `PATH`
   ([`INSTALLED_ENV`] replaces this list; the tests use it so that they do
   not depend on what the machine has installed);
3. the embedded domain schema, for `<domain>` only (added by the plan).
*/

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Replaces the installed-schema directories (a `PATH`-like list; empty:
/// none). Meant for tests and unusual installations.
pub const INSTALLED_ENV: &str = "RNGCHECK_INSTALLED_SCHEMAS";

/// Where a libvirt checkout keeps its schemas, relative to its top: today's
/// layout first, then the one before libvirt 8.
pub const CHECKOUT_SCHEMA_DIRS: [&str; 2] = ["src/conf/schemas", "docs/schemas"];

/// The file that makes a directory a libvirt schema directory (so that any
/// project's `docs/schemas` is not taken for one).
pub const MARKER: &str = "domain.rng";

/// The default installed-schema directory.
const SYSTEM_SCHEMAS: &str = "/usr/share/libvirt/schemas";

/// The installed libvirt schema directories to try, in order (not checked
/// for existence).
pub fn installed_dirs() -> Vec<PathBuf> {
    if let Some(list) = std::env::var_os(INSTALLED_ENV) {
        return std::env::split_paths(&list)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
    }
    let mut dirs = vec![PathBuf::from(SYSTEM_SCHEMAS)];
    if let Some(dir) = virsh_schema_dir(std::env::var_os("PATH")) {
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    dirs
}

/// `PREFIX/share/libvirt/schemas` for the first `virsh` on `path_var`
/// (`PREFIX/bin/virsh`, symbolic links followed).
pub fn virsh_schema_dir(path_var: Option<OsString>) -> Option<PathBuf> {
    let virsh = std::env::split_paths(&path_var?)
        .map(|dir| dir.join("virsh"))
        .find(|p| p.is_file())?;
    let real = std::fs::canonicalize(&virsh).unwrap_or(virsh);
    let prefix = real.parent()?.parent()?;
    Some(prefix.join("share/libvirt/schemas"))
}

/// Finds the schema directory of the libvirt checkout enclosing a
/// document, remembering the answer for each directory asked about.
#[derive(Debug, Default)]
pub struct CheckoutFinder {
    cwd: Option<PathBuf>,
    /// By document directory as named.
    found: HashMap<PathBuf, Option<PathBuf>>,
}

impl CheckoutFinder {
    /// A finder; paths it returns are relative to the current directory.
    pub fn new() -> CheckoutFinder {
        CheckoutFinder {
            cwd: std::env::current_dir()
                .ok()
                .and_then(|d| std::fs::canonicalize(d).ok()),
            found: HashMap::new(),
        }
    }

    /// The checkout schema directory above `doc` (a document's path, or `.`
    /// for standard input), relative to the current directory when `doc` is
    /// relative, else absolute.
    pub fn schema_dir_for(&mut self, doc: &Path) -> Option<PathBuf> {
        let dir = match doc.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // Keyed by the directory as named (documents of one directory are
        // named alike), so that each is resolved once, not once per document.
        if let Some(known) = self.found.get(dir) {
            return known.clone();
        }
        let Ok(abs) = std::fs::canonicalize(dir) else {
            self.found.insert(dir.to_path_buf(), None);
            return None;
        };
        let found = abs
            .ancestors()
            .flat_map(|top| CHECKOUT_SCHEMA_DIRS.iter().map(move |d| top.join(d)))
            .find(|candidate| candidate.join(MARKER).is_file())
            .map(|found| match (&self.cwd, doc.is_relative()) {
                (Some(cwd), true) => relative_to(cwd, &found).unwrap_or(found),
                _ => found,
            });
        self.found.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// `target` as seen from `base` (both absolute and canonical): `../..`
/// steps then names; `None` when they share only the root.
fn relative_to(base: &Path, target: &Path) -> Option<PathBuf> {
    for (ups, ancestor) in base.ancestors().enumerate() {
        if let Ok(rest) = target.strip_prefix(ancestor) {
            if ancestor.parent().is_none() && ups > 0 {
                return None;
            }
            let mut path: PathBuf = std::iter::repeat_n("..", ups).collect();
            path.push(rest);
            if path.as_os_str().is_empty() {
                path.push(".");
            }
            return Some(path);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_step_up_to_the_common_ancestor() {
        let rel = |a: &str, b: &str| relative_to(Path::new(a), Path::new(b));
        assert_eq!(
            rel("/t/lv/tests/x", "/t/lv/src/conf/schemas"),
            Some(PathBuf::from("../../src/conf/schemas"))
        );
        assert_eq!(rel("/t/lv", "/t/lv/src"), Some(PathBuf::from("src")));
        assert_eq!(rel("/t/lv", "/t/lv"), Some(PathBuf::from(".")));
        assert_eq!(rel("/a/b", "/c/d"), None);
    }

    #[test]
    fn finds_the_nearest_checkout_above_a_document() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        let schemas = top.join("old/docs/schemas");
        std::fs::create_dir_all(&schemas).unwrap();
        std::fs::write(schemas.join(MARKER), "").unwrap();
        std::fs::create_dir_all(top.join("old/tests/a/b")).unwrap();
        // A docs/schemas without domain.rng is not a libvirt checkout's.
        std::fs::create_dir_all(top.join("old/tests/docs/schemas")).unwrap();
        let mut finder = CheckoutFinder {
            cwd: Some(top.clone()),
            found: HashMap::new(),
        };
        assert_eq!(
            finder.schema_dir_for(&top.join("old/tests/a/b/x.xml")),
            Some(schemas.clone())
        );
        assert_eq!(
            finder.schema_dir_for(&top.join("old/tests/a/b/y.xml")),
            Some(schemas)
        );
        assert_eq!(finder.schema_dir_for(&top.join("z.xml")), None);
    }

    #[cfg(unix)]
    #[test]
    fn virsh_on_path_gives_its_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let prefix = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(prefix.join("bin")).unwrap();
        std::fs::write(prefix.join("bin/virsh"), "").unwrap();
        let path = std::env::join_paths([Path::new("/nonexistent"), &prefix.join("bin")]).unwrap();
        assert_eq!(
            virsh_schema_dir(Some(path)),
            Some(prefix.join("share/libvirt/schemas"))
        );
        assert_eq!(virsh_schema_dir(Some("/nonexistent".into())), None);
    }
}
