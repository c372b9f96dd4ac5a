//! Derivatives, one table per pattern kind: each row is a compact schema, a
//! document and the verdict (`valid`, or part of the first error).

use crate::testing::{check_all, expected_names};

#[test]
fn group_takes_its_parts_in_order() {
    check_all(&[
        (
            "element r { element a { empty }, element b { empty } }",
            "<r><a/><b/></r>",
            "valid",
        ),
        (
            "element r { element a { empty }, element b { empty } }",
            "<r><b/><a/></r>",
            "element \"b\" not allowed here",
        ),
        (
            "element r { element a { empty }, element b { empty } }",
            "<r><a/></r>",
            "incomplete",
        ),
        (
            "element r { element a { empty }, element b { empty } }",
            "<r><a/><b/><b/></r>",
            "element \"b\" not allowed here",
        ),
        (
            "element r { element a { empty }, element b { empty }? }",
            "<r><a/></r>",
            "valid",
        ),
        (
            "element r { element a { empty }?, element b { empty } }",
            "<r><b/></r>",
            "valid",
        ),
        (
            "element r { empty }",
            "<r><a/></r>",
            "element \"a\" not allowed",
        ),
        ("element r { empty }", "<r/>", "valid"),
        (
            "element r { notAllowed }",
            "<r/>",
            "element \"r\" not allowed",
        ),
    ]);
}

#[test]
fn interleave_takes_its_parts_in_any_order() {
    let schema = "element r { element a { empty } & element b { empty } }";
    check_all(&[
        (schema, "<r><a/><b/></r>", "valid"),
        (schema, "<r><b/><a/></r>", "valid"),
        (schema, "<r><a/></r>", "incomplete"),
        (schema, "<r><b/></r>", "incomplete"),
        (
            schema,
            "<r><a/><a/><b/></r>",
            "element \"a\" not allowed here",
        ),
        (
            "element r { (element a { empty }, element b { empty }) & element c { empty } }",
            "<r><a/><c/><b/></r>",
            "valid",
        ),
        (
            "element r { (element a { empty }, element b { empty }) & element c { empty } }",
            "<r><b/><c/><a/></r>",
            "element \"b\" not allowed here",
        ),
        (
            "element r { element a { empty }* & element b { empty } }",
            "<r><a/><b/><a/></r>",
            "valid",
        ),
        (
            "element r { element a { empty }* & element b { empty } }",
            "<r><a/><a/></r>",
            "incomplete",
        ),
        (
            "element r { attribute x { text } & attribute y { text } }",
            "<r y='1' x='2'/>",
            "valid",
        ),
    ]);
}

#[test]
fn choice_takes_one_branch() {
    let schema = "element r { element a { empty } | element b { empty } }";
    check_all(&[
        (schema, "<r><a/></r>", "valid"),
        (schema, "<r><b/></r>", "valid"),
        (schema, "<r><a/><b/></r>", "element \"b\" not allowed here"),
        (schema, "<r/>", "incomplete"),
        (schema, "<r><c/></r>", "element \"c\" not allowed"),
        ("element r { element a { empty } | empty }", "<r/>", "valid"),
        ("element r { element a { empty } | text }", "<r>hi</r>", "valid"),
        ("element r { element a { empty } | notAllowed }", "<r><a/></r>", "valid"),
        ("element r { (element a { empty }, element b { empty }) | element a { element c { empty } } }", "<r><a><c/></a></r>", "valid"),
        ("element r { (element a { empty }, element b { empty }) | element a { element c { empty } } }", "<r><a/><b/></r>", "valid"),
    ]);
}

#[test]
fn one_or_more_repeats_at_least_once() {
    check_all(&[
        ("element r { element a { empty }+ }", "<r><a/></r>", "valid"),
        (
            "element r { element a { empty }+ }",
            "<r><a/><a/><a/></r>",
            "valid",
        ),
        ("element r { element a { empty }+ }", "<r/>", "incomplete"),
        ("element r { element a { empty }* }", "<r/>", "valid"),
        (
            "element r { (element a { empty }, element b { empty })+ }",
            "<r><a/><b/><a/><b/></r>",
            "valid",
        ),
        (
            "element r { (element a { empty }, element b { empty })+ }",
            "<r><a/><b/><a/></r>",
            "incomplete",
        ),
        (
            "element r { (element a { empty }, element b { empty })+ }",
            "<r><a/><a/></r>",
            "element \"a\" not allowed here",
        ),
        (
            "element r { element a { empty }+, element b { empty } }",
            "<r><a/><a/><b/></r>",
            "valid",
        ),
        (
            "element r { element a { empty }+, element b { empty } }",
            "<r><a/><b/><a/></r>",
            "element \"a\" not allowed here",
        ),
    ]);
}

#[test]
fn attributes_match_in_any_order_once_each() {
    let schema = "element r { attribute x { text }, attribute y { xsd:integer }? }";
    check_all(&[
        (schema, "<r x='a'/>", "valid"),
        (schema, "<r y='2' x='a'/>", "valid"),
        (schema, "<r/>", "missing required attribute \"x\""),
        (
            schema,
            "<r x='a' z='1'/>",
            "attribute \"z\" not allowed here",
        ),
        (
            schema,
            "<r x='a' y='two'/>",
            "value \"two\" of attribute \"y\" is invalid",
        ),
        (
            "element r { attribute x { \"a\" | \"b\" } }",
            "<r x=' b '/>",
            "valid",
        ),
        (
            "element r { attribute x { \"a\" | \"b\" } }",
            "<r x='c'/>",
            "of attribute \"x\" is invalid",
        ),
        ("element r { attribute x { empty } }", "<r x=''/>", "valid"),
        (
            "element r { attribute x { empty } }",
            "<r x='1'/>",
            "is invalid",
        ),
        (
            "element r { attribute * { text }* }",
            "<r p='1' q='2'/>",
            "valid",
        ),
        (
            "element r { attribute x { text }, element a { attribute x { text } } }",
            "<r x='1'><a/></r>",
            "missing required attribute \"x\"",
        ),
        (
            "element r { attribute x { text } | attribute y { text } }",
            "<r x='1' y='2'/>",
            "attribute \"y\" not allowed here",
        ),
        (
            "element r { attribute x { text } | attribute y { text } }",
            "<r y='2'/>",
            "valid",
        ),
    ]);
}

#[test]
fn lists_split_on_whitespace() {
    let schema = "element r { list { xsd:integer, xsd:integer+ } }";
    check_all(&[
        (schema, "<r> 1  2\n3 </r>", "valid"),
        (schema, "<r>1</r>", "is invalid"),
        (schema, "<r>1 x</r>", "is invalid"),
        ("element r { list { xsd:integer* } }", "<r/>", "valid"),
        ("element r { list { xsd:integer* } }", "<r>  </r>", "valid"),
        ("element r { list { \"a\", \"b\" } }", "<r>a b</r>", "valid"),
        (
            "element r { list { \"a\", \"b\" } }",
            "<r>b a</r>",
            "is invalid",
        ),
        (
            "element r { attribute x { list { token, token } } }",
            "<r x='p q'/>",
            "valid",
        ),
        (
            "element r { attribute x { list { token, token } } }",
            "<r x='p'/>",
            "is invalid",
        ),
    ]);
}

#[test]
fn data_and_except() {
    check_all(&[
        ("element r { xsd:integer }", "<r> 42 </r>", "valid"),
        ("element r { xsd:integer }", "<r>4 2</r>", "is invalid"),
        (
            "element r { xsd:integer }",
            "<r/>",
            "is empty; must be an integer",
        ),
        (
            "element r { xsd:integer { minInclusive = \"3\" } }",
            "<r>2</r>",
            "is invalid",
        ),
        (
            "element r { xsd:integer { minInclusive = \"3\" } }",
            "<r>3</r>",
            "valid",
        ),
        ("element r { xsd:string - \"no\" }", "<r>yes</r>", "valid"),
        (
            "element r { xsd:string - \"no\" }",
            "<r>no</r>",
            "is invalid",
        ),
        (
            "element r { xsd:token - (\"a\" | \"b\") }",
            "<r> b </r>",
            "is invalid",
        ),
        (
            "element r { xsd:token - (\"a\" | \"b\") }",
            "<r>c</r>",
            "valid",
        ),
        ("element r { string \"a b\" }", "<r>a b</r>", "valid"),
        ("element r { string \"a b\" }", "<r>a  b</r>", "is invalid"),
        ("element r { token \"a b\" }", "<r> a  b </r>", "valid"),
        ("element r { text }", "<r>x<!--c-->y</r>", "valid"),
        (
            "element r { text }",
            "<r>x<a/></r>",
            "element \"a\" not allowed",
        ),
        ("element r { xsd:integer }", "<r>1<!--c-->2</r>", "valid"),
    ]);
}

#[test]
fn mixed_allows_text_between_elements() {
    let schema = "element r { mixed { element a { empty }, element b { empty } } }";
    check_all(&[
        (schema, "<r>x<a/>y<b/>z</r>", "valid"),
        (schema, "<r><a/><b/></r>", "valid"),
        (
            schema,
            "<r>x<b/>y<a/></r>",
            "element \"b\" not allowed here",
        ),
        (
            "element r { element a { empty } }",
            "<r>x<a/></r>",
            "text not allowed",
        ),
        (
            "element r { element a { empty } }",
            "<r> <a/>\n</r>",
            "valid",
        ),
        ("element r { empty }", "<r>x</r>", "text not allowed"),
    ]);
}

#[test]
fn errors_name_what_was_expected() {
    let schema = "element r { element a { empty } | element b { empty } }";
    assert_eq!(expected_names(schema, "<r><c/></r>"), ["a", "b"]);
    let schema = "element r { element a { empty }, element b { empty } }";
    assert_eq!(expected_names(schema, "<r><b/></r>"), ["a"]);
    let schema = "element r { attribute x { text }, attribute y { text } }";
    let mut missing = expected_names(schema, "<r/>");
    missing.sort();
    assert_eq!(missing, ["x", "y"]);
}
