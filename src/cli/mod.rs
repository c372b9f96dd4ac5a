//! The command line: arguments, reading files, rendering reports, exit codes.
//!
//! The only module that touches the file system for documents, prints, or
//! picks exit codes. Per-file problems are reported and counted; they never
//! stop the run.
//!
//! Layers, as in ripgrep: [`Args`] is what clap parsed (the low half);
//! [`plan::build`] turns it into a [`plan::Plan`] (which schemas, which
//! documents, what each must be); [`batch::run`] validates in parallel and
//! prints; [`report`] renders.

pub mod batch;
pub mod config;
pub mod coverage;
pub mod discover;
pub mod pins;
pub mod plan;
#[cfg(test)]
mod render_tests;
pub mod report;
pub mod schema_dir;
pub mod walk;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, ValueEnum};

/// Exit code: every document valid.
pub const EXIT_VALID: u8 = 0;
/// Exit code: some document invalid or not well-formed.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: bad usage.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the schema is incorrect or could not be loaded.
pub const EXIT_SCHEMA: u8 = 3;
/// Exit code: rngcheck itself failed (a panic: a bug to report), as Rust
/// exits after an uncaught panic; never a verdict on the input.
pub const EXIT_INTERNAL: u8 = 101;

/// Validate XML documents against a RELAX NG schema.
///
/// The first argument is the schema when it is one (named .rng or .rnc,
/// read with --compact, or a file whose root element is RELAX NG), or give
/// it with --schema FILE. With only a schema, only checks the schema.
/// Directories are walked. `-` reads a document from standard input.
///
/// With no schema: the checks of an rngcheck.toml found here or in a parent
/// directory; or else each document's schema is discovered by its root
/// element, from (1) the src/conf/schemas or docs/schemas directory of an
/// enclosing libvirt checkout, (2) an installed libvirt's
/// /usr/share/libvirt/schemas (or that of the virsh on PATH), (3) the
/// embedded domain schema, for <domain> only. The embedded schema is only a
/// subset of libvirt's domain format (the common parts, and disk backing
/// chains in detail; it rejects about a third of libvirt's own valid domain
/// test documents): for the full one, run inside a libvirt checkout,
/// install libvirt, or name libvirt's domain.rng. The summary line names
/// the schema used.
///
/// Exit codes: 0 all valid (or every expectation held), 1 some document
/// invalid, not well-formed or unreadable (or an expectation broken),
/// 2 usage error (also: no schema for a document, nothing to check),
/// 3 schema incorrect or not loadable.
#[derive(Parser, Debug)]
#[command(name = "rngcheck", version, about, long_about)]
pub struct Args {
    /// The schema (.rng or .rnc), then documents or directories; or only
    /// documents and directories.
    #[arg(value_name = "SCHEMA_OR_FILE")]
    pub paths: Vec<PathBuf>,

    /// The schema, named explicitly (then every path is a document).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["schema_dir", "config", "default_schema"])]
    pub schema: Option<PathBuf>,

    /// Exit 0 when nothing is checked (an empty directory, a check whose
    /// paths match nothing) instead of failing with exit code 2.
    #[arg(long)]
    pub allow_empty: bool,

    /// How to print errors.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Colour in `human` output: auto = on a terminal unless NO_COLOR is
    /// set; FORCE_COLOR or CLICOLOR_FORCE (not 0) turn it on.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Report at most N errors per document, then how many more there
    /// were (0: none, only the count; the verdict is the same).
    #[arg(long, value_name = "N")]
    pub max_errors: Option<usize>,

    /// Read the schema as compact syntax whatever its extension.
    #[arg(long)]
    pub compact: bool,

    /// Turn off the DTD-compatibility ID/IDREF checks (as jing's -i does;
    /// some real schemas, OpenDocument's among them, need it).
    #[arg(long)]
    pub no_id_checks: bool,

    /// Use the embedded domain schema (a subset of libvirt's format) for
    /// every document: no discovery, no rngcheck.toml.
    #[arg(long)]
    pub default_schema: bool,

    /// Pick each document's schema in DIR by its root element, as
    /// virt-xml-validate does (domain → domain.rng, pool → storagepool.rng…;
    /// otherwise <root>.rng).
    #[arg(long, value_name = "DIR")]
    pub schema_dir: Option<PathBuf>,

    /// Read schemas and paths from this config file (default: rngcheck.toml
    /// in the current directory or a parent, when no schema is given).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Do not look for rngcheck.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Resolve the config's relative paths against DIR instead of the
    /// config file's directory.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// File extensions taken when walking directories (comma-separated).
    #[arg(
        long,
        value_name = "EXT,...",
        value_delimiter = ',',
        default_value = "xml"
    )]
    pub ext: Vec<String>,

    /// Follow symbolic links when walking directories.
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Validate with at most N threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Documents whose name ends with SUFFIX must be invalid, the others
    /// valid; the exit code says whether every expectation held.
    #[arg(long, value_name = "SUFFIX", allow_hyphen_values = true)]
    pub expect_invalid_suffix: Option<String>,

    /// Also print the errors of documents that are invalid as expected.
    #[arg(long)]
    pub show_expected: bool,

    /// Print `schema<TAB>document` for each check instead of validating.
    #[arg(long)]
    pub list: bool,

    /// No progress bar, notes or summary line; errors only.
    #[arg(short, long)]
    pub quiet: bool,

    /// Pin each expected-invalid document to its first error (line, column,
    /// code, name) in FILE (also the config key `expected_errors`): a
    /// document failing differently fails the run, naming both errors.
    #[arg(long, value_name = "FILE")]
    pub expected_errors: Option<PathBuf>,

    /// Write the expected-errors file from this run (sorted; entries of
    /// documents not checked this run are kept while their file exists).
    #[arg(long)]
    pub bless: bool,

    /// Report which parts of the schema the valid documents matched: a
    /// summary on stderr, uncovered items as `file:line:col` lines.
    #[arg(long)]
    pub coverage: bool,

    /// Write schema coverage as JSON, every item with its hits (implies --coverage).
    #[arg(long, value_name = "FILE")]
    pub coverage_json: Option<PathBuf>,

    /// Write schema coverage as an lcov tracefile, for genhtml (implies --coverage).
    #[arg(long, value_name = "FILE")]
    pub coverage_lcov: Option<PathBuf>,

    /// Exit 1 when total schema coverage is below PCT percent (implies --coverage).
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub coverage_fail_under: Option<f64>,

    /// Validate from a streaming reader instead of a tree (bounded memory,
    /// no source snippets). Automatic for files over 64 MiB.
    #[arg(long)]
    pub stream: bool,

    /// Print a completion script for SHELL and exit.
    #[arg(long, value_enum, value_name = "SHELL", exclusive = true)]
    pub completions: Option<clap_complete::Shell>,

    /// Print the man page (roff) and exit.
    #[arg(long, exclusive = true)]
    pub man: bool,
}

/// Why `--expected-errors`/`--bless` cannot work with this plan, if so.
fn pin_usage_error(args: &Args, plan: &plan::Plan) -> Option<&'static str> {
    if plan.expected_errors.is_none() {
        return args
            .bless
            .then_some("--bless needs an expected-errors file (--expected-errors FILE or the config's expected_errors)");
    }
    (!plan.expectations()).then_some(
        "expected errors need expected-invalid documents: --expect-invalid-suffix or the config's invalid_suffix",
    )
}

/// A percentage from 0 to 100.
fn parse_percent(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("{s:?} is not a percentage from 0 to 100")),
    }
}

impl Args {
    /// Whether any coverage output was asked for.
    pub fn wants_coverage(&self) -> bool {
        self.coverage
            || self.coverage_json.is_some()
            || self.coverage_lcov.is_some()
            || self.coverage_fail_under.is_some()
    }
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Drawn reports: source line, underline, label, help.
    Human,
    /// The reports as plain statements, for screen readers.
    Narrated,
    /// One `file:line:col: error: message` line per error.
    Short,
    /// One JSON object per error, then a summary object.
    Json,
    /// One SARIF 2.1.0 log (code scanning, SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`), one per error.
    Github,
    /// A GitLab Code Quality report (JSON array of issues).
    Gitlab,
}

/// When `human` output has colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal without NO_COLOR, or with FORCE_COLOR/CLICOLOR_FORCE.
    Auto,
    /// Always, even into a pipe or file.
    Always,
    /// Never.
    Never,
}

/// Parses the arguments and runs, on a thread with a large stack (deeply
/// nested schemas recurse in the schema compiler).
pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_VALID
            });
        }
    };
    let worker = std::thread::Builder::new()
        .stack_size(512 * 1024 * 1024)
        .spawn(move || run(&args));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            eprintln!("rngcheck: internal error");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

/// Runs with parsed arguments; returns the exit code.
pub fn run(args: &Args) -> u8 {
    if let Some(shell) = args.completions {
        return print_generated(|out| {
            clap_complete::generate(shell, &mut Args::command(), "rngcheck", out);
            Ok(())
        });
    }
    if args.man {
        return print_generated(|out| clap_mangen::Man::new(Args::command()).render(out));
    }
    report::init_color(args.color);
    let id_checks = !args.no_id_checks;
    // Compile the schema while the documents are being listed (statting
    // thousands of paths takes about as long).
    let schema = match plan::schema_argument(args) {
        Ok(schema) => schema,
        Err(e) => {
            eprintln!("rngcheck: {}", e.message);
            return e.code;
        }
    };
    let prefetch = plan::first_schema(args, schema.as_ref())
        .and_then(|source| batch::Prefetch::start(source, id_checks, args.wants_coverage()));
    let plan = match plan::build(args, schema) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("rngcheck: {}", e.message);
            return e.code;
        }
    };
    if let Some(message) = pin_usage_error(args, &plan) {
        eprintln!("rngcheck: {message}");
        return EXIT_USAGE;
    }
    let settings = batch::Settings {
        format: args.format,
        max_errors: args.max_errors,
        jobs: args.jobs.map(usize::from),
        list: args.list,
        show_expected: args.show_expected,
        quiet: args.quiet,
        stream: args.stream,
        id_checks,
        allow_empty: args.allow_empty,
        bless: args.bless,
        coverage: args.wants_coverage(),
    };
    let coverage_outputs = coverage::Outputs {
        json: args.coverage_json.clone(),
        lcov: args.coverage_lcov.clone(),
        fail_under: args.coverage_fail_under,
        quiet: args.quiet,
    };
    batch::run(&plan, settings, prefetch, &coverage_outputs)
}

/// Prints a completion script or the man page; exit 0, or 2 if standard
/// output could not take it.
fn print_generated(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> u8 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match write(&mut out).and_then(|()| std::io::Write::flush(&mut out)) {
        Ok(()) => EXIT_VALID,
        Err(e) => {
            eprintln!("rngcheck: cannot write: {e}");
            EXIT_USAGE
        }
    }
}
