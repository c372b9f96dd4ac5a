//! Times validating a corpus in process, beside the parse-only floor.
//!
//! `cargo bench --bench corpus -- [--domain]
//! [--mode validate|parse|both|warm|stream|all] [--rounds N]`: reads
//! libvirt's manifest (`$LIBVIRT`, default `../shared/libvirt-9.0.0`), loads
//! every schema it names once, reads every document into memory, then times,
//! best of N rounds (10 by default):
//!
//! - `parse`: roxmltree parsing each document and nothing else (the floor);
//! - `validate`: `Validator::validate_str` on each document (parse + validate),
//!   one fresh `Validator` per schema each round, reused across that round's
//!   documents, as a CLI run does; with `both` and `all`, floor and
//!   validation take turns within each round;
//! - `warm`: like `validate`, but one `Validator` per schema kept across
//!   rounds (`WARM_ROUNDS`, default 4), printing every round against the
//!   best floor: the first is cold, the later ones show the steady state
//!   once the memos are warm;
//! - `stream`: `Validator::validate_reader` on each document, and a check that
//!   its verdicts, messages, offsets and line:col agree with `validate_str`
//!   (mismatches are listed; `both` and `all` include the check).
//!
//! Prints times and the ratio validate/floor. Never asserts a timing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rngcheck::{InvalidDocument, Schema};

struct Args {
    domain_only: bool,
    mode: String,
    rounds: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        domain_only: false,
        mode: "both".to_string(),
        rounds: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--domain" => args.domain_only = true,
            "--mode" => args.mode = it.next().unwrap_or_else(|| "both".to_string()),
            "--rounds" => {
                args.rounds = it.next().and_then(|n| n.parse().ok()).unwrap_or(10).max(1);
            }
            // `cargo bench` passes `--bench`; ignore it and anything unknown.
            _ => {}
        }
    }
    args
}

fn main() {
    let args = parse_args();
    let root = PathBuf::from(
        std::env::var("LIBVIRT").unwrap_or_else(|_| "../shared/libvirt-9.0.0".to_string()),
    );
    let Ok(manifest) = std::fs::read_to_string(root.join("manifest.tsv")) else {
        println!("SKIPPED: {} not found", root.join("manifest.tsv").display());
        return;
    };
    // schema path → documents' text
    let mut by_schema: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bytes = 0usize;
    for line in manifest.lines() {
        let mut fields = line.split('\t');
        let (Some(schema), Some(doc)) = (fields.next(), fields.next()) else {
            continue;
        };
        if args.domain_only && schema != "src/conf/schemas/domain.rng" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(doc)) else {
            continue;
        };
        bytes += text.len();
        by_schema.entry(schema.to_string()).or_default().push(text);
    }
    let schemas: Vec<(Schema, &Vec<String>)> = by_schema
        .iter()
        .filter_map(|(path, docs)| Schema::load(root.join(path)).ok().map(|s| (s, docs)))
        .collect();
    let docs: usize = schemas.iter().map(|(_, d)| d.len()).sum();
    println!(
        "corpus: {docs} documents, {:.1} MB, {} schemas",
        bytes as f64 / 1e6,
        schemas.len()
    );

    let parse_round = || {
        let mut n = 0;
        for (_, docs) in &schemas {
            for text in docs.iter() {
                let options = roxmltree::ParsingOptions {
                    allow_dtd: true,
                    ..roxmltree::ParsingOptions::default()
                };
                if let Ok(doc) = roxmltree::Document::parse_with_options(text, options) {
                    n += doc.descendants().count();
                }
            }
        }
        n
    };
    // One `Validator` per schema, made fresh: a round as a CLI run has it.
    let cold_round = || {
        let mut valid = 0;
        for (schema, docs) in &schemas {
            let mut v = schema.validator();
            for text in docs.iter() {
                if v.validate_str(text).is_ok() {
                    valid += 1;
                }
            }
        }
        valid
    };

    let mode = args.mode.as_str();
    if matches!(mode, "parse" | "validate" | "both" | "all") {
        // The floor and the cold validation take turns within each round, so
        // load from elsewhere falls on both alike; the best of each is kept.
        let parse = matches!(mode, "parse" | "both" | "all");
        let validate = matches!(mode, "validate" | "both" | "all");
        let (mut floor, mut cold) = (Duration::MAX, Duration::MAX);
        let (mut first_floor, mut first_cold) = (None, None);
        let (mut nodes, mut valid) = (0, 0);
        for _ in 0..args.rounds {
            if parse {
                let start = Instant::now();
                nodes = parse_round();
                floor = floor.min(start.elapsed());
                first_floor.get_or_insert(start.elapsed());
            }
            if validate {
                let start = Instant::now();
                valid = cold_round();
                cold = cold.min(start.elapsed());
                first_cold.get_or_insert(start.elapsed());
            }
        }
        if parse {
            println!(
                "parse only (roxmltree, the floor): {:8.2} ms  ({nodes} nodes)",
                ms(floor)
            );
        }
        if validate {
            println!(
                "parse + validate (rngcheck):       {:8.2} ms  ({valid}/{docs} valid)",
                ms(cold)
            );
        }
        if parse && validate {
            println!(
                "ratio validate/floor: {:.2}x (best of {} rounds each, taking turns)",
                cold.as_secs_f64() / floor.as_secs_f64(),
                args.rounds
            );
            // Later rounds reuse what a schema compiles lazily (XSD regexes
            // on their first match); the first round pays for it, as a CLI
            // run does. One sample each, so it is set beside the floor's
            // first round, taken just before it (the host's speed drifts).
            if let (Some(first), Some(first_floor)) = (first_cold, first_floor) {
                println!(
                    "first rounds alone:                {:8.2} ms vs {:.2} ms  ({:.2}x)",
                    ms(first),
                    ms(first_floor),
                    first.as_secs_f64() / first_floor.as_secs_f64()
                );
            }
        }
    }
    if mode == "stream" || mode == "all" {
        let mut mismatches = 0;
        for (schema, docs) in &schemas {
            let mut tree = schema.validator();
            let mut streamed = schema.validator();
            for text in docs.iter() {
                let a = summary(&tree.validate_str(text));
                let b = summary(&streamed.validate_reader(text.as_bytes()));
                if a != b {
                    mismatches += 1;
                    if mismatches <= 5 {
                        println!("stream mismatch:\n  tree:   {a:?}\n  stream: {b:?}");
                    }
                }
            }
        }
        println!(
            "streaming agrees with tree mode on {} of {docs} documents",
            docs - mismatches
        );
        let mut best = Duration::MAX;
        let mut valid = 0;
        for _ in 0..args.rounds {
            let start = Instant::now();
            valid = 0;
            for (schema, docs) in &schemas {
                let mut v = schema.validator();
                for text in docs.iter() {
                    if v.validate_reader(text.as_bytes()).is_ok() {
                        valid += 1;
                    }
                }
            }
            best = best.min(start.elapsed());
        }
        println!(
            "stream + validate (rngcheck):      {:8.2} ms  ({valid}/{docs} valid)",
            ms(best)
        );
    }
    if mode == "warm" || mode == "all" {
        let floor = (0..args.rounds)
            .map(|_| {
                let start = Instant::now();
                parse_round();
                start.elapsed()
            })
            .min()
            .unwrap_or(Duration::MAX);
        let mut vs: Vec<_> = schemas.iter().map(|(s, _)| s.validator()).collect();
        for r in 0..std::env::var("WARM_ROUNDS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(4)
        {
            let start = Instant::now();
            let mut valid = 0;
            for ((_, docs), v) in schemas.iter().zip(vs.iter_mut()) {
                for text in docs.iter() {
                    if v.validate_str(text).is_ok() {
                        valid += 1;
                    }
                }
            }
            let t = start.elapsed();
            println!(
                "validators kept, round {r}:       {:8.2} ms  ({valid}/{docs} valid, {:.2}x the floor)",
                ms(t),
                t.as_secs_f64() / floor.as_secs_f64()
            );
        }
    }
}

fn ms(t: Duration) -> f64 {
    t.as_secs_f64() * 1e3
}

/// Verdict, and per error: message, offset and line:col.
type Summary = (String, Vec<(String, usize, (u32, u32))>);

/// Verdict, and per error: message, offset and line:col.
fn summary(verdict: &Result<(), InvalidDocument>) -> Summary {
    let invalid = match verdict {
        Ok(()) => return ("valid".to_string(), Vec::new()),
        // Parsers word these differently; the verdict is what must agree.
        Err(e) if !e.is_well_formed() => return ("not well-formed".to_string(), Vec::new()),
        Err(e) => e,
    };
    let list = invalid
        .errors()
        .iter()
        .map(|e| {
            let start = e.span().map_or(0, |s| s.start);
            let lc = e.line_col().unwrap_or((0, 0));
            (e.message().to_string(), start, lc)
        })
        .collect();
    ("invalid".to_string(), list)
}
