//! The compiled schema: the pipeline's public entry point.

use std::path::Path;

use crate::diagnostic::SchemaError;
use crate::loader::{FsLoader, Loader, ReadError};
use crate::pattern::{idtypes, lower, restrict, CompiledGrammar};
use crate::simplify::include::Resolver;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::SyntaxKind;
use crate::validate::Validator;
use crate::ErrorKind;

/// A schema, loaded, simplified, checked and compiled. Immutable and
/// `Sync`: share one between threads, with one [`Validator`] per thread.
#[derive(Debug)]
pub struct Schema {
    grammar: CompiledGrammar,
    sources: SourceMap,
    /// Coverage items (empty unless loaded with [`LoadOptions::coverage`]).
    coverage_items: Vec<crate::coverage::Item>,
}

/// The files of the embedded default schema, by name.
const EMBEDDED_SCHEMA: &[(&str, &str)] = &[
    (
        "domaincommon.rng",
        include_str!("../schemas/domaincommon.rng"),
    ),
    ("basictypes.rng", include_str!("../schemas/basictypes.rng")),
    (
        "storagecommon.rng",
        include_str!("../schemas/storagecommon.rng"),
    ),
];

/// How to load a schema.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// Forces one syntax for every file; otherwise the extension decides.
    pub syntax: Option<SyntaxKind>,
    /// DTD-compatibility ID/IDREF checks (on by default, as in jing; off is
    /// jing's `-i`).
    pub id_checks: bool,
    /// Keep the side table of coverage items ([`crate::coverage`]) for
    /// [`Schema::coverage`].
    pub coverage: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            syntax: None,
            id_checks: true,
            coverage: false,
        }
    }
}

/// Why a schema could not be compiled: every error found, with the files
/// they point into.
#[derive(Debug)]
pub struct SchemaErrors {
    /// The errors, in the order found.
    pub errors: Vec<SchemaError>,
    /// The schema files that were read (for rendering spans).
    pub sources: SourceMap,
    /// The schema named (errors without a span are about it).
    pub path: std::path::PathBuf,
}

/// Reads the schema file named first. Bytes that are not text in its
/// encoding are reported in the file, at their line and column (an included
/// file's are reported at the include, naming them).
fn load_main(
    path: &Path,
    loader: &mut dyn Loader,
    sources: &mut SourceMap,
) -> Result<FileId, SchemaError> {
    let code = ErrorKind::SchemaLoad;
    match loader.read(path) {
        Ok(text) => Ok(sources.add(path, text)),
        Err(ReadError::Io(reason)) => Err(SchemaError::new(
            code,
            format!("cannot read \"{}\": {reason}", path.display()),
            None,
        )),
        Err(ReadError::Decode(e)) => {
            let file = sources.add(path, e.text);
            Err(SchemaError::new(
                code,
                format!("cannot read: {}", e.message),
                Some(Span::new(file, e.span)),
            ))
        }
    }
}

impl Schema {
    /// Loads the schema at `path` from the file system (syntax by extension).
    pub fn load(path: &Path) -> Result<Schema, SchemaErrors> {
        Schema::load_with(path, &mut FsLoader, None)
    }

    /// Loads the schema at `path` through `loader`; `syntax` forces one
    /// syntax for every file, otherwise the extension decides.
    pub fn load_with(
        path: &Path,
        loader: &mut dyn Loader,
        syntax: Option<SyntaxKind>,
    ) -> Result<Schema, SchemaErrors> {
        let options = LoadOptions {
            syntax,
            ..LoadOptions::default()
        };
        Schema::load_with_options(path, loader, options)
    }

    /// Loads the schema at `path` through `loader` with `options`.
    pub fn load_with_options(
        path: &Path,
        loader: &mut dyn Loader,
        options: LoadOptions,
    ) -> Result<Schema, SchemaErrors> {
        let syntax = options.syntax;
        let mut sources = SourceMap::new();
        let file = match load_main(path, loader, &mut sources) {
            Ok(file) => file,
            Err(error) => {
                return Err(SchemaErrors {
                    errors: vec![error],
                    sources,
                    path: path.to_path_buf(),
                })
            }
        };
        let mut resolver = Resolver::new(&mut sources, loader);
        resolver.forced_syntax = syntax;
        let root = resolver.resolve_file(file, "");
        let mut errors = std::mem::take(&mut resolver.errors);
        let Some(root) = root else {
            return Err(SchemaErrors {
                errors,
                sources,
                path: path.to_path_buf(),
            });
        };
        if !errors.is_empty() {
            return Err(SchemaErrors {
                errors,
                sources,
                path: path.to_path_buf(),
            });
        }
        let (mut grammar, spans, lower_errors) = lower::lower(&root, options.coverage);
        errors.extend(lower_errors);
        if errors.is_empty() {
            errors.extend(restrict::check(&grammar, &spans));
        }
        if errors.is_empty() && options.id_checks {
            let (id_types, id_errors) = idtypes::check(&grammar, &spans);
            grammar.id_types = id_types;
            errors.extend(id_errors);
        }
        if errors.is_empty() {
            Ok(Schema {
                grammar,
                sources,
                coverage_items: spans.items,
            })
        } else {
            Err(SchemaErrors {
                errors,
                sources,
                path: path.to_path_buf(),
            })
        }
    }

    /// The files the schema at `path` is made of: itself and every file it
    /// reaches through `include` and `externalRef`, as far as they could be
    /// read (nothing is compiled; a schema with errors lists what it reached).
    pub fn files(path: &Path, syntax: Option<SyntaxKind>) -> Vec<std::path::PathBuf> {
        let mut sources = SourceMap::new();
        let mut loader = FsLoader;
        let href = path.to_string_lossy();
        if let Ok(file) = loader.load(&mut sources, None, &href) {
            let mut resolver = Resolver::new(&mut sources, &mut loader);
            resolver.forced_syntax = syntax;
            let _ = resolver.resolve_file(file, "");
        }
        sources.paths().map(Path::to_path_buf).collect()
    }

    /// The embedded default schema: the project's libvirt domain schema
    /// (`schemas/domaincommon.rng` and the files it includes), compiled into
    /// the binary and read from memory.
    pub fn embedded(options: LoadOptions) -> Result<Schema, SchemaErrors> {
        let base = std::path::PathBuf::from("<embedded>");
        let mut loader = crate::loader::MemLoader::new(
            EMBEDDED_SCHEMA
                .iter()
                .map(|(name, text)| (base.join(name), text.to_string())),
        );
        Schema::load_with_options(&base.join("domaincommon.rng"), &mut loader, options)
    }

    /// The schema files read.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The compiled grammar.
    pub fn grammar(&self) -> &CompiledGrammar {
        &self.grammar
    }

    /// Every coverage item with its location and its counts in `hits`
    /// (from validators with coverage on); empty unless the schema was
    /// loaded with [`LoadOptions::coverage`].
    pub fn coverage(&self, hits: &crate::coverage::Hits) -> Vec<crate::coverage::CoveredItem> {
        crate::coverage::covered_items(
            &self.coverage_items,
            &self.sources,
            &self.grammar.arena,
            hits,
        )
    }

    /// A validator for this schema (one per thread; reuse it).
    pub fn validator(&self) -> Validator<'_> {
        Validator::new(&self.grammar)
    }
}
