//! Validates one document file, in tree or streaming mode, and prints the
//! time; run under `/usr/bin/time -f %M` by `benches/scaling.sh` to get peak
//! RSS. `stream SCHEMA DOC [tree|stream]` (cargo passes `--bench`, ignored).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use rngcheck::Schema;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(schema), Some(doc)) = (args.first(), args.get(1)) else {
        println!("usage: stream SCHEMA DOC [tree|stream]");
        return ExitCode::SUCCESS;
    };
    let mode = args.get(2).map(String::as_str).unwrap_or("stream");
    let schema = match Schema::load(PathBuf::from(schema)) {
        Ok(s) => s,
        Err(e) => {
            println!("schema errors: {}", e.errors().len());
            return ExitCode::from(3);
        }
    };
    let mut v = schema.validator();
    let start = Instant::now();
    let outcome = match mode {
        "tree" => match std::fs::read_to_string(doc) {
            Ok(text) => v.validate_str(&text),
            Err(e) => {
                println!("cannot read {doc}: {e}");
                return ExitCode::from(2);
            }
        },
        _ => match std::fs::File::open(doc) {
            Ok(file) => v.validate_reader(file),
            Err(e) => {
                println!("cannot read {doc}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let verdict = match &outcome {
        Ok(()) => "valid".to_string(),
        Err(e) if !e.is_well_formed() => format!("not well-formed: {}", e.errors()[0]),
        Err(e) => format!(
            "invalid ({} errors; first: {})",
            e.errors().len(),
            e.errors()[0]
        ),
    };
    println!("{mode}: {:.3} s, {verdict}", start.elapsed().as_secs_f64());
    if outcome.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
