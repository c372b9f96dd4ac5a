//! Streaming validation: a document read through `std::io::Read` and fed to
//! the [`Validator`] as it is tokenized, so memory stays bounded by the
//! largest single start tag, text run or attribute value, not by the size
//! of the document.
//!
//! The tokenizer is `quick-xml`'s namespace-aware reader. On top of it this
//! module enforces what the tree parser (roxmltree) would: one root element,
//! no text outside it, matching end tags, no duplicate attributes (by
//! qualified and by expanded name), declared namespace prefixes, references
//! to the predefined entities, character references to legal characters and
//! internal general entities declared in the DOCTYPE (expanded with a depth
//! and size limit; recursion refused; external entities never read).
//! Attribute values are normalized as XML 1.0 says (§3.3.3, CDATA).
//!
//! Positions: every event carries its absolute byte range, and errors carry
//! `at` as a byte offset like the tree mode. Because no copy of the text is
//! kept, each new error is given its line and column
//! ([`DocError::line_col`]) while the bytes it points into are still in a
//! small window that trails the tokenizer.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::rc::Rc;

use quick_xml::events::Event;
use quick_xml::name::{NamespaceResolver, QName, ResolveResult};
use quick_xml::NsReader;

use super::events::AttributeEvent;
use super::{Outcome, Validator};
use crate::datatype::Context;
use crate::diagnostic::DocError;
use crate::encoding::{DecodingReader, StreamDecodeError};
use crate::xml::{entity_declarations, EntityDeclaration};

/// Documents at least this large are better validated by streaming (the
/// tree of a document costs several times its size in memory).
pub const STREAM_THRESHOLD: u64 = 64 << 20;

/// Whether a document of `len` bytes should be validated by streaming.
pub fn should_stream(len: u64) -> bool {
    len >= STREAM_THRESHOLD
}

/// Internal entities may nest this deep.
const ENTITY_DEPTH_LIMIT: usize = 16;
/// One reference may expand to at most this many bytes (billion laughs).
const ENTITY_EXPANSION_LIMIT: usize = 1 << 20;

/// Validates the document read from `input` with `validator`, streaming.
/// The same verdicts as [`crate::validate_text`], with each error's
/// `line_col` filled in.
pub fn validate_reader<R: Read>(validator: &mut Validator, input: R) -> Outcome {
    let window = Rc::new(RefCell::new(LineWindow::default()));
    // The encoding is sniffed from the first bytes; what the tokenizer
    // reads is UTF-8 text without a byte-order mark, and offsets are
    // offsets in that text (as in tree mode).
    let decoded = match DecodingReader::new(input) {
        Ok(Ok(decoded)) => decoded,
        Ok(Err(e)) => return Outcome::NotWellFormed(e.doc_error()),
        Err(e) => {
            let reason = crate::diagnostic::io_reason(&e);
            return Outcome::NotWellFormed(DocError::not_well_formed(&reason, 0..0));
        }
    };
    let tee = Tee {
        inner: decoded,
        window: Rc::clone(&window),
    };
    let buffered = BufReader::with_capacity(64 * 1024, tee);
    validator.reset();
    let mut feeder = Feeder {
        validator,
        window,
        depth: 0,
        seen_root: false,
        pending: None,
        entities: HashMap::new(),
        annotated: 0,
        open_tags: Vec::new(),
    };
    match feeder.run(buffered) {
        Ok(()) => {
            feeder.annotate();
            let errors = feeder.validator.finish();
            if errors.is_empty() {
                Outcome::Valid
            } else {
                Outcome::Invalid(errors)
            }
        }
        Err(e) => {
            // As in tree mode: a document that is not well-formed gets that
            // one error, whatever was found before it.
            let _ = feeder.validator.finish();
            Outcome::NotWellFormed(e)
        }
    }
}

/// The bad sequence behind a tokenizer error, if that is what it is.
fn undecodable(e: &quick_xml::Error) -> Option<&StreamDecodeError> {
    match e {
        quick_xml::Error::Io(io) => io.get_ref()?.downcast_ref::<StreamDecodeError>(),
        _ => None,
    }
}

/// Passes bytes through, copying them into the [`LineWindow`].
struct Tee<R> {
    inner: R,
    window: Rc<RefCell<LineWindow>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(read) = buf.get(..n) {
            self.window.borrow_mut().push(read);
        }
        Ok(n)
    }
}

/// The bytes from a mark (the oldest offset an error can still point at)
/// to what has been read, with the line and column at the mark.
#[derive(Default)]
struct LineWindow {
    /// Absolute offset of `bytes[start]`.
    base: u64,
    bytes: Vec<u8>,
    start: usize,
    /// 0-based line and character column at `base`.
    line: u32,
    column: u32,
}

impl LineWindow {
    fn push(&mut self, read: &[u8]) {
        if self.start > 0 && self.start >= self.bytes.len() / 2 {
            self.bytes.drain(..self.start);
            self.start = 0;
        }
        self.bytes.extend_from_slice(read);
    }

    /// Counts lines and columns over `bytes`, from (`line`, `column`).
    fn count(bytes: &[u8], mut line: u32, mut column: u32) -> (u32, u32) {
        for &b in bytes {
            if b == b'\n' {
                line = line.saturating_add(1);
                column = 0;
            } else if b & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a new character.
                column = column.saturating_add(1);
            }
        }
        (line, column)
    }

    /// Forgets everything before `offset`.
    fn advance(&mut self, offset: u64) {
        if offset <= self.base {
            return;
        }
        let n = usize::try_from(offset - self.base)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len() - self.start);
        let end = self.start + n;
        let (line, column) = Self::count(&self.bytes[self.start..end], self.line, self.column);
        self.line = line;
        self.column = column;
        self.start = end;
        self.base += n as u64;
    }

    /// 1-based line and column of `offset` (clamped into the window).
    fn line_col(&self, offset: u64) -> (u32, u32) {
        let n = usize::try_from(offset.saturating_sub(self.base))
            .unwrap_or(usize::MAX)
            .min(self.bytes.len() - self.start);
        let (line, column) = Self::count(
            &self.bytes[self.start..self.start + n],
            self.line,
            self.column,
        );
        (line.saturating_add(1), column.saturating_add(1))
    }
}

fn located(mut e: DocError, window: &LineWindow) -> DocError {
    e.line_col = Some(window.line_col(e.at as u64));
    e
}

/// A run of character data not yet given to the validator.
struct PendingText {
    text: String,
    span: Range<usize>,
}

/// An internal general entity declared in the DOCTYPE.
enum Entity {
    Internal(String),
    External,
}

/// The namespace context of the current element, for QName values.
struct ResolverContext<'r>(&'r quick_xml::name::NamespaceResolver);

impl Context for ResolverContext<'_> {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        resolve_in(self.0, prefix)
    }
}

/// The namespace bound to `prefix` (empty: the default namespace).
fn resolve_in<'r>(resolver: &'r NamespaceResolver, prefix: &str) -> Option<&'r str> {
    let result = if prefix.is_empty() {
        resolver.resolve_prefix(None, true)
    } else {
        let qname = format!("{prefix}:x");
        let prefix = QName(&qname).prefix();
        resolver.resolve_prefix(prefix, true)
    };
    match result {
        ResolveResult::Bound(ns) => Some(ns.0),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
    }
}

struct Feeder<'v, 's> {
    validator: &'v mut Validator<'s>,
    window: Rc<RefCell<LineWindow>>,
    depth: usize,
    seen_root: bool,
    pending: Option<PendingText>,
    entities: HashMap<String, Entity>,
    /// Errors already given a line and column.
    annotated: usize,
    /// Start and `>` offsets of the open elements' start tags with their
    /// positions, for an error reported at an ancestor's start tag (older
    /// than the window).
    open_tags: Vec<OpenTag>,
}

type Fatal = DocError;

/// An open element's start offset and `>` offset, with their line:col.
type OpenTag = ([usize; 2], [(u32, u32); 2]);

impl Feeder<'_, '_> {
    fn fatal(&self, reason: &str, at: u64) -> Fatal {
        let at = usize::try_from(at).unwrap_or(usize::MAX);
        located(
            DocError::not_well_formed(reason, at..at),
            &self.window.borrow(),
        )
    }

    /// Gives each new error its line and column.
    fn annotate(&mut self) {
        let window = self.window.borrow();
        let errors = self.validator.recorded_mut();
        for e in errors.iter_mut().skip(self.annotated) {
            let known = self.open_tags.iter().find_map(|(offsets, lcs)| {
                offsets
                    .iter()
                    .zip(lcs)
                    .find(|(&o, _)| o == e.at)
                    .map(|(_, &lc)| lc)
            });
            e.line_col = Some(match known {
                Some(lc) if (e.at as u64) < window.base => lc,
                _ => window.line_col(e.at as u64),
            });
        }
        self.annotated = errors.len();
    }

    fn run<B: BufRead>(&mut self, input: B) -> Result<(), Fatal> {
        let mut reader = NsReader::from_reader(input);
        {
            let config = reader.config_mut();
            config.check_end_names = true;
            config.check_comments = true;
            config.expand_empty_elements = false;
            config.trim_text(false);
        }
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let before = reader.buffer_position();
            let event = match reader.read_event_into(&mut buf) {
                Ok(event) => event,
                Err(e) => {
                    if let Some(bad) = undecodable(&e) {
                        return Err(self.fatal(&bad.message, bad.offset));
                    }
                    let at = reader.error_position();
                    return Err(self.fatal(&e.to_string(), at));
                }
            };
            let after = reader.buffer_position();
            let span = to_usize(before)..to_usize(after);
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    // The new element's bindings are already in scope; text
                    // before it belongs to its parent's.
                    self.flush_text(reader.resolver(), true);
                    if self.depth == 0 && self.seen_root {
                        return Err(self.fatal("more than one root element", before));
                    }
                    self.seen_root = true;
                    self.start_element(&reader, e, span.clone())?;
                    if empty {
                        self.validator.end_tag(span.clone());
                    } else {
                        self.depth += 1;
                        let window = self.window.borrow();
                        let tag_end = after.saturating_sub(1).max(before);
                        let lcs = [window.line_col(before), window.line_col(tag_end)];
                        drop(window);
                        self.open_tags.push(([span.start, to_usize(tag_end)], lcs));
                    }
                }
                Event::End(_) => {
                    // The ending element's bindings are still in scope.
                    self.flush_text(reader.resolver(), false);
                    self.validator.end_tag(span.clone());
                    self.depth = self.depth.saturating_sub(1);
                    self.open_tags.pop();
                }
                Event::Text(t) => {
                    let text = t.xml10_content();
                    if self.depth == 0 {
                        if !crate::xml::is_whitespace(&text) {
                            return Err(self.fatal("text outside the root element", before));
                        }
                    } else {
                        self.push_text(&text, span.clone());
                    }
                }
                Event::CData(t) => {
                    if self.depth == 0 {
                        return Err(self.fatal("CDATA outside the root element", before));
                    }
                    let text = t.xml10_content();
                    self.push_text(&text, span.clone());
                }
                Event::GeneralRef(r) => {
                    if self.depth == 0 {
                        return Err(self.fatal("reference outside the root element", before));
                    }
                    let name: &str = &r;
                    let text = self.expand_reference(name, before)?;
                    self.push_text(&text, span.clone());
                }
                Event::DocType(t) => {
                    if self.seen_root {
                        return Err(self.fatal("DOCTYPE after the root element", before));
                    }
                    let decl: &str = &t;
                    self.read_doctype(decl, before)?;
                }
                Event::Decl(_) if before > 0 => {
                    return Err(self.fatal("XML declaration not at the start", before));
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(self.fatal("unclosed element at end of input", after));
                    }
                    if !self.seen_root {
                        return Err(self.fatal("no root element", after));
                    }
                    return Ok(());
                }
            }
            self.annotate();
            // Nothing before the pending text run (or this event's end) can
            // be pointed at any more.
            let mark = self.pending.as_ref().map_or(after, |p| p.span.start as u64);
            self.window.borrow_mut().advance(mark);
        }
    }

    fn push_text(&mut self, text: &str, span: Range<usize>) {
        match &mut self.pending {
            Some(run) => {
                run.text.push_str(text);
                run.span.end = span.end;
            }
            None => {
                self.pending = Some(PendingText {
                    text: text.to_string(),
                    span,
                })
            }
        }
    }

    /// Gives the pending text run to the validator. `child_started`: the
    /// resolver already holds a new child's bindings, to be looked past.
    fn flush_text(&mut self, resolver: &NamespaceResolver, child_started: bool) {
        if let Some(run) = self.pending.take() {
            let ctx = TextContext {
                resolver,
                child_started,
                parent: OnceCell::new(),
            };
            self.validator.text(&run.text, run.span, &ctx);
        }
    }

    fn start_element<B: BufRead>(
        &mut self,
        reader: &NsReader<B>,
        e: &quick_xml::events::BytesStart,
        span: Range<usize>,
    ) -> Result<(), Fatal> {
        let qname = e.name();
        let resolver = reader.resolver();
        let (ns, local) = resolver.resolve_element(qname);
        let ns = match ns {
            ResolveResult::Bound(ns) => ns.0,
            ResolveResult::Unbound => "",
            ResolveResult::Unknown(prefix) => {
                let reason = format!("undeclared namespace prefix \"{prefix}\"");
                return Err(self.fatal(&reason, span.start as u64));
            }
        };
        self.validator
            .start_tag_open(ns, local.as_ref(), qname.0, span.clone());
        // Attributes, parsed here to know their byte ranges.
        let raw = e.attributes_raw();
        let raw_start = span.start + 1 + qname.0.len();
        let ctx = ResolverContext(resolver);
        let mut seen = SeenNames::default();
        let mut seen_expanded: HashSet<(String, String)> = HashSet::new();
        let mut rest = raw;
        let mut pos = raw_start;
        loop {
            let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
            pos += rest.len() - trimmed.len();
            rest = trimmed;
            if rest.is_empty() || rest == "/" {
                break;
            }
            let Some(attr) = parse_attribute(rest) else {
                return Err(self.fatal("malformed attribute", pos as u64));
            };
            let attr_span = pos..pos + attr.len;
            if !seen.insert(attr.name) {
                let reason = format!("duplicate attribute \"{}\"", attr.name);
                return Err(self.fatal(&reason, pos as u64));
            }
            let value = self.normalize_value(attr.raw_value, pos as u64)?;
            rest = &rest[attr.len..];
            pos += attr.len;
            if attr.name == "xmlns" || attr.name.starts_with("xmlns:") {
                continue;
            }
            let (ans, alocal) = resolver.resolve_attribute(QName(attr.name));
            let ans = match ans {
                ResolveResult::Bound(ns) => ns.0,
                ResolveResult::Unbound => "",
                ResolveResult::Unknown(prefix) => {
                    let reason = format!("undeclared namespace prefix \"{prefix}\"");
                    return Err(self.fatal(&reason, attr_span.start as u64));
                }
            };
            if !ans.is_empty()
                && !seen_expanded.insert((ans.to_string(), alocal.as_ref().to_string()))
            {
                let reason = format!("duplicate attribute \"{}\"", attr.name);
                return Err(self.fatal(&reason, attr_span.start as u64));
            }
            let event = AttributeEvent {
                ns: ans,
                local: alocal.as_ref(),
                qname: attr.name,
                value: &value,
                span: attr_span,
            };
            self.validator.attribute(event, &ctx);
        }
        self.validator.start_tag_close();
        Ok(())
    }

    /// XML 1.0 §3.3.3 for CDATA attributes: references expanded, each
    /// whitespace character (a CR LF pair counting as one) becomes a space.
    fn normalize_value<'a>(&self, raw: &'a str, at: u64) -> Result<Cow<'a, str>, Fatal> {
        if !raw.contains(['&', '\t', '\n', '\r', '<']) {
            return Ok(Cow::Borrowed(raw));
        }
        if raw.contains('<') {
            return Err(self.fatal("\"<\" in an attribute value", at));
        }
        let mut out = String::with_capacity(raw.len());
        crate::xml::normalize_attribute_with(raw, &mut out, |body, out| match body {
            Some(name) => self.expand_into(name, at, out, &mut Vec::new()),
            None => Err(self.fatal("unterminated reference", at)),
        })?;
        Ok(Cow::Owned(out))
    }

    /// The text of `&name;`.
    fn expand_reference(&self, name: &str, at: u64) -> Result<String, Fatal> {
        let mut out = String::new();
        let mut stack = Vec::new();
        self.expand_into(name, at, &mut out, &mut stack)?;
        Ok(out)
    }

    fn expand_into(
        &self,
        name: &str,
        at: u64,
        out: &mut String,
        stack: &mut Vec<String>,
    ) -> Result<(), Fatal> {
        if let Some(code) = name.strip_prefix('#') {
            return match crate::xml::character_reference(code) {
                Some(c) => {
                    out.push(c);
                    Ok(())
                }
                None => Err(self.fatal(&format!("invalid character reference \"&{name};\""), at)),
            };
        }
        if let Some(c) = crate::xml::predefined_entity(name) {
            out.push(c);
            return Ok(());
        }
        let value = match self.entities.get(name) {
            Some(Entity::Internal(value)) => value,
            Some(Entity::External) => {
                let reason = format!("external entity \"{name}\" is not read");
                return Err(self.fatal(&reason, at));
            }
            None => {
                let reason = format!("undeclared entity \"{name}\"");
                return Err(self.fatal(&reason, at));
            }
        };
        if stack.iter().any(|n| n == name) {
            let reason = format!("entity \"{name}\" refers to itself");
            return Err(self.fatal(&reason, at));
        }
        if stack.len() >= ENTITY_DEPTH_LIMIT {
            return Err(self.fatal("entities nested too deeply", at));
        }
        if value.contains('<') {
            let reason = format!(
                "entity \"{name}\" contains markup, which streaming validation does not expand"
            );
            return Err(self.fatal(&reason, at));
        }
        stack.push(name.to_string());
        let mut rest = value.as_str();
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let Some(end) = rest[i..].find(';') else {
                return Err(self.fatal("unterminated reference in an entity", at));
            };
            self.expand_into(&rest[i + 1..i + end], at, out, stack)?;
            if out.len() > ENTITY_EXPANSION_LIMIT {
                return Err(self.fatal("entity expansion too large", at));
            }
            rest = &rest[i + end + 1..];
        }
        out.push_str(rest);
        stack.pop();
        Ok(())
    }

    /// Reads the general entity declarations of the internal subset.
    fn read_doctype(&mut self, decl: &str, at: u64) -> Result<(), Fatal> {
        let declarations = entity_declarations(decl).map_err(|reason| self.fatal(reason, at))?;
        for declaration in declarations {
            let entity = match declaration {
                EntityDeclaration::Internal { value, .. } => Entity::Internal(value.to_string()),
                EntityDeclaration::External { .. } => Entity::External,
                EntityDeclaration::Unparsed { name } => {
                    self.validator.declare_unparsed_entity(name);
                    Entity::External
                }
            };
            self.entities.insert(declaration.name().to_string(), entity);
        }
        Ok(())
    }
}

/// A text run's namespace context: the resolver, looking past a child's
/// bindings when the run ended at a child's start tag (a copy is made only
/// if a QName is actually resolved).
struct TextContext<'r> {
    resolver: &'r NamespaceResolver,
    child_started: bool,
    parent: OnceCell<NamespaceResolver>,
}

impl Context for TextContext<'_> {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        let resolver = if self.child_started {
            self.parent.get_or_init(|| {
                let mut parent = self.resolver.clone();
                parent.pop();
                parent
            })
        } else {
            self.resolver
        };
        resolve_in(resolver, prefix)
    }
}

/// The qualified names of one start tag's attributes so far: a linear scan
/// while few, a hash set beyond (a tag may have very many).
#[derive(Default)]
struct SeenNames<'a> {
    few: Vec<&'a str>,
    many: HashSet<&'a str>,
}

impl<'a> SeenNames<'a> {
    /// Whether `name` is new.
    fn insert(&mut self, name: &'a str) -> bool {
        if self.few.len() < 16 {
            if self.few.contains(&name) {
                return false;
            }
            self.few.push(name);
            return true;
        }
        if self.many.is_empty() {
            self.many.extend(self.few.iter().copied());
        }
        self.many.insert(name)
    }
}

/// One attribute as written: `name = "value"`.
struct RawAttribute<'a> {
    name: &'a str,
    raw_value: &'a str,
    /// Bytes from the name to the closing quote, inclusive.
    len: usize,
}

fn parse_attribute(s: &str) -> Option<RawAttribute<'_>> {
    let name_end = s.find([' ', '\t', '\n', '\r', '='])?;
    let name = &s[..name_end];
    if name.is_empty() || !crate::datatype::xsd::is_name(name) {
        return None;
    }
    let after_name = &s[name_end..];
    let eq = after_name.trim_start_matches([' ', '\t', '\n', '\r']);
    let after_eq = eq.strip_prefix('=')?;
    let value = after_eq.trim_start_matches([' ', '\t', '\n', '\r']);
    let quote = value.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let end = value[1..].find(quote)?;
    let value_start = s.len() - value.len() + 1;
    Some(RawAttribute {
        name,
        raw_value: &s[value_start..value_start + end],
        len: value_start + end + 1,
    })
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::loader::MemLoader;
    use crate::source::SourceFile;
    use crate::validate::validate_text;
    use crate::{LoadOptions, Schema};

    const SCHEMA: &str = r#"<element name="r" xmlns="http://relaxng.org/ns/structure/1.0"
        datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
      <optional><attribute name="a"><data type="token"/></attribute></optional>
      <zeroOrMore>
        <choice>
          <element name="n"><data type="integer"/></element>
          <element name="q"><data type="QName"/></element>
          <element name="t"><text/></element>
          <element name="e"><attribute name="v"><choice><value>x</value><value>y z</value></choice></attribute></element>
        </choice>
      </zeroOrMore>
    </element>"#;

    fn schema() -> Schema {
        let path = PathBuf::from("/t/s.rng");
        let mut loader = MemLoader::new([(path.clone(), SCHEMA.to_string())]);
        match Schema::load_with_options(&path, &mut loader, LoadOptions::default()) {
            Ok(s) => s,
            Err(e) => panic!("{:?}", e.errors),
        }
    }

    /// Verdict, messages, offsets and line:col, as both modes see them.
    fn both(doc: &str) -> (String, String) {
        let schema = schema();
        let mut v = schema.validator();
        let show = |o: &Outcome, text: Option<&str>| match o {
            Outcome::Valid => "valid".to_string(),
            Outcome::NotWellFormed(_) => "not well-formed".to_string(),
            Outcome::Invalid(errors) => errors
                .iter()
                .map(|e| {
                    let lc = match text {
                        Some(t) => {
                            let lc = SourceFile::detached(t).line_col(e.at);
                            (lc.line, lc.column)
                        }
                        None => e.line_col.unwrap_or((0, 0)),
                    };
                    format!("{} @{} {:?}", e.message, e.at, lc)
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        let tree = show(&validate_text(&mut v, doc), Some(doc));
        let stream = show(&validate_reader(&mut v, doc.as_bytes()), None);
        (tree, stream)
    }

    fn agree(doc: &str) -> String {
        let (tree, stream) = both(doc);
        assert_eq!(tree, stream, "{doc}");
        tree
    }

    #[test]
    fn valid_documents_agree() {
        assert_eq!(
            agree("<r a=' p  q '><n>1</n><t>x<!-- c -->y</t></r>"),
            "valid"
        );
        assert_eq!(agree("\u{FEFF}<?xml version='1.0'?>\n<r/>"), "valid");
        assert_eq!(agree("<r xmlns:p='urn:p'><q>p:x</q></r>"), "valid");
        assert_eq!(agree("<r><e v='y\nz'/><n><![CDATA[4]]>2</n></r>"), "valid");
        assert_eq!(
            agree("<!DOCTYPE r [<!ENTITY one '1'><!ENTITY two '&one;&#50;'>]><r><n>&two;</n><n>&#x31;</n></r>"),
            "valid"
        );
    }

    #[test]
    fn invalid_documents_agree_with_positions() {
        let report = agree("<r>\n  <n>x</n>\n  <e v='w'/>\n  <zz/>\n</r>");
        assert!(report.contains("(2, 11)"), "{report}");
        assert!(report.contains("(4, 8)"), "{report}");
        let report = agree("<r>\n<q>nope:x</q>\n<t>é<z/></t></r>");
        assert!(report.contains("(2, 14)"), "{report}");
        agree("<r a=''><n> 3 </n><n>\n</n></r>");
    }

    #[test]
    fn not_well_formed_in_both_modes() {
        for doc in [
            "<r/><r/>",
            "<r>",
            "<r></n>",
            "x<r/>",
            "<r a='1' a='2'/>",
            "<r p:a='1'/>",
            "<p:r/>",
            "<r xmlns:p='u' xmlns:q='u' p:a='1' q:a='2'/>",
            "<r>&nope;</r>",
            "<!DOCTYPE r [<!ENTITY a '&b;'><!ENTITY b '&a;'>]><r>&a;</r>",
            "<r a='<'/>",
            "<r>&#0;</r>",
            "",
        ] {
            let (tree, stream) = both(doc);
            assert_eq!(tree, "not well-formed", "tree mode on {doc:?}");
            assert_eq!(stream, "not well-formed", "streaming on {doc:?}");
        }
    }

    #[test]
    fn external_entities_are_never_read() {
        let doc = "<!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><r><t>&x;</t></r>";
        let schema = schema();
        let mut v = schema.validator();
        assert!(matches!(
            validate_reader(&mut v, doc.as_bytes()),
            Outcome::NotWellFormed(_)
        ));
    }

    #[test]
    fn the_memo_survives_documents() {
        let schema = schema();
        let mut v = schema.validator();
        for _ in 0..3 {
            assert!(validate_reader(&mut v, "<r><n>1</n></r>".as_bytes()).is_valid());
            assert!(!validate_reader(&mut v, "<r><n>a</n></r>".as_bytes()).is_valid());
        }
    }

    #[test]
    fn threshold() {
        assert!(!should_stream(1 << 20));
        assert!(should_stream(STREAM_THRESHOLD));
        assert!(should_stream(u64::MAX));
    }
}
