//! Helpers shared by the conformance suites: where the data is, counting,
//! the xfail list, and running engine code with panics caught.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rngcheck::internals::events::{self, EventLog};
use rngcheck::internals::scan;
use rngcheck::{Schema, SchemaErrors, Validator};

/// Counts across every suite, for the closing `N passed, N failed` line.
#[derive(Default)]
pub struct Tally {
    /// Checks that passed.
    pub passed: usize,
    /// Checks (or XPASS cases) that fail the run.
    pub failed: usize,
    /// Failed checks covered by the xfail list.
    pub xfailed: usize,
}

/// `../shared`, beside the repository.
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// The repository root.
pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Panics are caught and reported as failures; keep the default hook from
/// printing a backtrace for each.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}

/// Runs `f`, turning a panic into `Err("panic: ...")`.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let text = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "(no message)".to_string());
        format!("panic: {text}")
    })
}

/// Loads a schema from the file system, with panics caught.
pub fn load_schema(path: &Path) -> Result<Result<Schema, SchemaErrors>, String> {
    if let Some(dir) = path.parent() {
        guarded(|| check_schema_trees(dir))?;
    }
    guarded(|| Schema::load(path))
}

/// What the schema reader's fast tree builder did with the schema files
/// seen so far.
#[derive(Default)]
pub struct SchemaTrees {
    /// Files seen (each path once).
    pub files: usize,
    /// Files the fast builder took (the rest went to roxmltree).
    pub taken: usize,
    /// Files where the two trees differ, with the first difference.
    pub disagreements: Vec<String>,
    seen: BTreeSet<(PathBuf, u64)>,
}

/// Every `.rng` file in (and under) a loaded schema's directory — the
/// schema, what it includes, its neighbours — is built both ways: whatever
/// the fast builder takes must give roxmltree's tree.
pub static SCHEMA_TREES: Mutex<SchemaTrees> = Mutex::new(SchemaTrees {
    files: 0,
    taken: 0,
    disagreements: Vec::new(),
    seen: BTreeSet::new(),
});

fn check_schema_trees(dir: &Path) {
    let mut pending = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rng") {
                files.push(path);
            }
        }
    }
    let mut tally = SCHEMA_TREES.lock().unwrap_or_else(|e| e.into_inner());
    for path in files {
        // Temporary case directories reuse names: key on the content too.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let key = (path.clone(), content_hash(&text));
        if !tally.seen.insert(key) {
            continue;
        }
        tally.files += 1;
        if let Some(outcome) = rngcheck::internals::check_xml_tree(&text) {
            tally.taken += 1;
            if let Some(d) = outcome {
                tally.disagreements.push(format!("{}: {d}", path.display()));
            }
        }
    }
}

/// A content hash, to tell apart files of the same path in different cases.
fn content_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The first schema error, with its position when it has one.
pub fn first_schema_error(errors: &SchemaErrors) -> String {
    match errors.errors().first() {
        None => "(rejected with no error)".to_string(),
        Some(e) => match (e.file(), e.line_col()) {
            (Some(file), Some((line, column))) => {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!("{name}:{line}:{column}: {}", e.message())
            }
            _ => e.message().to_string(),
        },
    }
}

/// What validating one document gave.
pub enum Verdict {
    /// Valid.
    Valid,
    /// Invalid or not well-formed: the first error's line, column and message.
    Rejected {
        line: u32,
        column: u32,
        message: String,
    },
    /// The engine panicked.
    Panicked(String),
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid)
    }

    /// One line saying why the document was rejected (empty when valid).
    pub fn detail(&self) -> String {
        match self {
            Verdict::Valid => String::new(),
            Verdict::Rejected { line, message, .. } => format!("line {line}: {message}"),
            Verdict::Panicked(p) => p.clone(),
        }
    }
}

/// What the fast path did with the documents validated so far.
#[derive(Default)]
pub struct FastPath {
    /// Documents seen (each text once).
    pub documents: usize,
    /// Documents the fast path took (the rest went to the tree path).
    pub taken: usize,
    /// Documents where the two paths fed different events, with the first
    /// difference.
    pub disagreements: Vec<String>,
}

/// Every document [`validate`] sees is also fed both ways to an
/// [`EventLog`]; whatever the fast path takes must give the tree path's
/// events.
pub static FAST_PATH: Mutex<FastPath> = Mutex::new(FastPath {
    documents: 0,
    taken: 0,
    disagreements: Vec::new(),
});

fn check_fast_path(text: &str) {
    let mut fast = EventLog::for_document(text);
    let taken = scan::feed(text, &mut fast).is_ok();
    let disagreement = if taken {
        let mut tree = EventLog::for_document(text);
        match events::parse_document(text) {
            Ok(doc) => {
                events::feed(&doc, &mut tree);
                let first = fast.lines.iter().zip(&tree.lines).position(|(a, b)| a != b);
                match first {
                    None if fast.lines.len() == tree.lines.len() => None,
                    _ => {
                        let i = first.unwrap_or(fast.lines.len().min(tree.lines.len()));
                        Some(format!(
                            "event {i}: fast {:?}, tree {:?}",
                            fast.lines.get(i),
                            tree.lines.get(i)
                        ))
                    }
                }
            }
            Err(e) => Some(format!("taken, but not well-formed: {}", e.message)),
        }
    } else {
        None
    };
    let mut tally = FAST_PATH.lock().unwrap_or_else(|e| e.into_inner());
    tally.documents += 1;
    tally.taken += usize::from(taken);
    if let Some(d) = disagreement {
        let head: String = text.chars().take(80).collect();
        tally.disagreements.push(format!("{head:?}: {d}"));
    }
}

/// Validates `text` with `validator` (reused across documents), panics
/// caught; also checks the fast path against the tree path on it.
pub fn validate(validator: &mut Validator, text: &str) -> Verdict {
    if let Err(p) = guarded(|| check_fast_path(text)) {
        return Verdict::Panicked(p);
    }
    let verdict = match guarded(|| validator.validate_str(text)) {
        Err(p) => return Verdict::Panicked(p),
        Ok(Ok(())) => return Verdict::Valid,
        Ok(Err(invalid)) => invalid,
    };
    let prefix = if verdict.is_well_formed() {
        ""
    } else {
        "not well-formed: "
    };
    match verdict.errors().first() {
        None => Verdict::Rejected {
            line: 0,
            column: 0,
            message: "(invalid with no error)".to_string(),
        },
        Some(e) => {
            let (line, column) = e.line_col().unwrap_or((0, 0));
            Verdict::Rejected {
                line,
                column,
                message: format!("{prefix}{}", e.message()),
            }
        }
    }
}

/// `tests/conformance.xfail`: `suite case reason...` per line; `#` starts a
/// comment. Returns suite → case → reason.
pub fn load_xfail() -> BTreeMap<String, BTreeMap<String, String>> {
    let path = repo_dir().join("tests/conformance.xfail");
    let mut map: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(&path) else {
        return map;
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, char::is_whitespace);
        let (Some(suite), Some(case)) = (parts.next(), parts.next()) else {
            continue;
        };
        let reason = parts.next().unwrap_or("").trim().to_string();
        map.entry(suite.to_string())
            .or_default()
            .insert(case.trim_start_matches('#').to_string(), reason);
    }
    map
}

/// Whether `VAR=1` (or `true`) is set.
pub fn env_flag(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1" || v == "true")
}
