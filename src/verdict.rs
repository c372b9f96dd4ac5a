//! A document's verdict for the library's users: the [`Validator`]'s public
//! methods, [`Diagnostic`]s (an [`ErrorKind`] located in its file: line,
//! column, byte span, element path) and [`InvalidDocument`].
//!
//! Stages record [`DocError`]s and `SchemaError`s with byte offsets only;
//! they are located here, once, for the library's users and the CLI alike.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::DocError;
use crate::source::SourceFile;
use crate::validate::{events, validate_text, Outcome, Validator};
use crate::ErrorKind;

impl Validator<'_> {
    /// Validates one document's text.
    ///
    /// ```
    /// use rngcheck::{Schema, Syntax};
    ///
    /// let schema = Schema::from_str("element note { attribute to { text } }", Syntax::Compact)?;
    /// let mut validator = schema.validator();
    /// assert!(validator.validate_str("<note to='Tove'/>").is_ok());
    /// let invalid = validator.validate_str("<note/>").unwrap_err();
    /// assert_eq!(invalid.errors()[0].expected(), ["to"]);
    /// # Ok::<(), rngcheck::SchemaErrors>(())
    /// ```
    pub fn validate_str(&mut self, text: &str) -> Result<(), InvalidDocument> {
        let outcome = validate_text(self, text);
        verdict(outcome, None, text)
    }

    /// Validates the document read from `reader`, streaming: memory stays
    /// bounded whatever the document's size. The bytes may be in any
    /// encoding the XML declaration or a byte-order mark names. Errors have
    /// lines and columns but no element [path](Diagnostic::path).
    ///
    /// ```
    /// use rngcheck::{Schema, Syntax};
    ///
    /// let schema = Schema::from_str("element a { element b { empty }* }", Syntax::Compact)?;
    /// let document: &[u8] = b"<a><b/><b/></a>";
    /// assert!(schema.validator().validate_reader(document).is_ok());
    /// # Ok::<(), rngcheck::SchemaErrors>(())
    /// ```
    pub fn validate_reader(&mut self, reader: impl std::io::Read) -> Result<(), InvalidDocument> {
        let outcome = crate::validate::stream::validate_reader(self, reader);
        verdict(outcome, None, "")
    }

    /// Reads, decodes and validates the document at `path`; its errors name
    /// the file. A file that cannot be read is one error,
    /// [`ErrorKind::DocUnreadable`].
    ///
    /// ```
    /// use rngcheck::{ErrorKind, Schema, Syntax};
    ///
    /// let schema = Schema::from_str("element a { empty }", Syntax::Compact)?;
    /// let missing = schema.validator().validate_file("no/such/doc.xml").unwrap_err();
    /// assert_eq!(missing.errors()[0].kind(), ErrorKind::DocUnreadable);
    /// assert_eq!(missing.to_string(), "no/such/doc.xml: cannot read: no such file");
    /// # Ok::<(), rngcheck::SchemaErrors>(())
    /// ```
    pub fn validate_file(&mut self, path: impl AsRef<Path>) -> Result<(), InvalidDocument> {
        let path = path.as_ref();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return Err(unreadable(path, &crate::diagnostic::io_reason(&e))),
        };
        match crate::encoding::decode(bytes) {
            Ok(text) => {
                let outcome = validate_text(self, &text);
                verdict(outcome, Some(path), &text)
            }
            Err(e) => {
                let outcome = Outcome::NotWellFormed(e.doc_error());
                verdict(outcome, Some(path), &e.text)
            }
        }
    }
}

/// `outcome` as the library reports it, located in `text`.
fn verdict(outcome: Outcome, file: Option<&Path>, text: &str) -> Result<(), InvalidDocument> {
    let (errors, well_formed) = match &outcome {
        Outcome::Valid => return Ok(()),
        Outcome::Invalid(errors) => (errors.iter().collect::<Vec<_>>(), true),
        Outcome::NotWellFormed(error) => (vec![error], false),
    };
    Err(InvalidDocument {
        errors: locate_document_errors(file, text, None, &errors),
        well_formed,
    })
}

/// A document that could not be read at all.
fn unreadable(path: &Path, reason: &str) -> InvalidDocument {
    InvalidDocument {
        errors: vec![Diagnostic {
            kind: ErrorKind::DocUnreadable,
            message: format!("cannot read: {reason}"),
            file: Some(path.to_path_buf()),
            span: None,
            line_col: None,
            path: String::new(),
            expected: Vec::new(),
            help: None,
        }],
        well_formed: false,
    }
}

/// One error, located: what kind, the message, and where.
///
/// Lines and columns are 1-based (columns count characters); the span is a
/// byte range of the file's text (after decoding, for a document read from
/// bytes).
///
/// ```
/// use rngcheck::{ErrorKind, Schema, Syntax};
///
/// let schema = Schema::from_str("element a { element b { empty } }", Syntax::Compact)?;
/// let invalid = schema.validator().validate_str("<a>\n  <c/>\n</a>").unwrap_err();
/// let error = &invalid.errors()[0];
/// assert_eq!(error.kind(), ErrorKind::DocUnexpectedElement);
/// assert_eq!(error.line_col(), Some((2, 7)));
/// assert_eq!(error.span(), Some(6..10));
/// assert_eq!(error.path(), "/a/c");
/// assert_eq!(error.expected(), ["b"]);
/// assert_eq!(error.to_string(), "2:7: element \"c\" not allowed here; expected element \"b\"");
/// # Ok::<(), rngcheck::SchemaErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
    pub(crate) file: Option<PathBuf>,
    pub(crate) span: Option<Range<usize>>,
    pub(crate) line_col: Option<(u32, u32)>,
    pub(crate) path: String,
    pub(crate) expected: Vec<String>,
    pub(crate) help: Option<String>,
}

impl Diagnostic {
    /// The kind of error, with its stable [code](ErrorKind::code).
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, in jing's manner, without a trailing period.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The file the error is in, when there is one: the schema file, or the
    /// document given to [`Validator::validate_file`](crate::Validator::validate_file).
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// What the error is about, as a byte range of the file's text.
    pub fn span(&self) -> Option<Range<usize>> {
        self.span.clone()
    }

    /// The line and column where the error is reported (for a start tag's
    /// problems, the end of the start tag, as jing reports them).
    pub fn line_col(&self) -> Option<(u32, u32)> {
        self.line_col
    }

    /// The path of the element in the document (`/domain/devices/disk[2]`);
    /// empty for schema errors and for documents validated by streaming.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The names or values that would have been accepted there.
    pub fn expected(&self) -> &[String] {
        &self.expected
    }

    /// A hint: `did you mean "source"?`, the line of an earlier element it
    /// refers to, or the files a schema file was included from.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

impl std::fmt::Display for Diagnostic {
    /// `file:line:column: message`, leaving out what is not known.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", file.display())?;
        }
        if let Some((line, column)) = self.line_col {
            write!(f, "{line}:{column}:")?;
        }
        if self.file.is_some() || self.line_col.is_some() {
            f.write_str(" ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Why a document is not valid: it is not well-formed XML (one error), or
/// it breaks the schema (every error found, in document order).
///
/// ```
/// use rngcheck::{Schema, Syntax};
///
/// let schema = Schema::from_str("element a { empty }", Syntax::Compact)?;
/// let mut validator = schema.validator();
/// let broken = validator.validate_str("<a>").unwrap_err();
/// assert!(!broken.is_well_formed());
/// let invalid = validator.validate_str("<a>text</a>").unwrap_err();
/// assert!(invalid.is_well_formed());
/// assert_eq!(invalid.errors().len(), 1);
/// # Ok::<(), rngcheck::SchemaErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidDocument {
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) well_formed: bool,
}

impl InvalidDocument {
    /// The errors, in document order (never empty).
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// Whether the document is well-formed XML (and so only invalid).
    pub fn is_well_formed(&self) -> bool {
        self.well_formed
    }
}

impl std::fmt::Display for InvalidDocument {
    /// One error per line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_lines(f, &self.errors)
    }
}

impl std::error::Error for InvalidDocument {}

/// Each diagnostic on a line of its own.
pub(crate) fn write_lines(
    f: &mut std::fmt::Formatter<'_>,
    errors: &[Diagnostic],
) -> std::fmt::Result {
    for (i, error) in errors.iter().enumerate() {
        if i > 0 {
            f.write_str("\n")?;
        }
        write!(f, "{error}")?;
    }
    Ok(())
}

/// A document's errors located in its `text` (empty for a streamed
/// document: positions then come from the errors themselves), with the
/// element paths and the document's own prefixes in the messages.
/// `lines` is `text`'s line index when the caller has one to share.
pub(crate) fn locate_document_errors(
    file: Option<&Path>,
    text: &str,
    lines: Option<&SourceFile>,
    errors: &[&DocError],
) -> Vec<Diagnostic> {
    let doc = events::parse_document(text).ok();
    let mut paths = doc.as_ref().map(events::ElementPaths::new);
    let owned;
    let lines = match lines {
        Some(lines) => Some(lines),
        None if text.is_empty() => None,
        None => {
            owned = SourceFile::detached(text);
            Some(&owned)
        }
    };
    errors
        .iter()
        .map(|e| {
            let line_col = e.line_col.or_else(|| {
                let lc = lines?.line_col(e.at);
                Some((lc.line, lc.column))
            });
            let path = paths
                .as_mut()
                .map(|p| p.path(e.span.start))
                .unwrap_or_default();
            // Names in the message as the document writes them (its prefixes).
            let e = match paths.as_mut() {
                Some(p) => {
                    let element = p.element_at(e.span.start);
                    (*e).clone()
                        .with_document_prefixes(|uri| events::prefix_in_scope(element, uri))
                }
                None => (*e).clone(),
            };
            let related = e.related().and_then(|r| {
                let lc = lines?.line_col(r);
                e.related_note(lc.line, lc.column)
            });
            let help = match (e.help.as_deref(), related) {
                (Some(h), Some(r)) => Some(format!("{h}; {r}")),
                (h, r) => h.map(str::to_string).or(r),
            };
            Diagnostic {
                kind: e.code,
                message: e.message,
                file: file.map(Path::to_path_buf),
                span: Some(e.span),
                line_col,
                path,
                expected: e.expected,
                help,
            }
        })
        .collect()
}
