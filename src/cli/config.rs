/*!
`rngcheck.toml`: the CI-gate configuration, mapping schemas to the
directories and files they check.

```toml
invalid_suffix = "-invalid.xml"   # optional: documents named so must be invalid
expected_errors = "expected-errors.txt"  # optional: their pinned first errors
recursive = true                  # optional (default true): descend into subdirectories

[[check]]
schema = "src/conf/schemas/domain.rng"
paths = ["tests/domainschemadata", "tests/qemuxml2argvdata"]
filter = "^.*\\.xml$"             # optional: regex on the file *name*
recursive = false                 # optional: overrides the top-level setting
```

Relative paths resolve against the config file's directory, or against
`--root DIR`; `expected_errors` (the file `--expected-errors` names, see
[`super::pins`]) always against the config file's directory, since it is
kept beside the config, and the document paths inside it against the root. A file listed in `paths` is always checked; a directory is
walked, keeping the files whose name matches `filter` (or, without a
filter, whose extension is one of `--ext`).

This module only reads and resolves the file; [`super::walk`] expands the
paths and [`Config::covering`] decides which checks cover a file named on the
command line.
*/

use std::path::{Component, Path, PathBuf};

use regex_lite::Regex;
use serde::Deserialize;

/// The name looked for in the current directory and its parents.
pub const FILE_NAME: &str = "rngcheck.toml";

/// The file as written (serde's view).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    invalid_suffix: Option<String>,
    expected_errors: Option<PathBuf>,
    recursive: Option<bool>,
    #[serde(default)]
    check: Vec<RawCheck>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    schema: PathBuf,
    paths: Vec<PathBuf>,
    filter: Option<String>,
    recursive: Option<bool>,
}

/// A loaded config, with every path resolved against its base directory.
#[derive(Debug)]
pub struct Config {
    /// Documents whose name ends so must be invalid.
    pub invalid_suffix: Option<String>,
    /// The expected-errors file, resolved against the config's directory.
    pub expected_errors: Option<PathBuf>,
    /// What relative paths resolve against (`--root`, or the config's
    /// directory): document keys in the expected-errors file are relative to it.
    pub root: PathBuf,
    /// The checks, in file order.
    pub checks: Vec<Check>,
    /// The checks' paths as comparison keys (see `path_key`), computed once.
    keys: std::sync::OnceLock<Vec<Vec<PathBuf>>>,
}

/// One `[[check]]` table.
#[derive(Debug)]
pub struct Check {
    /// The schema, resolved.
    pub schema: PathBuf,
    /// Files and directories, resolved.
    pub paths: Vec<PathBuf>,
    /// Keeps files whose name matches (directories only).
    pub filter: Option<Regex>,
    /// Whether directories are walked into their subdirectories.
    pub recursive: bool,
}

/// Why a config could not be used (a usage error: exit code 2).
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Config {
    /// Reads `path`; relative paths inside resolve against `root`, or the
    /// config file's directory when `root` is `None`.
    pub fn load(path: &Path, root: Option<&Path>) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError(format!(
                "cannot read config {}: {}",
                path.display(),
                crate::loader::io_reason(&e)
            ))
        })?;
        let base = match root {
            Some(root) if !root.is_dir() => {
                return Err(ConfigError(format!(
                    "--root {}: no such directory",
                    root.display()
                )))
            }
            Some(root) => root.to_path_buf(),
            None => match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            },
        };
        Config::parse(path, &text, &base)
    }

    /// Parses config `text` (read from `path`), resolving against `base`.
    pub fn parse(path: &Path, text: &str, base: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| ConfigError(format!("{}: {}", path.display(), e.to_string().trim())))?;
        if raw.check.is_empty() {
            return Err(ConfigError(format!(
                "{}: no [[check]] table: nothing to check",
                path.display()
            )));
        }
        if raw.invalid_suffix.as_deref() == Some("") {
            return Err(ConfigError(format!(
                "{}: invalid_suffix is empty (every document would be expected invalid)",
                path.display()
            )));
        }
        let recursive = raw.recursive.unwrap_or(true);
        let mut checks = Vec::with_capacity(raw.check.len());
        for (i, c) in raw.check.into_iter().enumerate() {
            let filter = match c.filter {
                Some(f) => Some(Regex::new(&f).map_err(|e| {
                    ConfigError(format!(
                        "{}: [[check]] #{} ({}): bad filter: {e}",
                        path.display(),
                        i + 1,
                        c.schema.display()
                    ))
                })?),
                None => None,
            };
            if c.paths.is_empty() {
                return Err(ConfigError(format!(
                    "{}: [[check]] #{} ({}): `paths` is empty",
                    path.display(),
                    i + 1,
                    c.schema.display()
                )));
            }
            checks.push(Check {
                schema: join_clean(base, &c.schema),
                paths: c.paths.iter().map(|p| join_clean(base, p)).collect(),
                filter,
                recursive: c.recursive.unwrap_or(recursive),
            });
        }
        let config_dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Ok(Config {
            invalid_suffix: raw.invalid_suffix,
            expected_errors: raw.expected_errors.map(|p| join_clean(config_dir, &p)),
            root: base.to_path_buf(),
            checks,
            keys: std::sync::OnceLock::new(),
        })
    }

    /// Looks for [`FILE_NAME`] in the current directory, then its parents.
    /// The path returned is relative (`rngcheck.toml`, `../rngcheck.toml`…)
    /// so that documents are displayed relative to where rngcheck runs.
    pub fn discover() -> Option<PathBuf> {
        let cwd = std::env::current_dir().ok()?;
        let mut up = PathBuf::new();
        for dir in cwd.ancestors() {
            if dir.join(FILE_NAME).is_file() {
                return Some(up.join(FILE_NAME));
            }
            up.push("..");
        }
        None
    }

    /// The indexes of the checks that cover `file`, a document named on the
    /// command line: listed in a check's paths, or inside one of its
    /// directories (directly, unless the check is recursive) with a name the
    /// check accepts (`exts` when it has no filter).
    pub fn covering(&self, file: &Path, exts: &[String]) -> Vec<usize> {
        let file_key = path_key(file);
        let parent_key = file_key.parent().map(Path::to_path_buf);
        let keys = self.keys.get_or_init(|| {
            self.checks
                .iter()
                .map(|c| c.paths.iter().map(|p| path_key(p)).collect())
                .collect()
        });
        let mut found = Vec::new();
        for (i, (check, keys)) in self.checks.iter().zip(keys).enumerate() {
            let covers = keys.iter().any(|key| {
                if *key == file_key {
                    return true;
                }
                let inside = if check.recursive {
                    file_key.starts_with(key)
                } else {
                    parent_key.as_deref() == Some(key.as_path())
                };
                inside && check.accepts(file, exts)
            });
            if covers {
                found.push(i);
            }
        }
        found
    }
}

impl Check {
    /// Whether a file found in one of this check's directories is kept.
    pub fn accepts(&self, file: &Path, exts: &[String]) -> bool {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        match &self.filter {
            Some(re) => re.is_match(&name),
            None => has_ext(file, exts),
        }
    }
}

/// Whether `file`'s extension is one of `exts` (ASCII case-insensitive).
pub fn has_ext(file: &Path, exts: &[String]) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// `base/rel` without `.` components (`rel` as is when absolute, and `rel`
/// alone when `base` is `.`), so displayed paths stay short.
pub fn join_clean(base: &Path, rel: &Path) -> PathBuf {
    let joined = base.join(rel);
    let mut out = PathBuf::new();
    for c in joined.components() {
        if c != Component::CurDir {
            out.push(c.as_os_str());
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A key for comparing paths that may be written differently: the
/// canonical path when it exists, otherwise the absolute path with `.` and
/// `..` resolved lexically.
pub fn path_key(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("rngcheck.toml"), text, Path::new("/base"))
    }

    #[test]
    fn resolves_paths_against_base() {
        let c = parse(
            "invalid_suffix = \"-invalid.xml\"\n[[check]]\nschema = \"s/a.rng\"\npaths = [\"t\", \"/abs\"]\n",
        )
        .unwrap();
        assert_eq!(c.invalid_suffix.as_deref(), Some("-invalid.xml"));
        assert_eq!(c.checks[0].schema, PathBuf::from("/base/s/a.rng"));
        assert_eq!(
            c.checks[0].paths,
            vec![PathBuf::from("/base/t"), PathBuf::from("/abs")]
        );
        assert!(c.checks[0].recursive);
    }

    #[test]
    fn rejects_unknown_keys_bad_regex_and_empty_tables() {
        let e =
            parse("[[check]]\nschema = \"a.rng\"\npaths = [\"t\"]\nfliter = \"x\"\n").unwrap_err();
        assert!(e.0.contains("fliter"), "{e}");
        let e =
            parse("[[check]]\nschema = \"a.rng\"\npaths = [\"t\"]\nfilter = \"(\"\n").unwrap_err();
        assert!(e.0.contains("bad filter"), "{e}");
        let e = parse("invalid_suffix = \"x\"\n").unwrap_err();
        assert!(e.0.contains("no [[check]]"), "{e}");
        let e = parse("[[check]]\nschema = \"a.rng\"\npaths = []\n").unwrap_err();
        assert!(e.0.contains("empty"), "{e}");
        assert!(parse("not toml [").is_err());
    }

    #[test]
    fn recursive_override() {
        let c = parse(
            "recursive = false\n[[check]]\nschema = \"a.rng\"\npaths = [\"t\"]\n[[check]]\nschema = \"b.rng\"\npaths = [\"u\"]\nrecursive = true\n",
        )
        .unwrap();
        assert!(!c.checks[0].recursive);
        assert!(c.checks[1].recursive);
    }

    #[test]
    fn covering_by_directory_filter_and_file() {
        let c = parse(
            "recursive = false\n[[check]]\nschema = \"d.rng\"\npaths = [\"t\"]\nfilter = \"^dom\"\n[[check]]\nschema = \"n.rng\"\npaths = [\"t\", \"x/one.txt\"]\n",
        )
        .unwrap();
        let xml = vec!["xml".to_string()];
        assert_eq!(c.covering(Path::new("/base/t/dom1.xml"), &xml), vec![0, 1]);
        assert_eq!(c.covering(Path::new("/base/t/net.xml"), &xml), vec![1]);
        assert_eq!(
            c.covering(Path::new("/base/t/sub/dom.xml"), &xml),
            Vec::<usize>::new()
        );
        assert_eq!(c.covering(Path::new("/base/x/one.txt"), &xml), vec![1]);
        assert_eq!(
            c.covering(Path::new("/base/x/two.xml"), &xml),
            Vec::<usize>::new()
        );
        assert_eq!(c.covering(Path::new("/base/t/../t/net.xml"), &xml), vec![1]);
    }

    #[test]
    fn join_clean_drops_dots() {
        assert_eq!(
            join_clean(Path::new("."), Path::new("a/b")),
            PathBuf::from("a/b")
        );
        assert_eq!(
            join_clean(Path::new("r/./"), Path::new("./a")),
            PathBuf::from("r/a")
        );
        assert_eq!(
            join_clean(Path::new("."), Path::new(".")),
            PathBuf::from(".")
        );
        assert_eq!(
            join_clean(Path::new("r"), Path::new("/x")),
            PathBuf::from("/x")
        );
    }
}
