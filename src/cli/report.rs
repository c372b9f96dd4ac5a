//! Rendering errors: `human`, `short` and `json`.
//!
//! Every error — in a document, in a schema, or about a whole file — becomes
//! one [`Record`] first, so the three formats say the same things. `human`
//! is miette's graphical report (source snippet, label, hint) on a terminal,
//! without colour when `NO_COLOR` is set, and miette's narrated text when
//! stdout is not a terminal.

use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::Path;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
    NarratableReportHandler,
};

use super::Format;
use crate::diagnostic::DocError;
use crate::schema::{Outcome, SchemaErrors};
use crate::source::SourceFile;

/// One error, ready for any format.
#[derive(Debug)]
pub struct Record {
    /// The file the error is in (or about).
    pub file: String,
    /// 1-based line; 0 when the error has no position.
    pub line: u32,
    /// 1-based column, in characters; 0 without position.
    pub column: u32,
    /// Stable code.
    pub code: &'static str,
    /// `error` (every record today; kept for tools).
    pub severity: &'static str,
    /// The message.
    pub message: String,
    /// What the error is about, as a byte range of `text`.
    pub span: Option<Range<usize>>,
    /// The element path in a document (`/domain/devices/disk[2]`).
    pub path: String,
    /// Names or values that would have been accepted.
    pub expected: Vec<String>,
    /// A hint (did you mean…, included from…).
    pub help: Option<String>,
    /// The file's text, for snippets.
    pub text: Option<String>,
}

impl Record {
    /// An error about a whole file, with no position (yet).
    fn about_file(file: &str, code: &'static str, message: String) -> Record {
        Record {
            file: file.to_string(),
            line: 0,
            column: 0,
            code,
            severity: "error",
            message,
            span: None,
            path: String::new(),
            expected: Vec::new(),
            help: None,
            text: None,
        }
    }
}

/// How `human` output looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HumanStyle {
    /// miette's graphical report, with or without colour.
    Graphical {
        /// Whether to use colour.
        color: bool,
    },
    /// miette's narrated text (one statement per line; no drawing).
    Narrated,
}

impl HumanStyle {
    /// Graphical on a terminal (colour unless `NO_COLOR`), narrated elsewhere.
    pub fn detect() -> HumanStyle {
        if std::io::stdout().is_terminal() {
            let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            HumanStyle::Graphical { color }
        } else {
            HumanStyle::Narrated
        }
    }
}

/// A record as a miette diagnostic.
struct Rendered<'r> {
    record: &'r Record,
    source: Option<NamedSource<String>>,
}

impl std::fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.record.message)
    }
}

impl std::fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.record.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.record.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let r = self.record;
        let at = (!r.path.is_empty()).then(|| format!("at {}", r.path));
        let parts: Vec<String> = at.into_iter().chain(r.help.clone()).collect();
        (!parts.is_empty()).then(|| Box::new(parts.join("; ")) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.record.span.clone()?;
        self.source.as_ref()?;
        let label = label_for(self.record.code);
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(label.to_string()),
            span,
        ))))
    }
}

fn label_for(code: &str) -> &'static str {
    match code.rsplit("::").next().unwrap_or("") {
        "invalid_attribute_value" => "this value",
        "unexpected_attribute" => "this attribute",
        "unexpected_element" | "unknown_element" | "unexpected_root" | "repeated_element"
        | "misplaced_element" => "this element",
        "missing_attribute" => "in this start tag",
        "incomplete_element" => "ends here",
        "text_not_allowed" | "invalid_text" => "this text",
        _ => "here",
    }
}

/// Renders one record in the `human` format.
pub fn render_human(record: &Record, style: HumanStyle, width: usize) -> String {
    let source = record
        .text
        .as_ref()
        .filter(|_| record.span.is_some())
        .map(|t| NamedSource::new(position_header(record), t.clone()));
    let rendered = Rendered { record, source };
    let mut out = String::new();
    let result = match style {
        HumanStyle::Graphical { color } => {
            let theme = if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            // The snippet's header names the record's own line and column
            // (the same as `short` and `json`), not the label's start.
            GraphicalReportHandler::new_themed(theme)
                .without_primary_span_start()
                .with_width(width)
                .render_report(&mut out, &rendered)
        }
        HumanStyle::Narrated => NarratableReportHandler::new().render_report(&mut out, &rendered),
    };
    if result.is_err() || out.is_empty() {
        out = format!(
            "{}:{}:{}: error: {}\n",
            record.file, record.line, record.column, record.message
        );
    }
    if style == HumanStyle::Narrated {
        // Narrated text names the position only inside the snippet; put the
        // familiar `file:line:col: error:` first so editors and people (and
        // grep) can jump there.
        out = if record.line > 0 {
            format!(
                "{}:{}:{}: error: {out}",
                record.file, record.line, record.column
            )
        } else {
            format!("{}: error: {out}", record.file)
        };
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `file:line:col` of a record, as every format reports it (jing's
/// convention: start-tag problems at the end of the start tag).
fn position_header(record: &Record) -> String {
    if record.line == 0 {
        record.file.clone()
    } else {
        format!("{}:{}:{}", record.file, record.line, record.column)
    }
}

fn print(out: &mut dyn Write, format: Format, record: &Record) {
    let r = record;
    let _ = match format {
        Format::Short => {
            let hint = r
                .help
                .as_ref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            writeln!(
                out,
                "{}:{}:{}: error: {}{hint}",
                r.file, r.line, r.column, r.message
            )
        }
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::json!({
                "file": r.file, "line": r.line, "column": r.column,
                "span": r.span.as_ref().map(|s| [s.start, s.end]), "path": r.path,
                "message": r.message, "expected": r.expected, "help": r.help,
                "code": r.code, "severity": r.severity,
            })
        ),
        Format::Human => write!(out, "{}", render_human(r, HumanStyle::detect(), 100)),
    };
}

/// The records of a document's outcome (none when it is valid).
pub fn document_records(path: &Path, text: &str, outcome: &Outcome) -> Vec<Record> {
    let errors: Vec<&DocError> = match outcome {
        Outcome::Valid => return Vec::new(),
        Outcome::Invalid(errors) => errors.iter().collect(),
        Outcome::NotWellFormed(e) => vec![e],
    };
    let doc = crate::validate::events::parse_document(text).ok();
    let file = SourceFile::detached(text);
    errors
        .into_iter()
        .map(|e| {
            // Streamed documents carry their positions; there is no text.
            let (line, column) = match e.line_col {
                Some(lc) => lc,
                None => {
                    let lc = file.line_col(e.at);
                    (lc.line, lc.column)
                }
            };
            let path_in_doc = doc
                .as_ref()
                .map(|d| crate::validate::events::element_path(d, e.span.start))
                .unwrap_or_default();
            let e = &match &doc {
                Some(d) => e.clone().with_document_prefixes(|uri| {
                    crate::validate::events::prefix_at(d, e.span.start, uri)
                }),
                None => e.clone(),
            };
            let related = e.related().filter(|_| !text.is_empty()).and_then(|r| {
                let lc = file.line_col(r);
                e.related_note(lc.line, lc.column)
            });
            let help = match (e.help.as_deref(), related) {
                (Some(h), Some(r)) => Some(format!("{h}; {r}")),
                (h, r) => h.map(str::to_string).or(r),
            };
            Record {
                file: path.display().to_string(),
                line,
                column,
                code: e.code,
                severity: "error",
                message: e.message.clone(),
                span: (!text.is_empty()).then(|| e.span.clone()),
                path: path_in_doc,
                expected: e.expected.clone(),
                help,
                text: (!text.is_empty()).then(|| text.to_string()),
            }
        })
        .collect()
}

/// Prints a document's errors (nothing when it is valid).
pub fn document(out: &mut dyn Write, format: Format, path: &Path, text: &str, outcome: &Outcome) {
    for record in document_records(path, text, outcome) {
        print(out, format, &record);
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
    print(out, format, &Record::about_file(file, code, message));
}

/// Introduces the errors of a document that broke an expectation ("expected
/// valid") or that is shown although its failure was expected. Nothing in
/// JSON, whose error records stand alone.
pub fn heading(out: &mut dyn Write, format: Format, file: &str, heading: &str) {
    if format != Format::Json {
        let _ = writeln!(out, "{file}: {heading}");
    }
}

/// The records of a schema's errors, each naming the includes that led to
/// its file.
pub fn schema_records(errors: &SchemaErrors) -> Vec<Record> {
    errors
        .errors
        .iter()
        .map(|e| {
            // Without a span the error is about the schema named (a missing file).
            let mut record = Record::about_file(
                &errors.path.display().to_string(),
                e.code,
                e.message.clone(),
            );
            if let Some(span) = e.span {
                let f = errors.sources.file(span.file);
                let lc = f.line_col(span.start as usize);
                record.file = f.path().display().to_string();
                record.line = lc.line;
                record.column = lc.column;
                record.span = Some(span.range());
                record.text = Some(f.text().to_string());
                let chain: Vec<String> = errors
                    .sources
                    .include_chain(span.file)
                    .into_iter()
                    .map(|r| {
                        let lc = errors.sources.line_col(r);
                        format!(
                            "{}:{}:{}",
                            errors.sources.file(r.file).path().display(),
                            lc.line,
                            lc.column
                        )
                    })
                    .collect();
                if !chain.is_empty() {
                    record.help = Some(format!("included from {}", chain.join(", from ")));
                }
            }
            record
        })
        .collect()
}

/// Prints schema errors.
pub fn schema_errors(out: &mut dyn Write, format: Format, errors: &SchemaErrors) {
    for record in schema_records(errors) {
        print(out, format, &record);
    }
}
