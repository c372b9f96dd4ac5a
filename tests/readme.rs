//! The README's usage examples run as written (`tests/readme_blocks.rs`
//! finds them): the `clone` blocks in a scratch copy of this repository's
//! `schemas/`, `fixtures/` and `examples/`, the `checkout` blocks in a
//! small libvirt-like checkout built from them. The `libvirt-9.0.0` blocks
//! need the real tree: `tests/workflows.rs` runs them (`make conformance`).

use std::path::{Path, PathBuf};

use crate::readme_blocks::{blocks, copy_dir, run};
use crate::util::write_file;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A clone's files, with a `virsh` that dumps a valid domain.
fn clone_tree(top: &Path) -> PathBuf {
    for dir in ["schemas", "fixtures", "examples"] {
        copy_dir(&repo().join(dir), &top.join(dir));
    }
    let bin = top.join("fake-bin");
    let virsh = write_file(
        &bin,
        "virsh",
        &format!(
            "#!/bin/sh\n# A stand-in for `virsh dumpxml vm`.\ncat '{}'\n",
            top.join("fixtures/domain/backing-chains.xml").display()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&virsh, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

/// A small libvirt checkout: the embedded schema as `src/conf/schemas`,
/// the domain fixtures as `tests/domainschemadata`, the example config at
/// its top.
fn checkout_tree(top: &Path) {
    let schemas = top.join("src/conf/schemas");
    std::fs::create_dir_all(&schemas).unwrap();
    std::fs::copy(
        repo().join("schemas/domaincommon.rng"),
        schemas.join("domain.rng"),
    )
    .unwrap();
    for file in ["basictypes.rng", "storagecommon.rng"] {
        std::fs::copy(repo().join("schemas").join(file), schemas.join(file)).unwrap();
    }
    let docs = top.join("tests/domainschemadata");
    std::fs::create_dir_all(&docs).unwrap();
    for entry in std::fs::read_dir(repo().join("fixtures/domain")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml") {
            std::fs::copy(&path, docs.join(path.file_name().unwrap())).unwrap();
        }
    }
    for file in ["rngcheck.toml", "expected-errors.txt"] {
        std::fs::copy(repo().join("examples/libvirt").join(file), top.join(file)).unwrap();
    }
}

#[test]
fn readme_usage_examples_run_as_written() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let blocks = blocks(&readme).unwrap();
    let count = |context: &str| {
        blocks
            .iter()
            .filter(|b| b.context == context)
            .map(|b| b.commands.len())
            .sum::<usize>()
    };
    // The markers cannot all vanish (or lose their commands) unnoticed.
    assert!(
        count("clone") >= 6,
        "README clone examples: {}",
        count("clone")
    );
    assert!(
        count("checkout") >= 3,
        "README checkout examples: {}",
        count("checkout")
    );
    let libvirt = blocks
        .iter()
        .filter(|b| b.context.starts_with("libvirt-9.0.0"))
        .count();
    assert!(libvirt >= 1, "no libvirt-9.0.0 block for make conformance");
    for block in &blocks {
        assert!(
            ["clone", "checkout"].contains(&block.context.as_str())
                || block.context.starts_with("libvirt-9.0.0"),
            "README.md:{}: unknown readme-test context {:?}",
            block.line,
            block.context
        );
        assert!(
            !block.commands.is_empty(),
            "README.md:{}: no command",
            block.line
        );
    }

    let scratch = tempfile::tempdir().unwrap();
    let clone = scratch.path().join("clone");
    let fake_bin = clone_tree(&clone);
    let checkout = scratch.path().join("libvirt");
    checkout_tree(&checkout);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_rngcheck")).parent().unwrap();
    let path = std::env::join_paths([bin_dir.to_path_buf(), fake_bin].into_iter().chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut failures = Vec::new();
    for block in &blocks {
        let cwd = match block.context.as_str() {
            "clone" => &clone,
            "checkout" => &checkout,
            _ => continue,
        };
        for example in &block.commands {
            if let Err(e) = run(example, cwd, &path) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The README's library example is the crate-level doctest, word for word,
/// so `cargo test --doc` runs it as written.
#[test]
fn the_library_example_is_the_crate_doctest() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("\n## As a library\n")
        .nth(1)
        .expect("README has an \"As a library\" section");
    let in_readme = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section has a rust block");
    let lib = std::fs::read_to_string(repo().join("src/lib.rs")).unwrap();
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let doc = doc.join("\n");
    let in_lib = doc
        .split("```\n")
        .nth(1)
        .expect("the crate docs have an example");
    assert_eq!(in_readme.trim_end(), in_lib.trim_end());
}
