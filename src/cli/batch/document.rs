//! One document checked: read or streamed, validated against its schema,
//! and its verdict counted and rendered against its expectation.

use super::input::{open_document, read_document, Input, RootProblem};
use super::print::plural_errors;
use super::tally::Tally;
use super::{Batch, Done, Validators};
use crate::cli::pins::{self, Pins};
use crate::cli::plan::{Choice, DocSource, Expect};
use crate::cli::report;
use crate::loader::ReadError;
use crate::schema::Schema;
use crate::validate::stream::{should_stream, validate_reader};
use crate::validate::Validator;
use crate::validate::{validate_text, Outcome};

impl<'p> Batch<'p> {
    pub(super) fn document(
        &'p self,
        source: &DocSource,
        choice: Choice,
        expect: Expect,
        validators: &mut Validators<'p>,
        buf: &mut Vec<u8>,
        done: &mut Done,
    ) {
        let format = self.settings.format;
        // The name as a path for reports; only rendered if one is written.
        let path: std::borrow::Cow<std::path::Path> = match source {
            DocSource::Path(file) => file.as_path().into(),
            DocSource::Stdin => std::path::PathBuf::from(source.display()).into(),
        };
        let path = path.as_ref();
        if let (true, Choice::Fixed(i)) = (self.settings.list, choice) {
            done.tally.listed = 1;
            done.out = format!("{}\t{}\n", self.plan.schemas[i].display, source.display());
            return;
        }
        let input = open_document(source);
        let input = match (input, choice) {
            (Ok(Input::File(file, size)), choice)
                if self.settings.stream || should_stream(size) =>
            {
                match self.stream_schema(file, choice) {
                    Ok((file, i)) => {
                        self.stream_document(file, path, i, expect, validators, buf, done);
                        return;
                    }
                    // The root element was not found in the head: read it all.
                    Err(file) => Ok(Input::File(file, size)),
                }
            }
            (input, _) => input,
        };
        let (text, mut undecodable) = match read_document(input) {
            Ok(text) => (text, None),
            Err(ReadError::Decode(e)) => {
                let outcome = Outcome::NotWellFormed(e.doc_error());
                (e.text, Some(outcome))
            }
            Err(ReadError::Io(reason)) => {
                done.tally.unreadable = 1;
                if self.settings.list {
                    let mut note = Vec::new();
                    report::unreadable(&mut note, format, path, &reason);
                    done.note = String::from_utf8_lossy(&note).into_owned();
                } else {
                    report::unreadable(buf, format, path, &reason);
                }
                return;
            }
        };
        let i = match choice {
            Choice::Fixed(i) => i,
            Choice::ByRoot(picker) => match undecodable.take().map_or_else(
                || self.root_schema(picker, &text),
                |o| Err(RootProblem::NotWellFormed(o)),
            ) {
                Ok(i) => i,
                Err(RootProblem::NotWellFormed(outcome)) => {
                    // No schema to pick: the document is reported as what it is.
                    if self.settings.list {
                        done.tally.invalid = 1;
                        let mut note = Vec::new();
                        report::document(
                            &mut note,
                            format,
                            path,
                            &text,
                            &outcome,
                            report::Shown::default(),
                        );
                        done.note = String::from_utf8_lossy(&note).into_owned();
                    } else {
                        self.verdict(path, &text, (&outcome, 0), expect, buf, done);
                    }
                    return;
                }
                Err(RootProblem::NoSchema(message)) => {
                    done.tally.no_schema = 1;
                    let mut report = Vec::new();
                    report::file_error(
                        &mut report,
                        format,
                        &source.display(),
                        "rngcheck::doc::no_schema",
                        message,
                    );
                    if self.settings.list {
                        done.note = String::from_utf8_lossy(&report).into_owned();
                    } else {
                        buf.extend_from_slice(&report);
                    }
                    return;
                }
            },
        };
        if self.settings.list {
            done.tally.listed = 1;
            done.out = format!("{}\t{}\n", self.plan.schemas[i].display, source.display());
            return;
        }
        let Some(schema) = self.schema_to_use(i, validators, done) else {
            return;
        };
        let (outcome, unrecorded) = match undecodable {
            Some(outcome) => (outcome, 0),
            None => self.validate_with(i, schema, validators, expect, |validator| {
                validate_text(validator, &text)
            }),
        };
        self.verdict(path, &text, (&outcome, unrecorded), expect, buf, done);
    }

    /// Schema `i`, noted as used by the document; or, when it failed to
    /// load, the document counted as not checked (the schema's errors are
    /// reported in its place).
    fn schema_to_use(
        &'p self,
        i: usize,
        validators: &mut Validators<'p>,
        done: &mut Done,
    ) -> Option<&'p Schema> {
        self.walk_while_compiled(i, validators);
        match self.schema(i) {
            Ok(schema) => {
                done.used = Some(i);
                Some(schema)
            }
            Err(_) => {
                done.tally.not_checked = 1;
                done.schema_failed = Some(i);
                None
            }
        }
    }

    /// Feeds a document to the worker's validator for schema `i` with
    /// `validate`, counting its matches for coverage; the outcome, and how
    /// many errors the validator did not record.
    fn validate_with(
        &self,
        i: usize,
        schema: &'p Schema,
        validators: &mut Validators<'p>,
        expect: Expect,
        validate: impl FnOnce(&mut Validator<'p>) -> Outcome,
    ) -> (Outcome, usize) {
        let validator = self.validator_for(i, schema, validators);
        let outcome = validate(validator);
        validator.commit_coverage(counts_for_coverage(&outcome, expect));
        (outcome, validator.unrecorded())
    }

    /// The worker's validator for schema `i`, made on first use.
    pub(super) fn validator_for<'v>(
        &self,
        i: usize,
        schema: &'p Schema,
        validators: &'v mut Validators<'p>,
    ) -> &'v mut Validator<'p> {
        validators.entry(i).or_insert_with(|| {
            let mut v = schema.validator();
            if let Some(n) = self.settings.max_errors {
                v.set_max_errors(n);
            }
            if self.settings.coverage {
                v.enable_coverage();
            }
            v
        })
    }

    /// Validates a file from a streaming reader: bounded memory, positions
    /// carried in the errors, no snippets.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn stream_document(
        &'p self,
        file: std::fs::File,
        path: &std::path::Path,
        i: usize,
        expect: Expect,
        validators: &mut Validators<'p>,
        buf: &mut Vec<u8>,
        done: &mut Done,
    ) {
        let Some(schema) = self.schema_to_use(i, validators, done) else {
            return;
        };
        let reader = std::io::BufReader::with_capacity(1 << 16, file);
        let (outcome, unrecorded) =
            self.validate_with(i, schema, validators, expect, |validator| {
                validate_reader(validator, reader)
            });
        self.verdict(path, "", (&outcome, unrecorded), expect, buf, done);
    }

    /// Counts and reports a document's outcome (and how many errors the
    /// validator did not record) against its expectation.
    pub(super) fn verdict(
        &self,
        path: &std::path::Path,
        text: &str,
        (outcome, unrecorded): (&Outcome, usize),
        expect: Expect,
        buf: &mut Vec<u8>,
        done: &mut Done,
    ) {
        let format = self.settings.format;
        let shown = report::Shown {
            limit: self.settings.max_errors,
            unrecorded,
        };
        let document = |buf: &mut Vec<u8>, tally: &mut Tally| {
            let written = report::document(buf, format, path, text, outcome, shown);
            tally.errors += written.errors;
            tally.errors_not_shown += written.not_shown;
        };
        // Rendered only when something is reported (not for a valid document).
        let name = || path.display().to_string();
        // A heading line, then the document's errors.
        let headed = |buf: &mut Vec<u8>, tally: &mut Tally, heading: &str| {
            report::heading(buf, format, &name(), heading);
            document(buf, tally);
        };
        let errors = match outcome {
            Outcome::Valid => 0,
            Outcome::Invalid(errors) => errors.len() + unrecorded,
            Outcome::NotWellFormed(_) => 1,
        };
        let wrong_error = match &self.pins {
            Some(pins) => self.check_pin(pins, path, text, outcome, expect, buf, done),
            None => false,
        };
        match (outcome.is_valid(), expect) {
            (true, Expect::Invalid) => {
                done.tally.unexpectedly_valid = 1;
                report::file_error(
                    buf,
                    format,
                    &name(),
                    "rngcheck::expect::invalid",
                    "expected invalid, but it is valid".to_string(),
                );
            }
            (true, _) => done.tally.valid = 1,
            (false, Expect::Invalid) => {
                done.tally.expected_invalid = 1;
                if self.settings.show_expected {
                    let heading = format!("invalid, as expected ({}):", plural_errors(errors));
                    headed(buf, &mut done.tally, &heading);
                } else if wrong_error {
                    document(buf, &mut done.tally);
                }
            }
            (false, Expect::Valid) => {
                done.tally.invalid = 1;
                let heading = format!("expected valid: {}", plural_errors(errors));
                headed(buf, &mut done.tally, &heading);
            }
            (false, Expect::Nothing) => {
                done.tally.invalid = 1;
                document(buf, &mut done.tally);
            }
        }
    }

    /// With an expected-errors file: when blessing, notes the document's
    /// first error (for `--bless`); otherwise fails a document that is
    /// invalid as expected but not with the pinned error. Returns whether
    /// it failed it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn check_pin(
        &self,
        pins: &Pins,
        path: &std::path::Path,
        text: &str,
        outcome: &Outcome,
        expect: Expect,
        buf: &mut Vec<u8>,
        done: &mut Done,
    ) -> bool {
        let blessing = self.settings.bless;
        // Only a negative test has a pin to check; blessing also notes
        // which documents were checked (their old pins are replaced).
        if expect != Expect::Invalid && !blessing {
            return false;
        }
        let key = pins::doc_key(path, &self.plan.doc_root);
        let got = match expect {
            Expect::Invalid => pins::first_error(text, outcome),
            _ => None,
        };
        if blessing {
            done.pin = Some((key, got));
            return false;
        }
        let Some(got) = got else {
            return false;
        };
        let message = match pins.get(&key) {
            Some(pinned) if *pinned == got => return false,
            Some(pinned) => {
                format!("expected to fail with {pinned}, but fails with {got}")
            }
            None => format!(
                "fails with {got}, but {} pins no error for it (--bless pins it)",
                pins.path.display()
            ),
        };
        done.tally.wrong_error = 1;
        report::file_error(
            buf,
            self.settings.format,
            &path.display().to_string(),
            "rngcheck::expect::error",
            message,
        );
        true
    }
}

/// Whether a document's matches count for coverage: it is valid, and not
/// a negative test (one that is valid by mistake shows nothing of the schema).
fn counts_for_coverage(outcome: &Outcome, expect: Expect) -> bool {
    outcome.is_valid() && expect != Expect::Invalid
}
