//! Schema compile time, in process: loading, simplifying, checking and
//! compiling libvirt's domain.rng (and its includes), plus the XSD regex
//! `(a|aa)*b` against 100 KB of `a`s (issue 5: answered in milliseconds).
//!
//! `cargo bench --bench compile`. Needs `../shared/libvirt-9.0.0` (or
//! `$LIBVIRT`); the domain benchmark is skipped without it.

use std::path::PathBuf;

use rngcheck::datatype::xsd::XsdRegex;
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
