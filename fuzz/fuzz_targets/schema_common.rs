//! Shared by the two schema-loading targets: the input is served as the
//! main schema from memory, beside small grammars it may include or
//! reference (`other.rng`, `other.rnc`); a schema that loads then validates
//! a few documents.

use std::path::{Path, PathBuf};

use rngcheck::internals::{decode, load_from_memory};

/// Served as `other.rng`.
const OTHER: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><element name="doc"><ref name="d"/></element></start>
  <define name="d"><zeroOrMore><element name="item"><attribute name="n"><data type="integer"/></attribute></element></zeroOrMore></define>
</grammar>"#;

/// Served as `other.rnc`.
const OTHER_RNC: &str = r#"datatypes xsd = "http://www.w3.org/2001/XMLSchema-datatypes"
start = element doc { d }
d = element item { attribute n { xsd:integer } }*
"#;

const DOCS: &[&str] = &[
    "<doc/>",
    "<doc><item n=\"1\"/><item n=\"x\">text</item></doc>",
    "<a xmlns=\"urn:x\" b=\"c\"><d/>t</a>",
];

/// Loads `data` as the schema `/s/<name>` (its extension picks the syntax)
/// and validates the sample documents if it loads.
pub fn load_and_validate(name: &'static str, data: &[u8]) {
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    // Like the CLI: the schema compiler runs on a thread with a big stack.
    let worker = std::thread::Builder::new()
        .stack_size(512 * 1024 * 1024)
        .spawn(move || {
            let main = PathBuf::from("/s").join(name);
            let files = vec![
                (main.clone(), text),
                (PathBuf::from("/s/other.rng"), OTHER.to_string()),
                (PathBuf::from("/s/other.rnc"), OTHER_RNC.to_string()),
            ];
            if let Ok(schema) = load_from_memory(Path::new(&main), files) {
                let mut validator = schema.validator();
                for doc in DOCS {
                    let _ = validator.validate_str(doc);
                }
            }
        })
        .expect("spawn");
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}
