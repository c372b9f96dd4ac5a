//! Where a document's bytes and its schema come from: files opened once
//! (their size decides streaming), standard input, the schema compiled
//! ahead of the run, and the schema picked by the root element.

use super::{Batch, STACK_SIZE};
use crate::cli::plan::{swapped_message, Choice, DocSource, SchemaSource};
use crate::cli::schema_dir::{is_relax_ng, sniff_root};
use crate::loader::{io_reason, FsLoader, ReadError};
use crate::schema::{Schema, SchemaErrors};
use crate::validate::Outcome;

/// A schema being compiled on a thread of its own, started before the plan
/// is complete.
pub struct Prefetch {
    pub(super) source: SchemaSource,
    pub(super) compiling: std::thread::JoinHandle<Result<Schema, SchemaErrors>>,
}

impl Prefetch {
    /// Starts compiling `source` (None if no thread could be started: the
    /// run then compiles it when first needed, as usual).
    pub fn start(source: SchemaSource, id_checks: bool, coverage: bool) -> Option<Prefetch> {
        let for_thread = source.clone();
        let compiling = std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .name("rngcheck-schema".to_string())
            .spawn(move || load_schema(&for_thread, id_checks, coverage))
            .ok()?;
        Some(Prefetch { source, compiling })
    }
}

pub(super) fn load_schema(
    source: &SchemaSource,
    id_checks: bool,
    coverage: bool,
) -> Result<Schema, SchemaErrors> {
    let options = |syntax| crate::LoadOptions {
        syntax,
        id_checks,
        coverage,
    };
    match source {
        SchemaSource::Embedded => Schema::embedded(options(None)),
        SchemaSource::File(path, syntax) => {
            Schema::load_with_options(path, &mut FsLoader, options(*syntax))
        }
    }
}

/// A document's bytes come from standard input or from a file opened once
/// (its size, read from the open file, decides whether it is streamed).
pub(super) enum Input {
    Stdin,
    File(std::fs::File, u64),
}

pub(super) fn open_document(source: &DocSource) -> Result<Input, String> {
    match source {
        DocSource::Stdin => Ok(Input::Stdin),
        DocSource::Path(path) => {
            let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            Ok(Input::File(file, size))
        }
    }
}

pub(super) fn read_document(input: Result<Input, String>) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    let read = match input.map_err(ReadError::Io)? {
        Input::Stdin => std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes),
        Input::File(file, size) => {
            bytes.reserve_exact(usize::try_from(size).unwrap_or(0));
            // Through `Take`: `File::read_to_end` would stat the file and
            // seek again to size its buffer, which is sized already.
            std::io::Read::read_to_end(&mut std::io::Read::take(file, u64::MAX), &mut bytes)
        }
    };
    read.map_err(|e| ReadError::Io(io_reason(&e)))?;
    crate::encoding::decode(bytes).map_err(ReadError::Decode)
}

impl<'p> Batch<'p> {
    /// The schema for a document to be streamed: fixed, or picked by the
    /// root element found in the file's first bytes (the file is rewound).
    pub(super) fn stream_schema(
        &self,
        mut file: std::fs::File,
        choice: Choice,
    ) -> Result<(std::fs::File, usize), std::fs::File> {
        use std::io::{Read, Seek};
        let picker = match choice {
            Choice::Fixed(i) => return Ok((file, i)),
            Choice::ByRoot(picker) => picker,
        };
        let mut head = Vec::new();
        let read = (&mut file).take(64 * 1024).read_to_end(&mut head);
        let rewound = file.rewind();
        if read.is_err() || rewound.is_err() {
            return Err(file);
        }
        let head = crate::encoding::decode_head(&head);
        match sniff_root(&head).map(|local| self.plan.pickers[picker].pick(local)) {
            Some(Ok(i)) => Ok((file, i)),
            _ => Err(file),
        }
    }

    pub(super) fn root_schema(&self, picker: usize, text: &str) -> Result<usize, RootProblem> {
        let parsed;
        let local = match sniff_root(text) {
            Some(local) => local,
            None => match crate::validate::events::parse_document(text) {
                Ok(doc) => {
                    parsed = doc;
                    parsed.root_element().tag_name().name()
                }
                Err(e) => return Err(RootProblem::NotWellFormed(Outcome::NotWellFormed(e))),
            },
        };
        self.plan.pickers[picker].pick(local).map_err(|message| {
            RootProblem::NoSchema(if is_relax_ng(text) {
                swapped_message("this file")
            } else {
                message
            })
        })
    }
}

pub(super) enum RootProblem {
    NotWellFormed(Outcome),
    NoSchema(String),
}
