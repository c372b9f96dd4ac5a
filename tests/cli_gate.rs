//! The CI-gate features of the command line: directory walks, parallel and
//! deterministic output, expected failures, `rngcheck.toml`, `--schema-dir`,
//! standard input, and a real `pre-commit` run.
//!
//! Schemas here use only the built-in datatype library (`token`), so these
//! tests do not depend on the XSD library.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

use crate::util::assert_contains;

/// `<a n="token">text</a>`
const SCHEMA_A: &str = r#"<element name="a" xmlns="http://relaxng.org/ns/structure/1.0">
  <attribute name="n"><data type="token"/></attribute>
  <text/>
</element>
"#;

/// `<domain type="token"><name>text</name></domain>`
const SCHEMA_DOMAIN: &str = r#"<element name="domain" xmlns="http://relaxng.org/ns/structure/1.0">
  <attribute name="type"><data type="token"/></attribute>
  <element name="name"><text/></element>
</element>
"#;

/// `<pool><name>text</name></pool>`
const SCHEMA_POOL: &str = r#"<element name="pool" xmlns="http://relaxng.org/ns/structure/1.0">
  <element name="name"><text/></element>
</element>
"#;

const VALID_A: &str = "<a n=\"x\">hi</a>\n";
const INVALID_A: &str = "<a>hi</a>\n";

/// The binary, blind to any libvirt installed on the machine (schema
/// discovery would otherwise find its schemas).
fn rngcheck() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rngcheck"));
    cmd.env_remove("CI").env("RNGCHECK_INSTALLED_SCHEMAS", "");
    cmd
}

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

/// A temporary tree with `s.rng` (SCHEMA_A) and documents under `docs/`.
fn tree(docs: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.rng", SCHEMA_A);
    for (name, text) in docs {
        write(dir.path(), &format!("docs/{name}"), text);
    }
    dir
}

#[test]
fn walk_order_is_sorted_and_hidden_entries_are_skipped() {
    let dir = tree(&[
        ("b.xml", VALID_A),
        ("a.xml", VALID_A),
        ("sub/c.xml", INVALID_A),
        ("sub/B.xml", VALID_A),
        (".hidden.xml", INVALID_A),
        (".git/x.xml", INVALID_A),
        ("notes.txt", "not xml"),
    ]);
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "docs", "--list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        lines(&stdout(&out)),
        [
            "s.rng\tdocs/a.xml",
            "s.rng\tdocs/b.xml",
            "s.rng\tdocs/sub/B.xml",
            "s.rng\tdocs/sub/c.xml",
        ]
    );
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "docs", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        lines(&stdout(&out)),
        ["docs/sub/c.xml:1:4: error: element \"a\" missing required attribute \"n\""]
    );
    assert_contains(
        &stderr(&out),
        "rngcheck: 4 documents checked: 3 valid, 1 invalid",
    );
}

#[test]
fn a_hidden_directory_named_outright_is_walked() {
    let dir = tree(&[(".cfg/a.xml", VALID_A)]);
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "docs/.cfg", "--list"])
        .output()
        .unwrap();
    assert_eq!(lines(&stdout(&out)), ["s.rng\tdocs/.cfg/a.xml"]);
}

#[test]
fn ext_chooses_the_extensions_walked() {
    let dir = tree(&[("a.xml", VALID_A), ("b.xsl", VALID_A), ("c.XML", VALID_A)]);
    let list = |extra: &[&str]| {
        let out = rngcheck()
            .current_dir(dir.path())
            .args(["s.rng", "docs", "--list"])
            .args(extra)
            .output()
            .unwrap();
        stdout(&out)
    };
    assert_eq!(
        lines(&list(&[])),
        ["s.rng\tdocs/a.xml", "s.rng\tdocs/c.XML"]
    );
    assert_eq!(
        lines(&list(&["--ext", "xml,xsl"])),
        [
            "s.rng\tdocs/a.xml",
            "s.rng\tdocs/b.xsl",
            "s.rng\tdocs/c.XML"
        ]
    );
    assert_eq!(lines(&list(&["--ext", ".xsl"])), ["s.rng\tdocs/b.xsl"]);
    // A file named outright is taken whatever its extension.
    assert_eq!(
        lines(&list(&["docs/b.xsl"])),
        [
            "s.rng\tdocs/a.xml",
            "s.rng\tdocs/c.XML",
            "s.rng\tdocs/b.xsl"
        ]
    );
}

#[test]
fn parallel_output_is_deterministic_and_in_input_order() {
    let docs: Vec<(String, &str)> = (0..80)
        .map(|i| {
            let text = if i % 3 == 0 { INVALID_A } else { VALID_A };
            (format!("d{i:03}.xml"), text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = docs.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let dir = tree(&refs);
    let run = |jobs: &str| {
        rngcheck()
            .current_dir(dir.path())
            .args(["s.rng", "docs", "--jobs", jobs])
            .output()
            .unwrap()
    };
    let first = run("2");
    let second = run("2");
    let serial = run("1");
    assert_eq!(first.status.code(), Some(1));
    assert_eq!(stdout(&first), stdout(&second));
    assert_eq!(stdout(&first), stdout(&serial));
    assert_eq!(stderr(&first), stderr(&serial));
    let text = stdout(&first);
    // Each drawn report names its file above the snippet: `╭─[docs/d000.xml:1:1]`.
    let named: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("╭─["))
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    let expected: Vec<String> = (0..80)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("docs/d{i:03}.xml"))
        .collect();
    assert_eq!(named, expected);
    assert!(stderr(&first).contains("80 documents checked: 53 valid, 27 invalid"));
}

#[test]
fn expectations_held_exit_0_and_hide_expected_errors() {
    let dir = tree(&[("ok.xml", VALID_A), ("bad-invalid.xml", INVALID_A)]);
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "docs", "--expect-invalid-suffix", "-invalid.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("2 documents checked: 1 valid, 1 invalid as expected"));
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "docs", "--expect-invalid-suffix=-invalid.xml"])
        .args(["--show-expected", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        lines(&stdout(&out)),
        [
            "docs/bad-invalid.xml: invalid, as expected (1 error):",
            "docs/bad-invalid.xml:1:4: error: element \"a\" missing required attribute \"n\"",
        ]
    );
}

#[test]
fn broken_expectations_exit_1_naming_the_files() {
    let dir = tree(&[
        ("ok-invalid.xml", VALID_A),
        ("bad.xml", INVALID_A),
        ("fine.xml", VALID_A),
    ]);
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "docs", "--expect-invalid-suffix", "-invalid.xml"])
        .args(["--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        lines(&stdout(&out)),
        [
            "docs/bad.xml: expected valid: 1 error",
            "docs/bad.xml:1:4: error: element \"a\" missing required attribute \"n\"",
            "docs/ok-invalid.xml:0:0: error: expected invalid, but it is valid",
        ]
    );
    assert_contains(
        &stderr(&out),
        "3 documents checked: 1 valid, 1 invalid but expected valid, 1 valid but expected invalid",
    );
}

#[test]
fn walk_errors_are_reported_and_counted_not_fatal() {
    let dir = tree(&[("a.xml", VALID_A)]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("docs"), dir.path().join("docs/loop")).unwrap();
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "docs", "--follow-symlinks", "--format", "short"])
        .output()
        .unwrap();
    if cfg!(unix) {
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        assert_contains(&stdout(&out), "docs/loop");
        assert_contains(&stdout(&out), "symbolic link loop");
        assert!(stderr(&out).contains("1 document checked: 1 valid, 0 invalid; 1 walk error"));
    }
    // Without --follow-symlinks the link is not followed at all.
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_missing_file_is_counted_and_the_others_still_checked() {
    let dir = tree(&[("a.xml", VALID_A)]);
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "nope.xml", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("nope.xml: error: cannot read: no such file"));
    assert!(stderr(&out).contains("1 document checked: 1 valid, 0 invalid; 1 unreadable"));
}

#[test]
fn a_broken_schema_exits_3_and_is_reported_once() {
    let dir = tree(&[("a.xml", VALID_A), ("b.xml", VALID_A)]);
    write(
        dir.path(),
        "bad.rng",
        "<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'><ref name='x'/></element>",
    );
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["bad.rng", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = stdout(&out);
    assert_eq!(
        text.matches(r#"ref "x" is not inside"#).count(),
        1,
        "{text}"
    );
    assert!(stderr(&out).contains("1 schema failed to load, 2 documents not checked"));
}

#[test]
fn config_with_root_filters_and_invalid_suffix() {
    let cfg = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    write(
        cfg.path(),
        "rngcheck.toml",
        r#"
invalid_suffix = "-invalid.xml"
recursive = false

[[check]]
schema = "schemas/domain.rng"
paths = ["vms", "mixed"]
filter = "^dom"

[[check]]
schema = "schemas/pool.rng"
paths = ["mixed/pool-a.xml"]
"#,
    );
    write(src.path(), "schemas/domain.rng", SCHEMA_DOMAIN);
    write(src.path(), "schemas/pool.rng", SCHEMA_POOL);
    write(
        src.path(),
        "vms/dom1.xml",
        "<domain type='kvm'><name>a</name></domain>",
    );
    write(
        src.path(),
        "vms/dom2-invalid.xml",
        "<domain><name>a</name></domain>",
    );
    write(src.path(), "vms/other.xml", "<whatever/>");
    write(src.path(), "vms/dom-sub/dom3.xml", "<nope/>");
    write(
        src.path(),
        "mixed/dom4.xml",
        "<domain type='xen'><name>b</name></domain>",
    );
    write(
        src.path(),
        "mixed/pool-a.xml",
        "<pool><name>p</name></pool>",
    );
    let config = cfg.path().join("rngcheck.toml");
    let root = src.path();
    let out = rngcheck()
        .arg("--config")
        .arg(&config)
        .arg("--root")
        .arg(root)
        .arg("--list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = root.display();
    assert_eq!(
        stdout(&out),
        format!(
            "{r}/schemas/domain.rng\t{r}/vms/dom1.xml\n\
             {r}/schemas/domain.rng\t{r}/vms/dom2-invalid.xml\n\
             {r}/schemas/domain.rng\t{r}/mixed/dom4.xml\n\
             {r}/schemas/pool.rng\t{r}/mixed/pool-a.xml\n"
        )
    );
    let out = rngcheck()
        .arg("--config")
        .arg(&config)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_contains(
        &stderr(&out),
        "4 documents checked: 3 valid, 1 invalid as expected",
    );
    // Without --root, paths resolve against the config's directory, where
    // there is nothing: every listed path is then reported as missing.
    let out = rngcheck().arg("--config").arg(&config).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_contains(&stdout(&out), "mixed/pool-a.xml: error: cannot read");
}

#[test]
fn config_is_discovered_and_files_given_are_matched_to_checks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "rngcheck.toml",
        "[[check]]\nschema = \"domain.rng\"\npaths = [\"vms\"]\n",
    );
    write(root, "domain.rng", SCHEMA_DOMAIN);
    write(
        root,
        "vms/good.xml",
        "<domain type='kvm'><name>a</name></domain>",
    );
    write(root, "vms/deep/bad.xml", "<domain><name>a</name></domain>");
    write(root, "elsewhere/x.xml", "<x/>");
    // From a subdirectory, with no arguments: the whole table.
    let out = rngcheck()
        .current_dir(root.join("vms"))
        .arg("--list")
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "../domain.rng\t../vms/deep/bad.xml\n../domain.rng\t../vms/good.xml\n"
    );
    // Files named (as a pre-commit hook does): each against its check.
    let hook = |files: &[&str]| {
        rngcheck()
            .current_dir(root)
            .args(["--config", "rngcheck.toml"])
            .args(files)
            .output()
            .unwrap()
    };
    let out = hook(&["vms/good.xml", "vms/deep/bad.xml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(&text, "╭─[vms/deep/bad.xml:1:");
    assert!(!text.contains("good.xml"), "{text}");
    assert_contains(&stderr(&out), "2 documents checked: 1 valid, 1 invalid");
    // A file no check covers goes to schema discovery; with no schema for
    // its root element it is an error, not a skip.
    let out = hook(&["vms/good.xml", "elsewhere/x.xml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(&stdout(&out), "no schema for root element <x>");
    // --no-config: the documents go to the embedded schema instead.
    let out = rngcheck()
        .current_dir(root)
        .args(["--no-config", "--list", "vms/good.xml"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "<embedded>\tvms/good.xml\n");
}

#[test]
fn config_errors_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rngcheck.toml",
        "[[check]]\nschema = \"a.rng\"\npaths = [\"x\"]\nfilter = \"(\"\n",
    );
    let out = rngcheck().current_dir(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "bad filter");
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["--config", "missing.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read config missing.toml"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tree(&[("a.xml", VALID_A)]);
    let run = |args: &[&str]| {
        rngcheck()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    for args in [
        &["s.rng", "docs", "--root", "."][..],
        &["s.rng", "-", "-"],
        &["s.rng", "docs", "--jobs", "0"],
        &["s.rng", "docs", "--ext", ""],
        &["--no-config"],
        &["--schema-dir", ".", "s.rng", "docs"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

/// A schema directory in libvirt's layout.
fn schema_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "schemas/domain.rng", SCHEMA_DOMAIN);
    write(dir.path(), "schemas/storagepool.rng", SCHEMA_POOL);
    dir
}

#[test]
fn schema_dir_picks_by_root_element() {
    let dir = schema_dir();
    write(
        dir.path(),
        "docs/1.xml",
        "<?xml version='1.0'?>\n<!-- vm -->\n<domain type='kvm'><name>a</name></domain>",
    );
    write(dir.path(), "docs/2.xml", "<pool><name>p</name></pool>");
    write(
        dir.path(),
        "docs/3.xml",
        "<!DOCTYPE pool>\n<pool><name>p</name><bad/></pool>",
    );
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["--schema-dir", "schemas", "docs", "--list"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "schemas/domain.rng\tdocs/1.xml\nschemas/storagepool.rng\tdocs/2.xml\nschemas/storagepool.rng\tdocs/3.xml\n"
    );
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["--schema-dir", "schemas", "docs", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("docs/3.xml:2:27: error:"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("3 documents checked: 2 valid, 1 invalid"));
}

/// A streamed document's schema is picked from its first bytes, decoded in
/// the document's own encoding: a UTF-16 document is streamed like its
/// UTF-8 twin, not read whole because its root element went unseen.
#[test]
fn schema_dir_finds_the_root_of_a_utf16_document_to_stream() {
    let dir = schema_dir();
    let doc =
        "<?xml version='1.0' encoding='UTF-16'?>\n<pool><name>p</name><name>q</name></pool>\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(doc.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/utf16.xml"), utf16).unwrap();
    write(dir.path(), "docs/utf8.xml", &doc.replace("UTF-16", "UTF-8"));
    let run = |args: &[&str]| {
        let schema_dir = ["--schema-dir", "schemas", "docs"];
        let args = schema_dir.iter().chain(args);
        rngcheck()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--list"]);
    assert_eq!(
        stdout(&out),
        "schemas/storagepool.rng\tdocs/utf16.xml\nschemas/storagepool.rng\tdocs/utf8.xml\n"
    );
    let out = run(&["--stream", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("docs/utf16.xml:2:27: error:"),
        "{text}"
    );
    assert_eq!(
        lines[0].replace("utf16", "utf8"),
        lines[1],
        "both documents are streamed, with the same message"
    );
}

#[test]
fn schema_dir_names_an_unknown_root_element() {
    let dir = schema_dir();
    write(
        dir.path(),
        "docs/a.xml",
        "<domain type='kvm'><name>a</name></domain>",
    );
    write(dir.path(), "docs/b.xml", "<frobnicator/>");
    write(dir.path(), "docs/c.xml", "<domain");
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["--schema-dir", "schemas", "docs", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.contains(
            "docs/b.xml:0:0: error: no schema in schemas for root element <frobnicator> \
             (known root elements: domain, pool)"
        ),
        "{text}"
    );
    assert!(
        text.contains("docs/c.xml:1:1: error: not well-formed"),
        "{text}"
    );
    assert_contains(
        &stderr(&out),
        "2 documents checked: 1 valid, 1 invalid; 1 with no schema for the root element",
    );
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["--schema-dir", "nowhere", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_contains(&stderr(&out), "--schema-dir nowhere");
}

#[test]
fn stdin_is_one_document() {
    let dir = tree(&[]);
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "-"])
        .write_stdin(VALID_A)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stderr(&out).contains("1 document checked: 1 valid"));
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["s.rng", "-", "--format", "short"])
        .write_stdin(INVALID_A)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("<stdin>:1:4: error:"),
        "{}",
        stdout(&out)
    );
    // No schema: discovery, here the embedded one for <domain> (even where
    // an rngcheck.toml would be found).
    write(
        dir.path(),
        "rngcheck.toml",
        "[[check]]\nschema = \"s.rng\"\npaths = [\"docs\"]\n",
    );
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["-", "--list"])
        .write_stdin("<domain/>")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "<embedded>\t<stdin>\n");
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["-q", "-"])
        .write_stdin("<domain/>")
        .output()
        .unwrap();
    assert_eq!(stderr(&out), "");
}

#[test]
fn quiet_prints_errors_only() {
    let dir = tree(&[("a.xml", VALID_A), ("b.xml", INVALID_A)]);
    let out = rngcheck()
        .current_dir(dir.path())
        .args(["-q", "s.rng", "docs", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "");
    assert_eq!(lines(&stdout(&out)).len(), 1);
}

#[test]
fn json_reports_expectation_and_walk_errors() {
    let dir = tree(&[("ok-invalid.xml", VALID_A)]);
    let out = rngcheck()
        .current_dir(dir.path())
        .args([
            "s.rng",
            "docs",
            "--format",
            "json",
            "--expect-invalid-suffix",
            "-invalid.xml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 2, "one error, then the summary: {text}");
    let v = &objects[0];
    assert_eq!(objects[1]["summary"]["unexpectedly_valid"], 1);
    assert_eq!(v["code"], "rngcheck::expect::invalid");
    assert_eq!(v["file"], "docs/ok-invalid.xml");
}

/// libvirt's own table: `--list` over the shared libvirt tree performs
/// exactly the (schema, document) pairs of `manifest.tsv`, and the invalid
/// suffix marks exactly its expected-invalid documents.
#[test]
fn libvirt_example_config_matches_the_manifest() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tree = manifest_dir.join("../shared/libvirt-9.0.0");
    let manifest = match std::fs::read_to_string(tree.join("manifest.tsv")) {
        Ok(text) => text,
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("../shared/libvirt-9.0.0/manifest.tsv is missing (CI=true)")
        }
        Err(_) => {
            eprintln!("skipped: ../shared/libvirt-9.0.0/manifest.tsv not found");
            return;
        }
    };
    let out = rngcheck()
        .current_dir(&tree)
        .arg("--config")
        .arg(manifest_dir.join("examples/libvirt/rngcheck.toml"))
        .args(["--root", ".", "--list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut listed: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    let mut expected: Vec<String> = manifest
        .lines()
        .map(|l| l.split('\t').take(2).collect::<Vec<_>>().join("\t"))
        .collect();
    assert_eq!(listed.len(), 2963);
    listed.sort();
    expected.sort();
    let missing: Vec<&String> = expected
        .iter()
        .filter(|e| listed.binary_search(e).is_err())
        .collect();
    let extra: Vec<&String> = listed
        .iter()
        .filter(|l| expected.binary_search(l).is_err())
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
    assert_eq!(listed, expected);
    for line in manifest.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols[1].ends_with("-invalid.xml"),
            cols.get(2) == Some(&"invalid"),
            "{line}"
        );
    }
}

/// The hook's file selection (`files:`/`types:` lines) from the
/// repository's `.pre-commit-hooks.yaml`, to give a local hook the same.
fn hook_file_selection() -> String {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let lines: Vec<&str> = hooks
        .lines()
        .filter(|l| {
            ["  files:", "  types:", "  types_or:"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .collect();
    assert!(
        !lines.is_empty(),
        "no files:/types: in .pre-commit-hooks.yaml"
    );
    lines.iter().map(|l| format!("  {l}\n")).collect()
}

/// The real `pre-commit` tool, with a local hook running the built binary
/// over staged files, selected as `.pre-commit-hooks.yaml` selects them: an
/// invalid domain is refused, a valid one accepted, and a staged schema
/// change (`.rng` or `.rnc`) that breaks committed documents is refused.
#[test]
fn pre_commit_hook_refuses_an_invalid_document() {
    let ci = std::env::var("CI").as_deref() == Ok("true");
    let have = std::process::Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            !ci,
            "pre-commit is not on PATH (CI=true): pip install pre-commit"
        );
        eprintln!("skipped: pre-commit is not on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let home = dir.path().join("pre-commit-home");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(&repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("PRE_COMMIT_HOME", &home)
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            format!("{}{}", stdout(&out), stderr(&out)),
        )
    };
    let (ok, log) = git(&["init", "-q"]);
    assert!(ok, "{log}");
    write(&repo, "schemas/domain.rng", SCHEMA_DOMAIN);
    write(
        &repo,
        "schemas/pool.rnc",
        "element pool { element name { text } }\n",
    );
    write(
        &repo,
        "rngcheck.toml",
        "[[check]]\nschema = \"schemas/domain.rng\"\npaths = [\"vms\"]\n\
         [[check]]\nschema = \"schemas/pool.rnc\"\npaths = [\"pools\"]\n",
    );
    write(
        &repo,
        "vms/first.xml",
        "<domain type='kvm'><name>vm</name></domain>\n",
    );
    write(&repo, "pools/p.xml", "<pool><name>p</name></pool>\n");
    write(
        &repo,
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n- repo: local\n  hooks:\n  - id: rngcheck\n    name: rngcheck\n    \
             entry: {}\n    args: [--config, rngcheck.toml]\n    language: system\n{}",
            env!("CARGO_BIN_EXE_rngcheck"),
            hook_file_selection()
        ),
    );
    let out = std::process::Command::new("pre-commit")
        .current_dir(&repo)
        .env("PRE_COMMIT_HOME", &home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .arg("install")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let (ok, log) = git(&["add", "."]);
    assert!(ok, "{log}");
    let (ok, log) = git(&["commit", "-q", "-m", "setup"]);
    assert!(
        ok,
        "the setup commit (schemas, config, documents) was refused:\n{log}"
    );

    // Writes a file, stages it, and tries to commit.
    let commit = |rel: &str, text: &str, message: &str| {
        write(&repo, rel, text);
        let (ok, log) = git(&["add", rel]);
        assert!(ok, "{log}");
        git(&["commit", "-q", "-m", message])
    };
    let (ok, log) = commit(
        "vms/bad.xml",
        "<domain><name>vm</name></domain>\n",
        "bad vm",
    );
    assert!(!ok, "an invalid domain was committed:\n{log}");
    assert_contains(&log, "rngcheck");
    // The drawn report, as on a terminal (pre-commit pipes the output).
    assert_contains(
        &log,
        "× element \"domain\" missing required attribute \"type\"",
    );
    assert_contains(&log, "╭─[vms/bad.xml:1:9]");

    let (ok, log) = git(&["rm", "-q", "--cached", "vms/bad.xml"]);
    assert!(ok, "{log}");
    std::fs::remove_file(repo.join("vms/bad.xml")).unwrap();
    let (ok, log) = commit(
        "vms/good.xml",
        "<domain type='kvm'><name>vm</name></domain>\n",
        "good vm",
    );
    assert!(ok, "a valid domain was refused:\n{log}");

    // A schema change alone, staged: the documents built on it are checked.
    let stricter = SCHEMA_DOMAIN.replace(
        "<element name=\"name\">",
        "<attribute name=\"uuid\"/><element name=\"name\">",
    );
    let (ok, log) = commit("schemas/domain.rng", &stricter, "stricter domains");
    assert!(!ok, "a schema rejecting every domain was committed:\n{log}");
    assert_contains(&log, "vms/first.xml");
    assert_contains(&log, "vms/good.xml");
    let (ok, log) = git(&["checkout", "-q", "HEAD", "--", "schemas/domain.rng"]);
    assert!(ok, "{log}");
    let (ok, log) = commit(
        "schemas/pool.rnc",
        "element pool { element uuid { text } }\n",
        "stricter pools",
    );
    assert!(
        !ok,
        "a compact schema rejecting every pool was committed:\n{log}"
    );
    assert_contains(&log, "pools/p.xml");
}
