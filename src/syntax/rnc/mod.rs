//! The compact syntax (OASIS "RELAX NG Compact Syntax", 21 November 2002).
//!
//! One `.rnc` file becomes the same tree the XML syntax gives ([`ast`]):
//! a top level that is a grammar body becomes [`PatternKind::Grammar`], a
//! bare pattern stays a pattern. Names are resolved to namespace URIs here,
//! from the file's declarations (§4 of the compact syntax spec); annotations
//! and comments are checked and dropped.
//!
//! [`lexer`] turns the text into tokens (escapes, literals, names);
//! [`parser`] is a recursive descent over the grammar of Appendix A.1 with
//! an explicit nesting limit ([`MAX_DEPTH`]), so hostile input gives an
//! error, never a stack overflow or a panic.
//!
//! What the parser leaves to later stages: everything that the XML syntax
//! leaves to `simplify` too, e.g. `anyName` inside the except of `anyName`
//! (RELAX NG §4.16), a missing `start`, undefined references, values that
//! are not valid for their datatype.
//!
//! [`ast`]: super::ast
//! [`PatternKind::Grammar`]: super::ast::PatternKind::Grammar

mod lexer;
mod parser;
#[cfg(test)]
mod tests;

use super::ast::Pattern;
use crate::diagnostic::SchemaError;
use crate::source::FileId;
use crate::ErrorKind;

/// How deeply patterns, name classes, annotations, `div`s and grammars may
/// nest (together). Deeper input is refused with [`TOO_DEEP`] instead of
/// exhausting the stack. Each level costs up to about 4.5 KiB of stack in a
/// debug build (1.5 KiB optimized), so 250 levels fit in a 2 MiB thread
/// stack with room to spare; regex-syntax's default `nest_limit` is the
/// same. Real schemas stay far below: libvirt's nest 10 deep at most.
pub const MAX_DEPTH: u32 = 250;

/// A token or character that the grammar does not allow where it is.
pub const SYNTAX: ErrorKind = ErrorKind::SchemaRncSyntax;
/// A prefix used without a `namespace` or `datatypes` declaration.
pub const UNDECLARED_PREFIX: ErrorKind = ErrorKind::SchemaRncUndeclaredPrefix;
/// A `namespace`/`default namespace`/`datatypes` declaration the spec forbids
/// (duplicate, or `xml`/`xmlns` misused).
pub const BAD_DECLARATION: ErrorKind = ErrorKind::SchemaRncBadDeclaration;
/// An annotation that could not be written as XML: a duplicate attribute, an
/// attribute or element in the RELAX NG namespace, `xmlns`, an unprefixed
/// attribute on a pattern, an element inside a value or param.
pub const BAD_ANNOTATION: ErrorKind = ErrorKind::SchemaRncBadAnnotation;
/// Nesting deeper than [`MAX_DEPTH`].
pub const TOO_DEEP: ErrorKind = ErrorKind::SchemaRncTooDeep;

/// Parses one compact-syntax file into its top-level pattern.
///
/// `inherited_ns` is the namespace the file inherits from the schema that
/// includes or references it (empty for the main schema): it is the default
/// namespace when the file declares none, and what the keyword `inherit`
/// stands for in namespace declarations.
pub fn parse(text: &str, file: FileId, inherited_ns: &str) -> Result<Pattern, Vec<SchemaError>> {
    parser::parse(text, file, inherited_ns)
}
