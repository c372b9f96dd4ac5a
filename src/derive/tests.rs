//! Derivatives, one table per pattern kind: each row is a compact schema, a
//! document and the verdict (`valid`, or part of the first error).

use crate::testing::{all_errors, check_all, compile, expected_names, verdict, verdicts_in_turn};

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

#[test]
fn values_that_consult_the_context_are_not_memoized() {
    // The same text is a QName whose prefix is declared in one place and
    // not in the other; the first answer must not be reused for the second.
    let verdicts = verdicts_in_turn(
        "element r { element q { xsd:QName }* }",
        &[
            "<r><q xmlns:p='urn:p'>p:a</q></r>",
            "<r><q>p:a</q></r>",
            "<r><q xmlns:p='urn:p'>p:a</q><q>p:a</q></r>",
        ],
    );
    assert_eq!(verdicts[0], "valid");
    assert!(verdicts[1].contains("is invalid"), "{verdicts:?}");
    assert!(verdicts[2].contains("is invalid"), "{verdicts:?}");
    let verdicts = verdicts_in_turn(
        "element r { attribute a { xsd:QName } }",
        &["<r xmlns:p='urn:p' a='p:a'/>", "<r a='p:a'/>"],
    );
    assert_eq!(verdicts[0], "valid");
    assert!(verdicts[1].contains("is invalid"), "{verdicts:?}");
}

#[test]
fn entity_values_consult_the_document() {
    const DECLARED: &str = "<!DOCTYPE r [<!NOTATION n SYSTEM 'n'>\
                            <!ENTITY u SYSTEM 'u' NDATA n>]>";
    let verdicts = verdicts_in_turn(
        "element r { element e { xsd:ENTITY }* }",
        &[
            &format!("{DECLARED}<r><e>u</e></r>"),
            "<r><e>u</e></r>",
            &format!("{DECLARED}<r><e>v</e></r>"),
        ],
    );
    assert_eq!(verdicts[0], "valid");
    assert!(verdicts[1].contains("is invalid"), "{verdicts:?}");
    assert!(verdicts[2].contains("is invalid"), "{verdicts:?}");
}

/// The deriver of `schema` after the text `values` were each derived
/// against the content of its document element.
fn deriver_after_texts<'s>(
    schema: &'s crate::Schema,
    values: &[&str],
) -> (super::Deriver<'s>, crate::pattern::PatternId) {
    let grammar = schema.grammar();
    let mut d = super::Deriver::new(grammar);
    let content = grammar.element(crate::pattern::ElementId(0)).content;
    for value in values {
        d.text(content, value, &crate::datatype::NoContext);
    }
    (d, content)
}

#[test]
fn the_text_memo_remembers_each_value() {
    let schema = compile(&[("main.rnc", "element r { xsd:int }")]).unwrap();
    let (d, _) = deriver_after_texts(&schema, &["1", "2", "x", "2"]);
    assert_eq!(d.text.len(), 3);
}

#[test]
fn the_text_memo_is_bounded() {
    let schema = compile(&[("main.rnc", "element r { xsd:int }")]).unwrap();
    let values: Vec<String> = (0..super::TEXT_MEMO_CAP + 10)
        .map(|i| i.to_string())
        .collect();
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    let (d, _) = deriver_after_texts(&schema, &values);
    assert!(d.text.len() <= super::TEXT_MEMO_CAP, "{}", d.text.len());
    assert!(d.text.len() > 0);
}

#[test]
fn trim_starts_afresh_only_past_the_cap() {
    let schema = compile(&[(
        "main.rnc",
        "element r { (element a { empty } | element b { empty })* & text }",
    )])
    .unwrap();
    let base = schema.grammar().arena.len();
    let (mut d, _) = deriver_after_texts(&schema, &["x", "y"]);
    let key = d.grammar.names.key("", "a");
    let content = schema
        .grammar()
        .element(crate::pattern::ElementId(0))
        .content;
    d.start_tag_open(content, key);
    let grown = d.arena.len();
    assert!(grown > base, "deriving made new patterns");
    d.cap = grown;
    assert!(!d.trim());
    assert_eq!(d.arena.len(), grown, "at the cap, kept");
    d.cap = grown - 1;
    assert!(d.trim());
    assert_eq!(d.arena.len(), base, "past the cap, started afresh");
    assert_eq!(d.cap, grown - 1, "the cap stays");
}

#[test]
fn allowed_start_tags_are_remembered_whole() {
    let schema = compile(&[(
        "main.rnc",
        "element r { (element a { empty } | element b { empty })* }",
    )])
    .unwrap();
    let grammar = schema.grammar();
    let mut d = super::Deriver::new(grammar);
    let content = grammar.element(crate::pattern::ElementId(0)).content;
    for name in ["a", "b", "a", "c"] {
        let key = grammar.names.key("", name);
        let entry = d.start_tag(content, "", name, key);
        assert_eq!(entry.is_some(), name != "c", "{name}");
    }
    assert_eq!(
        d.element_steps.len(),
        2,
        "a and b, each once; c was refused"
    );
    assert!(d.cached_start_tag(content, "", "a").is_some());
    assert!(d.cached_start_tag(content, "", "c").is_none());
}

#[test]
fn allowed_attributes_are_remembered_whole_unless_they_used_the_context() {
    let schema = compile(&[(
        "main.rnc",
        "element r { attribute x { xsd:int }?, attribute q { xsd:QName }? }",
    )])
    .unwrap();
    let grammar = schema.grammar();
    let mut d = super::Deriver::new(grammar);
    let content = grammar.element(crate::pattern::ElementId(0)).content;
    let x = ("", "x", grammar.names.key("", "x"));
    let q = ("", "q", grammar.names.key("", "q"));
    let ctx = crate::datatype::NoContext;
    let at_limit = format!("{}1", "0".repeat(super::TEXT_MEMO_MAX_LEN - 1));
    let too_long = format!("{}1", "0".repeat(super::TEXT_MEMO_MAX_LEN));
    for value in ["1", "2", "two", &at_limit, &too_long] {
        d.attribute(content, x, value, &ctx);
    }
    let declared = crate::syntax::ast::NsContext {
        default_ns: String::new(),
        prefixes: vec![("p".to_string(), "urn:p".to_string())],
    };
    let (_, ended) = d.attribute(content, q, "p:a", &declared);
    assert_ne!(ended, crate::pattern::PatternArena::NOT_ALLOWED);
    assert!(d.cached_attribute(content, "", "x", "1").is_some());
    assert!(d.cached_attribute(content, "", "x", &at_limit).is_some());
    assert!(d.cached_attribute(content, "", "x", &too_long).is_none());
    assert!(d.cached_attribute(content, "", "x", "two").is_none());
    assert!(d.cached_attribute(content, "", "q", "p:a").is_none());
    assert_eq!(d.attribute_steps.len(), 3, "1, 2 and the one at the limit");
}

#[test]
fn attributes_are_closed_inside_interleaves_and_repeats() {
    check_all(&[
        (
            "element r { attribute x { text } & element a { empty } }",
            "<r><a/></r>",
            "missing required attribute \"x\"",
        ),
        (
            "element r { attribute x { text }+ }",
            "<r/>",
            "missing required attribute \"x\"",
        ),
        (
            "element r { attribute x { xsd:int } }",
            "<r x=''/>",
            "attribute \"x\"",
        ),
        (
            "element r { attribute x { xsd:int } }",
            "<r x=' 7 '/>",
            "valid",
        ),
    ]);
}

#[test]
fn recovery_reports_each_problem_once_and_goes_on() {
    // A missing attribute, then the content is still checked.
    let schema = "element r { attribute x { text }, element a { empty } }";
    let errors = all_errors(schema, "<r><b/></r>");
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("missing required attribute \"x\""),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("element \"b\" not allowed"),
        "{errors:?}"
    );
    assert!(
        errors[2].contains("missing required element \"a\""),
        "{errors:?}"
    );
    // The same element missing its attribute twice is reported twice.
    let schema = "element r { element e { attribute x { text } }+ }";
    let errors = all_errors(schema, "<r><e/><e x='1'/><e/></r>");
    assert_eq!(errors.len(), 2, "{errors:?}");
    // A bad value where two attribute patterns matched the name: one error,
    // then the rest of the element is checked as usual.
    let schema =
        "element r { (attribute x { xsd:int } | attribute x { \"none\" }), element a { empty } }";
    assert_eq!(all_errors(schema, "<r x='bad'><a/></r>").len(), 1);
    let errors = all_errors(schema, "<r x='bad'><b/></r>");
    assert!(errors[0].contains("attribute \"x\""), "{errors:?}");
    assert!(
        errors[1].contains("element \"b\" not allowed"),
        "{errors:?}"
    );
}

#[test]
fn only_texts_up_to_the_length_limit_are_memoized() {
    let schema = compile(&[("main.rnc", "element r { text }")]).unwrap();
    let limit = super::TEXT_MEMO_MAX_LEN;
    let at_limit = "a".repeat(limit);
    let over = "a".repeat(limit + 1);
    let (d, _) = deriver_after_texts(&schema, &[&at_limit]);
    assert_eq!(d.text.len(), 1, "a text at the limit is remembered");
    let (d, _) = deriver_after_texts(&schema, &[&over, &"b".repeat(2 * limit)]);
    assert_eq!(d.text.len(), 0, "longer texts are not");
}

/// A nest the arena cannot flatten, deeper than a 2 MiB stack holds when
/// every level of a derivative recurses on it: the walks over deep
/// patterns continue on a heap segment, so each document gets its verdict
/// on an ordinary thread (an overflow would abort the test binary).
#[test]
fn derivatives_over_a_deep_nest_run_on_a_small_stack() {
    const DEPTH: usize = 2_490;
    let schema = format!(
        "<element name='r' xmlns='http://relaxng.org/ns/structure/1.0'>{}\
         <element name='e'><empty/></element>{}</element>",
        "<oneOrMore><group><text/>".repeat(DEPTH),
        "</group></oneOrMore>".repeat(DEPTH)
    );
    let verdicts = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let schema = compile(&[("deep.rng", &schema)]).expect("the nest compiles");
            ["<r>t<e/><e/></r>", "<r>t</r>", "<r><f/></r>"].map(|doc| verdict(&schema, doc))
        })
        .expect("spawn a thread")
        .join()
        .expect("validating did not panic");
    assert_eq!(verdicts[0], "valid");
    assert!(verdicts[1].contains("incomplete"), "{}", verdicts[1]);
    assert!(verdicts[2].contains("\"f\" not allowed"), "{}", verdicts[2]);
}
