//! Recursive descent over the compact syntax (Appendix A.1 of the spec),
//! building [`ast`](crate::syntax::ast) nodes with names already resolved.
//!
//! Syntax errors stop the parse (the first one is reported); errors about
//! declarations, prefixes and annotations are collected and parsing goes
//! on, so one run reports all of them. Every recursive entry point
//! ([`Parser::pattern`], [`Parser::name_class`], [`Parser::grammar_content`],
//! [`Parser::annotation_element`]) counts nesting against [`MAX_DEPTH`].

use std::sync::Arc;

use super::lexer::{tokenize, Keyword, Token, TokenKind};
use super::{BAD_ANNOTATION, BAD_DECLARATION, MAX_DEPTH, SYNTAX, TOO_DEEP, UNDECLARED_PREFIX};
use crate::diagnostic::SchemaError;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    Combine, Component, ComponentKind, DatatypeName, Grammar, NameClass, NameClassKind, NsContext,
    Param, Pattern, PatternKind, XML_NAMESPACE,
};
use crate::ErrorKind;

/// The library URI that the predeclared `xsd` datatypes prefix stands for.
const XSD_DATATYPES: &str = "http://www.w3.org/2001/XMLSchema-datatypes";
/// RELAX NG's own namespace: annotations may not use it.
const RELAXNG_NS: &str = "http://relaxng.org/ns/structure/1.0";
/// The namespace of `xmlns` attributes, and its common misspelling without
/// the final slash; annotation attributes may use neither.
const XMLNS_NAMESPACES: [&str; 2] = [
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/2000/xmlns",
];

/// The parse was abandoned; the reason is already in `Parser::errors`.
struct Abort;

type PResult<T> = Result<T, Abort>;

/// A byte range of the original text, before it becomes a [`Span`].
type Range = (usize, usize);

pub(super) fn parse(
    text: &str,
    file: FileId,
    inherited_ns: &str,
) -> Result<Pattern, Vec<SchemaError>> {
    let tokens = match tokenize(text) {
        Ok(tokens) => tokens,
        Err(e) => {
            return Err(vec![SchemaError::new(
                SYNTAX,
                e.message,
                Some(Span::new(file, e.start..e.end)),
            )])
        }
    };
    let mut parser = Parser::new(tokens, file, inherited_ns, text.len());
    let result = parser.top_level();
    match result {
        Ok(pattern) if parser.errors.is_empty() => Ok(pattern),
        _ => {
            if parser.errors.is_empty() {
                // Not expected: every abort records its reason first.
                parser.errors.push(SchemaError::new(
                    SYNTAX,
                    "the compact syntax could not be parsed",
                    Some(Span::new(file, 0..0)),
                ));
            }
            Err(parser.errors)
        }
    }
}

/// Where a run of grammar components is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// The file itself: ends at the end of the file.
    TopLevel,
    /// `grammar { }` or `div { }` outside an include.
    Braced,
    /// `include "..." { }` or a `div` inside it: no nested `include`.
    Include,
}

/// A primary pattern with what the caller needs to know about it.
struct Lead {
    pattern: Box<Pattern>,
    /// A datatype name with optional params and nothing else, so `- p` may
    /// follow it.
    plain_data: bool,
}

/// A simple name class, and whether it is `*` or `prefix:*` (so `- nc` may
/// follow it).
struct LeadNameClass {
    name_class: NameClass,
    wildcard: bool,
}

struct Parser<'a> {
    tokens: Vec<Token>,
    eof: Token,
    pos: usize,
    file: FileId,
    inherited_ns: &'a str,
    errors: Vec<SchemaError>,
    depth: u32,
    /// `namespace` declarations (and the prefix of `default namespace p =`),
    /// with `inherit` already replaced by the inherited namespace.
    namespaces: Vec<(String, String)>,
    /// The `default namespace` declaration, if any.
    default_ns: Option<String>,
    /// `datatypes` declarations.
    datatypes: Vec<(String, String)>,
    /// The namespace context of every value pattern in the file.
    context: Arc<NsContext>,
}

impl<'a> Parser<'a> {
    fn new(tokens: Vec<Token>, file: FileId, inherited_ns: &'a str, len: usize) -> Parser<'a> {
        Parser {
            tokens,
            eof: Token {
                kind: TokenKind::Eof,
                start: len,
                end: len,
            },
            pos: 0,
            file,
            inherited_ns,
            errors: Vec::new(),
            depth: 0,
            namespaces: Vec::new(),
            default_ns: None,
            datatypes: Vec::new(),
            context: Arc::new(NsContext::default()),
        }
    }

    // ---- Tokens ----------------------------------------------------------

    fn token(&self, index: usize) -> &Token {
        self.tokens.get(index).unwrap_or(&self.eof)
    }

    fn peek(&self) -> &TokenKind {
        &self.token(self.pos).kind
    }

    fn peek2(&self) -> &TokenKind {
        &self.token(self.pos + 1).kind
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.peek() == kind
    }

    /// Start of the current token.
    fn start(&self) -> usize {
        self.token(self.pos).start
    }

    /// End of the last token consumed.
    fn prev_end(&self) -> usize {
        match self.pos.checked_sub(1) {
            Some(prev) => self.token(prev).end,
            None => self.start(),
        }
    }

    fn bump(&mut self) {
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start..end.max(start))
    }

    // ---- Errors ----------------------------------------------------------

    fn error(&mut self, code: ErrorKind, message: String, range: Range) {
        let span = self.span(range.0, range.1);
        self.errors
            .push(SchemaError::new(code, message, Some(span)));
    }

    /// Records a syntax error at the current token and abandons the parse.
    fn fail<T>(&mut self, message: String) -> PResult<T> {
        let token = self.token(self.pos);
        let range = (token.start, token.end);
        self.error(SYNTAX, message, range);
        Err(Abort)
    }

    /// "expected WHAT after PREVIOUS, found CURRENT".
    fn expected<T>(&mut self, what: &str) -> PResult<T> {
        let found = self.peek().to_string();
        let message = match self.pos.checked_sub(1) {
            Some(prev) => {
                let prev = self.token(prev).kind.to_string();
                format!("expected {what} after {prev}, found {found}")
            }
            None => format!("expected {what}, found {found}"),
        };
        self.fail(message)
    }

    /// Consumes a punctuation token; returns its end.
    fn expect(&mut self, kind: TokenKind) -> PResult<usize> {
        if self.at(&kind) {
            let end = self.token(self.pos).end;
            self.bump();
            Ok(end)
        } else {
            self.expected(&kind.to_string())
        }
    }

    /// Counts one more level of nesting, or reports (and aborts) when the
    /// schema nests too deep.
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let token = self.token(self.pos);
            let range = (token.start, token.end);
            self.error(
                TOO_DEEP,
                format!("the schema nests more than {MAX_DEPTH} levels deep here"),
                range,
            );
            return Err(Abort);
        }
        Ok(())
    }

    /// `parse` one level of nesting deeper (see [`Self::enter`]).
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.enter()?;
        let result = parse(self);
        self.depth = self.depth.saturating_sub(1);
        result
    }

    // ---- Small pieces ----------------------------------------------------

    /// `identifierOrKeyword`: a name that may be a keyword.
    fn identifier_or_keyword(&mut self, what: &str) -> PResult<(String, Range)> {
        let range = (self.start(), self.token(self.pos).end);
        let name = match self.peek() {
            TokenKind::Identifier(name) | TokenKind::QuotedIdentifier(name) => name.clone(),
            TokenKind::Keyword(keyword) => keyword.as_str().to_owned(),
            _ => return self.expected(what),
        };
        self.bump();
        Ok((name, range))
    }

    /// A literal: one or more segments joined with `~`.
    fn literal(&mut self, what: &str) -> PResult<(String, Range)> {
        let start = self.start();
        let mut value = match self.peek() {
            TokenKind::Literal(segment) => segment.clone(),
            _ => return self.expected(what),
        };
        self.bump();
        while self.at(&TokenKind::Tilde) {
            self.bump();
            match self.peek() {
                TokenKind::Literal(segment) => value.push_str(segment),
                _ => return self.expected("a literal"),
            }
            self.bump();
        }
        Ok((value, (start, self.prev_end())))
    }

    /// The namespace bound to `prefix`, if declared (`xml` always is).
    fn lookup_ns(&self, prefix: &str) -> Option<&str> {
        self.namespaces
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
            .or((prefix == "xml").then_some(XML_NAMESPACE))
    }

    /// Like [`Self::lookup_ns`], recording an error (and using "") when the
    /// prefix is not declared.
    fn resolve_ns(&mut self, prefix: &str, range: Range) -> String {
        match self.lookup_ns(prefix) {
            Some(uri) => uri.to_owned(),
            None => self.undeclared_prefix("namespace", prefix, range),
        }
    }

    /// Records that `prefix` is not declared as a `kind` (`namespace` or
    /// `datatypes`) prefix; "" stands in for its URI.
    fn undeclared_prefix(&mut self, kind: &str, prefix: &str, range: Range) -> String {
        self.error(
            UNDECLARED_PREFIX,
            format!(
                "the {kind} prefix \"{prefix}\" is not declared \
                 (declare it with: {kind} {prefix} = \"URI\")"
            ),
            range,
        );
        String::new()
    }

    /// The namespace of unprefixed element names.
    fn default_ns(&self) -> &str {
        self.default_ns.as_deref().unwrap_or(self.inherited_ns)
    }

    /// `[inherit = prefix]` after `include`/`external`: the namespace the
    /// referenced file inherits (the default namespace when absent).
    fn inherit_clause(&mut self) -> PResult<String> {
        if !self.at(&TokenKind::Keyword(Keyword::Inherit)) {
            return Ok(self.default_ns().to_owned());
        }
        self.bump();
        self.expect(TokenKind::Equals)?;
        let (prefix, range) = self.identifier_or_keyword("a namespace prefix")?;
        Ok(self.resolve_ns(&prefix, range))
    }

    // ---- Declarations (spec §4) ------------------------------------------

    fn preamble(&mut self) -> PResult<()> {
        loop {
            let start = self.start();
            match self.peek() {
                TokenKind::Keyword(Keyword::Namespace) => {
                    self.bump();
                    let (prefix, _) = self.identifier_or_keyword("a namespace prefix")?;
                    self.expect(TokenKind::Equals)?;
                    let uri = self.namespace_uri_literal()?;
                    let range = (start, self.prev_end());
                    self.declare_namespace(prefix, uri, range);
                }
                TokenKind::Keyword(Keyword::Default) => {
                    self.bump();
                    if !self.at(&TokenKind::Keyword(Keyword::Namespace)) {
                        return self.expected("\"namespace\"");
                    }
                    self.bump();
                    let prefix = if self.at(&TokenKind::Equals) {
                        None
                    } else {
                        Some(self.identifier_or_keyword("a namespace prefix or \"=\"")?.0)
                    };
                    self.expect(TokenKind::Equals)?;
                    let uri = self.namespace_uri_literal()?;
                    let range = (start, self.prev_end());
                    if self.default_ns.is_some() {
                        self.error(
                            BAD_DECLARATION,
                            "the default namespace is declared twice".to_owned(),
                            range,
                        );
                    } else {
                        self.default_ns = Some(uri.clone());
                    }
                    if let Some(prefix) = prefix {
                        self.declare_namespace(prefix, uri, range);
                    }
                }
                TokenKind::Keyword(Keyword::Datatypes) => {
                    self.bump();
                    let (prefix, _) = self.identifier_or_keyword("a datatypes prefix")?;
                    self.expect(TokenKind::Equals)?;
                    let (uri, _) = self.literal("the URI of a datatype library")?;
                    let range = (start, self.prev_end());
                    if self.datatypes.iter().any(|(p, _)| *p == prefix) {
                        self.error(
                            BAD_DECLARATION,
                            format!("the datatypes prefix \"{prefix}\" is declared twice"),
                            range,
                        );
                    } else {
                        self.datatypes.push((prefix, uri));
                    }
                }
                _ => break,
            }
        }
        self.context = Arc::new(NsContext {
            default_ns: self.default_ns().to_owned(),
            prefixes: self.namespaces.clone(),
        });
        Ok(())
    }

    /// A literal, or `inherit` for the inherited namespace.
    fn namespace_uri_literal(&mut self) -> PResult<String> {
        if self.at(&TokenKind::Keyword(Keyword::Inherit)) {
            self.bump();
            return Ok(self.inherited_ns.to_owned());
        }
        Ok(self.literal("a namespace URI literal or \"inherit\"")?.0)
    }

    fn declare_namespace(&mut self, prefix: String, uri: String, range: Range) {
        let problem = if prefix == "xmlns" {
            Some("the prefix \"xmlns\" can't be declared".to_owned())
        } else if prefix == "xml" && uri != XML_NAMESPACE {
            Some(format!(
                "the prefix \"xml\" can only be bound to \"{XML_NAMESPACE}\""
            ))
        } else if prefix != "xml" && uri == XML_NAMESPACE {
            Some(format!(
                "only the prefix \"xml\" can be bound to \"{XML_NAMESPACE}\""
            ))
        } else if self.namespaces.iter().any(|(p, _)| *p == prefix) {
            Some(format!(
                "the namespace prefix \"{prefix}\" is declared twice"
            ))
        } else {
            None
        };
        match problem {
            Some(message) => self.error(BAD_DECLARATION, message, range),
            None => self.namespaces.push((prefix, uri)),
        }
    }

    // ---- Top level and grammars ------------------------------------------

    fn top_level(&mut self) -> PResult<Pattern> {
        self.preamble()?;
        if self.body_is_grammar() {
            let start = self.start();
            let components = self.grammar_content(Body::TopLevel)?;
            let end = if components.is_empty() {
                start
            } else {
                self.prev_end()
            };
            return Ok(Pattern {
                kind: PatternKind::Grammar(Grammar { components }),
                span: self.span(start, end),
            });
        }
        let (pattern, follow) = self.pattern()?;
        let pattern = *pattern;
        if let Some(range) = follow {
            self.error(
                BAD_ANNOTATION,
                "an annotation after the top-level pattern (\">>\") has no element to go into"
                    .to_owned(),
                range,
            );
        }
        if !self.at(&TokenKind::Eof) {
            return self.expected("\",\", \"|\", \"&\" or the end of the file");
        }
        Ok(pattern)
    }

    /// Whether the body after the declarations is grammar content rather
    /// than a pattern: decided by the first token after any `[...]`.
    fn body_is_grammar(&self) -> bool {
        let mut i = self.pos;
        if self.token(i).kind == TokenKind::LBracket {
            let mut open = 0usize;
            loop {
                match self.token(i).kind {
                    TokenKind::LBracket => open += 1,
                    TokenKind::RBracket => open = open.saturating_sub(1),
                    TokenKind::Eof => return false,
                    _ => {}
                }
                i += 1;
                if open == 0 {
                    break;
                }
            }
        }
        match &self.token(i).kind {
            TokenKind::Eof
            | TokenKind::Keyword(Keyword::Start | Keyword::Div | Keyword::Include) => true,
            TokenKind::Identifier(_) | TokenKind::QuotedIdentifier(_) => matches!(
                self.token(i + 1).kind,
                TokenKind::Equals
                    | TokenKind::OrEquals
                    | TokenKind::AndEquals
                    | TokenKind::LBracket
            ),
            TokenKind::CName(..) => self.token(i + 1).kind == TokenKind::LBracket,
            // `element = ...`: a definition with a keyword for a name, which
            // the component parser explains.
            TokenKind::Keyword(_) => matches!(
                self.token(i + 1).kind,
                TokenKind::Equals | TokenKind::OrEquals | TokenKind::AndEquals
            ),
            _ => false,
        }
    }

    /// Components until `}` (or the end of the file at top level).
    fn grammar_content(&mut self, body: Body) -> PResult<Vec<Component>> {
        self.nested(|p| p.grammar_content_inner(body))
    }

    fn grammar_content_inner(&mut self, body: Body) -> PResult<Vec<Component>> {
        let mut components = Vec::new();
        loop {
            match (self.peek(), body) {
                (TokenKind::Eof, Body::TopLevel) => break,
                (TokenKind::RBrace, Body::Braced | Body::Include) => break,
                _ => {}
            }
            // A grammar-level annotation element: `name [ ... ]`.
            if matches!(
                self.peek(),
                TokenKind::Identifier(_) | TokenKind::QuotedIdentifier(_) | TokenKind::CName(..)
            ) && *self.peek2() == TokenKind::LBracket
            {
                self.annotation_element(true)?;
                continue;
            }
            self.initial_annotations()?;
            components.push(self.component(body)?);
        }
        Ok(components)
    }

    fn component(&mut self, body: Body) -> PResult<Component> {
        let start = self.start();
        let kind = match self.peek() {
            TokenKind::Keyword(Keyword::Start) => {
                self.bump();
                let combine = self.assign_method()?;
                let pattern = *self.pattern()?.0;
                ComponentKind::Start { combine, pattern }
            }
            TokenKind::Identifier(name) | TokenKind::QuotedIdentifier(name) => {
                let name = name.clone();
                self.bump();
                let combine = self.assign_method()?;
                let (pattern, _) = self.pattern()?;
                ComponentKind::Define {
                    name,
                    combine,
                    patterns: into_items(*pattern),
                }
            }
            TokenKind::Keyword(Keyword::Div) => {
                self.bump();
                self.expect(TokenKind::LBrace)?;
                let inner = match body {
                    Body::Include => Body::Include,
                    Body::TopLevel | Body::Braced => Body::Braced,
                };
                let components = self.grammar_content(inner)?;
                self.expect(TokenKind::RBrace)?;
                ComponentKind::Div(components)
            }
            TokenKind::Keyword(Keyword::Include) if body != Body::Include => {
                self.bump();
                let (href, _) = self.literal("the URI of the included file")?;
                let ns = self.inherit_clause()?;
                let components = if self.at(&TokenKind::LBrace) {
                    self.bump();
                    let components = self.grammar_content(Body::Include)?;
                    self.expect(TokenKind::RBrace)?;
                    components
                } else {
                    Vec::new()
                };
                ComponentKind::Include {
                    href,
                    ns,
                    components,
                }
            }
            TokenKind::Keyword(Keyword::Include) => {
                return self.fail("an include can't contain another include".to_owned())
            }
            TokenKind::Keyword(keyword)
                if matches!(
                    self.peek2(),
                    TokenKind::Equals | TokenKind::OrEquals | TokenKind::AndEquals
                ) =>
            {
                let name = keyword.as_str();
                return self.fail(format!(
                    "\"{name}\" is a keyword; write \"\\{name}\" to define a pattern with that name"
                ));
            }
            _ => {
                let what = match body {
                    Body::TopLevel => {
                        "a definition, \"start\", \"div\", \"include\" or the end of the file"
                    }
                    Body::Braced => "a definition, \"start\", \"div\", \"include\" or \"}\"",
                    Body::Include => "a definition, \"start\", \"div\" or \"}\"",
                };
                return self.expected(what);
            }
        };
        Ok(Component {
            kind,
            span: self.span(start, self.prev_end()),
        })
    }

    /// `=`, `|=` or `&=`.
    fn assign_method(&mut self) -> PResult<Option<Combine>> {
        let combine = match self.peek() {
            TokenKind::Equals => None,
            TokenKind::OrEquals => Some(Combine::Choice),
            TokenKind::AndEquals => Some(Combine::Interleave),
            _ => return self.expected("\"=\", \"|=\" or \"&=\""),
        };
        self.bump();
        Ok(combine)
    }

    // ---- Patterns --------------------------------------------------------

    /// A full pattern (`innerPattern`). The second value is the range of
    /// trailing follow annotations (`>> x[]`) when the pattern is a single
    /// particle that ends with them: at top level they have nowhere to go.
    fn pattern(&mut self) -> PResult<(Box<Pattern>, Option<Range>)> {
        self.nested(|p| p.inner_pattern())
    }

    fn inner_pattern(&mut self) -> PResult<(Box<Pattern>, Option<Range>)> {
        let lead = self.lead_annotated_primary()?;
        if lead.plain_data && self.at(&TokenKind::Minus) {
            return self.data_except(lead);
        }
        let (first, follow) = self.particle_rest(lead)?;
        if matches!(
            self.peek(),
            TokenKind::Pipe | TokenKind::Comma | TokenKind::Amp
        ) {
            return Ok((self.particles(*first)?, None));
        }
        Ok((first, follow))
    }

    /// `first op particle op particle ...`, all with the same operator.
    fn particles(&mut self, first: Pattern) -> PResult<Box<Pattern>> {
        let op = self.peek().clone();
        let start = first.span.start as usize;
        let mut items = vec![first];
        while self.at(&op) {
            self.bump();
            let lead = self.lead_annotated_primary()?;
            if lead.plain_data && self.at(&TokenKind::Minus) {
                return self.fail_except_combined(&op);
            }
            items.push(*self.particle_rest(lead)?.0);
        }
        if matches!(
            self.peek(),
            TokenKind::Pipe | TokenKind::Comma | TokenKind::Amp
        ) {
            return self.fail_mixed_operators(&op);
        }
        let kind = match op {
            TokenKind::Pipe => PatternKind::Choice(items),
            TokenKind::Amp => PatternKind::Interleave(items),
            _ => PatternKind::Group(items),
        };
        Ok(Box::new(Pattern {
            kind,
            span: self.span(start, self.prev_end()),
        }))
    }

    #[cold]
    #[inline(never)]
    fn fail_except_combined<T>(&mut self, op: &TokenKind) -> PResult<T> {
        self.fail(format!(
            "a datatype with an except (\"-\") must be put in parentheses \
             to be combined with {op}"
        ))
    }

    #[cold]
    #[inline(never)]
    fn fail_mixed_operators<T>(&mut self, op: &TokenKind) -> PResult<T> {
        let other = self.peek().to_string();
        self.fail(format!(
            "{op} and {other} can't be mixed without parentheses; \
             put the operands of one of them in parentheses"
        ))
    }

    #[cold]
    #[inline(never)]
    fn fail_after_except<T>(&mut self) -> PResult<T> {
        let op = self.peek().to_string();
        self.fail(format!(
            "a datatype with an except (\"-\") must be put in parentheses \
             before {op} can follow it"
        ))
    }

    #[cold]
    #[inline(never)]
    fn fail_repeat_repeated<T>(&mut self) -> PResult<T> {
        let op = self.peek().to_string();
        self.fail(format!(
            "{op} can't follow a repeated pattern directly; put the repeated \
             pattern in parentheses"
        ))
    }

    /// `datatypeName [params] - primary`, after the `-` was seen.
    fn data_except(&mut self, lead: Lead) -> PResult<(Box<Pattern>, Option<Range>)> {
        self.bump();
        let except = self.lead_annotated_primary()?.pattern;
        let follow = self.follow_annotations()?;
        if matches!(
            self.peek(),
            TokenKind::Pipe
                | TokenKind::Comma
                | TokenKind::Amp
                | TokenKind::Star
                | TokenKind::Plus
                | TokenKind::Question
                | TokenKind::Minus
        ) {
            return self.fail_after_except();
        }
        let span = self.span(lead.pattern.span.start as usize, except.span.end as usize);
        let kind = match lead.pattern.kind {
            PatternKind::Data {
                datatype, params, ..
            } => PatternKind::Data {
                datatype,
                params,
                except: Some(into_choices(*except)),
            },
            // `plain_data` is only set on data patterns.
            other => other,
        };
        Ok((Box::new(Pattern { kind, span }), follow))
    }

    /// Follow annotations, an optional `*`/`+`/`?`, and follow annotations
    /// again, after a primary.
    fn particle_rest(&mut self, lead: Lead) -> PResult<(Box<Pattern>, Option<Range>)> {
        let mut pattern = lead.pattern;
        let mut follow = self.follow_annotations()?;
        let repeat: Option<fn(Vec<Pattern>) -> PatternKind> = match self.peek() {
            TokenKind::Star => Some(PatternKind::ZeroOrMore),
            TokenKind::Plus => Some(PatternKind::OneOrMore),
            TokenKind::Question => Some(PatternKind::Optional),
            _ => None,
        };
        if let Some(repeat) = repeat {
            let end = self.token(self.pos).end;
            self.bump();
            let span = self.span(pattern.span.start as usize, end);
            pattern = Box::new(Pattern {
                kind: repeat(into_items(*pattern)),
                span,
            });
            follow = self.follow_annotations()?;
            if matches!(
                self.peek(),
                TokenKind::Star | TokenKind::Plus | TokenKind::Question
            ) {
                return self.fail_repeat_repeated();
            }
        }
        Ok((pattern, follow))
    }

    /// Initial annotations, then a primary or a parenthesized pattern.
    fn lead_annotated_primary(&mut self) -> PResult<Lead> {
        let annotation_element = self.initial_annotations()?;
        let lead = if self.at(&TokenKind::LParen) {
            let start = self.start();
            self.bump();
            let (mut pattern, _) = self.pattern()?;
            let end = self.expect(TokenKind::RParen)?;
            pattern.span = self.span(start, end);
            Lead {
                pattern,
                plain_data: false,
            }
        } else {
            self.primary()?
        };
        if let Some(range) = annotation_element {
            if matches!(lead.pattern.kind, PatternKind::Value { .. }) {
                self.error(
                    BAD_ANNOTATION,
                    "a value can't have annotation elements: its content is its text".to_owned(),
                    range,
                );
            }
        }
        Ok(lead)
    }

    fn primary(&mut self) -> PResult<Lead> {
        let start = self.start();
        let kind = match self.peek() {
            TokenKind::Keyword(Keyword::Element) => self.element_or_attribute(false)?,
            TokenKind::Keyword(Keyword::Attribute) => self.element_or_attribute(true)?,
            TokenKind::Keyword(Keyword::List) => self.list_or_mixed(PatternKind::List)?,
            TokenKind::Keyword(Keyword::Mixed) => self.list_or_mixed(PatternKind::Mixed)?,
            TokenKind::Keyword(Keyword::Grammar) => self.grammar_pattern()?,
            TokenKind::Keyword(Keyword::String | Keyword::Token) | TokenKind::CName(..) => {
                return self.datatype_pattern();
            }
            _ => self.leaf_primary()?,
        };
        Ok(Lead {
            pattern: Box::new(Pattern {
                kind,
                span: self.span(start, self.prev_end()),
            }),
            plain_data: false,
        })
    }

    /// `element nc { p }` or `attribute nc { p }`.
    fn element_or_attribute(&mut self, attribute: bool) -> PResult<PatternKind> {
        self.bump();
        let name = self.name_class(attribute)?;
        let body = self.braced_pattern()?;
        Ok(if attribute {
            PatternKind::Attribute {
                name,
                value: Some(body),
            }
        } else {
            PatternKind::Element {
                name,
                content: into_items(*body),
            }
        })
    }

    /// `list { p }` or `mixed { p }`.
    fn list_or_mixed(&mut self, kind: fn(Vec<Pattern>) -> PatternKind) -> PResult<PatternKind> {
        self.bump();
        let body = self.braced_pattern()?;
        Ok(kind(into_items(*body)))
    }

    /// `grammar { components }`.
    fn grammar_pattern(&mut self) -> PResult<PatternKind> {
        self.bump();
        self.expect(TokenKind::LBrace)?;
        let components = self.grammar_content(Body::Braced)?;
        self.expect(TokenKind::RBrace)?;
        Ok(PatternKind::Grammar(Grammar { components }))
    }

    /// The primaries that don't nest.
    fn leaf_primary(&mut self) -> PResult<PatternKind> {
        let kind = match self.peek() {
            TokenKind::Keyword(Keyword::Empty) => PatternKind::Empty,
            TokenKind::Keyword(Keyword::Text) => PatternKind::Text,
            TokenKind::Keyword(Keyword::NotAllowed) => PatternKind::NotAllowed,
            TokenKind::Literal(_) => {
                let (value, _) = self.literal("a literal")?;
                return Ok(PatternKind::Value {
                    datatype: DatatypeName {
                        library: String::new(),
                        name: "token".into(),
                    },
                    value,
                    context: Arc::clone(&self.context),
                });
            }
            TokenKind::Identifier(name) | TokenKind::QuotedIdentifier(name) => {
                PatternKind::Ref(name.clone())
            }
            TokenKind::Keyword(Keyword::Parent) => {
                self.bump();
                match self.peek() {
                    TokenKind::Identifier(name) | TokenKind::QuotedIdentifier(name) => {
                        PatternKind::ParentRef(name.clone())
                    }
                    _ => return self.expected("the name of a definition in the parent grammar"),
                }
            }
            TokenKind::Keyword(Keyword::External) => {
                self.bump();
                let (href, _) = self.literal("the URI of the external pattern")?;
                let ns = self.inherit_clause()?;
                return Ok(PatternKind::ExternalRef { href, ns });
            }
            TokenKind::Keyword(keyword) => {
                let name = keyword.as_str();
                let found = format!(
                    "expected a pattern, found the keyword \"{name}\" \
                     (write \"\\{name}\" to refer to a definition with that name)"
                );
                return self.fail(found);
            }
            _ => return self.expected("a pattern"),
        };
        self.bump();
        Ok(kind)
    }

    /// `{ pattern }` after `element nc`, `attribute nc`, `list`, `mixed`.
    fn braced_pattern(&mut self) -> PResult<Box<Pattern>> {
        self.expect(TokenKind::LBrace)?;
        let (pattern, _) = self.pattern()?;
        self.expect(TokenKind::RBrace)?;
        Ok(pattern)
    }

    /// `datatypeName` followed by a literal (a value) or optional params.
    fn datatype_pattern(&mut self) -> PResult<Lead> {
        let start = self.start();
        let range = (start, self.token(self.pos).end);
        let datatype = match self.peek() {
            TokenKind::CName(prefix, local) => {
                let (prefix, local) = (prefix.clone(), local.clone());
                DatatypeName {
                    library: self.datatypes_library(&prefix, range),
                    name: local.into(),
                }
            }
            TokenKind::Keyword(Keyword::String) => DatatypeName {
                library: String::new(),
                name: "string".into(),
            },
            TokenKind::Keyword(Keyword::Token) => DatatypeName {
                library: String::new(),
                name: "token".into(),
            },
            _ => return self.expected("a datatype name"),
        };
        self.bump();
        if let TokenKind::Literal(_) = self.peek() {
            let (value, (_, end)) = self.literal("a literal")?;
            return Ok(Lead {
                pattern: Box::new(Pattern {
                    kind: PatternKind::Value {
                        datatype,
                        value,
                        context: Arc::clone(&self.context),
                    },
                    span: self.span(start, end),
                }),
                plain_data: false,
            });
        }
        let params = if self.at(&TokenKind::LBrace) {
            self.bump();
            self.params()?
        } else {
            Vec::new()
        };
        Ok(Lead {
            pattern: Box::new(Pattern {
                kind: PatternKind::Data {
                    datatype,
                    params,
                    except: None,
                },
                span: self.span(start, self.prev_end()),
            }),
            plain_data: true,
        })
    }

    /// `name = literal ... }` after a datatype's `{`.
    fn params(&mut self) -> PResult<Vec<Param>> {
        let mut params = Vec::new();
        loop {
            if self.at(&TokenKind::RBrace) {
                self.bump();
                return Ok(params);
            }
            if let Some(range) = self.initial_annotations()? {
                self.error(
                    BAD_ANNOTATION,
                    "a param can't have annotation elements: its content is its text".to_owned(),
                    range,
                );
            }
            let (name, (start, _)) = self.identifier_or_keyword("a parameter name or \"}\"")?;
            self.expect(TokenKind::Equals)?;
            let (value, (_, end)) = self.literal("the parameter's value (a literal)")?;
            params.push(Param {
                name,
                value,
                span: self.span(start, end),
            });
        }
    }

    /// The library URI of a datatypes prefix (`xsd` is predeclared).
    fn datatypes_library(&mut self, prefix: &str, range: Range) -> String {
        if let Some((_, uri)) = self.datatypes.iter().find(|(p, _)| p == prefix) {
            return uri.clone();
        }
        if prefix == "xsd" {
            return XSD_DATATYPES.to_owned();
        }
        self.undeclared_prefix("datatypes", prefix, range)
    }

    // ---- Name classes ----------------------------------------------------

    /// A name class; unprefixed names are in the default namespace for
    /// elements and in no namespace for attributes.
    fn name_class(&mut self, attribute: bool) -> PResult<NameClass> {
        self.nested(|p| p.inner_name_class(attribute))
    }

    fn inner_name_class(&mut self, attribute: bool) -> PResult<NameClass> {
        let lead = self.lead_simple_name_class(attribute)?;
        if lead.wildcard && self.at(&TokenKind::Minus) {
            self.bump();
            let except = self.lead_simple_name_class(attribute)?.name_class;
            self.follow_annotations()?;
            match self.peek() {
                TokenKind::Minus => {
                    return self.fail(
                        "a name class can have only one except (\"-\"); put a nested one in \
                         parentheses"
                            .to_owned(),
                    )
                }
                TokenKind::Pipe => {
                    return self.fail(
                        "a name class with an except (\"-\") must be put in parentheses \
                         before \"|\""
                            .to_owned(),
                    )
                }
                _ => {}
            }
            let span = self.span(
                lead.name_class.span.start as usize,
                except.span.end as usize,
            );
            let except = Some(Box::new(except));
            let kind = match lead.name_class.kind {
                NameClassKind::NsName { ns, .. } => NameClassKind::NsName { ns, except },
                _ => NameClassKind::AnyName { except },
            };
            return Ok(NameClass { kind, span });
        }
        self.follow_annotations()?;
        if !self.at(&TokenKind::Pipe) {
            return Ok(lead.name_class);
        }
        let start = lead.name_class.span.start as usize;
        let mut items = vec![lead.name_class];
        while self.at(&TokenKind::Pipe) {
            self.bump();
            let item = self.lead_simple_name_class(attribute)?;
            if item.wildcard && self.at(&TokenKind::Minus) {
                return self.fail(
                    "a name class with an except (\"-\") must be put in parentheses \
                     to be combined with \"|\""
                        .to_owned(),
                );
            }
            self.follow_annotations()?;
            items.push(item.name_class);
        }
        Ok(NameClass {
            kind: NameClassKind::Choice(items),
            span: self.span(start, self.prev_end()),
        })
    }

    /// Initial annotations, then a name, `*`, `prefix:*` or a parenthesized
    /// name class.
    fn lead_simple_name_class(&mut self, attribute: bool) -> PResult<LeadNameClass> {
        self.initial_annotations()?;
        let start = self.start();
        let range = (start, self.token(self.pos).end);
        let (kind, wildcard) = match self.peek() {
            TokenKind::LParen => {
                self.bump();
                let mut name_class = self.name_class(attribute)?;
                let end = self.expect(TokenKind::RParen)?;
                name_class.span = self.span(start, end);
                return Ok(LeadNameClass {
                    name_class,
                    wildcard: false,
                });
            }
            TokenKind::Identifier(local) | TokenKind::QuotedIdentifier(local) => {
                let local = local.clone();
                let ns = if attribute {
                    String::new()
                } else {
                    self.default_ns().to_owned()
                };
                (NameClassKind::Name { ns, local }, false)
            }
            TokenKind::Keyword(keyword) => {
                let local = keyword.as_str().to_owned();
                let ns = if attribute {
                    String::new()
                } else {
                    self.default_ns().to_owned()
                };
                (NameClassKind::Name { ns, local }, false)
            }
            TokenKind::CName(prefix, local) => {
                let (prefix, local) = (prefix.clone(), local.clone());
                let ns = self.resolve_ns(&prefix, range);
                (NameClassKind::Name { ns, local }, false)
            }
            TokenKind::NsName(prefix) => {
                let prefix = prefix.clone();
                let ns = self.resolve_ns(&prefix, range);
                (NameClassKind::NsName { ns, except: None }, true)
            }
            TokenKind::Star => (NameClassKind::AnyName { except: None }, true),
            _ => return self.expected("a name class (a name, \"*\", \"prefix:*\" or \"(\")"),
        };
        self.bump();
        Ok(LeadNameClass {
            name_class: NameClass {
                kind,
                span: self.span(range.0, range.1),
            },
            wildcard,
        })
    }

    // ---- Annotations (spec §5): checked, then dropped --------------------

    /// `[ attributes elements ]` before a pattern, name class, param or
    /// component. Returns the range of its first element, if it has one.
    fn initial_annotations(&mut self) -> PResult<Option<Range>> {
        if !self.at(&TokenKind::LBracket) {
            return Ok(None);
        }
        self.bump();
        let mut first_element = None;
        let mut seen = Vec::new();
        loop {
            let start = self.start();
            let is_name = matches!(
                self.peek(),
                TokenKind::Identifier(_)
                    | TokenKind::QuotedIdentifier(_)
                    | TokenKind::Keyword(_)
                    | TokenKind::CName(..)
            );
            match (self.peek(), self.peek2()) {
                (TokenKind::RBracket, _) => {
                    self.bump();
                    return Ok(first_element);
                }
                (TokenKind::CName(prefix, local), TokenKind::Equals) => {
                    let (prefix, local) = (prefix.clone(), local.clone());
                    self.bump();
                    self.bump();
                    self.literal("the attribute's value (a literal)")?;
                    let range = (start, self.prev_end());
                    let ns = self.resolve_ns(&prefix, range);
                    self.check_annotation_attribute(ns, local, &mut seen, true, range);
                }
                (_, TokenKind::Equals) if is_name => {
                    self.bump();
                    self.bump();
                    self.literal("the attribute's value (a literal)")?;
                    self.error(
                        BAD_ANNOTATION,
                        "an annotation attribute on a pattern needs a namespace prefix \
                         (unprefixed attributes belong to RELAX NG)"
                            .to_owned(),
                        (start, self.prev_end()),
                    );
                }
                (_, TokenKind::LBracket) if is_name => {
                    let range = self.annotation_element(true)?;
                    first_element.get_or_insert(range);
                }
                _ => {
                    return self.expected(
                        "an annotation attribute (prefix:name = \"value\"), \
                         an annotation element (name [ ... ]) or \"]\"",
                    )
                }
            }
        }
    }

    /// Checks one annotation attribute: `on_pattern` when it would sit on a
    /// RELAX NG element (initial annotations), otherwise on an annotation
    /// element.
    fn check_annotation_attribute(
        &mut self,
        ns: String,
        local: String,
        seen: &mut Vec<(String, String)>,
        on_pattern: bool,
        range: Range,
    ) {
        let problem = if on_pattern && ns.is_empty() {
            Some("an annotation attribute on a pattern must be in a namespace".to_owned())
        } else if on_pattern && ns == RELAXNG_NS {
            Some("an annotation attribute can't be in the RELAX NG namespace".to_owned())
        } else if XMLNS_NAMESPACES.contains(&ns.as_str()) || (ns.is_empty() && local == "xmlns") {
            Some(
                "an annotation can't have namespace declarations (\"xmlns\" attributes)".to_owned(),
            )
        } else if seen.iter().any(|(n, l)| *n == ns && *l == local) {
            Some(if ns.is_empty() {
                format!("the annotation attribute \"{local}\" is given twice")
            } else {
                format!("the annotation attribute \"{local}\" in namespace \"{ns}\" is given twice")
            })
        } else {
            None
        };
        match problem {
            Some(message) => self.error(BAD_ANNOTATION, message, range),
            None => seen.push((ns, local)),
        }
    }

    /// `name [ content ]`. `foreign` when it is an annotation on RELAX NG
    /// syntax (not nested in another annotation element): then it can't be
    /// in the RELAX NG namespace. Returns its range.
    fn annotation_element(&mut self, foreign: bool) -> PResult<Range> {
        self.nested(|p| p.annotation_element_inner(foreign))
    }

    fn annotation_element_inner(&mut self, foreign: bool) -> PResult<Range> {
        let start = self.start();
        let range = (start, self.token(self.pos).end);
        let ns = match self.peek() {
            TokenKind::Identifier(_) | TokenKind::QuotedIdentifier(_) | TokenKind::Keyword(_) => {
                String::new()
            }
            TokenKind::CName(prefix, _) => {
                let prefix = prefix.clone();
                self.resolve_ns(&prefix, range)
            }
            _ => return self.expected("the name of an annotation element"),
        };
        self.bump();
        if foreign && ns == RELAXNG_NS {
            self.error(
                BAD_ANNOTATION,
                "an annotation element can't be in the RELAX NG namespace".to_owned(),
                range,
            );
        }
        self.expect(TokenKind::LBracket)?;
        let mut seen = Vec::new();
        loop {
            let item_start = self.start();
            let item_range = (item_start, self.token(self.pos).end);
            match (self.peek(), self.peek2()) {
                (TokenKind::RBracket, _) => {
                    self.bump();
                    return Ok((start, self.prev_end()));
                }
                (TokenKind::Literal(_), _) => {
                    self.literal("a literal")?;
                }
                (
                    TokenKind::Identifier(local)
                    | TokenKind::QuotedIdentifier(local)
                    | TokenKind::CName(_, local),
                    TokenKind::Equals,
                ) => {
                    let prefix = match self.peek() {
                        TokenKind::CName(prefix, _) => Some(prefix.clone()),
                        _ => None,
                    };
                    let local = local.clone();
                    self.attribute_in_annotation(prefix, local, &mut seen, item_range)?;
                }
                (TokenKind::Keyword(keyword), TokenKind::Equals) => {
                    let local = keyword.as_str().to_owned();
                    self.attribute_in_annotation(None, local, &mut seen, item_range)?;
                }
                (
                    TokenKind::Identifier(_)
                    | TokenKind::QuotedIdentifier(_)
                    | TokenKind::Keyword(_)
                    | TokenKind::CName(..),
                    TokenKind::LBracket,
                ) => {
                    self.annotation_element(false)?;
                }
                _ => {
                    return self.expected(
                        "an attribute (name = \"value\"), an element (name [ ... ]), \
                         a literal or \"]\"",
                    )
                }
            }
        }
    }

    /// `name = literal` inside an annotation element; the name is current.
    fn attribute_in_annotation(
        &mut self,
        prefix: Option<String>,
        local: String,
        seen: &mut Vec<(String, String)>,
        name_range: Range,
    ) -> PResult<()> {
        self.bump();
        self.bump();
        self.literal("the attribute's value (a literal)")?;
        let range = (name_range.0, self.prev_end());
        let ns = match prefix {
            Some(prefix) => self.resolve_ns(&prefix, name_range),
            None => String::new(),
        };
        self.check_annotation_attribute(ns, local, seen, false, range);
        Ok(())
    }

    /// `>> element` annotations after a pattern or name class; returns
    /// their range if there were any.
    fn follow_annotations(&mut self) -> PResult<Option<Range>> {
        let mut range: Option<Range> = None;
        while self.at(&TokenKind::Follow) {
            let start = self.start();
            self.bump();
            let (_, end) = self.annotation_element(true)?;
            range = Some((range.map_or(start, |r| r.0), end));
        }
        Ok(range)
    }
}

/// The patterns of an implicit group: a group's members, or the pattern.
fn into_items(pattern: Pattern) -> Vec<Pattern> {
    match pattern.kind {
        PatternKind::Group(items) => items,
        kind => vec![Pattern {
            kind,
            span: pattern.span,
        }],
    }
}

/// The patterns of an implicit choice (an except): a choice's members, or
/// the pattern.
fn into_choices(pattern: Pattern) -> Vec<Pattern> {
    match pattern.kind {
        PatternKind::Choice(items) => items,
        kind => vec![Pattern {
            kind,
            span: pattern.span,
        }],
    }
}
