//! The compact syntax, end to end, through `Schema::load` on `.rnc` files:
//!
//! - `compacttest.xml` (trang's suite): each `<testCase>`'s compact schema
//!   (with its `<resource>` files) is written to a temporary directory as
//!   `c.rnc` and loaded. `<incorrect>` must be rejected; `<correct>` must be
//!   accepted, except the ten cases that only parse but break RELAX NG's
//!   rules on grammars and `start` (see `../shared/README.md`), which must be
//!   rejected, as jing does. `<valid>`/`<invalid>` instances, if any, must
//!   get the right verdict. Each XML-syntax twin (`c.rng`) must get the same
//!   verdict as its compact schema (case 075's twin refers to an `x.rng`
//!   the suite does not provide, so it is skipped). The `<bug>` element is
//!   not a test.
//! - libvirt 9.0.0: every row of `manifest.tsv`, validated against trang's
//!   compact translation of the row's schema (`rnc/<name>.rnc`).
//!
//! The data lives in `../shared`, outside the repository. When that is
//! missing the run is skipped, unless `CI=true`, where it fails.
//! Prints a scoreboard per suite and every failure; exits non-zero on any.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

#[path = "shared_data.rs"]
mod shared_data;

use rngcheck::{InvalidDocument, Schema, SchemaErrors};
use roxmltree::{Document, Node};

/// `correct` compact cases that a full RELAX NG validator must reject.
const INCORRECT_BY_RULES: [usize; 10] = [20, 44, 45, 46, 60, 64, 67, 74, 75, 83];

/// The XML twin whose `externalRef` target the suite does not provide.
const TWIN_MISSING_RESOURCE: usize = 75;

fn main() -> ExitCode {
    let shared = match shared_data::require("compact_conformance", "") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    shared_data::finish([
        run_compacttest(&shared.join("conformance/compacttest.xml")),
        run_libvirt(&shared.join("libvirt-9.0.0")),
    ])
}

/// Passed and total checks of one kind.
#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.passed += usize::from(ok);
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.passed, self.total)
    }
}

fn run_compacttest(path: &Path) -> Result<Vec<String>, String> {
    let text = read(path)?;
    let doc = Document::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut incorrect = Tally::default();
    let mut by_rules = Tally::default();
    let mut correct = Tally::default();
    let mut instances = Tally::default();
    let mut twins = Tally::default();
    let mut failures = Vec::new();
    let cases = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("testCase"));
    for (i, case) in cases.enumerate() {
        let number = i + 1;
        let Some(compact) = child(case, "compact") else {
            continue;
        };
        let Some(schema) = compact
            .children()
            .find(|n| n.has_tag_name("correct") || n.has_tag_name("incorrect"))
        else {
            continue;
        };
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        for resource in compact.children().filter(|n| n.has_tag_name("resource")) {
            let name = resource.attribute("name").unwrap_or("");
            write(&dir.path().join(name), &all_text(resource))?;
        }
        let rnc = dir.path().join("c.rnc");
        write(&rnc, &all_text(schema))?;
        let loaded = Schema::load(&rnc);
        let accept = schema.has_tag_name("correct") && !INCORRECT_BY_RULES.contains(&number);
        let tally = if accept {
            &mut correct
        } else if schema.has_tag_name("correct") {
            &mut by_rules
        } else {
            &mut incorrect
        };
        tally.add(loaded.is_ok() == accept);
        match (&loaded, accept) {
            (Err(e), true) => failures.push(format!(
                "compacttest {number:03}: rejected: {}",
                first_schema_error(e)
            )),
            (Ok(_), false) => failures.push(format!("compacttest {number:03}: accepted")),
            _ => {}
        }

        if let Ok(schema) = &loaded {
            let mut validator = schema.validator();
            for instance in case
                .children()
                .filter(|n| n.has_tag_name("valid") || n.has_tag_name("invalid"))
            {
                let Some(root) = instance.children().find(|n| n.is_element()) else {
                    continue;
                };
                let want = instance.has_tag_name("valid");
                let outcome = validator.validate_str(&serialize(&text, root));
                instances.add(outcome.is_ok() == want);
                if outcome.is_ok() != want {
                    failures.push(format!(
                        "compacttest {number:03}: {} instance at byte {}: {}",
                        instance.tag_name().name(),
                        instance.range().start,
                        describe(&outcome)
                    ));
                }
            }
        }

        if number == TWIN_MISSING_RESOURCE {
            continue;
        }
        let Some(xml) = child(case, "xml") else {
            continue;
        };
        let Some(twin) = xml
            .children()
            .find(|n| n.has_tag_name("correct") || n.has_tag_name("incorrect"))
            .and_then(|n| n.children().find(|c| c.is_element()))
        else {
            continue;
        };
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        for resource in xml.children().filter(|n| n.has_tag_name("resource")) {
            let name = resource.attribute("name").unwrap_or("");
            let body = match resource.children().find(|n| n.is_element()) {
                Some(root) => serialize(&text, root),
                None => all_text(resource),
            };
            write(&dir.path().join(name), &body)?;
        }
        let rng = dir.path().join("c.rng");
        write(&rng, &serialize(&text, twin))?;
        let twin_loaded = Schema::load(&rng);
        twins.add(twin_loaded.is_ok() == loaded.is_ok());
        if twin_loaded.is_ok() != loaded.is_ok() {
            failures.push(format!(
                "compacttest {number:03}: XML twin {} but the compact schema {}{}",
                if twin_loaded.is_ok() {
                    "accepted"
                } else {
                    "rejected"
                },
                if loaded.is_ok() {
                    "is accepted"
                } else {
                    "is rejected"
                },
                match &twin_loaded {
                    Err(e) => format!(": {}", first_schema_error(e)),
                    Ok(_) => String::new(),
                }
            ));
        }
    }
    println!(
        "compacttest: {incorrect} incorrect rejected, {by_rules} incorrect by RELAX NG rules \
         rejected, {correct} correct accepted, {instances} instances, \
         {twins} XML twins agree"
    );
    Ok(failures)
}

fn run_libvirt(root: &Path) -> Result<Vec<String>, String> {
    let manifest = read(&root.join("manifest.tsv"))?;
    let mut schemas: HashMap<String, Result<Schema, String>> = HashMap::new();
    let mut verdicts = Tally::default();
    let mut failures = Vec::new();
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [schema, document, expected] = fields[..] else {
            return Err(format!("manifest.tsv: bad row {line:?}"));
        };
        if expected != "valid" && expected != "invalid" {
            continue; // a header row
        }
        let name = Path::new(schema)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(schema)
            .to_string();
        let loaded = schemas.entry(name.clone()).or_insert_with(|| {
            let rnc = root.join("rnc").join(format!("{name}.rnc"));
            Schema::load(&rnc).map_err(|e| first_schema_error(&e))
        });
        let schema = match loaded {
            Ok(schema) => schema,
            Err(e) => {
                verdicts.add(false);
                failures.push(format!("libvirt-rnc {document}: {name}.rnc rejected: {e}"));
                continue;
            }
        };
        let text = read(&root.join(document))?;
        let outcome = schema.validator().validate_str(&text);
        let ok = outcome.is_ok() == (expected == "valid");
        verdicts.add(ok);
        if !ok {
            failures.push(format!(
                "libvirt-rnc {document} (expected {expected}): {}",
                describe(&outcome)
            ));
        }
    }
    println!("libvirt-rnc: {verdicts} verdicts match");
    Ok(failures)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(name))
}

/// The element's character data (text and CDATA sections), concatenated.
fn all_text(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// The element exactly as written in `source`, with the namespace
/// declarations it inherits from its ancestors added to its start tag.
fn serialize(source: &str, element: Node) -> String {
    let written = &source[element.range()];
    let name_end = written
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(written.len());
    let start_tag = &written[..written.find('>').unwrap_or(written.len())];
    let mut declarations = String::new();
    for ns in element.namespaces() {
        let attribute = match ns.name() {
            Some("xml") => continue,
            Some(prefix) => format!("xmlns:{prefix}"),
            None => "xmlns".to_string(),
        };
        let declared_here = start_tag.match_indices(attribute.as_str()).any(|(at, _)| {
            let before = start_tag[..at].chars().next_back();
            let after = start_tag[at + attribute.len()..].trim_start();
            before.is_some_and(char::is_whitespace) && after.starts_with('=')
        });
        if !declared_here {
            declarations.push_str(&format!(" {attribute}=\"{}\"", escape(ns.uri())));
        }
    }
    format!(
        "{}{declarations}{}",
        &written[..name_end],
        &written[name_end..]
    )
}

fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

fn first_schema_error(e: &SchemaErrors) -> String {
    e.errors()
        .first()
        .map_or_else(|| "(no message)".to_string(), |e| e.message().to_string())
}

fn describe(verdict: &Result<(), InvalidDocument>) -> String {
    match verdict {
        Ok(()) => "valid".to_string(),
        Err(invalid) => {
            let first = invalid.errors().first().map_or("invalid", |e| e.message());
            if invalid.is_well_formed() {
                first.to_string()
            } else {
                format!("not well-formed: {first}")
            }
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
