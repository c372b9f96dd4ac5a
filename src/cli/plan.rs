/*!
The plan: what the parsed arguments ([`super::Args`], the "low" half) mean
once put together: which schemas, which documents against which schema,
and what each document is expected to be. Built once, before any
validation; the only place that decides the mode.

Every file named on the command line gets a verdict: it is validated, or
(a schema file) compiled, or the run fails. Only files met while walking a
directory may be left out, and they are counted.

Modes, in order of precedence:
1. `--schema-dir DIR`: every path is a document; its root element picks the schema.
2. An explicit schema: `--schema FILE`, or the first path when it is one
   (see [`schema_argument`]), and no `--config`.
3. A config file: `--config FILE`, or `rngcheck.toml` found in the current
   directory or a parent (not with `--no-config`, `--default-schema`, or
   when the only document is `-`). Files named with it are checked by the
   checks that cover them; a schema file named re-checks every document of
   the checks built on it; any other file goes to discovery.
4. `--default-schema`: the embedded schema.
5. Discovery ([`super::discover`]): each document's schema by its root
   element, from an enclosing libvirt checkout, an installed libvirt, or the
   embedded domain schema.
*/

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::config::{self, path_key, Check, Config};
use super::discover::{self, CheckoutFinder};
use super::schema_dir::{self, SchemaDir};
use super::walk::{self, Found, WalkOptions};
use super::{Args, EXIT_SCHEMA, EXIT_USAGE};
use crate::syntax::SyntaxKind;

/// How the embedded schema is named in summaries: plainly a subset.
pub const EMBEDDED_DESCRIPTION: &str =
    "embedded domain schema, rngcheck's subset of libvirt's format";

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

impl SchemaSpec {
    /// How it is named in the summary line.
    pub fn describe(&self) -> &str {
        match self.source {
            SchemaSource::Embedded => EMBEDDED_DESCRIPTION,
            SchemaSource::File(..) => &self.display,
        }
    }
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
    /// Picked by the document's root element by this picker (an index into
    /// [`Plan::pickers`]).
    ByRoot(usize),
}

/// Schemas to pick from by root element, tried in order.
#[derive(Debug)]
pub struct Picker {
    /// The sources, in order of preference.
    pub layers: Vec<Layer>,
}

/// One source of a [`Picker`].
#[derive(Debug)]
pub enum Layer {
    /// A schema directory; `schemas[i]` is the plan's index of `dir.files[i]`.
    Dir {
        /// The directory and its files.
        dir: SchemaDir,
        /// The plan's schema index of each file.
        schemas: Vec<usize>,
    },
    /// The embedded schema (the plan's index), for `<domain>` only.
    EmbeddedDomain(usize),
}

impl Picker {
    /// The plan's index of the schema for root element `local`, or why
    /// there is none.
    pub fn pick(&self, local: &str) -> Result<usize, String> {
        for layer in &self.layers {
            let found = match layer {
                Layer::Dir { dir, schemas } => dir.pick(local).map(|i| schemas[i]),
                Layer::EmbeddedDomain(i) => (local == "domain").then_some(*i),
            };
            if let Some(i) = found {
                return Ok(i);
            }
        }
        Err(self.no_schema_message(local))
    }

    fn no_schema_message(&self, local: &str) -> String {
        let dirs: Vec<&SchemaDir> = self
            .layers
            .iter()
            .filter_map(|l| match l {
                Layer::Dir { dir, .. } => Some(dir),
                Layer::EmbeddedDomain(_) => None,
            })
            .collect();
        let embedded = self
            .layers
            .iter()
            .any(|l| matches!(l, Layer::EmbeddedDomain(_)));
        match (dirs.as_slice(), embedded) {
            ([dir], false) => dir.no_schema_message(local),
            ([], _) => format!(
                "no schema for root element <{local}>: no libvirt schema directory was found \
                 (src/conf/schemas or docs/schemas above the document, an installed \
                 libvirt's share/libvirt/schemas) and the embedded schema covers only \
                 <domain>; name the schema: rngcheck SCHEMA FILE"
            ),
            (dirs, _) => format!(
                "no schema for root element <{local}> in {}{}; name the schema: rngcheck SCHEMA FILE",
                dirs.iter()
                    .map(|d| d.dir.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                if embedded {
                    " (the embedded schema covers only <domain>)"
                } else {
                    ""
                }
            ),
        }
    }
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
    /// A schema file named on the command line that no check uses: it is
    /// compiled, and its errors fail the run (an index into
    /// [`Plan::schemas`]).
    Schema(usize),
    /// A directory entry that could not be walked (counted as an error).
    WalkError {
        /// The entry.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// Everything the run needs, decided up front.
#[derive(Debug)]
pub struct Plan {
    /// The schemas, each compiled on first use.
    pub schemas: Vec<SchemaSpec>,
    /// The by-root-element pickers ([`Choice::ByRoot`]).
    pub pickers: Vec<Picker>,
    /// The entries, in report order.
    pub items: Vec<Item>,
    /// Documents whose name ends so must be invalid, the others valid.
    pub invalid_suffix: Option<String>,
    /// Only a schema was given: check it and stop.
    pub schema_only: bool,
    /// Inputs that gave no document (an empty directory, a check matching
    /// nothing), each described.
    pub empty_inputs: Vec<String>,
    /// Files met while walking a named directory that no check covers.
    pub skipped: usize,
    /// The user named no schema: the summary says which were used.
    pub name_schemas: bool,
    /// The expected-errors file (`--expected-errors`, or the config's
    /// `expected_errors`).
    pub expected_errors: Option<PathBuf>,
    /// What the document keys of that file are relative to: the config's
    /// root, else the current directory.
    pub doc_root: PathBuf,
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

/// Whether `path` names a schema (by extension).
pub fn is_schema_path(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("rng") | Some("rnc"))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Whether `path` is a schema file: named `.rng`/`.rnc`, or an existing
/// file whose root element is in the RELAX NG namespace.
pub fn is_schema_file(path: &Path) -> bool {
    is_schema_path(path)
        || (path.is_file() && read_head(path).is_some_and(|t| schema_dir::is_relax_ng(&t)))
}

/// The first bytes of a file, as text (enough for its root start tag).
fn read_head(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = Vec::new();
    let file = std::fs::File::open(path).ok()?;
    file.take(64 * 1024).read_to_end(&mut head).ok()?;
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// Whether a name's extension is one typing slip from `rng` or `rnc`
/// (`.rgn`, `.rn`, `.rngg`, `.rnv`…).
fn near_schema_extension(path: &Path) -> bool {
    let Some(ext) = extension(path) else {
        return false;
    };
    ext != "xml" && ["rng", "rnc"].iter().any(|t| one_slip(&ext, t))
}

/// Whether `a` becomes `b` by at most one substitution, insertion,
/// deletion, or swap of neighbours.
fn one_slip(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if y == x + 1 => *ra == rb[1..],
        _ => false,
    }
}

/// The schema to check every document against, when the user named one:
/// `--schema FILE`, or the first path when it is a schema (named `.rng` or
/// `.rnc`, read with `--compact`, or an existing file whose root element is
/// RELAX NG). Never with `--config` or `--default-schema` (which decide
/// schemas otherwise; with `--schema-dir`, [`build`] refuses one found
/// here). A missing first path named like a schema (`domain.rgn`) is a
/// missing schema (exit 3), not a missing document.
pub fn schema_argument(args: &Args) -> Result<Option<PathBuf>, PlanError> {
    if let Some(schema) = &args.schema {
        return Ok(Some(schema.clone()));
    }
    let Some(first) = args.paths.first() else {
        return Ok(None);
    };
    if args.default_schema || args.config.is_some() || is_stdin(first) {
        return Ok(None);
    }
    if args.compact || is_schema_path(first) {
        return Ok(Some(first.clone()));
    }
    if !first.exists() && near_schema_extension(first) {
        return Err(PlanError {
            message: format!(
                "cannot read schema \"{}\": no such file (a schema is named .rng or .rnc)",
                first.display()
            ),
            code: EXIT_SCHEMA,
        });
    }
    Ok(is_schema_file(first).then(|| first.clone()))
}

/// The schema named on the command line, when the plan will be that one
/// schema for every document: known before the documents are listed, so it
/// can be compiled meanwhile.
pub fn first_schema(args: &Args, schema: Option<&PathBuf>) -> Option<SchemaSource> {
    let single = args.schema_dir.is_none() && !args.list;
    let syntax = args.compact.then_some(SyntaxKind::Compact);
    schema
        .filter(|_| single)
        .map(|path| SchemaSource::File(path.clone(), syntax))
}

/// What is said of a RELAX NG schema given as a document when no schema
/// was named (one whose name says so is refused here; one whose content
/// says so, when its root element finds no schema).
pub fn swapped_message(path: &str) -> String {
    format!(
        "{path} is a RELAX NG schema, given where a document goes: did you swap the \
         schema and the document? (the schema goes first, or use --schema FILE)"
    )
}

/// With no schema named, a `.rng`/`.rnc` file among the documents is most
/// likely a slip. (With a schema named, schemas may be documents: checked
/// against the schema for RELAX NG, say.)
fn refuse_schemas_as_documents(paths: &[PathBuf]) -> Result<(), PlanError> {
    match paths.iter().find(|p| is_schema_path(p) && !p.is_dir()) {
        Some(p) => Err(usage(swapped_message(&p.display().to_string()))),
        None => Ok(()),
    }
}

/// Builds the plan from the arguments and the schema they name
/// ([`schema_argument`]).
pub fn build(args: &Args, schema: Option<PathBuf>) -> Result<Plan, PlanError> {
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

    if let Some(dir) = &args.schema_dir {
        if args.default_schema || args.config.is_some() || schema.is_some() {
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
        refuse_schemas_as_documents(&args.paths)?;
        let dir = SchemaDir::open(dir).map_err(|message| PlanError {
            message,
            code: EXIT_SCHEMA,
        })?;
        let mut plan = Plan::new(args, None);
        let picker = plan.add_picker(vec![dir], false, syntax);
        let entries = expand_named(args, &args.paths, &exts, &mut plan.empty_inputs);
        plan.add_entries(entries, |_, _| Choice::ByRoot(picker));
        return Ok(plan);
    }

    if let Some(path) = schema {
        no_root(args, "a schema file")?;
        let documents = if args.schema.is_some() {
            &args.paths[..]
        } else {
            &args.paths[1..]
        };
        let mut plan = Plan::new(args, None);
        let i = plan.schema_index(SchemaSource::File(path.clone(), syntax));
        plan.schema_only = documents.is_empty();
        let entries = expand_named(args, documents, &exts, &mut plan.empty_inputs);
        plan.add_entries(entries, |_, _| Choice::Fixed(i));
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
        if args.config.is_none() {
            refuse_schemas_as_documents(&args.paths)?;
        }
        let config = Config::load(&path, args.root.as_deref()).map_err(|e| usage(e.0))?;
        return Ok(Plan::from_config(args, config, &exts));
    }

    no_root(args, "the embedded schema or schema discovery")?;
    if args.paths.is_empty() {
        return Err(usage(
            "nothing to check: give a schema and documents, documents (their schema is \
             discovered), --schema-dir DIR, or a config file (rngcheck.toml)",
        ));
    }
    refuse_schemas_as_documents(&args.paths)?;
    let mut plan = Plan::new(args, None);
    plan.name_schemas = args.default_schema;
    let entries = expand_named(args, &args.paths, &exts, &mut plan.empty_inputs);
    if args.default_schema {
        let i = plan.schema_index(SchemaSource::Embedded);
        plan.add_entries(entries, |_, _| Choice::Fixed(i));
    } else {
        let mut discovery = Discovery::new();
        plan.add_entries(entries, |plan, doc| discovery.choice(plan, doc));
    }
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

/// A path named on the command line, expanded: documents and walk errors,
/// in report order.
enum Entry {
    Doc(DocSource),
    WalkError { path: PathBuf, message: String },
}

/// Expands named paths (directories walked for `exts`); a directory that
/// gives no document is described in `empty`.
fn expand_named(
    args: &Args,
    paths: &[PathBuf],
    exts: &[String],
    empty: &mut Vec<String>,
) -> Vec<Entry> {
    let options = WalkOptions {
        follow_symlinks: args.follow_symlinks,
        recursive: true,
    };
    let keep = |p: &Path| config::has_ext(p, exts);
    let mut entries = Vec::new();
    for path in paths {
        if is_stdin(path) {
            entries.push(Entry::Doc(DocSource::Stdin));
            continue;
        }
        let mut found = Vec::new();
        walk::expand(path, options, &keep, &mut found);
        // (A file named is found as itself: only then is the path statted.)
        if !found.iter().any(|f| matches!(f, Found::File(_))) && path.is_dir() {
            empty.push(format!(
                "{}: no document in this directory (files named *.{})",
                path.display(),
                exts.join(", *.")
            ));
        }
        entries.extend(found.into_iter().map(Entry::from));
    }
    entries
}

impl From<Found> for Entry {
    fn from(found: Found) -> Entry {
        match found {
            Found::File(p) => Entry::Doc(DocSource::Path(p)),
            Found::Error { path, message } => Entry::WalkError { path, message },
        }
    }
}

/// Schema discovery over a run's documents: one picker per enclosing
/// checkout (or none), the installed directories opened once.
struct Discovery {
    finder: CheckoutFinder,
    installed: Option<Vec<SchemaDir>>,
    pickers: HashMap<Option<PathBuf>, usize>,
}

impl Discovery {
    fn new() -> Discovery {
        Discovery {
            finder: CheckoutFinder::new(),
            installed: None,
            pickers: HashMap::new(),
        }
    }

    /// The picker for a document (standard input: from the current directory).
    fn choice(&mut self, plan: &mut Plan, doc: &DocSource) -> Choice {
        let path = match doc {
            DocSource::Path(p) => p.as_path(),
            DocSource::Stdin => Path::new("-"),
        };
        plan.name_schemas = true;
        let checkout = self.finder.schema_dir_for(path);
        if let Some(&i) = self.pickers.get(&checkout) {
            return Choice::ByRoot(i);
        }
        let installed = self.installed.get_or_insert_with(|| {
            discover::installed_dirs()
                .iter()
                .filter_map(|d| SchemaDir::open(d).ok())
                .collect()
        });
        let dirs = checkout
            .iter()
            .filter_map(|d| SchemaDir::open(d).ok())
            .chain(installed.iter().cloned())
            .collect();
        let i = plan.add_picker(dirs, true, None);
        self.pickers.insert(checkout, i);
        Choice::ByRoot(i)
    }
}

impl Plan {
    fn new(args: &Args, config_suffix: Option<String>) -> Plan {
        Plan {
            schemas: Vec::new(),
            pickers: Vec::new(),
            items: Vec::new(),
            invalid_suffix: args.expect_invalid_suffix.clone().or(config_suffix),
            schema_only: false,
            empty_inputs: Vec::new(),
            skipped: 0,
            name_schemas: false,
            expected_errors: args.expected_errors.clone(),
            doc_root: PathBuf::from("."),
        }
    }

    /// Whether expectations are in force (an invalid suffix was given).
    pub fn expectations(&self) -> bool {
        self.invalid_suffix.is_some()
    }

    /// Whether the plan has any document or schema to check.
    pub fn has_work(&self) -> bool {
        self.schema_only
            || self
                .items
                .iter()
                .any(|i| matches!(i, Item::Doc { .. } | Item::Schema(_)))
    }

    /// The index of the schema from `source`, added on first use.
    fn schema_index(&mut self, source: SchemaSource) -> usize {
        if let Some(i) = self.schemas.iter().position(|s| s.source == source) {
            return i;
        }
        let display = match &source {
            SchemaSource::Embedded => "<embedded>".to_string(),
            SchemaSource::File(path, _) => path.display().to_string(),
        };
        self.schemas.push(SchemaSpec { display, source });
        self.schemas.len() - 1
    }

    /// Adds a picker over `dirs` (and the embedded schema for `<domain>`).
    fn add_picker(
        &mut self,
        dirs: Vec<SchemaDir>,
        embedded: bool,
        syntax: Option<SyntaxKind>,
    ) -> usize {
        let mut layers: Vec<Layer> = dirs
            .into_iter()
            .map(|dir| {
                let schemas = dir
                    .files
                    .iter()
                    .map(|f| self.schema_index(SchemaSource::File(dir.dir.join(f), syntax)))
                    .collect();
                Layer::Dir { dir, schemas }
            })
            .collect();
        if embedded {
            layers.push(Layer::EmbeddedDomain(
                self.schema_index(SchemaSource::Embedded),
            ));
        }
        self.pickers.push(Picker { layers });
        self.pickers.len() - 1
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

    /// Adds expanded entries, each document against the schema `choose` picks.
    fn add_entries(
        &mut self,
        entries: Vec<Entry>,
        mut choose: impl FnMut(&mut Plan, &DocSource) -> Choice,
    ) {
        let mut seen = HashSet::new();
        for entry in entries {
            match entry {
                Entry::Doc(source) => {
                    let choice = choose(self, &source);
                    self.push_doc(source, choice, &mut seen);
                }
                Entry::WalkError { path, message } => {
                    self.items.push(Item::WalkError { path, message })
                }
            }
        }
    }

    /// Every document of one `[[check]]`, against `schema`; whether there
    /// was any.
    fn add_check(
        &mut self,
        args: &Args,
        check: &Check,
        schema: usize,
        exts: &[String],
        seen: &mut HashSet<(Choice, DocSource)>,
    ) -> bool {
        let options = WalkOptions {
            follow_symlinks: args.follow_symlinks,
            recursive: check.recursive,
        };
        let keep = |p: &Path| check.accepts(p, exts);
        let mut any = false;
        for path in &check.paths {
            let mut found = Vec::new();
            walk::expand(path, options, &keep, &mut found);
            for f in found {
                match Entry::from(f) {
                    Entry::Doc(source) => {
                        any = true;
                        self.push_doc(source, Choice::Fixed(schema), seen);
                    }
                    Entry::WalkError { path, message } => {
                        self.items.push(Item::WalkError { path, message })
                    }
                }
            }
        }
        any
    }

    fn from_config(args: &Args, config: Config, exts: &[String]) -> Plan {
        let mut plan = Plan::new(args, config.invalid_suffix.clone());
        if plan.expected_errors.is_none() {
            plan.expected_errors = config.expected_errors.clone();
        }
        plan.doc_root = config.root.clone();
        let syntax = args.compact.then_some(SyntaxKind::Compact);
        let index_of: Vec<usize> = config
            .checks
            .iter()
            .map(|c| plan.schema_index(SchemaSource::File(c.schema.clone(), syntax)))
            .collect();
        let mut seen = HashSet::new();
        if args.paths.is_empty() {
            for (n, check) in config.checks.iter().enumerate() {
                if !plan.add_check(args, check, index_of[n], exts, &mut seen) {
                    plan.empty_inputs.push(format!(
                        "[[check]] #{} ({}): no document matches its paths{}",
                        n + 1,
                        check.schema.display(),
                        if check.filter.is_some() {
                            " and filter"
                        } else {
                            ""
                        }
                    ));
                }
            }
            return plan;
        }
        // Files named on the command line (a pre-commit hook): each against
        // the checks that cover it; a schema file re-checks the documents of
        // the checks built on it; anything else goes to discovery.
        let options = WalkOptions {
            follow_symlinks: args.follow_symlinks,
            recursive: true,
        };
        let all = |_: &Path| true;
        let mut discovery = Discovery::new();
        let mut dependents = Dependents::new(&config, syntax);
        let mut rechecked = HashSet::new();
        for path in &args.paths {
            if is_stdin(path) {
                let choice = discovery.choice(&mut plan, &DocSource::Stdin);
                plan.push_doc(DocSource::Stdin, choice, &mut seen);
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
                for &c in &covering {
                    plan.push_doc(
                        DocSource::Path(file.clone()),
                        Choice::Fixed(index_of[c]),
                        &mut seen,
                    );
                }
                if !covering.is_empty() {
                    continue;
                }
                if named_dir {
                    // Met while walking: filtered, as in any walk, and counted.
                    plan.skipped += 1;
                } else if is_schema_file(&file) {
                    let users = dependents.of(&file);
                    if users.is_empty() {
                        let i = plan.schema_index(SchemaSource::File(file.clone(), syntax));
                        plan.items.push(Item::Schema(i));
                    }
                    for c in users {
                        let check = &config.checks[c];
                        // A check with no documents yet still gets its schema checked.
                        if rechecked.insert(c)
                            && !plan.add_check(args, check, index_of[c], exts, &mut seen)
                        {
                            plan.items.push(Item::Schema(index_of[c]));
                        }
                    }
                } else {
                    let source = DocSource::Path(file);
                    let choice = discovery.choice(&mut plan, &source);
                    plan.push_doc(source, choice, &mut seen);
                }
            }
        }
        plan
    }
}

/// Which checks use a schema file, directly or through `include` and
/// `externalRef`: each check's schema files are read once, when first asked.
struct Dependents<'c> {
    config: &'c Config,
    syntax: Option<SyntaxKind>,
    files: Option<Vec<HashSet<PathBuf>>>,
}

impl<'c> Dependents<'c> {
    fn new(config: &'c Config, syntax: Option<SyntaxKind>) -> Dependents<'c> {
        Dependents {
            config,
            syntax,
            files: None,
        }
    }

    /// The indexes of the checks whose schema is made of `file`.
    fn of(&mut self, file: &Path) -> Vec<usize> {
        let (config, syntax) = (self.config, self.syntax);
        let files = self.files.get_or_insert_with(|| {
            let mut by_schema: HashMap<&Path, HashSet<PathBuf>> = HashMap::new();
            config
                .checks
                .iter()
                .map(|c| {
                    by_schema
                        .entry(&c.schema)
                        .or_insert_with(|| {
                            crate::Schema::files(&c.schema, syntax)
                                .iter()
                                .map(|p| path_key(p))
                                .collect()
                        })
                        .clone()
                })
                .collect()
        });
        let key = path_key(file);
        files
            .iter()
            .enumerate()
            .filter(|(_, used)| used.contains(&key))
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_slip_from_a_schema_extension() {
        for near in [
            "a.rgn", "a.rn", "a.rngg", "a.rnv", "a.nrg", "a.RNC", "a.rcn",
        ] {
            assert!(near_schema_extension(Path::new(near)), "{near}");
        }
        for far in ["a.xml", "a.txt", "a", "a.r", "a.grn2", "a.json"] {
            assert!(!near_schema_extension(Path::new(far)), "{far}");
        }
    }
}
