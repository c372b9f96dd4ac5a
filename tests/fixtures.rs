//! `fixtures/domain/*.xml` against the embedded default schema (the binary
//! run with `--default-schema`): names ending `-invalid.xml` must be
//! rejected with the first error on the line `expected-errors.tsv` gives;
//! every other document must be valid.

use std::path::{Path, PathBuf};

fn domain_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/domain")
}

/// Runs `rngcheck --default-schema --format short FILE`: exit code and
/// stdout.
fn check(file: &Path) -> (Option<i32>, String) {
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_rngcheck"))
        .arg("--default-schema")
        .arg("--format")
        .arg("short")
        .arg(file)
        .output()
        .expect("cannot run rngcheck");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The line number of the first `file:line:col: error: ...` line for `file`.
fn first_error_line(file: &Path, stdout: &str) -> Option<u32> {
    let prefix = format!("{}:", file.display());
    let first = stdout.lines().find(|l| l.starts_with(&prefix))?;
    first[prefix.len()..].split(':').next()?.parse().ok()
}

/// The first lines of the output, enough to see the first errors.
fn head(stdout: &str) -> String {
    let lines: Vec<&str> = stdout.lines().collect();
    let mut out = lines.iter().take(3).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > 3 {
        out.push_str(&format!("\n  ... ({} more lines)", lines.len() - 3));
    }
    out
}

/// `expected-errors.tsv`: file → line.
fn expected_errors() -> Vec<(String, u32)> {
    let text = std::fs::read_to_string(domain_dir().join("expected-errors.tsv"))
        .expect("cannot read fixtures/domain/expected-errors.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            assert!(fields.len() >= 2, "bad row in expected-errors.tsv: {l:?}");
            let line = fields[1]
                .parse()
                .unwrap_or_else(|_| panic!("bad line number in expected-errors.tsv: {l:?}"));
            (fields[0].to_string(), line)
        })
        .collect()
}

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(domain_dir())
        .expect("cannot list fixtures/domain")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml"))
        .collect();
    names.sort();
    names
}

#[test]
fn valid_fixtures_are_accepted() {
    let mut failures = Vec::new();
    let names: Vec<String> = fixture_names()
        .into_iter()
        .filter(|n| !n.ends_with("-invalid.xml"))
        .collect();
    assert!(!names.is_empty(), "no valid fixtures found");
    for name in &names {
        let (code, stdout) = check(&domain_dir().join(name));
        if code != Some(0) {
            failures.push(format!("{name}: exit {code:?}\n{}", head(&stdout)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} valid fixtures rejected:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn every_invalid_fixture_has_an_expected_error() {
    let expected = expected_errors();
    let missing: Vec<String> = fixture_names()
        .into_iter()
        .filter(|n| n.ends_with("-invalid.xml"))
        .filter(|n| !expected.iter().any(|(f, _)| f == n))
        .collect();
    assert!(
        missing.is_empty(),
        "invalid fixtures missing from expected-errors.tsv: {missing:?}"
    );
}

#[test]
fn invalid_fixtures_fail_on_the_expected_line() {
    let mut failures = Vec::new();
    let expected = expected_errors();
    assert!(
        !expected.is_empty(),
        "expected-errors.tsv lists no fixtures"
    );
    for (name, line) in &expected {
        let path = domain_dir().join(name);
        let (code, stdout) = check(&path);
        let got = first_error_line(&path, &stdout);
        if code != Some(1) || got != Some(*line) {
            failures.push(format!(
                "{name}: expected exit 1 with the first error on line {line}, got exit {code:?}, first error line {got:?}\n{}",
                head(&stdout)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} invalid fixtures:\n{}",
        failures.len(),
        expected.len(),
        failures.join("\n")
    );
}
