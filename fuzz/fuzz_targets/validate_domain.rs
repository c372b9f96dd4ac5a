//! Documents against the embedded libvirt domain schema
//! (`schemas/domaincommon.rng` with its includes), compiled once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rngcheck::loader::{decode_text, MemLoader};
use rngcheck::validate::Validator;
use rngcheck::Schema;

const FILES: &[(&str, &str)] = &[
    (
        "domaincommon.rng",
        include_str!("../../schemas/domaincommon.rng"),
    ),
    (
        "basictypes.rng",
        include_str!("../../schemas/basictypes.rng"),
    ),
    (
        "storagecommon.rng",
        include_str!("../../schemas/storagecommon.rng"),
    ),
];

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut loader = MemLoader::new(
            FILES
                .iter()
                .map(|(name, text)| (PathBuf::from("/embedded").join(name), text.to_string())),
        );
        Schema::load_with(Path::new("/embedded/domaincommon.rng"), &mut loader, None)
            .expect("the embedded schema compiles")
    })
}

thread_local! {
    /// One validator reused across inputs, as the CLI reuses one across files.
    static VALIDATOR: std::cell::RefCell<Validator<'static>> =
        std::cell::RefCell::new(schema().validator());
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode_text(data) else {
        return;
    };
    VALIDATOR.with(|v| {
        let _ = rngcheck::validate_text(&mut v.borrow_mut(), &text);
    });
});
