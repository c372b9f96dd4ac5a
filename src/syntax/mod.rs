//! Schema files → syntax trees ([`ast`]), for both RELAX NG syntaxes.
//!
//! This is the only schema-side user of roxmltree. It parses one file at a
//! time; following `include` and `externalRef` is `simplify`'s job.

pub mod ast;
pub mod rnc;
mod rng;
mod xmltree;

use crate::diagnostic::SchemaError;
use crate::source::{FileId, SourceMap};

/// Whether the schema tree's fast builder and roxmltree agree on `text`
/// (see `xmltree::check_agreement`); for `make conformance` only.
#[cfg(feature = "internals")]
pub fn check_xml_tree(text: &str) -> Option<Option<String>> {
    xmltree::check_agreement(text)
}

/// Which of the two RELAX NG syntaxes a file is written in.
///
/// ```
/// use rngcheck::{Schema, Syntax};
///
/// let xml = "<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'><empty/></element>";
/// let compact = "element a { empty }";
/// for (text, syntax) in [(xml, Syntax::Xml), (compact, Syntax::Compact)] {
///     let schema = Schema::from_str(text, syntax)?;
///     assert!(schema.validator().validate_str("<a/>").is_ok());
/// }
/// # Ok::<(), rngcheck::SchemaErrors>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxKind {
    /// The XML syntax (`.rng`).
    Xml,
    /// The compact syntax (`.rnc`).
    Compact,
}

impl SyntaxKind {
    /// The syntax a path's extension implies: `.rnc` is compact, the rest XML.
    pub(crate) fn from_path(path: &std::path::Path) -> SyntaxKind {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("rnc") => SyntaxKind::Compact,
            _ => SyntaxKind::Xml,
        }
    }
}

/// Parses `file` into its top-level pattern. `inherited_ns` is the `ns` in
/// scope where the file was referenced (empty for the main schema).
pub fn parse_file(
    sources: &SourceMap,
    file: FileId,
    syntax: SyntaxKind,
    inherited_ns: &str,
) -> Result<ast::Pattern, Vec<SchemaError>> {
    let text = sources.file(file).text();
    match syntax {
        SyntaxKind::Xml => rng::parse(text, file, inherited_ns),
        SyntaxKind::Compact => rnc::parse(text, file, inherited_ns),
    }
}
