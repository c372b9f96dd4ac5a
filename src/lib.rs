//! rngcheck: a RELAX NG validator, exact (James Clark's derivative
//! algorithm) and fast, with errors that say what was expected and where.
//!
//! Load a [`Schema`] (XML or compact syntax), make a [`Validator`] from it,
//! and validate documents: each verdict is `Ok(())` or an
//! [`InvalidDocument`] whose [`Diagnostic`]s carry an [`ErrorKind`] (with a
//! stable code such as `rngcheck::doc::unknown_element`), the message, the
//! file, byte span, line and column, the element path and the names that
//! were expected. (This example is also the README's, word for word.)
//!
//! ```
//! use rngcheck::{ErrorKind, Schema, Syntax};
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let schema = Schema::from_str(
//!         "element disk { attribute type { 'file' | 'block' }, element source { empty } }",
//!         Syntax::Compact,
//!     )?;
//!     let mut validator = schema.validator();
//!     assert!(validator.validate_str("<disk type='file'><source/></disk>").is_ok());
//!
//!     let invalid = validator.validate_str("<disk type='file'><sorce/></disk>").unwrap_err();
//!     let error = &invalid.errors()[0];
//!     assert_eq!(error.kind(), ErrorKind::DocUnexpectedElement);
//!     assert_eq!(error.kind().code(), "rngcheck::doc::unexpected_element");
//!     assert_eq!(error.line_col(), Some((1, 27)));
//!     assert_eq!(error.path(), "/disk/sorce");
//!     assert_eq!(error.expected(), ["source"]);
//!     assert_eq!(error.help(), Some("did you mean \"source\"?"));
//!     Ok(())
//! }
//! ```
//!
//! The pipeline inside, each stage a private module that owns its types:
//! schema files → syntax (trees with spans) → simplify (the spec's simple
//! form) → pattern (an interned arena) → validate (Clark's derivatives over
//! document events) → diagnostics. The `cli` feature (on by default) builds
//! the `rngcheck` command; `default-features = false` leaves the library
//! with none of the command line's dependencies.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Without the command line, what only it uses (coverage, the embedded
// schema, the streaming threshold) goes unused; it stays compiled so that
// both builds check one engine. The default build has no dead code.
#![cfg_attr(not(feature = "cli"), allow(dead_code))]
// No panic reachable from input: library code returns errors instead.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod coverage;
mod datatype;
mod derive;
mod diagnostic;
mod encoding;
mod error_kind;
mod loader;
mod pattern;
mod schema;
mod simplify;
mod source;
mod stack;
mod strtab;
mod syntax;
#[cfg(test)]
mod testing;
mod validate;
mod verdict;
mod xml;

pub use error_kind::ErrorKind;
pub use schema::{LoadOptions, Schema, SchemaErrors};
pub use syntax::SyntaxKind as Syntax;
pub use validate::Validator;
pub use verdict::{Diagnostic, InvalidDocument};

/// Not API: the engine's insides that the project's own conformance
/// runners, benchmarks and differential tool check directly (the fast
/// reader against roxmltree, the datatype library, XSD regular
/// expressions), behind the non-default `internals` feature. No stability
/// promise of any kind.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::datatype::xsd::XsdRegex;
    pub use crate::datatype::{Context, Datatype, Param, Value, XSD_LIBRARY};
    pub use crate::encoding::decode;
    pub use crate::syntax::check_xml_tree;
    pub use crate::validate::{events, scan};
    use crate::{LoadOptions, Schema, SchemaErrors};

    /// Loads the schema `main` from `files` (path, text) held in memory,
    /// as the fuzz targets serve a schema beside the files it includes.
    pub fn load_from_memory(
        main: &std::path::Path,
        files: Vec<(std::path::PathBuf, String)>,
    ) -> Result<Schema, SchemaErrors> {
        let mut loader = crate::loader::MemLoader::new(files);
        Schema::load_with_options(main, &mut loader, LoadOptions::default())
    }

    /// The schema compiled into the binary (libvirt's domain subset).
    pub fn embedded_schema() -> Result<Schema, SchemaErrors> {
        Schema::embedded(LoadOptions::default())
    }
}

#[cfg(feature = "cli")]
mod cli;
/// The `rngcheck` command (`src/main.rs` calls it): the command line stays
/// in the library so it can use the stages' own types, private to the crate.
#[cfg(feature = "cli")]
#[doc(hidden)]
pub use cli::main as cli_main;
