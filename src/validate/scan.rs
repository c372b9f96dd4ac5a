//! The fast path from a document's text to validator events: one pass over
//! the bytes, no tree.
//!
//! Building roxmltree's tree cost as much as validating, so the documents
//! that make up nearly every CI run — an optional XML declaration, elements,
//! attributes, namespace declarations, text with the predefined entities and
//! character references, comments and processing instructions, ASCII names,
//! no carriage returns — are scanned here and fed straight to an
//! [`EventSink`]. Anything else (a DOCTYPE, CDATA, other entity references,
//! `\r`, non-ASCII names, unusual namespace declarations) and anything not
//! well-formed makes [`feed`] give up with [`Unsupported`]; the caller then
//! resets its sink and takes the tree path ([`super::events`]), which
//! decides, and words any well-formedness error, as before.
//!
//! So the contract is one-sided: whatever this accepts, roxmltree accepts
//! too, and the events fed are exactly those [`super::events::feed`] feeds
//! for it (same names, values, ranges and namespace context). Being stricter
//! than roxmltree only costs time. The tests check it by feeding both paths
//! to a recorder over hand-written cases and thousands of mutated documents.

use std::ops::Range;

use memchr::{memchr, memmem};

use super::events::EventSink;
use crate::datatype::Context;
use crate::xml::{self, Cursor, QName, XML_NS};

pub use crate::xml::Unsupported;

type Scanned<T = ()> = Result<T, Unsupported>;

/// More attributes than this on one element: left to the tree path (the
/// duplicate checks here compare pairs).
const MAX_ATTRIBUTES: usize = 64;

/// Feeds every event of the document `text` to `sink`, or gives up. After
/// `Err(Unsupported)` the sink has seen part of the document and must be
/// reset before anything else is fed to it.
pub fn feed<S: EventSink>(text: &str, sink: &mut S) -> Scanned {
    if !xml::plain_characters(text.as_bytes()) {
        return Err(Unsupported);
    }
    let mut scanner = Scanner {
        cur: Cursor::new(text),
        bindings: Vec::new(),
        open: Vec::new(),
        attributes: Vec::new(),
        values: String::new(),
        pending: None,
        text_buf: String::new(),
    };
    scanner.document(sink)
}

/// A namespace binding in scope: prefix ("" for the default) → URI.
struct Binding<'t> {
    prefix: &'t str,
    uri: &'t str,
}

/// An open element: its name as written (for the end tag) and how many
/// bindings were in scope before it.
struct Open<'t> {
    qname: &'t str,
    scope: usize,
}

/// An attribute of the current start tag, as scanned.
struct RawAttribute<'t> {
    name: QName<'t>,
    value: Value<'t>,
    span: Range<usize>,
}

/// An attribute value: the text itself, or normalized into `Scanner::values`.
#[derive(Clone)]
enum Value<'t> {
    Raw(&'t str),
    Normalized(Range<usize>),
}

/// Text not yet given to the sink: one run from the end of the last tag to
/// the next, across comments and processing instructions.
struct PendingText<'t> {
    span: Range<usize>,
    /// The run when it is one piece of the document; `None` when it is in
    /// `Scanner::text_buf` (references expanded or several pieces joined).
    raw: Option<&'t str>,
}

/// The namespace bindings in scope, as the datatypes ask for them. Like the
/// tree path's element context, it knows only declared prefixes.
struct Scope<'a, 't>(&'a [Binding<'t>]);

impl Context for Scope<'_, '_> {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        lookup(self.0, prefix)
    }
}

fn lookup<'t>(bindings: &[Binding<'t>], prefix: &str) -> Option<&'t str> {
    bindings
        .iter()
        .rev()
        .find(|b| b.prefix == prefix)
        .map(|b| b.uri)
}

struct Scanner<'t> {
    cur: Cursor<'t>,
    bindings: Vec<Binding<'t>>,
    open: Vec<Open<'t>>,
    attributes: Vec<RawAttribute<'t>>,
    /// Normalized attribute values of the current start tag, end to end.
    values: String,
    pending: Option<PendingText<'t>>,
    text_buf: String,
}

impl<'t> Scanner<'t> {
    fn document<S: EventSink>(&mut self, sink: &mut S) -> Scanned {
        self.cur.prolog()?;
        self.content(sink)?;
        self.cur.epilog()
    }

    /// The root element and everything in it, iteratively (depth is bounded
    /// by memory only).
    fn content<S: EventSink>(&mut self, sink: &mut S) -> Scanned {
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
                Some(_) => self.text_piece()?,
                None => return Err(Unsupported), // unclosed elements
            }
        }
    }

    fn start_tag<S: EventSink>(&mut self, sink: &mut S) -> Scanned {
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
        let span = start..self.cur.pos;
        self.flush_text(sink);
        let scope = self.bindings.len();
        self.declare_namespaces()?;
        let ns = match name.prefix() {
            "xml" | "xmlns" => return Err(Unsupported),
            prefix => self.resolve(prefix)?,
        };
        sink.start_tag_open(ns, name.local(), name.whole, span.clone());
        self.attributes_to(sink)?;
        sink.start_tag_close();
        if empty {
            sink.end_tag(span);
            self.bindings.truncate(scope);
        } else {
            self.open.push(Open {
                qname: name.whole,
                scope,
            });
        }
        Ok(())
    }

    /// `name = "value"` inside a start tag.
    fn attribute(&mut self) -> Scanned {
        let start = self.cur.pos;
        let name = self.cur.qname()?;
        let (raw, _) = self.cur.quoted_value()?;
        let value = self.attribute_value(raw)?;
        self.attributes.push(RawAttribute {
            name,
            value,
            span: start..self.cur.pos,
        });
        Ok(())
    }

    /// An attribute value normalized as XML 1.0 §3.3.3 says for CDATA: tab
    /// and newline become spaces, references are replaced by their characters.
    fn attribute_value(&mut self, raw: &'t str) -> Scanned<Value<'t>> {
        if !xml::needs_normalizing(raw) {
            return Ok(Value::Raw(raw));
        }
        let from = self.values.len();
        xml::normalize_attribute(raw, &mut self.values).ok_or(Unsupported)?;
        Ok(Value::Normalized(from..self.values.len()))
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

    /// Pushes the start tag's namespace declarations. Declarations the tree
    /// path treats specially (of `xml` or `xmlns`, of their URIs, empty or
    /// with references) are left to it.
    fn declare_namespaces(&mut self) -> Scanned {
        for attr in &self.attributes {
            let written = match attr.value {
                Value::Raw(v) => Some(v),
                Value::Normalized(_) => None,
            };
            let Some((prefix, uri)) = xml::namespace_declaration(attr.name, written)? else {
                continue;
            };
            self.bindings.push(Binding { prefix, uri });
        }
        Ok(())
    }

    /// The URI bound to an element's or attribute's `prefix`; no prefix
    /// means the default namespace (or none).
    fn resolve(&self, prefix: &str) -> Scanned<&'t str> {
        match lookup(&self.bindings, prefix) {
            Some(uri) => Ok(uri),
            None if prefix.is_empty() => Ok(""),
            None => Err(Unsupported),
        }
    }

    /// Feeds the start tag's attributes other than namespace declarations,
    /// in document order, after checking that no two share an expanded name.
    fn attributes_to<S: EventSink>(&self, sink: &mut S) -> Scanned {
        let attrs = &self.attributes;
        for (i, attr) in attrs.iter().enumerate() {
            let (prefix, local) = (attr.name.prefix(), attr.name.local());
            if attr.name.is_namespace_declaration() {
                continue;
            }
            let ns = self.attribute_namespace(prefix)?;
            let clash = attrs[..i].iter().any(|other| {
                !other.name.is_namespace_declaration()
                    && other.name.local() == local
                    && self.attribute_namespace(other.name.prefix()) == Ok(ns)
            });
            if clash {
                return Err(Unsupported);
            }
            let value = match &attr.value {
                Value::Raw(v) => v,
                Value::Normalized(range) => &self.values[range.clone()],
            };
            let ctx = Scope(&self.bindings);
            sink.attribute(ns, local, attr.name.whole, value, attr.span.clone(), &ctx);
        }
        Ok(())
    }

    /// An unprefixed attribute is in no namespace; `xml:` is bound by
    /// definition.
    fn attribute_namespace(&self, prefix: &str) -> Scanned<&'t str> {
        match prefix {
            "" => Ok(""),
            "xml" => Ok(XML_NS),
            _ => lookup(&self.bindings, prefix).ok_or(Unsupported),
        }
    }

    fn end_tag<S: EventSink>(&mut self, sink: &mut S) -> Scanned {
        let start = self.cur.pos;
        self.cur.pos += 2;
        let qname = self.cur.qname()?.whole;
        self.cur.skip_space();
        self.cur.expect(b">")?;
        let open = self.open.pop().ok_or(Unsupported)?;
        if open.qname != qname {
            return Err(Unsupported);
        }
        self.flush_text(sink);
        sink.end_tag(start..self.cur.pos);
        self.bindings.truncate(open.scope);
        Ok(())
    }

    /// Character data up to the next `<`, joined to the pending run.
    fn text_piece(&mut self) -> Scanned {
        let start = self.cur.pos;
        let len = memchr(b'<', &self.cur.bytes[start..]).ok_or(Unsupported)?;
        let end = start + len;
        let raw = &self.cur.text[start..end];
        self.cur.pos = end;
        if memchr(b'>', raw.as_bytes()).is_some() && memmem::find(raw.as_bytes(), b"]]>").is_some()
        {
            return Err(Unsupported);
        }
        let has_reference = memchr(b'&', raw.as_bytes()).is_some();
        match &mut self.pending {
            None if !has_reference => {
                self.pending = Some(PendingText {
                    span: start..end,
                    raw: Some(raw),
                });
                return Ok(());
            }
            None => {
                self.text_buf.clear();
                self.pending = Some(PendingText {
                    span: start..end,
                    raw: None,
                });
            }
            Some(run) => {
                if let Some(first) = run.raw.take() {
                    self.text_buf.clear();
                    self.text_buf.push_str(first);
                }
                run.span.end = end;
            }
        }
        xml::expand_references(raw, &mut self.text_buf).ok_or(Unsupported)
    }

    fn flush_text<S: EventSink>(&mut self, sink: &mut S) {
        if let Some(run) = self.pending.take() {
            let text = run.raw.unwrap_or(&self.text_buf);
            sink.text(text, run.span, &Scope(&self.bindings));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::events::{self, EventLog};

    fn fast(doc: &str) -> Option<Vec<String>> {
        let mut log = EventLog::for_document(doc);
        feed(doc, &mut log).ok().map(|()| log.lines)
    }

    fn tree(doc: &str) -> Option<Vec<String>> {
        let mut log = EventLog::for_document(doc);
        let parsed = events::parse_document(doc).ok()?;
        events::feed(&parsed, &mut log);
        Some(log.lines)
    }

    /// Whatever the fast path takes, the tree path takes too, with the same
    /// events. Returns whether the fast path took it.
    fn agree(doc: &str) -> bool {
        match fast(doc) {
            Some(events) => {
                assert_eq!(Some(events), tree(doc), "the paths disagree on {doc:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn takes_the_common_subset_with_the_tree_paths_events() {
        let cases = [
            "<a/>",
            "<a></a>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>x</a>\n",
            "<?xml version='1.0' standalone='yes' ?><a/>",
            "<!-- before --><?pi data?>\n<a b='1' c=\"2\">text<!-- c -->more<?p?>end</a><!-- after -->\n",
            "<d:a xmlns:d='urn:d' xmlns='urn:default' d:x='1' y='2'><b>t</b><d:c/></d:a>",
            "<a xmlns:p='urn:p'><b xmlns:p='urn:q' p:v='1'>x</b><c p:v='2'/></a>",
            "<a v='&lt;&gt;&amp;&apos;&quot;&#65;&#x42;\tx\ny'>&lt;b&gt; &#233; &#x1F600;</a>",
            "<a xml:lang='en' xmlns:x='urn:x'>q: x:name</a>",
            "<a>caf\u{e9} \u{4e2d}\u{6587}</a>",
            "<a  b = '1'\n\tc='2' ></a >",
            "<a>]]</a>",
            "<a>x > y</a>",
            "<a><b/><b></b>\n  <c>1</c>\n</a>",
        ];
        for doc in cases {
            assert!(agree(doc), "the fast path refused {doc:?}");
        }
    }

    #[test]
    fn leaves_everything_else_to_the_tree_path() {
        let cases = [
            "",
            "text",
            "<!DOCTYPE a><a/>",
            "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
            "<a><![CDATA[x]]></a>",
            "<a>\r\n</a>",
            "<a>\u{1}</a>",
            "<a>\u{fffe}</a>",
            "\u{feff}<a/>",
            "<a>&nbsp;</a>",
            "<a>&#0;</a>",
            "<a>&#xD800;</a>",
            "<a>&#;</a>",
            "<a>& b</a>",
            "<a>]]></a>",
            "<a b='1' b='2'/>",
            "<a xmlns:p='u' xmlns:q='u' p:b='1' q:b='2'/>",
            "<a xmlns:p=''/>",
            "<a xmlns=''/>",
            "<a xmlns:xml='http://www.w3.org/XML/1998/namespace'/>",
            "<p:a/>",
            "<a p:b='1'/>",
            "<xmlns:a/>",
            "<\u{e9}/>",
            "<a:b:c/>",
            "<a xml:xmlns='urn:e'/>",
            "<1a/>",
            "<a b='<'/>",
            "<a b='1'c='2'/>",
            "<a b=1/>",
            "<a></b>",
            "<a>",
            "<a/><b/>",
            "<a/>text",
            "<a><!-- x -- y --></a>",
            "<a><!-- x ---></a>",
            "<a><?xml version='1.0'?></a>",
            "<?xml version=\"1.1\"?><a/>",
            " <?xml version=\"1.0\"?><a/>",
            "<?xml version=\"1.0\" encoding=\"\"?><a/>",
        ];
        for doc in cases {
            assert_eq!(fast(doc), None, "the fast path took {doc:?}");
        }
    }

    /// Thousands of small edits of feature-rich documents: wherever the fast
    /// path takes one, the tree path must take it with the same events.
    #[test]
    fn mutated_documents_agree() {
        let seeds = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<d:a xmlns:d='urn:d' xmlns='urn:e' d:x='1&amp;2' y=\"a\tb\">\n  <b c='&#65;'>t&lt;u<!-- c -->v</b>\n  <d:c/><?pi x?>\n</d:a>\n<!-- end -->",
            "<a xmlns:p='urn:p' xml:lang='en'><p:b p:v='x' v='y'>caf\u{e9} &#x1F600;</p:b><c></c></a>",
        ];
        crate::xml::mutations::check(&seeds, 4000, agree);
    }
}
