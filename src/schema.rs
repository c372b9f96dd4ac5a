//! The compiled schema: the pipeline's public entry point.

use std::path::{Path, PathBuf};

use crate::diagnostic::SchemaError;
use crate::loader::{FsLoader, Loader, MemLoader, ReadError};
use crate::pattern::{idtypes, lower, restrict, CompiledGrammar};
use crate::simplify::include::Resolver;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::SyntaxKind as Syntax;
use crate::validate::Validator;
use crate::verdict::{write_lines, Diagnostic};
use crate::ErrorKind;

/// A schema, loaded, simplified, checked and compiled. Immutable and
/// `Sync`: share one between threads, with one [`Validator`] per thread.
///
/// ```
/// use rngcheck::{Schema, Syntax};
///
/// let schema = Schema::from_str("element n { xsd:integer }", Syntax::Compact)?;
/// std::thread::scope(|scope| {
///     for n in ["1", "2"] {
///         let schema = &schema;
///         scope.spawn(move || {
///             let document = format!("<n>{n}</n>");
///             assert!(schema.validator().validate_str(&document).is_ok());
///         });
///     }
/// });
/// # Ok::<(), rngcheck::SchemaErrors>(())
/// ```
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

/// How to load a schema: which syntax, and whether to check IDs.
///
/// ```
/// use rngcheck::{LoadOptions, Schema, Syntax};
///
/// let options = LoadOptions::new().syntax(Syntax::Compact).id_checks(false);
/// let error = Schema::load_with("no/such/schema.rnc", &options).unwrap_err();
/// assert_eq!(error.to_string(), "no/such/schema.rnc: cannot read \"no/such/schema.rnc\": no such file");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// Forces one syntax for every file; otherwise the extension decides.
    pub(crate) syntax: Option<Syntax>,
    /// DTD-compatibility ID/IDREF checks.
    pub(crate) id_checks: bool,
    /// Keep the side table of coverage items ([`crate::coverage`]) for
    /// `Schema::merged_coverage`.
    pub(crate) coverage: bool,
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

impl LoadOptions {
    /// The defaults: syntax by file extension (`.rnc` is compact), ID checks on.
    ///
    /// ```
    /// let options = rngcheck::LoadOptions::new();
    /// # let _ = options;
    /// ```
    pub fn new() -> LoadOptions {
        LoadOptions::default()
    }

    /// Reads every file of the schema in `syntax`, whatever its extension.
    ///
    /// ```
    /// use rngcheck::{LoadOptions, Syntax};
    ///
    /// let options = LoadOptions::new().syntax(Syntax::Compact);
    /// # let _ = options;
    /// ```
    pub fn syntax(mut self, syntax: Syntax) -> LoadOptions {
        self.syntax = Some(syntax);
        self
    }

    /// Whether to apply the DTD-compatibility ID/IDREF rules (on by
    /// default, as in jing; off is jing's `-i`).
    ///
    /// ```
    /// use rngcheck::{LoadOptions, Schema};
    ///
    /// # let dir = std::env::temp_dir().join(format!("rngcheck-doc3-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let path = dir.join("ids.rnc");
    /// std::fs::write(&path, "element r { element e { attribute id { xsd:ID } }* }").unwrap();
    /// let doc = "<r><e id='a'/><e id='a'/></r>";
    /// let checked = Schema::load(&path)?;
    /// assert!(checked.validator().validate_str(doc).is_err());
    /// let unchecked = Schema::load_with(&path, &LoadOptions::new().id_checks(false))?;
    /// assert!(unchecked.validator().validate_str(doc).is_ok());
    /// # Ok::<(), rngcheck::SchemaErrors>(())
    /// ```
    pub fn id_checks(mut self, on: bool) -> LoadOptions {
        self.id_checks = on;
        self
    }
}

/// Why a schema could not be loaded: every error found, in the order found.
///
/// ```
/// use rngcheck::{ErrorKind, Schema, Syntax};
///
/// let text = "start = element a { ghost }";
/// let errors = Schema::from_str(text, Syntax::Compact).unwrap_err();
/// let error = &errors.errors()[0];
/// assert_eq!(error.kind(), ErrorKind::SchemaUndefinedRef);
/// assert_eq!(error.line_col(), Some((1, 21)));
/// assert_eq!(error.to_string(), "<string>:1:21: reference to undefined pattern \"ghost\"");
/// ```
#[derive(Debug)]
pub struct SchemaErrors {
    /// The errors, in the order found.
    pub(crate) errors: Vec<SchemaError>,
    /// The schema files that were read (for rendering spans).
    pub(crate) sources: SourceMap,
    /// The schema named (errors without a span are about it).
    pub(crate) path: PathBuf,
}

impl SchemaErrors {
    /// Every error, located in its schema file (never empty).
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.errors.iter().map(|e| self.locate(e)).collect()
    }

    /// `error` with its file, line and column, and the files that file was
    /// included from.
    fn locate(&self, error: &SchemaError) -> Diagnostic {
        let mut located = Diagnostic {
            kind: error.code,
            message: error.message.clone(),
            // Without a span the error is about the schema named (a missing file).
            file: Some(self.path.clone()),
            span: None,
            line_col: None,
            path: String::new(),
            expected: Vec::new(),
            help: None,
        };
        if let Some(span) = error.span {
            let lc = self.sources.line_col(span);
            located.file = Some(self.sources.file(span.file).path().to_path_buf());
            located.span = Some(span.range());
            located.line_col = Some((lc.line, lc.column));
            let chain: Vec<String> = self
                .sources
                .include_chain(span.file)
                .into_iter()
                .map(|r| {
                    let lc = self.sources.line_col(r);
                    let path = self.sources.file(r.file).path().display();
                    format!("{path}:{}:{}", lc.line, lc.column)
                })
                .collect();
            if !chain.is_empty() {
                located.help = Some(format!("included from {}", chain.join(", from ")));
            }
        }
        located
    }
}

impl std::fmt::Display for SchemaErrors {
    /// One error per line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_lines(f, &self.errors())
    }
}

impl std::error::Error for SchemaErrors {}

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
    /// Loads the schema at `path` and every file it includes; `.rnc` files
    /// are read in the compact syntax, others in the XML syntax.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("rngcheck-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let path = dir.join("note.rnc");
    /// std::fs::write(&path, "element note { text }").unwrap();
    /// let schema = rngcheck::Schema::load(&path)?;
    /// assert!(schema.validator().validate_str("<note>hi</note>").is_ok());
    /// # Ok::<(), rngcheck::SchemaErrors>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Schema, SchemaErrors> {
        Schema::load_with(path, &LoadOptions::default())
    }

    /// Loads the schema at `path` with `options`.
    ///
    /// ```
    /// use rngcheck::{LoadOptions, Schema, Syntax};
    ///
    /// # let dir = std::env::temp_dir().join(format!("rngcheck-doc2-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let path = dir.join("note.txt");
    /// std::fs::write(&path, "element note { text }").unwrap();
    /// let schema = Schema::load_with(&path, &LoadOptions::new().syntax(Syntax::Compact))?;
    /// assert!(schema.validator().validate_str("<note/>").is_ok());
    /// # Ok::<(), rngcheck::SchemaErrors>(())
    /// ```
    pub fn load_with(
        path: impl AsRef<Path>,
        options: &LoadOptions,
    ) -> Result<Schema, SchemaErrors> {
        Schema::load_with_options(path.as_ref(), &mut FsLoader, *options)
    }

    /// Compiles a schema given as text, in `syntax`. Its errors name the
    /// file `<string>`; it cannot include other files.
    ///
    /// ```
    /// use rngcheck::{Schema, Syntax};
    ///
    /// let xml = r#"<element name="note" xmlns="http://relaxng.org/ns/structure/1.0">
    ///                <text/>
    ///              </element>"#;
    /// let schema = Schema::from_str(xml, Syntax::Xml)?;
    /// assert!(schema.validator().validate_str("<note>hi</note>").is_ok());
    /// # Ok::<(), rngcheck::SchemaErrors>(())
    /// ```
    pub fn from_str(text: &str, syntax: Syntax) -> Result<Schema, SchemaErrors> {
        let path = PathBuf::from("<string>");
        let mut loader = MemLoader::new([(path.clone(), text.to_string())]);
        let options = LoadOptions::new().syntax(syntax);
        Schema::load_with_options(&path, &mut loader, options)
    }

    /// Loads the schema at `path` through `loader` with `options`.
    pub(crate) fn load_with_options(
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
    pub(crate) fn files(path: &Path, syntax: Option<Syntax>) -> Vec<std::path::PathBuf> {
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
    pub(crate) fn embedded(options: LoadOptions) -> Result<Schema, SchemaErrors> {
        let base = std::path::PathBuf::from("<embedded>");
        let mut loader = MemLoader::new(
            EMBEDDED_SCHEMA
                .iter()
                .map(|(name, text)| (base.join(name), text.to_string())),
        );
        Schema::load_with_options(&base.join("domaincommon.rng"), &mut loader, options)
    }

    /// The compiled grammar (for the derivative tests).
    #[cfg(test)]
    pub(crate) fn grammar(&self) -> &CompiledGrammar {
        &self.grammar
    }

    /// The coverage items (see [`LoadOptions::coverage`]), the files they
    /// are in, and the arena their patterns are of.
    pub(crate) fn coverage_parts(
        &self,
    ) -> (
        &[crate::coverage::Item],
        &crate::source::SourceMap,
        &crate::pattern::PatternArena,
    ) {
        (&self.coverage_items, &self.sources, &self.grammar.arena)
    }

    /// Every coverage item of several schemas with its location and its
    /// counts (from validators with coverage on), merged by location: an
    /// item of a file several of them include comes once, with the hits of
    /// all. Empty unless the schemas were loaded with
    /// [`LoadOptions::coverage`].
    #[cfg(test)]
    pub(crate) fn merged_coverage<'s, 'h>(
        schemas: impl IntoIterator<Item = (&'s Schema, &'h crate::coverage::Hits)>,
    ) -> Vec<crate::coverage::CoveredItem<'s>> {
        crate::coverage::merged_items(schemas.into_iter().map(|(schema, hits)| {
            let (items, sources, arena) = schema.coverage_parts();
            (items, sources, arena, hits)
        }))
    }

    /// A validator for this schema. Validators are cheap to make, but
    /// reuse one for many documents: it remembers what it has derived. The
    /// schema is `Sync`: share it between threads, one validator each.
    ///
    /// ```
    /// use rngcheck::{Schema, Syntax};
    ///
    /// let schema = Schema::from_str("element n { xsd:integer }", Syntax::Compact)?;
    /// let mut validator = schema.validator();
    /// for document in ["<n>1</n>", "<n>2</n>"] {
    ///     assert!(validator.validate_str(document).is_ok());
    /// }
    /// # Ok::<(), rngcheck::SchemaErrors>(())
    /// ```
    pub fn validator(&self) -> Validator<'_> {
        Validator::new(&self.grammar)
    }
}
