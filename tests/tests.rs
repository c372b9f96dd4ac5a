//! The integration-test binary: every test that runs the real `rngcheck`
//! binary or reads the repository's fixtures. Runs under `cargo test` and
//! `make test`. (The data-driven suites over ../shared live in
//! `tests/conformance.rs`, run by `make conformance`.)

/// Exit codes and behaviour of the command line, with schemas and documents
/// written to temporary directories.
mod cli;
/// `fixtures/domain/`: every document against the embedded default schema,
/// and each invalid one's first error line from `expected-errors.tsv`.
mod fixtures;
/// Hostile and broken input (entity bombs, huge and deep documents, bad
/// encodings, unreadable files, schema cycles, huge schemas).
mod hardening;
