//! Documents → validator events. The only document-side roxmltree user.
//!
//! Adjacent text and CDATA are merged into one run and comments and
//! processing instructions dropped, as RELAX NG's data model says (§5).

use std::borrow::Cow;

use roxmltree::{Document, Node, ParsingOptions};

use super::Validator;
use crate::datatype::Context;
use crate::diagnostic::DocError;
use crate::xml::{end_tag_range, qualified_name, start_tag_range};

/// The namespace context of an element.
struct NodeContext<'a, 'i>(Node<'a, 'i>);

impl Context for NodeContext<'_, '_> {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        let prefix = (!prefix.is_empty()).then_some(prefix);
        self.0.lookup_namespace_uri(prefix)
    }
}

/// Parses `text` as XML. A document that is not well-formed gets one error
/// at the place the parser stopped.
pub fn parse_document(text: &str) -> Result<Document<'_>, DocError> {
    if let Some((at, reason)) = crate::xml::entity_bomb(text) {
        return Err(DocError::not_well_formed(&reason, at..at));
    }
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        let offset = crate::source::offset_of_text_pos(text, pos.row, pos.col);
        DocError::not_well_formed(&e.to_string(), offset..offset)
    })
}

/// A run of text not yet given to the validator: borrowed from the tree
/// while it is one node, copied only when a second node joins it.
struct PendingText<'a, 'i> {
    text: Cow<'a, str>,
    span: std::ops::Range<usize>,
    parent: Node<'a, 'i>,
}

/// Feeds every event of `doc` to `validator`. Allocates nothing on the way
/// except when several text nodes (split by comments, processing
/// instructions or CDATA) have to be merged into one run.
pub fn feed(doc: &Document, validator: &mut Validator) {
    let input = doc.input_text();
    let mut pending: Option<PendingText> = None;
    for edge in Traverse::new(doc.root()) {
        match edge {
            Edge::Open(node) if node.is_text() => {
                let text = node.text().unwrap_or("");
                let range = node.range();
                match &mut pending {
                    Some(run) => {
                        run.text.to_mut().push_str(text);
                        run.span.end = range.end;
                    }
                    None => {
                        let parent = node.parent().unwrap_or(node);
                        pending = Some(PendingText {
                            text: Cow::Borrowed(text),
                            span: range,
                            parent,
                        });
                    }
                }
            }
            Edge::Open(node) if node.is_element() => {
                flush(&mut pending, validator);
                let tag = node.tag_name();
                let span = start_tag_range(node);
                let written = written_tag_name(input, span.start);
                let built;
                let qname = match written {
                    Some(name) => name,
                    None => {
                        built = qualified_name(node);
                        built.as_str()
                    }
                };
                validator.start_tag_open(tag.namespace().unwrap_or(""), tag.name(), qname, span);
                let ctx = NodeContext(node);
                for attr in node.attributes() {
                    let built;
                    let qname = match input.get(attr.range_qname()) {
                        Some(name) if !name.is_empty() => name,
                        _ => {
                            built = attribute_qname(node, &attr);
                            built.as_str()
                        }
                    };
                    validator.attribute(
                        attr.namespace().unwrap_or(""),
                        attr.name(),
                        qname,
                        attr.value(),
                        attr.range(),
                        &ctx,
                    );
                }
                validator.start_tag_close();
            }
            Edge::Close(node) if node.is_element() => {
                flush(&mut pending, validator);
                validator.end_tag(end_tag_range(node));
            }
            _ => {}
        }
    }
}

fn flush(pending: &mut Option<PendingText>, validator: &mut Validator) {
    if let Some(run) = pending.take() {
        validator.text(&run.text, run.span, &NodeContext(run.parent));
    }
}

/// The element name as written in the start tag that begins at `start`.
fn written_tag_name(input: &str, start: usize) -> Option<&str> {
    let rest = input.get(start..)?.strip_prefix('<')?;
    let end = rest
        .bytes()
        .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>'))
        .unwrap_or(rest.len());
    rest.get(..end).filter(|name| !name.is_empty())
}

/// `prefix:local` of an attribute, rebuilt (only when its range is unknown).
fn attribute_qname(node: Node, attr: &roxmltree::Attribute) -> String {
    match attr.namespace().and_then(|ns| node.lookup_prefix(ns)) {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", attr.name()),
        _ => attr.name().to_string(),
    }
}

/// The element path (`/domain/devices/disk[2]/target`) of the innermost
/// element whose range contains `offset`; computed only for errors.
pub fn element_path(doc: &Document, offset: usize) -> String {
    let mut path = String::new();
    let mut node = doc.root_element();
    if !node.range().contains(&offset) {
        return path;
    }
    loop {
        let name = node.tag_name().name();
        let same_before = node
            .prev_siblings()
            .skip(1)
            .filter(|s| s.is_element() && s.tag_name() == node.tag_name())
            .count();
        let same_after = node
            .next_siblings()
            .skip(1)
            .filter(|s| s.is_element() && s.tag_name() == node.tag_name())
            .count();
        path.push('/');
        path.push_str(name);
        if same_before + same_after > 0 {
            path.push_str(&format!("[{}]", same_before + 1));
        }
        match node
            .children()
            .find(|c| c.is_element() && c.range().contains(&offset))
        {
            Some(child) => node = child,
            None => return path,
        }
    }
}

/// Entering or leaving a node.
enum Edge<'a, 'i> {
    Open(Node<'a, 'i>),
    Close(Node<'a, 'i>),
}

/// A depth-first walk that uses no recursion, so document depth is bounded
/// only by memory.
struct Traverse<'a, 'i> {
    root: Node<'a, 'i>,
    next: Option<Edge<'a, 'i>>,
}

impl<'a, 'i> Traverse<'a, 'i> {
    fn new(root: Node<'a, 'i>) -> Self {
        Traverse {
            root,
            next: Some(Edge::Open(root)),
        }
    }
}

impl<'a, 'i> Iterator for Traverse<'a, 'i> {
    type Item = Edge<'a, 'i>;

    fn next(&mut self) -> Option<Self::Item> {
        let current = self.next.take()?;
        self.next = match &current {
            Edge::Open(node) => match node.first_child() {
                Some(child) => Some(Edge::Open(child)),
                None => Some(Edge::Close(*node)),
            },
            Edge::Close(node) if *node == self.root => None,
            Edge::Close(node) => match node.next_sibling() {
                Some(sibling) => Some(Edge::Open(sibling)),
                None => node.parent().map(Edge::Close),
            },
        };
        Some(current)
    }
}
