/*!
The plan: what the parsed arguments ([`super::Args`], the "low" half) mean
once put together: which schemas, which documents against which schema,
and what each document is expected to be. Built once, before any
validation; the only place that decides the mode.

Modes, in order of precedence:
1. `--schema-dir DIR`: every path is a document; its root element picks the schema.
2. An explicit schema (the first path ends in `.rng`/`.rnc`, and no `--config`).
3. A config file: `--config FILE`, or `rngcheck.toml` found in the current
   directory or a parent (not with `--no-config`, `--default-schema`, or
   when the only document is `-`).
4. The embedded default schema.
*/

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::config::{self, Config};
use super::schema_dir::SchemaDir;
use super::walk::{self, Found, WalkOptions};
use super::{Args, EXIT_SCHEMA, EXIT_USAGE};
use crate::syntax::SyntaxKind;

/// Where a schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaSource {
    /// The schema compiled into the binary.
    Embedded,
    /// A file, with the syntax forced or (None) chosen by extension.
    File(PathBuf, Option<SyntaxKind>),
}

/// A schema the run may need; compiled lazily, at most once.
#[derive(Debug, Clone)]
pub struct SchemaSpec {
    /// How it is named in reports and `--list`.
    pub display: String,
    /// Where it comes from.
    pub source: SchemaSource,
}

/// Where a document's text comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DocSource {
    /// A file.
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl DocSource {
    /// How the document is named in reports.
    pub fn display(&self) -> String {
        match self {
            DocSource::Path(p) => p.display().to_string(),
            DocSource::Stdin => "<stdin>".to_string(),
        }
    }
}

/// Which schema a document is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    /// This one (an index into [`Plan::schemas`]).
    Fixed(usize),
    /// Picked by the document's root element (`--schema-dir`).
    ByRoot,
}

/// What a document is expected to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// No expectation: invalid documents fail the run.
    Nothing,
    /// Must be valid.
    Valid,
    /// Must be invalid (its name ends with the invalid suffix).
    Invalid,
}

/// One entry of the run, reported in this order.
#[derive(Debug, Clone)]
pub enum Item {
    /// A document to check.
    Doc {
        /// Where its text comes from.
        source: DocSource,
        /// Against which schema.
        schema: Choice,
        /// What it must be.
        expect: Expect,
    },
    /// A directory entry that could not be walked (counted as an error).
    WalkError {
        /// The entry.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A file named on the command line that no `[[check]]` covers.
    Skipped {
        /// The file.
        path: String,
        /// Why it is skipped.
        note: String,
    },
}

/// Everything the run needs, decided up front.
#[derive(Debug)]
pub struct Plan {
    /// The schemas, each compiled on first use.
    pub schemas: Vec<SchemaSpec>,
    /// The schema directory, with `--schema-dir` (then `schemas` are its files).
    pub schema_dir: Option<SchemaDir>,
    /// The entries, in report order.
    pub items: Vec<Item>,
    /// Documents whose name ends so must be invalid, the others valid.
    pub invalid_suffix: Option<String>,
    /// Only a schema was given: check it and stop.
    pub schema_only: bool,
}

/// Why no plan could be made: the message, and the exit code.
#[derive(Debug)]
pub struct PlanError {
    /// What went wrong.
    pub message: String,
    /// [`EXIT_USAGE`] or [`EXIT_SCHEMA`].
    pub code: u8,
}

fn usage(message: impl Into<String>) -> PlanError {
    PlanError {
        message: message.into(),
        code: EXIT_USAGE,
    }
}

fn is_stdin(p: &Path) -> bool {
    p == Path::new("-")
}

/// Whether the first path is the schema to check the others against.
/// With --config every path is a document (a pre-commit hook passes staged
/// schemas too: they are skipped unless a check covers them).
fn names_schema_first(args: &Args) -> bool {
    !args.default_schema
        && args.config.is_none()
        && args.paths.first().is_some_and(|p| is_schema_path(p))
}

/// The schema named first on the command line, when the plan will be that
/// one schema for every document: known before the documents are listed,
/// so it can be compiled meanwhile.
pub fn first_schema(args: &Args) -> Option<SchemaSource> {
    let single = names_schema_first(args) && args.schema_dir.is_none() && !args.list;
    let syntax = args.compact.then_some(SyntaxKind::Compact);
    single.then(|| SchemaSource::File(args.paths[0].clone(), syntax))
}

/// Whether `path` names a schema (by extension).
pub fn is_schema_path(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("rng") | Some("rnc")
    )
}

/// Builds the plan from the arguments.
pub fn build(args: &Args) -> Result<Plan, PlanError> {
    if args.paths.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err(usage("`-` (standard input) may be given only once"));
    }
    let exts: Vec<String> = args
        .ext
        .iter()
        .map(|e| e.trim().trim_start_matches('.').to_string())
        .filter(|e| !e.is_empty())
        .collect();
    if exts.is_empty() {
        return Err(usage("--ext needs at least one extension, e.g. --ext xml"));
    }
    if args.expect_invalid_suffix.as_deref() == Some("") {
        return Err(usage("--expect-invalid-suffix must not be empty"));
    }
    let syntax = args.compact.then_some(SyntaxKind::Compact);
    let explicit_schema = names_schema_first(args);

    if let Some(dir) = &args.schema_dir {
        if args.default_schema || args.config.is_some() || explicit_schema {
            return Err(usage(
                "--schema-dir picks each document's schema: give documents only \
                 (not with a schema file, --config or --default-schema)",
            ));
        }
        no_root(args, "--schema-dir")?;
        if args.paths.is_empty() {
            return Err(usage(
                "--schema-dir needs documents or directories to check",
            ));
        }
        let dir = SchemaDir::open(dir).map_err(|message| PlanError {
            message,
            code: EXIT_SCHEMA,
        })?;
        let schemas = dir
            .files
            .iter()
            .map(|f| {
                let path = dir.dir.join(f);
                SchemaSpec {
                    display: path.display().to_string(),
                    source: SchemaSource::File(path, syntax),
                }
            })
            .collect();
        let mut plan = Plan::new(schemas, args, None);
        plan.schema_dir = Some(dir);
        plan.add_documents(args, &args.paths, Choice::ByRoot, &exts);
        return Ok(plan);
    }

    if explicit_schema {
        no_root(args, "a schema file")?;
        let path = &args.paths[0];
        let schemas = vec![SchemaSpec {
            display: path.display().to_string(),
            source: SchemaSource::File(path.clone(), syntax),
        }];
        let mut plan = Plan::new(schemas, args, None);
        plan.schema_only = args.paths.len() == 1;
        plan.add_documents(args, &args.paths[1..], Choice::Fixed(0), &exts);
        return Ok(plan);
    }

    let only_stdin = !args.paths.is_empty() && args.paths.iter().all(|p| is_stdin(p));
    let config_path = match &args.config {
        Some(path) => Some(path.clone()),
        None if !args.no_config && !args.default_schema && !only_stdin => Config::discover(),
        None => None,
    };
    if let Some(path) = config_path {
        if args.default_schema {
            return Err(usage("--config and --default-schema exclude each other"));
        }
        let config = Config::load(&path, args.root.as_deref()).map_err(|e| usage(e.0))?;
        return Ok(Plan::from_config(args, config, &exts));
    }

    no_root(args, "the embedded schema")?;
    if args.paths.is_empty() {
        return Err(usage(
            "nothing to check: give a schema and documents, documents (for the embedded \
             schema), --schema-dir DIR, or a config file (rngcheck.toml)",
        ));
    }
    let schemas = vec![SchemaSpec {
        display: "<embedded>".to_string(),
        source: SchemaSource::Embedded,
    }];
    let mut plan = Plan::new(schemas, args, None);
    plan.add_documents(args, &args.paths, Choice::Fixed(0), &exts);
    Ok(plan)
}

fn no_root(args: &Args, with: &str) -> Result<(), PlanError> {
    match args.root {
        Some(_) => Err(usage(format!(
            "--root only applies to a config file's paths, not with {with}"
        ))),
        None => Ok(()),
    }
}

impl Plan {
    fn new(schemas: Vec<SchemaSpec>, args: &Args, config_suffix: Option<String>) -> Plan {
        Plan {
            schemas,
            schema_dir: None,
            items: Vec::new(),
            invalid_suffix: args.expect_invalid_suffix.clone().or(config_suffix),
            schema_only: false,
        }
    }

    /// Whether expectations are in force (an invalid suffix was given).
    pub fn expectations(&self) -> bool {
        self.invalid_suffix.is_some()
    }

    fn expect_for(&self, source: &DocSource) -> Expect {
        match (self.invalid_suffix.as_deref(), source) {
            (None, _) => Expect::Nothing,
            (Some(_), DocSource::Stdin) => Expect::Valid,
            (Some(suffix), DocSource::Path(p)) => {
                if p.to_string_lossy().ends_with(suffix) {
                    Expect::Invalid
                } else {
                    Expect::Valid
                }
            }
        }
    }

    fn push_doc(
        &mut self,
        source: DocSource,
        schema: Choice,
        seen: &mut HashSet<(Choice, DocSource)>,
    ) {
        if seen.insert((schema, source.clone())) {
            let expect = self.expect_for(&source);
            self.items.push(Item::Doc {
                source,
                schema,
                expect,
            });
        }
    }

    fn push_found(
        &mut self,
        found: Found,
        schema: Choice,
        seen: &mut HashSet<(Choice, DocSource)>,
    ) {
        match found {
            Found::File(p) => self.push_doc(DocSource::Path(p), schema, seen),
            Found::Error { path, message } => self.items.push(Item::WalkError { path, message }),
        }
    }

    /// Documents named on the command line, all against `schema`.
    fn add_documents(&mut self, args: &Args, paths: &[PathBuf], schema: Choice, exts: &[String]) {
        let options = WalkOptions {
            follow_symlinks: args.follow_symlinks,
            recursive: true,
        };
        let keep = |p: &Path| config::has_ext(p, exts);
        let mut seen = HashSet::new();
        for path in paths {
            if is_stdin(path) {
                self.push_doc(DocSource::Stdin, schema, &mut seen);
                continue;
            }
            let mut found = Vec::new();
            walk::expand(path, options, &keep, &mut found);
            for f in found {
                self.push_found(f, schema, &mut seen);
            }
        }
    }

    fn from_config(args: &Args, config: Config, exts: &[String]) -> Plan {
        // One schema entry per distinct schema path, in first-use order.
        let mut schemas: Vec<SchemaSpec> = Vec::new();
        let mut index_of = Vec::with_capacity(config.checks.len());
        let syntax = args.compact.then_some(SyntaxKind::Compact);
        for check in &config.checks {
            let source = SchemaSource::File(check.schema.clone(), syntax);
            let i = match schemas.iter().position(|s| s.source == source) {
                Some(i) => i,
                None => {
                    schemas.push(SchemaSpec {
                        display: check.schema.display().to_string(),
                        source,
                    });
                    schemas.len() - 1
                }
            };
            index_of.push(i);
        }
        let mut plan = Plan::new(schemas, args, config.invalid_suffix.clone());
        let mut seen = HashSet::new();
        if args.paths.is_empty() {
            for (check, &schema) in config.checks.iter().zip(&index_of) {
                let options = WalkOptions {
                    follow_symlinks: args.follow_symlinks,
                    recursive: check.recursive,
                };
                let keep = |p: &Path| check.accepts(p, exts);
                for path in &check.paths {
                    let mut found = Vec::new();
                    walk::expand(path, options, &keep, &mut found);
                    for f in found {
                        plan.push_found(f, Choice::Fixed(schema), &mut seen);
                    }
                }
            }
            return plan;
        }
        // Files named on the command line (a pre-commit hook): each against
        // the checks that cover it.
        let options = WalkOptions {
            follow_symlinks: args.follow_symlinks,
            recursive: true,
        };
        let all = |_: &Path| true;
        for path in &args.paths {
            if is_stdin(path) {
                plan.items.push(Item::Skipped {
                    path: "<stdin>".to_string(),
                    note: format!(
                        "standard input is not covered by {}; give a schema to check it",
                        config.path.display()
                    ),
                });
                continue;
            }
            let named_dir = path.is_dir();
            let mut found = Vec::new();
            walk::expand(path, options, &all, &mut found);
            for f in found {
                let file = match f {
                    Found::File(file) => file,
                    Found::Error { path, message } => {
                        plan.items.push(Item::WalkError { path, message });
                        continue;
                    }
                };
                let covering = config.covering(&file, exts);
                if covering.is_empty() {
                    // Files met while walking a directory are filtered
                    // silently, as in any walk; a file named outright gets a note.
                    if !named_dir {
                        plan.items.push(Item::Skipped {
                            path: file.display().to_string(),
                            note: format!("no [[check]] in {} covers it", config.path.display()),
                        });
                    }
                    continue;
                }
                for c in covering {
                    plan.push_doc(
                        DocSource::Path(file.clone()),
                        Choice::Fixed(index_of[c]),
                        &mut seen,
                    );
                }
            }
        }
        plan
    }
}
