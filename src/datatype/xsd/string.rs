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
/// (text before the first `:` that comes before any `/`, `?` or `#`), more
/// than one `#`, and square brackets out of place (they are not escaped:
/// XLink §5.4 leaves the brackets RFC 2732 re-allows alone).
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
    brackets_in_place(text)
}

/// RFC 2396 as amended by RFC 2732 (§3): `[` and `]` are reserved
/// characters, so they may appear in a query, a fragment or an opaque part
/// (after its first character, which is `uric_no_slash`); elsewhere only
/// around an IPv6 address as the host of an authority.
fn brackets_in_place(text: &str) -> bool {
    if !text.contains(['[', ']']) {
        return true;
    }
    let reference = text.split_once('#').map_or(text, |(before, _)| before);
    let head_end = reference.find(['/', '?']).unwrap_or(reference.len());
    let rest = match reference[..head_end].find(':') {
        Some(colon) => {
            let rest = &reference[colon + 1..];
            if !rest.starts_with('/') {
                return !rest.starts_with(['[', ']']);
            }
            rest
        }
        None => reference,
    };
    let hierarchical = rest.split_once('?').map_or(rest, |(before, _)| before);
    let (authority, path) = match hierarchical.strip_prefix("//") {
        Some(net) => {
            let end = net.find('/').unwrap_or(net.len());
            (&net[..end], &net[end..])
        }
        None => ("", hierarchical),
    };
    !path.contains(['[', ']']) && authority_brackets_in_place(authority)
}

/// An authority with brackets must be `[userinfo@][IPv6address][:port]`
/// (RFC 2732 §3: `host = hostname | IPv4address | IPv6reference`), the
/// port digits only.
fn authority_brackets_in_place(authority: &str) -> bool {
    if !authority.contains(['[', ']']) {
        return true;
    }
    let (userinfo, host_port) = authority.rsplit_once('@').unwrap_or(("", authority));
    let Some((address, port)) = host_port
        .strip_prefix('[')
        .and_then(|inner| inner.split_once(']'))
    else {
        return false;
    };
    !userinfo.contains(['[', ']'])
        && address.parse::<std::net::Ipv6Addr>().is_ok()
        && port.strip_prefix(':').map_or(port.is_empty(), |digits| {
            digits.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::super::check_rows;
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
        check_rows(rows, is_language);
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
            // Brackets (RFC 2396 with RFC 2732): around an IPv6 host, or in
            // a query, a fragment or an opaque part after its first
            // character; nowhere else.
            ("http://[::1]", true),
            ("http://[::1]:80/x", true),
            ("http://[::1]:/", true),
            ("http://u@[::1]/", true),
            ("//[::ffff:1.2.3.4]/p", true),
            ("http://[1080:0:0:0:8:800:200C:417A]/index.html", true),
            ("http://a/b?x[1]#[y]", true),
            ("?[", true),
            ("mailto:a[x]", true),
            ("[", false),
            ("]", false),
            ("a[b", false),
            ("http://[::1", false),
            ("http://[::1]]/", false),
            ("http://[[::1]/", false),
            ("http://a[::1]/", false),
            ("http://[::1]x/", false),
            ("http://[::1]:x/", false),
            ("http://[zz]/", false),
            ("http://[v1.x]/", false),
            ("http://[]/", false),
            ("http://[::1%25eth0]/", false),
            ("http://a/[x]", false),
            ("file:///[a]", false),
            ("mailto:[x]", false),
            // An empty authority is a server with no host (RFC 2396 §3.2.2).
            ("//", true),
            ("///", true),
            ("http://a//b", true),
        ];
        check_rows(rows, is_any_uri);
    }

    #[test]
    fn replace() {
        assert_eq!(replace_whitespace("a\tb\nc\rd "), "a b c d ");
    }
}
