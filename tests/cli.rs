//! The command line's exit codes and behaviour: 0 valid, 1 invalid or not
//! well-formed (other files still checked), 2 usage, 3 schema error. Each
//! test writes its schema and documents into a temporary directory.

use crate::util::{assert_code, assert_contains, text};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A schema accepting `<doc>` holding any number of `<item/>`.
const DOC_SCHEMA: &str = r#"<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0">
  <zeroOrMore>
    <element name="item"><empty/></element>
  </zeroOrMore>
</element>
"#;

/// A temporary directory to write files into.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::Builder::new()
            .prefix("rngcheck-cli-")
            .tempdir()
            .expect("cannot create a temporary directory"))
    }

    /// Writes `text` to `name` in the directory; returns its path.
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, text).expect("cannot write a test file");
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

/// Runs the binary with `args`.
fn rngcheck(args: &[&Path]) -> Output {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
        .env("RNGCHECK_INSTALLED_SCHEMAS", "")
        .args(args)
        .output()
        .expect("cannot run rngcheck")
}

#[test]
fn valid_document_exits_0() {
    let dir = Dir::new();
    let schema = dir.write("schema.rng", DOC_SCHEMA);
    let doc = dir.write("doc.xml", "<doc><item/><item/></doc>\n");
    let out = rngcheck(&[&schema, &doc]);
    assert_code(&out, 0);
}

#[test]
fn invalid_document_exits_1() {
    let dir = Dir::new();
    let schema = dir.write("schema.rng", DOC_SCHEMA);
    let doc = dir.write("doc.xml", "<doc><other/></doc>\n");
    let out = rngcheck(&[&schema, &doc]);
    assert_code(&out, 1);
    assert_contains(&text(&out), "doc.xml");
}

#[test]
fn broken_file_among_good_ones_exits_1_and_names_only_it() {
    let dir = Dir::new();
    let schema = dir.write("schema.rng", DOC_SCHEMA);
    let broken = dir.write("broken.xml", "<doc><item></doc>\n");
    let good = dir.write("good.xml", "<doc><item/></doc>\n");
    let out = rngcheck(&[&schema, &broken, &good]);
    assert_code(&out, 1);
    let all = text(&out);
    assert_contains(&all, "broken.xml");
    assert!(!all.contains("good.xml"), "{all}");
}

#[test]
fn files_after_a_broken_one_are_still_checked() {
    let dir = Dir::new();
    let schema = dir.write("schema.rng", DOC_SCHEMA);
    let broken = dir.write("broken.xml", "<doc><item></doc>\n");
    let invalid = dir.write("invalid.xml", "<doc><other/></doc>\n");
    let out = rngcheck(&[&schema, &broken, &invalid]);
    assert_code(&out, 1);
    let all = text(&out);
    assert_contains(&all, "broken.xml");
    assert_contains(&all, "invalid.xml");
}

#[test]
fn missing_document_exits_1_with_a_message() {
    let dir = Dir::new();
    let schema = dir.write("schema.rng", DOC_SCHEMA);
    let missing = dir.path("missing.xml");
    let out = rngcheck(&[&schema, &missing]);
    assert_code(&out, 1);
    assert_contains(&text(&out), "missing.xml");
}

#[test]
fn undefined_ref_exits_3_naming_file_and_line() {
    let dir = Dir::new();
    let schema = dir.write(
        "schema.rng",
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start>
    <ref name="nowhere"/>
  </start>
</grammar>
"#,
    );
    let out = rngcheck(&[&schema]);
    assert_code(&out, 3);
    let all = text(&out);
    assert_contains(&all, "schema.rng:3:");
    assert_contains(&all, "nowhere");
}

#[test]
fn missing_include_exits_3() {
    let dir = Dir::new();
    let schema = dir.write(
        "schema.rng",
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <include href="absent.rng"/>
  <start><element name="doc"><empty/></element></start>
</grammar>
"#,
    );
    let out = rngcheck(&[&schema]);
    assert_code(&out, 3);
    assert_contains(&text(&out), "absent.rng");
}

#[test]
fn include_cycle_exits_3() {
    let dir = Dir::new();
    let a = dir.write(
        "a.rng",
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <include href="b.rng"/>
  <start><element name="doc"><empty/></element></start>
</grammar>
"#,
    );
    dir.write(
        "b.rng",
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <include href="a.rng"/>
  <define name="x"><empty/></define>
</grammar>
"#,
    );
    let out = rngcheck(&[&a]);
    assert_code(&out, 3);
    assert_contains(&text(&out), "cycle");
}

#[test]
fn no_arguments_is_a_usage_error() {
    let out = rngcheck(&[]);
    assert_code(&out, 2);
}

#[test]
fn schema_alone_is_checked_and_exits_0() {
    let dir = Dir::new();
    let schema = dir.write("schema.rng", DOC_SCHEMA);
    let out = rngcheck(&[&schema]);
    assert_code(&out, 0);
}

#[test]
fn deeply_nested_document_does_not_crash() {
    const DEPTH: usize = 200_000;
    let dir = Dir::new();
    let schema = dir.write(
        "schema.rng",
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><ref name="a"/></start>
  <define name="a">
    <element name="a"><zeroOrMore><ref name="a"/></zeroOrMore></element>
  </define>
</grammar>
"#,
    );
    let mut doc = String::with_capacity(DEPTH * 7 + 1);
    for _ in 0..DEPTH {
        doc.push_str("<a>");
    }
    for _ in 0..DEPTH {
        doc.push_str("</a>");
    }
    doc.push('\n');
    let doc = dir.write("deep.xml", &doc);
    let out = rngcheck(&[&schema, &doc]);
    assert_code(&out, 0);
}

#[test]
fn a_schema_error_in_an_included_file_names_the_include_chain() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inc")).unwrap();
    std::fs::write(
        dir.path().join("top.rng"),
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="inc/b.rng"/><start><ref name="x"/></start></grammar>"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("inc/b.rng"),
        "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n<define name=\"x\"><element name=\"a\"><ref name=\"nope\"/></element></define></grammar>",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("rngcheck")
        .unwrap()
        .current_dir(dir.path())
        .args(["--format", "short", "top.rng"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(r#"inc/b.rng:2:36: error: reference to undefined pattern "nope" (included from top.rng:1:54)"#),
        "{text}"
    );
}

#[test]
fn datatype_param_errors_point_at_the_param() {
    let cases = [
        ("<data type='integer'><param name='maxLength'>3</param></data>", "maxLength"),
        ("<data type='integer'><param name='maxInclusive'>ten</param></data>", "ten"),
        ("<data type='string'><param name='minLength'>5</param><param name='maxLength'>2</param></data>", "Length"),
        ("<data type='nosuchtype'/>", "nosuchtype"),
    ];
    for (data, fragment) in cases {
        let dir = tempfile::tempdir().unwrap();
        let schema = format!(
            "<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'\n datatypeLibrary='http://www.w3.org/2001/XMLSchema-datatypes'>\n{data}</element>"
        );
        std::fs::write(dir.path().join("s.rng"), schema).unwrap();
        let out = assert_cmd::Command::cargo_bin("rngcheck")
            .unwrap()
            .current_dir(dir.path())
            .args(["--format", "short", "s.rng"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{data}: {text}");
        assert!(text.starts_with("s.rng:3:"), "{data}: {text}");
        assert!(text.contains(fragment), "{data}: {text}");
    }
}

#[test]
fn a_schema_nested_a_million_levels_deep_is_refused_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let n = 1_000_000;
    let schema = format!(
        "<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'>{}<empty/>{}</element>",
        "<group>".repeat(n),
        "</group>".repeat(n)
    );
    std::fs::write(dir.path().join("s.rng"), schema).unwrap();
    let out = assert_cmd::Command::cargo_bin("rngcheck")
        .unwrap()
        .current_dir(dir.path())
        .args(["--format", "short", "s.rng"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("nests patterns more than 5000 levels deep")
    );
}

#[test]
fn a_name_in_the_wrong_namespace_is_reported_naming_both_namespaces() {
    let dir = Dir::new();
    let schema = dir.write("schema.rng", DOC_SCHEMA);
    let root = dir.write("root.xml", "<doc xmlns=\"urn:x\"><item/></doc>\n");
    let child = dir.write("child.xml", "<doc><item xmlns=\"urn:x\"/></doc>\n");
    let expected = [
        (
            &root,
            "root.xml:1:20: error: element \"doc\" not allowed as the document element; \
             expected element \"doc\"; \"doc\" is expected with no namespace, but this one \
             is in namespace \"urn:x\"",
        ),
        (
            &child,
            "child.xml:1:27: error: element \"item\" not allowed here; expected element \
             \"item\"; \"item\" is expected with no namespace, but this one is in namespace \
             \"urn:x\"",
        ),
    ];
    for (doc, line) in expected {
        let short = Path::new("--format=short");
        let out = rngcheck(&[short, &schema, doc]);
        assert_code(&out, 1);
        assert_contains(&text(&out), line);
        // The same sentence in JSON, with the expected name as the schema has it.
        let out = rngcheck(&[Path::new("--format=json"), &schema, doc]);
        let record: serde_json::Value =
            serde_json::from_slice(out.stdout.split(|&b| b == b'\n').next().unwrap_or_default())
                .expect("a JSON record");
        let message = record["message"].as_str().unwrap_or_default();
        assert!(line.ends_with(message), "{message}");
        assert_eq!(record["expected"].as_array().map(Vec::len), Some(1));
    }
    // A prefixed name, or a schema name in a namespace, never looks like
    // the name found: no clause then.
    let prefixed = dir.write("prefixed.xml", "<doc><p:item xmlns:p=\"urn:x\"/></doc>\n");
    let namespaced = dir.write(
        "ns.rng",
        "<element name=\"doc\" ns=\"urn:a\" xmlns=\"http://relaxng.org/ns/structure/1.0\"><empty/></element>",
    );
    let plain = dir.write("plain.xml", "<doc/>");
    for (schema, doc, line) in [
        (
            &schema,
            &prefixed,
            "element \"p:item\" not allowed here; expected element \"item\"\n",
        ),
        (&namespaced, &plain, "expected element \"{urn:a}doc\"\n"),
    ] {
        let out = rngcheck(&[Path::new("--format=short"), schema, doc]);
        assert_contains(&text(&out), line);
    }
}
