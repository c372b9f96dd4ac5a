//! Verdicts that must agree with jing, or with the spec where jing is wrong
//! (issue 16). Each case is a small schema and document run through the
//! binary; every expected exit code here was checked against
//! `java -jar jing.jar` (`-c` for the compact syntax), and the cases where
//! rngcheck deliberately differs from jing cite the spec section that
//! decides.

use assert_cmd::Command;
use tempfile::TempDir;

/// Writes `files` (name, text) into a temporary directory and runs
/// `rngcheck --format short` there with `args` (file names relative to it);
/// gives the exit code and what was printed.
fn run(files: &[(&str, &str)], args: &[&str]) -> (i32, String) {
    let dir = TempDir::new().expect("cannot create a temporary directory");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("cannot write a test file");
    }
    let out = Command::cargo_bin("rngcheck")
        .expect("no rngcheck binary")
        .current_dir(dir.path())
        .args(["--format", "short"])
        .args(args)
        .output()
        .expect("cannot run rngcheck");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), printed)
}

/// The exit code of validating each document of `docs` (text, expected
/// exit code) against `schema`, named `schema_name` (its extension picks
/// the syntax), read whole and with `--stream`; all mismatches are
/// reported together.
#[track_caller]
fn assert_verdicts(schema_name: &str, schema: &str, docs: &[(&str, i32)]) {
    let mut wrong = Vec::new();
    for &(doc, want) in docs {
        for mode in [&[][..], &["--stream"][..]] {
            let args = [mode, &[schema_name, "doc.xml"][..]].concat();
            let (got, printed) = run(&[(schema_name, schema), ("doc.xml", doc)], &args);
            if got != want {
                wrong.push(format!(
                    "{doc} {mode:?}\n  expected exit {want}, got {got}:\n{printed}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A schema in the XML syntax with XSD datatypes: `body` inside `<start>`.
fn xsd_schema(body: &str) -> String {
    format!(
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start>{body}</start>
</grammar>
"#
    )
}

/// A schema for `<v>` whose text is `datatype` with `params`
/// (`name`, `value`).
fn value_schema(datatype: &str, params: &[(&str, &str)]) -> String {
    let params: String = params
        .iter()
        .map(|(name, value)| format!(r#"<param name="{name}">{value}</param>"#))
        .collect();
    xsd_schema(&format!(
        r#"<element name="v"><data type="{datatype}">{params}</data></element>"#
    ))
}

/// [`assert_verdicts`] for documents `<v>text</v>` (text, expected exit
/// code) against `schema`.
#[track_caller]
fn assert_v_documents(schema: &str, rows: &[(&str, i32)]) {
    let docs: Vec<(String, i32)> = rows
        .iter()
        .map(|&(text, want)| (format!("<v>{text}</v>"), want))
        .collect();
    let docs: Vec<(&str, i32)> = docs.iter().map(|(d, w)| (d.as_str(), *w)).collect();
    assert_verdicts("s.rng", schema, &docs);
}

/// `<v>` documents against `datatype` with `params` ([`value_schema`]).
#[track_caller]
fn assert_values(datatype: &str, params: &[(&str, &str)], rows: &[(&str, i32)]) {
    assert_v_documents(&value_schema(datatype, params), rows);
}

/// `<v>` documents against `<value type="datatype">value</value>`.
#[track_caller]
fn assert_equal_values(datatype: &str, value: &str, rows: &[(&str, i32)]) {
    let schema = xsd_schema(&format!(
        r#"<element name="v"><value type="{datatype}">{value}</value></element>"#
    ));
    assert_v_documents(&schema, rows);
}

// 1. The `xml` prefix is bound by definition (Namespaces in XML §3), so a
//    QName may use it undeclared: in data, in lists and against a `value`.

#[test]
fn qname_values_may_use_the_undeclared_xml_prefix() {
    let schema = xsd_schema(
        r#"<element name="a">
      <attribute name="n"><data type="QName"/></attribute>
      <optional><attribute name="l"><list><oneOrMore><data type="QName"/></oneOrMore></list></attribute></optional>
      <optional><attribute name="v"><value type="QName">xml:lang</value></attribute></optional>
      <optional><attribute name="xml:lang"/></optional>
    </element>"#,
    );
    assert_verdicts(
        "s.rng",
        &schema,
        &[
            (r#"<a n="xml:lang"/>"#, 0),
            (r#"<a n="x" l="xml:lang xml:space"/>"#, 0),
            (r#"<a n="x" v="xml:lang" xml:lang="en"/>"#, 0),
            // Unprefixed, `lang` is in no namespace: not the value xml:lang.
            (r#"<a n="x" v="lang"/>"#, 1),
            (r#"<a n="undeclared:lang"/>"#, 1),
        ],
    );
    let compact = r#"element a {
  attribute n { xsd:QName },
  attribute l { list { xsd:QName+ } }?,
  attribute v { xsd:QName "xml:lang" }?,
  attribute xml:lang { text }?
}
"#;
    assert_verdicts(
        "s.rnc",
        compact,
        &[
            (
                r#"<a n="xml:lang" l="xml:space" v="xml:lang" xml:lang="en"/>"#,
                0,
            ),
            (r#"<a n="nope:lang"/>"#, 1),
        ],
    );
}

/// An XSLT stylesheet naming `xml:lang` as an attribute to create, the case
/// real stylesheets (docbook-xsl, yelp-xsl) hit, in the tree path (a
/// DOCTYPE-free document with `\r` is not taken by the fast scanner).
#[test]
fn xslt_attribute_named_xml_lang_is_valid_on_both_document_paths() {
    let schema = r#"default namespace xsl = "http://www.w3.org/1999/XSL/Transform"
element stylesheet { element attribute { attribute name { xsd:QName }, text }* }
"#;
    let doc = "<xsl:stylesheet xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>\
               <xsl:attribute name='xml:lang'>en</xsl:attribute></xsl:stylesheet>";
    let doc_cr = doc.replace("<xsl:attribute", "\r\n<xsl:attribute");
    assert_verdicts("s.rnc", schema, &[(doc, 0), (&doc_cr, 0)]);
}

// 2. §4.7 removes every define of an overridden name from the included
//    grammar, however many overrides name it (in a `div` or not); the
//    overrides then combine like any defines of one name (§4.17).

/// The included grammar: `doc` holding the `a` it defines as `<orig/>`.
const INCLUDED_RNG: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="doc"><ref name="a"/></element></start>
  <define name="a"><element name="orig"><empty/></element></define>
</grammar>
"#;

const INCLUDED_RNC: &str = "start = element doc { a }\na = element orig { empty }\n";

/// Runs `schema` (which includes `inc.rng` or `inc.rnc`) on `<doc><x/></doc>`,
/// `<doc><y/></doc>` and `<doc><orig/></doc>`; gives the three exit codes.
fn include_verdicts(schema_name: &str, schema: &str) -> Vec<(i32, String)> {
    ["<doc><x/></doc>", "<doc><y/></doc>", "<doc><orig/></doc>"]
        .iter()
        .map(|doc| {
            run(
                &[
                    ("inc.rng", INCLUDED_RNG),
                    ("inc.rnc", INCLUDED_RNC),
                    (schema_name, schema),
                    ("doc.xml", doc),
                ],
                &[schema_name, "doc.xml"],
            )
        })
        .collect()
}

#[test]
fn an_include_may_override_one_name_several_times() {
    let schemas = [
        (
            "s.rng",
            r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <include href="inc.rng">
    <define name="a"><element name="x"><empty/></element></define>
    <define name="a" combine="choice"><element name="y"><empty/></element></define>
  </include>
</grammar>
"#,
        ),
        (
            "div.rng",
            r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <include href="inc.rng">
    <define name="a"><element name="x"><empty/></element></define>
    <div><define name="a" combine="choice"><element name="y"><empty/></element></define></div>
  </include>
</grammar>
"#,
        ),
        (
            "s.rnc",
            "include \"inc.rnc\" {\n  a = element x { empty }\n  a |= element y { empty }\n}\n",
        ),
        (
            "div.rnc",
            "include \"inc.rnc\" {\n  a |= element x { empty }\n  div { a |= element y { empty } }\n}\n",
        ),
    ];
    for (name, schema) in schemas {
        let codes: Vec<i32> = include_verdicts(name, schema)
            .iter()
            .map(|(code, _)| *code)
            .collect();
        assert_eq!(
            codes,
            [0, 0, 1],
            "{name}: {:?}",
            include_verdicts(name, schema)
        );
    }
}

#[test]
fn overrides_that_do_not_combine_or_override_nothing_are_still_errors() {
    // Two overrides of `a`, neither with `combine`: §4.17 allows only one.
    let twice = "include \"inc.rnc\" {\n  a = element x { empty }\n  a = element y { empty }\n}\n";
    let (code, printed) = &include_verdicts("s.rnc", twice)[0];
    assert_eq!(*code, 3, "{printed}");
    // Overriding a name the included grammar lacks, twice: one error.
    let absent =
        "include \"inc.rnc\" {\n  b = element x { empty }\n  b |= element y { empty }\n}\n";
    let (code, printed) = &include_verdicts("s.rnc", absent)[0];
    assert_eq!(*code, 3, "{printed}");
    assert_eq!(
        printed
            .matches("which the included grammar does not define")
            .count(),
        1,
        "{printed}"
    );
}

// 3. Times order as dateTimes on one fixed date (XSD 1.0 §3.2.8), and a
//    zoned and an unzoned value within 14 hours are incomparable
//    (§3.2.7.4), so neither bound holds between them.

#[test]
fn times_order_across_timezones_as_datetimes_on_one_date() {
    assert_values(
        "time",
        &[("minInclusive", "12:00:00Z")],
        &[
            ("12:00:00Z", 0),
            ("11:59:59.999", 1),
            ("12:00:00", 1),
            ("22:00:01", 1),
            ("11:00:00Z", 1),
            // 02:00:00Z of the next day.
            ("23:00:00-03:00", 0),
        ],
    );
    assert_values(
        "time",
        &[("maxExclusive", "12:00:00")],
        &[("11:00:00", 0), ("12:00:00Z", 1)],
    );
    assert_values(
        "time",
        &[("minInclusive", "00:00:00Z")],
        &[("14:00:01", 0), ("14:00:00", 1)],
    );
    assert_values(
        "time",
        &[("maxInclusive", "03:00:00Z")],
        &[("00:00:00+01:00", 0), ("23:00:00-03:00", 1)],
    );
    // Equality keeps the day carried too (as jing has it).
    assert_equal_values(
        "time",
        "02:00:00Z",
        &[
            ("02:00:00+00:00", 0),
            ("03:00:00+01:00", 0),
            ("23:00:00-03:00", 1),
        ],
    );
}

#[test]
fn dates_and_gregorian_types_order_across_timezones() {
    assert_values(
        "date",
        &[("minInclusive", "2000-01-02Z")],
        &[
            ("2000-01-02", 1),
            ("2000-01-03", 0),
            ("2000-01-02+13:00", 1),
            ("2000-01-03+14:00", 0),
        ],
    );
    assert_values(
        "date",
        &[("maxExclusive", "2000-01-02")],
        &[
            ("2000-01-02Z", 1),
            ("2000-01-01Z", 0),
            ("2000-01-01-11:00", 1),
            ("2000-01-01+14:00", 0),
        ],
    );
    assert_values(
        "gYearMonth",
        &[("maxExclusive", "2000-02")],
        &[("2000-02Z", 1), ("2000-01Z", 0), ("2000-01+05:00", 0)],
    );
    assert_values(
        "gMonthDay",
        &[("minInclusive", "--02-02Z")],
        &[("--02-02", 1), ("--02-03", 0), ("--02-02+01:00", 1)],
    );
    assert_values(
        "gDay",
        &[("maxExclusive", "---02")],
        &[("---02Z", 1), ("---01Z", 0), ("---01+10:00", 0)],
    );
    assert_values(
        "gMonth",
        &[("minInclusive", "--02Z")],
        &[("--02", 1), ("--03", 0), ("--02-01:00", 0)],
    );
}

// 4. NaN equals itself and is incomparable with every other value (XSD 1.0
//    2nd edition §3.2.4 float, §3.2.5 double): an inclusive NaN bound
//    admits NaN alone, an exclusive one nothing.

#[test]
fn an_inclusive_nan_bound_admits_nan_alone() {
    for datatype in ["double", "float"] {
        for facet in ["minInclusive", "maxInclusive"] {
            assert_values(
                datatype,
                &[(facet, "NaN")],
                &[("NaN", 0), ("1", 1), ("INF", 1), ("-INF", 1)],
            );
        }
        for facet in ["minExclusive", "maxExclusive"] {
            assert_values(datatype, &[(facet, "NaN")], &[("NaN", 1), ("1", 1)]);
        }
        assert_values(datatype, &[("minInclusive", "0")], &[("NaN", 1), ("0", 0)]);
    }
}

// 5. Duration seconds are an unsigned decimal: `.5` and `1.` as in
//    `decimal` (jing and xmllint agree; XSD 1.1 duSecondFrag spells it out).

#[test]
fn duration_seconds_are_any_unsigned_decimal() {
    assert_values(
        "duration",
        &[("minInclusive", "PT0S")],
        &[
            ("PT.5S", 0),
            ("PT1.S", 0),
            ("PT0.S", 0),
            ("PT1.5S", 0),
            ("PT.S", 1),
            ("PT+1S", 1),
            ("-PT.5S", 1),
        ],
    );
    assert_values(
        "duration",
        &[("maxInclusive", "PT0.5S")],
        &[("PT.5S", 0), ("PT.50S", 0), ("PT1.S", 1)],
    );
    assert_equal_values("duration", "PT1S", &[("PT1.S", 0), ("PT1.01S", 1)]);
}

// 6. anyURI: RFC 2396 as amended by RFC 2732 (§3) makes `[` and `]`
//    reserved characters, allowed only around an IPv6 host and in a query,
//    a fragment or an opaque part; XSD 1.0 §3.2.17 (by XLink §5.4) does
//    not escape them.

#[test]
fn uri_brackets_only_around_an_ipv6_host_or_in_a_query_or_fragment() {
    assert_values(
        "anyURI",
        &[],
        &[
            ("http://[::1]/", 0),
            ("http://u@[::1]:80/x", 0),
            ("//[::ffff:1.2.3.4]/p", 0),
            ("http://a/b?x[1]#[y]", 0),
            ("mailto:a[x]", 0),
            ("[", 1),
            ("a[b", 1),
            ("http://[::1", 1),
            ("http://[::1]]/", 1),
            ("http://[::1]x/", 1),
            ("http://[::1]:x/", 1),
            ("http://[zz]/", 1),
            ("http://[]/", 1),
            ("http://a/[x]", 1),
            ("file:///[a]", 1),
        ],
    );
}

/// Where jing differs on anyURI, the RFCs decide.
#[test]
fn uri_cases_where_jing_is_wrong() {
    assert_values(
        "anyURI",
        &[],
        &[
            // RFC 2396 §3.2.2: `server = [ [ userinfo "@" ] hostport ]` may
            // be empty, so `//` is a network-path reference (jing refuses).
            ("//", 0),
            // RFC 2396 §3: an opaque part starts with `uric_no_slash`,
            // which RFC 2732 did not extend with brackets (jing accepts).
            ("mailto:[x]", 1),
            // RFC 2732 §3's IPv6address (from RFC 2373) has no zone
            // identifier; that came with RFC 6874 (jing accepts).
            ("http://[fe80::1%25eth0]/", 1),
        ],
    );
}

// 7. XSD ENTITY and ENTITIES values name unparsed entities: those the
//    document's internal DTD subset declares with NDATA (XSD 1.0 §3.3.11,
//    §3.3.12; the cases of jing-trang's xsdtest.xml, no NOTATION needed).

const ENTITY_SCHEMA: &str = r#"<element name="a" xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <optional><attribute name="e"><data type="ENTITY"/></attribute></optional>
  <optional><attribute name="es"><data type="ENTITIES"/></attribute></optional>
  <optional><element name="t"><data type="ENTITY"/></element></optional>
</element>
"#;

/// A document whose DOCTYPE declares unparsed entities `foo` and `bar`,
/// a parsed external entity `txt` and an internal one `int`, then `root`.
fn with_entities(root: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n  <!-- <!ENTITY c SYSTEM 'c' NDATA jpeg> -->\n  \
         <!ENTITY foo SYSTEM 'whatever' NDATA jpeg>\n  <!ENTITY bar SYSTEM \"b.jpg\" NDATA jpeg>\n  \
         <!ENTITY txt SYSTEM 't.xml'>\n  <!ENTITY int 'x'>\n]>\n{root}\n"
    )
}

#[test]
fn entity_values_name_the_unparsed_entities_of_the_doctype() {
    let docs = [
        (with_entities(r#"<a e="foo"/>"#), 0),
        (with_entities(r#"<a es=" foo  bar "><t> bar </t></a>"#), 0),
        (with_entities(r#"<a e="txt"/>"#), 1),
        (with_entities(r#"<a e="int"/>"#), 1),
        (with_entities(r#"<a e="c"/>"#), 1),
        (with_entities(r#"<a es="foo baz"/>"#), 1),
        (r#"<a e="foo"/>"#.to_string(), 1),
    ];
    let docs: Vec<(&str, i32)> = docs.iter().map(|(d, w)| (d.as_str(), *w)).collect();
    assert_verdicts("s.rng", ENTITY_SCHEMA, &docs);
}

/// One run over several documents (one validator reused): each document's
/// entities are its own.
#[test]
fn unparsed_entities_do_not_leak_into_the_next_document() {
    for args in [
        &["s.rng", "with.xml", "without.xml"],
        &["s.rng", "without.xml", "with.xml"],
    ] {
        let (code, printed) = run(
            &[
                ("s.rng", ENTITY_SCHEMA),
                ("with.xml", &with_entities(r#"<a e="foo"/>"#)),
                ("without.xml", r#"<a e="foo"/>"#),
            ],
            args,
        );
        assert_eq!(code, 1, "{printed}");
        assert!(
            printed.contains("without.xml:1:") && !printed.contains("with.xml:"),
            "{printed}"
        );
    }
}

/// The library's two readers, a document in memory and one streamed.
#[test]
fn the_library_knows_the_unparsed_entities_on_both_paths() {
    let dir = TempDir::new().expect("cannot create a temporary directory");
    let path = dir.path().join("s.rng");
    std::fs::write(&path, ENTITY_SCHEMA).expect("cannot write the schema");
    let schema = rngcheck::Schema::load(&path).expect("the schema loads");
    let mut validator = schema.validator();
    let doc = with_entities(r#"<a es="bar foo"><t>foo</t></a>"#);
    assert!(validator.validate_str(&doc).is_ok());
    assert!(validator.validate_reader(doc.as_bytes()).is_ok());
    let doc = with_entities(r#"<a es="bar int"/>"#);
    assert!(validator.validate_str(&doc).is_err());
    assert!(validator.validate_reader(doc.as_bytes()).is_err());
}

// Where jing is wrong and rngcheck follows the spec (XML Schema Part 2,
// 2nd edition, unless said otherwise). Each test holds cases jing decides
// the other way (checked with jing), framed by cases both agree on.

#[test]
fn jing_is_wrong_midnight_at_24_00_00() {
    // §3.2.7: hour 24 is allowed as 24:00:00, the first instant of the next
    // day (jing refuses it).
    assert_values(
        "dateTime",
        &[],
        &[("2000-01-01T24:00:00", 0), ("2000-01-01T24:00:01", 1)],
    );
    assert_values("time", &[], &[("24:00:00", 0), ("24:00:00Z", 0)]);
    assert_equal_values(
        "dateTime",
        "2000-01-02T00:00:00",
        &[("2000-01-01T24:00:00", 0)],
    );
}

#[test]
fn jing_is_wrong_timezone_minus_14_00() {
    // §3.2.7: a timezone offset is at most 14:00 either way (jing refuses
    // -14:00 while taking +14:00).
    for (datatype, text) in [
        ("dateTime", "2000-01-01T00:00:00-14:00"),
        ("time", "12:00:00-14:00"),
        ("date", "2000-01-01-14:00"),
        ("gYearMonth", "1999-06-14:00"),
    ] {
        assert_values(datatype, &[], &[(text, 0)]);
    }
    assert_values("time", &[], &[("12:00:00-14:01", 1)]);
}

#[test]
fn jing_is_wrong_digit_facets_measure_the_value() {
    // §4.3.11, §4.3.12: totalDigits and fractionDigits restrict the value
    // space (i × 10^-n), so trailing fractional zeros do not count (jing
    // counts them).
    assert_values(
        "decimal",
        &[("totalDigits", "3")],
        &[("1.000", 0), ("123.0", 0), ("0012", 0), ("1234", 1)],
    );
    assert_values(
        "decimal",
        &[("fractionDigits", "1")],
        &[("1.000", 0), ("1.10", 0), ("1.01", 1)],
    );
}

#[test]
fn jing_is_wrong_fractional_seconds_beyond_milliseconds() {
    // §3.2.7.1: fractional seconds have any precision (jing keeps
    // milliseconds, so it equates .0001 and .0002).
    assert_equal_values(
        "dateTime",
        "2000-01-01T00:00:00.0001",
        &[
            ("2000-01-01T00:00:00.00010", 0),
            ("2000-01-01T00:00:00.0002", 1),
        ],
    );
    assert_values(
        "dateTime",
        &[("maxExclusive", "2000-01-01T00:00:00.0001")],
        &[
            ("2000-01-01T00:00:00.00005", 0),
            ("2000-01-01T00:00:00.00015", 1),
        ],
    );
}

#[test]
fn jing_is_wrong_durations_equal_at_every_reference_point() {
    // §3.2.6.2: durations are ordered by adding them to four reference
    // dateTimes; P1Y and P12M (and P1D and PT24H) land on the same instant
    // from each, so they are equal (as XSD 1.1's (months, seconds) value
    // space makes explicit). jing refuses P12M against maxInclusive P1Y.
    assert_values(
        "duration",
        &[("maxInclusive", "P1Y")],
        &[("P12M", 0), ("P364D", 0), ("P13M", 1), ("P365D", 1)],
    );
    assert_equal_values("duration", "P1D", &[("PT24H", 0), ("PT23H", 1)]);
}

#[test]
fn jing_is_wrong_a_dash_may_end_a_character_class() {
    // Appendix F.1 (2nd edition): `-` is a character of a positive
    // character group at its start or its end (jing takes the 1st
    // edition's grammar and refuses the schema).
    assert_values(
        "string",
        &[("pattern", "[a-]")],
        &[("a", 0), ("-", 0), ("b", 1)],
    );
    assert_values("string", &[("pattern", "[ab-]")], &[("-", 0), ("c", 1)]);
}

#[test]
fn jing_is_wrong_qname_takes_length_facets() {
    // §3.2.18 lists length, minLength and maxLength among QName's
    // applicable facets (jing refuses the schema: "does not define a
    // units of length").
    assert_values("QName", &[("length", "3")], &[("abc", 0)]);
    assert_values("QName", &[("maxLength", "5")], &[("xml:a", 0)]);
}

#[test]
fn jing_is_wrong_no_leap_seconds() {
    // §3.2.7 (2nd edition): seconds run 00 to 59; leap seconds are not
    // supported (jing takes 23:59:60).
    assert_values("dateTime", &[], &[("2000-12-31T23:59:60", 1)]);
    assert_values("time", &[], &[("23:59:60", 1), ("23:59:59", 0)]);
}

/// `p:xmlns` is an ordinary attribute in `p`'s namespace (Namespaces in
/// XML reserves only the `xmlns` prefix and the unprefixed `xmlns`); jing
/// and xmllint read it so. (A document that needs the tree path, one with a
/// DOCTYPE, still gets roxmltree's reading of it as a default namespace
/// declaration.)
#[test]
fn a_prefixed_xmlns_attribute_is_an_ordinary_attribute() {
    let schema = "namespace x = \"urn:x\"\nelement r { attribute x:xmlns { text } }\n";
    assert_verdicts(
        "s.rnc",
        schema,
        &[
            ("<r xmlns:p='urn:x' p:xmlns='1'/>", 0),
            ("<r xmlns:p='urn:y' p:xmlns='1'/>", 1),
            ("<r/>", 1),
        ],
    );
}

/// The `xml` prefix is bound by definition, for element names too: jing
/// and xmllint take `<xml:e/>`. (roxmltree refuses it, so a document that
/// needs the tree path, one with a DOCTYPE, is still not well-formed here.)
#[test]
fn an_element_may_have_the_xml_prefix() {
    let schema = "element xml:e { attribute xml:lang { text }? }\n";
    assert_verdicts(
        "s.rnc",
        schema,
        &[
            ("<xml:e xml:lang='en'></xml:e>", 0),
            ("<xml:e/>", 0),
            ("<xml:f/>", 1),
            ("<e/>", 1),
        ],
    );
}
