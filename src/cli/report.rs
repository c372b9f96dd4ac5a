//! Rendering errors: `human`, `short` and `json`.

use std::io::Write;
use std::path::Path;

use super::Format;
use crate::diagnostic::DocError;
use crate::schema::{Outcome, SchemaErrors};
use crate::source::SourceFile;

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let file = SourceFile::detached(text);
    let lc = file.line_col(offset);
    (lc.line, lc.column)
}

/// Prints a document's errors (nothing when it is valid).
pub fn document(out: &mut dyn Write, format: Format, path: &Path, text: &str, outcome: &Outcome) {
    let errors: Vec<&DocError> = match outcome {
        Outcome::Valid => return,
        Outcome::Invalid(errors) => errors.iter().collect(),
        Outcome::NotWellFormed(e) => vec![e],
    };
    let doc = crate::validate::events::parse_document(text).ok();
    for e in errors {
        let (line, column) = line_col(text, e.at);
        let path_in_doc = doc
            .as_ref()
            .map(|d| crate::validate::events::element_path(d, e.span.start))
            .unwrap_or_default();
        print_error(
            out,
            format,
            &path.display().to_string(),
            line,
            column,
            e,
            &path_in_doc,
            Some(text),
        );
    }
}

/// Prints a file that could not be read or decoded.
pub fn unreadable(out: &mut dyn Write, format: Format, path: &Path, reason: &str) {
    file_error(
        out,
        format,
        &path.display().to_string(),
        "rngcheck::doc::unreadable",
        format!("cannot read: {reason}"),
    );
}

/// Prints an error about a whole file (no position): a walk error, a
/// document no schema fits, a broken expectation.
pub fn file_error(
    out: &mut dyn Write,
    format: Format,
    file: &str,
    code: &'static str,
    message: String,
) {
    let e = DocError {
        code,
        message,
        span: 0..0,
        at: 0,
        expected: Vec::new(),
    };
    print_error(out, format, file, 0, 0, &e, "", None);
}

/// Introduces the errors of a document that broke an expectation ("expected
/// valid") or that is shown although its failure was expected. Nothing in
/// JSON, whose error records stand alone.
pub fn heading(out: &mut dyn Write, format: Format, file: &str, heading: &str) {
    if format != Format::Json {
        let _ = writeln!(out, "{file}: {heading}");
    }
}

#[allow(clippy::too_many_arguments)]
fn print_error(
    out: &mut dyn Write,
    format: Format,
    file: &str,
    line: u32,
    column: u32,
    e: &DocError,
    path: &str,
    text: Option<&str>,
) {
    let _ = match format {
        Format::Short => writeln!(out, "{file}:{line}:{column}: error: {}", e.message),
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::json!({
                "file": file, "line": line, "column": column,
                "span": [e.span.start, e.span.end], "path": path,
                "message": e.message, "expected": e.expected,
                "code": e.code, "severity": "error",
            })
        ),
        Format::Human if line == 0 => writeln!(out, "{file}: error: {}", e.message),
        Format::Human => {
            let snippet = text.map(|t| snippet(t, line)).unwrap_or_default();
            let at = if path.is_empty() {
                String::new()
            } else {
                format!(" (at {path})")
            };
            writeln!(
                out,
                "{file}:{line}:{column}: error: {}{at}\n{snippet}",
                e.message
            )
        }
    };
}

fn snippet(text: &str, line: u32) -> String {
    text.lines()
        .nth(line.saturating_sub(1) as usize)
        .map(|l| format!("  {line:>5} | {}\n", l.trim_end()))
        .unwrap_or_default()
}

/// Prints schema errors.
pub fn schema_errors(out: &mut dyn Write, format: Format, errors: &SchemaErrors) {
    for e in &errors.errors {
        let (file, line, column, text) = match e.span {
            Some(span) => {
                let f = errors.sources.file(span.file);
                let lc = f.line_col(span.start as usize);
                (
                    f.path().display().to_string(),
                    lc.line,
                    lc.column,
                    Some(f.text().to_string()),
                )
            }
            None => (String::from("<schema>"), 0, 0, None),
        };
        let _ = match format {
            Format::Short => writeln!(out, "{file}:{line}:{column}: error: {}", e.message),
            Format::Json => writeln!(
                out,
                "{}",
                serde_json::json!({
                    "file": file, "line": line, "column": column,
                    "span": e.span.map(|s| [s.start, s.end]), "path": "",
                    "message": e.message, "expected": [], "code": e.code, "severity": "error",
                })
            ),
            Format::Human => {
                let snip = text
                    .as_deref()
                    .map(|t| snippet(t, line))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{file}:{line}:{column}: schema error: {}\n{snip}",
                    e.message
                )
            }
        };
    }
}
