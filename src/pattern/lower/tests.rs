//! Lowering (§4.11–4.19): each row a schema refused with the rule's
//! message, or a near neighbour that compiles.

use std::path::{Path, PathBuf};

use crate::coverage::Hits;
use crate::loader::MemLoader;
use crate::schema::LoadOptions;
use crate::testing::{check, check_refused, compile};
use crate::Schema;

#[test]
fn attributes_named_xmlns_are_refused() {
    for schema in [
        "element r { attribute xmlns { text } }",
        "element r { attribute (a | xmlns) { text } }",
        "namespace x = \"http://www.w3.org/2000/xmlns\"\nelement r { attribute x:a { text } }",
        "element r { attribute * - xmlns { text }+ }",
    ] {
        check_refused(
            schema,
            "attributes named xmlns or in the xmlns namespace are not allowed",
        );
    }
    check_refused(
        "namespace x = \"http://www.w3.org/2000/xmlns\"\nelement r { attribute x:* { text }+ }",
        "attributes in the xmlns namespace are not allowed",
    );
    // An element may be named so, and an attribute in another namespace.
    check(
        "element r { element xmlns { empty } }",
        "<r><xmlns/></r>",
        "valid",
    );
    assert!(compile(&[(
        "main.rnc",
        "namespace x = \"urn:x\"\nelement r { attribute x:xmlns { text } }"
    )])
    .is_ok());
}

#[test]
fn unreachable_defines_report_their_errors_but_not_recursion() {
    // §4.19 removes them before the recursion rule applies.
    check("start = element r { empty }\na = a", "<r/>", "valid");
    check(
        "start = element r { empty }\na = b\nb = element b { a }? | a",
        "<r/>",
        "valid",
    );
    check_refused(
        "start = element r { empty }\na = element a { b }",
        "reference to undefined pattern \"b\"",
    );
}

#[test]
fn a_bad_datatype_parameter_is_pointed_at() {
    let schema = "element r { xsd:int { maxLength = \"3\" } }";
    let errors = compile(&[("main.rnc", schema)]).unwrap_err();
    let at = schema.find("maxLength").unwrap();
    assert!(
        errors[0].starts_with("rngcheck::schema::datatype")
            && errors[0].ends_with(&format!("@Some({at})")),
        "{errors:?}"
    );
}

#[test]
fn coverage_items_are_the_patterns_written_not_the_constants() {
    // `empty?` is `empty` itself, shared by every place: not an item.
    let schema = "element r { attribute a { text }?, empty? }";
    let mut loader = MemLoader::new([(PathBuf::from("main.rnc"), schema.to_string())]);
    let options = LoadOptions {
        coverage: true,
        ..LoadOptions::default()
    };
    let schema = Schema::load_with_options(Path::new("main.rnc"), &mut loader, options).unwrap();
    let items: Vec<(&str, &str)> = Schema::merged_coverage([(&schema, &Hits::default())])
        .into_iter()
        .map(|item| (item.kind.word(), item.name))
        .collect();
    assert_eq!(items.len(), 3, "{items:?}");
    for (kind, name) in [("element", "r"), ("attribute", "a"), ("optional", "")] {
        assert!(
            items
                .iter()
                .any(|(k, n)| *k == kind && (name.is_empty() || *n == name)),
            "{kind} {name} in {items:?}"
        );
    }
}
