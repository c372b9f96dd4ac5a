//! The command line as libvirt developers run it, over a scratch copy of
//! libvirt 9.0.0 (`../shared/libvirt-9.0.0`, copied into a temporary
//! directory with `examples/libvirt/rngcheck.toml` at its top): each
//! workflow of issue 15 with its exit code and summary, and the README's
//! `libvirt-9.0.0` and `checkout` examples. Prints a scoreboard; runs under
//! `make conformance` (a plain `main`, `harness = false`).

#[path = "readme_blocks.rs"]
mod readme_blocks;
#[path = "shared_data.rs"]
mod shared_data;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_rngcheck");

fn main() -> ExitCode {
    let shared = match shared_data::require("workflows", "libvirt-9.0.0") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let scratch = tempfile::tempdir().expect("cannot create a temporary directory");
    let top = scratch.path().join("libvirt");
    for dir in ["src", "tests", "examples"] {
        readme_blocks::copy_dir(&shared.join(dir), &top.join(dir));
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        repo.join("examples/libvirt/rngcheck.toml"),
        top.join("rngcheck.toml"),
    )
    .expect("cannot copy the example config");
    std::fs::copy(
        repo.join("examples/libvirt/expected-errors.txt"),
        top.join("expected-errors.txt"),
    )
    .expect("cannot copy the blessed expected errors");
    let manifest = std::fs::read_to_string(shared.join("manifest.tsv")).expect("manifest.tsv");

    let mut results: Vec<(String, Result<(), String>)> = Vec::new();
    let mut check = |name: &str, result: Result<(), String>| {
        results.push((name.to_string(), result));
    };
    let qemu = top.join("tests/qemuxml2argvdata");
    check(
        "no arguments, two levels below rngcheck.toml: every document",
        expect(
            rngcheck(&qemu, &[]),
            0,
            "2963 documents checked: 2906 valid, 57 invalid as expected",
        ),
    );
    check(
        "schema named through ../../",
        expect(
            rngcheck(
                &qemu,
                &["../../src/conf/schemas/domain.rng", "aarch64-gic-v3.xml"],
            ),
            0,
            "1 document checked: 1 valid",
        ),
    );
    check(
        "--schema-dir ../../src/conf/schemas",
        expect(
            rngcheck(
                &qemu,
                &[
                    "--schema-dir",
                    "../../src/conf/schemas",
                    "aarch64-gic-v3.xml",
                ],
            ),
            0,
            "1 document checked: 1 valid",
        ),
    );
    let valid_domains: Vec<&str> = manifest
        .lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.first() == Some(&"src/conf/schemas/domain.rng") && cols.get(2) == Some(&"valid"))
                .then(|| cols[1])
        })
        .collect();
    let mut discovered = vec!["--no-config"];
    discovered.extend(&valid_domains);
    check(
        "no schema named: the checkout's domain.rng, every valid domain document",
        expect(
            rngcheck(&top, &discovered),
            0,
            &format!(
                "{n} documents checked: {n} valid, 0 invalid; schema: src/conf/schemas/domain.rng",
                n = valid_domains.len()
            ),
        ),
    );
    let mut embedded = vec!["--default-schema"];
    embedded.extend(&valid_domains);
    let out = rngcheck(&top, &embedded);
    println!(
        "workflows: the embedded subset on libvirt's {} valid domain documents: {}",
        valid_domains.len(),
        summary_line(&out)
    );
    check(
        "--default-schema names the subset",
        expect(out, 1, "schema: embedded domain schema, rngcheck's subset"),
    );
    check(
        "a staged basictypes.rng re-checks the documents of every check using it",
        expect(
            rngcheck(
                &top,
                &[
                    "--config",
                    "rngcheck.toml",
                    "src/conf/schemas/basictypes.rng",
                ],
            ),
            0,
            "invalid as expected",
        ),
    );
    check("| head -1 keeps the failure", closed_pipe(&top));
    coverage_checks(&top, repo, &mut check);

    // The README's examples that need this tree.
    let readme = std::fs::read_to_string(repo.join("README.md")).expect("README.md");
    let path = std::env::join_paths(
        std::iter::once(Path::new(BIN).parent().unwrap().to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ),
    )
    .unwrap();
    match readme_blocks::blocks(&readme) {
        Err(e) => check("README blocks", Err(e)),
        Ok(blocks) => {
            for block in blocks {
                let mut words = block.context.split_whitespace();
                let cwd = match words.next() {
                    Some("libvirt-9.0.0") => match words.next() {
                        Some(sub) if sub != "output" => top.join(sub),
                        _ => top.clone(),
                    },
                    Some("checkout") => top.clone(),
                    _ => continue,
                };
                if block.commands.is_empty() {
                    check(
                        &format!("README.md:{}", block.line),
                        Err("no command".into()),
                    );
                }
                for example in &block.commands {
                    check(
                        &format!("README.md:{}", example.line),
                        readme_blocks::run(example, &cwd, &path),
                    );
                }
            }
        }
    }

    let passed = results.iter().filter(|(_, r)| r.is_ok()).count();
    println!("workflows: {passed} of {} as expected", results.len());
    for (name, result) in &results {
        if let Err(e) = result {
            println!("  FAIL {name}: {e}");
        }
    }
    if passed == results.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Issue 20 on libvirt's tree: coverage and pinned errors over the whole
/// table in one run, the lcov files through genhtml, and the backing-chain
/// defines of tests/domainschemadata with and without backing-chains.xml.
fn coverage_checks(top: &Path, repo: &Path, check: &mut dyn FnMut(&str, Result<(), String>)) {
    let out = rngcheck(
        top,
        &[
            "--coverage",
            "--coverage-lcov",
            "schema.info",
            "--expected-errors",
            "expected-errors.txt",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let total = err
        .lines()
        .find(|l| l.starts_with("rngcheck: schema coverage:"))
        .unwrap_or("(no coverage summary)");
    println!("workflows: libvirt 9.0.0, whole table: {total}");
    check(
        "--coverage and the blessed expected errors over the whole table",
        expect(out, 0, "2906 valid, 57 invalid as expected").and_then(|()| {
            match total.starts_with("rngcheck: schema coverage:") {
                true => Ok(()),
                false => Err(format!("no coverage summary in:\n{err}")),
            }
        }),
    );
    let scratch = tempfile::tempdir().expect("cannot create a temporary directory");
    let fixture = repo.join("fixtures/coverage");
    let out = Command::new(BIN)
        .current_dir(&fixture)
        .args([
            "disk.rng",
            "docs",
            "--expect-invalid-suffix",
            "-invalid.xml",
        ])
        .arg("--coverage-lcov")
        .arg(scratch.path().join("disk.info"))
        .output()
        .expect("cannot run rngcheck");
    check("fixture coverage", expect(out, 0, "2 invalid as expected"));
    check(
        "genhtml reads the fixture's lcov file",
        genhtml(&fixture, &scratch.path().join("disk.info"), scratch.path()),
    );
    check(
        "genhtml reads libvirt's lcov file",
        genhtml(top, &top.join("schema.info"), scratch.path()),
    );

    let chains = "src/conf/schemas/domaincommon.rng";
    let backing = |out: &std::process::Output| -> Vec<String> {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains("define diskBacking") && l.contains("not covered"))
            .map(str::to_string)
            .collect()
    };
    let args = ["--coverage", "tests/domainschemadata"];
    let with = rngcheck(top, &args);
    let uncovered = backing(&with);
    check(
        "tests/domainschemadata: the backing-chain defines covered",
        match uncovered.is_empty() && with.status.code() == Some(0) {
            true => Ok(()),
            false => Err(format!(
                "exit {:?}; uncovered: {uncovered:#?}",
                with.status.code()
            )),
        },
    );
    let kept = top.join("backing-chains.xml");
    let chain_doc = top.join("tests/domainschemadata/backing-chains.xml");
    std::fs::rename(&chain_doc, &kept).expect("cannot move backing-chains.xml");
    let without = rngcheck(top, &args);
    std::fs::rename(&kept, &chain_doc).expect("cannot restore backing-chains.xml");
    let uncovered = backing(&without);
    let wanted = format!(
        "{chains}:1714:5: not covered: element \"backingStore\" in define diskBackingStore"
    );
    check(
        "tests/domainschemadata without backing-chains.xml: diskBackingStore uncovered",
        match uncovered.contains(&wanted) {
            true => Ok(()),
            false => Err(format!("want {wanted:?} in {uncovered:#?}")),
        },
    );
}

/// genhtml over `info` (from `cwd`, where its relative `SF:` paths are),
/// into a directory under `out`; a missing genhtml is a failure under CI
/// and a note otherwise.
fn genhtml(cwd: &Path, info: &Path, out: &Path) -> Result<(), String> {
    let html = out.join(info.file_stem().unwrap_or_default());
    match Command::new("genhtml")
        .current_dir(cwd)
        .arg("--quiet")
        .arg("-o")
        .arg(&html)
        .arg(info)
        .output()
    {
        Ok(o) if o.status.success() && html.join("index.html").exists() => Ok(()),
        Ok(o) => Err(format!(
            "genhtml exit {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        )),
        Err(e) if std::env::var("CI").map_or(true, |v| v != "true") => {
            println!("workflows: genhtml SKIPPED ({e}; install lcov)");
            Ok(())
        }
        Err(e) => Err(format!("cannot run genhtml (install lcov): {e}")),
    }
}

fn rngcheck(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .current_dir(cwd)
        .args(args)
        .env("RNGCHECK_INSTALLED_SCHEMAS", "")
        .env_remove("CI")
        .output()
        .expect("cannot run rngcheck")
}

fn summary_line(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .rfind(|l| l.starts_with("rngcheck: "))
        .unwrap_or("")
        .to_string()
}

fn expect(out: std::process::Output, code: i32, summary: &str) -> Result<(), String> {
    let line = summary_line(&out);
    if out.status.code() == Some(code) && line.contains(summary) {
        Ok(())
    } else {
        let stdout = String::from_utf8_lossy(&out.stdout);
        Err(format!(
            "exit {:?} (want {code}), summary {line:?} (want {summary:?}); output starts:\n{}",
            out.status.code(),
            stdout.chars().take(2000).collect::<String>()
        ))
    }
}

/// Item 4 of issue 15 on real data: the reader stops after one line.
fn closed_pipe(top: &Path) -> Result<(), String> {
    let mut child = Command::new(BIN)
        .current_dir(top)
        .args(["src/conf/schemas/domain.rng", "tests/qemuxml2argvdata"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut first = String::new();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    BufReader::new(stdout)
        .read_line(&mut first)
        .map_err(|e| e.to_string())?;
    let status = child.wait().map_err(|e| e.to_string())?;
    match status.code() {
        Some(1) => Ok(()),
        other => Err(format!("exit {other:?} after the first line {first:?}")),
    }
}
