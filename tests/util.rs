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
