/*!
Running a [`Plan`]: documents validated in parallel (rayon) against schemas
compiled lazily, once each, and shared by all threads; one `Validator` per
schema per worker thread, kept for the whole run.

Workers take the entries a block at a time; each entry's report is
rendered to a `String` on the worker, and each block is handed to the
calling thread, which prints the reports whole and in plan order (a
small reorder buffer), drives the progress bar, and adds up the [`Tally`].
Per-document problems, including a panic inside the engine, are reported
and counted; they never stop the run.
*/

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};

use rayon::prelude::*;

use super::pins::{self, Pin, Pins};
use super::plan::swapped_message;
use super::plan::{Choice, DocSource, Expect, Item, Plan, SchemaSource};
use super::schema_dir::{is_relax_ng, sniff_root};
use super::{report, Format, EXIT_INTERNAL, EXIT_INVALID, EXIT_SCHEMA, EXIT_USAGE, EXIT_VALID};
use crate::coverage::Hits;
use crate::loader::{io_reason, FsLoader, ReadError};
use crate::schema::{Schema, SchemaErrors};
use crate::validate::Validator;
use crate::validate::{validate_text, Outcome};

/// Stack size of worker threads: deeply nested schemas recurse in the
/// schema compiler, which runs on the worker that first needs a schema.
const STACK_SIZE: usize = 512 * 1024 * 1024;

/// Below this many entries no progress bar is drawn.
const PROGRESS_MIN: usize = 20;

/// How the run reports (from the arguments).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Output format.
    pub format: Format,
    /// At most this many errors per document.
    pub max_errors: Option<usize>,
    /// Worker threads (None: one per core).
    pub jobs: Option<usize>,
    /// Print `schema<TAB>document` pairs instead of validating.
    pub list: bool,
    /// Print the errors of documents that are invalid as expected.
    pub show_expected: bool,
    /// No progress bar, summary or notes.
    pub quiet: bool,
    /// DTD-compatibility ID/IDREF checks.
    pub id_checks: bool,
    /// Stream every document (otherwise only those over the threshold).
    pub stream: bool,
    /// A run that checks nothing exits 0 instead of 2.
    pub allow_empty: bool,
    /// Write the expected-errors file from this run instead of checking it.
    pub bless: bool,
    /// Record which parts of each schema the documents matched.
    pub coverage: bool,
}

/// What happened, added up over the run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Valid, as expected (or with no expectation).
    pub valid: usize,
    /// Invalid or not well-formed, with no expectation or expected valid.
    pub invalid: usize,
    /// Invalid, as expected.
    pub expected_invalid: usize,
    /// Valid, but expected invalid.
    pub unexpectedly_valid: usize,
    /// Invalid as expected (counted there too), but with another first
    /// error than the one pinned for it, or none pinned.
    pub wrong_error: usize,
    /// Could not be read or decoded.
    pub unreadable: usize,
    /// Directory entries that could not be walked.
    pub walk_errors: usize,
    /// Documents whose root element no schema in `--schema-dir` fits.
    pub no_schema: usize,
    /// Documents not checked because their schema failed to load.
    pub not_checked: usize,
    /// Documents on which the validator failed internally.
    pub internal: usize,
    /// Files met while walking a named directory that no `[[check]]` covers.
    pub skipped: usize,
    /// Schema files named on their own that compiled.
    pub schemas_correct: usize,
    /// Entries listed (`--list`).
    pub listed: usize,
    /// Error records printed.
    pub errors: usize,
    /// Errors found but not printed (`--max-errors`).
    pub errors_not_shown: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.valid += o.valid;
        self.invalid += o.invalid;
        self.expected_invalid += o.expected_invalid;
        self.unexpectedly_valid += o.unexpectedly_valid;
        self.wrong_error += o.wrong_error;
        self.unreadable += o.unreadable;
        self.walk_errors += o.walk_errors;
        self.no_schema += o.no_schema;
        self.not_checked += o.not_checked;
        self.internal += o.internal;
        self.skipped += o.skipped;
        self.schemas_correct += o.schemas_correct;
        self.listed += o.listed;
        self.errors += o.errors;
        self.errors_not_shown += o.errors_not_shown;
    }

    /// Documents validated.
    pub fn checked(&self) -> usize {
        self.valid + self.invalid + self.expected_invalid + self.unexpectedly_valid
    }

    /// Whether anything other than schema failures makes the run fail.
    fn failed(&self) -> bool {
        self.invalid
            + self.unexpectedly_valid
            + self.wrong_error
            + self.unreadable
            + self.walk_errors
            + self.internal
            > 0
    }

    /// The closing line, worded so it cannot pass for a test runner's.
    pub fn summary(&self, expectations: bool, schema_failures: usize) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let checked = self.checked();
        let mut line = if checked == 0 && self.schemas_correct > 0 {
            format!(
                "rngcheck: {} correct, no documents checked",
                plural(self.schemas_correct, "schema", "schemas")
            )
        } else if checked == 0 {
            "rngcheck: no documents checked".to_string()
        } else {
            let mut parts = vec![format!("{} valid", self.valid)];
            if self.invalid > 0 || !expectations {
                parts.push(if expectations {
                    format!("{} invalid but expected valid", self.invalid)
                } else {
                    format!("{} invalid", self.invalid)
                });
            }
            if self.expected_invalid > 0 {
                parts.push(format!("{} invalid as expected", self.expected_invalid));
            }
            if self.wrong_error > 0 {
                parts.push(format!(
                    "{} of them not with the pinned error",
                    self.wrong_error
                ));
            }
            if self.unexpectedly_valid > 0 {
                parts.push(format!(
                    "{} valid but expected invalid",
                    self.unexpectedly_valid
                ));
            }
            format!(
                "rngcheck: {} checked: {}",
                plural(checked, "document", "documents"),
                parts.join(", ")
            )
        };
        let mut notes = Vec::new();
        if self.unreadable > 0 {
            notes.push(format!("{} unreadable", self.unreadable));
        }
        if self.walk_errors > 0 {
            notes.push(plural(self.walk_errors, "walk error", "walk errors"));
        }
        if self.no_schema > 0 {
            notes.push(format!(
                "{} with no schema for the root element",
                self.no_schema
            ));
        }
        if schema_failures > 0 || self.not_checked > 0 {
            notes.push(format!(
                "{} failed to load, {} not checked",
                plural(schema_failures, "schema", "schemas"),
                plural(self.not_checked, "document", "documents")
            ));
        }
        if self.internal > 0 {
            notes.push(format!("{} stopped by an internal error", self.internal));
        }
        if self.skipped > 0 {
            notes.push(format!(
                "{} skipped (met in a directory; no [[check]] covers them)",
                self.skipped
            ));
        }
        if self.schemas_correct > 0 && checked > 0 {
            notes.push(format!(
                "{} correct",
                plural(self.schemas_correct, "schema", "schemas")
            ));
        }
        if !notes.is_empty() {
            line.push_str("; ");
            line.push_str(&notes.join(", "));
        }
        line
    }
}

/// One entry's result, rendered on the worker.
#[derive(Debug, Default)]
struct Done {
    /// For standard output.
    out: String,
    /// For standard error (notes).
    note: String,
    tally: Tally,
    /// The schema that failed to load, whose errors go before `out`.
    schema_failed: Option<usize>,
    /// The schema the document was validated against.
    used: Option<usize>,
    /// With an expected-errors file: the document's key and its first
    /// error when it failed as expected (None otherwise).
    pin: Option<(String, Option<Pin>)>,
}

/// The run's result.
#[derive(Debug)]
pub struct RunResult {
    /// Added up over every entry.
    pub tally: Tally,
    /// How many schemas failed to load.
    pub schema_failures: usize,
    /// Standard output was closed early (a broken pipe): printing stopped.
    pub broken_pipe: bool,
    /// How many documents were validated against each schema (by index).
    pub used: BTreeMap<usize, usize>,
    /// With an expected-errors file: each document checked, by key, and its
    /// first error when it failed as expected.
    pub pinned: BTreeMap<String, Option<Pin>>,
    /// With coverage on: the counts of each schema (by index) that
    /// validated documents.
    pub coverage: BTreeMap<usize, Hits>,
}

impl RunResult {
    /// The exit code: 101 if rngcheck failed internally on a document (its
    /// name was printed), else 3 if a schema failed, else 2 if a document
    /// had no schema, else 1 if any document failed (or broke its
    /// expectation), else 0. A closed standard output changes nothing: the
    /// verdict is over what was checked.
    pub fn exit_code(&self) -> u8 {
        if self.tally.internal > 0 {
            EXIT_INTERNAL
        } else if self.schema_failures > 0 {
            EXIT_SCHEMA
        } else if self.tally.no_schema > 0 {
            EXIT_USAGE
        } else if self.tally.failed() {
            EXIT_INVALID
        } else {
            EXIT_VALID
        }
    }
}

/// A plan being run: the plan and its lazily compiled schemas.
struct Batch<'p> {
    plan: &'p Plan,
    settings: Settings,
    schemas: Vec<OnceLock<Result<Schema, SchemaErrors>>>,
    cancelled: AtomicBool,
    /// The expected-errors file, when one is in force.
    pins: Option<Pins>,
}

/// A schema being compiled on a thread of its own, started before the plan
/// is complete.
pub struct Prefetch {
    source: SchemaSource,
    compiling: std::thread::JoinHandle<Result<Schema, SchemaErrors>>,
}

impl Prefetch {
    /// Starts compiling `source` (None if no thread could be started: the
    /// run then compiles it when first needed, as usual).
    pub fn start(source: SchemaSource, id_checks: bool, coverage: bool) -> Option<Prefetch> {
        let for_thread = source.clone();
        let compiling = std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .name("rngcheck-schema".to_string())
            .spawn(move || load_schema(&for_thread, id_checks, coverage))
            .ok()?;
        Some(Prefetch { source, compiling })
    }
}

fn load_schema(
    source: &SchemaSource,
    id_checks: bool,
    coverage: bool,
) -> Result<Schema, SchemaErrors> {
    let options = |syntax| crate::LoadOptions {
        syntax,
        id_checks,
        coverage,
    };
    match source {
        SchemaSource::Embedded => Schema::embedded(options(None)),
        SchemaSource::File(path, syntax) => {
            Schema::load_with_options(path, &mut FsLoader, options(*syntax))
        }
    }
}

/// A document's bytes come from standard input or from a file opened once
/// (its size, read from the open file, decides whether it is streamed).
enum Input {
    Stdin,
    File(std::fs::File, u64),
}

fn open_document(source: &DocSource) -> Result<Input, String> {
    match source {
        DocSource::Stdin => Ok(Input::Stdin),
        DocSource::Path(path) => {
            let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            Ok(Input::File(file, size))
        }
    }
}

fn read_document(input: Result<Input, String>) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    let read = match input.map_err(ReadError::Io)? {
        Input::Stdin => std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes),
        Input::File(file, size) => {
            bytes.reserve_exact(usize::try_from(size).unwrap_or(0));
            // Through `Take`: `File::read_to_end` would stat the file and
            // seek again to size its buffer, which is sized already.
            std::io::Read::read_to_end(&mut std::io::Read::take(file, u64::MAX), &mut bytes)
        }
    };
    read.map_err(|e| ReadError::Io(io_reason(&e)))?;
    crate::encoding::decode(bytes).map_err(ReadError::Decode)
}

/// Runs the plan; prints reports (stdout), notes and the summary (stderr),
/// and the schema coverage when `settings.coverage`.
pub fn run(
    plan: &Plan,
    settings: Settings,
    prefetch: Option<Prefetch>,
    coverage_outputs: &super::coverage::Outputs,
) -> u8 {
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.unwrap_or(0))
        .stack_size(STACK_SIZE)
        .thread_name(|i| format!("rngcheck-{i}"))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("rngcheck: cannot start worker threads: {e}");
            return EXIT_USAGE;
        }
    };
    let pins = match &plan.expected_errors {
        Some(path) => match Pins::load(path, settings.bless) {
            Ok(pins) => Some(pins),
            Err(message) => {
                eprintln!("rngcheck: {message}");
                return EXIT_USAGE;
            }
        },
        None => None,
    };
    let batch = Batch {
        plan,
        settings,
        schemas: plan.schemas.iter().map(|_| OnceLock::new()).collect(),
        cancelled: AtomicBool::new(false),
        pins,
    };
    if let Some(prefetch) = prefetch {
        batch.adopt(prefetch);
    }
    if plan.schema_only {
        return batch.schema_only(&pool);
    }
    let result = batch.run_items(&pool);
    let mut stderr = std::io::stderr().lock();
    if let (Some(pins), true) = (&batch.pins, settings.bless) {
        if let Err(message) = bless(&mut stderr, pins, &result, plan, settings.quiet) {
            let _ = writeln!(stderr, "rngcheck: {message}");
            return EXIT_USAGE;
        }
    }
    // Before the summary line, which stays the last.
    let mut coverage_enough = true;
    if settings.coverage && !settings.list {
        let items = batch.coverage_items(&result.coverage);
        match super::coverage::report(&mut stderr, items, coverage_outputs) {
            Ok(enough) => coverage_enough = enough,
            Err(message) => {
                let _ = writeln!(stderr, "rngcheck: {message}");
                return EXIT_USAGE;
            }
        }
    }
    // Written with errors ignored: a closed standard error must not turn
    // the verdict into a crash.
    if !settings.quiet && !settings.list {
        let _ = writeln!(stderr, "{}", summary_line(plan, &result));
    }
    let mut code = run_exit_code(plan, &settings, &result);
    if !coverage_enough && code == EXIT_VALID {
        code = EXIT_INVALID;
    }
    let empty = empty_inputs(plan);
    if empty.is_empty() {
        return code;
    }
    let verdict = if settings.allow_empty {
        "note"
    } else {
        "error"
    };
    if !(settings.allow_empty && settings.quiet) {
        for input in &empty {
            let _ = writeln!(stderr, "rngcheck: {verdict}: nothing to check: {input}");
        }
    }
    code
}

/// The closing line people read: the counts, and the schemas used when the
/// user named none.
fn summary_line(plan: &Plan, result: &RunResult) -> String {
    let mut line = result
        .tally
        .summary(plan.expectations(), result.schema_failures);
    if plan.name_schemas {
        line.push_str(&schemas_used(plan, &result.used));
    }
    line
}

/// The run's exit code: the verdict over what was checked, or 2 when an
/// input had nothing to check (unless `--allow-empty`).
fn run_exit_code(plan: &Plan, settings: &Settings, result: &RunResult) -> u8 {
    let code = result.exit_code();
    if empty_inputs(plan).is_empty()
        || settings.allow_empty
        || code == EXIT_SCHEMA
        || code == EXIT_INTERNAL
    {
        code
    } else {
        EXIT_USAGE
    }
}

/// Writes the expected-errors file from the run (`--bless`).
fn bless(
    err: &mut dyn Write,
    pins: &Pins,
    result: &RunResult,
    plan: &Plan,
    quiet: bool,
) -> Result<(), String> {
    let (text, n) = pins.blessed(&result.pinned, &plan.doc_root);
    std::fs::write(&pins.path, text).map_err(|e| {
        format!(
            "cannot write {}: {}",
            pins.path.display(),
            crate::loader::io_reason(&e)
        )
    })?;
    if !quiet {
        let _ = writeln!(
            err,
            "rngcheck: blessed {}: {n} expected errors",
            pins.path.display()
        );
    }
    Ok(())
}

/// Each input that gave nothing to check, described; the whole run when it
/// had nothing to check at all.
fn empty_inputs(plan: &Plan) -> Vec<String> {
    let mut empty = plan.empty_inputs.clone();
    if empty.is_empty() && !plan.has_work() {
        empty.push(if plan.skipped > 0 {
            format!(
                "no document named or found is covered by a [[check]] ({} skipped)",
                plan.skipped
            )
        } else {
            "no document named or found".to_string()
        });
    }
    empty
}

/// `; schema: X` or `; schemas: X (n), Y (m)`: what the documents were
/// validated against, when the user named no schema.
fn schemas_used(plan: &Plan, used: &BTreeMap<usize, usize>) -> String {
    match used.len() {
        0 => String::new(),
        1 => used
            .keys()
            .map(|&i| format!("; schema: {}", plan.schemas[i].describe()))
            .collect(),
        _ => {
            let each: Vec<String> = used
                .iter()
                .map(|(&i, n)| format!("{} ({n})", plan.schemas[i].describe()))
                .collect();
            format!("; schemas: {}", each.join(", "))
        }
    }
}

impl<'p> Batch<'p> {
    /// Takes a schema compiled ahead of the run, if it is the plan's first
    /// (a panic while compiling leaves it to be compiled, and reported, as
    /// usual).
    fn adopt(&self, prefetch: Prefetch) {
        let matches = self.plan.schemas.first().map(|s| &s.source) == Some(&prefetch.source);
        if let (true, Ok(compiled)) = (matches, prefetch.compiling.join()) {
            let _ = self.schemas[0].set(compiled);
        }
    }

    /// Every coverage item of every schema compiled, with its counts.
    fn coverage_items(&self, hits: &BTreeMap<usize, Hits>) -> Vec<crate::coverage::CoveredItem> {
        let none = Hits::default();
        let mut items = Vec::new();
        for (i, schema) in self.schemas.iter().enumerate() {
            if let Some(Ok(schema)) = schema.get() {
                items.extend(schema.coverage(hits.get(&i).unwrap_or(&none)));
            }
        }
        items
    }

    fn schema(&self, i: usize) -> &Result<Schema, SchemaErrors> {
        self.schemas[i].get_or_init(|| {
            let settings = &self.settings;
            load_schema(
                &self.plan.schemas[i].source,
                settings.id_checks,
                settings.coverage,
            )
        })
    }

    /// Only a schema was given: compile it, report its errors.
    fn schema_only(&self, pool: &rayon::ThreadPool) -> u8 {
        if self.settings.list {
            return EXIT_VALID;
        }
        let result = catch_unwind(AssertUnwindSafe(|| {
            pool.install(|| self.schema(0).as_ref().err().map(|_| ()))
        }));
        let display = &self.plan.schemas[0].display;
        let format = self.settings.format;
        let mut text = Vec::new();
        let (code, errors, line) = match result {
            Ok(None) => (
                EXIT_VALID,
                0,
                format!("rngcheck: {display}: schema is correct"),
            ),
            Ok(Some(())) => {
                let count = match self.schemas[0].get() {
                    Some(Err(errors)) => report::schema_errors(&mut text, format, errors),
                    _ => 0,
                };
                let line = format!("rngcheck: {display}: schema is incorrect");
                (EXIT_SCHEMA, count, line)
            }
            Err(_) => {
                let line =
                    format!("rngcheck: {display}: internal error while compiling the schema");
                (EXIT_INTERNAL, 0, line)
            }
        };
        if code == EXIT_VALID && !self.settings.quiet || code != EXIT_VALID && errors == 0 {
            eprintln!("{line}");
        }
        // The machine-read formats still get their whole output (an empty
        // SARIF log, a JSON summary).
        let summary = report::Summary {
            line,
            errors,
            schemas: vec![display.clone()],
            exit_code: code,
            ..report::Summary::default()
        };
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let _ = report::Stream::begin(format, &mut out).and_then(|mut stream| {
            stream.write(&mut out, &String::from_utf8_lossy(&text))?;
            stream.finish(&mut out, &summary)
        });
        code
    }

    fn run_items(&'p self, pool: &rayon::ThreadPool) -> RunResult {
        let items = &self.plan.items;
        let progress = (!self.settings.quiet && !self.settings.list && items.len() >= PROGRESS_MIN)
            .then(|| report::Progress::on_terminal(items.len()))
            .flatten();
        let (tx, rx) = mpsc::channel::<(usize, Vec<Done>)>();
        let threads = pool.current_num_threads().max(1);
        let block = block_size(items.len(), threads);
        // One set of validators per worker thread, kept for the whole run so
        // that each memo keeps paying off (rayon's `map_init` starts afresh
        // for every piece of work it splits off).
        let owned: Vec<Mutex<Validators<'p>>> =
            (0..threads).map(|_| Mutex::new(HashMap::new())).collect();
        let workers = &owned;
        let mut printer = Printer::new(self, progress);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                pool.install(|| {
                    items
                        .par_chunks(block)
                        .enumerate()
                        .for_each_with(tx, |tx, (b, chunk)| {
                            let slot = rayon::current_thread_index().unwrap_or(0) % threads;
                            let mut validators = match workers[slot].lock() {
                                Ok(guard) => guard,
                                Err(poisoned) => poisoned.into_inner(),
                            };
                            let done = chunk
                                .iter()
                                .map(|item| self.process_guarded(item, &mut validators))
                                .collect();
                            let _ = tx.send((b, done));
                        });
                });
            });
            // Blocks arrive in any order; reports are printed in plan order.
            let mut pending: BTreeMap<usize, Vec<Done>> = BTreeMap::new();
            let mut next = 0;
            for (b, dones) in rx {
                pending.insert(b, dones);
                while let Some(dones) = pending.remove(&next) {
                    next += 1;
                    dones.iter().for_each(|done| printer.print(done));
                }
            }
        });
        let mut coverage: BTreeMap<usize, Hits> = BTreeMap::new();
        for validators in &owned {
            let validators = match validators.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            for (&i, validator) in validators.iter() {
                if let Some(hits) = validator.coverage_hits() {
                    coverage.entry(i).or_default().merge(hits);
                }
            }
        }
        // The validators' memos are big: free them on both cores.
        pool.install(|| owned.into_par_iter().for_each(drop));
        let mut result = printer.finish();
        result.coverage = coverage;
        result
    }

    /// Schema `i`'s errors, rendered, and how many.
    fn render_schema_errors(&self, i: usize) -> (String, usize) {
        let mut buf = Vec::new();
        let count = match self.schemas[i].get() {
            Some(Err(errors)) => report::schema_errors(&mut buf, self.settings.format, errors),
            _ => {
                report::file_error(
                    &mut buf,
                    self.settings.format,
                    &self.plan.schemas[i].display,
                    "rngcheck::schema::load",
                    "the schema could not be compiled".to_string(),
                );
                1
            }
        };
        (String::from_utf8_lossy(&buf).into_owned(), count)
    }

    /// The totals for the closing record of the machine-read formats.
    fn summary(&self, result: &RunResult) -> report::Summary {
        let t = &result.tally;
        report::Summary {
            line: summary_line(self.plan, result),
            documents: t.checked(),
            valid: t.valid,
            invalid: t.invalid,
            expected_invalid: t.expected_invalid,
            unexpectedly_valid: t.unexpectedly_valid,
            errors: t.errors,
            errors_not_shown: t.errors_not_shown,
            // The schemas the run compiled (with `--schema-dir`, those of
            // the root elements met), not every one it could have.
            schemas: (self.plan.schemas.iter().zip(&self.schemas))
                .filter(|(_, compiled)| compiled.get().is_some())
                .map(|(spec, _)| spec.describe().to_string())
                .collect(),
            exit_code: run_exit_code(self.plan, &self.settings, result),
        }
    }

    /// [`Batch::process`], with a panic in the engine turned into a
    /// per-document error (the validators of that worker are dropped).
    fn process_guarded(&'p self, item: &Item, validators: &mut Validators<'p>) -> Done {
        if self.cancelled.load(Ordering::Relaxed) {
            return Done::default();
        }
        match catch_unwind(AssertUnwindSafe(|| self.process(item, validators))) {
            Ok(done) => done,
            Err(_) => {
                validators.clear();
                let file = match item {
                    Item::Doc { source, .. } => source.display(),
                    Item::WalkError { path, .. } => path.display().to_string(),
                    Item::Schema(i) => self.plan.schemas[*i].display.clone(),
                };
                let mut done = Done::default();
                done.tally.internal = 1;
                let mut buf = Vec::new();
                report::file_error(
                    &mut buf,
                    self.settings.format,
                    &file,
                    "rngcheck::internal",
                    "internal error in the validator (please report it with this document)"
                        .to_string(),
                );
                done.out = String::from_utf8_lossy(&buf).into_owned();
                done
            }
        }
    }

    fn process(&'p self, item: &Item, validators: &mut Validators<'p>) -> Done {
        let format = self.settings.format;
        let mut done = Done::default();
        let mut buf: Vec<u8> = Vec::new();
        match item {
            Item::WalkError { path, message } => {
                done.tally.walk_errors = 1;
                let out = &mut buf;
                report::file_error(
                    out,
                    format,
                    &path.display().to_string(),
                    "rngcheck::walk",
                    message.clone(),
                );
                if self.settings.list {
                    done.note = String::from_utf8_lossy(&buf).into_owned();
                    return done;
                }
            }
            Item::Schema(i) => {
                if self.settings.list {
                    done.tally.listed = 1;
                    done.out = format!("{}\t(schema)\n", self.plan.schemas[*i].display);
                    return done;
                }
                match self.schema(*i) {
                    Ok(_) => done.tally.schemas_correct = 1,
                    Err(_) => done.schema_failed = Some(*i),
                }
            }
            Item::Doc {
                source,
                schema,
                expect,
            } => self.document(source, *schema, *expect, validators, &mut buf, &mut done),
        }
        done.out.push_str(&String::from_utf8_lossy(&buf));
        done
    }

    fn document(
        &'p self,
        source: &DocSource,
        choice: Choice,
        expect: Expect,
        validators: &mut Validators<'p>,
        buf: &mut Vec<u8>,
        done: &mut Done,
    ) {
        let format = self.settings.format;
        // The name as a path for reports; only rendered if one is written.
        let path: std::borrow::Cow<std::path::Path> = match source {
            DocSource::Path(file) => file.as_path().into(),
            DocSource::Stdin => std::path::PathBuf::from(source.display()).into(),
        };
        let path = path.as_ref();
        if let (true, Choice::Fixed(i)) = (self.settings.list, choice) {
            done.tally.listed = 1;
            done.out = format!("{}\t{}\n", self.plan.schemas[i].display, source.display());
            return;
        }
        let input = open_document(source);
        let input = match (input, choice) {
            (Ok(Input::File(file, size)), choice)
                if self.settings.stream || crate::should_stream(size) =>
            {
                match self.stream_schema(file, choice) {
                    Ok((file, i)) => {
                        self.stream_document(file, path, i, expect, validators, buf, done);
                        return;
                    }
                    // The root element was not found in the head: read it all.
                    Err(file) => Ok(Input::File(file, size)),
                }
            }
            (input, _) => input,
        };
        let (text, mut undecodable) = match read_document(input) {
            Ok(text) => (text, None),
            Err(ReadError::Decode(e)) => {
                let outcome = Outcome::NotWellFormed(e.doc_error());
                (e.text, Some(outcome))
            }
            Err(ReadError::Io(reason)) => {
                done.tally.unreadable = 1;
                if self.settings.list {
                    let mut note = Vec::new();
                    report::unreadable(&mut note, format, path, &reason);
                    done.note = String::from_utf8_lossy(&note).into_owned();
                } else {
                    report::unreadable(buf, format, path, &reason);
                }
                return;
            }
        };
        let i = match choice {
            Choice::Fixed(i) => i,
            Choice::ByRoot(picker) => match undecodable.take().map_or_else(
                || self.root_schema(picker, &text),
                |o| Err(RootProblem::NotWellFormed(o)),
            ) {
                Ok(i) => i,
                Err(RootProblem::NotWellFormed(outcome)) => {
                    // No schema to pick: the document is reported as what it is.
                    if self.settings.list {
                        done.tally.invalid = 1;
                        let mut note = Vec::new();
                        report::document(
                            &mut note,
                            format,
                            path,
                            &text,
                            &outcome,
                            report::Shown::default(),
                        );
                        done.note = String::from_utf8_lossy(&note).into_owned();
                    } else {
                        self.verdict(path, &text, (&outcome, 0), expect, buf, done);
                    }
                    return;
                }
                Err(RootProblem::NoSchema(message)) => {
                    done.tally.no_schema = 1;
                    let mut report = Vec::new();
                    report::file_error(
                        &mut report,
                        format,
                        &source.display(),
                        "rngcheck::doc::no_schema",
                        message,
                    );
                    if self.settings.list {
                        done.note = String::from_utf8_lossy(&report).into_owned();
                    } else {
                        buf.extend_from_slice(&report);
                    }
                    return;
                }
            },
        };
        if self.settings.list {
            done.tally.listed = 1;
            done.out = format!("{}\t{}\n", self.plan.schemas[i].display, source.display());
            return;
        }
        let schema = match self.schema(i) {
            Ok(schema) => schema,
            Err(_) => {
                done.tally.not_checked = 1;
                done.schema_failed = Some(i);
                return;
            }
        };
        done.used = Some(i);
        let (outcome, unrecorded) = match undecodable {
            Some(outcome) => (outcome, 0),
            None => {
                let validator = self.validator_for(i, schema, validators);
                let outcome = validate_text(validator, &text);
                validator.commit_coverage(counts_for_coverage(&outcome, expect));
                (outcome, validator.unrecorded())
            }
        };
        self.verdict(path, &text, (&outcome, unrecorded), expect, buf, done);
    }

    /// The worker's validator for schema `i`, made on first use.
    fn validator_for<'v>(
        &self,
        i: usize,
        schema: &'p Schema,
        validators: &'v mut Validators<'p>,
    ) -> &'v mut Validator<'p> {
        validators.entry(i).or_insert_with(|| {
            let mut v = schema.validator();
            if let Some(n) = self.settings.max_errors {
                v.set_max_errors(n);
            }
            if self.settings.coverage {
                v.enable_coverage();
            }
            v
        })
    }

    /// Validates a file from a streaming reader: bounded memory, positions
    /// carried in the errors, no snippets.
    #[allow(clippy::too_many_arguments)]
    fn stream_document(
        &'p self,
        file: std::fs::File,
        path: &std::path::Path,
        i: usize,
        expect: Expect,
        validators: &mut Validators<'p>,
        buf: &mut Vec<u8>,
        done: &mut Done,
    ) {
        let schema = match self.schema(i) {
            Ok(schema) => schema,
            Err(_) => {
                done.tally.not_checked = 1;
                done.schema_failed = Some(i);
                return;
            }
        };
        done.used = Some(i);
        let reader = std::io::BufReader::with_capacity(1 << 16, file);
        let validator = self.validator_for(i, schema, validators);
        let outcome = crate::validate_reader(validator, reader);
        validator.commit_coverage(counts_for_coverage(&outcome, expect));
        let unrecorded = validator.unrecorded();
        self.verdict(path, "", (&outcome, unrecorded), expect, buf, done);
    }

    /// Counts and reports a document's outcome (and how many errors the
    /// validator did not record) against its expectation.
    fn verdict(
        &self,
        path: &std::path::Path,
        text: &str,
        (outcome, unrecorded): (&Outcome, usize),
        expect: Expect,
        buf: &mut Vec<u8>,
        done: &mut Done,
    ) {
        let format = self.settings.format;
        let shown = report::Shown {
            limit: self.settings.max_errors,
            unrecorded,
        };
        let document = |buf: &mut Vec<u8>, tally: &mut Tally| {
            let written = report::document(buf, format, path, text, outcome, shown);
            tally.errors += written.errors;
            tally.errors_not_shown += written.not_shown;
        };
        // Rendered only when something is reported (not for a valid document).
        let name = || path.display().to_string();
        let errors = match outcome {
            Outcome::Valid => 0,
            Outcome::Invalid(errors) => errors.len() + unrecorded,
            Outcome::NotWellFormed(_) => 1,
        };
        let wrong_error = match &self.pins {
            Some(pins) => self.check_pin(pins, path, text, outcome, expect, buf, done),
            None => false,
        };
        match (outcome.is_valid(), expect) {
            (true, Expect::Invalid) => {
                done.tally.unexpectedly_valid = 1;
                report::file_error(
                    buf,
                    format,
                    &name(),
                    "rngcheck::expect::invalid",
                    "expected invalid, but it is valid".to_string(),
                );
            }
            (true, _) => done.tally.valid = 1,
            (false, Expect::Invalid) => {
                done.tally.expected_invalid = 1;
                if self.settings.show_expected {
                    report::heading(
                        buf,
                        format,
                        &name(),
                        &format!("invalid, as expected ({}):", plural_errors(errors)),
                    );
                    document(buf, &mut done.tally);
                } else if wrong_error {
                    document(buf, &mut done.tally);
                }
            }
            (false, Expect::Valid) => {
                done.tally.invalid = 1;
                report::heading(
                    buf,
                    format,
                    &name(),
                    &format!("expected valid: {}", plural_errors(errors)),
                );
                document(buf, &mut done.tally);
            }
            (false, Expect::Nothing) => {
                done.tally.invalid = 1;
                document(buf, &mut done.tally);
            }
        }
    }

    /// With an expected-errors file: notes the document's first error (for
    /// `--bless`), and unless blessing, fails a document that is invalid as
    /// expected but not with the pinned error; returns whether it did.
    #[allow(clippy::too_many_arguments)]
    fn check_pin(
        &self,
        pins: &Pins,
        path: &std::path::Path,
        text: &str,
        outcome: &Outcome,
        expect: Expect,
        buf: &mut Vec<u8>,
        done: &mut Done,
    ) -> bool {
        let key = pins::doc_key(path, &self.plan.doc_root);
        let got = match expect {
            Expect::Invalid => pins::first_error(text, outcome),
            _ => None,
        };
        done.pin = Some((key.clone(), got.clone()));
        let Some(got) = got.filter(|_| !self.settings.bless) else {
            return false;
        };
        let message = match pins.get(&key) {
            Some(pinned) if *pinned == got => return false,
            Some(pinned) => {
                format!("expected to fail with {pinned}, but fails with {got}")
            }
            None => format!(
                "fails with {got}, but {} pins no error for it (--bless pins it)",
                pins.path.display()
            ),
        };
        done.tally.wrong_error = 1;
        report::file_error(
            buf,
            self.settings.format,
            &path.display().to_string(),
            "rngcheck::expect::error",
            message,
        );
        true
    }

    /// The schema for a document to be streamed: fixed, or picked by the
    /// root element found in the file's first bytes (the file is rewound).
    fn stream_schema(
        &self,
        mut file: std::fs::File,
        choice: Choice,
    ) -> Result<(std::fs::File, usize), std::fs::File> {
        use std::io::{Read, Seek};
        let picker = match choice {
            Choice::Fixed(i) => return Ok((file, i)),
            Choice::ByRoot(picker) => picker,
        };
        let mut head = Vec::new();
        let read = (&mut file).take(64 * 1024).read_to_end(&mut head);
        let rewound = file.rewind();
        if read.is_err() || rewound.is_err() {
            return Err(file);
        }
        let head = crate::encoding::decode_head(&head);
        match sniff_root(&head).map(|local| self.plan.pickers[picker].pick(local)) {
            Some(Ok(i)) => Ok((file, i)),
            _ => Err(file),
        }
    }

    fn root_schema(&self, picker: usize, text: &str) -> Result<usize, RootProblem> {
        let parsed;
        let local = match sniff_root(text) {
            Some(local) => local,
            None => match crate::validate::events::parse_document(text) {
                Ok(doc) => {
                    parsed = doc;
                    parsed.root_element().tag_name().name()
                }
                Err(e) => return Err(RootProblem::NotWellFormed(Outcome::NotWellFormed(e))),
            },
        };
        self.plan.pickers[picker].pick(local).map_err(|message| {
            RootProblem::NoSchema(if is_relax_ng(text) {
                swapped_message("this file")
            } else {
                message
            })
        })
    }
}

/// Whether a document's matches count for coverage: it is valid, and not
/// a negative test (one that is valid by mistake shows nothing of the schema).
fn counts_for_coverage(outcome: &Outcome, expect: Expect) -> bool {
    outcome.is_valid() && expect != Expect::Invalid
}

enum RootProblem {
    NotWellFormed(Outcome),
    NoSchema(String),
}

/// A worker's validators, one per schema, made on first use.
type Validators<'p> = HashMap<usize, Validator<'p>>;

/// How many entries a worker takes at a time: big enough that handing
/// results to the printing thread costs little (one message, one wake-up per
/// block), small enough that every core gets several blocks and the progress
/// bar moves.
fn block_size(entries: usize, threads: usize) -> usize {
    (entries / (threads * 8)).clamp(1, 32)
}

/// The calling thread's side of a run: prints each entry's report in plan
/// order, adds up the tally, drives the progress bar and notices a closed
/// standard output.
struct Printer<'b, 'p> {
    batch: &'b Batch<'p>,
    progress: Option<report::Progress>,
    /// Standard output in the run's format (None with `--list`).
    stream: Option<report::Stream>,
    tally: Tally,
    schema_reported: Vec<bool>,
    broken_pipe: bool,
    used: BTreeMap<usize, usize>,
    pinned: BTreeMap<String, Option<Pin>>,
}

impl<'b, 'p> Printer<'b, 'p> {
    fn new(batch: &'b Batch<'p>, progress: Option<report::Progress>) -> Self {
        let mut printer = Printer {
            batch,
            progress,
            stream: None,
            tally: Tally {
                skipped: batch.plan.skipped,
                ..Tally::default()
            },
            schema_reported: vec![false; batch.schemas.len()],
            broken_pipe: false,
            used: BTreeMap::new(),
            pinned: BTreeMap::new(),
        };
        if !batch.settings.list {
            let begun = report::Stream::begin(batch.settings.format, &mut std::io::stdout().lock());
            match begun {
                Ok(stream) => printer.stream = Some(stream),
                Err(e) => printer.write_failed(&e),
            }
        }
        printer
    }

    fn write_failed(&mut self, e: &std::io::Error) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            self.broken_pipe = true;
            self.stop_once_failed();
        }
    }

    fn print(&mut self, done: &Done) {
        if let Some(bar) = &mut self.progress {
            bar.inc();
        }
        self.tally.add(&done.tally);
        if let Some(i) = done.used {
            *self.used.entry(i).or_default() += 1;
        }
        if let Some((key, pin)) = &done.pin {
            self.pinned.insert(key.clone(), pin.clone());
        }
        let mut text = String::new();
        if let Some(s) = done.schema_failed {
            if !self.schema_reported[s] {
                self.schema_reported[s] = true;
                let (errors, count) = self.batch.render_schema_errors(s);
                self.tally.errors += count;
                if !self.broken_pipe {
                    text.push_str(&errors);
                }
            }
        }
        if self.broken_pipe {
            self.stop_once_failed();
            return;
        }
        text.push_str(&done.out);
        let quiet = self.batch.settings.quiet;
        let stream = &mut self.stream;
        let mut write = || -> std::io::Result<()> {
            if !text.is_empty() {
                let mut out = std::io::stdout().lock();
                match stream {
                    Some(stream) => stream.write(&mut out, &text)?,
                    None => out.write_all(text.as_bytes())?,
                }
                out.flush()?;
            }
            if !done.note.is_empty() && !quiet {
                let _ = std::io::stderr().write_all(done.note.as_bytes());
            }
            Ok(())
        };
        let quiet_note = done.note.is_empty() || quiet;
        let written = match &self.progress {
            _ if text.is_empty() && quiet_note => Ok(()),
            Some(bar) => bar.suspend(write),
            None => write(),
        };
        if let Err(e) = written {
            self.write_failed(&e);
        }
    }

    /// With nowhere left to print, the rest of the run can only change a
    /// verdict that is not a failure yet: stop once it is one, else go on
    /// checking quietly so that a later failure still sets the exit code.
    fn stop_once_failed(&self) {
        if self.tally.failed() || self.tally.no_schema > 0 || self.schema_reported.contains(&true) {
            self.batch.cancelled.store(true, Ordering::Relaxed);
        }
    }

    /// Removes the progress bar and closes the output (SARIF's log, the
    /// summary record).
    fn finish(self) -> RunResult {
        if let Some(bar) = self.progress {
            bar.finish();
        }
        let mut result = RunResult {
            tally: self.tally,
            schema_failures: self.schema_reported.iter().filter(|&&r| r).count(),
            broken_pipe: self.broken_pipe,
            used: self.used,
            pinned: self.pinned,
            coverage: BTreeMap::new(),
        };
        if let (Some(stream), false) = (self.stream, result.broken_pipe) {
            let summary = self.batch.summary(&result);
            if let Err(e) = stream.finish(&mut std::io::stdout().lock(), &summary) {
                result.broken_pipe = e.kind() == std::io::ErrorKind::BrokenPipe;
            }
        }
        result
    }
}

fn plural_errors(n: usize) -> String {
    if n == 1 {
        "1 error".to_string()
    } else {
        format!("{n} errors")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_wording() {
        let t = Tally {
            valid: 2906,
            expected_invalid: 57,
            ..Tally::default()
        };
        assert_eq!(
            t.summary(true, 0),
            "rngcheck: 2963 documents checked: 2906 valid, 57 invalid as expected"
        );
        let t = Tally {
            valid: 1,
            invalid: 2,
            unreadable: 1,
            walk_errors: 1,
            skipped: 3,
            ..Tally::default()
        };
        assert_eq!(
            t.summary(false, 0),
            "rngcheck: 3 documents checked: 1 valid, 2 invalid; 1 unreadable, 1 walk error, \
             3 skipped (met in a directory; no [[check]] covers them)"
        );
        assert_eq!(
            Tally::default().summary(false, 0),
            "rngcheck: no documents checked"
        );
        let t = Tally {
            not_checked: 2963,
            ..Tally::default()
        };
        assert_eq!(
            t.summary(true, 16),
            "rngcheck: no documents checked; 16 schemas failed to load, 2963 documents not checked"
        );
        let t = Tally {
            valid: 1,
            unexpectedly_valid: 1,
            invalid: 1,
            ..Tally::default()
        };
        assert_eq!(
            t.summary(true, 0),
            "rngcheck: 3 documents checked: 1 valid, 1 invalid but expected valid, \
             1 valid but expected invalid"
        );
    }

    #[test]
    fn exit_codes() {
        let tally = |f: fn(&mut Tally)| {
            let mut t = Tally::default();
            f(&mut t);
            t
        };
        let cases = [
            // (tally, schemas that failed, exit code)
            (
                tally(|t| {
                    t.valid = 3;
                    t.expected_invalid = 1;
                }),
                0,
                0,
            ),
            (tally(|t| t.unexpectedly_valid = 1), 0, 1),
            (
                tally(|t| {
                    t.expected_invalid = 1;
                    t.wrong_error = 1;
                }),
                0,
                1,
            ),
            (tally(|t| t.walk_errors = 1), 0, 1),
            (tally(|t| t.invalid = 1), 1, 3),
            (tally(|t| t.skipped = 4), 0, 0),
            (tally(|t| t.no_schema = 1), 0, 2),
            (tally(|t| t.no_schema = 1), 1, 3),
            (tally(|t| t.internal = 1), 0, 101),
            (
                tally(|t| {
                    t.internal = 1;
                    t.invalid = 2;
                }),
                1,
                101,
            ),
        ];
        for (tally, schema_failures, code) in cases {
            let result = RunResult {
                tally,
                schema_failures,
                broken_pipe: false,
                used: BTreeMap::new(),
                pinned: BTreeMap::new(),
                coverage: BTreeMap::new(),
            };
            assert_eq!(
                result.exit_code(),
                code,
                "{tally:?}, {schema_failures} schemas failed"
            );
        }
    }
}
