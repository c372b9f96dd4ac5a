//! DTD-compatibility ID/IDREF checks (issue 5), and `--no-id-checks`.

use assert_cmd::Command;
use tempfile::TempDir;

use crate::util::assert_contains;

const SCHEMA: &str = r#"<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://relaxng.org/ns/compatibility/datatypes/1.0">
  <zeroOrMore>
    <element name="item">
      <optional><attribute name="id"><data type="ID"/></attribute></optional>
      <optional><attribute name="ref"><data type="IDREF"/></attribute></optional>
      <optional><attribute name="refs"><data type="IDREFS"/></attribute></optional>
    </element>
  </zeroOrMore>
</element>
"#;

fn run(schema: &str, doc: &str, extra: &[&str]) -> (i32, String) {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("s.rng"), schema).unwrap();
    std::fs::write(dir.path().join("d.xml"), doc).unwrap();
    let out = Command::cargo_bin("rngcheck")
        .unwrap()
        .args(["--format", "short", "-q"])
        .args(extra)
        .arg(dir.path().join("s.rng"))
        .arg(dir.path().join("d.xml"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn ids_and_references_that_resolve_are_valid() {
    let doc = "<doc><item id='a'/><item id='b' ref='a'/><item refs=' a  b '/></doc>";
    assert_eq!(run(SCHEMA, doc, &[]), (0, String::new()));
}

#[test]
fn a_repeated_id_is_an_error_at_the_second_one() {
    let (code, out) = run(SCHEMA, "<doc>\n<item id='a'/>\n<item id='a'/></doc>", &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains(":3:") && out.contains(r#"ID "a" has already been defined"#),
        "{out}"
    );
}

#[test]
fn a_reference_to_no_id_is_an_error_at_the_reference() {
    let (code, out) = run(
        SCHEMA,
        "<doc><item id='a'/>\n<item refs='a zz'/></doc>",
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains(":2:") && out.contains(r#"IDREF "zz" without matching ID"#),
        "{out}"
    );
}

#[test]
fn no_id_checks_turns_document_checks_off() {
    let (code, out) = run(
        SCHEMA,
        "<doc><item id='a'/><item id='a' ref='nowhere'/></doc>",
        &["--no-id-checks"],
    );
    assert_eq!((code, out), (0, String::new()));
}

#[test]
fn an_id_as_element_content_is_a_schema_error() {
    let schema = r#"<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0"
        datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes"><data type="ID"/></element>"#;
    let (code, out) = run(schema, "<doc>a</doc>", &[]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("only be the whole value of an attribute"),
        "{out}"
    );
    assert_eq!(run(schema, "<doc>a</doc>", &["--no-id-checks"]).0, 0);
}

#[test]
fn conflicting_id_types_for_one_attribute_are_a_schema_error() {
    let schema = r#"<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0"
        datatypeLibrary="http://relaxng.org/ns/compatibility/datatypes/1.0">
      <choice>
        <element name="item"><attribute name="id"><data type="ID"/></attribute></element>
        <element name="item"><attribute name="id"><text/></attribute><empty/></element>
      </choice></element>"#;
    let (code, out) = run(schema, "<doc><item id='a'/></doc>", &[]);
    assert_eq!(code, 3, "{out}");
    assert_contains(&out, "conflicting ID-types");
}

#[test]
fn an_id_attribute_with_a_wildcard_name_is_a_schema_error() {
    let schema = r#"<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0"
        datatypeLibrary="http://relaxng.org/ns/compatibility/datatypes/1.0">
      <oneOrMore><attribute><anyName/><data type="ID"/></attribute></oneOrMore></element>"#;
    let (code, out) = run(schema, "<doc a='x'/>", &[]);
    assert_eq!(code, 3, "{out}");
    assert_contains(&out, "without wildcards");
}
