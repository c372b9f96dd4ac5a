//! Every message rngcheck can print about a schema or a document.
//!
//! Stages build these values; only `cli` renders them. Each kind has a
//! stable code (`rngcheck::schema::...`, `rngcheck::doc::...`) because JSON
//! output and snapshots depend on it.

use crate::source::Span;

/// A fault in a schema: it cannot be loaded, or it breaks a rule of RELAX NG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// Stable code, e.g. `rngcheck::schema::undefined_ref`.
    pub code: &'static str,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// Where, when known.
    pub span: Option<Span>,
}

impl SchemaError {
    /// A schema error at `span`.
    pub fn new(code: &'static str, message: impl Into<String>, span: Option<Span>) -> SchemaError {
        SchemaError {
            code,
            message: message.into(),
            span,
        }
    }
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
