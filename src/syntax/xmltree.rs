//! A small read-only XML tree for the schema reader ([`super::rng`]).
//!
//! roxmltree's parse was two fifths of compiling libvirt's schemas, so the
//! common subset of XML that schema files are written in (an optional XML
//! declaration, elements, attributes, namespace declarations, text with the
//! predefined entities and character references, comments and processing
//! instructions, ASCII names, no carriage returns) is scanned here in one
//! pass by [`scan`]. Anything else (a DOCTYPE, CDATA, other entity
//! references, `\r`, non-ASCII names, unusual namespace declarations) and
//! anything not well-formed makes it give up; the caller then parses with
//! roxmltree, which decides and words well-formedness errors, and converts
//! its document with [`from_roxmltree`].
//!
//! The tree holds only what `rng.rs` reads, with roxmltree's meaning: the
//! root element and what it contains, elements and text nodes (comments and
//! processing instructions dropped, but text on either side of one stays two
//! nodes), attribute values normalized, each element's in-scope namespaces
//! in roxmltree's order (its own declarations in document order, then its
//! parent's that it does not redeclare; never the `xml` prefix), and
//! roxmltree's byte ranges. The contract is one-sided: whatever [`scan`]
//! takes, roxmltree takes too, and the two trees are equal — checked over
//! hand-written and thousands of mutated schemas (the tests below) and
//! every schema file `make conformance` loads.

use std::borrow::Cow;
use std::ops::Range;

use memchr::memmem;

use crate::xml::{self, Cursor, QName, XML_NS};

/// More attributes than this on one element: left to roxmltree (the
/// duplicate checks here compare pairs).
const MAX_ATTRIBUTES: usize = 64;

/// A schema file's element tree. Nodes are in document order, the root
/// element first; an element's descendants follow it up to `subtree_end`.
#[derive(Debug, PartialEq)]
pub struct Tree<'a> {
    nodes: Vec<NodeData<'a>>,
    attributes: Vec<Attribute<'a>>,
    namespaces: Vec<Namespace<'a>>,
}

#[derive(Debug, PartialEq)]
struct NodeData<'a> {
    kind: NodeKind<'a>,
    /// roxmltree's range: an element's whole extent, a text node's first
    /// piece of text as written.
    range: Range<usize>,
}

#[derive(Debug, PartialEq)]
enum NodeKind<'a> {
    Element(Element<'a>),
    Text(Cow<'a, str>),
}

#[derive(Debug, PartialEq)]
struct Element<'a> {
    local: &'a str,
    namespace: Option<&'a str>,
    /// Where the start tag ends, after its `>`.
    start_tag_end: usize,
    attributes: Range<usize>,
    /// The in-scope namespaces, in `Tree::namespaces` (shared with the
    /// parent when the element declares none).
    namespaces: Range<usize>,
    /// The index past the element's last descendant.
    subtree_end: usize,
}

/// An attribute other than a namespace declaration.
#[derive(Debug, PartialEq)]
pub struct Attribute<'a> {
    local: &'a str,
    namespace: Option<&'a str>,
    value: Cow<'a, str>,
    range: Range<usize>,
    qname_end: usize,
    value_range: Range<usize>,
}

impl<'a> Attribute<'a> {
    pub fn name(&self) -> &'a str {
        self.local
    }

    pub fn namespace(&self) -> Option<&'a str> {
        self.namespace
    }

    /// The value, normalized (XML 1.0 §3.3.3).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// `prefix:local` as written.
    pub fn range_qname(&self) -> Range<usize> {
        self.range.start..self.qname_end
    }

    /// The value as written, without its quotes.
    pub fn range_value(&self) -> Range<usize> {
        self.value_range.clone()
    }
}

/// A namespace binding in scope: `None` is the default namespace.
#[derive(Clone, Debug, PartialEq)]
pub struct Namespace<'a> {
    pub prefix: Option<&'a str>,
    pub uri: &'a str,
}

/// A node of a [`Tree`]: an element or a text node.
#[derive(Clone, Copy)]
pub struct Node<'t, 'a> {
    tree: &'t Tree<'a>,
    id: usize,
}

impl<'a> Tree<'a> {
    /// The document element. Both builders always make one.
    pub fn root(&self) -> Node<'_, 'a> {
        Node { tree: self, id: 0 }
    }

    /// Each node with its attributes and namespaces spelled out, for the
    /// equivalence checks: trees that share namespace lists differently
    /// still describe the same.
    #[cfg(any(test, feature = "internals"))]
    pub fn describe(&self) -> Vec<String> {
        (0..self.nodes.len())
            .map(|id| {
                let node = Node { tree: self, id };
                format!(
                    "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                    node.name(),
                    node.namespace(),
                    node.text(),
                    node.range(),
                    node.start_tag_range(),
                    node.attributes(),
                    node.namespaces(),
                    node.children().map(|c| c.id).collect::<Vec<_>>(),
                    node.is_element(),
                )
            })
            .collect()
    }
}

impl<'t, 'a> Node<'t, 'a> {
    fn data(&self) -> Option<&'t NodeData<'a>> {
        self.tree.nodes.get(self.id)
    }

    fn element(&self) -> Option<&'t Element<'a>> {
        match &self.data()?.kind {
            NodeKind::Element(e) => Some(e),
            NodeKind::Text(_) => None,
        }
    }

    pub fn is_element(&self) -> bool {
        self.element().is_some()
    }

    pub fn is_text(&self) -> bool {
        matches!(self.data().map(|d| &d.kind), Some(NodeKind::Text(_)))
    }

    /// An element's local name ("" for text).
    pub fn name(&self) -> &'a str {
        self.element().map_or("", |e| e.local)
    }

    /// An element's namespace URI, if it has one.
    pub fn namespace(&self) -> Option<&'a str> {
        self.element().and_then(|e| e.namespace)
    }

    /// A text node's text (references expanded).
    pub fn text(&self) -> Option<&'t str> {
        match &self.data()?.kind {
            NodeKind::Text(t) => Some(t),
            NodeKind::Element(_) => None,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.data().map_or(0..0, |d| d.range.clone())
    }

    /// An element's start tag, up to and including its `>`.
    pub fn start_tag_range(&self) -> Range<usize> {
        let range = self.range();
        match self.element() {
            Some(e) => range.start..e.start_tag_end,
            None => range,
        }
    }

    /// The attributes other than namespace declarations, in document order.
    pub fn attributes(&self) -> &'t [Attribute<'a>] {
        self.element()
            .and_then(|e| self.tree.attributes.get(e.attributes.clone()))
            .unwrap_or(&[])
    }

    /// The value of the first attribute with local name `local`, whatever
    /// its namespace (as roxmltree's `attribute` with a bare name).
    pub fn attribute(&self, local: &str) -> Option<&'t str> {
        self.attributes()
            .iter()
            .find(|a| a.local == local)
            .map(|a| a.value())
    }

    /// The namespaces in scope, innermost declarations first; not `xml`.
    pub fn namespaces(&self) -> &'t [Namespace<'a>] {
        self.element()
            .and_then(|e| self.tree.namespaces.get(e.namespaces.clone()))
            .unwrap_or(&[])
    }

    /// The URI bound to `prefix` here.
    pub fn lookup_namespace_uri(&self, prefix: &str) -> Option<&'a str> {
        self.namespaces()
            .iter()
            .find(|n| n.prefix == Some(prefix))
            .map(|n| n.uri)
    }

    pub fn children(&self) -> Children<'t, 'a> {
        let end = self.element().map_or(self.id, |e| e.subtree_end);
        Children {
            tree: self.tree,
            next: self.id + 1,
            end,
        }
    }
}

/// The children of a node, in document order.
pub struct Children<'t, 'a> {
    tree: &'t Tree<'a>,
    next: usize,
    end: usize,
}

impl<'t, 'a> Iterator for Children<'t, 'a> {
    type Item = Node<'t, 'a>;

    fn next(&mut self) -> Option<Node<'t, 'a>> {
        if self.next >= self.end {
            return None;
        }
        let node = Node {
            tree: self.tree,
            id: self.next,
        };
        // A child's subtree is skipped to reach its next sibling.
        self.next = match &self.tree.nodes.get(self.next)?.kind {
            NodeKind::Element(e) => e.subtree_end,
            NodeKind::Text(_) => self.next + 1,
        };
        Some(node)
    }
}

/// The tree of a document roxmltree parsed.
pub fn from_roxmltree<'a>(doc: &'a roxmltree::Document) -> Tree<'a> {
    let mut tree = Tree {
        nodes: Vec::new(),
        attributes: Vec::new(),
        namespaces: Vec::new(),
    };
    // Iterative: roxmltree takes any depth, and so must this.
    let mut stack: Vec<(roxmltree::Node, usize)> = Vec::new();
    let mut next = Some(doc.root_element());
    loop {
        match next {
            Some(node) => {
                let id = tree.nodes.len();
                if node.is_element() {
                    convert_element(&mut tree, node, stack.last().map(|&(_, p)| p));
                    stack.push((node, id));
                    next = node.first_child();
                    continue;
                }
                // Comments and processing instructions are dropped.
                if node.is_text() {
                    tree.nodes.push(NodeData {
                        kind: NodeKind::Text(Cow::Borrowed(node.text().unwrap_or(""))),
                        range: node.range(),
                    });
                }
                next = node.next_sibling();
            }
            None => {
                let Some((node, id)) = stack.pop() else { break };
                let end = tree.nodes.len();
                if let Some(NodeData {
                    kind: NodeKind::Element(e),
                    ..
                }) = tree.nodes.get_mut(id)
                {
                    e.subtree_end = end;
                }
                if stack.is_empty() {
                    break;
                }
                next = node.next_sibling();
            }
        }
    }
    tree
}

fn convert_element<'a>(tree: &mut Tree<'a>, node: roxmltree::Node<'a, '_>, parent: Option<usize>) {
    let start = tree.attributes.len();
    for a in node.attributes() {
        let value = a.value();
        tree.attributes.push(Attribute {
            local: a.name(),
            namespace: a.namespace(),
            value: Cow::Borrowed(value),
            range: a.range(),
            qname_end: a.range_qname().end,
            value_range: a.range_value(),
        });
    }
    let attributes = start..tree.attributes.len();
    let in_scope: Vec<Namespace<'a>> = node
        .namespaces()
        .map(|n| Namespace {
            prefix: n.name(),
            uri: n.uri(),
        })
        .collect();
    let parent_range = parent
        .and_then(|p| match &tree.nodes.get(p)?.kind {
            NodeKind::Element(e) => Some(e.namespaces.clone()),
            NodeKind::Text(_) => None,
        })
        .unwrap_or(0..0);
    let namespaces = if tree.namespaces.get(parent_range.clone()) == Some(&in_scope[..]) {
        parent_range
    } else {
        let start = tree.namespaces.len();
        tree.namespaces.extend(in_scope);
        start..tree.namespaces.len()
    };
    let id = tree.nodes.len();
    tree.nodes.push(NodeData {
        kind: NodeKind::Element(Element {
            local: node.tag_name().name(),
            namespace: node.tag_name().namespace(),
            start_tag_end: xml::start_tag_range(node).end,
            attributes,
            namespaces,
            subtree_end: id + 1,
        }),
        range: node.range(),
    });
}

/// For the conformance runner: `None` if the fast builder refuses `text`;
/// otherwise `Some` of the first difference from the tree converted from
/// roxmltree's parse (`None` inside when they agree).
#[cfg(any(test, feature = "internals"))]
pub fn check_agreement(text: &str) -> Option<Option<String>> {
    let fast = scan(text).ok()?.describe();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => return Some(Some(format!("taken, but not well-formed: {e}"))),
    };
    let slow = from_roxmltree(&doc).describe();
    if fast == slow {
        return Some(None);
    }
    let i = fast.iter().zip(&slow).position(|(a, b)| a != b);
    let i = i.unwrap_or(fast.len().min(slow.len()));
    Some(Some(format!(
        "node {i}: fast {:?}, roxmltree {:?}",
        fast.get(i),
        slow.get(i)
    )))
}

pub use crate::xml::Unsupported;

type Scanned<T = ()> = Result<T, Unsupported>;

/// The tree of `text`, scanned directly, or `Unsupported`.
pub fn scan(text: &str) -> Result<Tree<'_>, Unsupported> {
    if !xml::plain_characters(text.as_bytes()) {
        return Err(Unsupported);
    }
    let mut scanner = Scanner {
        cur: Cursor::new(text),
        tree: Tree {
            nodes: Vec::new(),
            attributes: Vec::new(),
            namespaces: Vec::new(),
        },
        open: Vec::new(),
        raw: Vec::new(),
    };
    scanner.document()?;
    Ok(scanner.tree)
}

/// An attribute of the current start tag, as scanned.
struct RawAttribute<'a> {
    name: QName<'a>,
    value: Cow<'a, str>,
    range: Range<usize>,
    value_start: usize,
}

struct Scanner<'a> {
    cur: Cursor<'a>,
    tree: Tree<'a>,
    /// Open elements: node index and name as written.
    open: Vec<(usize, &'a str)>,
    raw: Vec<RawAttribute<'a>>,
}

impl<'a> Scanner<'a> {
    fn document(&mut self) -> Scanned {
        self.cur.prolog()?;
        self.content()?;
        self.cur.epilog()
    }

    /// The root element and everything in it, iteratively.
    fn content(&mut self) -> Scanned {
        loop {
            match self.cur.peek() {
                Some(b'<') => match self.cur.bytes.get(self.cur.pos + 1) {
                    Some(b'/') => {
                        self.end_tag()?;
                        if self.open.is_empty() {
                            return Ok(());
                        }
                    }
                    Some(b'!') if self.cur.at(b"<!--") => self.cur.comment()?,
                    Some(b'!') => return Err(Unsupported), // CDATA or a stray declaration
                    Some(b'?') => self.cur.processing_instruction()?,
                    _ => {
                        self.start_tag()?;
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

    fn start_tag(&mut self) -> Scanned {
        let start = self.cur.pos;
        self.cur.pos += 1;
        let name = self.cur.qname()?;
        self.raw.clear();
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
        let raw = &self.raw;
        let duplicate = raw
            .iter()
            .enumerate()
            .any(|(i, a)| raw[..i].iter().any(|b| b.name == a.name));
        if raw.len() > MAX_ATTRIBUTES || duplicate {
            return Err(Unsupported);
        }
        let parent = self.open.last().map(|&(id, _)| id);
        let namespaces = self.declare_namespaces(parent)?;
        let in_scope = self.tree.namespaces.get(namespaces.clone()).unwrap_or(&[]);
        let local = name.local();
        let namespace = match name.prefix() {
            "xml" | "xmlns" => return Err(Unsupported),
            "" => lookup(in_scope, None),
            p => Some(lookup(in_scope, Some(p)).ok_or(Unsupported)?),
        };
        let attributes = self.attributes(namespaces.clone())?;
        let id = self.tree.nodes.len();
        self.tree.nodes.push(NodeData {
            kind: NodeKind::Element(Element {
                local,
                namespace,
                start_tag_end: self.cur.pos,
                attributes,
                namespaces,
                subtree_end: id + 1,
            }),
            range: start..self.cur.pos,
        });
        if !empty {
            self.open.push((id, name.whole));
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
        let value = if xml::needs_normalizing(raw) {
            let mut normalized = String::with_capacity(raw.len());
            xml::normalize_attribute(raw, &mut normalized).ok_or(Unsupported)?;
            Cow::Owned(normalized)
        } else {
            Cow::Borrowed(raw)
        };
        self.raw.push(RawAttribute {
            name,
            value,
            range: start..self.cur.pos,
            value_start,
        });
        Ok(())
    }

    /// The element's namespaces in scope, as roxmltree lists them: its own
    /// declarations, then its parent's that it does not redeclare. Unusual
    /// declarations (of `xml` or `xmlns`, of their URIs, empty or with
    /// references, `p:xmlns`) are left to roxmltree.
    fn declare_namespaces(&mut self, parent: Option<usize>) -> Scanned<Range<usize>> {
        let parent_range = parent
            .and_then(|p| match &self.tree.nodes.get(p)?.kind {
                NodeKind::Element(e) => Some(e.namespaces.clone()),
                NodeKind::Text(_) => None,
            })
            .unwrap_or(0..0);
        let start = self.tree.namespaces.len();
        for attr in &self.raw {
            let written = match attr.value {
                Cow::Borrowed(v) => Some(v),
                Cow::Owned(_) => None,
            };
            let Some((prefix, uri)) = xml::namespace_declaration(attr.name, written)? else {
                continue;
            };
            let prefix = (!prefix.is_empty()).then_some(prefix);
            self.tree.namespaces.push(Namespace { prefix, uri });
        }
        if self.tree.namespaces.len() == start {
            return Ok(parent_range);
        }
        for i in parent_range {
            let Some(inherited) = self.tree.namespaces.get(i).cloned() else {
                continue;
            };
            let own = self.tree.namespaces.get(start..).unwrap_or(&[]);
            if !own.iter().any(|n| n.prefix == inherited.prefix) {
                self.tree.namespaces.push(inherited);
            }
        }
        Ok(start..self.tree.namespaces.len())
    }

    /// Moves the start tag's attributes other than namespace declarations
    /// into the tree, after checking that no two share an expanded name.
    fn attributes(&mut self, namespaces: Range<usize>) -> Scanned<Range<usize>> {
        let in_scope = self.tree.namespaces.get(namespaces).unwrap_or(&[]);
        let start = self.tree.attributes.len();
        for attr in self.raw.drain(..) {
            if attr.name.is_namespace_declaration() {
                continue;
            }
            let namespace = match attr.name.prefix() {
                "" => None,
                "xml" => Some(XML_NS),
                p => Some(lookup(in_scope, Some(p)).ok_or(Unsupported)?),
            };
            let local = attr.name.local();
            let added = self.tree.attributes.get(start..).unwrap_or(&[]);
            if added
                .iter()
                .any(|a| a.local == local && a.namespace == namespace)
            {
                return Err(Unsupported);
            }
            let qname_end = attr.range.start + attr.name.whole.len();
            let value_end = attr.range.end - 1;
            self.tree.attributes.push(Attribute {
                local,
                namespace,
                value: attr.value,
                qname_end,
                value_range: attr.value_start..value_end,
                range: attr.range,
            });
        }
        Ok(start..self.tree.attributes.len())
    }

    fn end_tag(&mut self) -> Scanned {
        self.cur.pos += 2;
        let qname = self.cur.qname()?.whole;
        self.cur.skip_space();
        self.cur.expect(b">")?;
        let (id, open) = self.open.pop().ok_or(Unsupported)?;
        if open != qname {
            return Err(Unsupported);
        }
        let end = self.tree.nodes.len();
        if let Some(NodeData {
            kind: NodeKind::Element(e),
            range,
        }) = self.tree.nodes.get_mut(id)
        {
            e.subtree_end = end;
            range.end = self.cur.pos;
        }
        Ok(())
    }

    /// Character data up to the next `<`: one text node (roxmltree starts a
    /// new one after every tag, comment and processing instruction).
    fn text_piece(&mut self) -> Scanned {
        let start = self.cur.pos;
        // One byte loop, not three memchr calls: in a schema nearly every
        // piece of text is the indentation between two tags.
        let (mut gt, mut amp) = (false, false);
        let len = self
            .cur
            .rest()
            .iter()
            .position(|&b| {
                gt |= b == b'>';
                amp |= b == b'&';
                b == b'<'
            })
            .ok_or(Unsupported)?;
        let end = start + len;
        let raw = self.cur.slice(start..end)?;
        self.cur.pos = end;
        if gt && memmem::find(raw.as_bytes(), b"]]>").is_some() {
            return Err(Unsupported);
        }
        let text = if amp {
            let mut expanded = String::with_capacity(raw.len());
            xml::expand_references(raw, &mut expanded).ok_or(Unsupported)?;
            Cow::Owned(expanded)
        } else {
            Cow::Borrowed(raw)
        };
        self.tree.nodes.push(NodeData {
            kind: NodeKind::Text(text),
            range: start..end,
        });
        Ok(())
    }
}

fn lookup<'a>(in_scope: &[Namespace<'a>], prefix: Option<&str>) -> Option<&'a str> {
    in_scope.iter().find(|n| n.prefix == prefix).map(|n| n.uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(text: &str) -> Option<Vec<String>> {
        scan(text).ok().map(|t| t.describe())
    }

    fn slow(text: &str) -> Option<Vec<String>> {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = roxmltree::Document::parse_with_options(text, options).ok()?;
        Some(from_roxmltree(&doc).describe())
    }

    /// Whatever the fast builder takes, roxmltree takes too, with an equal
    /// tree. Returns whether the fast builder took it.
    fn agree(text: &str) -> bool {
        match fast(text) {
            Some(tree) => {
                assert_eq!(Some(tree), slow(text), "the builders disagree on {text:?}");
                true
            }
            None => false,
        }
    }

    const SCHEMA: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a schema -->\n<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\" xmlns:a='urn:a' datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">\n  <start><ref name=\"r\"/></start>\n  <define name='r' a:doc='x&amp;y'>\n    <element name=\"a:e\" xmlns:b='urn:b'>\n      <attribute name='v'><value type='token'> a&lt;b </value></attribute>\n      <choice><value>x</value><!-- c --><value>y&#65;z</value></choice>\n      <b:doc xmlns:a='urn:a2'>t<?pi x?>u</b:doc>\n      <data type='int'><param name='minInclusive'>1</param></data>\n    </element>\n  </define>\n</grammar>\n<!-- end -->\n";

    #[test]
    fn takes_the_common_subset_with_roxmltrees_tree() {
        let cases = [
            SCHEMA,
            "<a/>",
            "<a></a>",
            "<a xmlns='urn:x'><b xmlns='urn:y'/><c/></a>",
            "<a xmlns:p='urn:p' xmlns:q='urn:q'><b xmlns:p='urn:p2' p:v='1' q:v='2'>x</b></a>",
            "<a v='&lt;&gt;&amp;&apos;&quot;&#65;&#x42;\tx\ny' w=''>&lt;b&gt; &#233;</a>",
            "<a xml:base='x/' xmlns:x='urn:x' f:n='1' xmlns:f='urn:f' n='2'>q</a>",
            "<a>caf\u{e9}<!-- c -->\n<?p?> x </a>",
            "<a  b = '1'\n\tc='2' ></a >",
            "<a>]]</a>",
            "<a>x > y</a>",
        ];
        for text in cases {
            assert!(agree(text), "the fast builder refused {text:?}");
        }
    }

    #[test]
    fn leaves_everything_else_to_roxmltree() {
        let cases = [
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
            "<a p:xmlns='urn:e'/>",
            "<p:a/>",
            "<a p:b='1'/>",
            "<\u{e9}/>",
            "<a></b>",
            "<a>",
            "<a/><b/>",
            "<a><!-- x -- y --></a>",
        ];
        for text in cases {
            assert_eq!(fast(text), None, "the fast builder took {text:?}");
        }
    }

    /// Thousands of small edits of schemas: wherever the fast builder takes
    /// one, roxmltree must take it and build the same tree.
    #[test]
    fn mutated_schemas_agree() {
        let seeds = [
            SCHEMA,
            "<element name='a' xmlns='http://relaxng.org/ns/structure/1.0' xmlns:p='urn:p' ns='urn:x'>\n <attribute name='p:b'><text/></attribute><p:x p:y='1'>caf\u{e9} &#x1F600;</p:x>\n <zeroOrMore><element><anyName><except><nsName ns='urn:y'/></except></anyName><empty/></element></zeroOrMore></element>",
        ];
        crate::xml::mutations::check(&seeds, 4000, agree);
    }
}
