//! No silent pass (issue 15): each workflow that once gave a wrong or
//! silent verdict, run as a user runs it, in a scratch tree: includes
//! through `../../`, named files outside the config's checks, staged schema
//! changes, a closed output pipe, empty inputs, swapped or misspelt
//! arguments, schema discovery, a missing `--root`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Output, Stdio};

use assert_cmd::Command;
use tempfile::TempDir;

use crate::util::{assert_contains, text, write_file as write};

const RNG: &str = "http://relaxng.org/ns/structure/1.0";

/// `<domain type="…"><name>…</name></domain>`, in a grammar that includes
/// its `<name>` from a sibling file and its `type` from `../shared/`, as
/// libvirt's domain.rng includes domaincommon.rng and basictypes.rng.
fn domain_schema() -> String {
    format!(
        r#"<grammar xmlns="{RNG}">
  <include href="domaincommon.rng"/>
  <include href="../shared/types.rng"/>
  <start>
    <element name="domain">
      <ref name="type"/>
      <ref name="name"/>
    </element>
  </start>
</grammar>
"#
    )
}

fn domaincommon() -> String {
    format!(
        r#"<grammar xmlns="{RNG}">
  <define name="name"><element name="name"><text/></element></define>
</grammar>
"#
    )
}

fn types(extra: &str) -> String {
    format!(
        r#"<grammar xmlns="{RNG}">
  <define name="type"><attribute name="type"/>{extra}</define>
</grammar>
"#
    )
}

const GOOD_DOMAIN: &str = "<domain type='kvm'><name>vm</name></domain>\n";
const BAD_DOMAIN: &str = "<domain><name>vm</name></domain>\n";

/// A scratch libvirt-like tree: `src/conf/schemas/domain.rng` (with its
/// includes, one of them through `..`) and `rngcheck.toml` at the top.
fn libvirt_like() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    write(top, "src/conf/schemas/domain.rng", &domain_schema());
    write(top, "src/conf/schemas/domaincommon.rng", &domaincommon());
    write(top, "src/conf/shared/types.rng", &types(""));
    write(
        top,
        "rngcheck.toml",
        "[[check]]\nschema = \"src/conf/schemas/domain.rng\"\npaths = [\"tests/a\"]\n",
    );
    write(top, "tests/a/vm.xml", GOOD_DOMAIN);
    write(top, "tests/a/b/vm.xml", GOOD_DOMAIN);
    write(top, "tests/a/b/c/vm.xml", GOOD_DOMAIN);
    dir
}

/// The binary, blind to any libvirt installed on the machine.
fn rngcheck(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rngcheck"));
    cmd.current_dir(cwd)
        .env_remove("CI")
        .env("RNGCHECK_INSTALLED_SCHEMAS", "");
    cmd
}

/// Runs the binary in `cwd` with `args`.
fn run(cwd: &Path, args: &[&str]) -> Output {
    rngcheck(cwd).args(args).output().unwrap()
}

#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}:\n{}",
        text(out)
    );
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Item 1: includes resolve against the including file's directory, with
/// the schema named through one, two and three `..` steps, with
/// `--schema-dir`, from the config two levels up, and through a symlink.
#[test]
fn includes_resolve_through_parent_steps() {
    let dir = libvirt_like();
    let top = dir.path();
    for (sub, up) in [
        ("tests/a", "../.."),
        ("tests/a/b", "../../.."),
        ("tests/a/b/c", "../../../.."),
    ] {
        let cwd = top.join(sub);
        let schema = format!("{up}/src/conf/schemas/domain.rng");
        let out = run(&cwd, &[&schema, "vm.xml"]);
        assert_exit(&out, 0);
        let out = run(&cwd, &[&format!("./{schema}"), "./vm.xml"]);
        assert_exit(&out, 0);
        let out = run(
            &cwd,
            &["--schema-dir", &format!("{up}/src/conf/schemas"), "vm.xml"],
        );
        assert_exit(&out, 0);
    }
    // No arguments, two levels below rngcheck.toml: its whole table.
    let out = rngcheck(&top.join("tests/a/b")).output().unwrap();
    assert_exit(&out, 0);
    assert_contains(&stderr(&out), "3 documents checked: 3 valid");
    // A symlinked schema directory: `..` in an include is the parent of the
    // directory the schema really is in.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(top.join("src/conf/schemas"), top.join("tests/schemas"))
            .unwrap();
        let out = run(&top.join("tests/a"), &["../schemas/domain.rng", "vm.xml"]);
        assert_exit(&out, 0);
    }
}

/// Item 2: a document named below a directory with an `rngcheck.toml` that
/// no check covers is still validated (here against the embedded schema).
#[test]
fn a_named_document_outside_every_check_gets_a_verdict() {
    let dir = libvirt_like();
    let elsewhere = tempfile::tempdir().unwrap();
    let bad = write(elsewhere.path(), "bad.xml", BAD_DOMAIN);
    let out = rngcheck(&dir.path().join("tests"))
        .arg(&bad)
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert_contains(&text(&out), "missing required attribute \"type\"");
    assert_contains(&stderr(&out), "1 document checked: 0 valid, 1 invalid");
    // A root element no schema is known for is an error, not a skip.
    let odd = write(elsewhere.path(), "odd.xml", "<frobnicate/>\n");
    let out = rngcheck(&dir.path().join("tests"))
        .arg(&odd)
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert_contains(&text(&out), "no schema for root element <frobnicate>");
    // Only files met while walking a named directory are left out, counted.
    write(dir.path(), "tests/notes/readme.xml", "<frobnicate/>\n");
    let out = run(
        dir.path(),
        &["--config", "rngcheck.toml", "tests/a/vm.xml", "tests/notes"],
    );
    assert_exit(&out, 0);
    assert_contains(
        &stderr(&out),
        "1 document checked: 1 valid, 0 invalid; 1 skipped (met in a directory; no [[check]] covers them)",
    );
}

/// Item 3: a schema file named with `--config` (as the pre-commit hook
/// names staged files) re-checks every document of the checks built on it,
/// directly or through include and externalRef (compact syntax too).
#[test]
fn a_named_schema_rechecks_the_documents_built_on_it() {
    let dir = libvirt_like();
    let top = dir.path();
    write(
        top,
        "rngcheck.toml",
        "[[check]]\nschema = \"src/conf/schemas/domain.rng\"\npaths = [\"tests/a\"]\n\
         recursive = false\n\
         [[check]]\nschema = \"src/conf/schemas/pool.rng\"\npaths = [\"pools\"]\n\
         [[check]]\nschema = \"other.rng\"\npaths = [\"others\"]\n",
    );
    write(
        top,
        "src/conf/schemas/pool.rng",
        &format!(
            r#"<element name="pool" xmlns="{RNG}"><externalRef href="poolname.rnc"/></element>"#
        ),
    );
    write(
        top,
        "src/conf/schemas/poolname.rnc",
        "element name { text }\n",
    );
    write(top, "pools/p.xml", "<pool><name>p</name></pool>\n");
    write(
        top,
        "other.rng",
        &format!(r#"<element name="o" xmlns="{RNG}"><empty/></element>"#),
    );
    write(top, "others/o.xml", "<o/>\n");
    let hook = |files: &[&str]| {
        rngcheck(top)
            .args(["--config", "rngcheck.toml", "--format", "short"])
            .args(files)
            .output()
            .unwrap()
    };
    // Unchanged schemas: their documents are checked, and pass.
    let out = hook(&["src/conf/shared/types.rng"]);
    assert_exit(&out, 0);
    assert_contains(&stderr(&out), "1 document checked: 1 valid");
    // A change to a file two includes away breaks every domain document.
    write(
        top,
        "src/conf/shared/types.rng",
        &types("<attribute name=\"uuid\"/>"),
    );
    let out = hook(&["src/conf/shared/types.rng"]);
    assert_exit(&out, 1);
    assert_contains(&text(&out), "tests/a/vm.xml:1:");
    assert!(!text(&out).contains("p.xml"), "{}", text(&out));
    // A change to a compact file reached by externalRef breaks the pools.
    write(
        top,
        "src/conf/schemas/poolname.rnc",
        "element title { text }\n",
    );
    let out = hook(&["src/conf/schemas/poolname.rnc"]);
    assert_exit(&out, 1);
    assert_contains(&text(&out), "pools/p.xml:1:");
    // A schema no check uses is compiled: its errors fail the run.
    write(
        top,
        "spare.rng",
        &format!(r#"<element xmlns="{RNG}"><empty/></element>"#),
    );
    let out = hook(&["spare.rng"]);
    assert_exit(&out, 3);
    write(
        top,
        "spare.rng",
        &format!(r#"<element name="s" xmlns="{RNG}"><empty/></element>"#),
    );
    let out = hook(&["spare.rng"]);
    assert_exit(&out, 0);
    assert_contains(&stderr(&out), "1 schema correct");
}

/// Item 4: a reader that stops early (`| head -1`) does not turn failures
/// into success: printing stops, the exit code is still 1.
#[test]
fn a_closed_output_pipe_keeps_the_failure() {
    let dir = libvirt_like();
    let top = dir.path();
    // Enough reports to overflow any pipe buffer.
    for i in 0..1500 {
        write(top, &format!("many/{i:04}.xml"), BAD_DOMAIN);
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
        .current_dir(top)
        .env("RNGCHECK_INSTALLED_SCHEMAS", "")
        // One line per error, so the first line names the first document.
        .args([
            "--format",
            "short",
            "src/conf/schemas/domain.rng",
            "many",
            "-j",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_contains(&first, "many/0000.xml");
    // The reader is dropped: the pipe is closed.
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "after a broken pipe");
}

/// Item 5: nothing checked is not a pass: an empty directory, or a check
/// whose filter matches nothing, exits 2 naming it (0 with --allow-empty).
#[test]
fn nothing_checked_is_an_error_naming_the_empty_input() {
    let dir = libvirt_like();
    let top = dir.path();
    std::fs::create_dir_all(top.join("empty")).unwrap();
    write(top, "empty/notes.txt", "not a document\n");
    let out = run(top, &["src/conf/schemas/domain.rng", "empty"]);
    assert_exit(&out, 2);
    assert_contains(
        &stderr(&out),
        "nothing to check: empty: no document in this directory",
    );
    let out = run(
        top,
        &["src/conf/schemas/domain.rng", "empty", "--allow-empty"],
    );
    assert_exit(&out, 0);
    write(
        top,
        "filtered.toml",
        "[[check]]\nschema = \"src/conf/schemas/domain.rng\"\npaths = [\"tests\"]\n\
         filter = \"^nothing-matches\"\n\
         [[check]]\nschema = \"src/conf/schemas/domain.rng\"\npaths = [\"tests/a\"]\n",
    );
    let out = run(top, &["--config", "filtered.toml"]);
    assert_exit(&out, 2);
    assert_contains(
        &stderr(&out),
        "nothing to check: [[check]] #1 (src/conf/schemas/domain.rng): no document matches its paths and filter",
    );
    let out = run(top, &["--config", "filtered.toml", "--allow-empty"]);
    assert_exit(&out, 0);
}

/// Item 6: argument mistakes are named, never validated against something else.
#[test]
fn argument_mistakes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    let schema = format!(r#"<element name="doc" xmlns="{RNG}"><attribute name="v"/></element>"#);
    write(top, "schema.rng", &schema);
    write(top, "doc.xml", "<doc v='1'/>\n");
    let run = |args: &[&str]| run(top, args);
    // Swapped.
    let out = run(&["doc.xml", "schema.rng"]);
    assert_exit(&out, 2);
    assert_contains(&stderr(&out), "did you swap the schema and the document?");
    // A schema named oddly, but RELAX NG inside: the schema.
    write(top, "schema-as.xml", &schema);
    assert_exit(&run(&["schema-as.xml", "doc.xml"]), 0);
    // ...and in document position, a swap.
    let out = run(&["doc.xml", "schema-as.xml"]);
    assert_exit(&out, 2);
    assert_contains(
        &text(&out),
        "schema-as.xml: error: this file is a RELAX NG schema",
    );
    assert_contains(&text(&out), "did you swap");
    // With a schema named, a schema is a document like any other (here
    // invalid: the schema is for <doc>).
    assert_exit(&run(&["schema.rng", "doc.xml", "schema-as.xml"]), 1);
    // A misspelt schema name that does not exist: a missing schema.
    let out = run(&["schema.rgn", "doc.xml"]);
    assert_exit(&out, 3);
    assert_contains(&stderr(&out), "cannot read schema \"schema.rgn\"");
    // --compact: the first argument is the schema, whatever its name.
    write(top, "schema.txt", "element doc { attribute v { text } }\n");
    assert_exit(&run(&["--compact", "schema.txt", "doc.xml"]), 0);
    write(top, "bad.xml", "<doc/>\n");
    assert_exit(&run(&["--compact", "schema.txt", "bad.xml"]), 1);
    // --schema FILE: explicit, every path a document.
    assert_exit(&run(&["--schema", "schema.rng", "doc.xml"]), 0);
    assert_exit(&run(&["--schema", "schema.rng", "bad.xml"]), 1);
}

/// A small libvirt-like schema set whose domain.rng accepts `<sound>`,
/// which the embedded subset does not.
fn write_full_schemas(dir: &Path) {
    write(
        dir,
        "domain.rng",
        &format!(
            r#"<element name="domain" xmlns="{RNG}">
  <attribute name="type"/>
  <element name="name"><text/></element>
  <optional><element name="sound"><attribute name="model"/></element></optional>
</element>
"#
        ),
    );
    write(
        dir,
        "frobnicate.rng",
        &format!(r#"<element name="frobnicate" xmlns="{RNG}"><empty/></element>"#),
    );
}

const SOUND_DOMAIN: &str = "<domain type='kvm'><name>vm</name><sound model='ich9'/></domain>\n";

/// Item 7: with no schema named, the schema comes from an enclosing
/// checkout (src/conf/schemas, or docs/schemas in older trees), then an
/// installed libvirt, then the embedded subset (for <domain> only); the
/// summary line names it.
#[test]
fn schema_discovery_prefers_the_checkout_then_the_installed_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    write_full_schemas(&top.join("new/src/conf/schemas"));
    write(top, "new/tests/data/sound.xml", SOUND_DOMAIN);
    let out = rngcheck(&top.join("new/tests/data"))
        .arg("sound.xml")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_contains(&stderr(&out), "schema: ../../src/conf/schemas/domain.rng");
    // Streamed, the schema is picked from the file's first bytes.
    let out = run(&top.join("new/tests/data"), &["--stream", "sound.xml"]);
    assert_exit(&out, 0);
    assert_contains(&stderr(&out), "schema: ../../src/conf/schemas/domain.rng");
    write_full_schemas(&top.join("old/docs/schemas"));
    write(top, "old/tests/sound.xml", SOUND_DOMAIN);
    let out = rngcheck(&top.join("old"))
        .arg("tests/sound.xml")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_contains(&stderr(&out), "schema: docs/schemas/domain.rng");
    // No checkout: the installed schemas.
    write(top, "loose/sound.xml", SOUND_DOMAIN);
    let installed = top.join("usr/share/libvirt/schemas");
    write_full_schemas(&installed);
    let out = rngcheck(&top.join("loose"))
        .arg("sound.xml")
        .env("RNGCHECK_INSTALLED_SCHEMAS", &installed)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_contains(
        &stderr(&out),
        &format!("schema: {}", installed.join("domain.rng").display()),
    );
    // Nothing installed: the embedded subset, which says what it is.
    let out = rngcheck(&top.join("loose"))
        .arg("sound.xml")
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert_contains(
        &stderr(&out),
        "schema: embedded domain schema, rngcheck's subset of libvirt's format",
    );
    // --help says so too, and how to get the full schema.
    let help = text(&run(top, &["--help"]));
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_contains(&help, "The embedded schema is only a subset");
    assert_contains(&help, "install libvirt");
    // A root element nothing has a schema for.
    write(top, "loose/f.xml", "<frobnicate/>\n");
    let out = rngcheck(&top.join("loose")).arg("f.xml").output().unwrap();
    assert_exit(&out, 2);
    assert_contains(&text(&out), "no schema for root element <frobnicate>");
}

/// Item 7: the installed schemas of the `virsh` on PATH
/// (`PREFIX/bin/virsh` → `PREFIX/share/libvirt/schemas`).
#[cfg(unix)]
#[test]
fn schema_discovery_finds_virshs_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("opt/libvirt");
    write_full_schemas(&prefix.join("share/libvirt/schemas"));
    write(&prefix, "bin/virsh", "#!/bin/sh\n");
    write(dir.path(), "f.xml", "<frobnicate/>\n");
    let out = rngcheck(dir.path())
        .env_remove("RNGCHECK_INSTALLED_SCHEMAS")
        .env("PATH", prefix.join("bin"))
        .arg("f.xml")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_contains(&stderr(&out), "share/libvirt/schemas/frobnicate.rng");
}

/// Item 9: a `--root` that does not exist is one usage error.
#[test]
fn a_missing_root_is_one_usage_error() {
    let dir = libvirt_like();
    let out = run(dir.path(), &["--root", "no/such/dir"]);
    assert_exit(&out, 2);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert_contains(&stderr(&out), "--root no/such/dir: no such directory");
}
