//! Documents against the embedded libvirt domain schema
//! (`schemas/domaincommon.rng` with its includes), compiled once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

use rngcheck::internals::{decode, embedded_schema};
use rngcheck::{Schema, Validator};

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        embedded_schema().expect("the embedded schema compiles")
    })
}

thread_local! {
    /// One validator reused across inputs, as the CLI reuses one across files.
    static VALIDATOR: std::cell::RefCell<Validator<'static>> =
        std::cell::RefCell::new(schema().validator());
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    VALIDATOR.with(|v| {
        let _ = v.borrow_mut().validate_str(&text);
    });
});
