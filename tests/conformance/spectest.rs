//! James Clark's RELAX NG test suite (`../shared/conformance/spectest.xml`).
//!
//! Each `<testCase>` is written out to a temporary directory: the schema as
//! `c.rng`, its `<resource>`s and `<dir>`s beside it. Schemas and instances
//! are sliced verbatim from the suite's text (so character references and
//! CDATA stay as written), with the namespace declarations they inherit
//! from ancestors added to their root element, and the suite's own DTD
//! entities (`&dii;`) expanded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node, NodeType, ParsingOptions};

use crate::common::{self, Tally, Verdict};

/// One `<testCase>`.
struct Case {
    /// 1-based, in document order.
    number: usize,
    section: String,
    /// `true` for `<correct>`, `false` for `<incorrect>`.
    correct: bool,
    schema: String,
    /// Extra files, relative to the schema's directory.
    files: Vec<(PathBuf, String)>,
    valid: Vec<String>,
    invalid: Vec<String>,
}

/// Counts for the scoreboard: (passed, total) per kind of check.
#[derive(Default)]
struct Board {
    incorrect: (usize, usize),
    correct: (usize, usize),
    valid: (usize, usize),
    invalid: (usize, usize),
}

pub fn run(shared: &Path, tally: &mut Tally) {
    let path = shared.join("conformance/spectest.xml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            println!("FAIL spectest: cannot read {}: {e}", path.display());
            tally.failed += 1;
            return;
        }
    };
    let cases = match parse_suite(&text) {
        Ok(cases) => cases,
        Err(e) => {
            println!("FAIL spectest: cannot parse {}: {e}", path.display());
            tally.failed += 1;
            return;
        }
    };
    let xfail = common::load_xfail().remove("spectest").unwrap_or_default();

    let dump = std::env::var_os("RNGCHECK_SPECTEST_DUMP").map(PathBuf::from);
    let mut board = Board::default();
    let mut xfailed_cases = 0;
    for case in &cases {
        let (failures, failed, checks) = run_case(case, &mut board, dump.as_deref());
        let expected_failure = xfail.get(&case.number.to_string());
        match (failures.is_empty(), expected_failure) {
            (true, None) => tally.passed += checks,
            (false, None) => {
                tally.passed += checks - failed;
                tally.failed += failed;
                for f in &failures {
                    println!("FAIL spectest #{} §{} {f}", case.number, case.section);
                }
            }
            (false, Some(reason)) => {
                xfailed_cases += 1;
                tally.passed += checks - failed;
                tally.xfailed += failed;
                for f in &failures {
                    println!(
                        "XFAIL spectest #{} §{} {f} [xfail: {reason}]",
                        case.number, case.section
                    );
                }
            }
            (true, Some(reason)) => {
                tally.passed += checks;
                tally.failed += 1;
                println!(
                    "XPASS spectest #{} §{} passes now; remove it from tests/conformance.xfail [{reason}]",
                    case.number, case.section
                );
            }
        }
    }
    for number in xfail.keys() {
        if !cases.iter().any(|c| c.number.to_string() == *number) {
            println!(
                "FAIL spectest: tests/conformance.xfail names case {number}, which does not exist"
            );
            tally.failed += 1;
        }
    }

    let b = &board;
    println!(
        "spectest: {}/{} incorrect schemas rejected, {}/{} correct schemas accepted, {}/{} valid instances accepted, {}/{} invalid instances rejected",
        b.incorrect.0, b.incorrect.1, b.correct.0, b.correct.1, b.valid.0, b.valid.1, b.invalid.0, b.invalid.1
    );
    let passed = b.incorrect.0 + b.correct.0 + b.valid.0 + b.invalid.0;
    let total = b.incorrect.1 + b.correct.1 + b.valid.1 + b.invalid.1;
    println!(
        "spectest total: {passed}/{total} checks ({} cases, {xfailed_cases} of them xfail)",
        cases.len()
    );
}

/// Runs one case; returns its failures (one line each), how many checks
/// failed and how many checks it has.
fn run_case(case: &Case, board: &mut Board, dump: Option<&Path>) -> (Vec<String>, usize, usize) {
    let mut failures = Vec::new();
    let checks = 1 + case.valid.len() + case.invalid.len();
    let dir = match materialize(case) {
        Ok(dir) => dir,
        Err(e) => {
            failures.push(format!(
                "cannot write the case to a temporary directory: {e}"
            ));
            return (failures, checks, checks);
        }
    };
    if let Some(dump) = dump {
        if let Err(e) = dump_case(case, dir.path(), dump) {
            println!(
                "spectest: cannot dump case {} to {}: {e}",
                case.number,
                dump.display()
            );
        }
    }
    let loaded = common::load_schema(&dir.path().join("c.rng"));
    if !case.correct {
        board.incorrect.1 += 1;
        match loaded {
            Ok(Err(_)) => board.incorrect.0 += 1,
            Ok(Ok(_)) => failures.push("incorrect schema accepted".to_string()),
            Err(panic) => failures.push(format!("incorrect schema: {panic}")),
        }
        let failed = failures.len();
        return (failures, failed, checks);
    }
    board.correct.1 += 1;
    board.valid.1 += case.valid.len();
    board.invalid.1 += case.invalid.len();
    let schema = match loaded {
        Ok(Ok(schema)) => schema,
        Ok(Err(errors)) => {
            // Its instances cannot be checked: each counts as failed.
            failures.push(format!(
                "correct schema rejected ({} instances unchecked): {}",
                checks - 1,
                common::first_schema_error(&errors)
            ));
            return (failures, checks, checks);
        }
        Err(panic) => {
            failures.push(format!(
                "correct schema ({} instances unchecked): {panic}",
                checks - 1
            ));
            return (failures, checks, checks);
        }
    };
    board.correct.0 += 1;
    let mut validator = schema.validator();
    for (i, doc) in case.valid.iter().enumerate() {
        match common::validate(&mut validator, doc) {
            Verdict::Valid => board.valid.0 += 1,
            v => failures.push(format!("valid instance {} rejected: {}", i + 1, v.detail())),
        }
    }
    for (i, doc) in case.invalid.iter().enumerate() {
        match common::validate(&mut validator, doc) {
            Verdict::Valid => failures.push(format!("invalid instance {} accepted", i + 1)),
            Verdict::Panicked(p) => failures.push(format!("invalid instance {}: {p}", i + 1)),
            Verdict::Rejected { .. } => board.invalid.0 += 1,
        }
    }
    let failed = failures.len();
    (failures, failed, checks)
}

/// Copies a materialized case to `dump/NNN/` (schema and resources) with its
/// instances as `valid-K.xml` and `invalid-K.xml`, for debugging by hand:
/// `rngcheck dump/NNN/c.rng dump/NNN/valid-1.xml`.
fn dump_case(case: &Case, dir: &Path, dump: &Path) -> std::io::Result<()> {
    let out = dump.join(format!("{:03}", case.number));
    std::fs::create_dir_all(&out)?;
    std::fs::copy(dir.join("c.rng"), out.join("c.rng"))?;
    for (rel, text) in &case.files {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    for (i, doc) in case.valid.iter().enumerate() {
        std::fs::write(out.join(format!("valid-{}.xml", i + 1)), doc)?;
    }
    for (i, doc) in case.invalid.iter().enumerate() {
        std::fs::write(out.join(format!("invalid-{}.xml", i + 1)), doc)?;
    }
    Ok(())
}

/// Writes the schema and its resources into a fresh temporary directory.
fn materialize(case: &Case) -> std::io::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new().prefix("spectest-").tempdir()?;
    std::fs::write(dir.path().join("c.rng"), &case.schema)?;
    for (rel, text) in &case.files {
        let path = dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(dir)
}

/// Reads every `<testCase>` of the suite, in document order.
fn parse_suite(text: &str) -> Result<Vec<Case>, String> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let entities = internal_entities(text);
    // roxmltree rejects the suite's markup-bearing entity (`dii`), so parse
    // a same-length copy without the DTD and with placeholders for entity
    // references; byte ranges then still index the original text.
    let masked = mask_dtd(text, &entities);
    let doc = Document::parse_with_options(&masked, options).map_err(|e| e.to_string())?;
    let slicer = Slicer { text, entities };
    let mut cases = Vec::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("testCase")) {
        let mut case = Case {
            number: cases.len() + 1,
            section: String::new(),
            correct: false,
            schema: String::new(),
            files: Vec::new(),
            valid: Vec::new(),
            invalid: Vec::new(),
        };
        let mut sections = Vec::new();
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "section" => sections.push(child.text().unwrap_or("").trim().to_string()),
                "correct" | "incorrect" => {
                    case.correct = child.has_tag_name("correct");
                    case.schema = slicer.content(child);
                }
                "resource" | "dir" => slicer.files(child, Path::new(""), &mut case.files),
                "valid" => case.valid.push(slicer.content(child)),
                "invalid" => case.invalid.push(slicer.content(child)),
                _ => {}
            }
        }
        if sections.is_empty() {
            // Some cases take their section from the enclosing testSuite.
            sections.extend(
                node.ancestors()
                    .filter(|a| a.has_tag_name("testSuite"))
                    .filter_map(|a| a.children().find(|c| c.has_tag_name("section")))
                    .map(|s| s.text().unwrap_or("").trim().to_string())
                    .take(1),
            );
        }
        case.section = if sections.is_empty() {
            "-".to_string()
        } else {
            sections.join(",")
        };
        cases.push(case);
    }
    Ok(cases)
}

/// Cuts documents out of the suite's text.
struct Slicer<'t> {
    text: &'t str,
    /// Internal general entities declared in the suite's DTD: name →
    /// replacement text (character references already expanded).
    entities: BTreeMap<String, String>,
}

impl Slicer<'_> {
    /// The content of a `<correct>`, `<valid>`, `<resource>`... element as a
    /// standalone document: everything from its first to its last non-text
    /// child, verbatim, with inherited namespace declarations added to the
    /// root element. An element with no element child gives its text.
    fn content(&self, holder: Node) -> String {
        let Some(root) = holder.children().find(Node::is_element) else {
            return holder.text().unwrap_or("").to_string();
        };
        let markup: Vec<Node> = holder
            .children()
            .filter(|n| n.node_type() != NodeType::Text)
            .collect();
        let start = markup
            .first()
            .map_or(root.range().start, |n| n.range().start);
        let end = markup.last().map_or(root.range().end, |n| n.range().end);
        let root_at = root.range().start - start;
        let mut out = self.text[start..end].to_string();

        // Where the root element's name ends, and which xmlns it declares.
        let tag = &out[root_at..];
        let (name_end, declared) = scan_start_tag(tag);
        let mut extra = String::new();
        for ns in holder.namespaces() {
            let prefix = ns.name();
            if prefix == Some("xml") {
                continue;
            }
            let attr = match prefix {
                Some(p) => format!("xmlns:{p}"),
                None => "xmlns".to_string(),
            };
            if !declared.contains(&attr) {
                extra.push_str(&format!(" {attr}=\"{}\"", escape_attr(ns.uri())));
            }
        }
        out.insert_str(root_at + name_end, &extra);
        self.expand_entities(&out)
    }

    /// Collects `<resource>` and `<dir>` (nested) as files under `prefix`.
    fn files(&self, node: Node, prefix: &Path, out: &mut Vec<(PathBuf, String)>) {
        let name = node.attribute("name").unwrap_or("");
        let path = prefix.join(name);
        if node.has_tag_name("resource") {
            out.push((path, self.content(node)));
        } else {
            for child in node.children().filter(Node::is_element) {
                self.files(child, &path, out);
            }
        }
    }

    /// Replaces `&name;` for the suite's own entities by their replacement
    /// text (the predefined five and character references stay as written).
    fn expand_entities(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (name, value) in &self.entities {
            out = out.replace(&format!("&{name};"), value);
        }
        out
    }
}

/// For the start tag at the beginning of `tag`: the byte length of `<name`,
/// and the names of the attributes it carries.
fn scan_start_tag(tag: &str) -> (usize, Vec<String>) {
    let bytes = tag.as_bytes();
    let mut i = 1;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'/' && bytes[i] != b'>'
    {
        i += 1;
    }
    let name_end = i;
    let mut names = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'/' || bytes[i] == b'>' {
            break;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        names.push(tag[start..i].to_string());
        while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\'' {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let quote = bytes[i];
        i += 1;
        while i < bytes.len() && bytes[i] != quote {
            i += 1;
        }
        i += 1;
    }
    (name_end, names)
}

fn escape_attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// `<!ENTITY name "value">` declarations in the internal DTD subset, with
/// character references in the value expanded (as an XML processor does
/// when it reads the literal).
fn internal_entities(text: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let Some(dtd_start) = text.find("<!DOCTYPE") else {
        return map;
    };
    let dtd_end = text[dtd_start..]
        .find("]>")
        .map_or(text.len(), |i| dtd_start + i);
    let mut rest = &text[dtd_start..dtd_end];
    while let Some(at) = rest.find("<!ENTITY") {
        rest = &rest[at + "<!ENTITY".len()..];
        let decl = rest.trim_start();
        if decl.starts_with('%') {
            continue; // parameter entity
        }
        let name: String = decl.chars().take_while(|c| !c.is_whitespace()).collect();
        let after = decl[name.len()..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue; // external entity
        };
        let Some(len) = after[1..].find(quote) else {
            continue;
        };
        map.insert(name, expand_char_refs(&after[1..1 + len]));
    }
    map
}

fn expand_char_refs(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find(';') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let code = match after.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(&hex[..end - 1], 16).ok(),
            None => after[..end].parse().ok(),
        };
        match code.and_then(char::from_u32) {
            Some(c) => out.push(c),
            None => out.push_str(&rest[at..at + 2 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `text` with its DOCTYPE blanked out (newlines kept) and each reference
/// to an internal entity replaced by an empty element of the same length
/// (`&dii;` → `<xx/>`), so that byte offsets are unchanged.
fn mask_dtd(text: &str, entities: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    if let Some(start) = text.find("<!DOCTYPE") {
        let end = text[start..].find("]>").map_or(start, |i| start + i + 2);
        let blank: String = text[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        // Multi-byte characters become one space each: pad to keep length.
        let pad = (end - start) - blank.len();
        out.replace_range(start..end, &format!("{blank}{}", " ".repeat(pad)));
    }
    for name in entities.keys() {
        let reference = format!("&{name};");
        let placeholder = if reference.len() >= 4 {
            format!("<{}/>", "x".repeat(reference.len() - 3))
        } else {
            " ".repeat(reference.len())
        };
        out = out.replace(&reference, &placeholder);
    }
    out
}
