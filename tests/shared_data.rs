//! What the data-driven runners (`make conformance`) share: finding their
//! data in `../shared`, and what to do when it is not there: fail under
//! `CI=true`, where the data must be present, and otherwise say plainly
//! that the suite was skipped.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The directory `rel` inside `../shared` (`""`: `../shared` itself), or,
/// when it is missing, the exit code to end the runner with (after saying
/// so).
pub fn require(runner: &str, rel: &str) -> Result<PathBuf, ExitCode> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let dir = if rel.is_empty() {
        shared
    } else {
        shared.join(rel)
    };
    if dir.is_dir() {
        return Ok(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        println!("{runner}: FAILED: CI=true but {} is missing", dir.display());
        return Err(ExitCode::FAILURE);
    }
    println!("{runner}: SKIPPED: {} not found", dir.display());
    Err(ExitCode::SUCCESS)
}

/// Prints every failure of every run (or why a run could not happen) and
/// returns the runner's exit code: failure if anything failed.
#[allow(dead_code)] // not every runner reports through it
pub fn finish(runs: impl IntoIterator<Item = Result<Vec<String>, String>>) -> ExitCode {
    let mut failed = false;
    for run in runs {
        match run {
            Ok(failures) => {
                for failure in &failures {
                    println!("  FAIL {failure}");
                }
                failed |= !failures.is_empty();
            }
            Err(e) => {
                println!("error: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
