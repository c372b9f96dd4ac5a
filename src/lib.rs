//! rngcheck: a RELAX NG validator.
//!
//! The pipeline, each stage a module that owns its types:
//! schema files → [`syntax`] (trees with spans) → `simplify` (the spec's
//! simple form) → `pattern` (an interned arena) → `validate` (Clark's
//! derivatives over document events) → [`diagnostic`] → the CLI.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// No panic reachable from input: library code returns errors instead.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod coverage;
pub mod datatype;
pub mod derive;
pub mod diagnostic;
pub mod encoding;
mod error_kind;
pub mod loader;
pub mod pattern;
mod schema;
pub mod simplify;
pub mod source;
mod stack;
mod strtab;
pub mod syntax;
#[cfg(test)]
mod testing;
pub mod validate;
mod xml;

pub use error_kind::ErrorKind;
pub use schema::{LoadOptions, Schema, SchemaErrors};
pub use validate::stream::{should_stream, validate_reader, STREAM_THRESHOLD};
pub use validate::{validate_text, Outcome};
pub mod cli;
