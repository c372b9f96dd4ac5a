use super::lazy::{shared_cache, BoundedCache, Compiled, LazyCrate, SHARED_CAPACITY};
use super::nfa::Nfa;
use super::parse::Parser;
use super::*;

/// `pattern` matches every text of `matching` and none of `not_matching`.
fn check(pattern: &str, matching: &[&str], not_matching: &[&str]) {
    let re = XsdRegex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    for text in matching {
        assert!(re.is_match(text), "{pattern} should match {text:?}");
    }
    for text in not_matching {
        assert!(!re.is_match(text), "{pattern} should not match {text:?}");
    }
}

#[test]
fn rejects_bad_patterns() {
    for bad in [
        "a??",
        "\\",
        "?",
        "*",
        "+",
        "(",
        "[",
        "]",
        ")",
        "[^]",
        "[]",
        "[]]",
        "[[]",
        "[\\]",
        "x{2,1}",
        "x{1, 2}",
        "x{ 2}",
        "x{2 }",
        "x{-0,1}",
        "x{+2}",
        "[a-[a]-[a]]",
        "\\pL",
        "\\p{IsHighSurrogates}",
        "\\p{IsLowSurrogates}",
        "\\p{Foo}",
        "\\q",
        "a{",
        "x{2147483649,2147483648}",
        "[z-a]",
        "{",
        "a**",
        "[a-\\d]",
    ] {
        assert!(XsdRegex::new(bad).is_err(), "{bad:?} should be rejected");
    }
}

#[test]
fn matches_whole_strings() {
    check("xyzzy", &["xyzzy"], &["xyzz", "xyzzyy", " xyzzy"]);
    check("$", &["$"], &[""]);
    check("^", &["^"], &[]);
    check("|", &[""], &["|"]);
    check("", &[""], &["x"]);
    check(".", &[".", "\u{10330}"], &["", "\n", "\r", ".."]);
    check("a|b", &["a", "b"], &["ab"]);
    check("(ab)+c?", &["ab", "ababc"], &["abca", ""]);
}

#[test]
fn classes() {
    check("[^^]", &["x"], &["^"]);
    check("[f&&g]", &["f", "&", "g"], &["h"]);
    check("[a-z-[c-y]]", &["a", "b", "z"], &["c", "d"]);
    check("[abc-[a-a]]", &["b", "c"], &["a", "d"]);
    check("a[\u{10330}-[\u{10330}]]*b", &["ab"], &["a\u{10330}b"]);
    check("[?+*(){}|.]", &["?", "{"], &["x"]);
    check("[-a]", &["-", "a"], &[]);
    check("[a-]", &["-", "a"], &["b"]);
    check("[^a-z]", &["A"], &["q"]);
    check("\\i\\c*", &["j", "\u{212E}", ":a-1"], &["\u{10000}", "1a"]);
    check("\\d+", &["0123", "\u{0660}"], &["a"]);
    check("\\w", &["a"], &["!", " "]);
    check("\\s\\S", &[" a", "\ta"], &["a "]);
    check("\\p{Lu}\\P{Lu}", &["Ab"], &["AB"]);
    check("\\p{IsBasicLatin}+", &["abc"], &["é"]);
    check(
        "\\P{IsGothic}",
        &["X", "\u{1032F}", "\u{10350}"],
        &["\u{10330}"],
    );
    check("[\\p{Nd}-[\\p{IsThai}]]", &["1"], &["\u{0E51}"]);
    check("\\p{Cn}", &["\u{0378}"], &["a"]);
}

#[test]
fn escapes() {
    check(
        "~!@#$%\\^&\\*\\(\\)_\\+`\\-=\\{\\}\\[\\]\\|\\\\:;\"',\\.<>/\\?",
        &["~!@#$%^&*()_+`-={}[]|\\:;\"',.<>/?"],
        &[],
    );
    check("\\n\\r\\t", &["\n\r\t"], &[]);
}

#[test]
fn counted_repetitions() {
    check("x{1,1}", &["x"], &["xx"]);
    check("x{2,3}", &["xx", "xxx"], &["x", "xxxx"]);
    check("(ab){2,}", &["abab", "ababab"], &["ab"]);
    check("x{0,0}", &[""], &["x"]);

    let huge = XsdRegex::new("x{2147483648}").unwrap_or_else(|e| panic!("{e}"));
    assert!(huge.uses_run());
    assert!(!huge.is_match("x"));
    assert!(!huge.is_match(""));
    check("x{0,2147483648}", &["x", "", "xxxx"], &["y"]);
    check(
        "a[0-9]{3,2147483648}b|c",
        &["a123b", "c", "a1234567b"],
        &["a12b", "a123"],
    );
    check(
        "(a[0-9]{0,99999999}-)*z",
        &["z", "a-z", "a12-a3-z"],
        &["a12-a3z"],
    );
    check("(xy){3}\\d{1000000}|q", &["q"], &["xyxyxy1"]);
}

#[test]
fn runs_agree_with_crate() {
    let patterns = [
        "x",
        ".",
        "[a-c]{2,4}",
        "[^a]*",
        "\\d{1,3}",
        "x{0,0}",
        "([ab]+)",
        "[a-c-[b]]?",
        "\\s{2}",
        "0x[0-9a-fA-F]{1,2}",
        "(0x)?[0-9a-fA-F]{1,8}",
        "[a-fA-F0-9]{8}\\-([a-fA-F0-9]{4}\\-){3}[a-fA-F0-9]{12}",
        "[a-fA-F0-9][02468aAcCeE](:[a-fA-F0-9]{2}){5}",
        "(/|[a-zA-Z]:\\\\).+",
        "\\[[^\\]]+\\] .+",
        "a+b+c?",
        "(ab|cd){2}",
        "(a|ab)c",
        "a?b?",
        "",
    ];
    let alphabet = [
        'a', 'b', 'c', 'd', '0', 'x', 'f', ':', '-', '/', '\\', '[', ']', ' ', 'é',
    ];
    let mut inputs: Vec<String> = vec![
        "12345678-9abc-def0-1234-56789abcdef0".into(),
        "12345678-9abc-def0-1234-56789abcdef".into(),
        "0a:1b:2c:3d:4e:5f".into(),
        "01:1b:2c:3d:4e:5f".into(),
        "/var/lib/x".into(),
        "C:\\x".into(),
        "C:x".into(),
        "[a] b".into(),
        "[] b".into(),
        "0xff".into(),
        "0xfff".into(),
        "abcd".into(),
    ];
    // Every string of up to four characters over a small alphabet.
    let mut layer = vec![String::new()];
    for _ in 0..4 {
        let mut next = Vec::new();
        for s in &layer {
            for c in alphabet {
                next.push(format!("{s}{c}"));
            }
        }
        inputs.extend(layer);
        layer = next;
    }
    inputs.extend(layer);
    for p in patterns {
        let runs = XsdRegex::new(p).unwrap_or_else(|e| panic!("{e}"));
        assert!(runs.uses_run(), "{p} is matched by counting");
        let node = Parser::new(p).parse().unwrap_or_else(|e| panic!("{e}"));
        let crate_re = LazyCrate::new(node);
        let Compiled::Crate(re) = crate_re.compile() else {
            panic!("{p}: the crate refused it");
        };
        for input in &inputs {
            assert_eq!(
                runs.is_match(input),
                re.is_match(input),
                "{p} against {input:?}"
            );
        }
    }
    // Greedy counting would get these wrong: they go to the crate.
    for p in ["a*ab", "[a-c]+b", "(ab)*", "a?b?a", "a+b?a"] {
        let re = XsdRegex::new(p).unwrap_or_else(|e| panic!("{e}"));
        assert!(!re.uses_run(), "{p}");
    }
}

#[test]
fn nfa_agrees_with_crate() {
    let patterns = [
        "(a|aa)*b",
        "a(b|c)*d?",
        "[a-c]{2,4}x*",
        "((ab)*|c)+",
        "x?y?z?",
        "(a*)*b",
        "a{0,3}b{2}",
        "(|a)+",
    ];
    let inputs = [
        "", "a", "b", "ab", "aab", "abcd", "abd", "aaaa", "abbx", "ccab", "xyz", "aaabb", "bb",
        "abab", "ac", "aaaaab",
    ];
    for p in patterns {
        let crate_re = XsdRegex::new(p).unwrap_or_else(|e| panic!("{e}"));
        assert!(!crate_re.uses_nfa());
        let node = Parser::new(p).parse().unwrap_or_else(|e| panic!("{e}"));
        let nfa = Nfa::compile(&node).unwrap_or_else(|e| panic!("{e}"));
        for input in inputs {
            assert_eq!(
                crate_re.is_match(input),
                nfa.is_match(input),
                "{p} on {input:?}"
            );
        }
    }
}

/// Not a benchmark (that lives elsewhere): shows that a pattern which
/// makes backtracking engines explode finishes on 100 KB of input, on
/// both engines.
#[test]
fn no_catastrophic_backtracking() {
    let text = "a".repeat(100_000);
    let re = XsdRegex::new("(a|aa)*b").unwrap_or_else(|e| panic!("{e}"));
    assert!(!re.is_match(&text));
    let node = Parser::new("(a|aa)*b")
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let nfa = Nfa::compile(&node).unwrap_or_else(|e| panic!("{e}"));
    assert!(!nfa.is_match(&text));
    let counted = XsdRegex::new("(a{1,2147483647})*b").unwrap_or_else(|e| panic!("{e}"));
    assert!(counted.uses_nfa());
    assert!(!counted.is_match(&text));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(XsdRegex::new(&deep).is_err());
    let shallow = format!("{}a{}", "(".repeat(100), ")".repeat(100));
    check(&shallow, &["a"], &[]);
}

#[test]
fn bounded_cache_drops_the_oldest_when_full() {
    let mut cache = BoundedCache::new(3);
    for i in 0..10 {
        cache.insert(&format!("p{i}"), i);
    }
    assert_eq!(cache.len(), 3);
    assert_eq!(cache.get("p0"), None);
    assert_eq!(cache.get("p6"), None);
    assert_eq!(cache.get("p7"), Some(&7));
    assert_eq!(cache.get("p9"), Some(&9));
    // Inserting a key again replaces its value and evicts nothing.
    cache.insert("p8", 80);
    assert_eq!(cache.len(), 3);
    assert_eq!(cache.get("p7"), Some(&7));
    assert_eq!(cache.get("p8"), Some(&80));
}

/// A host that compiles pattern after pattern (schema after schema) keeps
/// at most `SHARED_CAPACITY` compiled regexes, and every one still matches.
#[test]
fn shared_cache_stays_bounded_over_many_patterns() {
    for i in 0..SHARED_CAPACITY + 200 {
        // Not a run of classes, so built by the crate through the cache.
        let pattern = format!("(a|aa)*x{i}");
        let re = XsdRegex::new(&pattern).unwrap_or_else(|e| panic!("{e}"));
        assert!(!re.uses_run() && !re.uses_nfa(), "{pattern}");
        assert!(re.is_match(&format!("aaax{i}")), "{pattern}");
        assert!(!re.is_match(&format!("aaax{i}y")), "{pattern}");
    }
    let len = shared_cache().lock().map(|c| c.len()).unwrap_or(0);
    assert!(len > 0 && len <= SHARED_CAPACITY, "{len} cached");
}
