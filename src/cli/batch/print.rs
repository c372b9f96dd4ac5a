//! The calling thread's printing: each entry's report in plan order, the
//! progress bar, and a closed standard output noticed.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::Ordering;

use super::tally::{RunResult, Tally};
use super::{Batch, Done};
use crate::cli::pins::Pin;
use crate::cli::report;

/// The calling thread's side of a run: prints each entry's report in plan
/// order, adds up the tally, drives the progress bar and notices a closed
/// standard output.
pub(super) struct Printer<'b, 'p> {
    batch: &'b Batch<'p>,
    progress: Option<report::Progress>,
    /// Standard output in the run's format (None with `--list`).
    stream: Option<report::Stream>,
    tally: Tally,
    schema_reported: Vec<bool>,
    broken_pipe: bool,
    used: BTreeMap<usize, usize>,
    pinned: BTreeMap<String, Option<Pin>>,
}

impl<'b, 'p> Printer<'b, 'p> {
    pub(super) fn new(batch: &'b Batch<'p>, progress: Option<report::Progress>) -> Self {
        let mut printer = Printer {
            batch,
            progress,
            stream: None,
            tally: Tally {
                skipped: batch.plan.skipped,
                ..Tally::default()
            },
            schema_reported: vec![false; batch.schemas.len()],
            broken_pipe: false,
            used: BTreeMap::new(),
            pinned: BTreeMap::new(),
        };
        if !batch.settings.list {
            let begun = report::Stream::begin(batch.settings.format, &mut std::io::stdout().lock());
            match begun {
                Ok(stream) => printer.stream = Some(stream),
                Err(e) => printer.write_failed(&e),
            }
        }
        printer
    }

    fn write_failed(&mut self, e: &std::io::Error) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            self.broken_pipe = true;
            self.stop_once_failed();
        }
    }

    pub(super) fn print(&mut self, done: &Done) {
        if let Some(bar) = &mut self.progress {
            bar.inc();
        }
        self.tally.add(&done.tally);
        if let Some(i) = done.used {
            *self.used.entry(i).or_default() += 1;
        }
        if let Some((key, pin)) = &done.pin {
            self.pinned.insert(key.clone(), pin.clone());
        }
        let mut text = String::new();
        if let Some(s) = done.schema_failed {
            if !self.schema_reported[s] {
                self.schema_reported[s] = true;
                let (errors, count) = self.batch.render_schema_errors(s);
                self.tally.errors += count;
                if !self.broken_pipe {
                    text.push_str(&errors);
                }
            }
        }
        if self.broken_pipe {
            self.stop_once_failed();
            return;
        }
        text.push_str(&done.out);
        let quiet = self.batch.settings.quiet;
        let stream = &mut self.stream;
        let mut write = || -> std::io::Result<()> {
            if !text.is_empty() {
                let mut out = std::io::stdout().lock();
                match stream {
                    Some(stream) => stream.write(&mut out, &text)?,
                    None => out.write_all(text.as_bytes())?,
                }
                out.flush()?;
            }
            if !done.note.is_empty() && !quiet {
                let _ = std::io::stderr().write_all(done.note.as_bytes());
            }
            Ok(())
        };
        let quiet_note = done.note.is_empty() || quiet;
        let written = match &self.progress {
            _ if text.is_empty() && quiet_note => Ok(()),
            Some(bar) => bar.suspend(write),
            None => write(),
        };
        if let Err(e) = written {
            self.write_failed(&e);
        }
    }

    /// With nowhere left to print, the rest of the run can only change a
    /// verdict that is not a failure yet: stop once it is one, else go on
    /// checking quietly so that a later failure still sets the exit code.
    fn stop_once_failed(&self) {
        if self.tally.failed() || self.tally.no_schema > 0 || self.schema_reported.contains(&true) {
            self.batch.cancelled.store(true, Ordering::Relaxed);
        }
    }

    /// Removes the progress bar; returns the totals and the output stream,
    /// which [`Batch::close_output`] closes.
    pub(super) fn finish(self) -> (RunResult, Option<report::Stream>) {
        if let Some(bar) = self.progress {
            bar.finish();
        }
        let result = RunResult {
            tally: self.tally,
            schema_failures: self.schema_reported.iter().filter(|&&r| r).count(),
            broken_pipe: self.broken_pipe,
            used: self.used,
            pinned: self.pinned,
            coverage: BTreeMap::new(),
        };
        (result, self.stream)
    }
}

pub(super) fn plural_errors(n: usize) -> String {
    if n == 1 {
        "1 error".to_string()
    } else {
        format!("{n} errors")
    }
}
