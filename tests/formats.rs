//! Every output format on one fixture run: two invalid documents (one with
//! `,`, `:` and `%` in its name), one schema error, one document invalid as
//! expected and one valid. Colour, `--max-errors`, completions, the man
//! page, and the memory taken by many errors.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

use crate::util::assert_contains;

const SCHEMA: &str = r#"<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0">
  <attribute name="id"><text/></attribute>
  <zeroOrMore>
    <element name="item"><empty/></element>
  </zeroOrMore>
</element>
"#;

/// A schema error: a ref outside any grammar.
const BROKEN: &str = r#"<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0">
  <ref name="missing"/>
</element>
"#;

/// The name of the document with two errors: GitHub and SARIF must escape it.
const TWO_BAD: &str = "docs/two,bad:50%.xml";

/// The fixture: `rngcheck.toml` checks `docs/` against a correct schema
/// and `other/` against a broken one.
fn fixture() -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rngcheck-formats-")
        .tempdir()
        .unwrap();
    let files = [
        ("schema.rng", SCHEMA),
        ("broken.rng", BROKEN),
        ("docs/good.xml", "<doc id=\"a\">\n  <item/>\n</doc>\n"),
        (
            "docs/one-bad.xml",
            "<doc id=\"b\">\n  <item/>\n  <iten/>\n</doc>\n",
        ),
        (TWO_BAD, "<doc>\n  <item>text</item>\n</doc>\n"),
        (
            "docs/expected-invalid.xml",
            "<doc id=\"c\">\n  <other/>\n</doc>\n",
        ),
        ("other/x.xml", "<doc/>\n"),
        (
            "rngcheck.toml",
            "invalid_suffix = \"-invalid.xml\"\n\
             [[check]]\nschema = \"schema.rng\"\npaths = [\"docs\"]\n\
             [[check]]\nschema = \"broken.rng\"\npaths = [\"other\"]\n",
        ),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// rngcheck in `dir`, with colour variables cleared and stdout piped.
fn rngcheck(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rngcheck"));
    cmd.current_dir(dir)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn run_format(dir: &Path, format: &str) -> Output {
    let out = rngcheck(dir).args(["--format", format]).output().unwrap();
    // The broken schema decides the exit code.
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn has_ansi(o: &Output) -> bool {
    o.stdout.contains(&0x1b) || o.stderr.contains(&0x1b)
}

#[test]
fn human_output_piped_is_the_drawn_report_without_colour() {
    let dir = fixture();
    let out = run_format(dir.path(), "human");
    let text = stdout(&out);
    assert!(!has_ansi(&out), "{text}");
    assert!(!text.contains("Diagnostic severity"), "{text}");
    insta::assert_snapshot!("human_piped", text);
    assert_contains(
        &stderr(&out),
        "4 documents checked: 1 valid, 2 invalid but expected valid, 1 invalid as expected",
    );
}

#[test]
fn narrated_output_is_for_screen_readers() {
    let dir = fixture();
    let text = stdout(&run_format(dir.path(), "narrated"));
    assert_contains(
        &text,
        "docs/one-bad.xml:3:10: error: element \"iten\" not allowed",
    );
    assert_contains(&text, "Diagnostic severity: error");
    assert_contains(&text, "snippet line 3:   <iten/>");
}

#[test]
fn json_is_one_object_per_error_then_a_summary() {
    let dir = fixture();
    let text = stdout(&run_format(dir.path(), "json"));
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, errors) = objects.split_last().unwrap();
    assert_eq!(errors.len(), 4, "{text}");
    assert!(errors.iter().all(|e| e["code"].is_string()), "{text}");
    assert!(
        !text.contains("expected-invalid.xml"),
        "invalid as expected is not an error: {text}"
    );
    let summary = &summary["summary"];
    assert_eq!(summary["documents"], 4, "{text}");
    assert_eq!(summary["valid"], 1);
    assert_eq!(summary["invalid"], 2);
    assert_eq!(summary["expected_invalid"], 1);
    assert_eq!(summary["errors"], 4);
    assert_eq!(summary["errors_not_shown"], 0);
    assert_eq!(summary["exit_code"], 3);
    assert_eq!(
        summary["schema"],
        serde_json::json!(["schema.rng", "broken.rng"])
    );
}

#[test]
fn github_lines_are_escaped_workflow_commands() {
    let dir = fixture();
    let text = stdout(&run_format(dir.path(), "github"));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert_eq!(
        lines[0],
        "::error file=docs/one-bad.xml,line=3,col=3,endLine=3,endColumn=10,\
         title=rngcheck%3A%3Adoc%3A%3Aunexpected_element::element \"iten\" not allowed here; \
         expected element \"item\" (did you mean \"item\"?)"
    );
    // `,`, `:` and `%` in a property are escaped, so the name survives.
    assert!(
        lines[1].starts_with("::error file=docs/two%2Cbad%3A50%25.xml,line=1,col=1,"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("::error file=broken.rng,line=2,col=3,"),
        "{text}"
    );
    assert!(
        lines[4].starts_with("::notice title=rngcheck::rngcheck: 4 documents checked"),
        "{text}"
    );
}

/// The objects of a SARIF log this test relies on, each with the
/// properties the SARIF 2.1.0 schema requires of it (the full schema is
/// checked in `make conformance`).
#[test]
fn sarif_log_has_the_required_structure() {
    let dir = fixture();
    let text = stdout(&run_format(dir.path(), "sarif"));
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "rngcheck");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    // Optional in SARIF; present exactly when Cargo.toml names a repository.
    match env!("CARGO_PKG_REPOSITORY") {
        "" => assert!(driver.get("informationUri").is_none()),
        repository => assert_eq!(driver["informationUri"], repository),
    }
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string()));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "{text}");
    let mut uris = Vec::new();
    for result in results {
        assert_eq!(result["level"], "error");
        assert!(result["message"]["text"].is_string(), "{result}");
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        let location = &result["locations"][0]["physicalLocation"];
        let region = &location["region"];
        for key in [
            "startLine",
            "startColumn",
            "endLine",
            "endColumn",
            "byteOffset",
        ] {
            assert!(region[key].is_u64(), "{key} in {result}");
        }
        assert!(
            region["byteLength"].as_u64().is_some_and(|n| n > 0),
            "{result}"
        );
        uris.push(
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(
        uris,
        [
            "docs/one-bad.xml",
            "docs/two%2Cbad%3A50%25.xml",
            "docs/two%2Cbad%3A50%25.xml",
            "broken.rng"
        ]
    );
    // The region of `<iten/>` on line 3, by bytes and by characters.
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["byteOffset"], 25);
    assert_eq!(region["byteLength"], 7);
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&3.into(), &3.into())
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 3);
}

/// GitLab's Code Quality report: a JSON array of issues, each with the
/// fields GitLab reads and a fingerprint of its own.
#[test]
fn gitlab_report_is_an_array_of_code_quality_issues() {
    let dir = fixture();
    let text = stdout(&run_format(dir.path(), "gitlab"));
    let issues: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(issues.len(), 4, "{text}");
    for issue in &issues {
        assert!(issue["description"].is_string(), "{issue}");
        assert!(issue["check_name"].is_string(), "{issue}");
        assert_eq!(issue["severity"], "major");
        assert!(issue["location"]["lines"]["begin"]
            .as_u64()
            .is_some_and(|l| l >= 1));
    }
    let paths: Vec<&str> = issues
        .iter()
        .map(|i| i["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["docs/one-bad.xml", TWO_BAD, TWO_BAD, "broken.rng"]);
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), 4, "{text}");
    // The same run gives the same fingerprints (GitLab matches issues by them).
    assert_eq!(stdout(&run_format(dir.path(), "gitlab")), text);
}

#[test]
fn a_schema_alone_is_a_sarif_log_of_its_errors() {
    let dir = fixture();
    let out = rngcheck(dir.path())
        .args(["--format", "sarif", "broken.rng"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "rngcheck::schema::undefined_ref");
    // A correct schema: still a log, with no results.
    let out = rngcheck(dir.path())
        .args(["--format", "sarif", "schema.rng"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], 0);
}

#[test]
fn a_schema_alone_closes_json_and_github_with_its_summary() {
    let dir = fixture();
    let out = rngcheck(dir.path())
        .args(["--format", "json", "broken.rng"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = stdout(&out);
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let summary = &last["summary"];
    assert_eq!(
        (
            &summary["errors"],
            &summary["exit_code"],
            &summary["schema"]
        ),
        (
            &serde_json::json!(1),
            &serde_json::json!(3),
            &serde_json::json!("broken.rng")
        )
    );
    let out = rngcheck(dir.path())
        .args(["--format", "github", "broken.rng"])
        .output()
        .unwrap();
    assert_contains(&stdout(&out), "rngcheck: broken.rng: schema is incorrect");
}

#[test]
fn color_always_colours_a_pipe_and_never_or_no_color_do_not() {
    let dir = fixture();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = rngcheck(dir.path());
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    assert!(has_ansi(&run(&["--color", "always"], &[])));
    assert!(has_ansi(&run(&[], &[("FORCE_COLOR", "1")])));
    assert!(has_ansi(&run(&[], &[("CLICOLOR_FORCE", "1")])));
    assert!(!has_ansi(&run(&[], &[])));
    assert!(!has_ansi(&run(&[], &[("FORCE_COLOR", "0")])));
    assert!(!has_ansi(&run(&[], &[("NO_COLOR", "1")])));
    assert!(!has_ansi(&run(
        &["--color", "never"],
        &[("FORCE_COLOR", "1")]
    )));
    for format in ["narrated", "short", "json", "sarif", "github", "gitlab"] {
        let out = run(&["--color", "always", "--format", format], &[]);
        assert!(!has_ansi(&out), "{format}: {}", stdout(&out));
    }
}

#[test]
fn max_errors_says_how_many_were_not_shown() {
    let dir = fixture();
    let run = |args: &[&str]| {
        let out = rngcheck(dir.path())
            .args(args)
            .args(["schema.rng", TWO_BAD])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        stdout(&out)
    };
    assert_eq!(
        run(&["--format", "short", "--max-errors", "1"]),
        "docs/two,bad:50%.xml:1:6: error: element \"doc\" missing required attribute \"id\"\n\
         docs/two,bad:50%.xml: 1 more error not shown (--max-errors 1)\n"
    );
    // 0: no error shown, only how many there were; still exit 1.
    assert_eq!(
        run(&["--format", "short", "--max-errors", "0"]),
        "docs/two,bad:50%.xml: 2 errors not shown (--max-errors 0)\n"
    );
    let json = run(&["--format", "json", "--max-errors", "0"]);
    let summary: serde_json::Value = serde_json::from_str(json.lines().last().unwrap()).unwrap();
    assert_eq!(summary["summary"]["errors"], 0, "{json}");
    assert_eq!(summary["summary"]["errors_not_shown"], 2, "{json}");
    let sarif: serde_json::Value =
        serde_json::from_str(&run(&["--format", "sarif", "--max-errors", "1"])).unwrap();
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .is_some_and(|t| t.ends_with("1 more error not shown (--max-errors 1)")),
        "{notes}"
    );
    assert_contains(
        &run(&["--format", "github", "--max-errors", "1"]),
        "::notice file=docs/two%2Cbad%3A50%25.xml,title=rngcheck::1 more error not shown",
    );
}

#[test]
fn completions_and_man_page_come_from_the_argument_definitions() {
    let dir = fixture();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = rngcheck(dir.path())
            .args(["--completions", shell])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        assert_contains(&stdout(&out), "max-errors");
    }
    let out = rngcheck(dir.path()).arg("--man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let man = stdout(&out);
    assert!(man.starts_with(".ie"), "{man}");
    assert_contains(&man, ".TH rngcheck 1");
    assert_contains(&man, "\\-\\-expect\\-invalid\\-suffix");
    // Not a flag to mix with a run.
    let out = rngcheck(dir.path())
        .args(["--man", "doc.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A 4 MB document with 4,000 errors, and a schema for it.
fn many_errors(dir: &Path) -> (PathBuf, PathBuf) {
    let schema = dir.join("many.rng");
    std::fs::write(
        &schema,
        r#"<element name="r" xmlns="http://relaxng.org/ns/structure/1.0">
  <zeroOrMore>
    <element name="g"><element name="a"><empty/></element></element>
  </zeroOrMore>
</element>
"#,
    )
    .unwrap();
    let padding = format!("<!--{}-->\n", "x".repeat(1000));
    let mut text = String::from("<r>\n");
    for _ in 0..4000 {
        text.push_str("<g>\n");
        text.push_str(&padding);
        text.push_str("<b/>\n</g>\n");
    }
    text.push_str("</r>\n");
    assert!(text.len() > 4_000_000);
    let doc = dir.join("many.xml");
    std::fs::write(&doc, text).unwrap();
    (schema, doc)
}

/// Runs rngcheck to the end (stdout discarded) and returns its exit code
/// and peak resident set size in bytes, from the kernel's accounting of the
/// child (`wait4`).
#[cfg(target_os = "linux")]
// The child is reaped by `wait4` itself, which is what gives its usage.
#[allow(clippy::zombie_processes)]
fn peak_rss(args: &[&std::ffi::OsStr]) -> (i32, u64) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
        .args(args)
        .env_remove("CI")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; both pointers
    // point to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    assert!(libc::WIFEXITED(status), "rngcheck did not exit normally");
    // ru_maxrss is in kilobytes on Linux.
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64 * 1024)
}

#[cfg(target_os = "linux")]
#[test]
fn many_errors_in_a_big_document_take_bounded_memory_in_every_format() {
    const LIMIT: u64 = 200 * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let (schema, doc) = many_errors(dir.path());
    for format in [
        "human", "narrated", "short", "json", "sarif", "github", "gitlab",
    ] {
        let (code, peak) = peak_rss(&[
            "--format".as_ref(),
            format.as_ref(),
            schema.as_os_str(),
            doc.as_os_str(),
        ]);
        assert_eq!(code, 1, "{format}");
        assert!(
            peak < LIMIT,
            "--format {format}: peak RSS {} MB, over {} MB",
            peak >> 20,
            LIMIT >> 20
        );
    }
}

/// Runs `args` with a terminal for stdin, stdout and stderr (util-linux's
/// `script`); None where `script` is missing.
fn on_terminal(dir: &Path, args: &str, env: &[(&str, &str)]) -> Option<String> {
    let mut cmd = std::process::Command::new("script");
    cmd.current_dir(dir)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .args([
            "-qec",
            &format!("{} {args}", env!("CARGO_BIN_EXE_rngcheck")),
            "/dev/null",
        ]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    match cmd.output() {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("SKIPPED: no `script` to give rngcheck a terminal");
            None
        }
        Err(e) => panic!("cannot run script: {e}"),
    }
}

#[test]
fn on_a_terminal_a_quick_run_draws_no_progress_bar_and_colour_follows_no_color() {
    let dir = fixture();
    for i in 0..40 {
        std::fs::copy(
            dir.path().join("docs/good.xml"),
            dir.path().join(format!("docs/copy{i:02}.xml")),
        )
        .unwrap();
    }
    let Some(text) = on_terminal(dir.path(), "schema.rng docs", &[]) else {
        return;
    };
    assert_contains(&text, "44 documents checked");
    assert!(!text.contains("documents ("), "a progress bar: {text}");
    assert!(text.contains('\u{1b}'), "no colour on a terminal: {text}");
    let Some(text) = on_terminal(dir.path(), "schema.rng docs", &[("NO_COLOR", "1")]) else {
        return;
    };
    assert!(!text.contains('\u{1b}'), "colour despite NO_COLOR: {text}");
}
