//! What errors say was expected: each row is a schema, an invalid document
//! and the names (or values) its first error lists.

use crate::testing::{check_all, expected_names, first_error};

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

/// `doc`'s first error against `schema`: its message and its hint.
fn check_hints(table: &[(&str, &str, &str, Option<&str>)]) {
    for (schema, doc, message, help) in table {
        let error = first_error(schema, doc);
        assert_eq!(
            (error.message.as_str(), error.help.as_deref()),
            (*message, *help),
            "schema {schema}\ndocument {doc}"
        );
    }
}

#[test]
fn misspelt_names_get_the_closest_expected_one() {
    let two = "element r { element source { empty } | element target { empty } }";
    check_hints(&[
        // One letter off, two letters off (a third of "source"), too far.
        (
            two,
            "<r><sorce/></r>",
            "element \"sorce\" not allowed here; expected element \"source\" or \"target\"",
            Some("did you mean \"source\"?"),
        ),
        (
            two,
            "<r><sorc/></r>",
            "element \"sorc\" not allowed here; expected element \"source\" or \"target\"",
            Some("did you mean \"source\"?"),
        ),
        (
            two,
            "<r><xyz/></r>",
            "element \"xyz\" not allowed here; expected element \"source\" or \"target\"",
            None,
        ),
        // The prefix is not part of the comparison.
        (
            "namespace p = \"urn:p\"\nelement r { element p:source { empty } }",
            "<r xmlns:q='urn:q'><q:sorce/></r>",
            "element \"q:sorce\" not allowed here; expected element \"{urn:p}source\"",
            None,
        ),
        // The right name in the wrong namespace is not its own hint, and a
        // wildcard's description is never offered as a name.
        (
            "element r { element a { empty } }",
            "<r><a xmlns='urn:x'/></r>",
            "element \"a\" not allowed here; expected element \"a\"; \"a\" is expected with no \
             namespace, but this one is in namespace \"urn:x\"",
            None,
        ),
        (
            "element r { element * - anyelement { empty } }",
            "<r><anyelement/></r>",
            "element \"anyelement\" not allowed here; expected element \"any element\"",
            None,
        ),
        // Attributes too.
        (
            "element r { attribute type { text }? }",
            "<r tipe='x'/>",
            "attribute \"tipe\" not allowed here; expected attribute \"type\"",
            Some("did you mean \"type\"?"),
        ),
    ]);
}

#[test]
fn mistyped_values_get_the_closest_literals() {
    let formats = "element r { attribute f { \"qcow\" | \"qcow2\" | \"raw\" | \"vmdk\" } }";
    check_hints(&[
        // Every literal at the smallest distance, no others.
        (
            formats,
            "<r f='qcow3'/>",
            "value \"qcow3\" of attribute \"f\" is invalid; must be equal to \"qcow\", \"qcow2\", \"raw\" or \"vmdk\"",
            Some("did you mean \"qcow\" or \"qcow2\"?"),
        ),
        (
            formats,
            "<r f='nothing'/>",
            "value \"nothing\" of attribute \"f\" is invalid; must be equal to \"qcow\", \"qcow2\", \"raw\" or \"vmdk\"",
            None,
        ),
        // Text content, compared without its surrounding spaces.
        (
            "element r { \"on\" | \"off\" }",
            "<r> of </r>",
            "character content \"of\" of element \"r\" is invalid; must be equal to \"off\" or \"on\"",
            Some("did you mean \"off\" or \"on\"?"),
        ),
    ]);
}

#[test]
fn misplaced_names_say_where_they_belong() {
    let schema =
        "start = element r { element a { c? }?, element b { c }?, element d { empty }? } | c\n\
                  c = element c { attribute x { text }? }";
    check_hints(&[
        // Every parent, nearest first, not the document element's place;
        // the wrapper that may be missing when it could start here.
        (
            schema,
            "<r><c/></r>",
            "element \"c\" not allowed here; it belongs in /r/a or /r/b: missing \"a\" around it?",
            None,
        ),
        (
            schema,
            "<r><a/><d/><c/></r>",
            "element \"c\" not allowed here; it belongs in /r/a or /r/b",
            None,
        ),
        // An attribute this element takes, only not a second time: no
        // "belongs on" for the element it is on.
        (
            "element r { element d { attribute x { text } }, element d { empty } }",
            "<r><d x='1'/><d x='2'/></r>",
            "attribute \"x\" not allowed here; element \"d\" takes no more attributes",
            None,
        ),
        // An attribute the element does not take, but another does (the
        // nearest place of each element pattern).
        (
            schema,
            "<r><d x='1'/></r>",
            "attribute \"x\" not allowed here; element \"d\" takes no more attributes",
            Some("attribute \"x\" belongs on /c"),
        ),
    ]);
}

#[test]
fn invalid_values_say_what_they_must_be() {
    check_all(&[
        (
            "element r { attribute a { list { xsd:int+ } } }",
            "<r a='x'/>",
            "value \"x\" of attribute \"a\" is invalid; must be a list of valid tokens",
        ),
        (
            "element r { attribute a { \"auto\" | xsd:int } }",
            "<r a='x'/>",
            "value \"x\" of attribute \"a\" is invalid; must be equal to \"auto\" or ",
        ),
    ]);
}

#[test]
fn incomplete_elements_name_what_every_completion_needs() {
    check_expected(&[
        // Both parts of a group or interleave, not only the first.
        (
            "element r { element a { empty }, element b { empty } }",
            "<r/>",
            &["a", "b"],
        ),
        (
            "element r { element a { empty } & element b { empty } }",
            "<r/>",
            &["a", "b"],
        ),
        // What every alternative of a choice needs.
        (
            "element r { (element a { empty }, element c { empty }) | \
             (element b { empty }, element c { empty }) }",
            "<r/>",
            &["c"],
        ),
        // A repeat needs its content once.
        (
            "element r { (element a { empty }, element b { empty })+ }",
            "<r/>",
            &["a", "b"],
        ),
        // After the first part, the rest of the group.
        (
            "element r { element a { empty }, element b { empty }, element c { empty } }",
            "<r><a/></r>",
            &["b", "c"],
        ),
        // A wildcard is not a name that is missing.
        (
            "element r { element * { empty }, element a { empty } }",
            "<r/>",
            &["a"],
        ),
    ]);
    check_all(&[(
        "element r { element a { empty }, element b { empty } }",
        "<r/>",
        "element \"r\" incomplete; missing required elements \"a\" and \"b\"",
    )]);
}

#[test]
fn a_very_deep_pattern_is_walked_only_to_a_bounded_depth() {
    // Groups inside interleaves inside groups (a group or interleave of
    // one kind is balanced, so only alternating kinds nest this deep), the
    // deep side on the right or on the left; the compact syntax allows 250
    // levels.
    let depth = 240;
    for deep_on_the_left in [false, true] {
        let mut schema = "element e { empty }".to_string();
        for i in 0..depth {
            let op = if i % 2 == 0 { "," } else { "&" };
            schema = if deep_on_the_left {
                format!("({schema}) {op} element e{i} {{ empty }}")
            } else {
                format!("element e{i} {{ empty }} {op} ({schema})")
            };
        }
        let schema = format!("element r {{ {schema} }}");
        let required = crate::testing::expected_names(&schema, "<r/>");
        assert!(
            (1..depth).contains(&required.len()),
            "{} names: the walk must stop at its depth guard",
            required.len()
        );
    }
}
