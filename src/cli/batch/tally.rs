//! What a run adds up to: the tally, its closing line, and the exit code.

use std::collections::BTreeMap;

use super::{Batch, Settings};
use crate::cli::pins::Pin;
use crate::cli::plan::Plan;
use crate::cli::{report, EXIT_INTERNAL, EXIT_INVALID, EXIT_SCHEMA, EXIT_USAGE, EXIT_VALID};
use crate::coverage::Hits;

/// What happened, added up over the run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Valid, as expected (or with no expectation).
    pub valid: usize,
    /// Invalid or not well-formed, with no expectation or expected valid.
    pub invalid: usize,
    /// Invalid, as expected.
    pub expected_invalid: usize,
    /// Valid, but expected invalid.
    pub unexpectedly_valid: usize,
    /// Invalid as expected (counted there too), but with another first
    /// error than the one pinned for it, or none pinned.
    pub wrong_error: usize,
    /// Could not be read or decoded.
    pub unreadable: usize,
    /// Directory entries that could not be walked.
    pub walk_errors: usize,
    /// Documents whose root element no schema in `--schema-dir` fits.
    pub no_schema: usize,
    /// Documents not checked because their schema failed to load.
    pub not_checked: usize,
    /// Documents on which the validator failed internally.
    pub internal: usize,
    /// Files met while walking a named directory that no `[[check]]` covers.
    pub skipped: usize,
    /// Schema files named on their own that compiled.
    pub schemas_correct: usize,
    /// Entries listed (`--list`).
    pub listed: usize,
    /// Error records printed.
    pub errors: usize,
    /// Errors found but not printed (`--max-errors`).
    pub errors_not_shown: usize,
}

impl Tally {
    pub(super) fn add(&mut self, o: &Tally) {
        self.valid += o.valid;
        self.invalid += o.invalid;
        self.expected_invalid += o.expected_invalid;
        self.unexpectedly_valid += o.unexpectedly_valid;
        self.wrong_error += o.wrong_error;
        self.unreadable += o.unreadable;
        self.walk_errors += o.walk_errors;
        self.no_schema += o.no_schema;
        self.not_checked += o.not_checked;
        self.internal += o.internal;
        self.skipped += o.skipped;
        self.schemas_correct += o.schemas_correct;
        self.listed += o.listed;
        self.errors += o.errors;
        self.errors_not_shown += o.errors_not_shown;
    }

    /// Documents validated.
    pub fn checked(&self) -> usize {
        self.valid + self.invalid + self.expected_invalid + self.unexpectedly_valid
    }

    /// Whether anything other than schema failures makes the run fail.
    pub(super) fn failed(&self) -> bool {
        self.invalid
            + self.unexpectedly_valid
            + self.wrong_error
            + self.unreadable
            + self.walk_errors
            + self.internal
            > 0
    }

    /// The closing line, worded so it cannot pass for a test runner's.
    pub fn summary(&self, expectations: bool, schema_failures: usize) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let checked = self.checked();
        let mut line = if checked == 0 && self.schemas_correct > 0 {
            format!(
                "rngcheck: {} correct, no documents checked",
                plural(self.schemas_correct, "schema", "schemas")
            )
        } else if checked == 0 {
            "rngcheck: no documents checked".to_string()
        } else {
            let mut parts = vec![format!("{} valid", self.valid)];
            if self.invalid > 0 || !expectations {
                parts.push(if expectations {
                    format!("{} invalid but expected valid", self.invalid)
                } else {
                    format!("{} invalid", self.invalid)
                });
            }
            if self.expected_invalid > 0 {
                parts.push(format!("{} invalid as expected", self.expected_invalid));
            }
            if self.wrong_error > 0 {
                parts.push(format!(
                    "{} of them not with the pinned error",
                    self.wrong_error
                ));
            }
            if self.unexpectedly_valid > 0 {
                parts.push(format!(
                    "{} valid but expected invalid",
                    self.unexpectedly_valid
                ));
            }
            format!(
                "rngcheck: {} checked: {}",
                plural(checked, "document", "documents"),
                parts.join(", ")
            )
        };
        let mut notes = Vec::new();
        if self.unreadable > 0 {
            notes.push(format!("{} unreadable", self.unreadable));
        }
        if self.walk_errors > 0 {
            notes.push(plural(self.walk_errors, "walk error", "walk errors"));
        }
        if self.no_schema > 0 {
            notes.push(format!(
                "{} with no schema for the root element",
                self.no_schema
            ));
        }
        if schema_failures > 0 || self.not_checked > 0 {
            notes.push(format!(
                "{} failed to load, {} not checked",
                plural(schema_failures, "schema", "schemas"),
                plural(self.not_checked, "document", "documents")
            ));
        }
        if self.internal > 0 {
            notes.push(format!("{} stopped by an internal error", self.internal));
        }
        if self.skipped > 0 {
            notes.push(format!(
                "{} skipped (met in a directory; no [[check]] covers them)",
                self.skipped
            ));
        }
        if self.schemas_correct > 0 && checked > 0 {
            notes.push(format!(
                "{} correct",
                plural(self.schemas_correct, "schema", "schemas")
            ));
        }
        if !notes.is_empty() {
            line.push_str("; ");
            line.push_str(&notes.join(", "));
        }
        line
    }
}

/// The run's result.
#[derive(Debug)]
pub struct RunResult {
    /// Added up over every entry.
    pub tally: Tally,
    /// How many schemas failed to load.
    pub schema_failures: usize,
    /// Standard output was closed early (a broken pipe): printing stopped.
    pub broken_pipe: bool,
    /// How many documents were validated against each schema (by index).
    pub used: BTreeMap<usize, usize>,
    /// When blessing an expected-errors file: each document checked, by
    /// key, and its first error when it failed as expected.
    pub pinned: BTreeMap<String, Option<Pin>>,
    /// With coverage on: the counts of each schema (by index) that
    /// validated documents.
    pub coverage: BTreeMap<usize, Hits>,
}

impl RunResult {
    /// The exit code: 101 if rngcheck failed internally on a document (its
    /// name was printed), else 3 if a schema failed, else 2 if a document
    /// had no schema, else 1 if any document failed (or broke its
    /// expectation), else 0. A closed standard output changes nothing: the
    /// verdict is over what was checked.
    pub fn exit_code(&self) -> u8 {
        if self.tally.internal > 0 {
            EXIT_INTERNAL
        } else if self.schema_failures > 0 {
            EXIT_SCHEMA
        } else if self.tally.no_schema > 0 {
            EXIT_USAGE
        } else if self.tally.failed() {
            EXIT_INVALID
        } else {
            EXIT_VALID
        }
    }
}

/// The closing line people read: the counts, and the schemas used when the
/// user named none.
pub(super) fn summary_line(plan: &Plan, result: &RunResult) -> String {
    let mut line = result
        .tally
        .summary(plan.expectations(), result.schema_failures);
    if plan.name_schemas {
        line.push_str(&schemas_used(plan, &result.used));
    }
    line
}

/// The run's exit code: the verdict over what was checked, or 2 when an
/// input had nothing to check (unless `--allow-empty`).
pub(super) fn run_exit_code(plan: &Plan, settings: &Settings, result: &RunResult) -> u8 {
    let code = result.exit_code();
    if empty_inputs(plan).is_empty()
        || settings.allow_empty
        || code == EXIT_SCHEMA
        || code == EXIT_INTERNAL
    {
        code
    } else {
        EXIT_USAGE
    }
}

/// Each input that gave nothing to check, described; the whole run when it
/// had nothing to check at all.
pub(super) fn empty_inputs(plan: &Plan) -> Vec<String> {
    let mut empty = plan.empty_inputs.clone();
    if empty.is_empty() && !plan.has_work() {
        empty.push(if plan.skipped > 0 {
            format!(
                "no document named or found is covered by a [[check]] ({} skipped)",
                plan.skipped
            )
        } else {
            "no document named or found".to_string()
        });
    }
    empty
}

/// `; schema: X` or `; schemas: X (n), Y (m)`: what the documents were
/// validated against, when the user named no schema.
pub(super) fn schemas_used(plan: &Plan, used: &BTreeMap<usize, usize>) -> String {
    match used.len() {
        0 => String::new(),
        1 => used
            .keys()
            .map(|&i| format!("; schema: {}", plan.schemas[i].describe()))
            .collect(),
        _ => {
            let each: Vec<String> = used
                .iter()
                .map(|(&i, n)| format!("{} ({n})", plan.schemas[i].describe()))
                .collect();
            format!("; schemas: {}", each.join(", "))
        }
    }
}

impl<'p> Batch<'p> {
    /// The totals for the closing record of the machine-read formats.
    pub(super) fn summary(&self, result: &RunResult) -> report::Summary {
        let t = &result.tally;
        report::Summary {
            line: summary_line(self.plan, result),
            documents: t.checked(),
            valid: t.valid,
            invalid: t.invalid,
            expected_invalid: t.expected_invalid,
            unexpectedly_valid: t.unexpectedly_valid,
            errors: t.errors,
            errors_not_shown: t.errors_not_shown,
            // The schemas the run compiled (with `--schema-dir`, those of
            // the root elements met), not every one it could have.
            schemas: (self.plan.schemas.iter().zip(&self.schemas))
                .filter(|(_, compiled)| compiled.get().is_some())
                .map(|(spec, _)| spec.describe().to_string())
                .collect(),
            exit_code: run_exit_code(self.plan, &self.settings, result),
            failures: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tally with the counts `set` sets.
    fn tally(set: fn(&mut Tally)) -> Tally {
        let mut t = Tally::default();
        set(&mut t);
        t
    }

    #[test]
    fn summary_wording() {
        let rows = [
            // (tally, expectations, schemas that failed, line)
            (
                tally(|t| {
                    t.valid = 2906;
                    t.expected_invalid = 57;
                }),
                true,
                0,
                "rngcheck: 2963 documents checked: 2906 valid, 57 invalid as expected",
            ),
            (
                tally(|t| {
                    t.valid = 1;
                    t.invalid = 2;
                    t.unreadable = 1;
                    t.walk_errors = 1;
                    t.skipped = 3;
                }),
                false,
                0,
                "rngcheck: 3 documents checked: 1 valid, 2 invalid; 1 unreadable, 1 walk error, \
                 3 skipped (met in a directory; no [[check]] covers them)",
            ),
            (Tally::default(), false, 0, "rngcheck: no documents checked"),
            (
                tally(|t| t.not_checked = 2963),
                true,
                16,
                "rngcheck: no documents checked; 16 schemas failed to load, 2963 documents not checked",
            ),
            (
                tally(|t| {
                    t.valid = 1;
                    t.unexpectedly_valid = 1;
                    t.invalid = 1;
                }),
                true,
                0,
                "rngcheck: 3 documents checked: 1 valid, 1 invalid but expected valid, \
                 1 valid but expected invalid",
            ),
        ];
        for (t, expectations, schema_failures, line) in rows {
            assert_eq!(t.summary(expectations, schema_failures), line, "{t:?}");
        }
    }

    #[test]
    fn exit_codes() {
        let cases = [
            // (tally, schemas that failed, exit code)
            (
                tally(|t| {
                    t.valid = 3;
                    t.expected_invalid = 1;
                }),
                0,
                0,
            ),
            (tally(|t| t.unexpectedly_valid = 1), 0, 1),
            (
                tally(|t| {
                    t.expected_invalid = 1;
                    t.wrong_error = 1;
                }),
                0,
                1,
            ),
            (tally(|t| t.walk_errors = 1), 0, 1),
            (tally(|t| t.invalid = 1), 1, 3),
            (tally(|t| t.skipped = 4), 0, 0),
            (tally(|t| t.no_schema = 1), 0, 2),
            (tally(|t| t.no_schema = 1), 1, 3),
            (tally(|t| t.internal = 1), 0, 101),
            (
                tally(|t| {
                    t.internal = 1;
                    t.invalid = 2;
                }),
                1,
                101,
            ),
        ];
        for (tally, schema_failures, code) in cases {
            let result = RunResult {
                tally,
                schema_failures,
                broken_pipe: false,
                used: BTreeMap::new(),
                pinned: BTreeMap::new(),
                coverage: BTreeMap::new(),
            };
            assert_eq!(
                result.exit_code(),
                code,
                "{tally:?}, {schema_failures} schemas failed"
            );
        }
    }
}
