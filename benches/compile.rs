//! Schema compile time, in process: loading, simplifying, checking and
//! compiling libvirt's domain.rng (and its includes), plus the XSD regex
//! `(a|aa)*b` against 100 KB of `a`s (issue 5: answered in milliseconds).
//!
//! The machine's speed drifts (shared hosts): as a yardstick for the
//! absolute figure, `parse_domain_rng_files` times reading the same files and
//! parsing them with roxmltree, and nothing else.
//!
//! `cargo bench --bench compile`. Needs `../shared/libvirt-9.0.0` (or
//! `$LIBVIRT`); the domain benchmark is skipped without it.

use std::path::PathBuf;

use rngcheck::internals::XsdRegex;
use rngcheck::Schema;

fn main() {
    divan::main();
}

fn domain_rng() -> Option<PathBuf> {
    let root = PathBuf::from(
        std::env::var("LIBVIRT").unwrap_or_else(|_| "../shared/libvirt-9.0.0".to_string()),
    );
    let path = root.join("src/conf/schemas/domain.rng");
    path.exists().then_some(path)
}

/// Load + simplify + §7 check + compile of domain.rng, files read from disk
/// each time (the page cache keeps them warm). The compiled schema is
/// returned, so divan frees it after the timing: a run never frees it early.
#[divan::bench(sample_count = 30)]
fn compile_domain_rng(bencher: divan::Bencher) {
    let Some(path) = domain_rng() else {
        println!("SKIPPED: domain.rng not found");
        return;
    };
    bencher.bench(|| Schema::load(divan::black_box(&path)));
}

/// domain.rng and every file it includes, found by their `href`s.
fn schema_files(root: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = vec![root.to_path_buf()];
    let mut i = 0;
    while let Some(file) = files.get(i).cloned() {
        i += 1;
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for piece in text.split("href=\"").skip(1) {
            let href = piece.split('"').next().unwrap_or("");
            let path = file.with_file_name(href);
            if path.exists() && !files.contains(&path) {
                files.push(path);
            }
        }
    }
    files
}

/// The yardstick: read domain.rng's files and parse each with roxmltree.
#[divan::bench(sample_count = 30)]
fn parse_domain_rng_files(bencher: divan::Bencher) {
    let Some(path) = domain_rng() else {
        println!("SKIPPED: domain.rng not found");
        return;
    };
    let files = schema_files(&path);
    bencher.bench(|| {
        let mut nodes = 0;
        for file in &files {
            let text = std::fs::read_to_string(divan::black_box(file)).unwrap_or_default();
            if let Ok(doc) = roxmltree::Document::parse(&text) {
                nodes += doc.descendants().count();
            }
        }
        nodes
    });
}

/// `(a|aa)*b` against 100 000 `a`s: no match, found in linear time.
#[divan::bench(sample_count = 20)]
fn xsd_regex_a_or_aa_star_b(bencher: divan::Bencher) {
    let input = "a".repeat(100_000);
    let Ok(re) = XsdRegex::new("(a|aa)*b") else {
        println!("SKIPPED: regex did not compile");
        return;
    };
    bencher.bench(|| re.is_match(divan::black_box(&input)));
}
