//! Include, externalRef, override and combine: schemas of several files,
//! each row a document checked against them or an error they must give.

use crate::testing::{check, check_files, check_files_refused, check_refused};

/// A library grammar with a start and two defines.
const LIB: &str = "start = element r { a, b? }\n\
                   a = element a { empty }\n\
                   b = element b { empty }\n";

#[test]
fn include_brings_in_the_grammar() {
    let files = [("main.rnc", "include \"lib.rnc\""), ("lib.rnc", LIB)];
    check_files(&files, "<r><a/><b/></r>", "valid");
    check_files(&files, "<r><b/></r>", "element \"b\" not allowed here");
}

#[test]
fn include_overrides_replace_definitions() {
    let files = [
        (
            "main.rnc",
            "include \"lib.rnc\" { a = element x { empty } }",
        ),
        ("lib.rnc", LIB),
    ];
    check_files(&files, "<r><x/></r>", "valid");
    check_files(&files, "<r><a/></r>", "element \"a\" not allowed here");
    let files = [
        (
            "main.rnc",
            "include \"lib.rnc\" { start = element s { a } }",
        ),
        ("lib.rnc", LIB),
    ];
    check_files(&files, "<s><a/></s>", "valid");
    check_files(&files, "<r><a/></r>", "not allowed");
    // Overriding inside a div counts too.
    let files = [
        (
            "main.rnc",
            "include \"lib.rnc\" { div { b = element y { empty } } }",
        ),
        ("lib.rnc", LIB),
    ];
    check_files(&files, "<r><a/><y/></r>", "valid");
    // So does a definition inside a div of the included grammar.
    let files = [
        (
            "main.rnc",
            "include \"lib.rnc\" { a = element x { empty } start = element s { a } }",
        ),
        (
            "lib.rnc",
            "div { start = element r { a } }\ndiv { div { a = element a { empty } } }",
        ),
    ];
    check_files(&files, "<s><x/></s>", "valid");
    check_files(&files, "<s><a/></s>", "element \"a\" not allowed here");
}

#[test]
fn overrides_must_name_what_the_included_grammar_defines() {
    check_files_refused(
        &[
            ("main.rnc", "include \"lib.rnc\" { c = empty }"),
            ("lib.rnc", LIB),
        ],
        "overrides \"c\", which the included grammar does not define",
    );
    check_files_refused(
        &[
            (
                "main.rnc",
                "include \"lib.rnc\" { start = element s { empty } }",
            ),
            ("lib.rnc", "a = element a { empty }"),
        ],
        "overrides start, but the included grammar has no start",
    );
}

#[test]
fn include_errors() {
    check_files_refused(
        &[("main.rnc", "include \"missing.rnc\"")],
        "rngcheck::schema::load",
    );
    check_files_refused(
        &[
            ("main.rnc", "include \"b.rnc\""),
            ("b.rnc", "include \"main.rnc\""),
        ],
        "include cycle: ",
    );
    check_files_refused(
        &[
            ("main.rnc", "include \"lib.rnc\""),
            ("lib.rnc", "element r { empty }"),
        ],
        "must contain a grammar",
    );
}

#[test]
fn external_ref_is_a_pattern_with_its_own_grammar() {
    let files = [
        (
            "main.rnc",
            "start = element top { external \"lib.rnc\" }\na = element other { empty }",
        ),
        ("lib.rnc", LIB),
    ];
    check_files(&files, "<top><r><a/></r></top>", "valid");
    check_files(
        &files,
        "<top><r><other/></r></top>",
        "element \"other\" not allowed",
    );
    // Inside an attribute's value.
    let files = [
        (
            "main.rnc",
            "element r { attribute a { external \"v.rnc\" } }",
        ),
        ("v.rnc", "\"x\" | \"y\""),
    ];
    check_files(&files, "<r a='y'/>", "valid");
    check_files(
        &files,
        "<r a='z'/>",
        "value \"z\" of attribute \"a\" is invalid",
    );
    // The same file twice (not a cycle).
    let files = [
        (
            "main.rnc",
            "element top { external \"e.rnc\", external \"e.rnc\" }",
        ),
        ("e.rnc", "element e { empty }"),
    ];
    check_files(&files, "<top><e/><e/></top>", "valid");
}

#[test]
fn combine_merges_definitions() {
    let schema = "start = element r { a+ }\n\
                  a = element x { empty }\n\
                  a |= element y { empty }";
    check(schema, "<r><y/><x/></r>", "valid");
    let schema = "start = element r { a }\n\
                  a = attribute x { text }\n\
                  a &= attribute y { text }";
    check(schema, "<r y='1' x='2'/>", "valid");
    check(schema, "<r y='1'/>", "missing required attribute \"x\"");
    let schema = "start |= element r { empty }\nstart |= element s { empty }";
    check(schema, "<s/>", "valid");
    let files = [
        ("main.rnc", "include \"lib.rnc\"\nb |= element z { empty }"),
        ("lib.rnc", LIB),
    ];
    check_files(&files, "<r><a/><z/></r>", "valid");
    check_files(&files, "<r><a/><b/></r>", "valid");
}

#[test]
fn combine_errors() {
    check_refused(
        "start = element r { a }\na = empty\na = text",
        "\"a\" is defined more than once without a combine attribute",
    );
    check_refused(
        "start = element r { a }\na |= empty\na &= text",
        "is combined both by choice and by interleave",
    );
    check_refused(
        "start = element r { a }\nb = empty",
        "reference to undefined pattern \"a\"",
    );
    check_refused(
        "start = element r { a }\na = a",
        "refers to itself without passing through an element",
    );
}

#[test]
fn parent_ref_reaches_the_enclosing_grammar() {
    let schema = "start = element r { grammar { start = element inner { parent a } } }\n\
                  a = element a { empty }";
    check(schema, "<r><inner><a/></inner></r>", "valid");
    check(schema, "<r><inner/></r>", "incomplete");
}
