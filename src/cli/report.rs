//! Rendering errors: `human`, `narrated`, `short`, `json`, `sarif`,
//! `github` and `gitlab`; and the progress bar.
//!
//! Every error — in a document, in a schema, or about a whole file — becomes
//! one [`Record`] first, so every format says the same things. Workers render
//! a document's records to text; the printing thread passes that text
//! through a [`Stream`], which adds what a format needs around it (SARIF's
//! log object, GitLab's array, the closing summary of JSON and GitHub).
//!
//! A document's records share one [`SourceFile`] (its text and line starts),
//! so a document with thousands of errors is held once, not once per error.

use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NarratableReportHandler, SourceCode, SourceSpan, SpanContents,
};

use super::{ColorChoice, Format};
use crate::diagnostic::DocError;
use crate::schema::SchemaErrors;
use crate::source::{LineCol, SourceFile};
use crate::validate::Outcome;
use crate::ErrorKind;

/// Where the project lives (Cargo.toml's `repository`); SARIF's optional
/// `informationUri`, left out while the project has no public home.
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// Width of the drawn `human` report.
const HUMAN_WIDTH: usize = 100;

/// One error, ready for any format.
#[derive(Debug, Clone)]
pub struct Record {
    /// The file the error is in (or about).
    pub file: String,
    /// 1-based line where the error is reported; 0 when it has no position.
    pub line: u32,
    /// 1-based column, in characters; 0 without position.
    pub column: u32,
    /// Stable code.
    pub code: &'static str,
    /// `error` (every record today; kept for tools).
    pub severity: &'static str,
    /// The message.
    pub message: String,
    /// What the error is about, as a byte range of the file.
    pub span: Option<Range<usize>>,
    /// Line and column of the start and end of `span`, when the text is known.
    pub region: Option<(LineCol, LineCol)>,
    /// The element path in a document (`/domain/devices/disk[2]`).
    pub path: String,
    /// Names or values that would have been accepted.
    pub expected: Vec<String>,
    /// A hint (did you mean…, included from…).
    pub help: Option<String>,
    /// The file's text, for snippets; shared by every record of the file.
    pub source: Option<Arc<SourceFile>>,
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
            region: None,
            path: String::new(),
            expected: Vec::new(),
            help: None,
            source: None,
        }
    }
}

/// The codes only the command line reports (about a run, not a schema or a
/// document's content), with their SARIF rule descriptions.
const CLI_RULES: &[(&str, &str)] = &[
    (
        "rngcheck::doc::no_schema",
        "No schema for the document's root element.",
    ),
    (
        "rngcheck::expect::invalid",
        "A document expected to be invalid is valid.",
    ),
    (
        "rngcheck::expect::error",
        "An expected-invalid document fails with another first error than the one pinned for it.",
    ),
    ("rngcheck::walk", "A directory entry could not be read."),
    (
        "rngcheck::internal",
        "The validator failed internally on this document.",
    ),
    (
        "rngcheck::not_shown",
        "Errors past --max-errors: counted, not shown.",
    ),
];

/// Every error code, with the short description SARIF gives its rule: the
/// library's document kinds, the command line's own codes, then the schema
/// kinds (a rule's index is its place here). A unit test checks that every
/// code written in `src/` is here.
fn rules() -> impl Iterator<Item = (&'static str, &'static str)> {
    let kind = |k: &ErrorKind| (k.code(), k.description());
    let (schema, doc): (Vec<&ErrorKind>, Vec<&ErrorKind>) =
        ErrorKind::ALL.iter().partition(|k| k.is_schema());
    doc.into_iter()
        .map(kind)
        .chain(CLI_RULES.iter().copied())
        .chain(schema.into_iter().map(kind))
}

/// The index of `code` among the [`rules`].
fn rule_index(code: &str) -> Option<usize> {
    rules().position(|(c, _)| c == code)
}

static COLOR: OnceLock<bool> = OnceLock::new();

/// Decides once whether `human` output has colour: `always`/`never` as
/// asked; `auto` forces it with `FORCE_COLOR` or `CLICOLOR_FORCE` (set and
/// not `0`, as cargo and ripgrep read them), else colour on a terminal
/// unless `NO_COLOR` is set.
pub fn init_color(choice: ColorChoice) {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let _ = COLOR.set(color);
}

fn color() -> bool {
    *COLOR.get_or_init(|| false)
}

/// How `human` output looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HumanStyle {
    /// miette's drawn report, with or without colour.
    Graphical {
        /// Whether to use colour.
        color: bool,
    },
    /// miette's narrated text (one statement per line; no drawing).
    Narrated,
}

/// A file's text as miette reads it: only the lines around a span are
/// handed over, found through the file's line starts, so a snippet costs the
/// same at the end of a big document as at its start.
struct Snippet<'r> {
    /// The header above the snippet: the record's own position.
    name: String,
    file: &'r SourceFile,
}

impl SourceCode for Snippet<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.file.text();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.file.line_col(start).line.saturating_sub(before as u32);
        let last = self
            .file
            .line_col(end)
            .line
            .saturating_add(after as u32 + 1);
        let line_start = |line: u32| {
            self.file.offset_of(LineCol {
                line: line.max(1),
                column: 1,
            })
        };
        let base = line_start(first);
        let limit = if (last as usize) > text.len() {
            text.len()
        } else {
            // The line after the context, or the end when there is none.
            let next = line_start(last);
            if next <= end {
                text.len()
            } else {
                next
            }
        };
        let window = &text[base..limit];
        let local = SourceSpan::new((start - base).into(), span.len());
        let inner = window.read_span(&local, before, after)?;
        let lines_before = first.max(1) as usize - 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + lines_before,
            inner.column(),
            inner.line_count() + lines_before,
        )))
    }
}

/// A record as a miette diagnostic.
struct Rendered<'r> {
    record: &'r Record,
    snippet: Option<Snippet<'r>>,
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

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.record.span.clone()?;
        self.snippet.as_ref()?;
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

/// `file:line:col` of a record, as every format reports it (jing's
/// convention: start-tag problems at the end of the start tag).
fn position_header(record: &Record) -> String {
    if record.line == 0 {
        record.file.clone()
    } else {
        format!("{}:{}:{}", record.file, record.line, record.column)
    }
}

/// `file:line:col: error: ` (or `file: error: ` without a position).
fn location_prefix(record: &Record) -> String {
    if record.line > 0 {
        format!("{}:{}:{}: error: ", record.file, record.line, record.column)
    } else {
        format!("{}: error: ", record.file)
    }
}

/// A record with no snippet to draw (an error about a whole file, or a
/// streamed document's): `file[:line:col]: error: message`, then its help.
fn one_line(record: &Record, color: bool) -> String {
    let prefix = location_prefix(record);
    let prefix = if color {
        // Bold location, red `error:`, as the drawn reports colour them.
        let (location, _) = prefix.split_at(prefix.len() - "error: ".len());
        format!("\x1b[1m{location}\x1b[0m\x1b[31merror:\x1b[0m ")
    } else {
        prefix
    };
    let mut out = format!("{prefix}{}\n", record.message);
    if let Some(help) = &record.help {
        out.push_str(&format!("  help: {help}\n"));
    }
    out
}

/// Renders one record in the `human` (drawn) or `narrated` format.
pub fn render_human(record: &Record, style: HumanStyle, width: usize) -> String {
    let snippet = record
        .source
        .as_deref()
        .filter(|_| record.span.is_some())
        .map(|file| Snippet {
            name: position_header(record),
            file,
        });
    if let (HumanStyle::Graphical { color }, None) = (style, &snippet) {
        return one_line(record, color);
    }
    let rendered = Rendered { record, snippet };
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
        out = format!("{}{}\n", location_prefix(record), record.message);
    } else if style == HumanStyle::Narrated {
        // Narrated text names the position only inside the snippet: put the
        // familiar `file:line:col: error:` first so editors, people and
        // grep can jump there.
        out = format!("{}{out}", location_prefix(record));
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `%`, CR and LF escaped as GitHub's workflow commands read them (the
/// message part).
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command: also `:` and `,`.
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A `::error` (or other) workflow command.
fn github_command(kind: &str, properties: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", github_property(v)))
        .collect();
    let sep = if props.is_empty() { "" } else { " " };
    format!(
        "::{kind}{sep}{}::{}\n",
        props.join(","),
        github_data(message)
    )
}

fn github_line(r: &Record) -> String {
    let mut props = vec![("file", r.file.clone())];
    if let Some((start, end)) = r.region {
        props.push(("line", start.line.to_string()));
        props.push(("col", start.column.to_string()));
        props.push(("endLine", end.line.to_string()));
        props.push(("endColumn", end.column.to_string()));
    } else if r.line > 0 {
        props.push(("line", r.line.to_string()));
        props.push(("col", r.column.to_string()));
    }
    props.push(("title", r.code.to_string()));
    let message = match &r.help {
        Some(help) => format!("{} ({help})", r.message),
        None => r.message.clone(),
    };
    github_command("error", &props, &message)
}

/// A path relative to the working directory (`./` dropped), or None when
/// it lies elsewhere.
fn relative_to_cwd(file: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(file);
    let relative = if path.is_absolute() {
        let cwd = std::env::current_dir().ok()?;
        path.strip_prefix(cwd).ok()?.to_path_buf()
    } else {
        path.to_path_buf()
    };
    Some(
        relative
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect(),
    )
}

/// A path as GitLab's reports name it: relative to the working directory
/// (the checkout) where it can be, `/`-separated.
fn relative_path(file: &str) -> String {
    match relative_to_cwd(file) {
        Some(rel) => rel.to_string_lossy().replace('\\', "/"),
        None => file.to_string(),
    }
}

/// A path as a URI reference relative to the working directory (percent-
/// encoded, `/`-separated), or a `file://` URI when it lies elsewhere.
fn artifact_uri(file: &str) -> String {
    let encode = |p: &Path| {
        let mut out = String::new();
        for (i, part) in p.components().enumerate() {
            let part = part.as_os_str().to_string_lossy();
            if part == "/" {
                out.push('/');
                continue;
            }
            if i > 0 && !out.ends_with('/') {
                out.push('/');
            }
            for b in part.bytes() {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
        out
    };
    match relative_to_cwd(file) {
        Some(rel) => encode(&rel),
        None => format!("file://{}", encode(Path::new(file))),
    }
}

fn sarif_result(r: &Record) -> serde_json::Value {
    let mut physical = serde_json::json!({ "artifactLocation": { "uri": artifact_uri(&r.file) } });
    let region = match (r.region, &r.span) {
        (Some((start, end)), Some(span)) => Some(serde_json::json!({
            "startLine": start.line, "startColumn": start.column,
            "endLine": end.line, "endColumn": end.column,
            "byteOffset": span.start, "byteLength": span.end - span.start,
        })),
        (None, Some(span)) if r.line > 0 => Some(serde_json::json!({
            "startLine": r.line, "startColumn": r.column,
            "byteOffset": span.start, "byteLength": span.end - span.start,
        })),
        _ if r.line > 0 => Some(serde_json::json!({
            "startLine": r.line, "startColumn": r.column,
        })),
        _ => None,
    };
    if let Some(region) = region {
        physical["region"] = region;
    }
    let mut text = r.message.clone();
    if !r.path.is_empty() {
        text.push_str(&format!(" (at {})", r.path));
    }
    if let Some(help) = &r.help {
        text.push_str(&format!("; {help}"));
    }
    let mut result = serde_json::json!({
        "ruleId": r.code,
        "level": "error",
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical }],
    });
    if let Some(i) = rule_index(r.code) {
        result["ruleIndex"] = i.into();
    }
    result
}

/// Marks the lines a worker renders in SARIF and GitLab's format, so the
/// [`Stream`] can put each in its place: an element of the output's array
/// (SARIF results, GitLab issues), or a notification for SARIF's invocation.
const ELEMENT: char = 'R';
const SARIF_NOTE: char = 'N';

/// A GitLab Code Quality issue (the Code Climate subset GitLab reads).
fn gitlab_issue(r: &Record, check: &str, severity: &str, description: &str) -> serde_json::Value {
    let line = match r.region {
        Some((start, _)) => start.line,
        None => r.line,
    };
    let place = format!(
        "{}\0{check}\0{line}:{}\0{description}",
        r.file,
        r.span.as_ref().map_or(0, |s| s.start)
    );
    serde_json::json!({
        "description": description,
        "check_name": check,
        "fingerprint": format!("{:016x}", fnv1a(place.as_bytes())),
        "severity": severity,
        "location": { "path": relative_path(&r.file), "lines": { "begin": line.max(1) } },
    })
}

/// 64-bit FNV-1a: a fingerprint that stays the same from run to run and
/// release to release, as GitLab needs to match issues across pipelines.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
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
        // A blank line after each drawn report keeps them apart.
        Format::Human => writeln!(
            out,
            "{}",
            render_human(r, HumanStyle::Graphical { color: color() }, HUMAN_WIDTH)
        ),
        Format::Narrated => write!(
            out,
            "{}",
            render_human(r, HumanStyle::Narrated, HUMAN_WIDTH)
        ),
        Format::Sarif => writeln!(out, "{ELEMENT}{}", sarif_result(r)),
        Format::Gitlab => {
            let description = match &r.help {
                Some(help) => format!("{} ({help})", r.message),
                None => r.message.clone(),
            };
            let issue = gitlab_issue(r, r.code, "major", &description);
            writeln!(out, "{ELEMENT}{issue}")
        }
        Format::Github => write!(out, "{}", github_line(r)),
    };
}

/// The records of a document's outcome (none when it is valid). `text` is
/// empty for a streamed document: positions then come from the errors.
pub fn document_records(path: &Path, text: &str, outcome: &Outcome) -> Vec<Record> {
    let errors: Vec<&DocError> = match outcome {
        Outcome::Valid => return Vec::new(),
        Outcome::Invalid(errors) => errors.iter().collect(),
        Outcome::NotWellFormed(e) => vec![e],
    };
    let file = (!text.is_empty()).then(|| Arc::new(SourceFile::detached(text)));
    let name = path.display().to_string();
    crate::verdict::locate_document_errors(None, text, file.as_deref(), &errors)
        .into_iter()
        .map(|d| {
            let (line, column) = d.line_col.unwrap_or((0, 0));
            Record {
                file: name.clone(),
                line,
                column,
                code: d.kind.code(),
                severity: "error",
                region: match (&file, &d.span) {
                    (Some(f), Some(span)) => Some((f.line_col(span.start), f.line_col(span.end))),
                    _ => None,
                },
                message: d.message,
                span: d.span,
                path: d.path,
                expected: d.expected,
                help: d.help,
                source: file.clone(),
            }
        })
        .collect()
}

/// How many of a document's errors to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shown {
    /// `--max-errors`: at most this many (none with 0).
    pub limit: Option<usize>,
    /// Errors the validator found but did not record (past its cap).
    pub unrecorded: usize,
}

/// What [`document`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Error records printed.
    pub errors: usize,
    /// Errors found but not printed (`--max-errors`).
    pub not_shown: usize,
}

/// Prints a document's errors (nothing when it is valid), at most
/// `shown.limit` of them, then how many were not shown.
pub fn document(
    out: &mut dyn Write,
    format: Format,
    path: &Path,
    text: &str,
    outcome: &Outcome,
    shown: Shown,
) -> Written {
    let records = document_records(path, text, outcome);
    // A document that is not well-formed has that one error, whatever was
    // counted before it.
    let unrecorded = match outcome {
        Outcome::Invalid(_) => shown.unrecorded,
        _ => 0,
    };
    let limit = shown.limit.unwrap_or(usize::MAX).min(records.len());
    for record in &records[..limit] {
        print(out, format, record);
    }
    let not_shown = records.len() - limit + unrecorded;
    if not_shown > 0 {
        not_shown_note(
            out,
            format,
            &path.display().to_string(),
            not_shown,
            shown.limit,
        );
    }
    Written {
        errors: limit,
        not_shown,
    }
}

/// "N more errors not shown", after a document's last shown error.
fn not_shown_note(
    out: &mut dyn Write,
    format: Format,
    file: &str,
    not_shown: usize,
    limit: Option<usize>,
) {
    let cap = limit
        .map(|n| format!(" (--max-errors {n})"))
        .unwrap_or_default();
    let more = if limit == Some(0) { "" } else { "more " };
    let message = format!(
        "{not_shown} {more}{} not shown{cap}",
        if not_shown == 1 { "error" } else { "errors" }
    );
    let _ = match format {
        Format::Human | Format::Narrated | Format::Short => writeln!(out, "{file}: {message}"),
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::json!({ "not_shown": { "file": file, "errors": not_shown } })
        ),
        Format::Sarif => writeln!(
            out,
            "{SARIF_NOTE}{}",
            serde_json::json!({
                "level": "note",
                "message": { "text": format!("{file}: {message}") },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": artifact_uri(file) } } }],
            })
        ),
        Format::Github => write!(
            out,
            "{}",
            github_command(
                "notice",
                &[
                    ("file", file.to_string()),
                    ("title", "rngcheck".to_string())
                ],
                &message
            )
        ),
        Format::Gitlab => {
            let about = Record::about_file(file, "rngcheck::not_shown", message.clone());
            let issue = gitlab_issue(&about, "rngcheck::not_shown", "info", &message);
            writeln!(out, "{ELEMENT}{issue}")
        }
    };
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
/// valid") or that is shown although its failure was expected. Only in the
/// formats read by people: the others' records stand alone.
pub fn heading(out: &mut dyn Write, format: Format, file: &str, heading: &str) {
    if matches!(format, Format::Human | Format::Narrated | Format::Short) {
        let _ = writeln!(out, "{file}: {heading}");
    }
}

/// The records of a schema's errors, each naming the includes that led to
/// its file.
pub fn schema_records(errors: &SchemaErrors) -> Vec<Record> {
    // One shared copy of each schema file that has errors.
    let mut files: Vec<(crate::source::FileId, Arc<SourceFile>)> = Vec::new();
    errors
        .errors
        .iter()
        .zip(errors.errors())
        .map(|(e, located)| {
            let file = located.file.as_deref().unwrap_or(&errors.path);
            let mut record = Record::about_file(
                &file.display().to_string(),
                located.kind.code(),
                located.message,
            );
            record.help = located.help;
            if let (Some(span), Some((line, column))) = (e.span, located.line_col) {
                let f = errors.sources.file(span.file);
                let shared = match files.iter().find(|(id, _)| *id == span.file) {
                    Some((_, shared)) => shared.clone(),
                    None => {
                        let shared = Arc::new(SourceFile::detached(f.text()));
                        files.push((span.file, shared.clone()));
                        shared
                    }
                };
                record.line = line;
                record.column = column;
                record.span = Some(span.range());
                record.region =
                    Some((f.line_col(span.range().start), f.line_col(span.range().end)));
                record.source = Some(shared);
            }
            record
        })
        .collect()
}

/// Prints schema errors; returns how many.
pub fn schema_errors(out: &mut dyn Write, format: Format, errors: &SchemaErrors) -> usize {
    let records = schema_records(errors);
    for record in &records {
        print(out, format, record);
    }
    records.len()
}

/// The run's totals, for the closing record of `json`, `sarif` and `github`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The closing line people read (also on stderr).
    pub line: String,
    /// Documents validated.
    pub documents: usize,
    /// Valid (as expected, or with no expectation).
    pub valid: usize,
    /// Invalid or not well-formed, against no expectation or an expected valid.
    pub invalid: usize,
    /// Invalid, as expected (not reported as errors).
    pub expected_invalid: usize,
    /// Valid, but expected invalid.
    pub unexpectedly_valid: usize,
    /// Error records printed.
    pub errors: usize,
    /// Errors found but not printed (`--max-errors`).
    pub errors_not_shown: usize,
    /// The schemas of the run, as they are named in reports.
    pub schemas: Vec<String>,
    /// The run's exit code.
    pub exit_code: u8,
    /// What failed besides the documents (schema coverage below
    /// `--coverage-fail-under`, a file that could not be written).
    pub failures: Vec<String>,
}

impl Summary {
    fn json(&self) -> serde_json::Value {
        let schema = match self.schemas.as_slice() {
            [] => serde_json::Value::Null,
            [one] => one.clone().into(),
            many => many.into(),
        };
        serde_json::json!({ "summary": {
            "documents": self.documents,
            "valid": self.valid,
            "invalid": self.invalid,
            "expected_invalid": self.expected_invalid,
            "unexpectedly_valid": self.unexpectedly_valid,
            "errors": self.errors,
            "errors_not_shown": self.errors_not_shown,
            "schema": schema,
            "exit_code": self.exit_code,
            "failures": self.failures,
        } })
    }
}

/// Standard output of a run in one format: the text workers rendered,
/// framed as the format needs (SARIF's log object around the results; the
/// summary record of `json` and `github` at the end).
pub struct Stream {
    format: Format,
    results: usize,
    notifications: Vec<String>,
}

impl Stream {
    /// Starts the output (SARIF's header).
    pub fn begin(format: Format, out: &mut dyn Write) -> std::io::Result<Stream> {
        if format == Format::Sarif {
            let mut driver = serde_json::json!({
                "name": "rngcheck",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules().map(|(id, text)| serde_json::json!({
                    "id": id,
                    "shortDescription": { "text": text },
                    "defaultConfiguration": { "level": "error" },
                })).collect::<Vec<_>>(),
            });
            if !INFORMATION_URI.is_empty() {
                driver["informationUri"] = INFORMATION_URI.into();
            }
            write!(
                out,
                "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\
                 \"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{driver}}},\
                 \"columnKind\":\"unicodeCodePoints\",\"results\":["
            )?;
        }
        if format == Format::Gitlab {
            write!(out, "[")?;
        }
        Ok(Stream {
            format,
            results: 0,
            notifications: Vec::new(),
        })
    }

    /// Writes text that workers rendered in this format.
    pub fn write(&mut self, out: &mut dyn Write, text: &str) -> std::io::Result<()> {
        if !matches!(self.format, Format::Sarif | Format::Gitlab) {
            return out.write_all(text.as_bytes());
        }
        for line in text.lines() {
            if let Some(result) = line.strip_prefix(ELEMENT) {
                let sep = if self.results == 0 { "\n" } else { ",\n" };
                write!(out, "{sep}{result}")?;
                self.results += 1;
            } else if let Some(note) = line.strip_prefix(SARIF_NOTE) {
                self.notifications.push(note.to_string());
            }
        }
        Ok(())
    }

    /// Ends the output: the summary record, or SARIF's closing with the
    /// invocation (exit code, notifications).
    pub fn finish(self, out: &mut dyn Write, summary: &Summary) -> std::io::Result<()> {
        match self.format {
            Format::Json => writeln!(out, "{}", summary.json())?,
            Format::Github => {
                for failure in &summary.failures {
                    let title = [("title", "rngcheck".to_string())];
                    write!(out, "{}", github_command("error", &title, failure))?;
                }
                write!(
                    out,
                    "{}",
                    github_command(
                        "notice",
                        &[("title", "rngcheck".to_string())],
                        &summary.line
                    )
                )?
            }
            Format::Sarif => {
                let mut notes = self.notifications.join(",");
                for failure in &summary.failures {
                    let note = serde_json::json!({
                        "level": "error", "message": { "text": failure },
                    });
                    if !notes.is_empty() {
                        notes.push(',');
                    }
                    notes.push_str(&note.to_string());
                }
                if !summary.line.is_empty() {
                    let line = serde_json::json!({
                        "level": "note", "message": { "text": summary.line },
                    });
                    if !notes.is_empty() {
                        notes.push(',');
                    }
                    notes.push_str(&line.to_string());
                }
                writeln!(
                    out,
                    "\n],\"invocations\":[{{\"executionSuccessful\":{},\"exitCode\":{},\
                     \"toolExecutionNotifications\":[{notes}]}}]}}]}}",
                    summary.exit_code <= super::EXIT_INVALID,
                    summary.exit_code,
                )?;
            }
            Format::Gitlab => writeln!(out, "\n]")?,
            Format::Human | Format::Narrated | Format::Short => {}
        }
        out.flush()
    }
}

/// How long a run goes before a progress bar is drawn: a quick run gets
/// none (and no guess at how long it will take).
const PROGRESS_DELAY: Duration = Duration::from_secs(1);

/// The progress bar on stderr, drawn only on a terminal and only once the
/// run has taken [`PROGRESS_DELAY`].
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
    drawn: bool,
}

impl Progress {
    /// A bar for `len` documents (None when stderr is not a terminal).
    pub fn on_terminal(len: usize) -> Option<Progress> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(len as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents ({eta} left)")
        {
            bar.set_style(style);
        }
        Some(Progress {
            bar,
            started: Instant::now(),
            drawn: false,
        })
    }

    /// One more document done.
    pub fn inc(&mut self) {
        self.bar.inc(1);
        if !self.drawn && self.started.elapsed() >= PROGRESS_DELAY {
            self.drawn = true;
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    /// Runs `f` with the bar out of the way (for printing).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Removes the bar.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_data_and_properties() {
        let line = github_command(
            "error",
            &[("file", "a,b:c%.xml".to_string())],
            "50% of\r\nit: a, b",
        );
        assert_eq!(
            line,
            "::error file=a%2Cb%3Ac%25.xml::50%25 of%0D%0Ait: a, b\n"
        );
        assert_eq!(github_command("notice", &[], "x"), "::notice::x\n");
    }

    #[test]
    fn artifact_uris_are_relative_and_percent_encoded() {
        assert_eq!(artifact_uri("./tests/a b.xml"), "tests/a%20b.xml");
        assert_eq!(artifact_uri("../shared/x.xml"), "../shared/x.xml");
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("dir").join("doc.xml");
        assert_eq!(artifact_uri(&inside.display().to_string()), "dir/doc.xml");
        assert_eq!(
            artifact_uri("/nonexistent-root/d.xml"),
            "file:///nonexistent-root/d.xml"
        );
    }

    /// Every code written in the sources (`"rngcheck::…"`) has a rule.
    #[test]
    fn every_error_code_has_a_rule() {
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split("\"rngcheck::").skip(1) {
                    let code: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                        .collect();
                    let full = format!("rngcheck::{code}");
                    // A prefix ("rngcheck::schema::") is not a code.
                    if !code.is_empty()
                        && !code.ends_with(':')
                        && piece[code.len()..].starts_with('"')
                        && rule_index(&full).is_none()
                        && !missing.contains(&full)
                    {
                        missing.push(full);
                    }
                }
            }
        }
        assert!(missing.is_empty(), "codes without a rule: {missing:?}");
    }

    #[test]
    fn snippets_of_a_long_document_show_their_own_lines() {
        let text: String = (1..=500).map(|i| format!("<line n='{i}'/>\n")).collect();
        let file = Arc::new(SourceFile::detached(&text));
        let at = text.find("n='400'").unwrap();
        let record = Record {
            span: Some(at..at + 7),
            region: Some((file.line_col(at), file.line_col(at + 7))),
            line: 400,
            column: 7,
            source: Some(file),
            ..Record::about_file("d.xml", "rngcheck::doc::unexpected_attribute", "bad".into())
        };
        let out = render_human(&record, HumanStyle::Graphical { color: false }, 80);
        assert!(out.contains("[d.xml:400:7]"), "{out}");
        assert!(out.contains("399 │ <line n='399'/>"), "{out}");
        assert!(out.contains("401 │ <line n='401'/>"), "{out}");
        assert!(!out.contains("398 │"), "{out}");
    }
}
