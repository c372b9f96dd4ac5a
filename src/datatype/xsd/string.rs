//! String-like types: XSD-2 §3.2.1 string, §3.2.17 anyURI and the types
//! derived from string (§3.3.1–3.3.12): normalizedString, token, language,
//! Name, NCName, NMTOKEN(S), ID, IDREF(S), ENTITY, ENTITIES.

/// XSD whitespace `replace`: each tab, newline and carriage return becomes
/// a space.
pub fn replace_whitespace(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

/// `language` (XSD-2 §3.3.3, after RFC 3066): `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`.
pub fn is_language(text: &str) -> bool {
    let mut parts = text.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `anyURI` (XSD-2 §3.2.17): nearly any string is a URI reference once
/// disallowed characters are escaped, so only what escaping cannot repair
/// is refused: a `%` not followed by two hex digits, a malformed scheme
/// (text before the first `:` that comes before any `/`, `?` or `#`), and
/// more than one `#`.
pub fn is_any_uri(text: &str) -> bool {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return false;
        }
    }
    if text.matches('#').count() > 1 {
        return false;
    }
    let head_end = text.find(['/', '?', '#']).unwrap_or(text.len());
    if let Some(colon) = text[..head_end].find(':') {
        let scheme = &text[..colon];
        let mut scheme_bytes = scheme.bytes();
        let first_ok = scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
        if !first_ok
            || !scheme_bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        let rows: &[(&str, bool)] = &[
            ("en", true),
            ("en-UK", true),
            ("i-cherokee", true),
            ("x-klingon", true),
            ("en-uk-scotland", true),
            ("en.UK", false),
            ("", false),
            ("en-", false),
            ("toolongtag", false),
            ("1en", false),
        ];
        for &(text, want) in rows {
            assert_eq!(is_language(text), want, "{text:?}");
        }
    }

    #[test]
    fn uris() {
        let rows: &[(&str, bool)] = &[
            ("foobar", true),
            ("http://www.example.com", true),
            ("http://www.example.co%6d", true),
            ("nosuchscheme:stuff", true),
            ("", true),
            ("../a/b?c:d#e", true),
            ("foo$bar:stuff", false),
            ("f%oobar", false),
            ("%4", false),
            (":foo", false),
            ("a#b#c", false),
        ];
        for &(text, want) in rows {
            assert_eq!(is_any_uri(text), want, "{text:?}");
        }
    }

    #[test]
    fn replace() {
        assert_eq!(replace_whitespace("a\tb\nc\rd "), "a b c d ");
    }
}
