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

mod document;
mod input;
mod print;
mod tally;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};

use rayon::prelude::*;

pub use self::input::Prefetch;
pub use self::tally::{RunResult, Tally};

use self::input::load_schema;
use self::print::Printer;
use self::tally::{empty_inputs, run_exit_code, summary_line};
use super::pins::{Pin, Pins};
use super::plan::{Item, Plan};
use super::{report, Format, EXIT_INTERNAL, EXIT_INVALID, EXIT_SCHEMA, EXIT_USAGE, EXIT_VALID};
use crate::coverage::Hits;
use crate::schema::{Schema, SchemaErrors};
use crate::validate::Validator;

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

/// A plan being run: the plan and its lazily compiled schemas.
struct Batch<'p> {
    plan: &'p Plan,
    settings: Settings,
    schemas: Vec<OnceLock<Result<Schema, SchemaErrors>>>,
    /// Whether a worker has started compiling each schema (another worker
    /// that needs it meanwhile waits).
    compiling: Vec<AtomicBool>,
    cancelled: AtomicBool,
    /// The expected-errors file, when one is in force.
    pins: Option<Pins>,
}

/// Runs the plan; prints reports (stdout), notes and the summary (stderr),
/// and the schema coverage when `settings.coverage`. Once per process: the
/// compiled schemas and the validators are not freed, as the process ends
/// with the run and freeing them would only delay its exit.
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
    let batch = std::mem::ManuallyDrop::new(Batch {
        plan,
        settings,
        schemas: plan.schemas.iter().map(|_| OnceLock::new()).collect(),
        compiling: plan
            .schemas
            .iter()
            .map(|_| AtomicBool::new(false))
            .collect(),
        cancelled: AtomicBool::new(false),
        pins,
    });
    if let Some(prefetch) = prefetch {
        batch.adopt(prefetch);
    }
    if plan.schema_only {
        return batch.schema_only(&pool);
    }
    let (result, stream, mut merge) = batch.run_items(&pool);
    // The closing record of the output (JSON's summary, SARIF's
    // invocation) is written last, with the run's final exit code and what
    // failed besides the documents.
    let close = |code: u8, failures: Vec<String>| {
        batch.close_output(stream, &result, code, failures);
        code
    };
    let mut stderr = std::io::stderr().lock();
    if let (Some(pins), true) = (&batch.pins, settings.bless) {
        if let Err(message) = bless(&mut stderr, pins, &result, plan, settings.quiet) {
            let _ = writeln!(stderr, "rngcheck: {message}");
            return close(EXIT_USAGE, vec![message]);
        }
    }
    // Before the summary line, which stays the last.
    let mut failures = Vec::new();
    if settings.coverage && !settings.list {
        let items = batch.coverage_items(&mut merge, &result.coverage);
        match super::coverage::report(&mut stderr, &items, coverage_outputs) {
            Ok(shortfall) => failures.extend(shortfall),
            Err(message) => {
                let _ = writeln!(stderr, "rngcheck: {message}");
                return close(EXIT_USAGE, vec![message]);
            }
        }
    }
    // Written with errors ignored: a closed standard error must not turn
    // the verdict into a crash.
    if !settings.quiet && !settings.list {
        let _ = writeln!(stderr, "{}", summary_line(plan, &result));
    }
    let mut code = run_exit_code(plan, &settings, &result);
    if !failures.is_empty() && code == EXIT_VALID {
        code = EXIT_INVALID;
    }
    let empty = empty_inputs(plan);
    if empty.is_empty() {
        return close(code, failures);
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
    close(code, failures)
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

/// Each schema's counts, over the workers' validators (each worker's
/// added up on a thread of the pool).
fn collect_hits(
    pool: &rayon::ThreadPool,
    workers: &[Mutex<Validators<'_>>],
) -> BTreeMap<usize, Hits> {
    share_walks(workers);
    let per_worker: Vec<Vec<(usize, Hits)>> = pool.install(|| {
        workers
            .par_iter()
            .map(|validators| {
                let mut validators = match validators.lock() {
                    Ok(guard) => guard,
                    Err(poisoned) => poisoned.into_inner(),
                };
                validators
                    .iter_mut()
                    .filter_map(|(&i, validator)| Some((i, validator.take_coverage_hits()?)))
                    .collect()
            })
            .collect()
    });
    let mut coverage: BTreeMap<usize, Hits> = BTreeMap::new();
    for (i, hits) in per_worker.into_iter().flatten() {
        coverage.entry(i).or_default().merge(&hits);
    }
    coverage
}

/// Shares the coverage walks still to be made among the workers'
/// validators of each schema, before each worker makes its own.
fn share_walks(workers: &[Mutex<Validators<'_>>]) {
    let mut guards: Vec<_> = workers
        .iter()
        .map(|w| match w.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        })
        .collect();
    let mut by_schema: BTreeMap<usize, Vec<&mut Validator<'_>>> = BTreeMap::new();
    for guard in &mut guards {
        for (&i, validator) in guard.iter_mut() {
            by_schema.entry(i).or_default().push(validator);
        }
    }
    for validators in by_schema.values_mut().filter(|v| v.len() > 1) {
        Validator::share_coverage_walks(validators);
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

    /// Every coverage item of every schema compiled, with its counts,
    /// merged by location (most of it merged during the run, see
    /// [`Batch::merge_compiled`]).
    fn coverage_items(
        &'p self,
        merge: &mut CoverageMerge<'p>,
        hits: &BTreeMap<usize, Hits>,
    ) -> Vec<crate::coverage::CoveredItem<'p>> {
        self.merge_compiled(merge, true);
        let none = Hits::default();
        let counts: Vec<_> = merge
            .included
            .iter()
            .map(|&(i, arena)| (arena, hits.get(&i).unwrap_or(&none)))
            .collect();
        merge.merged.counted(&counts)
    }

    /// Adds the coverage items of the schemas compiled since the last call
    /// to `merge`, in plan order (the first schema with an item gives its
    /// name), up to the first not compiled yet (`at_end`: past those that
    /// never were). Called between the workers' reports while documents are
    /// validated, which the report would otherwise wait for at the end.
    fn merge_compiled(&'p self, merge: &mut CoverageMerge<'p>, at_end: bool) {
        while let Some(schema) = self.schemas.get(merge.next) {
            match schema.get() {
                Some(Ok(schema)) => {
                    let (items, sources, arena) = schema.coverage_parts();
                    merge.merged.add(items, sources);
                    merge.included.push((merge.next, arena));
                }
                Some(Err(_)) => {}
                None if at_end => {}
                None => return,
            }
            merge.next += 1;
        }
        merge.merged.prepare();
    }

    fn schema(&self, i: usize) -> &Result<Schema, SchemaErrors> {
        self.schemas[i].get_or_init(|| {
            self.compiling[i].store(true, Ordering::Release);
            let settings = &self.settings;
            load_schema(
                &self.plan.schemas[i].source,
                settings.id_checks,
                settings.coverage,
            )
        })
    }

    /// Makes the worker's coverage walks (see `Validator::walk_coverage`)
    /// while another worker compiles schema `i`, which this one is about to
    /// wait for: work for the end of the run, done in time that would be
    /// idle.
    fn walk_while_compiled(&self, i: usize, validators: &mut Validators<'p>) {
        // Coverage first: without it, no document pays for the loads.
        let compiled_elsewhere =
            || self.schemas[i].get().is_none() && self.compiling[i].load(Ordering::Acquire);
        if self.settings.coverage && compiled_elsewhere() {
            validators.values_mut().for_each(Validator::walk_coverage);
        }
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

    /// Validates every item; returns the totals and standard output's
    /// stream, still open (see [`Batch::close_output`]).
    fn run_items(
        &'p self,
        pool: &rayon::ThreadPool,
    ) -> (RunResult, Option<report::Stream>, CoverageMerge<'p>) {
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
        let mut merge = CoverageMerge::default();
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
                if self.settings.coverage {
                    self.merge_compiled(&mut merge, false);
                }
            }
        });
        let coverage = if self.settings.coverage {
            collect_hits(pool, &owned)
        } else {
            BTreeMap::new()
        };
        // Not freed (see `run`).
        std::mem::forget(owned);
        let (mut result, stream) = printer.finish();
        result.coverage = coverage;
        (result, stream, merge)
    }

    /// Ends standard output (the summary record, SARIF's invocation) with
    /// the run's exit code and `failures`: what failed besides the
    /// documents (schema coverage below `--coverage-fail-under`, a file
    /// that could not be written). Nothing after a broken pipe.
    fn close_output(
        &self,
        stream: Option<report::Stream>,
        result: &RunResult,
        code: u8,
        failures: Vec<String>,
    ) {
        if let (Some(stream), false) = (stream, result.broken_pipe) {
            let summary = report::Summary {
                exit_code: code,
                failures,
                ..self.summary(result)
            };
            // A closed standard output changes nothing now.
            let _ = stream.finish(&mut std::io::stdout().lock(), &summary);
        }
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
}

/// A worker's validators, one per schema, made on first use.
type Validators<'p> = HashMap<usize, Validator<'p>>;

/// The coverage items of the schemas compiled so far, merged by location
/// (see `Batch::merge_compiled`): the next schema to add, and the index and
/// arena of each added.
#[derive(Default)]
struct CoverageMerge<'p> {
    merged: crate::coverage::MergedItems<'p>,
    next: usize,
    included: Vec<(usize, &'p crate::pattern::PatternArena)>,
}

/// How many entries a worker takes at a time: big enough that handing
/// results to the printing thread costs little (one message, one wake-up per
/// block), small enough that every core gets several blocks and the progress
/// bar moves.
fn block_size(entries: usize, threads: usize) -> usize {
    (entries / (threads * 8)).clamp(1, 32)
}
