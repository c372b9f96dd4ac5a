//! What the core's unit tests share: a schema written in the test (compact
//! syntax unless the file name ends in `.rng`), compiled through the whole
//! pipeline, and a document checked against it. Each area's tests are a
//! table of `check(schema, doc, expected)` rows beside the code they guard.

use std::path::{Path, PathBuf};

use crate::diagnostic::DocError;
use crate::loader::MemLoader;
use crate::validate::{validate_text, Outcome};
use crate::{LoadOptions, Schema};

/// Compiles `files` (the first is the schema; the others are what it
/// includes, by name), or returns every error as `code: message @offset`
/// (the byte where its span starts, `None` without one).
pub fn compile(files: &[(&str, &str)]) -> Result<Schema, Vec<String>> {
    let mut loader = MemLoader::new(
        files
            .iter()
            .map(|(name, text)| (PathBuf::from(name), text.to_string())),
    );
    Schema::load_with_options(Path::new(files[0].0), &mut loader, LoadOptions::default()).map_err(
        |e| {
            e.errors
                .iter()
                .map(|e| format!("{}: {} @{:?}", e.code, e.message, e.span.map(|s| s.start)))
                .collect()
        },
    )
}

/// The verdict on `doc` as one line: `valid`, `not well-formed: …`, or the
/// first error's message.
pub fn verdict(schema: &Schema, doc: &str) -> String {
    match validate_text(&mut schema.validator(), doc) {
        Outcome::Valid => "valid".to_string(),
        Outcome::NotWellFormed(e) => format!("not well-formed: {}", e.message),
        Outcome::Invalid(errors) => errors[0].message.clone(),
    }
}

/// `doc` against the compact `schema`: `expected` is `valid`, or a part of
/// the first error's message.
pub fn check(schema: &str, doc: &str, expected: &str) {
    check_files(&[("main.rnc", schema)], doc, expected);
}

/// [`check`] with a schema of several files (see [`compile`]).
pub fn check_files(files: &[(&str, &str)], doc: &str, expected: &str) {
    let schema = match compile(files) {
        Ok(schema) => schema,
        Err(errors) => panic!("schema {files:?} does not compile: {errors:?}"),
    };
    let got = verdict(&schema, doc);
    let ok = if expected == "valid" {
        got == "valid"
    } else {
        got != "valid" && got.contains(expected)
    };
    assert!(
        ok,
        "schema {files:?}\ndocument {doc}\nexpected {expected:?}\ngot      {got:?}"
    );
}

/// Every row of `table` through [`check`].
pub fn check_all(table: &[(&str, &str, &str)]) {
    for (schema, doc, expected) in table {
        check(schema, doc, expected);
    }
}

/// The compact `schema` is refused with an error whose `code: message`
/// contains `expected`.
pub fn check_refused(schema: &str, expected: &str) {
    check_files_refused(&[("main.rnc", schema)], expected);
}

/// [`check_refused`] with a schema of several files.
pub fn check_files_refused(files: &[(&str, &str)], expected: &str) {
    match compile(files) {
        Ok(_) => panic!("schema {files:?} compiles; expected an error with {expected:?}"),
        Err(errors) => assert!(
            errors.iter().any(|e| e.contains(expected)),
            "schema {files:?}\nexpected an error with {expected:?}\ngot {errors:?}"
        ),
    }
}

/// The first error of the invalid `doc`, whole (message, expected names,
/// hint).
pub fn first_error(schema: &str, doc: &str) -> DocError {
    let schema = compile(&[("main.rnc", schema)]).expect("the schema compiles");
    match validate_text(&mut schema.validator(), doc) {
        Outcome::Invalid(mut errors) => errors.swap_remove(0),
        other => panic!("expected an invalid document, got {other:?}"),
    }
}

/// The names (or values) the first error of `doc` says were expected.
pub fn expected_names(schema: &str, doc: &str) -> Vec<String> {
    first_error(schema, doc).expected
}

/// The verdicts on `docs` checked one after the other with one validator
/// (whose memo carries over from document to document).
pub fn verdicts_in_turn(schema: &str, docs: &[&str]) -> Vec<String> {
    let schema = compile(&[("main.rnc", schema)]).expect("the schema compiles");
    let mut validator = schema.validator();
    docs.iter()
        .map(|doc| match validate_text(&mut validator, doc) {
            Outcome::Valid => "valid".to_string(),
            Outcome::NotWellFormed(e) => format!("not well-formed: {}", e.message),
            Outcome::Invalid(errors) => errors[0].message.clone(),
        })
        .collect()
}

/// Every error's message for `doc` (none when it is valid).
pub fn all_errors(schema: &str, doc: &str) -> Vec<String> {
    let schema = compile(&[("main.rnc", schema)]).expect("the schema compiles");
    match validate_text(&mut schema.validator(), doc) {
        Outcome::Valid => Vec::new(),
        Outcome::NotWellFormed(e) => vec![format!("not well-formed: {}", e.message)],
        Outcome::Invalid(errors) => errors.into_iter().map(|e| e.message).collect(),
    }
}
