//! XML shared by the schema and document readers: XML's whitespace and
//! `Char`, the predefined entities and character references, attribute-value
//! normalization, the XML declaration and prolog readers, tag ranges over
//! roxmltree, the one strict scanner ([`scan`]), the DOCTYPE's entity
//! declarations and entity-expansion bounds.

use roxmltree::Node;

pub mod scan;

/// XML whitespace (XML 1.0 production 3): space, tab, newline, carriage return.
pub fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Whether `s` is empty or only XML whitespace. Bytewise: no byte of a
/// multi-byte UTF-8 character is ASCII, so this agrees with a char test.
pub fn is_whitespace(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// `s` without leading and trailing XML whitespace.
pub fn trim_xml(s: &str) -> &str {
    s.trim_matches(is_xml_space)
}

/// The byte range of `node`'s start tag, up to and including its `>`.
pub fn start_tag_range(node: Node) -> std::ops::Range<usize> {
    let range = node.range();
    let text = node.document().input_text();
    let after_attrs = node
        .attributes()
        .map(|a| a.range().end)
        .max()
        .unwrap_or(range.start + 1)
        .max(range.start);
    // After the last attribute come only namespace declarations (which
    // roxmltree does not list), whitespace and `>` or `/>`: the first `>`
    // outside quotes ends the tag. A byte scan: it is a few bytes on.
    let mut quote = None;
    let end = text
        .as_bytes()
        .get(after_attrs..range.end)
        .and_then(|rest| {
            rest.iter().position(|&b| match quote {
                Some(q) => {
                    if b == q {
                        quote = None;
                    }
                    false
                }
                None if b == b'"' || b == b'\'' => {
                    quote = Some(b);
                    false
                }
                None => b == b'>',
            })
        })
        .map(|i| after_attrs + i + 1)
        .unwrap_or(range.end);
    range.start..end
}

/// The byte range of `node`'s end tag (the start tag itself when it is an
/// empty-element tag).
pub fn end_tag_range(node: Node) -> std::ops::Range<usize> {
    let range = node.range();
    let text = node.document().input_text();
    let whole = text.get(range.clone()).unwrap_or("");
    // An end tag holds no `<`, so the last `<` of the element starts it; if
    // that `<` is not followed by `/`, the element is an empty-element tag
    // (a byte search from the end: this runs for every element).
    let bytes = whole.as_bytes();
    match bytes.iter().rposition(|&b| b == b'<') {
        Some(i) if bytes.get(i + 1) == Some(&b'/') => range.start + i..range.end,
        _ if whole.ends_with("/>") => start_tag_range(node),
        _ => range,
    }
}

/// `prefix:local` as written, or `local`.
pub fn qualified_name(node: Node) -> String {
    let tag = node.tag_name();
    match tag.namespace().and_then(|ns| node.lookup_prefix(ns)) {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", tag.name()),
        _ => tag.name().to_string(),
    }
}

// The strict scanner's pieces ([`scan`], whose sinks feed documents to the
// validator and build schema trees): it accepts only a common subset and
// leaves the rest to roxmltree, so these answer `None` outside it.

/// Whether `bytes` hold only characters XML allows, none of them `\r` (whose
/// line-end normalization is left to roxmltree): no C0 control but tab
/// and newline, and no U+FFFE or U+FFFF.
pub fn plain_characters(bytes: &[u8]) -> bool {
    // Chunked and branch-free inside a chunk, so the compiler vectorizes it:
    // this reads every byte of every document.
    let controls_free = bytes.chunks(64).all(|chunk| {
        !chunk.iter().fold(false, |bad, &b| {
            bad | (b < 0x20 && b != b'\t' && b != b'\n')
        })
    });
    if !controls_free {
        return false;
    }
    if bytes.is_ascii() {
        return true;
    }
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
    memchr::memchr_iter(0xEF, bytes).all(|i| {
        !(bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    })
}

/// Bit 0: an ASCII name's first character; bit 1: a later one (colon
/// excluded). A table, because the scanners test every byte of every name.
static NAME_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let start = c.is_ascii_alphabetic() || c == b'_';
        let later = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.');
        table[b] = (start as u8) | ((later as u8) << 1);
        b += 1;
    }
    table
};

/// An ASCII name's first character (the scanners take no other names).
#[inline]
pub fn is_name_start(b: u8) -> bool {
    NAME_BYTES[usize::from(b)] & 1 != 0
}

/// An ASCII name's later character, colon excluded.
#[inline]
pub fn is_name_char(b: u8) -> bool {
    NAME_BYTES[usize::from(b)] & 2 != 0
}

/// Appends `raw` to `out` with its references replaced by their characters;
/// `None` if one is not a predefined entity or a valid character reference.
pub fn expand_references(raw: &str, out: &mut String) -> Option<()> {
    let mut rest = raw;
    while let Some(i) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let (c, len) = reference(&rest[i..])?;
        out.push(c);
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    Some(())
}

/// The reference at the start of `s` (`&lt;`, `&#10;`, `&#xA;`...): its
/// character and its length. Other entities are left to roxmltree.
pub fn reference(s: &str) -> Option<(char, usize)> {
    let end = memchr::memchr(b';', s.as_bytes())?;
    let body = s.get(1..end)?;
    let c = match body.strip_prefix('#') {
        Some(code) => character_reference(code)?,
        None => predefined_entity(body)?,
    };
    Some((c, end + 1))
}

/// The character of one of the five predefined entities (XML 1.0 §4.6).
pub fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// The character a character reference names, given what stands between
/// `&#` and `;` (`65` or `x41`); `None` unless it is an XML `Char`.
pub fn character_reference(code: &str) -> Option<char> {
    let code = match code.strip_prefix('x') {
        Some(hex) => parse_digits(hex, 16)?,
        None => parse_digits(code, 10)?,
    };
    char::from_u32(code).filter(|&c| is_xml_char(c))
}

fn parse_digits(digits: &str, radix: u32) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    u32::from_str_radix(digits, radix).ok()
}

/// XML 1.0's `Char` (production 2).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// roxmltree's parse of `text` (DTDs allowed: internal entities are
/// expanded, external ones never read), or its error and the byte offset
/// where it stopped.
pub fn parse_with_roxmltree(
    text: &str,
) -> Result<roxmltree::Document<'_>, (roxmltree::Error, usize)> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        let offset = crate::source::offset_of_text_pos(text, pos.row, pos.col);
        (e, offset)
    })
}

/// A text outside the fast paths' subset of XML, or not well-formed: the
/// caller leaves it to roxmltree.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsupported;

/// A qualified name as written, `prefix:local` or `local`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QName<'t> {
    /// The whole name.
    pub whole: &'t str,
    /// Byte length of the prefix, 0 when there is none.
    prefix_len: usize,
}

impl<'t> QName<'t> {
    /// The prefix, or "".
    #[inline]
    pub fn prefix(&self) -> &'t str {
        self.whole.get(..self.prefix_len).unwrap_or("")
    }

    /// The local part.
    #[inline]
    pub fn local(&self) -> &'t str {
        match self.prefix_len {
            0 => self.whole,
            n => self.whole.get(n + 1..).unwrap_or(""),
        }
    }

    /// Whether an attribute of this name declares a namespace (`xmlns` or
    /// `xmlns:p`).
    #[inline]
    pub fn is_namespace_declaration(&self) -> bool {
        self.prefix() == "xmlns" || self.whole == "xmlns"
    }
}

/// The namespace of the `xml` prefix.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of the `xmlns` prefix.
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// What an attribute declares, for the fast paths: `None` for an ordinary
/// attribute, else the prefix ("" for the default namespace) and the URI.
/// `value` is the value as written, `None` when it needed normalizing.
/// Declarations roxmltree treats specially (of `xml` or `xmlns`, of their
/// URIs, empty, or with references) are `Unsupported`. `p:xmlns` is an
/// ordinary attribute in `p`'s namespace, as jing and xmllint read it
/// (roxmltree, on the tree path, takes it for a default declaration).
#[inline]
pub fn namespace_declaration<'t>(
    name: QName<'t>,
    value: Option<&'t str>,
) -> Result<Option<(&'t str, &'t str)>, Unsupported> {
    let prefix = match (name.prefix(), name.local()) {
        ("xmlns", "xml" | "xmlns") => return Err(Unsupported),
        ("xmlns", local) => local,
        ("", "xmlns") => "",
        _ => return Ok(None),
    };
    match value {
        Some(uri) if !uri.is_empty() && uri != XML_NS && uri != XMLNS_NS => Ok(Some((prefix, uri))),
        _ => Err(Unsupported),
    }
}

/// Whether an attribute value needs [`normalize_attribute`] (it holds a
/// reference, a tab or a newline).
#[inline]
pub fn needs_normalizing(raw: &str) -> bool {
    memchr::memchr3(b'&', b'\t', b'\n', raw.as_bytes()).is_some()
}

/// Appends the attribute value `raw` to `out` normalized as XML 1.0 §3.3.3
/// says for CDATA (tab and newline become spaces, references their
/// characters); `None` on a reference the fast paths leave to roxmltree.
/// Without `\r` (refused earlier), this is roxmltree's normalization.
pub fn normalize_attribute(raw: &str, out: &mut String) -> Option<()> {
    normalize_attribute_with(raw, out, |body, out| {
        let body = body.ok_or(())?;
        let c = match body.strip_prefix('#') {
            Some(code) => character_reference(code),
            None => predefined_entity(body),
        };
        out.push(c.ok_or(())?);
        Ok::<(), ()>(())
    })
    .ok()
}

/// XML 1.0 §3.3.3 for CDATA, the one implementation: appends `raw` to `out`
/// with each whitespace character (a CR LF pair counting as one) made a
/// space and each reference replaced. `expand` appends the text of the
/// reference whose body (between `&` and `;`) it is given, or fails; it is
/// given `None` for an `&` with no `;` after it, and what it returns then
/// ends the value. An entity's text is normalized in turn (a character
/// reference's is not: that is how a value keeps a newline).
pub fn normalize_attribute_with<E>(
    raw: &str,
    out: &mut String,
    mut expand: impl FnMut(Option<&str>, &mut String) -> Result<(), E>,
) -> Result<(), E> {
    let mut rest = raw;
    // A byte loop: values are a few bytes long, too short for memchr. Each
    // position found is an ASCII byte, so every slice is on a boundary.
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if !tail.starts_with('&') {
            out.push(' ');
            rest = &tail[if tail.starts_with("\r\n") { 2 } else { 1 }..];
            continue;
        }
        let Some(end) = memchr::memchr(b';', tail.as_bytes()) else {
            return expand(None, out);
        };
        let body = &tail[1..end];
        let before = out.len();
        expand(Some(body), out)?;
        let entity_text = out.as_bytes().get(before..).unwrap_or(&[]);
        if !body.starts_with('#')
            && entity_text
                .iter()
                .any(|&b| matches!(b, b'\t' | b'\n' | b'\r'))
        {
            let entity_text = out.split_off(before);
            out.extend(
                entity_text
                    .chars()
                    .map(|c| if is_xml_space(c) { ' ' } else { c }),
            );
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// An XML declaration as written (`<?xml version="1.0" ...?>` at the
/// start of `head`): its pseudo-attributes in order, each name with its
/// value's byte range, and the offset past its `?>`. Read as ASCII (every
/// encoding that may be declared without a byte-order mark writes the
/// declaration in ASCII) and leniently: which pseudo-attributes, in what
/// order, with what values, is the reader's to judge.
#[derive(Debug, PartialEq, Eq)]
pub struct XmlDeclaration<'h> {
    /// `(name, value range)`, as written.
    pub attributes: Vec<(&'h [u8], std::ops::Range<usize>)>,
    /// Past the closing `?>`.
    pub end: usize,
}

impl XmlDeclaration<'_> {
    /// The value range of the pseudo-attribute `name`.
    pub fn get(&self, name: &[u8]) -> Option<std::ops::Range<usize>> {
        self.attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.clone())
    }
}

/// The XML declaration at the start of `head`, if it starts with a
/// well-formed one (`<?xml` then whitespace: not a processing instruction
/// such as `<?xml-stylesheet`). The one reader of the declaration: the
/// encoding sniffer and the strict scanners ask it.
pub fn xml_declaration(head: &[u8]) -> Option<XmlDeclaration<'_>> {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    if !head.starts_with(b"<?xml") || !head.get(5).is_some_and(space) {
        return None;
    }
    let skip_space = |mut i: usize| {
        while head.get(i).is_some_and(space) {
            i += 1;
        }
        i
    };
    let mut attributes = Vec::with_capacity(3);
    let mut i = 5;
    loop {
        let after_space = skip_space(i);
        if head.get(after_space..)?.starts_with(b"?>") {
            return Some(XmlDeclaration {
                attributes,
                end: after_space + 2,
            });
        }
        // Each pseudo-attribute follows whitespace; there are three kinds.
        if after_space == i || attributes.len() == 3 {
            return None;
        }
        let name_len = head
            .get(after_space..)?
            .iter()
            .take_while(|b| b.is_ascii_lowercase())
            .count();
        let name = head
            .get(after_space..after_space + name_len)
            .filter(|n| !n.is_empty())?;
        let at_equals = skip_space(after_space + name_len);
        if head.get(at_equals) != Some(&b'=') {
            return None;
        }
        let at_quote = skip_space(at_equals + 1);
        let quote = *head.get(at_quote).filter(|&&q| q == b'"' || q == b'\'')?;
        let start = at_quote + 1;
        let len = head
            .get(start..)?
            .iter()
            .position(|&b| b == quote || b == b'<')?;
        if head.get(start + len) != Some(&quote) {
            return None;
        }
        attributes.push((name, start..start + len));
        i = start + len + 1;
    }
}

/// Where the prolog of a text leads, read leniently past a byte-order
/// mark, the XML declaration, whitespace, comments and processing
/// instructions (the one such reader: the DOCTYPE's entity declarations and
/// root sniffing ask it).
#[derive(Debug, PartialEq, Eq)]
pub enum PrologEnd<'t> {
    /// A document type declaration: the text after `<!DOCTYPE`.
    Doctype(&'t str),
    /// The root element: the text after its `<`.
    Root(&'t str),
    /// Anything else (stray text, an unterminated comment, the end).
    Other,
}

/// What the prolog of `text` leads to.
pub fn prolog_end(text: &str) -> PrologEnd<'_> {
    let mut rest = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    loop {
        rest = rest.trim_start_matches(is_xml_space);
        let end = if let Some(after) = rest.strip_prefix("<!DOCTYPE") {
            return PrologEnd::Doctype(after);
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!") {
            None
        } else if let Some(after) = rest.strip_prefix('<') {
            return PrologEnd::Root(after);
        } else {
            None
        };
        match end {
            Some(end) => rest = &rest[end..],
            None => return PrologEnd::Other,
        }
    }
}

/// The strict scanner's lexical layer ([`scan`]): a position in a text, and
/// the constructs (declaration, comments, PIs, names, quoted values).
/// Strict: it refuses whatever it is not sure roxmltree would take the
/// same way.
pub struct Cursor<'t> {
    /// The whole text.
    pub text: &'t str,
    /// The same, as bytes.
    pub bytes: &'t [u8],
    /// The next byte to read.
    pub pos: usize,
}

impl<'t> Cursor<'t> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'t str) -> Cursor<'t> {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    /// The byte at the cursor.
    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Whether the text at the cursor starts with `s`.
    pub fn at(&self, s: &[u8]) -> bool {
        self.rest().starts_with(s)
    }

    /// Reads `s`, or refuses.
    pub fn expect(&mut self, s: &[u8]) -> Result<(), Unsupported> {
        if self.at(s) {
            self.pos += s.len();
            Ok(())
        } else {
            Err(Unsupported)
        }
    }

    /// The bytes from the cursor on.
    pub fn rest(&self) -> &'t [u8] {
        self.bytes.get(self.pos..).unwrap_or(&[])
    }

    /// `text[range]`, refusing a range that is not on character boundaries.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Result<&'t str, Unsupported> {
        self.text.get(range).ok_or(Unsupported)
    }

    /// Skips spaces, tabs and newlines; whether there were any.
    pub fn skip_space(&mut self) -> bool {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n')) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// What comes before the root element: the declaration, comments, PIs
    /// and whitespace. Refuses unless the root element's `<` follows (no
    /// root, a DOCTYPE or stray text).
    pub fn prolog(&mut self) -> Result<(), Unsupported> {
        self.declaration()?;
        self.misc()?;
        match self.peek() {
            Some(b'<') => Ok(()),
            _ => Err(Unsupported),
        }
    }

    /// What comes after the root element: comments, PIs and whitespace up
    /// to the end of the text.
    pub fn epilog(&mut self) -> Result<(), Unsupported> {
        self.misc()?;
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(Unsupported)
        }
    }

    /// `<?xml version="1.0" (encoding="...")? (standalone="yes|no")? ?>`,
    /// when the text starts with one.
    fn declaration(&mut self) -> Result<(), Unsupported> {
        if !self.at(b"<?xml ") {
            return Ok(());
        }
        let decl = xml_declaration(self.rest()).ok_or(Unsupported)?;
        let value = |range: std::ops::Range<usize>| self.rest().get(range).unwrap_or(&[]);
        let mut attributes = decl.attributes.iter();
        let mut next = attributes.next();
        if !matches!(next, Some((b"version", v)) if value(v.clone()) == b"1.0") {
            return Err(Unsupported);
        }
        next = attributes.next();
        if let Some((b"encoding", v)) = next {
            let mut chars = value(v.clone()).iter();
            let well_formed = chars.next().is_some_and(|b| b.is_ascii_alphabetic())
                && chars.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !well_formed {
                return Err(Unsupported);
            }
            next = attributes.next();
        }
        if let Some((b"standalone", v)) = next {
            if !matches!(value(v.clone()), b"yes" | b"no") {
                return Err(Unsupported);
            }
            next = attributes.next();
        }
        if next.is_some() {
            return Err(Unsupported);
        }
        self.pos += decl.end;
        Ok(())
    }

    /// `S? = S? "value"` after an attribute's (or the declaration's) name:
    /// the value as written (it holds no `<`) and where it starts.
    pub fn quoted_value(&mut self) -> Result<(&'t str, usize), Unsupported> {
        self.skip_space();
        self.expect(b"=")?;
        self.skip_space();
        let quote = self.peek().filter(|&q| q == b'"' || q == b'\'');
        let quote = quote.ok_or(Unsupported)?;
        let start = self.pos + 1;
        let rest = self.bytes.get(start..).ok_or(Unsupported)?;
        // A byte loop, not memchr: values are a few bytes long, too short
        // for its setup to pay.
        let len = rest
            .iter()
            .position(|&b| b == quote || b == b'<')
            .ok_or(Unsupported)?;
        if rest.get(len) != Some(&quote) {
            return Err(Unsupported);
        }
        self.pos = start + len + 1;
        Ok((self.slice(start..start + len)?, start))
    }

    /// Whitespace, comments and processing instructions outside the root.
    fn misc(&mut self) -> Result<(), Unsupported> {
        loop {
            self.skip_space();
            if self.at(b"<!--") {
                self.comment()?;
            } else if self.at(b"<?") {
                self.processing_instruction()?;
            } else {
                return Ok(());
            }
        }
    }

    /// `<!-- ... -->`, without `--` inside or `-` at the end.
    pub fn comment(&mut self) -> Result<(), Unsupported> {
        let start = self.pos + 4;
        let rest = self.bytes.get(start..).ok_or(Unsupported)?;
        let len = memchr::memmem::find(rest, b"-->").ok_or(Unsupported)?;
        let body = rest.get(..len).ok_or(Unsupported)?;
        if body.ends_with(b"-") || memchr::memmem::find(body, b"--").is_some() {
            return Err(Unsupported);
        }
        self.pos = start + len + 3;
        Ok(())
    }

    /// `<?target data?>`, the target an ASCII name other than `xml`.
    pub fn processing_instruction(&mut self) -> Result<(), Unsupported> {
        self.pos += 2;
        let target = self.name_part()?;
        if target.eq_ignore_ascii_case("xml") {
            return Err(Unsupported);
        }
        if self.at(b"?>") {
            self.pos += 2;
            return Ok(());
        }
        if !self.skip_space() {
            return Err(Unsupported);
        }
        let len = memchr::memmem::find(self.rest(), b"?>").ok_or(Unsupported)?;
        self.pos += len + 2;
        Ok(())
    }

    /// An ASCII NCName (no colon).
    fn name_part(&mut self) -> Result<&'t str, Unsupported> {
        let start = self.pos;
        if !self.peek().is_some_and(is_name_start) {
            return Err(Unsupported);
        }
        self.pos += 1;
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        self.slice(start..self.pos)
    }

    /// An ASCII QName.
    pub fn qname(&mut self) -> Result<QName<'t>, Unsupported> {
        let start = self.pos;
        let first = self.name_part()?;
        if self.peek() != Some(b':') {
            return Ok(QName {
                whole: first,
                prefix_len: 0,
            });
        }
        self.pos += 1;
        self.name_part()?;
        Ok(QName {
            whole: self.slice(start..self.pos)?,
            prefix_len: first.len(),
        })
    }
}

/// Text that expanding internal entities may add to a file, at least: past
/// `max(4 × the file's size, this)` bytes the file is refused before parsing.
const ENTITY_EXPANSION_FLOOR: usize = 16 << 20;

/// A general entity declared in a DOCTYPE's internal subset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityDeclaration<'t> {
    /// `<!ENTITY name "value">`: the replacement text as written.
    Internal {
        /// The entity's name.
        name: &'t str,
        /// Its value, references not expanded.
        value: &'t str,
    },
    /// `<!ENTITY name SYSTEM "uri">` (or `PUBLIC`): parsed text never read.
    External {
        /// The entity's name.
        name: &'t str,
    },
    /// `<!ENTITY name SYSTEM "uri" NDATA notation>`: an unparsed entity,
    /// what XSD `ENTITY` and `ENTITIES` values must name.
    Unparsed {
        /// The entity's name.
        name: &'t str,
    },
}

impl<'t> EntityDeclaration<'t> {
    /// The declared name.
    pub fn name(&self) -> &'t str {
        match self {
            EntityDeclaration::Internal { name, .. }
            | EntityDeclaration::External { name }
            | EntityDeclaration::Unparsed { name } => name,
        }
    }
}

/// The text after `<!DOCTYPE` when the prolog of `text` (a document
/// already found well-formed) has a document type declaration.
pub fn prolog_doctype(text: &str) -> Option<&str> {
    match prolog_end(text) {
        PrologEnd::Doctype(after) => Some(after),
        _ => None,
    }
}

/// The general entities the internal subset of a DOCTYPE declares, the
/// first declaration of each name only (it binds, XML 1.0 §4.2). `decl` is
/// the declaration after `<!DOCTYPE`; it may run on past the declaration's
/// end. Parameter entities and other declarations are skipped; an entity
/// value without its closing quote is an error.
pub fn entity_declarations(decl: &str) -> Result<Vec<EntityDeclaration<'_>>, &'static str> {
    let mut declarations: Vec<EntityDeclaration> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let Some(mut rest) = internal_subset(decl) else {
        return Ok(declarations);
    };
    loop {
        rest = rest.trim_start_matches(is_xml_space);
        if let Some(after) = rest.strip_prefix("<!--") {
            let Some(end) = after.find("-->") else { break };
            rest = &after[end + 3..];
        } else if let Some(after) = rest.strip_prefix("<?") {
            let Some(end) = after.find("?>") else { break };
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix("<!ENTITY") {
            let after = after.trim_start_matches(is_xml_space);
            if after.starts_with('%') {
                rest = skip_declaration(after);
                continue;
            }
            let name_end = after.find(is_xml_space).unwrap_or(after.len());
            let (name, def) = after.split_at(name_end);
            let def = def.trim_start_matches(is_xml_space);
            let declaration = match def.chars().next() {
                Some(q @ ('"' | '\'')) => match def[1..].find(q) {
                    Some(end) => EntityDeclaration::Internal {
                        name,
                        value: &def[1..1 + end],
                    },
                    None => return Err("unterminated entity value"),
                },
                _ if unquoted_words(def).any(|w| w == "NDATA") => {
                    EntityDeclaration::Unparsed { name }
                }
                _ => EntityDeclaration::External { name },
            };
            if seen.insert(name) {
                declarations.push(declaration);
            }
            rest = skip_declaration(def);
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = skip_declaration(after);
        } else if let Some(after) = rest.strip_prefix('%') {
            // A parameter-entity reference: `%name;`.
            rest = after.split_once(';').map_or("", |(_, after)| after);
        } else {
            // `]`, the end of the subset (or of the text).
            break;
        }
    }
    Ok(declarations)
}

/// The internal subset of a DOCTYPE declaration (from after its `[`), if
/// it has one: a `[` before the declaration's `>`, outside quotes.
fn internal_subset(decl: &str) -> Option<&str> {
    let mut quote = None;
    for (i, c) in decl.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '[') => return Some(&decl[i + 1..]),
            (None, '>') => return None,
            _ => {}
        }
    }
    None
}

/// Past the `>` that ends a markup declaration (skipping quoted strings).
fn skip_declaration(s: &str) -> &str {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return &s[i + 1..],
            _ => {}
        }
    }
    ""
}

/// The words of a markup declaration up to its `>`, quoted strings left
/// out (so a system literal holding `NDATA` is not taken for the keyword).
fn unquoted_words(decl: &str) -> impl Iterator<Item = &str> {
    let body = &decl[..decl.len() - skip_declaration(decl).len()];
    let mut quote = None;
    body.split(move |c: char| {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        quote.is_some() || is_xml_space(c) || matches!(c, '"' | '\'' | '>')
    })
    .filter(|w| !w.is_empty())
}

/// Refuses entity-expansion bombs that roxmltree's loop detector lets
/// through: one large internal entity referenced many times at the top level
/// (a 60 kB file that expands to 100 MB). Returns the byte offset of the
/// reference that crosses the limit and why. The size is an upper bound
/// (references inside comments count too), computed without expanding.
pub fn entity_bomb(text: &str) -> Option<(usize, String)> {
    // memmem first: this looks at every schema file, nearly none with a DTD.
    memchr::memmem::find(text.as_bytes(), b"<!ENTITY")?;
    let declarations = entity_declarations(prolog_doctype(text)?).ok()?;
    let values: std::collections::HashMap<&str, &str> = declarations
        .iter()
        .filter_map(|d| match d {
            EntityDeclaration::Internal { name, value } => Some((*name, *value)),
            _ => None,
        })
        .collect();
    if values.is_empty() {
        return None;
    }
    let limit = text.len().saturating_mul(4).max(ENTITY_EXPANSION_FLOOR);
    let mut sizes = std::collections::HashMap::new();
    let mut total = text.len();
    for (at, name) in entity_references(text) {
        if values.contains_key(name) {
            total = total.saturating_add(expanded_size(name, &values, &mut sizes));
            if total > limit {
                return Some((
                    at,
                    format!("entity references would expand the file to more than {limit} bytes (an entity-expansion bomb); refused"),
                ));
            }
        }
    }
    None
}

/// The size of entity `name` once expanded; each entity is sized once (a
/// reference loop counts as empty: the parser refuses loops anyway).
fn expanded_size<'a>(
    name: &'a str,
    values: &std::collections::HashMap<&'a str, &'a str>,
    sizes: &mut std::collections::HashMap<&'a str, usize>,
) -> usize {
    if let Some(&size) = sizes.get(name) {
        return size;
    }
    sizes.insert(name, 0);
    let value = values.get(name).copied().unwrap_or("");
    let mut size = value.len();
    for (_, inner) in entity_references(value) {
        if values.contains_key(inner) {
            size = size.saturating_add(expanded_size(inner, values, sizes));
        }
    }
    sizes.insert(name, size);
    size
}

/// `(offset, name)` of each `&name;` in `text` (not character references).
fn entity_references(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices('&').filter_map(move |(at, _)| {
        let rest = &text[at + 1..];
        let end = rest.bytes().take(256).position(|b| b == b';')?;
        let name = &rest[..end];
        let plain = !name.is_empty()
            && !name.starts_with('#')
            && !name.contains(|c: char| c.is_whitespace() || c == '&' || c == '<');
        plain.then_some((at, name))
    })
}

#[cfg(test)]
mod prolog_tests {
    use super::*;

    #[test]
    fn the_declaration_is_read_once_for_every_reader() {
        let head = b"<?xml version='1.0'\n encoding = \"ISO-8859-1\" standalone='no' ?><a/>";
        let decl = xml_declaration(head).unwrap();
        assert_eq!(decl.end, head.len() - 4);
        assert_eq!(&head[decl.get(b"encoding").unwrap()], b"ISO-8859-1");
        assert_eq!(&head[decl.get(b"version").unwrap()], b"1.0");
        for not_one in [
            &b"<?xml-stylesheet href='a'?>"[..],
            b"<?xml version='1.0'encoding='a'?>",
            b"<?xml version='1.0' encoding=a?>",
            b"<?xml version='1.0' encoding='a",
            b"<?xml version='<'?>",
        ] {
            assert_eq!(xml_declaration(not_one), None, "{not_one:?}");
        }
        // Which pseudo-attributes, in which order, is the reader's to judge.
        let mut cursor = Cursor::new("<?xml encoding='a' version='1.0'?><a/>");
        assert_eq!(cursor.prolog(), Err(Unsupported));
        let mut cursor = Cursor::new("<?xml version='1.0' standalone='yes'?><a/>");
        assert_eq!(cursor.prolog(), Ok(()));
    }

    #[test]
    fn the_prolog_leads_to_a_doctype_or_the_root() {
        let doc = "\u{FEFF}<?xml version='1.0'?>\n<!-- <a> --><?p x?> <r x='1'/>";
        assert_eq!(prolog_end(doc), PrologEnd::Root("r x='1'/>"));
        assert_eq!(
            prolog_end("<!DOCTYPE r><r/>"),
            PrologEnd::Doctype(" r><r/>")
        );
        assert_eq!(prolog_end("<![CDATA[x]]><r/>"), PrologEnd::Other);
        assert_eq!(prolog_end("x<r/>"), PrologEnd::Other);
        assert_eq!(prolog_end("<?p"), PrologEnd::Other);
    }

    #[test]
    fn attribute_values_are_normalized_once() {
        let normalized = |raw: &str| {
            let mut out = String::new();
            normalize_attribute_with(raw, &mut out, |body, out| {
                match body.ok_or("no ;")? {
                    "nl" => out.push_str("a\r\nb\tc"),
                    b => out.push(reference(&format!("&{b};")).ok_or("unknown")?.0),
                }
                Ok::<(), &str>(())
            })
            .map(|()| out)
        };
        assert_eq!(normalized("a\r\nb\rc\nd\te"), Ok("a b c d e".into()));
        assert_eq!(normalized("&#10;&#x9;&lt;"), Ok("\n\t<".into()));
        assert_eq!(normalized("[&nl;]"), Ok("[a  b c]".into()));
        assert_eq!(normalized("&bogus;"), Err("unknown"));
        assert_eq!(normalized("a &amp b"), Err("no ;"));
        let mut out = String::new();
        assert_eq!(normalize_attribute("x&#32;&quot;\t", &mut out), Some(()));
        assert_eq!(out, "x \" ");
        assert_eq!(normalize_attribute("&nbsp;", &mut String::new()), None);
    }
}

#[cfg(test)]
mod entity_tests {
    use super::{entity_bomb, entity_declarations, prolog_doctype, EntityDeclaration};

    #[test]
    fn entity_declarations_of_the_internal_subset() {
        use EntityDeclaration::*;
        let decl = " d SYSTEM 'x[y' [\n<!-- <!ENTITY c SYSTEM 'c' NDATA n> -->\
                    <!ENTITY % p 'x'> %p; <?pi <!ENTITY q 'q'>?>\
                    <!NOTATION png SYSTEM 'image/png'>\
                    <!ATTLIST d a CDATA '>'>\
                    <!ENTITY i \"v>\"><!ENTITY e SYSTEM \"e.xml\">\
                    <!ENTITY u SYSTEM 'u.png' NDATA png>\
                    <!ENTITY t PUBLIC '-//NDATA//' 'NDATA'>\
                    <!ENTITY u SYSTEM 'again'>\n]><d><!ENTITY z SYSTEM 'z' NDATA png></d>";
        let found = entity_declarations(decl).unwrap();
        assert_eq!(
            found,
            [
                Internal {
                    name: "i",
                    value: "v>"
                },
                External { name: "e" },
                Unparsed { name: "u" },
                External { name: "t" },
            ]
        );
        assert_eq!(entity_declarations(" d SYSTEM 'a.dtd'><d/>"), Ok(vec![]));
        assert!(entity_declarations(" d [<!ENTITY i 'v]>").is_err());
    }

    #[test]
    fn the_doctype_is_found_in_the_prolog_only() {
        let doc = "\u{FEFF}<?xml version='1.0'?>\n<!-- <!DOCTYPE x> --><?p?> <!DOCTYPE d []><d/>";
        assert_eq!(prolog_doctype(doc), Some(" d []><d/>"));
        assert_eq!(prolog_doctype("<d><!DOCTYPE x></d>"), None);
        assert_eq!(prolog_doctype("<!-- unterminated"), None);
    }

    #[test]
    fn ordinary_entities_pass() {
        assert!(entity_bomb("<a>&amp;&#33;</a>").is_none());
        let doc = "<!DOCTYPE a [<!ENTITY e \"text\"> <!ENTITY % p \"x\">]><a>&e;&e;</a>";
        assert!(entity_bomb(doc).is_none());
    }

    #[test]
    fn quadratic_and_exponential_expansions_are_refused() {
        let big = "x".repeat(10_000);
        let doc = format!(
            "<!DOCTYPE a [<!ENTITY b \"{big}\">]><a>{}</a>",
            "&b;".repeat(10_000)
        );
        assert!(entity_bomb(&doc)
            .unwrap()
            .1
            .contains("entity-expansion bomb"));
        let mut doc = String::from("<!DOCTYPE a [<!ENTITY l0 \"lol\">");
        for i in 1..10 {
            doc.push_str(&format!(
                "<!ENTITY l{i} '{}'>",
                format!("&l{};", i - 1).repeat(10)
            ));
        }
        doc.push_str("]><a>&l9;</a>");
        assert!(entity_bomb(&doc).is_some());
    }

    #[test]
    fn reference_loops_terminate() {
        let refs = "&a;&b;".repeat(1000);
        let doc = format!("<!DOCTYPE a [<!ENTITY a \"{refs}\"><!ENTITY b \"{refs}\">]><a>&a;</a>");
        // Each entity is sized once: this returns at once (refused: 6 GB).
        assert!(entity_bomb(&doc).is_some());
    }
}

/// Deterministic small edits of XML texts, for the tests that check a fast
/// path (`validate::scan`, `syntax::xmltree`) against roxmltree.
#[cfg(test)]
pub(crate) mod mutations {
    /// Markup worth inserting: delimiters, references, namespace
    /// declarations, prefixes, whole constructs the fast paths refuse.
    const PIECES: &[&str] = &[
        "<",
        ">",
        "/",
        "&",
        ";",
        "'",
        "\"",
        ":",
        "=",
        " ",
        "\n",
        "\t",
        "-",
        "?",
        "!",
        "]]>",
        "&amp;",
        "&#x41;",
        "&#9;",
        "&foo;",
        "xmlns:p='urn:q'",
        "xmlns='urn:z'",
        "xmlns:a='urn:a'",
        "p:",
        "a:",
        "xml:",
        "<!-- x -->",
        "<?q r?>",
        "<e/>",
        "</e>",
        "\u{e9}",
        "b='2'",
        "name='n'",
        "<![CDATA[z]]>",
    ];

    /// Whether `doc` has what roxmltree reads unlike Namespaces in XML,
    /// jing and xmllint, and the fast paths: a prefixed `xmlns` attribute
    /// (`p:xmlns=`, an ordinary attribute in `p`'s namespace, which
    /// roxmltree takes for a default namespace declaration), or an element
    /// with the `xml` prefix (bound by definition; roxmltree refuses it).
    /// The reference is wrong there, so such texts are not compared.
    fn roxmltree_misreads(doc: &str) -> bool {
        doc.contains("<xml:")
            || doc.contains("</xml:")
            || doc
                .match_indices(":xmlns")
                .any(|(at, m)| doc[at + m.len()..].trim_start().starts_with('='))
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Gives `check` `per_seed` copies of each seed with one or two edits
    /// each (a few characters deleted, one replaced, or a piece inserted);
    /// `check` says whether the fast path took the text (and asserts what it
    /// must). Fails unless both outcomes were exercised, so the check means
    /// something.
    pub fn check(seeds: &[&str], per_seed: usize, mut check: impl FnMut(&str) -> bool) {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut taken, mut runs) = (0, 0);
        for seed in seeds {
            for _ in 0..per_seed {
                let mut doc: Vec<char> = seed.chars().collect();
                for _ in 0..1 + rng.below(2) {
                    let at = rng.below(doc.len() + 1);
                    let piece = PIECES[rng.below(PIECES.len())];
                    match rng.below(3) {
                        0 if at < doc.len() => {
                            let len = 1 + rng.below(4);
                            doc.drain(at..(at + len).min(doc.len()));
                        }
                        1 if at < doc.len() => {
                            doc[at] = piece.chars().next().unwrap_or(' ');
                        }
                        _ => {
                            doc.splice(at..at, piece.chars());
                        }
                    }
                }
                let doc: String = doc.into_iter().collect();
                if roxmltree_misreads(&doc) {
                    continue;
                }
                runs += 1;
                if check(&doc) {
                    taken += 1;
                }
            }
        }
        assert!(
            taken > runs / 20 && taken < runs * 9 / 10,
            "the fast path took {taken} of {runs}"
        );
    }
}
