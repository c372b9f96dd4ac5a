//! A small read-only XML tree for the schema reader ([`super::rng`]).
//!
//! The common subset of XML that schema files are written in is read by
//! [`scan`], which builds the tree from the one strict scanner's pieces
//! ([`crate::xml::scan`], which also feeds documents to the validator).
//! Anything else and anything not well-formed makes it give up; the caller
//! then parses with roxmltree, which decides and words well-formedness
//! errors, and converts its document with [`from_roxmltree`].
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

use crate::xml;
use crate::xml::scan::{Binding, ScanSink, Scope, StartTag};

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
#[cfg(feature = "internals")]
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

/// The tree of `text`, built from the one strict scanner's pieces
/// ([`crate::xml::scan`]), or `Unsupported`.
pub fn scan(text: &str) -> Result<Tree<'_>, Unsupported> {
    let mut builder = Builder {
        tree: Tree {
            nodes: Vec::new(),
            attributes: Vec::new(),
            namespaces: Vec::new(),
        },
        open: Vec::new(),
    };
    crate::xml::scan::scan(text, &mut builder)?;
    Ok(builder.tree)
}

/// Builds a [`Tree`] from the scanner's pieces.
struct Builder<'a> {
    tree: Tree<'a>,
    /// The node index of each open element.
    open: Vec<usize>,
}

impl<'a> ScanSink<'a> for Builder<'a> {
    fn start_tag(&mut self, tag: &StartTag<'_, 'a>) {
        let namespaces = self.namespaces(tag.declarations());
        let start = self.tree.attributes.len();
        for attr in tag.attributes() {
            self.tree.attributes.push(Attribute {
                local: attr.name.local(),
                namespace: (!attr.ns.is_empty()).then_some(attr.ns),
                value: attr
                    .written
                    .map_or_else(|| Cow::Owned(attr.value.to_string()), Cow::Borrowed),
                qname_end: attr.span.start + attr.name.whole.len(),
                value_range: attr.value_start..attr.span.end - 1,
                range: attr.span,
            });
        }
        let id = self.tree.nodes.len();
        self.tree.nodes.push(NodeData {
            kind: NodeKind::Element(Element {
                local: tag.name.local(),
                namespace: (!tag.ns.is_empty()).then_some(tag.ns),
                start_tag_end: tag.span.end,
                attributes: start..self.tree.attributes.len(),
                namespaces,
                subtree_end: id + 1,
            }),
            range: tag.span.clone(),
        });
        if !tag.empty {
            self.open.push(id);
        }
    }

    /// One text node a piece: roxmltree starts a new one after every tag,
    /// comment and processing instruction.
    fn text(&mut self, raw: &'a str, expanded: Option<&str>, span: Range<usize>, _: Scope<'_, 'a>) {
        let text = match expanded {
            Some(text) => Cow::Owned(text.to_string()),
            None => Cow::Borrowed(raw),
        };
        self.tree.nodes.push(NodeData {
            kind: NodeKind::Text(text),
            range: span,
        });
    }

    fn end_tag(&mut self, span: Range<usize>, _: Scope<'_, 'a>) {
        let Some(id) = self.open.pop() else {
            return;
        };
        let end = self.tree.nodes.len();
        if let Some(NodeData {
            kind: NodeKind::Element(e),
            range,
        }) = self.tree.nodes.get_mut(id)
        {
            e.subtree_end = end;
            range.end = span.end;
        }
    }
}

impl<'a> Builder<'a> {
    /// The element's namespaces in scope, as roxmltree lists them: its own
    /// declarations, then its parent's that it does not redeclare (shared
    /// with the parent when it declares none).
    fn namespaces(&mut self, declared: &[Binding<'a>]) -> Range<usize> {
        let parent = self
            .open
            .last()
            .and_then(|&p| match &self.tree.nodes.get(p)?.kind {
                NodeKind::Element(e) => Some(e.namespaces.clone()),
                NodeKind::Text(_) => None,
            });
        let parent = parent.unwrap_or(0..0);
        if declared.is_empty() {
            return parent;
        }
        let start = self.tree.namespaces.len();
        for binding in declared {
            self.tree.namespaces.push(Namespace {
                prefix: (!binding.prefix.is_empty()).then_some(binding.prefix),
                uri: binding.uri,
            });
        }
        for i in parent {
            let Some(inherited) = self.tree.namespaces.get(i).cloned() else {
                continue;
            };
            let own = self.tree.namespaces.get(start..).unwrap_or(&[]);
            if !own.iter().any(|n| n.prefix == inherited.prefix) {
                self.tree.namespaces.push(inherited);
            }
        }
        start..self.tree.namespaces.len()
    }
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
        let cases = ["<a p:xmlns='urn:e'/>"];
        for &text in crate::xml::scan::REFUSED.iter().chain(&cases) {
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
