//! What errors say was expected: each row is a schema, an invalid document
//! and the names (or values) its first error lists.

use crate::testing::expected_names;

fn check_expected(table: &[(&str, &str, &[&str])]) {
    for (schema, doc, expected) in table {
        let got = expected_names(schema, doc);
        assert_eq!(&got, expected, "schema {schema}\ndocument {doc}");
    }
}

#[test]
fn expected_elements() {
    check_expected(&[
        // A choice lists both; a group only its first part until that
        // part may be left out.
        (
            "element r { element a { empty } | element b { empty } }",
            "<r><c/></r>",
            &["a", "b"],
        ),
        (
            "element r { element a { empty }, element b { empty } }",
            "<r><c/></r>",
            &["a"],
        ),
        (
            "element r { element a { empty }?, element b { empty } }",
            "<r><c/></r>",
            &["a", "b"],
        ),
        (
            "element r { element a { empty } & element b { empty } }",
            "<r><c/></r>",
            &["a", "b"],
        ),
        (
            "element r { element a { empty }+, element b { empty } }",
            "<r><a/><c/></r>",
            &["a", "b"],
        ),
        // Elements inside elements are not startable here.
        (
            "element r { element a { element z { empty } } }",
            "<r><z/></r>",
            &["a"],
        ),
        // Each name once, in order.
        (
            "element r { element a { empty } | element a { text } | element b { empty } }",
            "<r><c/></r>",
            &["a", "b"],
        ),
        // The document element.
        (
            "element r { empty } | element s { empty }",
            "<t/>",
            &["r", "s"],
        ),
    ]);
}

#[test]
fn expected_attributes() {
    check_expected(&[
        (
            "element r { attribute x { text }, attribute y { text } }",
            "<r/>",
            &["x", "y"],
        ),
        (
            "element r { attribute x { text }, attribute y { text }? }",
            "<r/>",
            &["x"],
        ),
        (
            "element r { attribute x { text } | attribute y { text } }",
            "<r/>",
            &["x", "y"],
        ),
        (
            "element r { attribute x { text }, attribute y { text }? }",
            "<r x='1' z='2'/>",
            &["y"],
        ),
    ]);
}

#[test]
fn expected_values() {
    check_expected(&[
        (
            "element r { attribute x { \"a\" | \"b\" } }",
            "<r x='c'/>",
            &["a", "b"],
        ),
        (
            "element r { \"on\" | \"off\" }",
            "<r>maybe</r>",
            &["off", "on"],
        ),
    ]);
}
