//! §7 restrictions, one row per rule: a schema that breaks it is refused
//! with the rule's message, and a near neighbour that keeps it compiles.

use crate::pattern::NameClassId;
use crate::testing::{check, check_files_refused, check_refused, compile};

/// `rng` (the body of a `grammar` in the XML syntax) is refused with an
/// error containing `expected`.
fn refused_rng(body: &str, expected: &str) {
    let schema = format!(
        "<grammar xmlns='http://relaxng.org/ns/structure/1.0' \
         datatypeLibrary='http://www.w3.org/2001/XMLSchema-datatypes'>{body}</grammar>"
    );
    check_files_refused(&[("main.rng", &schema)], expected);
}

const PATH: &str = "rngcheck::schema::prohibited_path";

#[test]
fn prohibited_paths_in_attributes() {
    check_refused(
        "element r { attribute a { attribute b { text } } }",
        "attribute is not allowed inside attribute",
    );
    check_refused(
        "element r { attribute a { element b { empty } } }",
        "element is not allowed inside attribute",
    );
    check_refused(
        "element r { (attribute a { text }, element b { empty })+ }",
        "attribute is not allowed inside oneOrMore//group or oneOrMore//interleave",
    );
    check_refused(
        "element r { (attribute a { text } & element b { empty })+ }",
        "attribute is not allowed inside oneOrMore//group or oneOrMore//interleave",
    );
    // An attribute directly under oneOrMore, or a group under an attribute
    // value, is fine.
    check("element r { attribute a { text }+ }", "<r a='1'/>", "valid");
    check(
        "element r { attribute a { list { token, token } } }",
        "<r a='x y'/>",
        "valid",
    );
    check(
        "element r { (element b { attribute a { text } })+ }",
        "<r><b a='1'/><b a='2'/></r>",
        "valid",
    );
}

#[test]
fn prohibited_paths_in_lists() {
    for (inner, what) in [
        ("list { token }", "list is not allowed inside list"),
        ("element a { empty }", "element is not allowed inside list"),
        (
            "attribute a { text }",
            "attribute is not allowed inside list",
        ),
        ("text", "text is not allowed inside list"),
        ("token & token", "interleave is not allowed inside list"),
    ] {
        check_refused(&format!("element r {{ list {{ {inner} }} }}"), what);
    }
    check(
        "element r { list { (token, xsd:int)+ } }",
        "<r>a 1 b 2</r>",
        "valid",
    );
}

#[test]
fn prohibited_paths_in_data_except() {
    for (inner, what) in [
        (
            "attribute a { text }",
            "attribute is not allowed inside data/except",
        ),
        (
            "element a { empty }",
            "element is not allowed inside data/except",
        ),
        ("text", "text is not allowed inside data/except"),
        ("list { token }", "list is not allowed inside data/except"),
        ("(\"a\", \"b\")", "group is not allowed inside data/except"),
        (
            "(\"a\" & \"b\")",
            "interleave is not allowed inside data/except",
        ),
        ("\"a\"+", "oneOrMore is not allowed inside data/except"),
    ] {
        check_refused(&format!("element r {{ token - ({inner}) }}"), what);
    }
    refused_rng(
        "<start><element name='r'><data type='token'><except><empty/></except></data></element></start>",
        "empty is not allowed inside data/except",
    );
    check(
        "element r { token - (\"a\" | (xsd:int - \"1\")) }",
        "<r>1</r>",
        "valid",
    );
}

#[test]
fn prohibited_paths_in_start() {
    for (start, what) in [
        ("attribute a { text }", "attribute is not allowed in start"),
        ("text", "text is not allowed in start"),
        ("token", "data or value is not allowed in start"),
        ("\"a\"", "data or value is not allowed in start"),
        ("token - \"a\"", "data is not allowed in start"),
        ("list { token }", "list is not allowed in start"),
        (
            "element a { empty }, element b { empty }",
            "group is not allowed in start",
        ),
        (
            "element a { empty } & element b { empty }",
            "interleave is not allowed in start",
        ),
        ("element a { empty }+", "oneOrMore is not allowed in start"),
        ("empty", "empty is not allowed in start"),
    ] {
        check_refused(&format!("start = {start}"), what);
    }
    check(
        "start = element a { empty } | element b { empty }",
        "<b/>",
        "valid",
    );
}

#[test]
fn prohibited_paths_are_reported_as_such() {
    let errors = compile(&[("main.rnc", "element r { list { text } }")]).unwrap_err();
    assert!(errors[0].starts_with(PATH), "{errors:?}");
    assert_eq!(errors.len(), 1, "one report per place and rule: {errors:?}");
}

#[test]
fn string_sequences() {
    for schema in [
        "element r { xsd:int, element a { empty } }",
        "element r { element a { empty }, token }",
        "element r { xsd:int, xsd:int }",
        "element r { token & text }",
        "element r { list { token }, element a { empty } }",
    ] {
        check_refused(
            schema,
            "groups data or values with other content (RELAX NG §7.2)",
        );
    }
    // Data beside attributes, or alone in a choice with elements, is fine.
    check(
        "element r { attribute a { text }, xsd:int }",
        "<r a='x'>1</r>",
        "valid",
    );
    check(
        "element r { xsd:int | element a { empty } }",
        "<r><a/></r>",
        "valid",
    );
    check(
        "element r { text, element a { empty } }",
        "<r>x<a/></r>",
        "valid",
    );
}

#[test]
fn duplicate_attributes() {
    for schema in [
        "element r { attribute a { text }, attribute a { text } }",
        "element r { attribute a { text } & attribute a { xsd:int } }",
        "element r { attribute * { text }+, attribute a { text } }",
        "element r { attribute a { text }, (attribute b { text } | attribute a { text }) }",
    ] {
        check_refused(
            schema,
            "the same attribute can occur twice here (RELAX NG §7.3)",
        );
    }
    check_refused(
        "element r { attribute * { text } }",
        "an attribute with anyName or nsName must be inside oneOrMore (RELAX NG §7.3)",
    );
    check(
        "element r { attribute a { text } | attribute a { xsd:int } }",
        "<r a='1'/>",
        "valid",
    );
    check(
        "element r { attribute a { text }, attribute * - a { text }* }",
        "<r a='1' b='2'/>",
        "valid",
    );
    check(
        "element r { attribute a { text }, element e { attribute a { text } } }",
        "<r a='1'><e a='2'/></r>",
        "valid",
    );
}

#[test]
fn interleave_overlap() {
    for schema in [
        "element r { element a { empty } & element a { empty } }",
        "element r { element a { empty } & (element b { empty }, element a { empty }?) }",
        "element r { element * { empty } & element a { empty } }",
    ] {
        check_refused(
            schema,
            "both sides of this interleave can start with the same element (RELAX NG §7.4)",
        );
    }
    check_refused(
        "element r { text & mixed { element a { empty } } }",
        "both sides of this interleave contain text (RELAX NG §7.4)",
    );
    check(
        "element r { element a { empty } & (element b { empty }, element c { empty }) }",
        "<r><b/><a/><c/></r>",
        "valid",
    );
    check(
        "element r { element * - a { empty } & element a { empty } }",
        "<r><a/><x/></r>",
        "valid",
    );
}

#[test]
fn restrictions_apply_through_references() {
    check_refused(
        "start = element r { d } d = list { e } e = list { token }",
        "list is not allowed inside list",
    );
    check_refused(
        "start = element r { a, a } a = attribute x { text }",
        "the same attribute can occur twice here",
    );
}

#[test]
fn a_pattern_shared_by_two_contexts_is_checked_in_each() {
    // The same attribute pattern (one id in the arena) is allowed in one
    // place and prohibited in the other, in either order.
    check_refused(
        "element r { attribute a { text }, list { attribute a { text } } }",
        "attribute is not allowed inside list",
    );
    check_refused(
        "element r { list { attribute a { text } }, attribute a { text } }",
        "attribute is not allowed inside list",
    );
    check_refused(
        "start = element r { d, element s { list { d } } }\nd = attribute a { text }",
        "attribute is not allowed inside list",
    );
}

#[test]
fn each_violation_is_reported_once_at_its_place() {
    let schema = "element r {\n  attribute a { attribute b { text } },\n  \
                  attribute c { attribute d { text } }\n}";
    let errors = compile(&[("main.rnc", schema)]).unwrap_err();
    let inside: Vec<_> = errors
        .iter()
        .filter(|e| e.contains("attribute is not allowed inside attribute"))
        .collect();
    let at_b = schema.find("attribute b").unwrap();
    let at_d = schema.find("attribute d").unwrap();
    assert_eq!(inside.len(), 2, "{errors:?}");
    assert!(inside[0].ends_with(&format!("@Some({at_b})")), "{errors:?}");
    assert!(inside[1].ends_with(&format!("@Some({at_d})")), "{errors:?}");
    // One place breaking two rules gets both errors.
    let errors = compile(&[("main.rnc", "start = list { text }")]).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("list is not allowed in start")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("text is not allowed inside list")),
        "{errors:?}"
    );
}

#[test]
fn attribute_names_are_compared_across_many() {
    for schema in [
        // The repeated name is not the first on either side.
        "element r { attribute a { text }, attribute b { text }, attribute c { text }, \
         (attribute d { text } | attribute b { text }) }",
        "element r { (attribute a { text } | attribute b { text } | attribute c { text }), \
         attribute c { text } }",
        "element r { (attribute c { text } | attribute a { text }), \
         (attribute b { text } | attribute a { text }) }",
        // A wildcard on the second side.
        "element r { attribute a { text }, attribute * { text }+ }",
        "namespace p = \"urn:p\"\n\
         element r { attribute p:a { text }, attribute b { text }, attribute p:* { text }+ }",
    ] {
        check_refused(schema, "the same attribute can occur twice here");
    }
    check(
        "element r { attribute a { text }, attribute b { text }, attribute c { text }, \
         (attribute d { text } | attribute e { text }) }",
        "<r a='1' b='2' c='3' e='4'/>",
        "valid",
    );
    check(
        "namespace p = \"urn:p\"\n\
         element r { attribute a { text }, attribute b { text }, attribute p:* { text }+ }",
        "<r xmlns:p='urn:p' a='1' b='2' p:x='3'/>",
        "valid",
    );
}

#[test]
fn interleaved_text_and_elements_are_found_inside_groups_and_repeats() {
    check_refused(
        "element r { (element a { empty }, text)+ & text }",
        "both sides of this interleave contain text",
    );
    check_refused(
        "element r { (element b { empty }, element a { empty }+) & (element c { empty } | element a { empty }) }",
        "can start with the same element",
    );
    check(
        "element r { (element a { empty }, text)+ & element b { empty } }",
        "<r><a/><b/>x</r>",
        "valid",
    );
}

#[test]
fn content_types_of_each_kind() {
    for schema in [
        "element r { xsd:int+ }",
        "element r { (xsd:int - \"1\"), element a { empty } }",
        "element r { \"a\", element a { empty } }",
        "element r { (xsd:int | text), element a { empty } }",
    ] {
        check_refused(schema, "groups data or values with other content");
    }
    check("element r { list { xsd:int+ } }", "<r>1 2</r>", "valid");
    check(
        "element r { attribute a { xsd:int }, (xsd:int - \"1\") }",
        "<r a='1'>2</r>",
        "valid",
    );
    check(
        "element r { (element a { empty }, text)+ }",
        "<r><a/>x<a/></r>",
        "valid",
    );
    check("element r { empty, xsd:int }", "<r>2</r>", "valid");
}

#[test]
fn one_place_is_reported_once_per_rule_and_once_for_each_rule() {
    // The inner attribute breaks two rules: both are reported.
    let errors = compile(&[(
        "main.rnc",
        "element r { attribute a { attribute * { text } } }",
    )])
    .unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("attribute is not allowed inside attribute")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("must be inside oneOrMore")),
        "{errors:?}"
    );
    // The same `text` reached in two contexts (inside oneOrMore and not)
    // breaks one rule once.
    let errors =
        compile(&[("main.rnc", "element r { list { text }, list { text }+ }")]).unwrap_err();
    let inside_list = errors
        .iter()
        .filter(|e| e.contains("text is not allowed inside list"));
    assert_eq!(inside_list.count(), 1, "{errors:?}");
}

#[test]
fn inside_lists_and_excepts_only_the_prohibited_path_is_reported() {
    // The attributes (elements, text) there are already errors (§7.1):
    // their pairs are not checked again under §7.3 and §7.4.
    for (schema, prohibited) in [
        (
            "element r { list { attribute a { text }, attribute a { text } } }",
            "attribute is not allowed inside list",
        ),
        (
            "element r { token - (attribute a { text }, attribute a { text }) }",
            "attribute is not allowed inside data/except",
        ),
        (
            "element r { token - (element a { empty } & element a { empty }) }",
            "element is not allowed inside data/except",
        ),
    ] {
        let errors = compile(&[("main.rnc", schema)]).unwrap_err();
        assert!(errors.iter().any(|e| e.contains(prohibited)), "{errors:?}");
        assert!(
            errors.iter().all(|e| e.starts_with(PATH)),
            "only prohibited paths: {errors:?}"
        );
    }
}

#[test]
fn name_lists_merge_sorted_and_deduplicated() {
    // `union` on lists written straight into the pool, after other lists
    // (what a wrong index would read), in every relative order.
    let schema = compile(&[("main.rnc", "element r { empty }")]).unwrap();
    let spans = crate::pattern::lower::SpanTable::default();
    let mut checker = super::Checker::new(schema.grammar(), &spans);
    let list = |checker: &mut super::Checker, ids: &[u32]| {
        let start = checker.name_pool.len() as u32;
        checker
            .name_pool
            .extend(ids.iter().map(|&i| NameClassId(i)));
        super::NameRange {
            start,
            end: start + ids.len() as u32,
        }
    };
    let cases: [(&[u32], &[u32], &[u32]); 7] = [
        (&[3], &[1], &[1, 3]),
        (&[1], &[3], &[1, 3]),
        (&[2], &[2], &[2]),
        (&[1, 4, 6], &[2, 4, 5, 7], &[1, 2, 4, 5, 6, 7]),
        (&[5, 6], &[1, 2], &[1, 2, 5, 6]),
        (&[], &[2], &[2]),
        (&[2], &[], &[2]),
    ];
    for (a, b, expected) in cases {
        list(&mut checker, &[9, 8, 0]);
        let a = list(&mut checker, a);
        let b = list(&mut checker, b);
        let merged = checker.union(a, b);
        let got: Vec<u32> = checker.pooled(merged).iter().map(|nc| nc.0).collect();
        assert_eq!(got, expected);
    }
}

#[test]
fn attribute_names_merge_in_any_order() {
    // Choices of attributes whose names were interned in either order
    // (an element named `a` first interns the name `a`), beside another
    // attribute: no false overlap, and a true one found.
    for valid in [
        "element r { element a { empty }?, attribute z { text }, \
         (attribute b { text } | attribute a { text }) }",
        "element r { element a { empty }?, (attribute z { text }, \
         (attribute b { text } | attribute a { text })) }",
        "element r { attribute z { text }, (attribute b { text } | attribute a { text }) }",
        "element r { attribute z { text }, (attribute a { text } | attribute b { text }) }",
        "element r { (attribute b { text } | attribute a { text }), attribute z { text } }",
        "element r { attribute z { text }, attribute y { text }, \
         (attribute c { text } | attribute b { text } | attribute a { text }) }",
        "element r { (attribute c { text } | attribute b { text }), \
         (attribute z { text } | attribute a { text }) }",
    ] {
        assert!(compile(&[("main.rnc", valid)]).is_ok(), "{valid}");
    }
    check_refused(
        "element r { (attribute c { text } | attribute b { text }), \
         (attribute z { text } | attribute b { text }) }",
        "the same attribute can occur twice here",
    );
}
