//! What `cargo package` would publish: what a crates.io user needs to build
//! and read about rngcheck, and none of the tests' data.

use std::path::Path;

#[test]
fn the_package_holds_the_sources_and_no_test_data() {
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(cargo)
        .current_dir(root)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{listing}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<&str> = listing.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "src/main.rs",
        "src/lib.rs",
        "src/cli/report.rs",
        "schemas/domaincommon.rng",
        "docs/ci.md",
    ] {
        assert!(files.contains(&needed), "{needed} missing from:\n{listing}");
    }
    for file in &files {
        assert!(
            !["tests/", "fixtures/", "benches/", "fuzz/", "target/"]
                .iter()
                .any(|dir| file.starts_with(dir)),
            "{file} should not be published"
        );
    }
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(root.join(f)).ok())
        .map(|m| m.len())
        .sum();
    assert!(bytes < 2 << 20, "the package is {bytes} bytes");
}

/// A library user (`default-features = false`) builds none of the command
/// line's dependencies.
#[test]
fn the_library_alone_pulls_no_command_line_dependency() {
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let tree = |features: &[&str]| {
        let out = std::process::Command::new(cargo)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["tree", "-e", "normal", "--prefix", "none", "--offline"])
            .args(features)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let listing = String::from_utf8_lossy(&out.stdout).into_owned();
        let names: Vec<String> = listing
            .lines()
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect();
        names
    };
    let cli_only = [
        "clap",
        "miette",
        "indicatif",
        "rayon",
        "walkdir",
        "toml",
        "serde",
    ];
    let library = tree(&["--no-default-features"]);
    for name in cli_only {
        assert!(!library.iter().any(|n| n == name), "{name} in {library:?}");
    }
    // And the default build does have them (the check above looks at real names).
    let default = tree(&[]);
    for name in cli_only {
        assert!(
            default.iter().any(|n| n == name),
            "{name} not in {default:?}"
        );
    }
}
