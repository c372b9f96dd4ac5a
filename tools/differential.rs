//! `make differential`: rngcheck's verdicts against jing's over generated
//! documents, schemas and datatype values.
//!
//! Seeds: the conformance suites and libvirt's corpus in `../shared`, and
//! real schemas with documents from Debian packages (DocBook 5, the DocBook
//! XSL stylesheets, Emacs' schema directory), fetched once with
//! `apt-get download` into a cache directory outside the repository. From
//! them, with a seeded generator (the same seed gives the same run):
//! - document mutants: elements and attributes deleted, duplicated,
//!   renamed, moved; attribute values and text replaced by boundary values
//!   of the datatypes in use;
//! - schema mutants: patterns wrapped, deleted, duplicated, swapped,
//!   renamed, retyped, checked against the seed's documents;
//! - datatype values: one generated schema with an element per datatype
//!   and facet, and documents holding boundary values.
//!
//! rngcheck runs in process; jing (`java -jar`, the Debian package's jar,
//! installed with apt-get if missing) runs once per schema over a batch of
//! documents, its errors mapped back to files (jing stops a batch at a
//! fatal error, so the rest of the batch is run again). Each disagreement
//! (valid / invalid / schema error) is minimized by deleting elements,
//! attributes and text while it persists, then printed with its
//! reproducer; those that `docs/differential.md` explains (jing wrong by
//! the spec) are counted as known. Exit status 1 if any other remains.
//!
//! Usage: `differential [--count N] [--seed S] [--cache DIR] [--shared DIR]`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use rngcheck::{LoadOptions, Schema, Syntax};

const JING_JAR: &str = "/usr/share/java/jing.jar";
/// Documents per jing invocation (one JVM start each).
const JING_BATCH: usize = 400;
/// Distinct disagreements minimized (each costs a few JVM starts).
const MINIMIZE_LIMIT: usize = 40;
const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";
const XSD_LIB: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

fn main() {
    let args = match Args::parse() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("differential: {message}");
            std::process::exit(2);
        }
    };
    let started = std::time::Instant::now();
    if let Err(message) = ensure_jing() {
        eprintln!("differential: {message}");
        std::process::exit(2);
    }
    let work = args.cache.join("work");
    let _ = std::fs::remove_dir_all(&work);
    if let Err(e) = std::fs::create_dir_all(&work) {
        eprintln!("differential: cannot create {}: {e}", work.display());
        std::process::exit(2);
    }
    make_jing_archive(&args.cache);
    let debian = fetch_debian(&args.cache);
    let mut run = Run::new(work, args.seed);
    run.seed_conformance(&args.shared);
    run.seed_libvirt(&args.shared);
    match &debian {
        Some(root) => run.seed_debian(root, &args.shared),
        None => eprintln!("differential: Debian schemas not available; seeds from ../shared only"),
    }
    if run.seeds.is_empty() {
        eprintln!("differential: no seeds (is ../shared there?)");
        std::process::exit(2);
    }
    println!(
        "differential: seed {}, {} seed schemas with {} documents, {} mutants asked",
        args.seed,
        run.seeds.len(),
        run.seeds.iter().map(|s| s.docs.len()).sum::<usize>(),
        args.count
    );
    run.generate(args.count);
    run.judge();
    let known = Known::load(&args.repo.join("docs/differential.md"));
    let fresh = run.report(&known);
    println!(
        "differential: done in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    std::process::exit(i32::from(fresh > 0));
}

struct Args {
    count: usize,
    seed: u64,
    cache: PathBuf,
    shared: PathBuf,
    repo: PathBuf,
}

impl Args {
    fn parse() -> Result<Args, String> {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut args = Args {
            count: 10_000,
            seed: 1,
            cache: std::env::temp_dir().join("rngcheck-differential"),
            shared: repo.join("../shared"),
            repo,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--count" => args.count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
                "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
                "--cache" => args.cache = PathBuf::from(value()?),
                "--shared" => args.shared = PathBuf::from(value()?),
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(args)
    }
}

// ---- Setup ----------------------------------------------------------------

/// Installs the Debian jing package if its jar is missing.
fn ensure_jing() -> Result<(), String> {
    if Path::new(JING_JAR).exists() {
        return Ok(());
    }
    eprintln!("differential: installing jing with apt-get");
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "-q", "jing"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
    };
    if !install().is_ok_and(|s| s.success()) {
        let _ = Command::new("apt-get").args(["update", "-q"]).status();
        let _ = install();
    }
    if Path::new(JING_JAR).exists() {
        Ok(())
    } else {
        Err(format!(
            "{JING_JAR} missing and apt-get could not install jing"
        ))
    }
}

/// The Debian packages whose schemas and documents seed the run.
const DEBIAN_PACKAGES: &[&str] = &["docbook5-xml", "docbook-xsl", "emacs-common"];

/// Downloads and unpacks the packages once into `cache/debian` (which is
/// kept between runs); the unpacked root, if that worked.
fn fetch_debian(cache: &Path) -> Option<PathBuf> {
    let root = cache.join("debian");
    let done = root.join(".unpacked");
    if done.exists() {
        return Some(root);
    }
    let debs = cache.join("debs");
    std::fs::create_dir_all(&debs).ok()?;
    let download = |pkgs: &[&str]| {
        Command::new("apt-get")
            .arg("download")
            .args(pkgs)
            .current_dir(&debs)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !download(DEBIAN_PACKAGES) {
        let _ = Command::new("apt-get").args(["update", "-q"]).output();
        if !download(DEBIAN_PACKAGES) {
            eprintln!("differential: apt-get download {DEBIAN_PACKAGES:?} failed");
            return None;
        }
    }
    std::fs::create_dir_all(&root).ok()?;
    for entry in std::fs::read_dir(&debs).ok()?.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "deb") {
            let ok = Command::new("dpkg-deb")
                .arg("-x")
                .arg(&path)
                .arg(&root)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!("differential: dpkg-deb -x {} failed", path.display());
                return None;
            }
        }
    }
    std::fs::write(&done, "").ok()?;
    Some(root)
}

// ---- Randomness -----------------------------------------------------------

/// SplitMix64: small, seeded, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

// ---- Seeds ----------------------------------------------------------------

/// A schema with documents that go with it.
struct Seed {
    schema: PathBuf,
    compact: bool,
    origin: String,
    docs: Vec<String>,
    /// Small XML-syntax schemas (the spec suite's) are mutated too.
    mutable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Category {
    Seed,
    Document,
    Schema,
    Datatype,
}

impl Category {
    fn name(self) -> &'static str {
        match self {
            Category::Seed => "seed documents",
            Category::Document => "document mutants",
            Category::Schema => "schema mutants",
            Category::Datatype => "datatype values",
        }
    }
}

/// One schema the run validates against (a seed's, a mutant, generated).
struct SchemaEntry {
    path: PathBuf,
    compact: bool,
    rngcheck: Option<Result<Schema, String>>,
}

/// One (schema, document) comparison.
struct Case {
    category: Category,
    schema: usize,
    doc: PathBuf,
    what: String,
    ours: Option<(Verdict, String)>,
    jing: Option<(Verdict, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Verdict {
    Valid,
    Invalid,
    SchemaError,
}

struct Run {
    work: PathBuf,
    rng: Rng,
    seeds: Vec<Seed>,
    schemas: Vec<SchemaEntry>,
    cases: Vec<Case>,
    /// Index in `schemas` of each seed's schema.
    seed_schema: Vec<usize>,
    files: usize,
    /// Mutants generated, by category.
    generated: BTreeMap<Category, usize>,
}

fn parse(text: &str) -> Option<roxmltree::Document<'_>> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).ok()
}

fn read_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    rngcheck::internals::decode(bytes).ok()
}

/// A seed document without a DOCTYPE that names an external DTD (jing
/// would fetch it; rngcheck never does).
fn without_external_dtd(text: String) -> String {
    let Some(start) = text.find("<!DOCTYPE") else {
        return text;
    };
    let Some(len) = text[start..].find('>') else {
        return text;
    };
    let decl = &text[start..start + len];
    if decl.contains('[') || !(decl.contains("SYSTEM") || decl.contains("PUBLIC")) {
        return text;
    }
    format!("{}{}", &text[..start], &text[start + len + 1..])
}

impl Run {
    fn new(work: PathBuf, seed: u64) -> Run {
        Run {
            work,
            rng: Rng(seed),
            seeds: Vec::new(),
            schemas: Vec::new(),
            cases: Vec::new(),
            seed_schema: Vec::new(),
            files: 0,
            generated: BTreeMap::new(),
        }
    }

    fn write(&mut self, ext: &str, text: &str) -> PathBuf {
        self.files += 1;
        let dir = self.work.join(format!("{:03}", self.files / 1000));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("f{}.{ext}", self.files));
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("differential: cannot write {}: {e}", path.display());
        }
        path
    }

    /// The spec suite's correct schemas with their documents (cases that
    /// need resources are left out).
    fn seed_conformance(&mut self, shared: &Path) {
        let path = shared.join("conformance/spectest.xml");
        let Some(text) = read_text(&path) else {
            eprintln!("differential: {} missing", path.display());
            return;
        };
        // roxmltree refuses the suite's one markup-bearing entity: the
        // DOCTYPE goes, and its references become what they stand for.
        let text = match (text.find("<!DOCTYPE"), text.find("]>")) {
            (Some(start), Some(end)) => format!("{}{}", &text[..start], &text[end + 2..]),
            _ => text,
        }
        .replace("&dii;", "<\u{E14}\u{E35}/>");
        let doc = match roxmltree::Document::parse_with_options(
            &text,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        ) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("differential: {}: {e}", path.display());
                return;
            }
        };
        let mut n = 0;
        for case in doc.descendants().filter(|n| n.has_tag_name("testCase")) {
            let child = |name: &'static str| case.children().filter(move |c| c.has_tag_name(name));
            if child("resource").next().is_some() || child("dir").next().is_some() {
                continue;
            }
            let Some(correct) = child("correct").next() else {
                continue;
            };
            let Some(schema) = first_element_text(&text, correct) else {
                continue;
            };
            let docs: Vec<String> = child("valid")
                .chain(child("invalid"))
                .filter_map(|d| first_element_text(&text, d))
                .collect();
            if docs.is_empty() {
                continue;
            }
            n += 1;
            let schema_path = self.write("rng", &schema);
            self.seeds.push(Seed {
                schema: schema_path,
                compact: false,
                origin: format!("spectest case {n}"),
                docs,
                mutable: true,
            });
        }
    }

    /// libvirt's schemas with a sample of their documents.
    fn seed_libvirt(&mut self, shared: &Path) {
        let root = shared.join("libvirt-9.0.0");
        let Some(manifest) = read_text(&root.join("manifest.tsv")) else {
            eprintln!("differential: libvirt manifest missing");
            return;
        };
        let mut by_schema: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for line in manifest.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            if let [schema, doc, ..] = fields.as_slice() {
                by_schema.entry(schema).or_default().push(doc);
            }
        }
        for (schema, docs) in by_schema {
            let mut picked = Vec::new();
            for _ in 0..docs.len().min(12) {
                if let Some(doc) = self.rng.pick(&docs) {
                    if let Some(text) = read_text(&root.join(doc)) {
                        picked.push(without_external_dtd(text));
                    }
                }
            }
            if !picked.is_empty() {
                self.seeds.push(Seed {
                    schema: root.join(schema),
                    compact: false,
                    origin: format!("libvirt {schema}"),
                    docs: picked,
                    mutable: false,
                });
            }
        }
    }

    /// Real schemas from Debian packages, with documents they describe.
    fn seed_debian(&mut self, root: &Path, shared: &Path) {
        let emacs = find_dir(&root.join("usr/share/emacs"), "etc/schema");
        let xsl = root.join("usr/share/xml/docbook/stylesheet/docbook-xsl");
        let db5 = root.join("usr/share/xml/docbook/schema/rng/5.0");
        let mut rng_files = files_with_ext(&shared.join("libvirt-9.0.0/src/conf/schemas"), "rng");
        rng_files.extend(files_with_ext(&db5, "rng"));
        rng_files.extend(files_with_ext(&xsl.join("slides/schema/relaxng"), "rng"));
        let xsl_files = files_with_ext(&xsl, "xsl");
        let mut pairs: Vec<(PathBuf, bool, Vec<PathBuf>, String)> = Vec::new();
        if let Some(emacs) = &emacs {
            pairs.push((
                emacs.join("relaxng.rnc"),
                true,
                rng_files.clone(),
                "emacs relaxng.rnc".into(),
            ));
            pairs.push((
                emacs.join("xslt.rnc"),
                true,
                xsl_files,
                "emacs xslt.rnc".into(),
            ));
            pairs.push((
                emacs.join("locate.rnc"),
                true,
                vec![emacs.join("schemas.xml")],
                "emacs locate.rnc".into(),
            ));
            let html = files_with_ext(&xsl.join("slides/slidy"), "html");
            pairs.push((
                emacs.join("xhtml.rnc"),
                true,
                html,
                "emacs xhtml.rnc".into(),
            ));
        }
        pairs.push((
            xsl.join("slides/schema/relaxng/slides.rng"),
            false,
            vec![xsl.join("slides/doc/slides.xml")],
            "docbook-xsl slides.rng".into(),
        ));
        for (schema, compact, docs, origin) in pairs {
            if !schema.exists() {
                continue;
            }
            let mut picked = Vec::new();
            for _ in 0..docs.len().min(15) {
                if let Some(doc) = self.rng.pick(&docs) {
                    let text = read_text(doc).map(without_external_dtd);
                    if let Some(text) = text.filter(|t| t.len() < 200_000 && parse(t).is_some()) {
                        picked.push(text);
                    }
                }
            }
            if !picked.is_empty() {
                self.seeds.push(Seed {
                    schema,
                    compact,
                    origin,
                    docs: picked,
                    mutable: false,
                });
            }
        }
        // DocBook 5 with a small article (its package ships no documents).
        let docbook = db5.join("docbook.rng");
        if docbook.exists() {
            self.seeds.push(Seed {
                schema: docbook,
                compact: false,
                origin: "docbook5 docbook.rng".into(),
                docs: vec![DOCBOOK_ARTICLE.to_string()],
                mutable: false,
            });
        }
    }

    // ---- Generation ------------------------------------------------------

    fn add_schema(&mut self, path: PathBuf, compact: bool) -> usize {
        self.schemas.push(SchemaEntry {
            path,
            compact,
            rngcheck: None,
        });
        self.schemas.len() - 1
    }

    fn add_case(&mut self, category: Category, schema: usize, text: &str, what: String) {
        let doc = self.write("xml", text);
        self.cases.push(Case {
            category,
            schema,
            doc,
            what,
            ours: None,
            jing: None,
        });
        if category != Category::Seed {
            *self.generated.entry(category).or_default() += 1;
        }
    }

    fn generate(&mut self, count: usize) {
        for i in 0..self.seeds.len() {
            let (path, compact) = (self.seeds[i].schema.clone(), self.seeds[i].compact);
            let id = self.add_schema(path, compact);
            self.seed_schema.push(id);
            // The spec suite's own verdicts are `make conformance`'s; its
            // schemas seed the schema mutants only.
            if self.seeds[i].mutable {
                continue;
            }
            for d in 0..self.seeds[i].docs.len() {
                let text = self.seeds[i].docs[d].clone();
                let what = format!("{} document {d}", self.seeds[i].origin);
                self.add_case(Category::Seed, id, &text, what);
            }
        }
        // Each schema mutant costs a JVM start of its own (jing takes one
        // schema per run); documents and values share one per schema.
        let datatype = count * 3 / 10;
        let schema_mutants = count / 20;
        let documents = count - datatype - schema_mutants;
        self.generate_datatype_values(datatype);
        self.generate_schema_mutants(schema_mutants);
        self.generate_document_mutants(documents);
    }

    fn generate_document_mutants(&mut self, n: usize) {
        let mut made = 0;
        let mut tries = 0;
        while made < n && tries < n * 20 {
            tries += 1;
            let s = self.rng.below(self.seeds.len());
            let Some(doc) = self.rng.pick(&self.seeds[s].docs).cloned() else {
                continue;
            };
            let schema_text = std::fs::read_to_string(&self.seeds[s].schema).unwrap_or_default();
            let pool = Pool::from_schema(&schema_text, &doc);
            let mut text = doc;
            let mut steps = Vec::new();
            for _ in 0..1 + self.rng.below(2) {
                match mutate_document(&text, &pool, &mut self.rng) {
                    Some((next, what)) => {
                        text = next;
                        steps.push(what);
                    }
                    None => break,
                }
            }
            if steps.is_empty() || parse(&text).is_none() {
                continue;
            }
            made += 1;
            let what = format!("{}: {}", self.seeds[s].origin, steps.join("; "));
            let schema = self.seed_schema[s];
            self.add_case(Category::Document, schema, &text, what);
        }
    }

    fn generate_schema_mutants(&mut self, n: usize) {
        let mutable: Vec<usize> = (0..self.seeds.len())
            .filter(|&i| self.seeds[i].mutable)
            .collect();
        let mut made = 0;
        let mut tries = 0;
        while made < n && tries < n * 20 {
            tries += 1;
            let Some(&s) = self.rng.pick(&mutable) else {
                return;
            };
            let Some(text) = std::fs::read_to_string(&self.seeds[s].schema).ok() else {
                continue;
            };
            let pool = Pool::from_schema(&text, "");
            let Some((mutant, what)) = mutate_schema(&text, &pool, &mut self.rng) else {
                continue;
            };
            if parse(&mutant).is_none() {
                continue;
            }
            made += 1;
            let path = self.write("rng", &mutant);
            let id = self.add_schema(path, false);
            let docs = self.seeds[s].docs.clone();
            let what = format!("{}: {what}", self.seeds[s].origin);
            for doc in docs {
                self.add_case(Category::Schema, id, &doc, what.clone());
            }
            // Counted once per schema, however many documents it meets.
            *self.generated.entry(Category::Schema).or_default() -= self.seeds[s].docs.len();
            *self.generated.entry(Category::Schema).or_default() += 1;
        }
    }

    /// One schema per datatype and facet (so that a facet one tool refuses
    /// sinks only its own values), each with an element taking the value as
    /// text and one taking it as an attribute.
    fn generate_datatype_values(&mut self, n: usize) {
        let slots = datatype_slots();
        let mut schema_of: HashMap<String, usize> = HashMap::new();
        for _ in 0..n {
            let Some(slot) = self.rng.pick(&slots) else {
                return;
            };
            let key = slot.describe();
            let id = match schema_of.get(&key) {
                Some(&id) => id,
                None => {
                    let variant: Vec<&Slot> =
                        slots.iter().filter(|s| s.describe() == key).collect();
                    let path = self.write("rng", &datatype_schema(&variant));
                    let id = self.add_schema(path, false);
                    schema_of.insert(key, id);
                    id
                }
            };
            let value = datatype_value(slot, &mut self.rng);
            let doc = match slot.place {
                Place::Text => format!("<{}>{}</{}>", slot.element, escape(&value), slot.element),
                Place::Attribute => format!("<{} v=\"{}\"/>", slot.element, escape(&value)),
            };
            let what = format!("{} {:?} = {:?}", slot.describe(), slot.place, value);
            self.add_case(Category::Datatype, id, &doc, what);
        }
    }

    // ---- Judging ---------------------------------------------------------

    fn judge(&mut self) {
        let started = std::time::Instant::now();
        for i in 0..self.cases.len() {
            let schema = self.cases[i].schema;
            let doc = self.cases[i].doc.clone();
            self.cases[i].ours = Some(self.ours(schema, &doc));
        }
        println!(
            "differential: rngcheck judged {} cases in {:.1} s",
            self.cases.len(),
            started.elapsed().as_secs_f64()
        );
        let started = std::time::Instant::now();
        let mut by_schema: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, case) in self.cases.iter().enumerate() {
            by_schema.entry(case.schema).or_default().push(i);
        }
        let jobs: Vec<(PathBuf, bool, Vec<PathBuf>)> = by_schema
            .iter()
            .map(|(&s, cases)| {
                let docs = cases.iter().map(|&c| self.cases[c].doc.clone()).collect();
                (self.schemas[s].path.clone(), self.schemas[s].compact, docs)
            })
            .collect();
        let (verdicts, jvms) = jing_all(&jobs);
        for ((_, cases), results) in by_schema.iter().zip(verdicts) {
            for (&c, result) in cases.iter().zip(results) {
                self.cases[c].jing = Some(result);
            }
        }
        println!(
            "differential: jing judged them in {:.1} s ({jvms} JVM starts)",
            started.elapsed().as_secs_f64()
        );
    }

    fn ours(&mut self, schema: usize, doc: &Path) -> (Verdict, String) {
        let entry = &mut self.schemas[schema];
        let compiled = entry
            .rngcheck
            .get_or_insert_with(|| load_schema(&entry.path, entry.compact));
        match compiled {
            Err(message) => (Verdict::SchemaError, message.clone()),
            Ok(schema) => rngcheck_verdict(schema, doc),
        }
    }

    // ---- Reporting -------------------------------------------------------

    /// Prints the disagreements and the counts; returns how many are not
    /// explained by `docs/differential.md`.
    fn report(&mut self, known: &Known) -> usize {
        // cases, agree, both say the schema is incorrect, known, new
        let mut tally: BTreeMap<Category, [usize; 5]> = BTreeMap::new();
        // Disagreements grouped by explanation, verdicts and message shape.
        let mut groups: BTreeMap<(Option<String>, String), Vec<usize>> = BTreeMap::new();
        for (i, case) in self.cases.iter().enumerate() {
            let (Some(ours), Some(jing)) = (&case.ours, &case.jing) else {
                continue;
            };
            let row = tally.entry(case.category).or_default();
            row[0] += 1;
            if ours.0 == jing.0 {
                row[1] += 1;
                row[2] += usize::from(ours.0 == Verdict::SchemaError);
                continue;
            }
            let explanation = known.explain(case).map(str::to_string);
            row[if explanation.is_some() { 3 } else { 4 }] += 1;
            let signature = format!(
                "{:?}/{:?}: {} | {}",
                ours.0,
                jing.0,
                message_shape(&ours.1),
                message_shape(&jing.1)
            );
            groups.entry((explanation, signature)).or_default().push(i);
        }
        let mut fresh = 0;
        let mut explained: BTreeMap<String, usize> = BTreeMap::new();
        for ((explanation, signature), cases) in &groups {
            let first = cases[0];
            if let Some(id) = explanation {
                *explained.entry(id.clone()).or_default() += cases.len();
                println!(
                    "\n== known ({id}, docs/differential.md): {} case(s): {signature}",
                    cases.len()
                );
                self.print_case(first, false);
                continue;
            }
            fresh += 1;
            println!(
                "\n== DISAGREEMENT {}: {} case(s): {signature}",
                fresh,
                cases.len()
            );
            self.print_case(first, fresh <= MINIMIZE_LIMIT);
        }
        println!(
            "\ndifferential: per category (cases, agree (of which both say the schema is incorrect), known disagreements, new disagreements):"
        );
        for (category, [total, agree, both_schema, known_n, new]) in &tally {
            let generated = self.generated.get(category).copied().unwrap_or(*total);
            println!(
                "  {:<17} {generated:>6} generated, {total:>6} cases: {agree} agree ({both_schema}), {known_n} known, {new} new",
                category.name()
            );
        }
        for (id, n) in &explained {
            println!("  known {id}: {n}");
        }
        let mutants: usize = self.generated.values().sum();
        println!(
            "differential: {mutants} mutants, {} distinct new disagreement(s)",
            fresh
        );
        fresh
    }

    fn print_case(&mut self, c: usize, minimize: bool) {
        let case = &self.cases[c];
        let schema = &self.schemas[case.schema];
        let (schema_path, compact) = (schema.path.clone(), schema.compact);
        let doc_path = case.doc.clone();
        let (ours, jing) = (
            case.ours.clone().unwrap_or((Verdict::Valid, String::new())),
            case.jing.clone().unwrap_or((Verdict::Valid, String::new())),
        );
        println!("  {:?}: {}", case.category, case.what);
        println!("  rngcheck: {:?}: {}", ours.0, first_line(&ours.1));
        println!("  jing:     {:?}: {}", jing.0, first_line(&jing.1));
        let text = read_text(&doc_path).unwrap_or_default();
        let reduced =
            if minimize && ours.0 != Verdict::SchemaError && jing.0 != Verdict::SchemaError {
                self.minimize(
                    self.cases[c].schema,
                    &schema_path,
                    compact,
                    &text,
                    ours.0,
                    jing.0,
                )
            } else {
                text
            };
        let repro = doc_path.with_extension("min.xml");
        let _ = std::fs::write(&repro, &reduced);
        println!(
            "  reproduce: java -jar {JING_JAR} {}{} {}",
            if compact { "-c " } else { "" },
            schema_path.display(),
            repro.display()
        );
        let schema_text = std::fs::read_to_string(&schema_path).unwrap_or_default();
        if schema_text.len() < 1500 && self.cases[c].category != Category::Datatype {
            println!("  schema:\n{}", indent(&schema_text));
        }
        if reduced.len() < 3000 {
            println!("  document:\n{}", indent(&reduced));
        }
    }

    /// Deletes elements, attributes and text while rngcheck and jing keep
    /// their verdicts; one jing run per round over every candidate.
    fn minimize(
        &mut self,
        schema: usize,
        schema_path: &Path,
        compact: bool,
        text: &str,
        ours: Verdict,
        jing: Verdict,
    ) -> String {
        let mut best = text.to_string();
        for _round in 0..12 {
            let candidates: Vec<String> = deletions(&best)
                .into_iter()
                .filter(|c| parse(c).is_some())
                .take(80)
                .collect();
            let mut keep = Vec::new();
            for candidate in candidates {
                let path = self.write("xml", &candidate);
                if self.ours(schema, &path).0 == ours {
                    keep.push((candidate, path));
                }
            }
            if keep.is_empty() {
                break;
            }
            let docs: Vec<PathBuf> = keep.iter().map(|(_, p)| p.clone()).collect();
            let (results, _) = jing_all(&[(schema_path.to_path_buf(), compact, docs)]);
            let still = keep
                .into_iter()
                .zip(results.into_iter().flatten())
                .filter(|(_, (v, _))| *v == jing)
                .map(|((c, _), _)| c)
                .min_by_key(String::len);
            match still {
                Some(smaller) if smaller.len() < best.len() => best = smaller,
                _ => break,
            }
        }
        best
    }
}

fn load_schema(path: &Path, compact: bool) -> Result<Schema, String> {
    let options = match compact {
        true => LoadOptions::new().syntax(Syntax::Compact),
        false => LoadOptions::new(),
    };
    Schema::load_with(path, &options).map_err(|e| {
        e.errors()
            .first()
            .map_or_else(|| "schema error".to_string(), |e| e.message().to_string())
    })
}

fn rngcheck_verdict(schema: &Schema, doc: &Path) -> (Verdict, String) {
    let bytes = std::fs::read(doc).unwrap_or_default();
    let text = match rngcheck::internals::decode(bytes) {
        Ok(text) => text,
        Err(e) => return (Verdict::Invalid, e.message),
    };
    let mut validator = schema.validator();
    match validator.validate_str(&text) {
        Ok(()) => (Verdict::Valid, String::new()),
        Err(invalid) => (
            Verdict::Invalid,
            invalid
                .errors()
                .first()
                .map(|e| e.message().to_string())
                .unwrap_or_default(),
        ),
    }
}

// ---- jing -----------------------------------------------------------------

/// Runs jing over each (schema, compact, documents) job, two JVMs at a
/// time; the verdicts in document order, and how many JVMs were started.
fn jing_all(jobs: &[(PathBuf, bool, Vec<PathBuf>)]) -> (Vec<Vec<(Verdict, String)>>, usize) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let jvms = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Vec<(Verdict, String)>>> = jobs
        .iter()
        .map(|_| std::sync::Mutex::new(Vec::new()))
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((schema, compact, docs)) = jobs.get(i) else {
                    break;
                };
                let (verdicts, started) = jing_job(schema, *compact, docs);
                jvms.fetch_add(started, std::sync::atomic::Ordering::Relaxed);
                if let Ok(mut slot) = results[i].lock() {
                    *slot = verdicts;
                }
            });
        }
    });
    let results = results
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_default())
        .collect();
    (results, jvms.into_inner())
}

/// The JVM's flags: quick start (no optimizing compiler), a stack for deep
/// schemas, and the class-data archive when there is one.
fn java_flags() -> Vec<String> {
    let mut flags = vec!["-XX:TieredStopAtLevel=1".to_string(), "-Xss8m".to_string()];
    if let Some(Some(archive)) = JING_ARCHIVE.get() {
        flags.push(format!("-XX:SharedArchiveFile={}", archive.display()));
    }
    flags
}

/// A class-data archive of jing's classes (a JVM start takes about a third
/// less with it; a run starts hundreds).
static JING_ARCHIVE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

/// Makes the archive (once per cache) by running jing on a small schema.
fn make_jing_archive(cache: &Path) {
    let archive = cache.join("jing.jsa");
    if !archive.exists() {
        let schema = cache.join("archive.rng");
        let doc = cache.join("archive.xml");
        let slots = datatype_slots();
        // Every datatype, and no facet jing refuses (docs/differential.md).
        let all: Vec<&Slot> = slots
            .iter()
            .filter(|s| !s.describe().contains("[a-]"))
            .collect();
        let made = std::fs::write(&schema, datatype_schema(&all)).is_ok()
            && std::fs::write(&doc, "<e0>x</e0>").is_ok()
            && Command::new("java")
                .arg(format!("-XX:ArchiveClassesAtExit={}", archive.display()))
                .args(["-jar", JING_JAR])
                .arg(&schema)
                .arg(&doc)
                .output()
                .is_ok();
        if !made {
            eprintln!("differential: no class-data archive for jing (slower JVM starts)");
        }
    }
    let _ = JING_ARCHIVE.set(archive.exists().then_some(archive));
}

/// One schema's documents, in batches; a batch that jing stops at a fatal
/// error goes on from the document after it.
fn jing_job(schema: &Path, compact: bool, docs: &[PathBuf]) -> (Vec<(Verdict, String)>, usize) {
    let mut verdicts: Vec<Option<(Verdict, String)>> = vec![None; docs.len()];
    let mut start = 0;
    let mut jvms = 0;
    while start < docs.len() {
        let end = (start + JING_BATCH).min(docs.len());
        let batch = &docs[start..end];
        jvms += 1;
        let output = Command::new("java")
            .args(java_flags())
            .args(["-jar", JING_JAR])
            .args(compact.then_some("-c"))
            .arg(schema)
            .args(batch)
            .output();
        let Ok(output) = output else {
            for v in &mut verdicts[start..end] {
                *v = Some((Verdict::SchemaError, "cannot run java".to_string()));
            }
            break;
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let index: HashMap<&str, usize> = batch
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((p.to_str()?, i)))
            .collect();
        let mut first: Vec<Option<String>> = vec![None; batch.len()];
        let mut last_fatal = None;
        let mut other_lines = Vec::new();
        let stderr = String::from_utf8_lossy(&output.stderr);
        other_lines.extend(
            stderr
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
        for line in stdout.lines() {
            let hit = line
                .split_once(':')
                .and_then(|(path, _)| index.get(path).copied());
            match hit {
                Some(i) => {
                    if first[i].is_none() {
                        first[i] = Some(strip_position(line));
                    }
                    if line.contains(": fatal: ") {
                        last_fatal = Some(last_fatal.map_or(i, |f: usize| f.max(i)));
                    }
                }
                None if !line.is_empty() => other_lines.push(line.to_string()),
                None => {}
            }
        }
        let any_doc = first.iter().any(Option::is_some);
        if !any_doc && !output.status.success() {
            let message = other_lines
                .first()
                .cloned()
                .unwrap_or_else(|| "schema error".to_string());
            for v in &mut verdicts[start..end] {
                *v = Some((Verdict::SchemaError, message.clone()));
            }
            break;
        }
        let done = last_fatal.map_or(batch.len(), |f| f + 1);
        for (i, message) in first.into_iter().enumerate().take(done) {
            verdicts[start + i] = Some(match message {
                Some(m) => (Verdict::Invalid, m),
                None => (Verdict::Valid, String::new()),
            });
        }
        start += done;
    }
    let verdicts = verdicts
        .into_iter()
        .map(|v| v.unwrap_or((Verdict::SchemaError, "not run".to_string())))
        .collect();
    (verdicts, jvms)
}

/// `path:line:col: error: message` → `error: message`.
fn strip_position(line: &str) -> String {
    let mut rest = line;
    for _ in 0..3 {
        match rest.split_once(':') {
            Some((_, r)) => rest = r,
            None => break,
        }
    }
    rest.trim().to_string()
}

// ---- What is known --------------------------------------------------------

/// The justified list: `docs/differential.md` has a table whose rows are
/// `| id | verdicts | pattern | spec |` (ids start with `J`); a
/// disagreement is explained by a row when its verdicts (`ours/jing`, e.g.
/// `Invalid/Valid`; several separated by commas) match and the pattern (a
/// substring, in backquotes) occurs in its description or either message.
struct Known {
    rows: Vec<(String, String, String)>,
}

impl Known {
    fn load(path: &Path) -> Known {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let rows = text
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line
                    .trim()
                    .strip_prefix('|')?
                    .strip_suffix('|')?
                    .split('|')
                    .map(str::trim)
                    .collect();
                let [id, verdicts, pattern, _spec] = cells.as_slice() else {
                    return None;
                };
                let pattern = pattern.strip_prefix('`')?.strip_suffix('`')?;
                id.starts_with('J').then(|| {
                    (
                        id.to_string(),
                        verdicts.to_string(),
                        pattern.replace("\\|", "|"),
                    )
                })
            })
            .collect();
        Known { rows }
    }

    fn explain(&self, case: &Case) -> Option<&str> {
        let (ours, jing) = (case.ours.as_ref()?, case.jing.as_ref()?);
        let verdicts = format!("{:?}/{:?}", ours.0, jing.0);
        self.rows
            .iter()
            .find(|(_, v, pattern)| {
                v.split(',').any(|v| v.trim() == verdicts)
                    && (case.what.contains(pattern.as_str())
                        || ours.1.contains(pattern.as_str())
                        || jing.1.contains(pattern.as_str()))
            })
            .map(|(id, _, _)| id.as_str())
    }
}

// ---- Mutation -------------------------------------------------------------

/// Names and values to mutate with: the schema's and the document's.
struct Pool {
    elements: Vec<String>,
    attributes: Vec<String>,
    values: Vec<String>,
}

/// Values at the edges of XSD datatypes and of what parsers get wrong.
#[rustfmt::skip]
const BOUNDARY_VALUES: &[&str] = &[
    "", " ", "0", "-0", "+0", "1", "-1", "+1", "01", "1.", ".5", "-.5", "1.0e3", "1e", "INF",
    "-INF", "NaN", "+INF", "127", "128", "-128", "-129", "255", "256", "32767", "32768", "65535",
    "65536", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
    "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
    "true", "false", "TRUE", "yes", "2001-02-29", "2000-02-29", "2004-12-31T23:59:59Z", "24:00:00",
    "23:59:60", "12:00:00+14:00", "12:00:00-14:01", "P1Y", "PT.5S", "PT1.S", "P", "-P1D",
    "xml:lang", "a:b", ":a", "a:", "http://[::1", "http://a/b c", "a b", " a  b ", "\ta\n", "0x10",
    "1,5", "00:11:22:33:44:55", "192.168.0.256", "::1", "fe80::1%eth0", "-", "1-2", "0001", "abc",
    "ABC", "_a", "a.b", "1a", "é", "\u{1F600}", "&amp;", "x&#9;y", "AAAA", "AA==", "A", "0G",
    "0123456789abcdef0123456789abcdef", "12345678-1234-1234-1234-123456789abc", "/dev/sda", "on",
    "off", "none", "default", "auto", "qemu", "kvm", "x86_64", "1048576", "-00:00",
];

impl Pool {
    fn from_schema(schema: &str, doc: &str) -> Pool {
        let mut pool = Pool {
            elements: Vec::new(),
            attributes: Vec::new(),
            values: BOUNDARY_VALUES.iter().map(|s| s.to_string()).collect(),
        };
        if let Some(tree) = parse(schema) {
            for node in tree.descendants().filter(|n| n.is_element()) {
                if let Some(datatype) = node.attribute("type") {
                    pool.values
                        .extend(family_values(datatype).iter().map(|s| s.to_string()));
                }
                let name = node.attribute("name").map(str::to_string);
                match node.tag_name().name() {
                    "element" => pool.elements.extend(name),
                    "attribute" => pool.attributes.extend(name),
                    "value" | "param" => {
                        if let Some(t) = node.text() {
                            pool.values.extend(neighbours(t.trim()));
                        }
                    }
                    _ => {}
                }
            }
        } else {
            // The compact syntax: names after the keywords, quoted literals.
            for (keyword, list) in [
                ("element ", &mut pool.elements),
                ("attribute ", &mut pool.attributes),
            ] {
                for part in schema.split(keyword).skip(1) {
                    let name: String = part
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
                        .collect();
                    if !name.is_empty() {
                        list.push(name);
                    }
                }
            }
            for part in schema.split("xsd:").skip(1) {
                let datatype: String = part.chars().take_while(char::is_ascii_alphabetic).collect();
                pool.values
                    .extend(family_values(&datatype).iter().map(|s| s.to_string()));
            }
            for part in schema.split('"').skip(1).step_by(2).take(300) {
                if part.len() < 40 {
                    pool.values.push(part.to_string());
                }
            }
        }
        if let Some(tree) = parse(doc) {
            for node in tree.descendants().filter(|n| n.is_element()) {
                pool.elements.push(node.tag_name().name().to_string());
                for a in node.attributes() {
                    pool.attributes.push(a.name().to_string());
                    if a.value().len() < 60 {
                        pool.values.push(a.value().to_string());
                    }
                }
            }
        }
        for list in [&mut pool.elements, &mut pool.attributes, &mut pool.values] {
            list.sort();
            list.dedup();
        }
        pool
    }

    fn value(&self, rng: &mut Rng) -> String {
        self.values
            .get(rng.below(self.values.len()))
            .cloned()
            .unwrap_or_default()
    }
}

/// A literal and, when it is a number, its neighbours.
fn neighbours(literal: &str) -> Vec<String> {
    let mut out = vec![literal.to_string()];
    if let Ok(n) = literal.parse::<i128>() {
        out.push((n - 1).to_string());
        out.push((n + 1).to_string());
    } else if let Ok(x) = literal.parse::<f64>() {
        out.push(format!("{}", x - 0.001));
        out.push(format!("{}", x + 0.001));
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' if !s.contains("&amp;") && !s.contains("&#") => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Elements of a document with their byte ranges.
struct Elements {
    /// (whole element, start-tag name range, end-tag name range, depth).
    list: Vec<ElementSpan>,
}

struct ElementSpan {
    whole: std::ops::Range<usize>,
    name: std::ops::Range<usize>,
    end_name: Option<std::ops::Range<usize>>,
    /// Where its content starts (after the start tag), if it has content.
    content: Option<usize>,
    attributes: Vec<(
        std::ops::Range<usize>,
        std::ops::Range<usize>,
        std::ops::Range<usize>,
    )>,
    texts: Vec<std::ops::Range<usize>>,
    root: bool,
}

fn elements(text: &str) -> Option<Elements> {
    let tree = parse(text)?;
    let mut list = Vec::new();
    for node in tree.descendants().filter(|n| n.is_element()) {
        let whole = node.range();
        let qname_len =
            text[whole.start + 1..].find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
        let name = whole.start + 1..whole.start + 1 + qname_len;
        let qname = &text[name.clone()];
        // An element with an end tag ends with `</qname S? >`.
        let end_name = if text[whole.clone()].ends_with("/>") {
            None
        } else {
            let at = text[whole.clone()].rfind(&format!("</{qname}"))? + whole.start;
            Some(at + 2..at + 2 + qname.len())
        };
        let content = node.children().next().map(|c| c.range().start);
        let attributes = node
            .attributes()
            .map(|a| (a.range(), a.range_qname(), a.range_value()))
            .collect();
        let texts = node
            .children()
            .filter(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()))
            .map(|c| c.range())
            .collect();
        list.push(ElementSpan {
            whole,
            name,
            end_name,
            content,
            attributes,
            texts,
            root: node.parent_element().is_none(),
        });
    }
    Some(Elements { list })
}

fn splice(text: &str, range: std::ops::Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
}

/// One random change to a document: what it is and the new text.
fn mutate_document(text: &str, pool: &Pool, rng: &mut Rng) -> Option<(String, String)> {
    let els = elements(text)?;
    let non_root: Vec<&ElementSpan> = els.list.iter().filter(|e| !e.root).collect();
    let e = rng.pick(&els.list)?;
    let name = |r: &std::ops::Range<usize>| text[r.clone()].to_string();
    match rng.below(10) {
        0 => {
            let e = rng.pick(&non_root)?;
            Some((
                splice(text, e.whole.clone(), ""),
                format!("delete <{}>", name(&e.name)),
            ))
        }
        1 => {
            let e = rng.pick(&non_root)?;
            let copy = text[e.whole.clone()].to_string();
            Some((
                splice(text, e.whole.end..e.whole.end, &copy),
                format!("duplicate <{}>", name(&e.name)),
            ))
        }
        2 => {
            let new = rng.pick(&pool.elements)?.clone();
            let old = name(&e.name);
            let new = if rng.chance(20) {
                format!("{old}x")
            } else {
                new
            };
            let mut out = text.to_string();
            if let Some(end) = &e.end_name {
                out = splice(&out, end.clone(), &new);
            }
            out = splice(&out, e.name.clone(), &new);
            Some((out, format!("rename <{old}> to <{new}>")))
        }
        3 => {
            // Move an element before another one, or into its content.
            let moved = rng.pick(&non_root)?;
            let target = rng.pick(&els.list)?;
            let at = if target.root || rng.chance(50) {
                target.content?
            } else {
                target.whole.start
            };
            if at >= moved.whole.start && at <= moved.whole.end {
                return None;
            }
            let copy = text[moved.whole.clone()].to_string();
            let inserted = splice(text, at..at, &copy);
            let shift = if at <= moved.whole.start {
                copy.len()
            } else {
                0
            };
            let range = moved.whole.start + shift..moved.whole.end + shift;
            Some((
                splice(&inserted, range, ""),
                format!("move <{}> to <{}>", name(&moved.name), name(&target.name)),
            ))
        }
        4 | 5 => {
            let (_, qname, value) = rng.pick(&e.attributes)?.clone();
            let new = pool.value(rng);
            Some((
                splice(text, value, &escape(&new)),
                format!("@{} = {new:?}", name(&qname)),
            ))
        }
        6 => {
            let (whole, qname, _) = rng.pick(&e.attributes)?.clone();
            let start = text[..whole.start].trim_end().len();
            Some((
                splice(text, start..whole.end, ""),
                format!("delete @{}", name(&qname)),
            ))
        }
        7 => {
            let (_, qname, _) = rng.pick(&e.attributes)?.clone();
            let new = rng.pick(&pool.attributes)?.clone();
            let old = name(&qname);
            if e.attributes.iter().any(|(_, q, _)| text[q.clone()] == new) {
                return None;
            }
            Some((
                splice(text, qname, &new),
                format!("rename @{old} to @{new}"),
            ))
        }
        8 => {
            let new = rng.pick(&pool.attributes)?.clone();
            if e.attributes.iter().any(|(_, q, _)| text[q.clone()] == new) {
                return None;
            }
            let value = pool.value(rng);
            let at = e.name.end;
            Some((
                splice(text, at..at, &format!(" {new}=\"{}\"", escape(&value))),
                format!("add @{new} = {value:?} to <{}>", name(&e.name)),
            ))
        }
        _ => {
            let range = rng.pick(&e.texts)?.clone();
            let new = pool.value(rng);
            Some((
                splice(text, range, &escape(&new)),
                format!("text of <{}> = {new:?}", name(&e.name)),
            ))
        }
    }
}

/// Datatype names the schema mutants swap between.
#[rustfmt::skip]
const TYPES: &[&str] = &[
    "string", "token", "normalizedString", "int", "integer", "long", "short", "byte",
    "unsignedInt", "unsignedByte", "positiveInteger", "nonNegativeInteger", "decimal", "double",
    "float", "boolean", "NCName", "Name", "QName", "NMTOKEN", "NMTOKENS", "ID", "IDREF", "anyURI",
    "date", "dateTime", "time", "duration", "hexBinary", "base64Binary", "language",
];

/// Pattern elements of the XML syntax a mutation may wrap or delete.
#[rustfmt::skip]
const PATTERNS: &[&str] = &[
    "element", "attribute", "group", "interleave", "choice", "optional", "zeroOrMore", "oneOrMore",
    "list", "mixed", "ref", "empty", "text", "value", "data", "notAllowed",
];

/// One random change to an XML-syntax schema.
fn mutate_schema(text: &str, pool: &Pool, rng: &mut Rng) -> Option<(String, String)> {
    let els = elements(text)?;
    let patterns: Vec<&ElementSpan> = els
        .list
        .iter()
        .filter(|e| !e.root && PATTERNS.contains(&local(&text[e.name.clone()])))
        .collect();
    let e = rng.pick(&patterns)?;
    let tag = text[e.name.clone()].to_string();
    let prefix = tag
        .split_once(':')
        .map_or(String::new(), |(p, _)| format!("{p}:"));
    match rng.below(7) {
        0 => {
            let wrapper = *rng.pick(&[
                "optional",
                "zeroOrMore",
                "oneOrMore",
                "choice",
                "group",
                "interleave",
                "mixed",
                "list",
            ])?;
            let open = format!("<{prefix}{wrapper}>");
            let close = format!("</{prefix}{wrapper}>");
            let out = splice(text, e.whole.end..e.whole.end, &close);
            Some((
                splice(&out, e.whole.start..e.whole.start, &open),
                format!("wrap <{tag}> in <{wrapper}>"),
            ))
        }
        1 => Some((splice(text, e.whole.clone(), ""), format!("delete <{tag}>"))),
        2 => {
            let copy = text[e.whole.clone()].to_string();
            Some((
                splice(text, e.whole.end..e.whole.end, &copy),
                format!("duplicate <{tag}>"),
            ))
        }
        3 => {
            let swaps = [
                "group",
                "interleave",
                "choice",
                "optional",
                "zeroOrMore",
                "oneOrMore",
                "mixed",
            ];
            if !swaps.contains(&local(&tag)) {
                return None;
            }
            let new = format!("{prefix}{}", rng.pick(&swaps)?);
            let mut out = text.to_string();
            if let Some(end) = &e.end_name {
                out = splice(&out, end.clone(), &new);
            }
            Some((
                splice(&out, e.name.clone(), &new),
                format!("<{tag}> becomes <{new}>"),
            ))
        }
        4 => {
            let v = attribute_value(text, e, "type")?;
            let new = rng.pick(TYPES)?;
            Some((
                splice(text, v, new),
                format!("type of <{tag}> becomes {new}"),
            ))
        }
        5 => {
            let v = attribute_value(text, e, "name")?;
            let list = if local(&tag) == "attribute" {
                &pool.attributes
            } else {
                &pool.elements
            };
            let new = rng.pick(list)?.clone();
            Some((
                splice(text, v, &new),
                format!("name of <{tag}> becomes {new}"),
            ))
        }
        _ => {
            // A value's or param's literal.
            let range = rng.pick(&e.texts)?.clone();
            let new = pool.value(rng);
            Some((
                splice(text, range, &escape(&new)),
                format!("literal of <{tag}> becomes {new:?}"),
            ))
        }
    }
}

/// Where the value of `e`'s attribute `name` is.
fn attribute_value(text: &str, e: &ElementSpan, name: &str) -> Option<std::ops::Range<usize>> {
    let (_, _, value) = e
        .attributes
        .iter()
        .find(|(_, q, _)| &text[q.clone()] == name)?;
    Some(value.clone())
}

fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

/// Every document one deletion (an element, an attribute, a text node)
/// smaller than `text`.
fn deletions(text: &str) -> Vec<String> {
    let Some(els) = elements(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in &els.list {
        if !e.root {
            out.push(splice(text, e.whole.clone(), ""));
        }
        for (whole, _, _) in &e.attributes {
            let start = text[..whole.start].trim_end().len();
            out.push(splice(text, start..whole.end, ""));
        }
        for t in &e.texts {
            out.push(splice(text, t.clone(), ""));
        }
    }
    // Bigger cuts first: they shrink the reproducer fastest.
    out.sort_by_key(String::len);
    out
}

// ---- Datatype values ------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Place {
    Text,
    Attribute,
}

/// One element of the generated datatype schema.
struct Slot {
    element: String,
    datatype: &'static str,
    params: Vec<(&'static str, String)>,
    place: Place,
}

impl Slot {
    fn describe(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        format!("xsd:{} {{{}}}", self.datatype, params.join(", "))
    }
}

/// Each datatype with facets at the edges of its value space.
#[rustfmt::skip]
fn datatype_slots() -> Vec<Slot> {
    let facets: &[(&str, &[(&str, &str)])] = &[
        (
            "string",
            &[
                ("length", "3"),
                ("maxLength", "0"),
                ("pattern", "[a-z]+"),
                ("pattern", "\\d{2,3}"),
                ("pattern", "[a-]+"),
            ],
        ),
        ("token", &[("minLength", "2"), ("pattern", "\\p{Lu}.*")]),
        ("normalizedString", &[]),
        (
            "int",
            &[
                ("minInclusive", "-5"),
                ("maxExclusive", "10"),
                ("totalDigits", "2"),
            ],
        ),
        (
            "integer",
            &[
                ("minExclusive", "0"),
                ("maxInclusive", "100"),
                ("fractionDigits", "0"),
            ],
        ),
        ("long", &[]),
        ("short", &[]),
        ("byte", &[]),
        ("unsignedInt", &[]),
        ("unsignedShort", &[]),
        ("unsignedByte", &[]),
        ("unsignedLong", &[]),
        ("positiveInteger", &[]),
        ("negativeInteger", &[]),
        ("nonNegativeInteger", &[("maxInclusive", "65535")]),
        ("nonPositiveInteger", &[]),
        (
            "decimal",
            &[
                ("totalDigits", "4"),
                ("fractionDigits", "2"),
                ("minInclusive", "0.5"),
                ("maxExclusive", "1000"),
            ],
        ),
        (
            "double",
            &[
                ("minInclusive", "0"),
                ("maxInclusive", "INF"),
                ("minExclusive", "-INF"),
            ],
        ),
        ("float", &[("maxExclusive", "1.5")]),
        ("boolean", &[("pattern", "true|false")]),
        ("NCName", &[("maxLength", "3")]),
        ("Name", &[]),
        ("QName", &[]),
        ("NMTOKEN", &[]),
        ("NMTOKENS", &[("minLength", "2")]),
        ("ID", &[]),
        ("IDREF", &[]),
        ("ENTITY", &[]),
        ("language", &[]),
        ("anyURI", &[("maxLength", "10")]),
        (
            "date",
            &[
                ("minInclusive", "2000-01-01"),
                ("maxExclusive", "2000-03-01Z"),
            ],
        ),
        ("dateTime", &[("minInclusive", "2000-01-01T00:00:00Z")]),
        (
            "time",
            &[("minInclusive", "12:00:00Z"), ("maxExclusive", "12:00:00")],
        ),
        ("duration", &[("maxInclusive", "P1M")]),
        ("gYear", &[]),
        ("gYearMonth", &[]),
        ("gMonth", &[]),
        ("gMonthDay", &[]),
        ("gDay", &[]),
        ("hexBinary", &[("length", "2")]),
        ("base64Binary", &[("maxLength", "3")]),
    ];
    let mut slots = Vec::new();
    for (datatype, params) in facets {
        let mut variants: Vec<Vec<(&'static str, String)>> = vec![Vec::new()];
        variants.extend(params.iter().map(|(n, v)| vec![(*n, (*v).to_string())]));
        for params in variants {
            for place in [Place::Text, Place::Attribute] {
                slots.push(Slot {
                    element: format!("e{}", slots.len()),
                    datatype,
                    params: params.clone(),
                    place,
                });
            }
        }
    }
    slots
}

/// The schema of some slots (a choice of root elements).
fn datatype_schema(slots: &[&Slot]) -> String {
    let mut schema =
        format!("<grammar xmlns=\"{RNG_NS}\" datatypeLibrary=\"{XSD_LIB}\">\n<start><choice>\n");
    for slot in slots {
        let mut data = format!("<data type=\"{}\">", slot.datatype);
        for (name, value) in &slot.params {
            let _ = write!(data, "<param name=\"{name}\">{}</param>", escape(value));
        }
        data.push_str("</data>");
        let _ = match slot.place {
            Place::Text => writeln!(
                schema,
                "<element name=\"{}\">{data}</element>",
                slot.element
            ),
            Place::Attribute => writeln!(
                schema,
                "<element name=\"{}\"><attribute name=\"v\">{data}</attribute></element>",
                slot.element
            ),
        };
    }
    schema.push_str("</choice></start>\n</grammar>\n");
    schema
}

/// Values at the edges of one family of datatypes (by the type's name).
#[rustfmt::skip]
fn family_values(datatype: &str) -> &'static [&'static str] {
    const NUMBERS: &[&str] = &[
        "0", "-0", "+0", "0.0", "-0.0", "00", "007", "1.", ".5", "-.5", ".", "1.0", "1e3", "1E-3",
        "1.5e", "e5", "1e+2", "INF", "-INF", "+INF", "NaN", "nan", "inf", "-", "+", " 1", "1 ",
        "0x1", "1_0", "127", "128", "-128", "-129", "255", "256", "32767", "32768", "-32769",
        "65535", "65536", "2147483647", "2147483648", "-2147483649", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "3.4028235E38", "3.5E38",
        "1.7976931348623157E308", "1.8E308", "4.9E-324", "1E-400", "99.995", "0.001", "12.345",
        "999.99", "1000", "99",
    ];
    const TIMES: &[&str] = &[
        "2000-02-29", "1900-02-29", "2001-02-29", "0000-01-01", "-0001-01-01", "10000-01-01",
        "2000-01-01Z", "2000-01-01+14:00", "2000-01-01-14:00", "2000-01-01+14:01",
        "2000-01-01+13:60", "1999-12-31", "2000-02-28Z", "2000-03-01", "2000-02-29+14:00",
        "2000-03-01-10:00", "2000-01-01T24:00:00", "2000-01-01T23:59:60", "2000-01-01T00:00:00",
        "1999-12-31T23:59:59Z", "2000-01-01T00:00:00+00:00", "1999-12-31T23:00:00-01:00",
        "2000-01-01T00:00:00.000001Z", "12:00:00", "11:59:59.999", "11:59:59.9999999", "12:00:00Z",
        "12:00:00+01:00", "11:00:00-01:00", "12:00:00-14:00", "24:00:00", "23:59:60", "00:00:00",
        "12:00", "12:00:00.", "2000-01", "2000-13", "--02-29", "--02-30", "--12-31", "---31",
        "---32", "--13", "--12", "2000", "-2000", "02000", "0000", "20000", "2000Z", "--02-29Z",
    ];
    const DURATIONS: &[&str] = &[
        "P1M", "P30D", "P31D", "P28D", "P29D", "P32D", "PT.5S", "PT1.S", "PT0S", "P", "PT", "-P1M",
        "P1Y2M3DT4H5M6.7S", "P0.5Y", "PT1H60M", "P1DT", "PT24H", "P0D", "-P0D", "P1Y", "PT1.5S",
        "P-1D", "PT1M1.000S",
    ];
    const URIS: &[&str] = &[
        "http://[::1]/", "http://[::1", "[", "]", "a b", "%20", "%zz", "http://a/b#c#d", "//", "",
        "urn:x", "\u{e9}", "http://a/%zz", "\\", "http://example.org/a b", "#", "?", "a:b",
        "http://[v1.x]/", "0123456789a",
    ];
    const NAMES: &[&str] = &[
        "xml:lang", "xmlns:a", "xmlns", "a:b", ":a", "a:", "a:b:c", "_", "-a", "a-", "1a", ".a",
        "\u{e9}", "xml", "a b", "", "ab", "abc", "abcd", "a\u{0300}",
    ];
    const BINARY: &[&str] = &[
        "", "0", "00", "0G", "AB", "ab", "ABC", "A", "AA==", "AA=", "A===", "AAAA", "AA AA",
        " AAAA ", "QUJD", "QUI=", "QQ==", "Q===", "QR==", "QUJ=", "AAAAAA==",
    ];
    const LANGUAGES: &[&str] = &[
        "en", "en-US", "x-klingon", "i-navajo", "en_US", "123", "a-b-c-d-e-f-g", "abcdefghi",
        "en-", "-en", "EN", "de-1996", "zh-Hant-TW",
    ];
    const BOOLEANS: &[&str] = &["true", "false", "1", "0", "TRUE", " true ", "yes", ""];
    const STRINGS: &[&str] = &[
        "a-", "-", "a", "", "abc", "ABC", "12", "123", "1234", "\u{c9}", "Ab", "a b", " a ",
    ];
    match datatype {
        "decimal" | "integer" | "int" | "long" | "short" | "byte" | "unsignedInt"
        | "unsignedShort" | "unsignedByte" | "unsignedLong" | "positiveInteger"
        | "negativeInteger" | "nonNegativeInteger" | "nonPositiveInteger" | "double" | "float" => {
            NUMBERS
        }
        "date" | "dateTime" | "time" | "gYear" | "gYearMonth" | "gMonth" | "gMonthDay" | "gDay" => {
            TIMES
        }
        "duration" => DURATIONS,
        "anyURI" => URIS,
        "QName" | "NCName" | "Name" | "NMTOKEN" | "NMTOKENS" | "ID" | "IDREF" | "IDREFS"
        | "ENTITY" | "ENTITIES" => NAMES,
        "hexBinary" | "base64Binary" => BINARY,
        "language" => LANGUAGES,
        "boolean" => BOOLEANS,
        _ => STRINGS,
    }
}

/// A value for a slot: a value at the edges of its datatype's family, a
/// facet's literal or a neighbour of it, any boundary value, sometimes
/// mangled (spaces, signs, digits appended).
fn datatype_value(slot: &Slot, rng: &mut Rng) -> String {
    let mut candidates: Vec<String> = Vec::new();
    for (_, v) in &slot.params {
        candidates.extend(neighbours(v));
    }
    let family = family_values(slot.datatype);
    let base = match rng.below(10) {
        0..=5 => rng.pick(family).map(|s| s.to_string()),
        6 | 7 => rng.pick(&candidates).cloned(),
        _ => rng.pick(BOUNDARY_VALUES).map(|s| s.to_string()),
    }
    .unwrap_or_default();
    match rng.below(6) {
        0 => format!(" {base} "),
        1 => format!("{base}0"),
        2 => format!("-{base}"),
        _ => base,
    }
}

// ---- Small helpers ----------------------------------------------------------

/// The text of the first element child of `node` (a suite's schema or
/// document), if it parses on its own.
fn first_element_text(text: &str, node: roxmltree::Node) -> Option<String> {
    let child = node.children().find(|c| c.is_element())?;
    let s = text[child.range()].to_string();
    parse(&s).is_some().then_some(s)
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// `root/*/suffix` (Emacs keeps its schemas under a versioned directory).
fn find_dir(root: &Path, suffix: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root)
        .ok()?
        .flatten()
        .map(|e| e.path().join(suffix))
        .filter(|p| p.is_dir())
        .collect();
    found.sort();
    found.pop()
}

fn message_shape(message: &str) -> String {
    // Quoted names and values vary between cases of one kind of problem.
    let mut out = String::new();
    let mut quoted = false;
    for c in first_line(message).chars() {
        if c == '"' {
            quoted = !quoted;
            out.push('"');
        } else if !quoted {
            out.push(c);
        }
    }
    out.chars()
        .filter(|c| !c.is_ascii_digit())
        .take(100)
        .collect()
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

const DOCBOOK_ARTICLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<article xmlns="http://docbook.org/ns/docbook" xmlns:xlink="http://www.w3.org/1999/xlink" version="5.0" xml:lang="en">
  <info>
    <title>Differential testing</title>
    <author><personname><firstname>Ann</firstname><surname>Example</surname></personname></author>
    <pubdate>2024-01-01</pubdate>
  </info>
  <section xml:id="intro">
    <title>Introduction</title>
    <para>Text with <emphasis role="strong">emphasis</emphasis>, a <link xlink:href="http://example.org/">link</link> and <xref linkend="intro"/>.</para>
    <itemizedlist>
      <listitem><para>One</para></listitem>
      <listitem><para>Two</para></listitem>
    </itemizedlist>
    <programlisting language="c">int main(void) { return 0; }</programlisting>
    <table frame="all"><title>T</title>
      <tgroup cols="2"><colspec colname="c1" colwidth="1*"/><colspec colname="c2"/>
        <tbody><row><entry>a</entry><entry>b</entry></row></tbody>
      </tgroup>
    </table>
  </section>
</article>
"#;
