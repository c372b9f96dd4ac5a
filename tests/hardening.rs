//! Hostile and broken input: each case drives the real binary and states its
//! outcome (exit code and a message fragment); docs/hardening.md lists them.
//! Inputs that crash a fuzz target (fuzz/) belong here too, as regression
//! tests; the runs so far found none (see docs/hardening.md).

use crate::util::text;
use std::path::{Path, PathBuf};
use std::process::Output;

const NS: &str = "http://relaxng.org/ns/structure/1.0";

/// `<doc>` with any mix of `<item/>`, text and an optional `a` attribute.
fn doc_schema() -> String {
    format!(
        r#"<element name="doc" xmlns="{NS}">
  <optional><attribute name="a"/></optional>
  <zeroOrMore><choice><element name="item"><empty/></element><text/></choice></zeroOrMore>
</element>
"#
    )
}

/// A temporary directory to write files into.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::Builder::new()
            .prefix("rngcheck-hardening-")
            .tempdir()
            .expect("cannot create a temporary directory"))
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("cannot write a test file");
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    /// The schema of [`doc_schema`], written as `schema.rng`.
    fn doc_schema(&self) -> PathBuf {
        self.write("schema.rng", doc_schema())
    }
}

/// Runs the binary with `--format short` and `args`, capped at 8 GiB of
/// address space and 120 seconds: a regression makes the test fail (killed,
/// no exit code) instead of exhausting the shared machine.
fn rngcheck(args: &[&Path]) -> Output {
    assert_cmd::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 8388608 && exec \"$0\" --format short \"$@\"")
        .arg(env!("CARGO_BIN_EXE_rngcheck"))
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("cannot run rngcheck")
}

/// Asserts the exit code and that the output contains every fragment.
#[track_caller]
fn assert_outcome(output: &Output, code: i32, fragments: &[&str]) {
    let all = text(output);
    assert_eq!(output.status.code(), Some(code), "output:\n{all}");
    for fragment in fragments {
        assert!(all.contains(fragment), "no {fragment:?} in:\n{all}");
    }
}

// ---- Documents -------------------------------------------------------------

#[test]
fn billion_laughs_is_refused_as_not_well_formed() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE doc [\n <!ENTITY lol0 \"lol\">\n");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        doc.push_str(&format!(" <!ENTITY lol{i} \"{refs}\">\n"));
    }
    doc.push_str("]>\n<doc>&lol9;</doc>\n");
    let doc = dir.write("lol.xml", doc);
    let out = rngcheck(&[&schema, &doc]);
    assert_outcome(&out, 1, &["lol.xml", "not well-formed", "entity"]);
}

#[test]
fn quadratic_blowup_entity_is_refused() {
    // One 10 kB entity referenced 10,000 times: 100 MB if expanded.
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let big = "x".repeat(10_000);
    let refs = "&big;".repeat(10_000);
    let doc = format!("<!DOCTYPE doc [<!ENTITY big \"{big}\">]>\n<doc>{refs}</doc>\n");
    let doc = dir.write("quadratic.xml", doc);
    let out = rngcheck(&[&schema, &doc]);
    assert_outcome(
        &out,
        1,
        &[
            "quadratic.xml:2:",
            "not well-formed",
            "entity-expansion bomb",
        ],
    );
    // The same in a schema.
    let schema = dir.write(
        "bomb.rng",
        format!("<!DOCTYPE element [<!ENTITY big \"{big}\">]>\n<element name=\"doc\" xmlns=\"{NS}\"><value>{refs}</value></element>\n"),
    );
    let out = rngcheck(&[&schema]);
    assert_outcome(&out, 3, &["bomb.rng:2:", "entity-expansion bomb"]);
}

#[test]
fn external_entities_are_never_read() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let secret = dir.write("secret.txt", "SECRET-7f3a9c");
    let url = format!("file://{}", secret.display());
    for (name, system) in [
        ("absolute.xml", url.as_str()),
        ("relative.xml", "secret.txt"),
    ] {
        let doc = format!("<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ENTITY x SYSTEM \"{system}\">]>\n<doc>&x;</doc>\n");
        let doc = dir.write(name, doc);
        let out = rngcheck(&[&schema, &doc]);
        assert_outcome(&out, 1, &[name, "not well-formed", "entity"]);
        assert!(!text(&out).contains("SECRET"), "{}", text(&out));
    }
}

#[test]
fn external_entities_in_a_schema_are_never_read() {
    let dir = Dir::new();
    let secret = dir.write("secret.txt", "SECRET-7f3a9c");
    let schema = dir.write(
        "schema.rng",
        format!(
            "<!DOCTYPE element [<!ENTITY x SYSTEM \"{}\">]>\n<element name=\"doc\" xmlns=\"{NS}\"><value>&x;</value></element>\n",
            secret.display()
        ),
    );
    let out = rngcheck(&[&schema]);
    assert_outcome(&out, 3, &["schema.rng", "entity"]);
    assert!(!text(&out).contains("SECRET"), "{}", text(&out));
}

#[test]
fn million_deep_nesting_gets_a_verdict() {
    // A million open elements, never all closed: parsed without recursion and
    // refused. (A million-deep *valid* document is validated too — measured
    // by hand, see docs/hardening.md; tests/cli.rs validates 200,000 deep.)
    const DEPTH: usize = 1_000_000;
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let doc = format!("{}{}", "<doc>".repeat(DEPTH), "</doc>".repeat(DEPTH - 1));
    let doc = dir.write("deep.xml", doc);
    let out = rngcheck(&[&schema, &doc]);
    assert_outcome(&out, 1, &["deep.xml", "not well-formed", "never closed"]);
}

#[test]
fn deep_invalid_nesting_gets_a_verdict() {
    const DEPTH: usize = 100_000;
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let doc = format!("{}{}", "<doc>".repeat(DEPTH), "</doc>".repeat(DEPTH));
    let doc = dir.write("deep.xml", doc);
    let out = rngcheck(&[&schema, &doc]);
    assert_outcome(
        &out,
        1,
        &["deep.xml:1:", "element \"doc\" not allowed here"],
    );
    // Within the cap of `rngcheck()` (8 GiB, 120 s): every level may be
    // reported, but an error must not cost memory in proportion to depth.
}

#[test]
fn huge_attribute_value_is_validated() {
    // 20 MB here to stay fast in debug builds; 100 MB measured by hand.
    const SIZE: usize = 20 << 20;
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let doc = format!("<doc a=\"{}\"><item/></doc>\n", "x".repeat(SIZE));
    let doc = dir.write("big.xml", doc);
    let out = rngcheck(&[&schema, &doc]);
    assert_outcome(&out, 0, &[]);
    // And a big value a datatype refuses.
    let typed = dir.write(
        "typed.rng",
        format!(
            "<element name=\"doc\" xmlns=\"{NS}\" datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\"><attribute name=\"a\"><data type=\"integer\"/></attribute></element>\n"
        ),
    );
    // 2 MB: datatype checking runs at about 2 MB/s in debug builds.
    let doc = dir.write(
        "big.xml",
        format!("<doc a=\"{}x\"/>\n", "1".repeat(2 << 20)),
    );
    let out = rngcheck(&[&typed, &doc]);
    assert_outcome(&out, 1, &["big.xml:1:", "attribute \"a\""]);
}

/// Tree mode, then streaming (`--stream`): the two must say the same.
fn both_modes(args: &[&Path]) -> [Output; 2] {
    let stream = Path::new("--stream");
    let mut streamed = vec![stream];
    streamed.extend_from_slice(args);
    [rngcheck(args), rngcheck(&streamed)]
}

#[test]
fn invalid_utf8_is_reported_at_its_line_and_column() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    // jing: 5:16 and 2:8 (the column of the first bad byte, in characters).
    let doc = dir.write(
        "bad.xml",
        b"<?xml version=\"1.0\"?>\n<doc>\n\n\nabcdefghijklmno\xFFp</doc>\n",
    );
    let split = dir.write("split.xml", b"<doc>\n\xC3\xA9t\xC3\xA9\xC3</doc>\n");
    for out in both_modes(&[&schema, &doc, &split]) {
        assert_outcome(
            &out,
            1,
            &[
                "bad.xml:5:16: error: not well-formed: invalid UTF-8 (byte 0xFF)",
                "split.xml:2:4: error: not well-formed: invalid UTF-8 (byte 0xC3)",
            ],
        );
    }
}

#[test]
fn declared_encodings_of_the_whatwg_standard_are_decoded_in_both_modes() {
    let dir = Dir::new();
    // (encoding, bytes of the content, the same content as text); jing reads
    // each of these documents the same way.
    let cases: &[(&str, &[u8], &str)] = &[
        ("windows-1252", b"caf\xE9 \x80", "caf\u{e9} \u{20ac}"),
        ("ISO-8859-2", b"\xB1\xE8", "\u{105}\u{10d}"),
        ("ISO-8859-15", b"\xA4\xBD", "\u{20ac}\u{153}"),
        ("KOI8-R", b"\xC1\xC2", "\u{430}\u{431}"),
        ("Shift_JIS", b"\x82\xA0\x82\xA2", "\u{3042}\u{3044}"),
        ("EUC-JP", b"\xA4\xA2\xA4\xA4", "\u{3042}\u{3044}"),
        ("GB2312", b"\xC4\xE3\xBA\xC3", "\u{4f60}\u{597d}"),
    ];
    for (name, bytes, text) in cases {
        let schema = dir.write(
            "schema.rng",
            format!("<element name=\"doc\" xmlns=\"{NS}\"><value>{text}</value></element>\n"),
        );
        let mut doc = format!("<?xml version=\"1.0\" encoding=\"{name}\"?>\n<doc>").into_bytes();
        doc.extend_from_slice(bytes);
        doc.extend_from_slice(b"</doc>\n");
        let valid = dir.write("valid.xml", &doc);
        for out in both_modes(&[&schema, &valid]) {
            assert_outcome(&out, 0, &[]);
        }
        // One character more: decoded, so the error is about the value.
        doc.truncate(doc.len() - "</doc>\n".len());
        doc.extend_from_slice(b"x</doc>\n");
        let invalid = dir.write("invalid.xml", &doc);
        for out in both_modes(&[&schema, &invalid]) {
            assert_outcome(
                &out,
                1,
                &[
                    "invalid.xml:2:",
                    "of element \"doc\" is invalid; must be equal to",
                ],
            );
        }
    }
}

#[test]
fn unknown_and_misdeclared_encodings_are_errors_at_the_declaration() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    // jing: 1:43, the end of the declaration.
    let unknown = dir.write(
        "unknown.xml",
        "<?xml version=\"1.0\" encoding=\"bogus-enc\"?>\n<doc/>\n",
    );
    let sjis = dir.write(
        "sjis.xml",
        b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<doc>\x82\xA0\x82</doc>\n",
    );
    for out in both_modes(&[&schema, &unknown, &sjis]) {
        assert_outcome(
            &out,
            1,
            &[
                "unknown.xml:1:43: error: not well-formed: unknown encoding \"bogus-enc\"",
                "sjis.xml:2:7: error: not well-formed: bytes that are not valid Shift_JIS",
            ],
        );
    }
}

#[test]
fn a_missing_schema_is_reported_under_its_own_name() {
    let dir = Dir::new();
    let doc = dir.write("doc.xml", "<doc/>");
    let missing = dir.path("missing.rng");
    let out = rngcheck(&[&missing, &doc]);
    let name = missing.display().to_string();
    assert_outcome(
        &out,
        3,
        &[&format!(
            "{name}:0:0: error: cannot read \"{name}\": no such file"
        )],
    );
    assert!(!text(&out).contains("<schema>"), "{}", text(&out));
}

#[test]
fn undecodable_schema_files_are_reported_at_the_bytes() {
    let dir = Dir::new();
    let doc = dir.write("doc.xml", "<doc/>");
    let schema = dir.write(
        "schema.rng",
        b"<element name=\"doc\" xmlns=\"http://relaxng.org/ns/structure/1.0\">\n  <empty/>\xFF</element>\n",
    );
    let out = rngcheck(&[&schema, &doc]);
    assert_outcome(
        &out,
        3,
        &["schema.rng:2:11: error: cannot read: invalid UTF-8"],
    );
    // An included file's are reported at the include, naming them.
    let main = dir.write(
        "main.rng",
        format!("<grammar xmlns=\"{NS}\">\n  <include href=\"inc.rng\"/>\n</grammar>\n"),
    );
    dir.write(
        "inc.rng",
        b"<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n\xFF</grammar>",
    );
    let out = rngcheck(&[&main, &doc]);
    assert_outcome(
        &out,
        3,
        &[
            "main.rng:2:",
            "invalid UTF-8 (byte 0xFF) at line 2, column 1",
        ],
    );
    // Schemas in another declared encoding are read.
    let latin = dir.write(
        "latin.rng",
        b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<element name=\"caf\xE9\" xmlns=\"http://relaxng.org/ns/structure/1.0\"><empty/></element>\n",
    );
    let doc = dir.write("caf.xml", "<caf\u{e9}/>");
    assert_outcome(&rngcheck(&[&latin, &doc]), 0, &[]);
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend_from_slice(&pair);
    }
    bytes
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded_and_validated() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    for big_endian in [false, true] {
        let valid = dir.write(
            "valid.xml",
            utf16(
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<doc a=\"\u{e9}\u{1F600}\"><item/>caf\u{e9}</doc>\n",
                big_endian,
            ),
        );
        for out in both_modes(&[&schema, &valid]) {
            assert_outcome(&out, 0, &[]);
        }
        let invalid = dir.write("invalid.xml", utf16("<doc>\n<bogus/></doc>\n", big_endian));
        for out in both_modes(&[&schema, &invalid]) {
            assert_outcome(
                &out,
                1,
                &["invalid.xml:2:", "element \"bogus\" not allowed"],
            );
        }
    }
    // An odd number of bytes cannot be UTF-16.
    let mut odd = utf16("<doc/>", false);
    odd.push(b'\n');
    let odd = dir.write("odd.xml", odd);
    for out in both_modes(&[&schema, &odd]) {
        assert_outcome(&out, 1, &["odd.xml:1:7:", "UTF-16LE"]);
    }
}

#[test]
fn latin_1_is_decoded_byte_for_code_point() {
    let dir = Dir::new();
    // ISO-8859-1 proper (0x85 is U+0085, not windows-1252's ellipsis).
    let schema = dir.write(
        "schema.rng",
        format!("<element name=\"doc\" xmlns=\"{NS}\"><value>caf\u{e9} \u{ff}\u{85}</value></element>\n"),
    );
    let doc = dir.write(
        "latin1.xml",
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<doc>caf\xE9 \xFF\x85</doc>\n",
    );
    for out in both_modes(&[&schema, &doc]) {
        assert_outcome(&out, 0, &[]);
    }
}

#[test]
fn binary_files_are_refused() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    // An ELF-like header followed by every byte value.
    let mut bytes = b"\x7FELF\x02\x01\x01\0".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    let elf = dir.write("program.xml", bytes);
    let out = rngcheck(&[&schema, &elf]);
    assert_outcome(
        &out,
        1,
        &["program.xml:2:118:", "invalid UTF-8 (byte 0x80)"],
    );
    // Binary that happens to be valid UTF-8 (NULs and control characters).
    let nul = dir.write("nul.xml", b"\0\x01\x02<doc/>\0");
    let out = rngcheck(&[&schema, &nul]);
    assert_outcome(&out, 1, &["nul.xml", "not well-formed"]);
}

#[test]
fn empty_file_is_not_well_formed() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let empty = dir.write("empty.xml", b"");
    let out = rngcheck(&[&schema, &empty]);
    assert_outcome(&out, 1, &["empty.xml", "not well-formed"]);
    let blank = dir.write("blank.xml", b" \n\t\n");
    let out = rngcheck(&[&schema, &blank]);
    assert_outcome(&out, 1, &["blank.xml", "not well-formed"]);
}

#[test]
fn vanished_file_is_reported_and_the_others_still_checked() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let good1 = dir.write("good1.xml", "<doc/>");
    let vanished = dir.path("vanished.xml");
    let invalid = dir.write("invalid.xml", "<doc><bogus/></doc>");
    let good2 = dir.write("good2.xml", "<doc><item/></doc>");
    let out = rngcheck(&[&schema, &good1, &vanished, &invalid, &good2]);
    assert_outcome(
        &out,
        1,
        &[
            "vanished.xml:0:0: error: cannot read: no such file",
            "invalid.xml:1:",
        ],
    );
    assert!(!text(&out).contains("good"), "{}", text(&out));
}

#[test]
fn unreadable_paths_are_reported() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let good = dir.write("good.xml", "<doc/>");
    // A path through a file (as if a directory were replaced by a file):
    // unreadable for root too. (A directory is not used: the CLI walks those.)
    let through = good.join("inner.xml");
    let out = rngcheck(&[&schema, &through, &good]);
    assert_outcome(&out, 1, &["inner.xml:0:0: error: cannot read"]);
    assert_eq!(text(&out).matches(": error: ").count(), 1, "{}", text(&out));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.write("locked.xml", "<doc/>");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000))
            .expect("cannot chmod");
        if std::fs::read(&locked).is_ok() {
            eprintln!("running as root: chmod 000 does not stop reads; the mode-000 case is skipped (the path through a file above covers unreadable paths)");
        } else {
            let out = rngcheck(&[&schema, &locked, &good]);
            assert_outcome(&out, 1, &["locked.xml", "permission denied"]);
        }
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let a = dir.path("a.xml");
    let b = dir.path("b.xml");
    std::os::unix::fs::symlink(&b, &a).expect("cannot create a symlink");
    std::os::unix::fs::symlink(&a, &b).expect("cannot create a symlink");
    let good = dir.write("good.xml", "<doc/>");
    let out = rngcheck(&[&schema, &a, &good]);
    assert_outcome(
        &out,
        1,
        &["a.xml:0:0: error: cannot read", "symbolic links"],
    );
}

// ---- Schemas ---------------------------------------------------------------

#[test]
fn include_cycles_are_schema_errors() {
    let dir = Dir::new();
    dir.write(
        "a.rng",
        format!("<grammar xmlns=\"{NS}\"><include href=\"b.rng\"/><start><element name=\"doc\"><empty/></element></start></grammar>"),
    );
    dir.write(
        "b.rng",
        format!("<grammar xmlns=\"{NS}\"><include href=\"a.rng\"/></grammar>"),
    );
    let out = rngcheck(&[&dir.path("a.rng")]);
    assert_outcome(&out, 3, &["cycle", "a.rng", "b.rng"]);
    // A file including itself.
    let own = dir.write(
        "self.rng",
        format!(
            "<grammar xmlns=\"{NS}\"><include href=\"self.rng\"/><start><empty/></start></grammar>"
        ),
    );
    let out = rngcheck(&[&own]);
    assert_outcome(&out, 3, &["cycle", "self.rng"]);
}

#[test]
fn external_ref_cycles_are_schema_errors() {
    let dir = Dir::new();
    dir.write(
        "a.rng",
        format!("<element name=\"a\" xmlns=\"{NS}\"><externalRef href=\"b.rng\"/></element>"),
    );
    dir.write(
        "b.rng",
        format!("<element name=\"b\" xmlns=\"{NS}\"><externalRef href=\"a.rng\"/></element>"),
    );
    let out = rngcheck(&[&dir.path("a.rng")]);
    assert_outcome(&out, 3, &["cycle", "a.rng", "b.rng"]);
    // The same in the compact syntax.
    dir.write("c.rnc", "element c { external \"d.rnc\" }\n");
    dir.write("d.rnc", "element d { external \"c.rnc\" }\n");
    let out = rngcheck(&[&dir.path("c.rnc")]);
    assert_outcome(&out, 3, &["cycle", "c.rnc", "d.rnc"]);
}

#[test]
fn recursion_without_an_element_is_a_schema_error() {
    let dir = Dir::new();
    let schema = dir.write(
        "schema.rng",
        format!(
            "<grammar xmlns=\"{NS}\"><start><ref name=\"x\"/></start>\n<define name=\"x\"><choice><ref name=\"y\"/><empty/></choice></define>\n<define name=\"y\"><group><ref name=\"x\"/><text/></group></define></grammar>\n"
        ),
    );
    let out = rngcheck(&[&schema]);
    assert_outcome(
        &out,
        3,
        &["schema.rng:", "without passing through an element", "§4.19"],
    );
}

#[test]
fn network_hrefs_are_never_fetched() {
    let dir = Dir::new();
    let cases = [
        ("include.rng", format!("<grammar xmlns=\"{NS}\"><include href=\"http://127.0.0.1:9/s.rng\"/><start><empty/></start></grammar>")),
        ("external.rng", format!("<element name=\"a\" xmlns=\"{NS}\"><externalRef href=\"HTTPS://127.0.0.1:9/s.rng\"/></element>")),
        ("include.rnc", "include \"https://127.0.0.1:9/s.rnc\"\nstart = element a { empty }\n".to_string()),
    ];
    for (name, schema) in cases {
        let schema = dir.write(name, schema);
        let out = rngcheck(&[&schema]);
        assert_outcome(&out, 3, &[name, "network URL", "never fetches"]);
    }
}

#[test]
fn ten_thousand_way_choice_loads_and_validates() {
    const WAYS: usize = 10_000;
    let dir = Dir::new();
    let mut schema = format!("<element name=\"doc\" xmlns=\"{NS}\"><zeroOrMore><choice>\n");
    for i in 0..WAYS {
        schema.push_str(&format!("<element name=\"e{i}\"><empty/></element>\n"));
    }
    schema.push_str("</choice></zeroOrMore></element>\n");
    let schema = dir.write("choice.rng", schema);
    assert_outcome(&rngcheck(&[&schema]), 0, &[]);
    let valid = dir.write("valid.xml", "<doc><e0/><e9999/><e5000/></doc>");
    assert_outcome(&rngcheck(&[&schema, &valid]), 0, &[]);
    let invalid = dir.write("invalid.xml", "<doc><e0/><e10000/></doc>");
    assert_outcome(
        &rngcheck(&[&schema, &invalid]),
        1,
        &["invalid.xml:1:", "element \"e10000\" not allowed here"],
    );
}

#[test]
fn thousand_file_include_chain_loads() {
    const FILES: usize = 1000;
    let dir = Dir::new();
    for i in 0..FILES {
        let next = if i + 1 < FILES {
            format!("<include href=\"s{}.rng\"/>", i + 1)
        } else {
            String::new()
        };
        let start = if i == 0 {
            let refs: String = (0..FILES)
                .map(|j| format!("<ref name=\"d{j}\"/>"))
                .collect();
            format!("<start><element name=\"doc\"><zeroOrMore><choice>{refs}</choice></zeroOrMore></element></start>")
        } else {
            String::new()
        };
        dir.write(
            &format!("s{i}.rng"),
            format!("<grammar xmlns=\"{NS}\">{next}<define name=\"d{i}\"><element name=\"e{i}\"><empty/></element></define>{start}</grammar>\n"),
        );
    }
    let schema = dir.path("s0.rng");
    assert_outcome(&rngcheck(&[&schema]), 0, &[]);
    let doc = dir.write("doc.xml", "<doc><e0/><e999/><e500/></doc>");
    assert_outcome(&rngcheck(&[&schema, &doc]), 0, &[]);
}

// ---- Isolation -------------------------------------------------------------

#[test]
fn one_run_over_good_and_bad_files_reports_each_bad_one_once() {
    let dir = Dir::new();
    let schema = dir.doc_schema();
    let mut args = vec![schema];
    let mut bad = Vec::new();
    for i in 0..10 {
        args.push(dir.write(&format!("good{i}.xml"), "<doc a=\"1\"><item/>text</doc>"));
        let (name, bytes): (String, Vec<u8>) = match i % 5 {
            0 => (format!("broken{i}.xml"), b"<doc><item></doc>".to_vec()),
            1 => (format!("invalid{i}.xml"), b"<doc><bogus/></doc>".to_vec()),
            2 => (format!("utf8{i}.xml"), b"<doc>\xFF</doc>".to_vec()),
            3 => (format!("empty{i}.xml"), Vec::new()),
            _ => (format!("missing{i}.xml"), Vec::new()),
        };
        let path = if name.starts_with("missing") {
            dir.path(&name)
        } else {
            dir.write(&name, bytes)
        };
        args.push(path);
        bad.push(name);
    }
    let args: Vec<&Path> = args.iter().map(PathBuf::as_path).collect();
    let out = rngcheck(&args);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    for name in &bad {
        let lines = all.lines().filter(|l| l.contains(name.as_str())).count();
        assert_eq!(lines, 1, "{name} reported {lines} times in:\n{all}");
    }
    assert!(!all.contains("good"), "{all}");
    assert_eq!(all.matches(": error: ").count(), bad.len(), "{all}");
    // Every good file alone is valid: the run above checked them, not skipped.
    let good = args[1];
    assert_outcome(&rngcheck(&[args[0], good]), 0, &[]);
}
