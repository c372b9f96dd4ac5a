//! Schema coverage (`--coverage`, `--coverage-json`, `--coverage-lcov`,
//! `--coverage-fail-under`) and negative tests pinned to their error
//! (`--expected-errors`, `expected_errors`, `--bless`), run as a user runs
//! them: `fixtures/coverage/` copied into a scratch directory.

use crate::util::{assert_code, assert_contains, text, write_file};
use std::path::Path;
use std::process::Output;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/coverage");

/// A scratch copy of `fixtures/coverage` (`disk.rng`, `docs/`).
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rngcheck-coverage-")
        .tempdir()
        .expect("cannot create a temporary directory");
    for rel in [
        "disk.rng",
        "docs/with-source.xml",
        "docs/end-marker.xml",
        "docs/mirror-invalid.xml",
        "docs/type-invalid.xml",
    ] {
        let text = std::fs::read_to_string(Path::new(FIXTURE).join(rel)).expect("fixture");
        write_file(dir.path(), rel, &text);
    }
    dir
}

fn rngcheck(cwd: &Path, args: &[&str]) -> Output {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
        .env("RNGCHECK_INSTALLED_SCHEMAS", "")
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("cannot run rngcheck")
}

const CHECK: [&str; 4] = [
    "disk.rng",
    "docs",
    "--expect-invalid-suffix",
    "-invalid.xml",
];

/// The JSON item of `kind` named `name` (the first, in file order).
fn item<'a>(items: &'a [serde_json::Value], kind: &str, name: &str) -> &'a serde_json::Value {
    items
        .iter()
        .find(|i| i["kind"] == kind && i["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name:?} in {items:#?}"))
}

#[test]
fn coverage_files_replace_longer_old_ones_and_go_to_pipes() {
    let dir = scratch();
    // A longer file from an earlier run: rewritten, not left with its tail.
    write_file(dir.path(), "coverage.json", &"x".repeat(4 << 20));
    let args = [&CHECK[..], &["--coverage-json", "coverage.json"]].concat();
    assert_code(&rngcheck(dir.path(), &args), 0);
    let written = std::fs::read_to_string(dir.path().join("coverage.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).expect("whole JSON");
    assert_eq!(json["total"], 20);
    // Standard output, a pipe here, has no length to cut.
    #[cfg(unix)]
    {
        let args = [&CHECK[..], &["--quiet", "--coverage-lcov", "/dev/stdout"]].concat();
        let out = rngcheck(dir.path(), &args);
        assert_code(&out, 0);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_contains(&stdout, "SF:disk.rng\n");
        assert_contains(&stdout, "end_of_record\n");
    }
}

#[test]
fn coverage_of_the_fixture_corpus() {
    let dir = scratch();
    let args = [
        &CHECK[..],
        &[
            "--coverage-json",
            "coverage.json",
            "--coverage-lcov",
            "coverage.info",
        ],
    ]
    .concat();
    let out = rngcheck(dir.path(), &args);
    assert_code(&out, 0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_contains(
        &err,
        "rngcheck: schema coverage: 13/20 (65.0%) items matched by valid documents",
    );
    assert_contains(&err, "  disk.rng: 13/20 (65.0%)");
    assert_contains(&err, "    define backingStore: 5/5 (100.0%)");
    // Uncovered value and choice branch, gcc-style.
    assert_contains(
        &err,
        "disk.rng:13:11: not covered: value \"block\" in define disk\n",
    );
    assert_contains(
        &err,
        "disk.rng:23:9: not covered: choice branch (group) in define disk\n",
    );
    // Reached by an invalid document only: uncovered, and said so.
    assert_contains(
        &err,
        "disk.rng:40:3: not covered: define \"mirror\" (reached only by invalid documents)\n",
    );
    assert!(!err.contains("value \"file\""), "{err}");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("coverage.json")).unwrap())
            .unwrap();
    assert_eq!(json["total"], 20);
    assert_eq!(json["covered"], 13);
    let items = json["items"].as_array().unwrap();
    // Covered once: only with-source.xml has a <source>.
    let source = item(items, "element", "source");
    assert_eq!(source["hits"], 1);
    assert_eq!(
        (&source["file"], &source["line"], &source["column"]),
        (
            &serde_json::json!("disk.rng"),
            &serde_json::json!(17),
            &serde_json::json!(9)
        )
    );
    assert_eq!(source["define"], "disk");
    assert_eq!(item(items, "value", "file")["hits"], 2);
    assert_eq!(item(items, "value", "block")["hits"], 0);
    assert_eq!(item(items, "choice branch", "group")["hits"], 0);
    let mirror = item(items, "define", "mirror");
    assert_eq!(mirror["define"], "mirror", "{mirror}");
    assert_eq!(mirror["hits"], 0);
    assert_eq!(mirror["invalid_hits"], 1);
    assert_eq!(item(items, "data", "unsignedInt")["hits"], 1);

    let lcov = std::fs::read_to_string(dir.path().join("coverage.info")).unwrap();
    assert!(lcov.starts_with("TN:\nSF:disk.rng\n"), "{lcov}");
    for record in [
        "FN:40,mirror\n",
        "FNDA:0,mirror\n",
        "FNDA:2,disk\n",
        "FNF:3\nFNH:2\n",
        "DA:13,0\n",
        "DA:17,1\n",
        "LF:20\nLH:13\nend_of_record\n",
    ] {
        assert_contains(&lcov, record);
    }
}

#[test]
fn coverage_fail_under_sets_the_exit_code() {
    let dir = scratch();
    let out = rngcheck(
        dir.path(),
        &[&CHECK[..], &["--coverage-fail-under", "90"]].concat(),
    );
    assert_code(&out, 1);
    assert_contains(
        &text(&out),
        "schema coverage 65.0% is below --coverage-fail-under 90%",
    );
    let out = rngcheck(
        dir.path(),
        &[&CHECK[..], &["--coverage-fail-under", "65"]].concat(),
    );
    assert_code(&out, 0);
    let out = rngcheck(
        dir.path(),
        &[&CHECK[..], &["--coverage-fail-under", "101"]].concat(),
    );
    assert_code(&out, 2);
}

/// The last line of standard output as JSON (the closing record of
/// `--format json` and `--format sarif`).
fn last_json(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let start = if last.starts_with(']') { &stdout } else { last };
    serde_json::from_str(start).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn every_format_closes_with_the_exit_code_coverage_set() {
    let dir = scratch();
    // The JSON summary record of a run with `extra` arguments, which exits `code`.
    let json_summary = |extra: &[&str], code: i32| {
        let args = [&CHECK[..], extra, &["--format", "json"]].concat();
        let out = rngcheck(dir.path(), &args);
        assert_code(&out, code);
        let summary = last_json(&out)["summary"].clone();
        assert_eq!(summary["exit_code"], code, "{summary}");
        summary
    };
    let message = "schema coverage 65.0% is below --coverage-fail-under 90%";
    let summary = json_summary(&["--coverage-fail-under", "90"], 1);
    assert_eq!(summary["failures"][0], message, "{summary}");

    let below = [&CHECK[..], &["--coverage-fail-under", "90"]].concat();
    let out = rngcheck(dir.path(), &[&below[..], &["--format", "sarif"]].concat());
    assert_code(&out, 1);
    let log = last_json(&out);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["exitCode"], 1, "{invocation}");
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["level"] == "error" && n["message"]["text"] == message),
        "{invocation}"
    );

    let out = rngcheck(dir.path(), &[&below[..], &["--format", "github"]].concat());
    assert_code(&out, 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Workflow commands escape '%'.
    let escaped = message.replace('%', "%25");
    assert_contains(&stdout, &format!("::error title=rngcheck::{escaped}\n"));

    // Enough coverage: exit 0, and the record says so.
    let summary = json_summary(&["--coverage-fail-under", "65"], 0);
    assert_eq!(summary["failures"], serde_json::json!([]), "{summary}");

    // A coverage file that cannot be written: a usage error, in the record too.
    let summary = json_summary(&["--coverage-json", "no-such-dir/c.json"], 2);
    assert_contains(
        summary["failures"][0].as_str().unwrap_or_default(),
        "cannot write no-such-dir/c.json",
    );
    // The two files are written side by side: the lcov one failing is
    // reported the same way, and the JSON one is still written.
    let summary = json_summary(
        &[
            "--coverage-json",
            "written.json",
            "--coverage-lcov",
            "no-such-dir/c.info",
        ],
        2,
    );
    assert_contains(
        summary["failures"][0].as_str().unwrap_or_default(),
        "cannot write no-such-dir/c.info",
    );
    let written = std::fs::read_to_string(dir.path().join("written.json")).unwrap_or_default();
    assert_contains(&written, "\"items\": [");
}

#[test]
fn no_coverage_without_the_flag() {
    let dir = scratch();
    let out = rngcheck(dir.path(), &CHECK);
    assert_code(&out, 0);
    assert!(!text(&out).contains("coverage"), "{}", text(&out));
}

#[test]
fn bless_then_a_negative_test_failing_for_another_reason() {
    let dir = scratch();
    let pinned = [&CHECK[..], &["--expected-errors", "expected-errors.txt"]].concat();
    // Without the file, and without --bless: a usage error naming it.
    let out = rngcheck(dir.path(), &pinned);
    assert_code(&out, 2);
    assert_contains(
        &text(&out),
        "cannot read expected errors expected-errors.txt",
    );

    let out = rngcheck(dir.path(), &[&pinned[..], &["--bless"]].concat());
    assert_code(&out, 0);
    assert_contains(
        &text(&out),
        "blessed expected-errors.txt: 2 expected errors",
    );
    let blessed = std::fs::read_to_string(dir.path().join("expected-errors.txt")).unwrap();
    let entries: Vec<&str> = blessed.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        entries,
        [
            "docs/mirror-invalid.xml\t3:11\trngcheck::doc::unknown_element\tbogus",
            "docs/type-invalid.xml\t1:22\trngcheck::doc::invalid_attribute_value\ttype",
        ]
    );
    assert_code(&rngcheck(dir.path(), &pinned), 0);

    // Still invalid, but now for an unrelated reason first.
    write_file(
        dir.path(),
        "docs/type-invalid.xml",
        "<disk type=\"file\">\n  <shareable/>\n  <backingStore/>\n</disk>\n",
    );
    let out = rngcheck(dir.path(), &[&pinned[..], &["--format", "short"]].concat());
    assert_code(&out, 1);
    let all = text(&out);
    assert_contains(
        &all,
        "docs/type-invalid.xml:0:0: error: expected to fail with 1:22 \
         rngcheck::doc::invalid_attribute_value \"type\", but fails with 2:15 \
         rngcheck::doc::unexpected_element \"shareable\"",
    );
    assert_contains(&all, "1 of them not with the pinned error");
}

#[test]
fn pinned_error_moved_to_another_element() {
    let dir = scratch();
    let pinned = [&CHECK[..], &["--expected-errors", "pins.txt", "--bless"]].concat();
    assert_code(&rngcheck(dir.path(), &pinned), 0);
    // The negative test now breaks earlier, on a misspelt element.
    write_file(
        dir.path(),
        "docs/mirror-invalid.xml",
        "<disk type=\"file\">\n  <mirorr/>\n  <bogus/>\n</disk>\n",
    );
    let out = rngcheck(
        dir.path(),
        &[
            &CHECK[..],
            &["--expected-errors", "pins.txt", "--format", "short"],
        ]
        .concat(),
    );
    assert_code(&out, 1);
    assert_contains(
        &text(&out),
        "docs/mirror-invalid.xml:0:0: error: expected to fail with 3:11 \
         rngcheck::doc::unknown_element \"bogus\", but fails with 2:12 \
         rngcheck::doc::unexpected_element \"mirorr\"",
    );
    // An expected-invalid document with no pin fails too.
    write_file(dir.path(), "docs/new-invalid.xml", "<disk/>\n");
    let out = rngcheck(
        dir.path(),
        &[&CHECK[..], &["--expected-errors", "pins.txt"]].concat(),
    );
    assert_code(&out, 1);
    assert_contains(
        &text(&out),
        "but pins.txt pins no error for it (--bless pins it)",
    );
    // Blessing again accepts the new errors and keeps the file sorted.
    assert_code(&rngcheck(dir.path(), &pinned), 0);
    let blessed = std::fs::read_to_string(dir.path().join("pins.txt")).unwrap();
    let keys: Vec<&str> = blessed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "docs/mirror-invalid.xml",
            "docs/new-invalid.xml",
            "docs/type-invalid.xml"
        ]
    );
    assert_code(
        &rngcheck(
            dir.path(),
            &[&CHECK[..], &["--expected-errors", "pins.txt"]].concat(),
        ),
        0,
    );
}

#[test]
fn expected_errors_from_the_config_relative_to_its_root() {
    let dir = scratch();
    write_file(
        dir.path(),
        "conf/rngcheck.toml",
        "invalid_suffix = \"-invalid.xml\"\nexpected_errors = \"pins.txt\"\n\
         [[check]]\nschema = \"disk.rng\"\npaths = [\"docs\"]\n",
    );
    let config = ["--config", "conf/rngcheck.toml", "--root", "."];
    assert_code(
        &rngcheck(dir.path(), &[&config[..], &["--bless"]].concat()),
        0,
    );
    let blessed = std::fs::read_to_string(dir.path().join("conf/pins.txt")).unwrap();
    assert_contains(&blessed, "\ndocs/type-invalid.xml\t1:22\t");
    assert_code(&rngcheck(dir.path(), &config), 0);
    write_file(
        dir.path(),
        "docs/type-invalid.xml",
        "<disk type=\"file\"/>\n",
    );
    let out = rngcheck(dir.path(), &config);
    assert_code(&out, 1);
    assert_contains(&text(&out), "expected to fail with 1:22");
}

#[test]
fn bless_needs_a_file_and_pins_need_expectations() {
    let dir = scratch();
    let out = rngcheck(dir.path(), &[&CHECK[..], &["--bless"]].concat());
    assert_code(&out, 2);
    assert_contains(&text(&out), "--bless needs an expected-errors file");
    let out = rngcheck(
        dir.path(),
        &["disk.rng", "docs", "--expected-errors", "x.txt"],
    );
    assert_code(&out, 2);
    assert_contains(
        &text(&out),
        "expected errors need expected-invalid documents",
    );
}

#[test]
fn coverage_of_a_schema_compiled_late_in_the_run_is_reported() {
    // The items of each schema are merged while documents are validated,
    // as each schema is compiled: `b.rng` is compiled only after the many
    // documents of `a.rng`, long after the first of them are reported;
    // `unused.rng`, first in the plan, has no documents and is never
    // compiled.
    let dir = tempfile::tempdir().unwrap();
    let grammar = |element: &str| {
        format!(
            "<element name='{element}' xmlns='http://relaxng.org/ns/structure/1.0'>\
             <attribute name='x'/></element>"
        )
    };
    for (schema, element) in [("unused.rng", "u"), ("a.rng", "a"), ("b.rng", "b")] {
        write_file(dir.path(), schema, &grammar(element));
    }
    std::fs::create_dir(dir.path().join("none")).unwrap();
    for i in 0..64 {
        write_file(
            dir.path(),
            &format!("a/{i:02}.xml"),
            &format!("<a x='{i}'/>"),
        );
    }
    for i in 0..2 {
        write_file(dir.path(), &format!("b/{i}.xml"), &format!("<b x='{i}'/>"));
    }
    let check =
        |schema: &str, dir: &str| format!("[[check]]\nschema = {schema:?}\npaths = [{dir:?}]\n");
    let config = [
        check("unused.rng", "none"),
        check("a.rng", "a"),
        check("b.rng", "b"),
    ]
    .join("\n");
    write_file(dir.path(), "rngcheck.toml", &config);
    let args = [
        "--jobs",
        "1",
        "--allow-empty",
        "--config",
        "rngcheck.toml",
        "--coverage-json",
        "c.json",
    ];
    assert_code(&rngcheck(dir.path(), &args), 0);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("c.json")).unwrap()).unwrap();
    let items = json["items"].as_array().unwrap();
    let b = item(items, "element", "b");
    assert_eq!(
        (&b["file"], &b["hits"]),
        (&serde_json::json!("b.rng"), &serde_json::json!(2))
    );
    assert_eq!(item(items, "element", "a")["hits"], 64);
    assert!(
        items.iter().all(|i| i["file"] != "unused.rng"),
        "{items:#?}"
    );
}
