//! Schemas that make naive validators explode, at growing N: the time to
//! compile the schema and validate a matching document, in process, with
//! the growth factor from one N to the next (doubling N: ~2 means linear,
//! ~4 quadratic; exponential blow-up would show as factors that keep
//! growing). Prints only; never asserts a timing.
//!
//! - `interleave`: N distinct elements interleaved, nested two by two
//!   (`a1 & (a2 & (a3 & ...))`), document with them in reverse order;
//! - `choice`: N overlapping alternatives `(x, y1) | (x, y2) | ... | (x, yN)`
//!   under `oneOrMore`, document with N of them, each a different one;
//! - `a_or_aa`: element content `(a | (a, a))*, b` against N `a`s then `b`
//!   (the `(a|aa)*b` shape, over elements);
//! - `deep_optional`: N nested optional groups `(a, (a, (a, ...)?)?)?` against
//!   N `a`s.

use std::time::{Duration, Instant};

use rngcheck::{Schema, Syntax};

const RNG: &str = "http://relaxng.org/ns/structure/1.0";

fn schema(body: &str) -> String {
    format!(r#"<element name="root" xmlns="{RNG}">{body}</element>"#)
}

fn el(name: &str) -> String {
    format!(r#"<element name="{name}"><empty/></element>"#)
}

fn interleave(n: usize) -> (String, String) {
    let mut body = el(&format!("a{n}"));
    for i in (1..n).rev() {
        body = format!("<interleave>{}{body}</interleave>", el(&format!("a{i}")));
    }
    let doc: String = (1..=n).rev().map(|i| format!("<a{i}/>")).collect();
    (schema(&body), format!("<root>{doc}</root>"))
}

fn choice(n: usize) -> (String, String) {
    let alternatives: String = (1..=n)
        .map(|i| format!("<group>{}{}</group>", el("x"), el(&format!("y{i}"))))
        .collect();
    let body = format!("<oneOrMore><choice>{alternatives}</choice></oneOrMore>");
    let doc: String = (1..=n).map(|i| format!("<x/><y{i}/>")).collect();
    (schema(&body), format!("<root>{doc}</root>"))
}

fn a_or_aa(n: usize) -> (String, String) {
    let a = el("a");
    let body = format!(
        "<zeroOrMore><choice>{a}<group>{a}{a}</group></choice></zeroOrMore>{}",
        el("b")
    );
    let doc = format!("<root>{}<b/></root>", "<a/>".repeat(n));
    (schema(&body), doc)
}

fn deep_optional(n: usize) -> (String, String) {
    let mut body = String::new();
    for _ in 0..n {
        body = format!("<optional>{}{body}</optional>", el("a"));
    }
    let doc = format!("<root>{}</root>", "<a/>".repeat(n));
    (schema(&body), doc)
}

/// Compile + validate, best of 3; `None` if the schema was refused or the
/// document found invalid (a bug: every case is valid).
fn run(schema_text: &str, doc: &str) -> Option<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let schema = Schema::from_str(schema_text, Syntax::Xml).ok()?;
        let mut v = schema.validator();
        if v.validate_str(doc).is_err() {
            return None;
        }
        best = best.min(start.elapsed());
    }
    Some(best)
}

fn main() {
    type Case = (
        &'static str,
        fn(usize) -> (String, String),
        &'static [usize],
    );
    let cases: [Case; 4] = [
        ("interleave", interleave, &[8, 16, 32, 64, 128, 256, 512]),
        ("choice", choice, &[16, 32, 64, 128, 256, 512]),
        (
            "a_or_aa",
            a_or_aa,
            &[1_000, 2_000, 4_000, 8_000, 16_000, 32_000],
        ),
        ("deep_optional", deep_optional, &[16, 32, 64, 128, 256, 512]),
    ];
    // Only the named cases when arguments are given (cargo passes --bench).
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    for (name, make, sizes) in cases {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        println!("{name}:");
        let mut previous: Option<Duration> = None;
        for &n in sizes {
            let (schema_text, doc) = make(n);
            match run(&schema_text, &doc) {
                Some(t) => {
                    let growth = previous
                        .map(|p| format!("x{:.2}", t.as_secs_f64() / p.as_secs_f64()))
                        .unwrap_or_default();
                    println!("  N={n:>6}  {:10.3} ms  {growth}", t.as_secs_f64() * 1e3);
                    previous = Some(t);
                }
                None => {
                    println!("  N={n:>6}  FAILED (schema refused or document invalid)");
                    previous = None;
                }
            }
        }
    }
}
