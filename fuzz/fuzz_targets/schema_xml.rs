//! Schema loading from the XML syntax (see `schema_common.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "schema_common.rs"]
mod schema_common;

fuzz_target!(|data: &[u8]| schema_common::load_and_validate("schema.rng", data));
