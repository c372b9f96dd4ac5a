//! The command line: arguments, reading files, rendering reports, exit codes.
//!
//! The only module that touches the file system for documents, prints, or
//! picks exit codes. Per-file problems are reported and counted; they never
//! stop the run.

mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use crate::loader::{decode_text, io_reason, FsLoader, MemLoader};
use crate::schema::{validate_text, Outcome, Schema};
use crate::syntax::SyntaxKind;

/// Exit code: every document valid.
pub const EXIT_VALID: u8 = 0;
/// Exit code: some document invalid or not well-formed.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: bad usage.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the schema is incorrect or could not be loaded.
pub const EXIT_SCHEMA: u8 = 3;

/// Validate XML documents against a RELAX NG schema.
///
/// With one argument ending in .rng or .rnc, only checks the schema. With no
/// schema (the first argument is a document), validates against the
/// embedded libvirt domain schema.
#[derive(Parser, Debug)]
#[command(name = "rngcheck", version, about, long_about = None)]
pub struct Args {
    /// The schema (.rng or .rnc), then the documents; or only documents, to
    /// use the embedded libvirt domain schema.
    #[arg(required = true, value_name = "SCHEMA_OR_FILE")]
    pub paths: Vec<PathBuf>,

    /// How to print errors.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Report at most this many errors per document.
    #[arg(long, value_name = "N")]
    pub max_errors: Option<usize>,

    /// Read the schema as compact syntax whatever its extension.
    #[arg(long)]
    pub compact: bool,

    /// Use the embedded domain schema even if the first file looks like a schema.
    #[arg(long)]
    pub default_schema: bool,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Reports with source snippets (plain text when not a terminal).
    Human,
    /// One `file:line:col: error: message` line per error.
    Short,
    /// One JSON object per line per error.
    Json,
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
            ExitCode::from(EXIT_SCHEMA)
        }
    }
}

fn is_schema_path(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("rng") | Some("rnc")
    )
}

/// The embedded default schema: `schemas/*.rng`, compiled into the binary.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "domaincommon.rng",
        include_str!("../../schemas/domaincommon.rng"),
    ),
    (
        "basictypes.rng",
        include_str!("../../schemas/basictypes.rng"),
    ),
    (
        "storagecommon.rng",
        include_str!("../../schemas/storagecommon.rng"),
    ),
];

fn load_embedded() -> Result<Schema, crate::SchemaErrors> {
    let base = PathBuf::from("<embedded>");
    let mut loader = MemLoader::new(
        EMBEDDED
            .iter()
            .map(|(name, text)| (base.join(name), text.to_string())),
    );
    Schema::load_with(&base.join("domaincommon.rng"), &mut loader, None)
}

/// Runs with parsed arguments; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let (schema_result, documents) = if !args.default_schema && is_schema_path(&args.paths[0]) {
        let syntax = args.compact.then_some(SyntaxKind::Compact);
        (
            Schema::load_with(&args.paths[0], &mut FsLoader, syntax),
            &args.paths[1..],
        )
    } else {
        (load_embedded(), &args.paths[..])
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let schema = match schema_result {
        Ok(schema) => schema,
        Err(errors) => {
            report::schema_errors(&mut out, args.format, &errors);
            return EXIT_SCHEMA;
        }
    };
    let mut validator = schema.validator();
    if let Some(n) = args.max_errors {
        validator.set_max_errors(n);
    }
    let mut worst = EXIT_VALID;
    for path in documents {
        let outcome = match read_document(path) {
            Ok(text) => {
                let outcome = validate_text(&mut validator, &text);
                report::document(&mut out, args.format, path, &text, &outcome);
                outcome
            }
            Err(reason) => {
                report::unreadable(&mut out, args.format, path, &reason);
                Outcome::NotWellFormed(crate::diagnostic::DocError::not_well_formed(&reason, 0..0))
            }
        };
        if !outcome.is_valid() {
            worst = EXIT_INVALID;
        }
    }
    let _ = out.flush();
    worst
}

fn read_document(path: &Path) -> Result<String, String> {
    let bytes = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| io_reason(&e))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| io_reason(&e))?
    };
    decode_text(&bytes)
}
