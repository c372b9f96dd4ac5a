//! Lowering (§4.11–4.19): each row a schema refused with the rule's
//! message, or a near neighbour that compiles.

use crate::testing::{check, check_refused, compile};

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
