//! Data-driven conformance runs: James Clark's RELAX NG test suite, libvirt
//! 9.0.0's schemas and test documents, how much of libvirt's domain
//! documents the embedded `schemas/domaincommon.rng` covers, and the JSON
//! and SARIF output over the whole corpus (SARIF against its official schema).
//!
//! A plain `main` (`harness = false`): each suite prints a scoreboard and
//! lists its failures; the run exits non-zero on any failure that is not in
//! `tests/conformance.xfail`. Runs under `make conformance`, not `make test`.
//! The data lives in `../shared` beside the repository; without it the
//! runner says `SKIPPED` and passes, except under `CI=true`, where it fails.
//!
//! Environment:
//! - `RNGCHECK_STRICT_FIRST_ERRORS=1`: first-error mismatches against jing
//!   fail the run (otherwise they are informational).
//! - `RNGCHECK_LIST_ALL=1`: list every libvirt mismatch (otherwise the first
//!   100 per suite).
//! - `RNGCHECK_SPECTEST_DUMP=DIR`: write each spectest case to `DIR/NNN/`
//!   (`c.rng`, resources, `valid-K.xml`, `invalid-K.xml`) to rerun by hand.

#[path = "conformance/common.rs"]
mod common;
#[path = "conformance/libvirt.rs"]
mod libvirt;
#[path = "shared_data.rs"]
mod shared_data;
#[path = "conformance/spectest.rs"]
mod spectest;

use std::process::ExitCode;

use common::Tally;

fn main() -> ExitCode {
    // The schema compiler and validator may recurse deeply on some cases; run
    // on a thread with a large stack, as the CLI does.
    let worker = std::thread::Builder::new()
        .name("conformance".into())
        .stack_size(512 * 1024 * 1024)
        .spawn(run)
        .expect("cannot spawn the conformance thread");
    match worker.join() {
        Ok(code) => code,
        Err(_) => {
            println!("conformance: the runner itself panicked");
            ExitCode::FAILURE
        }
    }
}

/// Every document the suites validated was also fed both ways: the fast
/// path must agree with the tree path wherever it takes a document.
fn fast_path_scoreboard(tally: &mut Tally) {
    let fast = common::FAST_PATH.lock().unwrap_or_else(|e| e.into_inner());
    let head = format!(
        "fast path: took {} of {} documents",
        fast.taken, fast.documents
    );
    agreement(
        tally,
        &head,
        "the tree path",
        fast.taken,
        &fast.disagreements,
    );
}

/// Every schema file the suites loaded (and its neighbours) was also built
/// both ways: the fast tree builder must agree with roxmltree wherever it
/// takes a file.
fn schema_tree_scoreboard(tally: &mut Tally) {
    let trees = common::SCHEMA_TREES
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let head = format!(
        "schema trees: fast builder took {} of {} schema files",
        trees.taken, trees.files
    );
    agreement(tally, &head, "roxmltree", trees.taken, &trees.disagreements);
}

/// Prints how often a fast path agreed with `reference` on what it took,
/// lists the disagreements, and counts each taken item as a check.
fn agreement(
    tally: &mut Tally,
    head: &str,
    reference: &str,
    taken: usize,
    disagreements: &[String],
) {
    let agreed = taken - disagreements.len();
    println!("{head}; agrees with {reference} on {agreed} of {taken}");
    for d in disagreements.iter().take(20) {
        println!("  DISAGREE {d}");
    }
    tally.passed += agreed;
    tally.failed += disagreements.len();
}

fn run() -> ExitCode {
    common::quiet_panics();
    if let Err(code) =
        shared_data::require("conformance (spectest, libvirt, embedded)", "conformance")
    {
        return code;
    }
    let shared = common::shared_dir();

    let mut tally = Tally::default();
    spectest::run(&shared, &mut tally);
    println!();
    libvirt::run(&shared, &mut tally);
    println!();
    libvirt::run_embedded(&shared, &mut tally);
    println!();
    libvirt::run_json(&shared, &mut tally);
    println!();
    libvirt::run_sarif(&shared, &mut tally);
    println!();
    libvirt::run_gate(&shared, &mut tally);
    println!();
    fast_path_scoreboard(&mut tally);
    schema_tree_scoreboard(&mut tally);
    println!();

    if tally.xfailed > 0 {
        println!(
            "conformance: {} known failures (XFAIL) in tests/conformance.xfail",
            tally.xfailed
        );
    }
    println!(
        "conformance: {} passed, {} failed",
        tally.passed, tally.failed
    );
    if tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
