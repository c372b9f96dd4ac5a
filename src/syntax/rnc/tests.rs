//! Tests for the compact syntax parser: one `check` per case, comparing a
//! span-free summary of the tree, plus error messages, hostile input, and
//! the jing-trang compact test suite when `../shared` is present.

use std::fmt::Write as _;

use super::parse;
use crate::diagnostic::SchemaError;
use crate::source::{FileId, SourceMap};
use crate::syntax::ast::{
    Combine, Component, ComponentKind, DatatypeName, NameClass, NameClassKind, Pattern, PatternKind,
};

const XSD: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

fn file_id() -> FileId {
    let mut sources = SourceMap::new();
    sources.add("test.rnc", "")
}

// ---- Summaries -----------------------------------------------------------

fn summarize(pattern: &Pattern) -> String {
    let mut out = String::new();
    write_pattern(&mut out, pattern);
    out
}

fn write_all(out: &mut String, head: &str, patterns: &[Pattern]) {
    out.push('(');
    out.push_str(head);
    for p in patterns {
        out.push(' ');
        write_pattern(out, p);
    }
    out.push(')');
}

fn datatype(d: &DatatypeName) -> String {
    match d.library.as_str() {
        "" => d.name.to_string(),
        XSD => format!("xsd:{}", d.name),
        lib => format!("{{{lib}}}{}", d.name),
    }
}

fn write_pattern(out: &mut String, pattern: &Pattern) {
    match &pattern.kind {
        PatternKind::Element { name, content } => {
            out.push_str("(element ");
            write_name_class(out, name);
            for p in content {
                out.push(' ');
                write_pattern(out, p);
            }
            out.push(')');
        }
        PatternKind::Attribute { name, value } => {
            out.push_str("(attribute ");
            write_name_class(out, name);
            if let Some(value) = value {
                out.push(' ');
                write_pattern(out, value);
            }
            out.push(')');
        }
        PatternKind::Group(ps) => write_all(out, "group", ps),
        PatternKind::Interleave(ps) => write_all(out, "interleave", ps),
        PatternKind::Choice(ps) => write_all(out, "choice", ps),
        PatternKind::Optional(ps) => write_all(out, "optional", ps),
        PatternKind::ZeroOrMore(ps) => write_all(out, "zeroOrMore", ps),
        PatternKind::OneOrMore(ps) => write_all(out, "oneOrMore", ps),
        PatternKind::List(ps) => write_all(out, "list", ps),
        PatternKind::Mixed(ps) => write_all(out, "mixed", ps),
        PatternKind::Ref(name) => {
            let _ = write!(out, "(ref {name})");
        }
        PatternKind::ParentRef(name) => {
            let _ = write!(out, "(parentRef {name})");
        }
        PatternKind::Empty => out.push_str("empty"),
        PatternKind::Text => out.push_str("text"),
        PatternKind::NotAllowed => out.push_str("notAllowed"),
        PatternKind::Value {
            datatype: d, value, ..
        } => {
            let _ = write!(out, "(value {} {value:?})", datatype(d));
        }
        PatternKind::Data {
            datatype: d,
            params,
            except,
        } => {
            let _ = write!(out, "(data {}", datatype(d));
            for param in params {
                let _ = write!(out, " {}={:?}", param.name, param.value);
            }
            if let Some(except) = except {
                out.push(' ');
                write_all(out, "except", except);
            }
            out.push(')');
        }
        PatternKind::ExternalRef { href, ns } => {
            let _ = write!(out, "(externalRef {href:?} ns={ns:?})");
        }
        PatternKind::Grammar(grammar) => {
            out.push_str("(grammar");
            for c in &grammar.components {
                out.push(' ');
                write_component(out, c);
            }
            out.push(')');
        }
    }
}

fn combine(c: &Option<Combine>) -> &'static str {
    match c {
        None => "=",
        Some(Combine::Choice) => "|=",
        Some(Combine::Interleave) => "&=",
    }
}

fn write_component(out: &mut String, component: &Component) {
    match &component.kind {
        ComponentKind::Start {
            combine: c,
            pattern,
        } => {
            let _ = write!(out, "(start {} ", combine(c));
            write_pattern(out, pattern);
            out.push(')');
        }
        ComponentKind::Define {
            name,
            combine: c,
            patterns,
        } => {
            let _ = write!(out, "(define {name} {}", combine(c));
            for p in patterns {
                out.push(' ');
                write_pattern(out, p);
            }
            out.push(')');
        }
        ComponentKind::Div(components) => {
            out.push_str("(div");
            for c in components {
                out.push(' ');
                write_component(out, c);
            }
            out.push(')');
        }
        ComponentKind::Include {
            href,
            ns,
            components,
        } => {
            let _ = write!(out, "(include {href:?} ns={ns:?}");
            for c in components {
                out.push(' ');
                write_component(out, c);
            }
            out.push(')');
        }
    }
}

fn write_name_class(out: &mut String, nc: &NameClass) {
    match &nc.kind {
        NameClassKind::Name { ns, local } if ns.is_empty() => out.push_str(local),
        NameClassKind::Name { ns, local } => {
            let _ = write!(out, "{{{ns}}}{local}");
        }
        NameClassKind::AnyName { except: None } => out.push('*'),
        NameClassKind::AnyName { except: Some(e) } => {
            out.push_str("(* - ");
            write_name_class(out, e);
            out.push(')');
        }
        NameClassKind::NsName { ns, except: None } => {
            let _ = write!(out, "{{{ns}}}*");
        }
        NameClassKind::NsName {
            ns,
            except: Some(e),
        } => {
            let _ = write!(out, "({{{ns}}}* - ");
            write_name_class(out, e);
            out.push(')');
        }
        NameClassKind::Choice(items) => {
            out.push('(');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                write_name_class(out, item);
            }
            out.push(')');
        }
    }
}

// ---- Helpers -------------------------------------------------------------

#[track_caller]
fn check(input: &str, expect: &str) {
    check_ns(input, "", expect);
}

#[track_caller]
fn check_ns(input: &str, inherited: &str, expect: &str) {
    match parse(input, file_id(), inherited) {
        Ok(pattern) => assert_eq!(summarize(&pattern), expect, "input: {input}"),
        Err(errors) => panic!("input {input:?} was rejected: {errors:?}"),
    }
}

fn errors(input: &str) -> Vec<SchemaError> {
    match parse(input, file_id(), "") {
        Ok(pattern) => panic!("input {input:?} was accepted as {}", summarize(&pattern)),
        Err(errors) => errors,
    }
}

/// The first error's message, and the text its span covers.
#[track_caller]
fn check_error(input: &str, message: &str, at: &str) {
    let errors = errors(input);
    let first = &errors[0];
    assert_eq!(first.message, message, "input: {input}");
    let span = first.span.expect("errors have spans");
    assert_eq!(&input[span.range()], at, "input: {input}");
}

#[track_caller]
fn check_code(input: &str, code: crate::ErrorKind) {
    let errors = errors(input);
    let shown: String = input.chars().take(200).collect();
    assert!(
        errors.iter().any(|e| e.code == code),
        "input {shown:?}: expected {code}, got {errors:?}"
    );
}

// ---- Patterns ------------------------------------------------------------

#[test]
fn simple_patterns() {
    check("element foo { empty }", "(element foo empty)");
    check("element foo { text }", "(element foo text)");
    check("element foo { notAllowed }", "(element foo notAllowed)");
    check("attribute foo { text }", "(attribute foo text)");
    check("list { token* }", "(list (zeroOrMore (data token)))");
    check("mixed { element a { empty } }", "(mixed (element a empty))");
    check("empty", "empty");
}

#[test]
fn combinators_and_implicit_groups() {
    check(
        "element foo { a, b, c }",
        "(element foo (ref a) (ref b) (ref c))",
    );
    check("a | b | c", "(choice (ref a) (ref b) (ref c))");
    check("a & b", "(interleave (ref a) (ref b))");
    check("(a, b)?", "(optional (ref a) (ref b))");
    check("(a | b)+", "(oneOrMore (choice (ref a) (ref b)))");
    check("a*, b?", "(group (zeroOrMore (ref a)) (optional (ref b)))");
    check("(a, b) | c", "(choice (group (ref a) (ref b)) (ref c))");
    check("mixed { a, b }", "(mixed (ref a) (ref b))");
    check("list { a & b }", "(list (interleave (ref a) (ref b)))");
}

#[test]
fn values_and_data() {
    check("\"x\"", "(value token \"x\")");
    check("string \"x\"", "(value string \"x\")");
    check("token \"x\"", "(value token \"x\")");
    check("xsd:int \"5\"", "(value xsd:int \"5\")");
    check("xsd:int", "(data xsd:int)");
    check("string", "(data string)");
    check(
        "xsd:int { minInclusive = \"1\" maxInclusive = \"9\" }",
        "(data xsd:int minInclusive=\"1\" maxInclusive=\"9\")",
    );
    check(
        "xsd:string { pattern = \"a\" ~ \"b\" } - (\"ab\" | \"ba\")",
        "(data xsd:string pattern=\"ab\" (except (value token \"ab\") (value token \"ba\")))",
    );
    check(
        "string - \"x\"",
        "(data string (except (value token \"x\")))",
    );
    check(
        "(string - \"x\")*",
        "(zeroOrMore (data string (except (value token \"x\"))))",
    );
    check(
        "datatypes d = \"http://example.com/dt\"\nd:foo",
        "(data {http://example.com/dt}foo)",
    );
    check(
        "datatypes xsd = \"http://example.com/other\"\nxsd:foo",
        "(data {http://example.com/other}foo)",
    );
}

#[test]
fn value_context_carries_declarations() {
    let text = "namespace a = \"http://a\"\ndefault namespace = \"http://d\"\nxsd:QName \"a:b\"";
    let pattern = parse(text, file_id(), "").expect("parses");
    match pattern.kind {
        PatternKind::Value { context, .. } => {
            assert_eq!(context.default_ns, "http://d");
            assert_eq!(
                context.prefixes,
                vec![("a".to_owned(), "http://a".to_owned())]
            );
        }
        other => panic!("not a value: {other:?}"),
    }
}

#[test]
fn literals() {
    check("'a\"b'", "(value token \"a\\\"b\")");
    check("\"\"\"a\n\"b\"\"\"", "(value token \"a\\n\\\"b\")");
    check("'''it's'''", "(value token \"it's\")");
    check("\"a\" ~ 'b' ~ \"\"\"c\"\"\"", "(value token \"abc\")");
    check("\"'\"~'\"'", "(value token \"'\\\"\")");
    check(
        "\"\"\"\"'\"\"\" ~ '''x''\"\"y'''",
        "(value token \"\\\"'x''\\\"\\\"y\")",
    );
    check("\"\"", "(value token \"\")");
}

#[test]
fn refs_parent_grammar_external() {
    check("foo", "(ref foo)");
    check("\\element", "(ref element)");
    check(
        "grammar { start = parent foo }",
        "(grammar (start = (parentRef foo)))",
    );
    check("external \"a.rnc\"", "(externalRef \"a.rnc\" ns=\"\")");
    check(
        "namespace p = \"http://p\"\nexternal \"a.rnc\" inherit = p",
        "(externalRef \"a.rnc\" ns=\"http://p\")",
    );
    check(
        "default namespace = \"http://d\"\nexternal \"a.rnc\"",
        "(externalRef \"a.rnc\" ns=\"http://d\")",
    );
    check_ns(
        "external \"a.rnc\"",
        "http://inherited",
        "(externalRef \"a.rnc\" ns=\"http://inherited\")",
    );
}

// ---- Names and namespaces ------------------------------------------------

#[test]
fn name_classes() {
    check("element * { empty }", "(element * empty)");
    check(
        "namespace p = \"http://p\"\nelement p:* - (p:a | p:b) { empty }",
        "(element ({http://p}* - ({http://p}a | {http://p}b)) empty)",
    );
    check("element * - foo { empty }", "(element (* - foo) empty)");
    check("element a | b { empty }", "(element (a | b) empty)");
    check(
        "element (a | (b | c)) { empty }",
        "(element (a | (b | c)) empty)",
    );
    check("element element { empty }", "(element element empty)");
    check("element \\element { empty }", "(element element empty)");
    check(
        "element (* - a) | b { empty }",
        "(element ((* - a) | b) empty)",
    );
}

#[test]
fn namespaces_of_names() {
    check(
        "default namespace = \"http://d\"\nelement a { attribute b { text } }",
        "(element {http://d}a (attribute b text))",
    );
    check(
        "default namespace = \"http://d\"\nattribute * - (a | xml:lang) { text }",
        "(attribute (* - (a | {http://www.w3.org/XML/1998/namespace}lang)) text)",
    );
    check(
        "default namespace p = \"http://d\"\nelement p:a { empty }",
        "(element {http://d}a empty)",
    );
    check_ns(
        "element a { empty }",
        "http://i",
        "(element {http://i}a empty)",
    );
    check_ns(
        "default namespace = inherit\nelement a { empty }",
        "http://i",
        "(element {http://i}a empty)",
    );
    check_ns(
        "namespace p = inherit\nelement p:a { empty }",
        "http://i",
        "(element {http://i}a empty)",
    );
    check(
        "namespace local = \"\"\ndefault namespace = \"http://d\"\nelement local:a { empty }",
        "(element a empty)",
    );
    check(
        "namespace xml = \"http://www.w3.org/XML/1998/namespace\"\nattribute xml:space { text }",
        "(attribute {http://www.w3.org/XML/1998/namespace}space text)",
    );
    check(
        "namespace eg = \"http://\" ~ \"example.com\"\nelement eg:a { empty }",
        "(element {http://example.com}a empty)",
    );
}

// ---- Grammars ------------------------------------------------------------

#[test]
fn grammar_content() {
    check(
        "start = a\na = element a { empty }",
        "(grammar (start = (ref a)) (define a = (element a empty)))",
    );
    check(
        "a |= b\na &= c\nstart |= a",
        "(grammar (define a |= (ref b)) (define a &= (ref c)) (start |= (ref a)))",
    );
    check("a = b, c", "(grammar (define a = (ref b) (ref c)))");
    check("div { start = a }", "(grammar (div (start = (ref a))))");
    check("include \"x.rnc\"", "(grammar (include \"x.rnc\" ns=\"\"))");
    check(
        "namespace p = \"http://p\"\ninclude \"x.rnc\" inherit = p { start = a div { b = c } }",
        "(grammar (include \"x.rnc\" ns=\"http://p\" (start = (ref a)) (div (define b = (ref c)))))",
    );
    check("\\start = a", "(grammar (define start = (ref a)))");
    check("", "(grammar)");
    check("# just a comment\n", "(grammar)");
    check(
        "start = element foo { grammar { start = element bar { text }, element doh { text } } }",
        "(grammar (start = (element foo (grammar (start = (group (element bar text) (element doh text)))))))",
    );
}

// ---- Annotations and comments ---------------------------------------------

#[test]
fn annotations_are_dropped() {
    check(
        "namespace a = \"http://a\"\n[ a:x = \"1\" a:y [ \"z\" ] ] element foo { empty }",
        "(element foo empty)",
    );
    check(
        "element foo { [x[]](text*) }",
        "(element foo (zeroOrMore text))",
    );
    check(
        "element foo { string - ((string|string) >> x[]) >> y[] }",
        "(element foo (data string (except (data string) (data string))))",
    );
    check(
        "element foo { empty >> x [ a = \"1\" ] }",
        "(element foo empty)",
    );
    check(
        "div { foo [] foo = element foo { empty } }",
        "(grammar (div (define foo = (element foo empty))))",
    );
    check(
        "namespace a = \"http://a\"\n[a:b = \"c\"] start = a\n a:note [ \"hello\" ]",
        "(grammar (start = (ref a)))",
    );
    check(
        "namespace a = \"http://a\"\nxsd:int { [a:b = \"c\"] minInclusive = \"1\" }",
        "(data xsd:int minInclusive=\"1\")",
    );
    check(
        "namespace rng = \"http://relaxng.org/ns/structure/1.0\"\n[foo [ rng:foo = \"val\" ]] element foo { empty }",
        "(element foo empty)",
    );
    check(
        "element foo { \"x\" >> a[] }",
        "(element foo (value token \"x\"))",
    );
    check(
        "element * - foo >> a[] { empty }",
        "(element (* - foo) empty)",
    );
}

#[test]
fn comments_and_documentation() {
    check(
        "## doc\n## more\nelement foo # c\n { empty } #",
        "(element foo empty)",
    );
    check(
        "namespace # c\n eg = \n# c\n \"\"\nelement foo { empty }",
        "(element foo empty)",
    );
    check(
        "element foo { empty }\n# c\n| element bar { empty }",
        "(choice (element foo empty) (element bar empty))",
    );
    check("[\n# c\n] element foo { empty }", "(element foo empty)");
}

// ---- Escapes -----------------------------------------------------------------

#[test]
fn escapes() {
    check(
        "\\x{65}l\\xxxxx{00065}ment\\x{20}foo { empty \\x{7d}",
        "(element foo empty)",
    );
    check("element \\\\x{66}oo { empty }", "(element foo empty)");
    check("element \\xx\\x{66}oo { empty }", "(element xxfoo empty)");
    check("\"\\x{10300}\"", "(value token \"\u{10300}\")");
    check("\"z\\x{A}\"", "(value token \"z\\n\")");
    check("\"z\\x{D}\"", "(value token \"z\\r\")");
    check("\\xxxxx = a", "(grammar (define xxxxx = (ref a)))");
    check("\u{FEFF}empty", "empty");
    check("\"\"\"a\r\nb\rc\"\"\"", "(value token \"a\\nb\\nc\")");
}

#[test]
fn spans_point_into_the_original_text() {
    let text = "element \\x{66}oo { empty }";
    let pattern = parse(text, file_id(), "").expect("parses");
    assert_eq!(&text[pattern.span.range()], text);
    let PatternKind::Element { name, content } = &pattern.kind else {
        panic!("not an element");
    };
    assert_eq!(&text[name.span.range()], "\\x{66}oo");
    assert_eq!(&text[content[0].span.range()], "empty");

    let text = "start = a | b*\nb = xsd:int { minInclusive = \"1\" }";
    let pattern = parse(text, file_id(), "").expect("parses");
    let PatternKind::Grammar(grammar) = &pattern.kind else {
        panic!("not a grammar");
    };
    assert_eq!(&text[grammar.components[0].span.range()], "start = a | b*");
    let ComponentKind::Start { pattern: start, .. } = &grammar.components[0].kind else {
        panic!("not a start");
    };
    assert_eq!(&text[start.span.range()], "a | b*");
    let ComponentKind::Define { patterns, .. } = &grammar.components[1].kind else {
        panic!("not a define");
    };
    let PatternKind::Data { params, .. } = &patterns[0].kind else {
        panic!("not data");
    };
    assert_eq!(&text[params[0].span.range()], "minInclusive = \"1\"");
    assert_eq!(&text[pattern.span.range()], text);
}

// ---- Errors ------------------------------------------------------------------

#[test]
fn syntax_errors_say_what_was_expected() {
    check_error(
        "element foo { a | }",
        "expected a pattern after \"|\", found \"}\"",
        "}",
    );
    check_error(
        "element foo { a | b, c }",
        "\"|\" and \",\" can't be mixed without parentheses; put the operands of one of them in parentheses",
        ",",
    );
    check_error(
        "element foo { empty",
        "expected \"}\" after \"empty\", found end of file",
        "",
    );
    check_error(
        "element { empty }",
        "expected a name class (a name, \"*\", \"prefix:*\" or \"(\") after \"element\", found \"{\"",
        "{",
    );
    check_error(
        "start",
        "expected \"=\", \"|=\" or \"&=\" after \"start\", found end of file",
        "",
    );
    check_error(
        "element a { empty } element b { empty }",
        "expected \",\", \"|\", \"&\" or the end of the file after \"}\", found \"element\"",
        "element",
    );
    check_error(
        "start = start",
        "expected a pattern, found the keyword \"start\" (write \"\\start\" to refer to a definition with that name)",
        "start",
    );
    check_error(
        "element = x",
        "\"element\" is a keyword; write \"\\element\" to define a pattern with that name",
        "element",
    );
    check_error(
        "string - \"foo\"*",
        "a datatype with an except (\"-\") must be put in parentheses before \"*\" can follow it",
        "*",
    );
    check_error(
        "string - \"foo\" | string - \"bar\"",
        "a datatype with an except (\"-\") must be put in parentheses before \"|\" can follow it",
        "|",
    );
    check_error(
        "element * - foo - bar { empty }",
        "a name class can have only one except (\"-\"); put a nested one in parentheses",
        "-",
    );
    check_error(
        "a**",
        "\"*\" can't follow a repeated pattern directly; put the repeated pattern in parentheses",
        "*",
    );
    check_error(
        "include \"a\" { include \"b\" }",
        "an include can't contain another include",
        "include",
    );
    check_error("a ! b", "unexpected character \"!\"", "!");
    check_error("a > b", "expected \">>\", found a single \">\"", ">");
}

#[test]
fn lexical_errors() {
    check_error(
        "element foo { \"x\ny\" }",
        "the literal starting with \" is not closed before the end of the line (use \"\"\" for a literal that spans lines, or \\x{A} for a newline)",
        "\"x",
    );
    check_error(
        "\"abc",
        "the literal starting with \" is not closed before the end of the file",
        "\"abc",
    );
    check_error(
        "'''abc''",
        "the literal starting with ''' is not closed before the end of the file",
        "'''",
    );
    check_error(
        "\"\\x{D800}\"",
        "the escape names U+D800, which is not an XML character",
        "\\x{D800}",
    );
    check_error(
        "\"\\x{110000}\"",
        "the escape names a code point above U+10FFFF",
        "\\x{110000}",
    );
    check_error(
        "\"\\x{}\"",
        "the escape \"\\x{}\" has no hexadecimal digits",
        "\\x{}",
    );
    check_error(
        "empty \\x{7d",
        "the escape \"\\x{\" is not closed with \"}\" before the end of the file",
        "\\x{7d",
    );
    check_error(
        "empty \\x{7d }",
        "expected a hexadecimal digit or \"}\" in the escape \"\\x{\", found a space",
        "\\x{7d ",
    );
    check_error(
        "element \\x{D}foo { empty }",
        "unexpected character U+000D (written as an escape)",
        "\\x{D}",
    );
    check_error(
        "\\ foo",
        "expected a name after \"\\\" (a quoted identifier)",
        "\\",
    );
    check_error(
        "element p: { empty }",
        "expected a local name or \"*\" after \"p:\"",
        "p:",
    );
    check_error(
        "\u{0}",
        "the character U+0000 is not allowed in a schema",
        "\u{0}",
    );
}

#[test]
fn declaration_errors() {
    check_code(
        "namespace xmlns = \"http://x\"\nempty",
        super::BAD_DECLARATION,
    );
    check_code(
        "namespace xml = \"http://x\"\nempty",
        super::BAD_DECLARATION,
    );
    check_code(
        "namespace xm = \"http://www.w3.org/XML/1998/namespace\"\nempty",
        super::BAD_DECLARATION,
    );
    check_code(
        "namespace a = \"http://a\"\nnamespace a = \"http://b\"\nempty",
        super::BAD_DECLARATION,
    );
    check_code(
        "default namespace = \"http://a\"\ndefault namespace = \"http://b\"\nempty",
        super::BAD_DECLARATION,
    );
    check_code(
        "datatypes d = \"http://a\"\ndatatypes d = \"http://b\"\nempty",
        super::BAD_DECLARATION,
    );
    check_error(
        "element p:a { empty }",
        "the namespace prefix \"p\" is not declared (declare it with: namespace p = \"URI\")",
        "p:a",
    );
    check_error(
        "element a { d:int }",
        "the datatypes prefix \"d\" is not declared (declare it with: datatypes d = \"URI\")",
        "d:int",
    );
    check_code("external \"x\" inherit = q", super::UNDECLARED_PREFIX);
}

#[test]
fn all_declaration_errors_are_reported() {
    let errors = errors("element p:a { attribute q:b { d:int } }");
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
}

#[test]
fn annotation_errors() {
    let eg = "namespace eg = \"http://www.example.com\"\n";
    check_code(
        &format!("{eg}[ eg:x = \"foo\" eg:x = \"foo\" ]\nelement foo {{ empty }}"),
        super::BAD_ANNOTATION,
    );
    check_code(
        "namespace eg1 = \"http://e\"\nnamespace eg2 = \"http://e\"\n[ eg1:x = \"1\" eg2:x = \"2\" ] empty",
        super::BAD_ANNOTATION,
    );
    check_code(
        "namespace xns = \"http://www.w3.org/2000/xmlns\"\n[ xns:x = \"foo\" ] empty",
        super::BAD_ANNOTATION,
    );
    check_code(
        "foo [ xmlns = \"bar\" ]\nstart = empty",
        super::BAD_ANNOTATION,
    );
    check_code(
        "namespace local = \"\"\nfoo [ local:xmlns = \"bar\" ]\nstart = empty",
        super::BAD_ANNOTATION,
    );
    check_code(
        "namespace rng = \"http://relaxng.org/ns/structure/1.0\"\n[rng:foo = \"val\"] empty",
        super::BAD_ANNOTATION,
    );
    check_code(
        "namespace rng = \"http://relaxng.org/ns/structure/1.0\"\n[rng:foo [ \"val\" ]] empty",
        super::BAD_ANNOTATION,
    );
    check_code("[ x = \"1\" ] empty", super::BAD_ANNOTATION);
    check_code(
        "namespace local = \"\"\n[ local:x = \"1\" ] empty",
        super::BAD_ANNOTATION,
    );
    check_code("element foo { empty } >> x[]", super::BAD_ANNOTATION);
    check_code("[x[]] \"value\"", super::BAD_ANNOTATION);
    check_code("[x[]] token \"value\"", super::BAD_ANNOTATION);
    check_code("element a { [x[]] \"value\" }", super::BAD_ANNOTATION);
    check_code(
        "xsd:int { [x[]] minInclusive = \"1\" }",
        super::BAD_ANNOTATION,
    );
}

// ---- Hostile input -------------------------------------------------------------

#[test]
fn never_panics_on_broken_input() {
    let inputs = [
        "\"",
        "'",
        "\"\"\"",
        "'''",
        "\"\"\"\"\"",
        "\\x{",
        "\\x",
        "\\",
        "\\x{FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF}",
        "\\x{zz}",
        "element",
        "element foo",
        "element foo {",
        "element foo { empty ",
        "(",
        ")",
        "[",
        "[[",
        "]",
        ">>",
        "a >>",
        "a >> x[",
        "namespace",
        "namespace a",
        "namespace a =",
        "default",
        "default namespace",
        "datatypes x = inherit",
        "include",
        "include \"a\" {",
        "include \"a\" inherit",
        "include \"a\" inherit =",
        "external",
        "grammar {",
        "div {",
        "start =",
        "a |",
        "a ,",
        "string -",
        "string {",
        "string { a",
        "string { a =",
        "\"a\" ~",
        "element * -",
        "element a:",
        "element a:*-",
        "parent",
        "x:",
        ":",
        "\u{FEFF}",
        "\u{FEFF}\u{FEFF}",
        "é",
        "element é { \"\u{10FFFF}\" }",
        "\r",
        "\r\n\r",
        "#",
        "##",
        "foo [",
        "foo [ a = ",
        "[ a:b = \"c\"",
    ];
    for input in inputs {
        let _ = parse(input, file_id(), "");
    }
    // Every prefix of a rich schema, cut at every character boundary.
    let schema = "namespace a = \"http://a\"\ndatatypes d = \"http://d\"\n\
                  [ a:x = \"1\" ] start = element a:foo { attribute * - (b | a:*) { d:t { p = \"v\" } - \"x\" }* \
                  & (e | f)+ >> a:n [ g = \"h\" ] } | grammar { start = parent s } | external \"u\" inherit = a\n\
                  s |= \"\"\"t\"\"\" ~ 'u'\ndiv { include \"i\" { s &= \\x{41} } }";
    for (i, _) in schema.char_indices() {
        let _ = parse(&schema[..i], file_id(), "");
    }
    parse(schema, file_id(), "").expect("the full schema parses");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}empty{}", "(".repeat(10_000), ")".repeat(10_000));
    check_code(&deep, super::TOO_DEEP);
    let deep = "element a { ".repeat(5_000) + "empty" + &" }".repeat(5_000);
    check_code(&deep, super::TOO_DEEP);
    let deep =
        "element ".to_owned() + &"(".repeat(10_000) + "a" + &")".repeat(10_000) + " { empty }";
    check_code(&deep, super::TOO_DEEP);
    let deep = "[".to_owned() + &"a [ ".repeat(10_000) + &"]".repeat(10_001) + " empty";
    check_code(&deep, super::TOO_DEEP);
    let deep = "div { ".repeat(10_000) + &"}".repeat(10_000);
    check_code(&deep, super::TOO_DEEP);
    let deep = "start = grammar { ".repeat(5_000) + "start = empty" + &"}".repeat(5_000);
    check_code(&deep, super::TOO_DEEP);
    // Just under the limit still parses.
    let depth = super::MAX_DEPTH as usize - 1;
    let ok = format!("{}empty{}", "(".repeat(depth), ")".repeat(depth));
    check(&ok, "empty");
    let ok = "element a { ".repeat(depth) + "empty" + &" }".repeat(depth);
    assert!(parse(&ok, file_id(), "").is_ok());
    // Long flat sequences don't nest.
    let wide = vec!["empty"; 50_000].join(", ");
    assert!(parse(&wide, file_id(), "").is_ok());
}

// ---- The jing-trang compact test suite ------------------------------------------

/// Incorrect cases of `compacttest.xml` whose fault is not in the compact
/// syntax but in a rule that simplification (or datatype checking) applies
/// to both syntaxes, so this parser accepts them. Keyed by the schema text.
const REJECTED_LATER: &[(&str, &str)] = &[
    (
        "element * - * { empty }",
        "§4.16: anyName inside the except of anyName",
    ),
    (
        "element * - (*) { empty }",
        "§4.16: anyName inside the except of anyName",
    ),
    (
        "element eg:* - * { empty }",
        "§4.16: anyName inside the except of nsName",
    ),
    (
        "element eg:* - (*) { empty }",
        "§4.16: anyName inside the except of nsName",
    ),
    (
        "element eg:* - eg:* { empty }",
        "§4.16: nsName inside the except of nsName",
    ),
    (
        "element eg:* - (eg:*) { empty }",
        "§4.16: nsName inside the except of nsName",
    ),
    (
        "element eg1:* - eg2:* { empty }",
        "§4.16: nsName inside the except of nsName",
    ),
    (
        "attribute scheme { xsd:QName \"p:A\" }",
        "the value \"p:A\" is not a QName in its context: prefix p is undeclared (datatype check)",
    ),
];

/// A test whose data in `../shared` is missing says it was skipped, except
/// under `CI=true`, where the data must be present (as in the runners of
/// `make conformance`).
fn skip_unless_ci(missing: &std::path::Path) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {} is missing",
        missing.display()
    );
    println!("SKIPPED: {} not found", missing.display());
}

#[test]
fn compacttest_parses() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/compacttest.xml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return skip_unless_ci(&path);
    };
    let doc = roxmltree::Document::parse(&text).expect("compacttest.xml is well-formed");
    let (mut correct, mut correct_ok, mut incorrect, mut incorrect_ok, mut later) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for (number, case) in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("testCase"))
        .enumerate()
    {
        let Some(compact) = case.children().find(|n| n.has_tag_name("compact")) else {
            continue;
        };
        for schema in compact.children().filter(|n| n.is_element()) {
            let expect_ok = match schema.tag_name().name() {
                "correct" => true,
                "incorrect" => false,
                _ => continue,
            };
            let source: String = schema.children().filter_map(|n| n.text()).collect();
            let result = parse(&source, file_id(), "");
            if expect_ok {
                correct += 1;
                match result {
                    Ok(_) => correct_ok += 1,
                    Err(errors) => failures.push(format!(
                        "case {}: correct schema rejected: {errors:?}\n{source}",
                        number + 1
                    )),
                }
            } else {
                incorrect += 1;
                let later_reason = REJECTED_LATER
                    .iter()
                    .find(|(key, _)| source.contains(key))
                    .map(|(_, reason)| reason);
                match (result, later_reason) {
                    (Err(_), None) => incorrect_ok += 1,
                    (Ok(_), Some(_)) => later += 1,
                    (Err(errors), Some(_)) => failures.push(format!(
                        "case {}: listed as rejected later, but the parser rejects it: {errors:?}",
                        number + 1
                    )),
                    (Ok(p), None) => failures.push(format!(
                        "case {}: incorrect schema accepted as {}\n{source}",
                        number + 1,
                        summarize(&p)
                    )),
                }
            }
        }
    }
    println!(
        "compacttest: {correct_ok}/{correct} correct schemas parse; \
         {incorrect_ok}/{incorrect} incorrect schemas rejected by the parser, \
         {later} more left to later stages"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(incorrect_ok + later, incorrect);
}

/// Every compact schema of libvirt 9.0.0 (converted by trang) parses.
#[test]
fn libvirt_rnc_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/libvirt-9.0.0/rnc");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return skip_unless_ci(&dir);
    };
    let mut count = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rnc") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable schema");
        if let Err(errors) = parse(&text, file_id(), "") {
            panic!("{}: {errors:?}", path.display());
        }
        count += 1;
    }
    println!("libvirt: {count} compact schemas parse");
}
