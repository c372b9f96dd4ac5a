//! The XML syntax of RELAX NG (spec §3) → [`ast`](super::ast).
//!
//! Done here, because it only needs the one file: §4.1 (foreign elements and
//! attributes dropped), §4.2 (whitespace), §4.3 (`datatypeLibrary`
//! inheritance), §4.4 (`value` without `type`), §4.8 (`name` attributes
//! become name classes), §4.9 (`ns` inheritance), §4.10 (QNames), and the
//! check that the file follows the grammar of the full syntax.

use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use roxmltree::Document;

use super::ast::*;
use super::xmltree::{self, Node};
use crate::diagnostic::SchemaError;
use crate::source::{FileId, Span};
use crate::xml::{is_whitespace, trim_xml};
use crate::ErrorKind;

/// The RELAX NG structure namespace.
pub const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";

const CODE_SYNTAX: ErrorKind = ErrorKind::SchemaSyntax;
const CODE_NOT_WELL_FORMED: ErrorKind = ErrorKind::SchemaNotWellFormed;
const CODE_TOO_DEEP: ErrorKind = ErrorKind::SchemaTooDeep;

/// Parses one XML-syntax schema file.
pub fn parse(text: &str, file: FileId, inherited_ns: &str) -> Result<Pattern, Vec<SchemaError>> {
    if let Some((at, reason)) = crate::xml::entity_bomb(text) {
        let span = Some(Span::new(file, at..at));
        return Err(vec![SchemaError::new(
            CODE_NOT_WELL_FORMED,
            format!("schema is not well-formed XML: {reason}"),
            span,
        )]);
    }
    // The fast builder takes nearly every schema; roxmltree parses the
    // rest, and words every well-formedness error.
    let doc;
    let tree = match xmltree::scan(text) {
        Ok(tree) => tree,
        Err(xmltree::Unsupported) => {
            doc = parse_xml(text, file)?;
            xmltree::from_roxmltree(&doc)
        }
    };
    let mut parser = Parser {
        file,
        errors: Vec::new(),
        depth: 0,
        last_context: None,
        kids: Vec::new(),
    };
    let root = tree.root();
    let scope = Scope {
        ns: Rc::from(inherited_ns),
        datatype_library: Rc::from(""),
        base: Rc::from(""),
    };
    let pattern = if is_rng(root) {
        parser.pattern(root, &scope)
    } else {
        parser.error(
            root,
            "the document element of a schema must be a RELAX NG pattern",
        );
        None
    };
    match pattern {
        Some(p) if parser.errors.is_empty() => Ok(p),
        _ => Err(parser.errors),
    }
}

/// roxmltree's parse of `text`, or the well-formedness error.
fn parse_xml(text: &str, file: FileId) -> Result<Document<'_>, Vec<SchemaError>> {
    crate::xml::parse_with_roxmltree(text).map_err(|(e, offset)| {
        vec![SchemaError::new(
            CODE_NOT_WELL_FORMED,
            format!("schema is not well-formed XML: {e}"),
            Some(Span::new(file, offset..offset)),
        )]
    })
}

/// What an element inherits from its ancestors. Every element clones its
/// parent's scope, so the strings are shared, not copied.
#[derive(Clone)]
struct Scope {
    /// §4.9: the `ns` in scope.
    ns: Rc<str>,
    /// §4.3: the `datatypeLibrary` in scope.
    datatype_library: Rc<str>,
    /// `xml:base` of the ancestors, as a path relative to the file.
    base: Rc<str>,
}

struct Parser<'a, 'i> {
    file: FileId,
    errors: Vec<SchemaError>,
    /// How many patterns, name classes and grammars enclose the current one.
    depth: usize,
    /// The namespace context of the last `value`, shared with the next
    /// one when it is the same.
    last_context: Option<Arc<NsContext>>,
    /// The RELAX NG children of the elements being read, innermost last
    /// (see `kids`): one stack instead of a `Vec` per element.
    kids: Vec<Node<'a, 'i>>,
}

/// Schemas nest patterns at most this deep. The reader and later stages
/// recurse over the tree (on stack that `crate::stack::deeper` grows as
/// needed), so the bound keeps hostile schemas from taking unbounded
/// memory; real schemas stay far below it (libvirt's deepest nesting is
/// about 30).
pub const MAX_SCHEMA_DEPTH: usize = 5_000;

fn is_rng(node: Node) -> bool {
    node.is_element() && node.namespace() == Some(RNG_NS)
}

use crate::datatype::xsd::is_ncname;

/// Splits a QName into (prefix, local) if it is one.
fn split_qname(s: &str) -> Option<(Option<&str>, &str)> {
    // A byte scan: names are short, too short for memchr to pay.
    match s.bytes().position(|b| b == b':') {
        None => is_ncname(s).then_some((None, s)),
        Some(i) => {
            let (prefix, local) = (&s[..i], &s[i + 1..]);
            (is_ncname(prefix) && is_ncname(local)).then_some((Some(prefix), local))
        }
    }
}

impl<'a, 'i> Parser<'a, 'i> {
    fn span(&self, node: Node<'a, 'i>) -> Span {
        Span::new(self.file, node.start_tag_range())
    }

    fn error(&mut self, node: Node<'a, 'i>, message: impl Into<String>) {
        let span = self.span(node);
        self.errors
            .push(SchemaError::new(CODE_SYNTAX, message, Some(span)));
    }

    fn error_at(&mut self, span: Span, message: impl Into<String>) {
        self.errors
            .push(SchemaError::new(CODE_SYNTAX, message, Some(span)));
    }

    /// The scope of `node`'s children, after checking its common attributes.
    fn enter(&mut self, node: Node<'a, 'i>, outer: &Scope) -> Scope {
        let mut scope = outer.clone();
        for attr in node.attributes() {
            match (attr.namespace(), attr.name()) {
                (None, "ns") => scope.ns = Rc::from(attr.value()),
                (None, "datatypeLibrary") => {
                    let value = trim_xml(attr.value());
                    if !is_valid_datatype_library(value) {
                        let span = Span::new(self.file, attr.range_value());
                        self.error_at(
                            span,
                            format!("datatypeLibrary \"{value}\" must be empty or an absolute URI without a fragment identifier (RELAX NG §3)"),
                        );
                    }
                    scope.datatype_library = Rc::from(value);
                }
                (Some(crate::syntax::ast::XML_NAMESPACE), "base") => {
                    scope.base = Rc::from(resolve_relative(&outer.base, attr.value()));
                }
                _ => {}
            }
        }
        scope
    }

    /// Checks that `node` has only the attributes `allowed` (besides `ns`,
    /// `datatypeLibrary` and foreign ones).
    fn check_attributes(&mut self, node: Node<'a, 'i>, allowed: &[&str]) {
        for attr in node.attributes() {
            if attr.namespace() == Some(RNG_NS) {
                let span = Span::new(self.file, attr.range_qname());
                self.error_at(
                    span,
                    format!(
                        "attribute \"{}\" in the RELAX NG namespace is not allowed",
                        attr.name()
                    ),
                );
                continue;
            }
            if attr.namespace().is_some() {
                continue;
            }
            let name = attr.name();
            if name == "ns" || name == "datatypeLibrary" || allowed.contains(&name) {
                continue;
            }
            let span = Span::new(self.file, attr.range_qname());
            self.error_at(
                span,
                format!("attribute \"{name}\" is not allowed on \"{}\"", node.name()),
            );
        }
    }

    /// A required attribute, whitespace-trimmed (§4.2).
    fn required_attr(&mut self, node: Node<'a, 'i>, name: &str) -> Option<&'a str> {
        match node.attribute(name) {
            Some(v) => Some(trim_xml(v)),
            None => {
                self.error(
                    node,
                    format!("element \"{}\" needs attribute \"{name}\"", node.name()),
                );
                None
            }
        }
    }

    fn ncname_attr(&mut self, node: Node<'a, 'i>, name: &str) -> Option<String> {
        let value = self.required_attr(node, name)?;
        if is_ncname(value) {
            Some(value.to_string())
        } else {
            self.error(
                node,
                format!("\"{value}\" is not a valid NCName for attribute \"{name}\""),
            );
            None
        }
    }

    /// The RELAX NG children of `node`, reporting non-whitespace text
    /// (§4.2: only `value`, `param` and `name` have text).
    fn children(&mut self, node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
        let kids = self.kids(node);
        let out = self.kids[kids.clone()].to_vec();
        self.kids.truncate(kids.start);
        out
    }

    /// `children` without a `Vec`: pushes the RELAX NG children of `node`
    /// onto the `kids` stack and returns where they are, in one walk over
    /// the children that also reports text. The caller reads them from
    /// `self.kids[range]` and truncates the stack back to the range's start.
    fn kids(&mut self, node: Node<'a, 'i>) -> Range<usize> {
        let start = self.kids.len();
        for child in node.children() {
            if !child.is_text() {
                if is_rng(child) {
                    self.kids.push(child);
                }
                continue;
            }
            if !is_whitespace(child.text().unwrap_or("")) {
                let span = Span::new(self.file, child.range());
                self.error_at(span, format!("text is not allowed in \"{}\"", node.name()));
            }
        }
        start..self.kids.len()
    }

    /// `name`, `value` and `param` hold text only: not even foreign
    /// elements may appear in them (§3).
    fn expect_text_only(&mut self, node: Node<'a, 'i>) {
        for child in node.children().filter(|c| c.is_element()) {
            self.error(child, format!("\"{}\" contains only text", node.name()));
        }
    }

    fn text_content(node: Node<'a, 'i>) -> String {
        node.children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect()
    }

    fn combine(&mut self, node: Node<'a, 'i>) -> Option<Combine> {
        let value = trim_xml(node.attribute("combine")?);
        match value {
            "choice" => Some(Combine::Choice),
            "interleave" => Some(Combine::Interleave),
            other => {
                self.error(
                    node,
                    format!("combine must be \"choice\" or \"interleave\", not \"{other}\""),
                );
                None
            }
        }
    }

    /// One or more patterns from the `kids` in `range`.
    fn patterns(
        &mut self,
        parent: Node<'a, 'i>,
        range: Range<usize>,
        scope: &Scope,
    ) -> Vec<Pattern> {
        if range.is_empty() {
            self.error(
                parent,
                format!("element \"{}\" needs at least one pattern", parent.name()),
            );
        }
        let mut ps = Vec::with_capacity(range.len());
        for i in range {
            let child = self.kids[i];
            if let Some(p) = self.pattern(child, scope) {
                ps.push(p);
            }
        }
        ps
    }

    fn expect_no_children(&mut self, node: Node<'a, 'i>) {
        let kids = self.kids(node);
        if !kids.is_empty() {
            let child = self.kids[kids.start];
            self.error(child, format!("\"{}\" must be empty", node.name()));
        }
        self.kids.truncate(kids.start);
    }

    fn pattern(&mut self, node: Node<'a, 'i>, outer: &Scope) -> Option<Pattern> {
        self.nested(node, |r| r.pattern_inner(node, outer))
    }

    /// `read` one level deeper (on a grown stack when it runs low), or
    /// `None` once the schema is too deep.
    fn nested<T>(
        &mut self,
        node: Node<'a, 'i>,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        if !self.descend(node) {
            return None;
        }
        let result = crate::stack::deeper(|| read(self));
        self.depth -= 1;
        result
    }

    /// Enters one more level of nesting, or reports that the schema is too
    /// deep (once) and refuses.
    fn descend(&mut self, node: Node<'a, 'i>) -> bool {
        if self.depth >= MAX_SCHEMA_DEPTH {
            if !self.errors.iter().any(|e| e.code == CODE_TOO_DEEP) {
                let span = self.span(node);
                self.errors.push(SchemaError::new(
                    CODE_TOO_DEEP,
                    format!("the schema nests patterns more than {MAX_SCHEMA_DEPTH} levels deep"),
                    Some(span),
                ));
            }
            return false;
        }
        self.depth += 1;
        true
    }

    fn pattern_inner(&mut self, node: Node<'a, 'i>, outer: &Scope) -> Option<Pattern> {
        let scope = self.enter(node, outer);
        let span = self.span(node);
        let local = node.name();
        let kind = match local {
            "element" => self.element(node, &scope)?,
            "attribute" => self.attribute(node, &scope)?,
            "group" | "interleave" | "choice" | "optional" | "zeroOrMore" | "oneOrMore"
            | "list" | "mixed" => {
                self.check_attributes(node, &[]);
                let kids = self.kids(node);
                let ps = self.patterns(node, kids.clone(), &scope);
                self.kids.truncate(kids.start);
                match local {
                    "group" => PatternKind::Group(ps),
                    "interleave" => PatternKind::Interleave(ps),
                    "choice" => PatternKind::Choice(ps),
                    "optional" => PatternKind::Optional(ps),
                    "zeroOrMore" => PatternKind::ZeroOrMore(ps),
                    "oneOrMore" => PatternKind::OneOrMore(ps),
                    "list" => PatternKind::List(ps),
                    _ => PatternKind::Mixed(ps),
                }
            }
            "ref" | "parentRef" => {
                self.check_attributes(node, &["name"]);
                self.expect_no_children(node);
                let name = self.ncname_attr(node, "name")?;
                if local == "ref" {
                    PatternKind::Ref(name)
                } else {
                    PatternKind::ParentRef(name)
                }
            }
            "empty" | "text" | "notAllowed" => {
                self.check_attributes(node, &[]);
                self.expect_no_children(node);
                match local {
                    "empty" => PatternKind::Empty,
                    "text" => PatternKind::Text,
                    _ => PatternKind::NotAllowed,
                }
            }
            "value" => self.value(node, &scope)?,
            "data" => self.data(node, &scope)?,
            "externalRef" => {
                self.check_attributes(node, &["href"]);
                self.expect_no_children(node);
                let href = self.href(node, &scope)?;
                PatternKind::ExternalRef {
                    href,
                    ns: scope.ns.to_string(),
                }
            }
            "grammar" => {
                self.check_attributes(node, &[]);
                let components = self.grammar_content(node, &scope, false);
                PatternKind::Grammar(Grammar { components })
            }
            other => {
                self.error(node, format!("\"{other}\" is not a pattern"));
                return None;
            }
        };
        Some(Pattern { kind, span })
    }

    /// `element`: `name=` or a leading name class, then patterns.
    fn element(&mut self, node: Node<'a, 'i>, scope: &Scope) -> Option<PatternKind> {
        self.check_attributes(node, &["name"]);
        let kids = self.kids(node);
        let (name, rest) = self.name_and_rest(node, kids.clone(), scope, false)?;
        let content = self.patterns(node, rest, scope);
        self.kids.truncate(kids.start);
        Some(PatternKind::Element { name, content })
    }

    /// `attribute`: `name=` or a leading name class, then at most one pattern.
    fn attribute(&mut self, node: Node<'a, 'i>, scope: &Scope) -> Option<PatternKind> {
        self.check_attributes(node, &["name"]);
        let kids = self.kids(node);
        let (name, rest) = self.name_and_rest(node, kids.clone(), scope, true)?;
        if rest.len() > 1 {
            let second = self.kids[rest.start + 1];
            self.error(second, "an attribute has at most one pattern");
        }
        let value = if rest.is_empty() {
            None
        } else {
            Some(Box::new(self.pattern(self.kids[rest.start], scope)?))
        };
        self.kids.truncate(kids.start);
        Some(PatternKind::Attribute { name, value })
    }

    /// §4.8: the name class of an element or attribute, from its `name`
    /// attribute or its first child (of the `kids` in `children`); and the
    /// children left after it.
    fn name_and_rest(
        &mut self,
        node: Node<'a, 'i>,
        children: Range<usize>,
        scope: &Scope,
        is_attribute: bool,
    ) -> Option<(NameClass, Range<usize>)> {
        if let Some(raw) = node.attribute("name") {
            // §4.8: an attribute's `name` gets ns="" unless it has its own ns.
            let ns = if is_attribute {
                node.attribute("ns").unwrap_or("").to_string()
            } else {
                scope.ns.to_string()
            };
            let span = self.span(node);
            let nc = self.qname_to_name(node, trim_xml(raw), &ns, span)?;
            return Some((nc, children));
        }
        if children.is_empty() {
            self.error(node, "a name class or a name attribute is required");
            return None;
        }
        let first = self.kids[children.start];
        let nc = self.name_class(first, scope)?;
        Some((nc, children.start + 1..children.end))
    }

    /// §4.10: expands a QName with the namespace declarations in scope.
    fn qname_to_name(
        &mut self,
        node: Node<'a, 'i>,
        raw: &str,
        ns: &str,
        span: Span,
    ) -> Option<NameClass> {
        let Some((prefix, local)) = split_qname(raw) else {
            self.error_at(span, format!("\"{raw}\" is not a valid QName"));
            return None;
        };
        let ns = match prefix {
            None => ns.to_string(),
            Some("xml") => XML_NAMESPACE.to_string(),
            Some(prefix) => match node.lookup_namespace_uri(prefix) {
                Some(uri) => uri.to_string(),
                None => {
                    self.error_at(
                        span,
                        format!("namespace prefix \"{prefix}\" is not declared"),
                    );
                    return None;
                }
            },
        };
        Some(NameClass {
            kind: NameClassKind::Name {
                ns,
                local: local.to_string(),
            },
            span,
        })
    }

    fn name_class(&mut self, node: Node<'a, 'i>, outer: &Scope) -> Option<NameClass> {
        self.nested(node, |r| r.name_class_inner(node, outer))
    }

    fn name_class_inner(&mut self, node: Node<'a, 'i>, outer: &Scope) -> Option<NameClass> {
        let scope = self.enter(node, outer);
        let span = self.span(node);
        let kind = match node.name() {
            "name" => {
                self.check_attributes(node, &[]);
                self.expect_text_only(node);
                let text = Self::text_content(node);
                return self.qname_to_name(node, trim_xml(&text), &scope.ns, span);
            }
            "anyName" => {
                self.check_attributes(node, &[]);
                let except = self.name_class_except(node, &scope)?;
                NameClassKind::AnyName { except }
            }
            "nsName" => {
                self.check_attributes(node, &[]);
                let except = self.name_class_except(node, &scope)?;
                NameClassKind::NsName {
                    ns: scope.ns.to_string(),
                    except,
                }
            }
            "choice" => {
                self.check_attributes(node, &[]);
                let children = self.children(node);
                if children.is_empty() {
                    self.error(node, "a name-class choice needs at least one name class");
                }
                let ncs: Vec<_> = children
                    .iter()
                    .filter_map(|c| self.name_class(*c, &scope))
                    .collect();
                NameClassKind::Choice(ncs)
            }
            other => {
                self.error(node, format!("\"{other}\" is not a name class"));
                return None;
            }
        };
        Some(NameClass { kind, span })
    }

    /// The optional `except` of `anyName`/`nsName` (implicitly a choice).
    fn name_class_except(
        &mut self,
        node: Node<'a, 'i>,
        scope: &Scope,
    ) -> Option<Option<Box<NameClass>>> {
        let children = self.children(node);
        match children.as_slice() {
            [] => Some(None),
            [except] if except.name() == "except" => {
                let except_scope = self.enter(*except, scope);
                self.check_attributes(*except, &[]);
                let inner = self.children(*except);
                if inner.is_empty() {
                    self.error(*except, "except needs at least one name class");
                }
                let ncs: Vec<_> = inner
                    .iter()
                    .filter_map(|c| self.name_class(*c, &except_scope))
                    .collect();
                let span = self.span(*except);
                Some(Some(Box::new(NameClass {
                    kind: NameClassKind::Choice(ncs),
                    span,
                })))
            }
            [other, ..] => {
                self.error(
                    *other,
                    format!("\"{}\" may contain only one except", node.name()),
                );
                None
            }
        }
    }

    /// The namespace bindings in scope at `node`, for a `value` (§4.10's
    /// context) — the default namespace is the `ns` in scope. Neighbouring
    /// values nearly always share one context, so the last one is reused.
    fn namespace_context(&mut self, node: Node<'a, 'i>, ns: &str) -> Arc<NsContext> {
        if let Some(last) = &self.last_context {
            if same_context(last, node, ns) {
                return Arc::clone(last);
            }
        }
        let prefixes = node
            .namespaces()
            .iter()
            .filter_map(|n| n.prefix.map(|p| (p.to_string(), n.uri.to_string())))
            .collect();
        let context = Arc::new(NsContext {
            default_ns: ns.to_string(),
            prefixes,
        });
        self.last_context = Some(Arc::clone(&context));
        context
    }

    /// `value`: type (default `token` of the built-in library, §4.4) and text.
    fn value(&mut self, node: Node<'a, 'i>, scope: &Scope) -> Option<PatternKind> {
        self.check_attributes(node, &["type"]);
        self.expect_text_only(node);
        let datatype = match node.attribute("type") {
            Some(t) => {
                let t = trim_xml(t);
                if !is_ncname(t) {
                    self.error(node, format!("\"{t}\" is not a valid datatype name"));
                    return None;
                }
                DatatypeName {
                    library: scope.datatype_library.to_string(),
                    name: t.to_string().into(),
                }
            }
            None => DatatypeName {
                library: String::new(),
                name: "token".into(),
            },
        };
        Some(PatternKind::Value {
            datatype,
            value: Self::text_content(node),
            context: self.namespace_context(node, &scope.ns),
        })
    }

    /// `data`: type, params, then an optional `except`.
    fn data(&mut self, node: Node<'a, 'i>, scope: &Scope) -> Option<PatternKind> {
        self.check_attributes(node, &["type"]);
        let name = self.ncname_attr(node, "type")?;
        let datatype = DatatypeName {
            library: scope.datatype_library.to_string(),
            name: name.into(),
        };
        let children = self.children(node);
        let mut params = Vec::new();
        let mut except = None;
        for (i, child) in children.iter().enumerate() {
            match child.name() {
                "param" if except.is_none() => {
                    self.enter(*child, scope);
                    self.check_attributes(*child, &["name"]);
                    for c in child
                        .children()
                        .filter(|c| c.is_element() && (is_rng(*c) || c.namespace().is_none()))
                    {
                        self.error(c, "param contains only text");
                    }
                    if let Some(name) = self.ncname_attr(*child, "name") {
                        params.push(Param {
                            name,
                            value: Self::text_content(*child),
                            span: self.span(*child),
                        });
                    }
                }
                "except" if except.is_none() && i + 1 == children.len() => {
                    let except_scope = self.enter(*child, scope);
                    self.check_attributes(*child, &[]);
                    let kids = self.kids(*child);
                    except = Some(self.patterns(*child, kids.clone(), &except_scope));
                    self.kids.truncate(kids.start);
                }
                other => {
                    self.error(*child, format!("\"{other}\" is not allowed here in data (params come first, then at most one except)"));
                }
            }
        }
        Some(PatternKind::Data {
            datatype,
            params,
            except,
        })
    }

    /// §4.5: `href`, with the `xml:base` of its ancestors applied.
    fn href(&mut self, node: Node<'a, 'i>, scope: &Scope) -> Option<String> {
        let raw = self.required_attr(node, "href")?;
        if raw.contains('#') {
            self.error(
                node,
                format!("href \"{raw}\" must not have a fragment identifier (RELAX NG §4.5)"),
            );
            return None;
        }
        if raw.is_empty() || raw.chars().any(|c| c.is_whitespace() || c == '\\') {
            self.error(node, format!("href \"{raw}\" is not a valid URI reference"));
            return None;
        }
        Some(resolve_relative(&scope.base, raw))
    }

    /// The components of a `grammar`, `div` or `include` (which allows no
    /// nested `include`).
    fn grammar_content(
        &mut self,
        node: Node<'a, 'i>,
        scope: &Scope,
        in_include: bool,
    ) -> Vec<Component> {
        let mut components = Vec::new();
        let kids = self.kids(node);
        for i in kids.clone() {
            let child = self.kids[i];
            let child_scope = self.enter(child, scope);
            let span = self.span(child);
            let kind = match child.name() {
                "start" => {
                    self.check_attributes(child, &["combine"]);
                    let combine = self.combine(child);
                    let kids = self.children(child);
                    if kids.len() != 1 {
                        self.error(child, "start must contain exactly one pattern");
                    }
                    let Some(first) = kids.first() else { continue };
                    let Some(pattern) = self.pattern(*first, &child_scope) else {
                        continue;
                    };
                    ComponentKind::Start { combine, pattern }
                }
                "define" => {
                    self.check_attributes(child, &["name", "combine"]);
                    let combine = self.combine(child);
                    let Some(name) = self.ncname_attr(child, "name") else {
                        continue;
                    };
                    let kids = self.kids(child);
                    let patterns = self.patterns(child, kids.clone(), &child_scope);
                    self.kids.truncate(kids.start);
                    ComponentKind::Define {
                        name,
                        combine,
                        patterns,
                    }
                }
                "div" => {
                    self.check_attributes(child, &[]);
                    if !self.descend(child) {
                        continue;
                    }
                    let inner = crate::stack::deeper(|| {
                        self.grammar_content(child, &child_scope, in_include)
                    });
                    self.depth -= 1;
                    ComponentKind::Div(inner)
                }
                "include" if !in_include => {
                    self.check_attributes(child, &["href"]);
                    let Some(href) = self.href(child, &child_scope) else {
                        continue;
                    };
                    ComponentKind::Include {
                        href,
                        ns: child_scope.ns.to_string(),
                        components: self.grammar_content(child, &child_scope, true),
                    }
                }
                other => {
                    self.error(child, format!("\"{other}\" is not allowed in a grammar"));
                    continue;
                }
            };
            components.push(Component { kind, span });
        }
        self.kids.truncate(kids.start);
        components
    }
}

/// Whether `context` holds exactly the bindings in scope at `node` with
/// default namespace `ns`, compared without building a new context.
fn same_context(context: &NsContext, node: Node, ns: &str) -> bool {
    let mut prefixes = node
        .namespaces()
        .iter()
        .filter_map(|n| n.prefix.map(|p| (p, n.uri)));
    context.default_ns == ns
        && context
            .prefixes
            .iter()
            .all(|(p, uri)| prefixes.next() == Some((p.as_str(), uri.as_str())))
        && prefixes.next().is_none()
}

/// §3: empty, or an absolute URI with a scheme and no fragment.
fn is_valid_datatype_library(value: &str) -> bool {
    if value.is_empty() {
        return true;
    }
    if value.contains('#') || value.chars().any(|c| c.is_whitespace()) {
        return false;
    }
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    if rest.is_empty() {
        // RFC 2396: an absolute URI has something after its scheme.
        return false;
    }
    let mut chars = scheme.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && is_valid_uri_chars(value)
}

/// Rejects characters and `%` escapes that no URI (or IRI) may contain.
fn is_valid_uri_chars(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes.len() > i + 2
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit();
            if !ok {
                return false;
            }
            i += 3;
            continue;
        }
        i += 1;
    }
    true
}

/// Resolves a relative reference against a relative base (RFC 3986 §5.2,
/// enough for paths): an absolute `reference` wins, otherwise it replaces the
/// last segment of `base`.
pub fn resolve_relative(base: &str, reference: &str) -> String {
    if base.is_empty() || is_absolute_reference(reference) {
        return reference.to_string();
    }
    match base.rfind('/') {
        Some(i) => format!("{}{}", &base[..=i], reference),
        None => reference.to_string(),
    }
}

fn is_absolute_reference(r: &str) -> bool {
    r.starts_with('/')
        || r.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn parse_str(text: &str) -> Result<Pattern, Vec<SchemaError>> {
        let mut map = SourceMap::new();
        let file = map.add("t.rng", text);
        parse(text, file, "")
    }

    #[test]
    fn element_name_takes_inherited_ns_attribute_takes_none() {
        let p = parse_str(
            r#"<element name="a" ns="urn:x" xmlns="http://relaxng.org/ns/structure/1.0">
                 <attribute name="b"/></element>"#,
        )
        .unwrap();
        let PatternKind::Element { name, content } = p.kind else {
            panic!()
        };
        assert!(matches!(name.kind, NameClassKind::Name { ref ns, .. } if ns == "urn:x"));
        let PatternKind::Attribute { name, .. } = &content[0].kind else {
            panic!()
        };
        assert!(matches!(name.kind, NameClassKind::Name { ref ns, .. } if ns.is_empty()));
    }

    #[test]
    fn foreign_markup_is_ignored_and_bad_markup_reported() {
        assert!(parse_str(
            r#"<element name="a" xmlns="http://relaxng.org/ns/structure/1.0" xmlns:f="urn:f" f:x="1">
                 <f:doc>hello</f:doc><empty/></element>"#
        )
        .is_ok());
        let errors = parse_str(
            r#"<element name="a" xmlns="http://relaxng.org/ns/structure/1.0"><bogus/></element>"#,
        )
        .unwrap_err();
        assert!(errors[0].message.contains("bogus"), "{errors:?}");
    }

    #[test]
    fn schemas_outside_the_fast_subset_are_read_through_roxmltree() {
        // A DTD entity, CDATA and `\r\n` line ends: the fast builder refuses
        // each, and the converted roxmltree tree gives the same reading.
        let p = parse_str(
            "<!DOCTYPE element [<!ENTITY v 'x'>]>\r\n<element name='a' xmlns='http://relaxng.org/ns/structure/1.0'>\r\n<value>&v;<![CDATA[<y>]]></value></element>",
        )
        .unwrap();
        let PatternKind::Element { content, .. } = p.kind else {
            panic!()
        };
        assert!(
            matches!(&content[0].kind, PatternKind::Value { value, .. } if value == "x<y>"),
            "{content:?}"
        );
        let errors = parse_str("<element name='a'").unwrap_err();
        assert!(errors[0]
            .message
            .starts_with("schema is not well-formed XML"));
    }

    #[test]
    fn xml_base_applies_to_href() {
        assert_eq!(resolve_relative("sub1/", "sub2"), "sub1/sub2");
        assert_eq!(resolve_relative("sub1/sub2", "sub3/y"), "sub1/sub3/y");
        assert_eq!(resolve_relative("sub1/sub3/y", "x"), "sub1/sub3/x");
    }
}
