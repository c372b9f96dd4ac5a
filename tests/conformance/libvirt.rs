//! libvirt 9.0.0: its 16 schemas and the 2963 documents its own schema test
//! validates (`../shared/libvirt-9.0.0/manifest.tsv`), our first errors
//! against jing's (`jing-errors.tsv`), and how many domain documents the
//! embedded `schemas/domaincommon.rng` handles.

use std::collections::BTreeMap;
use std::path::Path;

use rngcheck::Schema;

use crate::common::{self, Tally, Verdict};

/// How many mismatches to list per suite unless `RNGCHECK_LIST_ALL=1`.
const LIST_LIMIT: usize = 100;

/// One manifest row.
struct Row {
    schema: String,
    document: String,
    valid: bool,
}

fn read_manifest(root: &Path) -> Result<Vec<Row>, String> {
    let path = root.join("manifest.tsv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        if i == 0 && fields.first() == Some(&"schema") {
            continue; // header
        }
        match fields.as_slice() {
            [schema, document, expected] => rows.push(Row {
                schema: schema.to_string(),
                document: document.to_string(),
                valid: *expected == "valid",
            }),
            [] | [""] => {}
            _ => return Err(format!("{}:{}: expected 3 fields", path.display(), i + 1)),
        }
    }
    Ok(rows)
}

/// Reads and decodes a document.
fn read_doc(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))
}

/// Prints a list line, up to the limit.
struct Lister {
    shown: usize,
    hidden: usize,
    all: bool,
}

impl Lister {
    fn new() -> Lister {
        Lister {
            shown: 0,
            hidden: 0,
            all: common::env_flag("RNGCHECK_LIST_ALL"),
        }
    }

    fn line(&mut self, line: String) {
        if self.all || self.shown < LIST_LIMIT {
            println!("{line}");
            self.shown += 1;
        } else {
            self.hidden += 1;
        }
    }

    fn finish(&self, what: &str) {
        if self.hidden > 0 {
            println!(
                "... and {} more {what} (RNGCHECK_LIST_ALL=1 lists them all)",
                self.hidden
            );
        }
    }
}

/// Our verdict on one document, keyed by its manifest path.
type Verdicts = BTreeMap<String, Verdict>;

pub fn run(shared: &Path, tally: &mut Tally) {
    let root = shared.join("libvirt-9.0.0");
    let rows = match read_manifest(&root) {
        Ok(rows) => rows,
        Err(e) => {
            println!("FAIL libvirt: {e}");
            tally.failed += 1;
            return;
        }
    };

    // Load each schema once; documents are grouped by schema.
    let mut by_schema: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        by_schema.entry(&row.schema).or_default().push(row);
    }
    let mut verdicts = Verdicts::new();
    let mut matched = 0;
    let mut list = Lister::new();
    let mut schema_failures = 0;
    for (schema_path, docs) in &by_schema {
        let schema = match common::load_schema(&root.join(schema_path)) {
            Ok(Ok(schema)) => schema,
            Ok(Err(errors)) => {
                schema_failures += 1;
                println!(
                    "FAIL libvirt schema {schema_path} rejected ({} documents unchecked): {}",
                    docs.len(),
                    common::first_schema_error(&errors)
                );
                continue;
            }
            Err(panic) => {
                schema_failures += 1;
                println!(
                    "FAIL libvirt schema {schema_path} ({} documents unchecked): {panic}",
                    docs.len()
                );
                continue;
            }
        };
        let mut validator = schema.validator();
        for row in docs {
            let verdict = match read_doc(&root.join(&row.document)) {
                Ok(text) => common::validate(&mut validator, &text),
                Err(e) => Verdict::Panicked(e),
            };
            if verdict.is_valid() == row.valid {
                matched += 1;
            } else {
                list.line(format!(
                    "FAIL libvirt {} expected {} got {}{}",
                    row.document,
                    if row.valid { "valid" } else { "invalid" },
                    if verdict.is_valid() {
                        "valid"
                    } else {
                        "invalid"
                    },
                    match verdict.detail() {
                        d if d.is_empty() => String::new(),
                        d => format!(": {d}"),
                    }
                ));
            }
            verdicts.insert(row.document.clone(), verdict);
        }
    }
    list.finish("mismatches");
    let valid = rows.iter().filter(|r| r.valid).count();
    println!(
        "libvirt: {matched}/{} verdicts match ({valid} valid, {} invalid){}",
        rows.len(),
        rows.len() - valid,
        if schema_failures > 0 {
            format!(
                "; {schema_failures}/{} schemas failed to load",
                by_schema.len()
            )
        } else {
            String::new()
        }
    );
    tally.passed += matched;
    tally.failed += rows.len() - matched;

    first_errors(&root, &verdicts, tally);
}

/// Our first error against jing's, for each invalid document.
fn first_errors(root: &Path, verdicts: &Verdicts, tally: &mut Tally) {
    // First errors must match jing (issue 6); RNGCHECK_LENIENT_FIRST_ERRORS=1 only reports.
    let strict = !common::env_flag("RNGCHECK_LENIENT_FIRST_ERRORS");
    let path = root.join("jing-errors.tsv");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            println!(
                "FAIL libvirt first errors: cannot read {}: {e}",
                path.display()
            );
            tally.failed += 1;
            return;
        }
    };
    let mut total = 0;
    let mut on_line = 0;
    let mut on_column = 0;
    let mut same_item = 0;
    let mut list = Lister::new();
    let label = if strict { "FAIL" } else { "INFO" };
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        let [document, jing_line, jing_column, jing_message] = fields.as_slice() else {
            continue;
        };
        total += 1;
        let jing_line: u32 = jing_line.parse().unwrap_or(0);
        let jing_column: u32 = jing_column.parse().unwrap_or(0);
        let item = first_quoted(jing_message);
        let (ok_line, ok_item, ours) = match verdicts.get(*document) {
            Some(Verdict::Rejected {
                line,
                column,
                message,
            }) => {
                on_column += usize::from(*line == jing_line && *column == jing_column);
                (
                    *line == jing_line,
                    item.is_some_and(|i| message.contains(&format!("\"{i}\""))),
                    format!("line {line}: {message}"),
                )
            }
            Some(Verdict::Valid) => (false, false, "accepted as valid".to_string()),
            Some(Verdict::Panicked(p)) => (false, false, p.clone()),
            None => (
                false,
                false,
                "not checked (schema failed to load)".to_string(),
            ),
        };
        on_line += usize::from(ok_line);
        same_item += usize::from(ok_item);
        if !(ok_line && ok_item) {
            list.line(format!(
                "{label} libvirt first error {document}: jing line {jing_line}: {jing_message} | ours {ours}"
            ));
        }
        if strict {
            if ok_line && ok_item {
                tally.passed += 1;
            } else {
                tally.failed += 1;
            }
        }
    }
    list.finish("first-error differences");
    println!(
        "libvirt first errors: {on_line}/{total} on jing's line ({on_column}/{total} at jing's column too), {same_item}/{total} naming the same item{}",
        if strict { "" } else { " (informational: RNGCHECK_LENIENT_FIRST_ERRORS is set)" }
    );
}

/// The first double-quoted name in a jing message.
fn first_quoted(message: &str) -> Option<&str> {
    let start = message.find('"')? + 1;
    let len = message[start..].find('"')?;
    Some(&message[start..start + len])
}

/// The embedded default schema on libvirt's domain documents. Informational:
/// never fails the run.
pub fn run_embedded(shared: &Path, tally: &mut Tally) {
    let root = shared.join("libvirt-9.0.0");
    seed_fixture_against_libvirt(&root, tally);
    let rows = match read_manifest(&root) {
        Ok(rows) => rows,
        Err(e) => {
            println!("INFO embedded: {e}");
            return;
        }
    };
    let schema_path = common::repo_dir().join("schemas/domaincommon.rng");
    let schema: Schema = match common::load_schema(&schema_path) {
        Ok(Ok(schema)) => schema,
        Ok(Err(errors)) => {
            println!(
                "embedded domaincommon.rng: does not load: {}",
                common::first_schema_error(&errors)
            );
            return;
        }
        Err(panic) => {
            println!("embedded domaincommon.rng: {panic}");
            return;
        }
    };
    let mut validator = schema.validator();
    let (mut valid_total, mut valid_ok, mut invalid_total, mut invalid_ok) = (0, 0, 0, 0);
    for row in rows
        .iter()
        .filter(|r| r.schema == "src/conf/schemas/domain.rng")
    {
        let accepted = read_doc(&root.join(&row.document))
            .map(|text| common::validate(&mut validator, &text).is_valid())
            .unwrap_or(false);
        if row.valid {
            valid_total += 1;
            valid_ok += usize::from(accepted);
        } else {
            invalid_total += 1;
            invalid_ok += usize::from(!accepted);
        }
    }
    println!(
        "embedded domaincommon.rng accepts {valid_ok}/{valid_total} valid libvirt domain documents and rejects {invalid_ok}/{invalid_total} invalid ones"
    );
}

/// `--format json` over the whole corpus: every line the binary prints, for
/// every document, valid or not, must parse as one JSON object with the
/// stable fields, and the last as the summary counting them (one run of the
/// binary per schema).
pub fn run_json(shared: &Path, tally: &mut Tally) {
    let root = shared.join("libvirt-9.0.0");
    let rows = match read_manifest(&root) {
        Ok(rows) => rows,
        Err(e) => {
            println!("FAIL libvirt json: {e}");
            tally.failed += 1;
            return;
        }
    };
    let mut by_schema: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for row in &rows {
        by_schema
            .entry(&row.schema)
            .or_default()
            .push(&row.document);
    }
    let (mut records, mut bad, mut summaries) = (0usize, 0usize, 0usize);
    for (schema, docs) in by_schema {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
            .current_dir(&root)
            .args(["-q", "--no-config", "--format", "json", schema])
            .args(&docs)
            .output();
        let output = match output {
            Ok(o) => o,
            Err(e) => {
                println!("FAIL libvirt json: cannot run rngcheck: {e}");
                tally.failed += 1;
                return;
            }
        };
        let text = String::from_utf8_lossy(&output.stdout);
        let mut lines: Vec<&str> = text.lines().collect();
        let summary: Option<serde_json::Value> =
            lines.pop().and_then(|l| serde_json::from_str(l).ok());
        let errors_in_run = lines.len();
        for line in lines {
            records += 1;
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(line);
            let complete = parsed.as_ref().is_ok_and(|v| {
                [
                    "file", "line", "column", "span", "path", "message", "expected", "code",
                    "severity",
                ]
                .iter()
                .all(|f| v.get(f).is_some())
            });
            if !complete {
                bad += 1;
                println!("FAIL libvirt json: not a complete JSON record: {line}");
            }
        }
        let counted = summary.as_ref().map(|s| &s["summary"]);
        if counted.is_some_and(|s| {
            s["errors"] == errors_in_run && s["documents"] == docs.len() && s["schema"] == schema
        }) {
            summaries += 1;
        } else {
            bad += 1;
            println!("FAIL libvirt json {schema}: no summary counting {errors_in_run} errors and {} documents last: {summary:?}", docs.len());
        }
    }
    if bad == 0 {
        tally.passed += 1;
    } else {
        tally.failed += 1;
    }
    println!(
        "libvirt json: {}/{records} error records from {} documents parse as JSON with every field; {summaries} runs end with a summary that counts them",
        records.saturating_sub(bad),
        rows.len()
    );
}

/// `--format sarif` over the whole corpus in one run (`--schema-dir`, no
/// expected-invalid suffix, so the invalid documents are results): the log
/// must validate against the official SARIF 2.1.0 JSON schema in
/// `../shared/sarif`, and its results must be exactly on the manifest's
/// invalid documents.
pub fn run_sarif(shared: &Path, tally: &mut Tally) {
    let root = shared.join("libvirt-9.0.0");
    let schema_path = shared.join("sarif/sarif-schema-2.1.0.json");
    let (rows, schema) = match (
        read_manifest(&root),
        std::fs::read_to_string(&schema_path)
            .map_err(|e| format!("cannot read {}: {e}", schema_path.display()))
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string())),
    ) {
        (Ok(rows), Ok(schema)) => (rows, schema),
        (Err(e), _) | (_, Err(e)) => {
            println!("FAIL libvirt sarif: {e}");
            tally.failed += 1;
            return;
        }
    };
    let validator = match jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
    {
        Ok(v) => v,
        Err(e) => {
            println!("FAIL libvirt sarif: the SARIF schema does not compile: {e}");
            tally.failed += 1;
            return;
        }
    };
    let docs: Vec<&str> = rows.iter().map(|r| r.document.as_str()).collect();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
        .current_dir(&root)
        .args([
            "-q",
            "--no-config",
            "--format",
            "sarif",
            "--schema-dir",
            "src/conf/schemas",
        ])
        .args(&docs)
        .output();
    let log: serde_json::Value = match output
        .map_err(|e| e.to_string())
        .and_then(|o| serde_json::from_slice(&o.stdout).map_err(|e| e.to_string()))
    {
        Ok(log) => log,
        Err(e) => {
            println!("FAIL libvirt sarif: no SARIF log: {e}");
            tally.failed += 1;
            return;
        }
    };
    let problems: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    for p in problems.iter().take(20) {
        println!("FAIL libvirt sarif: schema violation: {p}");
    }
    // The check itself must be able to fail: a result with a level SARIF
    // does not know is rejected.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    let discerning = !validator.is_valid(&broken);
    if !discerning {
        println!("FAIL libvirt sarif: the schema check accepts a result of level \"fatal\"");
    }
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let on: std::collections::BTreeSet<String> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .map(str::to_string)
        .collect();
    let invalid: std::collections::BTreeSet<String> = rows
        .iter()
        .filter(|r| !r.valid)
        .map(|r| r.document.clone())
        .collect();
    let same_documents = on == invalid;
    if !same_documents {
        let extra: Vec<_> = on.difference(&invalid).take(5).collect();
        let missing: Vec<_> = invalid.difference(&on).take(5).collect();
        println!("FAIL libvirt sarif: results on other documents than the invalid ones: extra {extra:?}, missing {missing:?}");
    }
    if problems.is_empty() && same_documents && discerning {
        tally.passed += 1;
    } else {
        tally.failed += 1;
    }
    println!(
        "libvirt sarif: one log of {} documents, {} results on {} of {} invalid documents; {} violations of the SARIF 2.1.0 schema",
        rows.len(),
        results.len(),
        on.len(),
        invalid.len(),
        problems.len()
    );
}

/// The CI gate end to end: the shipped libvirt config reproduces all the
/// manifest's checks with their verdicts, and `--schema-dir` picks each
/// document's schema by its root element with the same verdicts.
pub fn run_gate(shared: &Path, tally: &mut Tally) {
    let root = shared.join("libvirt-9.0.0");
    let rows = match read_manifest(&root) {
        Ok(rows) => rows,
        Err(e) => {
            println!("FAIL libvirt gate: {e}");
            tally.failed += 1;
            return;
        }
    };
    let config = common::repo_dir().join("examples/libvirt/rngcheck.toml");
    let by_config = std::process::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
        .arg("--config")
        .arg(&config)
        .arg("--root")
        .arg(&root)
        .arg("-q")
        .output();
    let docs: Vec<&str> = rows.iter().map(|r| r.document.as_str()).collect();
    let by_root = std::process::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
        .current_dir(&root)
        .args([
            "-q",
            "--no-config",
            "--schema-dir",
            "src/conf/schemas",
            "--expect-invalid-suffix",
            "-invalid.xml",
        ])
        .args(&docs)
        .output();
    broken_copy(&root, &config, tally);
    for (what, output) in [
        ("--config examples/libvirt/rngcheck.toml", by_config),
        ("--schema-dir", by_root),
    ] {
        match output {
            Ok(o) if o.status.success() => {
                tally.passed += 1;
                println!(
                    "libvirt gate {what}: all {} documents got their expected verdicts (exit 0)",
                    rows.len()
                );
            }
            Ok(o) => {
                tally.failed += 1;
                println!(
                    "FAIL libvirt gate {what}: exit {:?}\n{}",
                    o.status.code(),
                    String::from_utf8_lossy(&o.stdout)
                        .lines()
                        .take(20)
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
            Err(e) => {
                tally.failed += 1;
                println!("FAIL libvirt gate {what}: cannot run rngcheck: {e}");
            }
        }
    }
}

/// In a temporary copy of the tree with one valid document broken, the
/// config run exits 1 and names that document.
fn broken_copy(root: &Path, config: &Path, tally: &mut Tally) {
    let victim = "tests/domainschemadata/backing-chains.xml";
    let result = (|| -> Result<std::process::Output, String> {
        let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
        copy_tree(root, tmp.path()).map_err(|e| format!("copy: {e}"))?;
        let path = tmp.path().join(victim);
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        std::fs::write(&path, text.replacen("<devices>", "<devices><bogus/>", 1))
            .map_err(|e| e.to_string())?;
        std::process::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
            .arg("--config")
            .arg(config)
            .arg("--root")
            .arg(tmp.path())
            .args(["-q", "--format", "short"])
            .output()
            .map_err(|e| e.to_string())
    })();
    match result {
        Ok(o)
            if o.status.code() == Some(1)
                && String::from_utf8_lossy(&o.stdout).contains(victim) =>
        {
            tally.passed += 1;
            println!("libvirt gate: with {victim} broken in a copy, exit 1 naming it");
        }
        Ok(o) => {
            tally.failed += 1;
            println!(
                "FAIL libvirt gate broken copy: exit {:?}: {}",
                o.status.code(),
                String::from_utf8_lossy(&o.stdout)
            );
        }
        Err(e) => {
            tally.failed += 1;
            println!("FAIL libvirt gate broken copy: {e}");
        }
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .map_err(std::io::Error::other)?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The seed's document, as reconstructed in `fixtures/domain`, is valid for
/// libvirt's own domain schema too.
fn seed_fixture_against_libvirt(root: &Path, tally: &mut Tally) {
    let fixture = common::repo_dir().join("fixtures/domain/backing-chains.xml");
    let verdict = common::load_schema(&root.join("src/conf/schemas/domain.rng"))
        .and_then(|loaded| loaded.map_err(|e| common::first_schema_error(&e)))
        .and_then(|schema| {
            let text = read_doc(&fixture)?;
            Ok(common::validate(&mut schema.validator(), &text))
        });
    match verdict {
        Ok(v) if v.is_valid() => {
            tally.passed += 1;
            println!("fixtures/domain/backing-chains.xml is valid against libvirt's domain.rng");
        }
        Ok(v) => {
            tally.failed += 1;
            println!(
                "FAIL fixtures/domain/backing-chains.xml against libvirt's domain.rng: {}",
                v.detail()
            );
        }
        Err(e) => {
            tally.failed += 1;
            println!("FAIL fixtures/domain/backing-chains.xml against libvirt's domain.rng: {e}");
        }
    }
}
