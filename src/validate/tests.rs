//! The validator's choices after a failure: which error each wrong
//! element gets, and how it recovers. Each row is a schema, a document and
//! every error's message, exactly.

use crate::testing::all_errors;

fn check_errors(table: &[(&str, &str, &[&str])]) {
    for (schema, doc, expected) in table {
        assert_eq!(
            all_errors(schema, doc),
            *expected,
            "schema {schema}\ndocument {doc}"
        );
    }
}

/// `c` belongs in `/r/a` (or `/r/b`), not directly in `r`.
const PLACES: &str =
    "start = element r { element a { c* }?, element b { c }?, element d { empty }? }\n\
                      c = element c { element e { empty } }";

#[test]
fn an_element_allowed_elsewhere_says_where() {
    check_errors(&[
        (
            PLACES,
            "<r><c><e/></c></r>",
            &["element \"c\" not allowed here; it belongs in /r/a or /r/b: missing \"a\" around it?"],
        ),
        // A run of siblings missing one wrapper is one error.
        (
            PLACES,
            "<r><c><e/></c><c><e/></c></r>",
            &["element \"c\" not allowed here; it belongs in /r/a or /r/b: missing \"a\" around it?"],
        ),
        // Its content is still checked against its own definition.
        (
            PLACES,
            "<r><c/></r>",
            &[
                "element \"c\" not allowed here; it belongs in /r/a or /r/b: missing \"a\" around it?",
                "element \"c\" incomplete; missing required element \"e\"",
            ],
        ),
        // Where it is allowed but not now, the message says what is.
        (
            PLACES,
            "<r><d/><a/></r>",
            &["element \"a\" not allowed here; expected the element end-tag"],
        ),
    ]);
}

#[test]
fn a_repeated_element_says_it_is_already_given() {
    check_errors(&[(
        "element r { element a { empty }, element b { empty }? }",
        "<r><a/><a/></r>",
        &["element \"a\" not allowed here; \"a\" is already given and only one is allowed"],
    )]);
}

#[test]
fn inside_a_misplaced_element_a_misplaced_one_is_skipped() {
    // The second level is reported; what is inside it is not checked, so
    // a deep run of them is two errors, not one per level.
    check_errors(&[(
        PLACES,
        "<r><c><c><c><c/></c></c><e/></c></r>",
        &[
            "element \"c\" not allowed here; it belongs in /r/a or /r/b: missing \"a\" around it?",
            "element \"c\" not allowed here; it belongs in /r/a or /r/b",
        ],
    )]);
}

/// `count` empty `x` elements, then `rest`, inside `r`.
fn after_many(count: usize, rest: &str) -> String {
    format!("<r>{}{rest}</r>", "<x/>".repeat(count))
}

#[test]
fn each_element_remembers_a_bounded_number_of_children() {
    let kept = super::CHILDREN_KEPT;
    let schema = "element r { element x { empty }*, element a { empty }, element b { empty }? }";
    // The last child remembered is found again when repeated; the first
    // one past the bound is not (its repetition gets the plain message).
    check_errors(&[
        (
            schema,
            &after_many(kept - 1, "<a/><a/>"),
            &["element \"a\" not allowed here; \"a\" is already given and only one is allowed"],
        ),
        (
            schema,
            &after_many(kept, "<a/><a/>"),
            &["element \"a\" not allowed here; expected element \"b\""],
        ),
    ]);
    // The bound is per element: the children of a late sibling count from
    // their own start.
    let schema = "element r { element x { empty }*, element p { element a { empty }, element b { empty }? } }";
    check_errors(&[(
        schema,
        &after_many(kept - 10, "<p><a/><a/></p>"),
        &["element \"a\" not allowed here; \"a\" is already given and only one is allowed"],
    )]);
}

#[test]
fn ids_and_references_are_checked() {
    let schema = "element r { element a { attribute id { xsd:ID } }*, \
                  element b { attribute to { xsd:IDREF } }* }";
    check_errors(&[
        (schema, "<r><a id='x'/><a id='y'/><b to='y'/></r>", &[]),
        (
            schema,
            "<r><a id='x'/><a id='x'/><b to='z'/></r>",
            &[
                "ID \"x\" has already been defined",
                "IDREF \"z\" without matching ID",
            ],
        ),
    ]);
}

#[test]
fn invalid_text_is_one_error_reported_at_the_end_tag() {
    // The content is not also reported incomplete; the error is noticed
    // where the element ends, as jing reports it.
    let schema = "element r { element v { xsd:int }, element w { empty } }";
    let doc = "<r><v>x</v><w/></r>";
    check_errors(&[(
        schema,
        doc,
        &["character content \"x\" of element \"v\" is invalid; must be an integer"],
    )]);
    let error = crate::testing::first_error(schema, doc);
    assert_eq!(error.at, doc.find("<w/>").unwrap());
}

#[test]
fn whitespace_alone_is_the_element_s_text() {
    check_errors(&[
        ("element r { string \" \" }", "<r> </r>", &[]),
        (
            "element r { string \" \" }",
            "<r></r>",
            &["element \"r\" is empty; must be equal to \" \""],
        ),
    ]);
}

#[test]
fn paths_compare_by_namespace_not_prefix() {
    // `c` is allowed in this very element, only not after `e`: no
    // "belongs in" for the place it is in.
    check_errors(&[(
        "namespace p = \"urn:p\"\n\
         element p:r { element c { empty }?, element p:e { empty }? }",
        "<p:r xmlns:p='urn:p'><p:e/><c/></p:r>",
        &["element \"c\" not allowed here; expected the element end-tag"],
    )]);
}
