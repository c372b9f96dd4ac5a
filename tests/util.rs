//! Helpers shared by the modules of the integration-test binary.

use std::process::Output;

/// A run's stdout and stderr together, for messages and assertions.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Asserts that `haystack` contains `needle`, showing the whole haystack if
/// it does not.
#[track_caller]
pub fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in:\n{haystack}"
    );
}

/// Writes `text` to `root/rel`, creating directories; returns the path.
pub fn write_file(root: &std::path::Path, rel: &str, text: &str) -> std::path::PathBuf {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("cannot create a test directory");
    }
    std::fs::write(&path, text).expect("cannot write a test file");
    path
}

/// Asserts a run's exit code, showing its output if it differs.
#[track_caller]
pub fn assert_code(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "expected exit {code}; output:\n{}",
        text(output)
    );
}
