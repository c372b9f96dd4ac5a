//! The integration-test binary: every test that runs the real `rngcheck`
//! binary or reads the repository's fixtures. Runs under `cargo test` and
//! `make test`. (The data-driven suites over ../shared live in
//! `tests/conformance.rs`, run by `make conformance`.)

/// Exit codes and behaviour of the command line, with schemas and documents
/// written to temporary directories.
mod cli;
/// The CI-gate features: directory walks, parallel deterministic output,
/// expected failures, `rngcheck.toml`, `--schema-dir`, stdin, pre-commit.
mod cli_gate;
/// Schema coverage and negative tests pinned to their error (issue 20).
mod coverage;
/// Deeply nested schemas through the library on a 2 MiB thread.
mod deep_schema;
/// Rendered diagnostics: every error, hints, JSON fields, snapshots.
mod diagnostics;
/// `fixtures/domain/`: every document against the embedded default schema,
/// and each invalid one's first error line from `expected-errors.tsv`.
mod fixtures;
/// Every output format (human, narrated, short, json, sarif, github, gitlab) on one
/// fixture; colour; `--max-errors`; completions and the man page; memory
/// taken by many errors.
mod formats;
/// Hostile and broken input (entity bombs, huge and deep documents, bad
/// encodings, unreadable files, schema cycles, huge schemas).
mod hardening;
/// DTD-compatibility ID/IDREF checks and `--no-id-checks`.
mod ids;
/// The public library API as an embedding program uses it.
mod library;
/// Messages that say what is wrong (issue 18), pinned on a small schema.
mod messages;
/// No silent pass: the workflows of issue 15, each with the right verdict.
mod no_silent_pass;
/// What `cargo package` would publish.
mod package;
/// The README's usage examples, run as written.
mod readme;
/// Finding the README's runnable examples (shared with `tests/workflows.rs`).
mod readme_blocks;
/// Helpers shared by the modules below.
mod util;
/// Verdicts checked against jing, or against the spec where jing is wrong:
/// datatypes, include overrides, unparsed entities (issue 16).
mod verdicts;
