//! Messages that say what is wrong (issue 18): each broken document of
//! `fixtures/messages/` against the small domain-like schema there,
//! rendered in `short` and `json` by the real binary, pinned as snapshots.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn messages_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/messages")
}

/// The binary's output, run in `dir`, for `doc` against `schema`, in `format`.
fn rngcheck_in(dir: &Path, schema: &Path, doc: &str, format: &str) -> (Option<i32>, String) {
    let out = Command::cargo_bin("rngcheck")
        .unwrap()
        .current_dir(dir)
        .args(["-q", "--format", format])
        .arg(schema)
        .arg(doc)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The binary's output for `doc` of the fixtures against the fixture schema.
fn run(doc: &str, format: &str) -> (Option<i32>, String) {
    rngcheck_in(&messages_dir(), Path::new("domain.rng"), doc, format)
}

/// The binary's output for a document written as `text` in a scratch
/// directory, against the fixture schema.
fn run_text(text: &str, format: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.xml"), text).unwrap();
    rngcheck_in(
        dir.path(),
        &messages_dir().join("domain.rng"),
        "d.xml",
        format,
    )
}

#[test]
fn the_fixture_schema_accepts_the_valid_document() {
    assert_eq!(run("valid.xml", "short"), (Some(0), String::new()));
}

#[test]
fn every_broken_document_renders_as_pinned() {
    let mut docs: Vec<String> = std::fs::read_dir(messages_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-invalid.xml"))
        .collect();
    docs.sort();
    assert!(docs.len() >= 20, "{docs:?}");
    for doc in docs {
        let (code, short) = run(&doc, "short");
        assert_eq!(code, Some(1), "{doc}: {short}");
        insta::assert_snapshot!(format!("messages-{}", doc.trim_end_matches(".xml")), short);
    }
}

/// The first JSON record of `doc`.
fn first_json(doc: &str) -> serde_json::Value {
    let (_, json) = run(doc, "json");
    serde_json::from_str(json.lines().next().unwrap()).unwrap()
}

#[test]
fn a_mistyped_enumeration_value_is_named_with_a_suggestion() {
    let record = first_json("graphics-type-typo-invalid.xml");
    let message = record["message"].as_str().unwrap();
    assert!(
        message.contains(r#"value "vnx" of attribute "type""#),
        "{message}"
    );
    assert_eq!(record["help"], r#"did you mean "vnc"?"#);
    assert_eq!(record["expected"].as_array().unwrap().len(), 5);
}

#[test]
fn a_patterned_type_is_named_by_its_define_before_its_regex() {
    let record = first_json("memory-unit-unknown-invalid.xml");
    let message = record["message"].as_str().unwrap();
    assert!(message.contains(r#""gigs""#), "{message}");
    assert!(message.contains(r#"define "unit""#), "{message}");
    assert!(!message.contains("[bB]"), "{message}");
    assert!(
        record["help"].as_str().unwrap().contains("[bB]"),
        "{record}"
    );
}

#[test]
fn an_unexpected_attribute_lists_the_allowed_ones_in_json() {
    let (_, text) = run_text(
        "<domain type='kvm'><name>a</name><memory>1</memory><devices><graphics port='1' colour='x' type='vnc'/></devices></domain>",
        "json",
    );
    let record: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(record["code"], "rngcheck::doc::unexpected_attribute");
    assert_eq!(record["expected"], serde_json::json!(["type"]));
    assert!(record["message"]
        .as_str()
        .unwrap()
        .contains(r#"expected attribute "type""#));
}

#[test]
fn every_format_reports_the_same_line_and_column() {
    let doc = "disk-cache-attribute-invalid.xml";
    let (_, short) = run(doc, "short");
    let record = first_json(doc);
    let (line, column) = (
        record["line"].as_u64().unwrap(),
        record["column"].as_u64().unwrap(),
    );
    assert!(
        short.starts_with(&format!("{doc}:{line}:{column}:")),
        "{short}"
    );
    let human = Command::cargo_bin("rngcheck")
        .unwrap()
        .current_dir(messages_dir())
        .env("NO_COLOR", "1")
        .args(["-q", "domain.rng", doc])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains(&format!("[{doc}:{line}:{column}]")),
        "{human}"
    );
}

#[test]
fn a_forgotten_wrapper_is_one_error_for_the_run_and_errors_inside_it_still_count() {
    let text = std::fs::read_to_string(messages_dir().join("devices-forgotten-invalid.xml"))
        .unwrap()
        .replace("type='vnc'", "type='vnx'")
        .replace(
            "<graphics",
            "<disk type='file'><source file='/b'/><target dev='vdb'/></disk>\n  <graphics",
        );
    let (code, text) = run_text(&text, "short");
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains(r#"it belongs in /domain/devices: missing "devices" around it?"#),
        "{text}"
    );
    assert!(lines[1].contains(r#"value "vnx""#), "{text}");
}

#[test]
fn a_repeated_element_names_the_line_of_the_first() {
    let record = first_json("name-twice-invalid.xml");
    assert_eq!(record["code"], "rngcheck::doc::repeated_element");
    assert_eq!(record["line"], 3);
    assert!(record["help"]
        .as_str()
        .unwrap()
        .contains("the first one is at line 2, column 3"));
}

#[test]
fn names_in_messages_and_expected_use_the_document_prefixes() {
    let record = first_json("arg-unprefixed-invalid.xml");
    assert_eq!(record["expected"], serde_json::json!(["qemu:arg"]));
    let message = record["message"].as_str().unwrap();
    assert!(message.contains(r#""qemu:arg""#), "{message}");
    assert!(!message.contains("http://"), "{message}");
}
