//! Rendered diagnostics: every error of a document, in order, with hints.
//! (The snapshots of the `human` rendering are `cli::render_tests`.)

use std::path::PathBuf;

use assert_cmd::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The CLI's output for the fixture with three errors, in `format`.
fn three_errors_as(format: &str) -> std::process::Output {
    Command::cargo_bin("rngcheck")
        .unwrap()
        .current_dir(repo())
        .args([
            "-q",
            "--default-schema",
            "--format",
            format,
            "fixtures/diagnostics/three-errors-invalid.xml",
        ])
        .output()
        .unwrap()
}

#[test]
fn three_independent_errors_are_all_reported_in_document_order() {
    let out = three_errors_as("short");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].contains(":11:")
            && lines[0].contains(r#"value "floppy-ish" of attribute "device" is invalid"#),
        "{text}"
    );
    assert!(
        lines[1].contains(":16:") && lines[1].contains(r#"did you mean "source"?"#),
        "{text}"
    );
    assert!(
        lines[2].contains(":21:") && lines[2].contains(r#"missing required element "target""#),
        "{text}"
    );
}

#[test]
fn json_output_is_one_object_per_error_with_stable_fields() {
    let out = three_errors_as("json");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The last object is the run's summary.
    let summary = records.pop().unwrap();
    assert_eq!(summary["summary"]["errors"], 3, "{text}");
    assert_eq!(records.len(), 3);
    for field in [
        "file", "line", "column", "span", "path", "message", "expected", "code", "severity",
    ] {
        assert!(
            records.iter().all(|r| r.get(field).is_some()),
            "missing {field}: {text}"
        );
    }
    assert_eq!(records[1]["path"], "/domain/devices/disk[2]/soruce");
    assert_eq!(records[2]["code"], "rngcheck::doc::incomplete_element");
}

#[test]
fn errors_inside_a_misplaced_element_are_reported_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.rng"),
        r#"<element name="r" xmlns="http://relaxng.org/ns/structure/1.0">
  <element name="a"><empty/></element>
  <element name="b"><element name="c"><attribute name="v"><choice><value>1</value><value>2</value></choice></attribute></element></element>
</element>"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("d.xml"),
        "<r><a><b><c v='3'/></b></a><b><c v='1'/></b></r>",
    )
    .unwrap();
    let out = Command::cargo_bin("rngcheck")
        .unwrap()
        .current_dir(dir.path())
        .args(["-q", "--format", "short", "s.rng", "d.xml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains(r#"element "b" not allowed here"#),
        "{text}"
    );
    assert!(
        lines[1].contains(r#"value "3" of attribute "v" is invalid; must be equal to "1" or "2""#),
        "{text}"
    );
}

#[test]
fn streaming_reports_the_same_errors_at_the_same_places() {
    let run = |extra: &[&str]| {
        let out = Command::cargo_bin("rngcheck")
            .unwrap()
            .current_dir(repo())
            .args(["-q", "--default-schema", "--format", "short"])
            .args(extra)
            .arg("fixtures/diagnostics/three-errors-invalid.xml")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let tree = run(&[]);
    let streamed = run(&["--stream"]);
    assert_eq!(tree.0, Some(1));
    assert_eq!(tree, streamed);
}
