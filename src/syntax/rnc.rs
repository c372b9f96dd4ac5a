//! The compact syntax. (Being written; until then it refuses every file.)

use super::ast::Pattern;
use crate::diagnostic::SchemaError;
use crate::source::{FileId, Span};

/// Parses a compact-syntax schema.
pub fn parse(_text: &str, file: FileId, _inherited_ns: &str) -> Result<Pattern, Vec<SchemaError>> {
    Err(vec![SchemaError::new(
        "rngcheck::schema::compact_unsupported",
        "the compact syntax is not supported yet",
        Some(Span::new(file, 0..0)),
    )])
}
