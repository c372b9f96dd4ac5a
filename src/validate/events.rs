//! Documents → validator events. The only document-side roxmltree user.
//!
//! Adjacent text and CDATA are merged into one run and comments and
//! processing instructions dropped, as RELAX NG's data model says (§5).

use std::borrow::Cow;
use std::ops::Range;

use roxmltree::{Document, Node};

use super::Validator;
use crate::datatype::Context;
use crate::diagnostic::DocError;
use crate::xml::{
    end_tag_range, entity_declarations, prolog_doctype, qualified_name, start_tag_range,
    EntityDeclaration,
};

/// The namespace context of an element.
struct NodeContext<'a, 'i>(Node<'a, 'i>);

impl Context for NodeContext<'_, '_> {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        let prefix = (!prefix.is_empty()).then_some(prefix);
        self.0.lookup_namespace_uri(prefix)
    }
}

/// One attribute of a start tag, as the validator is given it.
pub struct AttributeEvent<'a> {
    /// The namespace URI, "" for none.
    pub ns: &'a str,
    /// The local name.
    pub local: &'a str,
    /// The name as written.
    pub qname: &'a str,
    /// The value, normalized (XML 1.0 §3.3.3 for CDATA).
    pub value: &'a str,
    /// From the name to the closing quote.
    pub span: Range<usize>,
}

/// What a document is fed to: the [`Validator`], or a recorder in tests.
/// The events and their arguments are the validator's (see its methods).
pub trait EventSink {
    /// An unparsed entity the DOCTYPE declares (before any element).
    fn unparsed_entity(&mut self, name: &str);
    /// A start tag's name: expanded (`ns`, `local`) and as written; `span`
    /// is the whole start tag.
    fn start_tag_open(&mut self, ns: &str, local: &str, qname: &str, span: Range<usize>);
    /// One attribute; `ctx` resolves the prefixes in scope.
    fn attribute(&mut self, attr: AttributeEvent<'_>, ctx: &dyn Context);
    /// The end of the start tag's attributes.
    fn start_tag_close(&mut self);
    /// A run of character data (references expanded, adjacent runs joined).
    fn text(&mut self, text: &str, span: Range<usize>, ctx: &dyn Context);
    /// An end tag (for an empty-element tag, the start tag again).
    fn end_tag(&mut self, span: Range<usize>);
}

impl EventSink for Validator<'_> {
    fn unparsed_entity(&mut self, name: &str) {
        self.declare_unparsed_entity(name);
    }

    fn start_tag_open(&mut self, ns: &str, local: &str, qname: &str, span: Range<usize>) {
        Validator::start_tag_open(self, ns, local, qname, span);
    }

    fn attribute(&mut self, attr: AttributeEvent<'_>, ctx: &dyn Context) {
        Validator::attribute(self, attr, ctx);
    }

    fn start_tag_close(&mut self) {
        Validator::start_tag_close(self);
    }

    fn text(&mut self, text: &str, span: Range<usize>, ctx: &dyn Context) {
        Validator::text(self, text, span, ctx);
    }

    fn end_tag(&mut self, span: Range<usize>) {
        Validator::end_tag(self, span);
    }
}

/// Writes the events down, a line each, with how the document's prefixes
/// resolve wherever a namespace context is given, so that two ways of
/// feeding a document can be compared: the fast path's tests and the
/// conformance runner check [`super::scan`] against [`feed`] with it.
#[cfg(any(test, feature = "internals"))]
pub struct EventLog {
    probes: Vec<String>,
    /// One line per event, in order.
    pub lines: Vec<String>,
}

#[cfg(any(test, feature = "internals"))]
impl EventLog {
    /// A log for `text`: it probes the empty prefix, `xml` and every prefix
    /// `text` declares.
    pub fn for_document(text: &str) -> EventLog {
        let mut probes = vec![String::new(), "xml".to_string()];
        for (i, _) in text.match_indices("xmlns:") {
            let name: String = text[i + "xmlns:".len()..]
                .chars()
                .take_while(|&c| !matches!(c, '=' | ' ' | '\t' | '\n' | '\r' | '/' | '>'))
                .collect();
            if !probes.contains(&name) {
                probes.push(name);
            }
        }
        EventLog {
            probes,
            lines: Vec::new(),
        }
    }

    fn context(&self, ctx: &dyn Context) -> String {
        let resolved: Vec<String> = self
            .probes
            .iter()
            .map(|p| format!("{p}={:?}", ctx.resolve_prefix(p)))
            .collect();
        resolved.join(",")
    }
}

#[cfg(any(test, feature = "internals"))]
impl EventSink for EventLog {
    fn unparsed_entity(&mut self, name: &str) {
        self.lines.push(format!("unparsed-entity {name}"));
    }

    fn start_tag_open(&mut self, ns: &str, local: &str, qname: &str, span: Range<usize>) {
        self.lines
            .push(format!("start {{{ns}}}{local} {qname} {span:?}"));
    }

    fn attribute(&mut self, attr: AttributeEvent<'_>, ctx: &dyn Context) {
        let scope = self.context(ctx);
        let AttributeEvent { ns, local, .. } = attr;
        self.lines.push(format!(
            "attribute {{{ns}}}{local} {} {:?} {:?} [{scope}]",
            attr.qname, attr.value, attr.span
        ));
    }

    fn start_tag_close(&mut self) {
        self.lines.push("start-tag-close".to_string());
    }

    fn text(&mut self, text: &str, span: Range<usize>, ctx: &dyn Context) {
        let scope = self.context(ctx);
        self.lines.push(format!("text {text:?} {span:?} [{scope}]"));
    }

    fn end_tag(&mut self, span: Range<usize>) {
        self.lines.push(format!("end {span:?}"));
    }
}

/// Parses `text` as XML. A document that is not well-formed gets one error
/// at the place the parser stopped.
pub fn parse_document(text: &str) -> Result<Document<'_>, DocError> {
    if let Some((at, reason)) = crate::xml::entity_bomb(text) {
        return Err(DocError::not_well_formed(&reason, at..at));
    }
    crate::xml::parse_with_roxmltree(text).map_err(|(e, offset)| {
        let error = DocError::not_well_formed(&e.to_string(), offset..offset);
        // An element left open: say where it was opened, which can be far
        // from where the parser noticed.
        let up_to = match e {
            roxmltree::Error::UnexpectedCloseTag(..) => offset,
            roxmltree::Error::UnclosedRootNode | roxmltree::Error::UnexpectedEndOfStream => {
                text.len()
            }
            _ => return error,
        };
        match open_element_at(text, up_to) {
            Some((name, start)) => {
                let at = crate::source::SourceFile::detached(text).line_col(start);
                error.with_unclosed(&name, at.line, at.column)
            }
            None => error,
        }
    })
}

/// The innermost element still open at `offset` (its name and the offset
/// of its start tag), found by reading the text again up to there; only
/// for the message of a document that is not well-formed.
fn open_element_at(text: &str, offset: usize) -> Option<(String, usize)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut open: Vec<(String, usize)> = Vec::new();
    loop {
        let start = usize::try_from(reader.buffer_position()).ok()?;
        if start >= offset {
            break;
        }
        match reader.read_event() {
            Ok(Event::Start(tag)) => {
                let name = tag.name().into_inner().to_string();
                open.push((name, start));
            }
            Ok(Event::End(_)) => {
                open.pop();
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    open.pop()
}

/// A run of text not yet given to the validator: borrowed from the tree
/// while it is one node, copied only when a second node joins it.
struct PendingText<'a, 'i> {
    text: Cow<'a, str>,
    span: Range<usize>,
    parent: Node<'a, 'i>,
}

/// Feeds every event of `doc` to `validator`. Allocates nothing on the way
/// except when several text nodes (split by comments, processing
/// instructions or CDATA) have to be merged into one run.
pub fn feed<S: EventSink>(doc: &Document, validator: &mut S) {
    let input = doc.input_text();
    // roxmltree keeps no unparsed entities: they are read from the text.
    let declarations = prolog_doctype(input).and_then(|decl| entity_declarations(decl).ok());
    for declaration in declarations.unwrap_or_default() {
        if let EntityDeclaration::Unparsed { name } = declaration {
            validator.unparsed_entity(name);
        }
    }
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
                    let event = AttributeEvent {
                        ns: attr.namespace().unwrap_or(""),
                        local: attr.name(),
                        qname,
                        value: attr.value(),
                        span: attr.range(),
                    };
                    validator.attribute(event, &ctx);
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

fn flush<S: EventSink>(pending: &mut Option<PendingText>, validator: &mut S) {
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

/// The prefix an element binds to namespace `uri` ("" for the default
/// namespace), for names in messages.
pub fn prefix_in_scope(element: Node, uri: &str) -> Option<String> {
    element
        .namespaces()
        .find(|ns| ns.uri() == uri)
        .map(|ns| ns.name().unwrap_or("").to_string())
}

/// Element paths (`/domain/devices/disk[2]/target`) and innermost elements
/// of offsets in one document; computed only for errors. Each element's
/// children are indexed once, on first need, so thousands of errors among
/// thousands of siblings cost a pass over those siblings, not one per error.
pub struct ElementPaths<'d, 'input> {
    doc: &'d Document<'input>,
    children: std::collections::HashMap<roxmltree::NodeId, Vec<Child<'d, 'input>>>,
}

/// An element child, with its place among same-named siblings.
struct Child<'d, 'input> {
    node: Node<'d, 'input>,
    /// 1-based among the siblings of the same name.
    index: usize,
    /// How many siblings (itself included) have that name.
    same_named: usize,
}

impl<'d, 'input> ElementPaths<'d, 'input> {
    /// Paths in `doc`.
    pub fn new(doc: &'d Document<'input>) -> Self {
        ElementPaths {
            doc,
            children: std::collections::HashMap::new(),
        }
    }

    /// The path of the innermost element whose range contains `offset`
    /// (empty when the root element does not).
    pub fn path(&mut self, offset: usize) -> String {
        let root = self.doc.root_element();
        if !root.range().contains(&offset) {
            return String::new();
        }
        let mut path = format!("/{}", root.tag_name().name());
        self.descend(offset, |child| {
            path.push('/');
            path.push_str(child.node.tag_name().name());
            if child.same_named > 1 {
                path.push_str(&format!("[{}]", child.index));
            }
        });
        path
    }

    /// The innermost element whose range contains `offset` (the root
    /// element when none does).
    pub fn element_at(&mut self, offset: usize) -> Node<'d, 'input> {
        self.descend(offset, |_| {})
    }

    /// Walks from the root element down through the children containing
    /// `offset`, showing each to `visit`; returns the last.
    fn descend(&mut self, offset: usize, mut visit: impl FnMut(&Child)) -> Node<'d, 'input> {
        let mut node = self.doc.root_element();
        loop {
            let children = self
                .children
                .entry(node.id())
                .or_insert_with(|| index_children(node));
            // Children are in document order and do not overlap.
            let i = children.partition_point(|c| c.node.range().end <= offset);
            match children.get(i).filter(|c| c.node.range().contains(&offset)) {
                Some(child) => {
                    visit(child);
                    node = child.node;
                }
                None => return node,
            }
        }
    }
}

fn index_children<'d, 'input>(parent: Node<'d, 'input>) -> Vec<Child<'d, 'input>> {
    // Keyed by (namespace, local name), as the original path compared them.
    let mut seen: std::collections::HashMap<(Option<&str>, &str), usize> =
        std::collections::HashMap::new();
    let key = |node: &Node<'d, 'input>| (node.tag_name().namespace(), node.tag_name().name());
    let mut children: Vec<Child> = parent
        .children()
        .filter(Node::is_element)
        .map(|node| {
            let count = seen.entry(key(&node)).or_default();
            *count += 1;
            Child {
                node,
                index: *count,
                same_named: 0,
            }
        })
        .collect();
    for child in &mut children {
        child.same_named = seen[&key(&child.node)];
    }
    children
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_element_is_named_with_where_it_was_opened() {
        let mismatched = "<a>\n  <b>\n  <c/>\n</a>\n";
        let error = parse_document(mismatched).unwrap_err();
        assert!(
            error
                .message
                .ends_with("element \"b\" opened at line 2, column 3 is not closed"),
            "{}",
            error.message
        );
        let truncated = "<a>\n  <b>\n  <c/>\n";
        let error = parse_document(truncated).unwrap_err();
        assert!(
            error.message.contains("element \"b\" opened at line 2"),
            "{}",
            error.message
        );
        let bad_quote = "<a x=1/>";
        let error = parse_document(bad_quote).unwrap_err();
        assert!(!error.message.contains("opened at"), "{}", error.message);
    }
}
