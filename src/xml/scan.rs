//! The one strict XML scanner: a text in one pass, no tree, fed to a
//! [`ScanSink`] as start tags, pieces of text and end tags.
//!
//! Building roxmltree's tree cost as much as validating, and its parse was
//! two fifths of compiling libvirt's schemas, so the common subset of XML
//! that documents and schemas are written in — an optional XML
//! declaration, elements, attributes, namespace declarations, text with the
//! predefined entities and character references, comments and processing
//! instructions, ASCII names, no carriage returns — is scanned here. The
//! document reader (`validate::scan`, to validator events) and the schema
//! reader (`syntax::xmltree`, to a tree) are sinks of it. Anything else (a
//! DOCTYPE, CDATA, other entity references, `\r`, non-ASCII names, unusual
//! namespace declarations) and anything not well-formed makes [`scan`] give
//! up with [`Unsupported`]; the caller then leaves the text to roxmltree,
//! which decides, and words any well-formedness error.
//!
//! So the contract is one-sided: whatever this accepts, roxmltree accepts
//! too, with the same names, values, ranges and namespace context. Being
//! stricter than roxmltree only costs time. Each sink's tests check it over
//! hand-written cases and thousands of mutated texts.

use std::ops::Range;

use memchr::{memchr, memmem};

use super::{Cursor, QName, Unsupported, XML_NS};

type Scanned<T = ()> = Result<T, Unsupported>;

/// More attributes than this on one element: left to roxmltree (the
/// duplicate checks here compare pairs).
const MAX_ATTRIBUTES: usize = 64;

/// What a scanned text is fed to. Nothing is fed after a refusal that the
/// sink must keep: after `Err(Unsupported)` it has seen part of the text.
pub trait ScanSink<'t> {
    /// A whole start tag, its names resolved and its attributes checked.
    fn start_tag(&mut self, tag: &StartTag<'_, 't>);
    /// One piece of character data, from a tag, comment or processing
    /// instruction to the next: `raw` as written, `expanded` when it held
    /// references (then replaced by their characters). `scope` is the
    /// enclosing element's.
    fn text(
        &mut self,
        raw: &'t str,
        expanded: Option<&str>,
        span: Range<usize>,
        scope: Scope<'_, 't>,
    );
    /// An end tag (an empty-element tag has none: see [`StartTag::empty`]);
    /// `scope` is still the ending element's.
    fn end_tag(&mut self, span: Range<usize>, scope: Scope<'_, 't>);
}

/// Scans the whole of `text` into `sink`, or gives up.
pub fn scan<'t>(text: &'t str, sink: &mut impl ScanSink<'t>) -> Scanned {
    if !super::plain_characters(text.as_bytes()) {
        return Err(Unsupported);
    }
    let mut scanner = Scanner {
        cur: Cursor::new(text),
        bindings: Vec::new(),
        open: Vec::new(),
        attributes: Vec::new(),
        values: String::new(),
        text_buf: String::new(),
    };
    scanner.cur.prolog()?;
    scanner.content(sink)?;
    scanner.cur.epilog()
}

/// A namespace binding: prefix ("" for the default namespace) → URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding<'t> {
    /// The prefix, "" for the default namespace.
    pub prefix: &'t str,
    /// The URI (never empty).
    pub uri: &'t str,
}

/// The namespace bindings in scope, innermost last. Like roxmltree's
/// element context, it knows only declared prefixes (not `xml`).
#[derive(Clone, Copy)]
pub struct Scope<'s, 't>(&'s [Binding<'t>]);

impl<'t> Scope<'_, 't> {
    /// The URI `prefix` ("" for the default namespace) is bound to.
    pub fn lookup(&self, prefix: &str) -> Option<&'t str> {
        self.0
            .iter()
            .rev()
            .find(|b| b.prefix == prefix)
            .map(|b| b.uri)
    }
}

/// A start tag as the sink sees it.
pub struct StartTag<'s, 't> {
    /// The element's name as written.
    pub name: QName<'t>,
    /// Its namespace URI, "" for none.
    pub ns: &'t str,
    /// The whole tag, `<` to `>`.
    pub span: Range<usize>,
    /// Whether it is an empty-element tag (no end tag follows).
    pub empty: bool,
    attributes: &'s [RawAttribute<'t>],
    values: &'s str,
    bindings: &'s [Binding<'t>],
    /// How many of `bindings` were in scope before this element.
    outer: usize,
}

impl<'s, 't> StartTag<'s, 't> {
    /// The attributes other than namespace declarations, in document order.
    pub fn attributes(&self) -> impl Iterator<Item = Attribute<'s, 't>> + '_ {
        self.attributes
            .iter()
            .filter(|a| !a.name.is_namespace_declaration())
            .map(|a| Attribute {
                name: a.name,
                ns: a.ns,
                value: match &a.value {
                    Value::Raw(v) => v,
                    Value::Normalized(range) => self.values.get(range.clone()).unwrap_or(""),
                },
                written: match a.value {
                    Value::Raw(v) => Some(v),
                    Value::Normalized(_) => None,
                },
                span: a.span.clone(),
                value_start: a.value_start,
            })
    }

    /// The namespaces this tag declares, in document order.
    pub fn declarations(&self) -> &'s [Binding<'t>] {
        self.bindings.get(self.outer..).unwrap_or(&[])
    }

    /// The bindings in scope inside the element.
    pub fn scope(&self) -> Scope<'s, 't> {
        Scope(self.bindings)
    }

    /// The bindings in scope around the element (its parent's).
    pub fn parent_scope(&self) -> Scope<'s, 't> {
        Scope(self.bindings.get(..self.outer).unwrap_or(&[]))
    }
}

/// An attribute of a start tag, other than a namespace declaration.
pub struct Attribute<'s, 't> {
    /// The name as written.
    pub name: QName<'t>,
    /// Its namespace URI, "" for none.
    pub ns: &'t str,
    /// The value normalized (XML 1.0 §3.3.3 for CDATA).
    pub value: &'s str,
    /// The value as written, when normalizing left it unchanged.
    pub written: Option<&'t str>,
    /// From the name to the closing quote.
    pub span: Range<usize>,
    /// Where the value starts, after the opening quote.
    pub value_start: usize,
}

/// An attribute of the current start tag, as scanned.
struct RawAttribute<'t> {
    name: QName<'t>,
    value: Value<'t>,
    span: Range<usize>,
    value_start: usize,
    /// Resolved once the tag's declarations are known.
    ns: &'t str,
}

/// An attribute value: the text itself, or normalized into `Scanner::values`.
#[derive(Clone)]
enum Value<'t> {
    Raw(&'t str),
    Normalized(Range<usize>),
}

/// An open element: its name as written (for the end tag) and how many
/// bindings were in scope before it.
struct Open<'t> {
    qname: &'t str,
    outer: usize,
}

struct Scanner<'t> {
    cur: Cursor<'t>,
    bindings: Vec<Binding<'t>>,
    open: Vec<Open<'t>>,
    attributes: Vec<RawAttribute<'t>>,
    /// Normalized attribute values of the current start tag, end to end.
    values: String,
    /// A piece of text with its references expanded.
    text_buf: String,
}

impl<'t> Scanner<'t> {
    /// The root element and everything in it, iteratively (depth is bounded
    /// by memory only).
    fn content(&mut self, sink: &mut impl ScanSink<'t>) -> Scanned {
        loop {
            match self.cur.peek() {
                Some(b'<') => match self.cur.bytes.get(self.cur.pos + 1) {
                    Some(b'/') => {
                        self.end_tag(sink)?;
                        if self.open.is_empty() {
                            return Ok(());
                        }
                    }
                    Some(b'!') if self.cur.at(b"<!--") => self.cur.comment()?,
                    Some(b'!') => return Err(Unsupported), // CDATA or a stray declaration
                    Some(b'?') => self.cur.processing_instruction()?,
                    _ => {
                        self.start_tag(sink)?;
                        if self.open.is_empty() {
                            return Ok(()); // an empty root element
                        }
                    }
                },
                Some(_) => self.text_piece(sink)?,
                None => return Err(Unsupported), // unclosed elements
            }
        }
    }

    fn start_tag(&mut self, sink: &mut impl ScanSink<'t>) -> Scanned {
        let start = self.cur.pos;
        self.cur.pos += 1;
        let name = self.cur.qname()?;
        self.attributes.clear();
        self.values.clear();
        let empty = loop {
            let spaced = self.cur.skip_space();
            match self.cur.peek() {
                Some(b'>') => {
                    self.cur.pos += 1;
                    break false;
                }
                Some(b'/') => {
                    self.cur.expect(b"/>")?;
                    break true;
                }
                _ if spaced => self.attribute()?,
                _ => return Err(Unsupported),
            }
        };
        if self.attributes.len() > MAX_ATTRIBUTES || self.has_duplicate_qnames() {
            return Err(Unsupported);
        }
        let outer = self.bindings.len();
        self.declare_namespaces()?;
        // `xml` is bound by definition, for elements as for attributes
        // (jing and xmllint take `<xml:e/>`; roxmltree refuses it).
        let ns = match name.prefix() {
            "xml" => XML_NS,
            "xmlns" => return Err(Unsupported),
            prefix => self.resolve(prefix)?,
        };
        self.resolve_attributes()?;
        sink.start_tag(&StartTag {
            name,
            ns,
            span: start..self.cur.pos,
            empty,
            attributes: &self.attributes,
            values: &self.values,
            bindings: &self.bindings,
            outer,
        });
        if empty {
            self.bindings.truncate(outer);
        } else {
            self.open.push(Open {
                qname: name.whole,
                outer,
            });
        }
        Ok(())
    }

    /// `name = "value"` inside a start tag.
    fn attribute(&mut self) -> Scanned {
        let start = self.cur.pos;
        let name = self.cur.qname()?;
        let qname_end = self.cur.pos;
        let (raw, value_start) = self.cur.quoted_value()?;
        // roxmltree keeps these two lengths in 16 and 8 bits.
        if qname_end - start > usize::from(u16::MAX) || value_start - 1 - qname_end > 200 {
            return Err(Unsupported);
        }
        let value = if super::needs_normalizing(raw) {
            let from = self.values.len();
            super::normalize_attribute(raw, &mut self.values).ok_or(Unsupported)?;
            Value::Normalized(from..self.values.len())
        } else {
            Value::Raw(raw)
        };
        self.attributes.push(RawAttribute {
            name,
            value,
            span: start..self.cur.pos,
            value_start,
            ns: "",
        });
        Ok(())
    }

    /// Whether two attributes of the current start tag have the same name
    /// as written (namespace declarations included).
    fn has_duplicate_qnames(&self) -> bool {
        let attrs = &self.attributes;
        attrs
            .iter()
            .enumerate()
            .any(|(i, a)| attrs[..i].iter().any(|b| b.name == a.name))
    }

    /// Pushes the start tag's namespace declarations. Declarations roxmltree
    /// treats specially (of `xml` or `xmlns`, of their URIs, empty or with
    /// references) are left to it.
    fn declare_namespaces(&mut self) -> Scanned {
        for attr in &self.attributes {
            let written = match attr.value {
                Value::Raw(v) => Some(v),
                Value::Normalized(_) => None,
            };
            let Some((prefix, uri)) = super::namespace_declaration(attr.name, written)? else {
                continue;
            };
            self.bindings.push(Binding { prefix, uri });
        }
        Ok(())
    }

    /// The URI bound to an element's `prefix`; no prefix means the default
    /// namespace (or none).
    fn resolve(&self, prefix: &str) -> Scanned<&'t str> {
        match Scope(&self.bindings).lookup(prefix) {
            Some(uri) => Ok(uri),
            None if prefix.is_empty() => Ok(""),
            None => Err(Unsupported),
        }
    }

    /// Resolves the attributes' namespaces, checking that no two share an
    /// expanded name. An unprefixed attribute is in no namespace; `xml:` is
    /// bound by definition.
    fn resolve_attributes(&mut self) -> Scanned {
        let scope = Scope(&self.bindings);
        for i in 0..self.attributes.len() {
            let Some(attr) = self.attributes.get(i) else {
                break;
            };
            if attr.name.is_namespace_declaration() {
                continue;
            }
            let ns = match attr.name.prefix() {
                "" => "",
                "xml" => XML_NS,
                prefix => scope.lookup(prefix).ok_or(Unsupported)?,
            };
            let local = attr.name.local();
            let clash = self.attributes[..i].iter().any(|other| {
                !other.name.is_namespace_declaration()
                    && other.name.local() == local
                    && other.ns == ns
            });
            if clash {
                return Err(Unsupported);
            }
            if let Some(attr) = self.attributes.get_mut(i) {
                attr.ns = ns;
            }
        }
        Ok(())
    }

    fn end_tag(&mut self, sink: &mut impl ScanSink<'t>) -> Scanned {
        let start = self.cur.pos;
        self.cur.pos += 2;
        let qname = self.cur.qname()?.whole;
        self.cur.skip_space();
        self.cur.expect(b">")?;
        let open = self.open.pop().ok_or(Unsupported)?;
        if open.qname != qname {
            return Err(Unsupported);
        }
        sink.end_tag(start..self.cur.pos, Scope(&self.bindings));
        self.bindings.truncate(open.outer);
        Ok(())
    }

    /// Character data up to the next `<`.
    fn text_piece(&mut self, sink: &mut impl ScanSink<'t>) -> Scanned {
        let start = self.cur.pos;
        let len = memchr(b'<', self.cur.rest()).ok_or(Unsupported)?;
        let end = start + len;
        let raw = self.cur.slice(start..end)?;
        self.cur.pos = end;
        let bytes = raw.as_bytes();
        if memchr(b'>', bytes).is_some() && memmem::find(bytes, b"]]>").is_some() {
            return Err(Unsupported);
        }
        let scope = Scope(&self.bindings);
        if memchr(b'&', bytes).is_none() {
            sink.text(raw, None, start..end, scope);
            return Ok(());
        }
        self.text_buf.clear();
        super::expand_references(raw, &mut self.text_buf).ok_or(Unsupported)?;
        sink.text(raw, Some(&self.text_buf), start..end, scope);
        Ok(())
    }
}

/// Texts the scanner refuses, for its sinks' tests (each adds its own).
#[cfg(test)]
pub const REFUSED: &[&str] = &[
    "",
    "<!DOCTYPE a><a/>",
    "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
    "<a><![CDATA[x]]></a>",
    "<a>\r\n</a>",
    "<a>&nbsp;</a>",
    "<a>]]></a>",
    "<a b='1' b='2'/>",
    "<a xmlns:p='u' xmlns:q='u' p:b='1' q:b='2'/>",
    "<a xmlns:p=''/>",
    "<a xmlns=''/>",
    "<a xmlns:xml='http://www.w3.org/XML/1998/namespace'/>",
    "<p:a/>",
    "<a p:b='1'/>",
    "<\u{e9}/>",
    "<a></b>",
    "<a>",
    "<a/><b/>",
    "<a><!-- x -- y --></a>",
];
