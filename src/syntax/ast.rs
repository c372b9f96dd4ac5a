//! The schema syntax tree: one file's patterns in the spec's vocabulary.
//!
//! Both the XML syntax parser (`rng.rs`) and the compact syntax parser
//! (`rnc.rs`) produce this tree. By the time a tree exists, everything that
//! is local to one file has been resolved: foreign markup and annotations are
//! gone (RELAX NG §4.1), whitespace is normalized (§4.2), `datatypeLibrary`
//! is inherited (§4.3), `type`-less values are `token` (§4.4), `name`
//! attributes have become name classes (§4.8), `ns` is inherited (§4.9) and
//! QNames are expanded (§4.10). What still refers to other files
//! (`include`, `externalRef`) and to other definitions (`ref`) is left for
//! `simplify`.

use std::borrow::Cow;
use std::sync::Arc;

use crate::source::Span;

/// A pattern with the span of the syntax that wrote it.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// What kind of pattern.
    pub kind: PatternKind,
    /// Where it was written (the start tag, or the compact expression).
    pub span: Span,
}

/// RELAX NG §3 patterns. Where the full syntax allows several children
/// (an implicit `group`), the variant holds a `Vec`.
#[derive(Clone, Debug)]
pub enum PatternKind {
    /// `element`: a name class and its content (implicitly grouped).
    Element {
        /// The element's name class.
        name: NameClass,
        /// Content patterns, at least one.
        content: Vec<Pattern>,
    },
    /// `attribute`: a name class and its value pattern (`text` when absent).
    Attribute {
        /// The attribute's name class.
        name: NameClass,
        /// The value pattern; `None` means `<text/>`.
        value: Option<Box<Pattern>>,
    },
    /// `group`.
    Group(Vec<Pattern>),
    /// `interleave`.
    Interleave(Vec<Pattern>),
    /// `choice`.
    Choice(Vec<Pattern>),
    /// `optional`.
    Optional(Vec<Pattern>),
    /// `zeroOrMore`.
    ZeroOrMore(Vec<Pattern>),
    /// `oneOrMore`.
    OneOrMore(Vec<Pattern>),
    /// `list`.
    List(Vec<Pattern>),
    /// `mixed`.
    Mixed(Vec<Pattern>),
    /// `ref name=`.
    Ref(String),
    /// `parentRef name=`.
    ParentRef(String),
    /// `empty`.
    Empty,
    /// `text`.
    Text,
    /// `notAllowed`.
    NotAllowed,
    /// `value`: a literal compared in the datatype's value space.
    Value {
        /// Library and type (`token` of the built-in library by default).
        datatype: DatatypeName,
        /// The literal, as written (after entity expansion).
        value: String,
        /// Namespace context of the `value` element, for QName-like types.
        context: Arc<NsContext>,
    },
    /// `data`, with its params and optional `except`.
    Data {
        /// Library and type.
        datatype: DatatypeName,
        /// `param` children in order.
        params: Vec<Param>,
        /// The `except` children, if there is an `except` (implicit choice).
        except: Option<Vec<Pattern>>,
    },
    /// `externalRef href=`: a pattern from another file.
    ExternalRef {
        /// The href as written (resolved later, against `span.file`).
        href: String,
        /// The `ns` in scope at the reference, inherited by the file's
        /// top-level element if it has none (§4.6, §4.9).
        ns: String,
    },
    /// `grammar`.
    Grammar(Grammar),
}

/// A datatype reference: `datatypeLibrary` URI and local type name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DatatypeName {
    /// The library URI; empty for RELAX NG's built-in library.
    pub library: String,
    /// The type name, e.g. `token`, `int` (borrowed for the defaults the
    /// syntax implies, which most `value`s use).
    pub name: Cow<'static, str>,
}

/// A `param` of a `data` pattern.
#[derive(Clone, Debug)]
pub struct Param {
    /// Facet name.
    pub name: String,
    /// Facet value as written.
    pub value: String,
    /// The `param` element.
    pub span: Span,
}

/// The namespace bindings in scope at a `value` element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NsContext {
    /// The `ns` in scope: the namespace of unprefixed QNames in the value.
    pub default_ns: String,
    /// Prefix → URI bindings (excluding the default namespace).
    pub prefixes: Vec<(String, String)>,
}

impl crate::datatype::Context for NsContext {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        if prefix.is_empty() {
            return Some(&self.default_ns);
        }
        if prefix == "xml" {
            return Some(XML_NAMESPACE);
        }
        self.prefixes
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
    }
}

/// The namespace bound to the `xml` prefix.
pub const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// A `grammar`: its components in document order.
#[derive(Clone, Debug)]
pub struct Grammar {
    /// `start`, `define`, `div` and `include` children.
    pub components: Vec<Component>,
}

/// One grammar component with its span.
#[derive(Clone, Debug)]
pub struct Component {
    /// What kind of component.
    pub kind: ComponentKind,
    /// The component's element (or compact declaration).
    pub span: Span,
}

/// `start`, `define`, `div` or `include` (§3 grammar content).
#[derive(Clone, Debug)]
pub enum ComponentKind {
    /// `start`, with its single pattern.
    Start {
        /// `combine="choice|interleave"`, if given.
        combine: Option<Combine>,
        /// The start pattern.
        pattern: Pattern,
    },
    /// `define name=`, with its patterns (implicitly grouped).
    Define {
        /// The defined name.
        name: String,
        /// `combine="choice|interleave"`, if given.
        combine: Option<Combine>,
        /// Content patterns, at least one.
        patterns: Vec<Pattern>,
    },
    /// `div`: a group of components.
    Div(Vec<Component>),
    /// `include href=`, with the components that override the included ones.
    Include {
        /// The href as written (resolved later, against `span.file`).
        href: String,
        /// The `ns` in scope at the include (§4.7, §4.9).
        ns: String,
        /// Overriding `start`/`define`/`div` components.
        components: Vec<Component>,
    },
}

/// The `combine` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Combine {
    /// `combine="choice"`.
    Choice,
    /// `combine="interleave"`.
    Interleave,
}

/// A name class with its span.
#[derive(Clone, Debug)]
pub struct NameClass {
    /// What kind of name class.
    pub kind: NameClassKind,
    /// Where it was written.
    pub span: Span,
}

/// RELAX NG name classes, with namespaces already resolved.
#[derive(Clone, Debug)]
pub enum NameClassKind {
    /// One expanded name.
    Name {
        /// Namespace URI ("" for none).
        ns: String,
        /// Local name.
        local: String,
    },
    /// `anyName`, optionally with `except`.
    AnyName {
        /// The except name class, if any (implicit choice already built).
        except: Option<Box<NameClass>>,
    },
    /// `nsName`, optionally with `except`.
    NsName {
        /// The namespace URI.
        ns: String,
        /// The except name class, if any.
        except: Option<Box<NameClass>>,
    },
    /// `choice` of name classes.
    Choice(Vec<NameClass>),
}
