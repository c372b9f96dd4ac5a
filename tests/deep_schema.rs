//! Deeply nested schemas through the library's public API on an ordinary
//! 2 MiB thread: each loads, or is refused with an error, and never
//! overflows the stack (an embedding program has no big thread of its own
//! to hide behind).

use rngcheck::{Schema, Syntax};

const NS: &str = "http://relaxng.org/ns/structure/1.0";

/// What loading `schema` (XML syntax) gives on a 2 MiB thread: `Ok` with
/// the verdict on `doc` (`true` when `doc` is empty: only loaded), or the
/// schema errors' codes.
fn load_on_small_stack(schema: String, doc: &'static str) -> Result<bool, Vec<String>> {
    load_file_on_small_stack("deep.rng", schema, doc)
}

/// [`load_on_small_stack`] for a schema file named `name` (`.rnc` is the
/// compact syntax), given to [`Schema::from_str`].
fn load_file_on_small_stack(
    name: &'static str,
    schema: String,
    doc: &'static str,
) -> Result<bool, Vec<String>> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let syntax = match name.ends_with(".rnc") {
                true => Syntax::Compact,
                false => Syntax::Xml,
            };
            match Schema::from_str(&schema, syntax) {
                Ok(_) if doc.is_empty() => Ok(true),
                Ok(schema) => Ok(schema.validator().validate_str(doc).is_ok()),
                Err(e) => Err(e.errors().iter().map(|e| e.kind().to_string()).collect()),
            }
        })
        .expect("spawn a thread")
        .join()
        .expect("loading the schema did not panic")
}

/// `depth` nested `<wrapper>` around `inner`, inside `<element name="r">`.
fn nest(wrapper: &str, depth: usize, inner: &str) -> String {
    element_r(&repeated(
        &format!("<{wrapper}>"),
        inner,
        &format!("</{wrapper}>"),
        depth,
    ))
}

/// `content` inside `<element name='r'>`, with XSD datatypes.
fn element_r(content: &str) -> String {
    format!(
        "<element name='r' xmlns='{NS}' \
         datatypeLibrary='http://www.w3.org/2001/XMLSchema-datatypes'>{content}</element>"
    )
}

/// `depth` copies of `open`, then `inner`, then as many of `close`.
fn repeated(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn a_100_000_deep_optional_nest_is_refused_cleanly() {
    let schema = nest("optional", 100_000, "<element name='a'><empty/></element>");
    let codes = load_on_small_stack(schema, "<r/>").unwrap_err();
    assert_eq!(codes, ["rngcheck::schema::too_deep"]);
}

#[test]
fn a_100_000_deep_compact_nest_is_refused_cleanly() {
    const DEPTH: usize = 100_000;
    let schema = format!(
        "element r {{ {}empty{} }}",
        "(".repeat(DEPTH),
        ")?".repeat(DEPTH)
    );
    let codes = load_file_on_small_stack("deep.rnc", schema, "<r/>").unwrap_err();
    assert_eq!(codes, ["rngcheck::schema::rnc_too_deep"]);
    let schema = format!(
        "element r {{ {}empty{} }}",
        "(".repeat(200),
        ")?".repeat(200)
    );
    assert_eq!(
        load_file_on_small_stack("deep.rnc", schema, "<r/>"),
        Ok(true)
    );
}

#[test]
fn nests_within_the_limit_load_and_validate() {
    let schema = nest("optional", 4_990, "<element name='a'><empty/></element>");
    assert_eq!(load_on_small_stack(schema.clone(), "<r><a/></r>"), Ok(true));
    assert_eq!(load_on_small_stack(schema, "<r><b/></r>"), Ok(false));
    let schema = nest(
        "group",
        4_990,
        "<element name='a'><empty/></element><text/>",
    );
    assert_eq!(load_on_small_stack(schema, "<r><a/>x</r>"), Ok(true));
    let schema = nest("choice", 4_990, "<attribute name='a'/><empty/>");
    assert_eq!(load_on_small_stack(schema, "<r a='1'/>"), Ok(true));
    let schema = nest("zeroOrMore", 4_990, "<element name='a'><empty/></element>");
    assert_eq!(load_on_small_stack(schema, "<r><a/><a/></r>"), Ok(true));
}

#[test]
fn deep_name_classes_and_divs_load() {
    const DEPTH: usize = 4_990;
    let name_class = format!(
        "{}<name>a</name>{}",
        "<choice><name>b</name>".repeat(DEPTH),
        "</choice>".repeat(DEPTH)
    );
    let schema = format!("<element xmlns='{NS}'>{name_class}<empty/></element>");
    assert_eq!(load_on_small_stack(schema, "<a/>"), Ok(true));
    let schema = format!(
        "<grammar xmlns='{NS}'>{}<start><element name='r'><empty/></element></start>{}</grammar>",
        "<div>".repeat(DEPTH),
        "</div>".repeat(DEPTH)
    );
    assert_eq!(load_on_small_stack(schema, "<r/>"), Ok(true));
}

#[test]
fn deeply_nested_elements_load_and_validate() {
    const DEPTH: usize = 4_990;
    let schema = element_r(&repeated(
        "<element name='e'>",
        "<empty/>",
        "</element>",
        DEPTH,
    ));
    let doc: &'static str =
        Box::leak(format!("<r>{}</r>", repeated("<e>", "", "</e>", DEPTH)).into_boxed_str());
    assert_eq!(load_on_small_stack(schema, doc), Ok(true));
}

/// Nests that the arena cannot flatten (each level adds a repeat and a
/// sibling): loading them walks the compiled patterns (§7 checks), and
/// validating recurses on their depth in the derivatives and, for a
/// document that fails, in the search for the expected names. Each gets
/// its verdict on a 2 MiB thread; an overflow aborts the test binary.
#[test]
fn deep_unflattened_nests_load_and_validate() {
    // Two or three levels a step: within the reader's limit.
    const DEPTH: usize = 2_490;
    let fs = format!("<r a='1'>{}</r>", "<f/>".repeat(DEPTH));
    let text_nest = |inner| {
        repeated(
            "<oneOrMore><group><text/>",
            inner,
            "</group></oneOrMore>",
            DEPTH,
        )
    };
    let cases: [(String, Vec<(&str, bool)>); 5] = [
        (
            text_nest("<empty/>"),
            vec![
                ("<r/>", true),
                ("<r>some text</r>", true),
                ("<r><bogus/></r>", false),
            ],
        ),
        (
            text_nest("<element name='e'><empty/></element>"),
            vec![
                ("<r><e/></r>", true),
                ("<r>t<e/><e/></r>", true),
                ("<r>t<e/>t</r>", false),
                ("<r>t</r>", false),
            ],
        ),
        (
            repeated(
                "<choice><element name='e'><empty/></element><group><element name='f'><empty/></element>",
                "<attribute name='a'/>",
                "</group></choice>",
                DEPTH,
            ),
            vec![
                (fs.as_str(), true),
                ("<r><e/></r>", true),
                ("<r a='1'><e/></r>", false),
            ],
        ),
        (
            repeated(
                "<data type='token'><except><choice><value>x</value>",
                "<value>end</value>",
                "</choice></except></data>",
                DEPTH * 2 / 3,
            ),
            vec![("<r>x</r>", false), ("<r><bogus/></r>", false)],
        ),
        (
            format!(
                "<list>{}</list>",
                repeated(
                    "<choice><value>v</value><group><data type='token'/>",
                    "<empty/>",
                    "</group></choice>",
                    DEPTH
                )
            ),
            vec![
                ("<r>v</r>", true),
                ("<r>a b v</r>", true),
                ("<r>a b</r>", false),
            ],
        ),
    ];
    for (content, documents) in cases {
        let schema = element_r(&content);
        for (doc, valid) in documents {
            let doc: &'static str = Box::leak(doc.to_owned().into_boxed_str());
            let verdict = load_on_small_stack(schema.clone(), doc);
            assert_eq!(
                verdict,
                Ok(valid),
                "{} on {:.60}",
                &doc[..doc.len().min(40)],
                content
            );
        }
    }
}
