//! Validation of one document: a stream of events in, errors out.
//!
//! The [`Validator`] knows no files and no tree: it is fed start tags,
//! attributes, text and end tags (each with its byte range) by
//! [`events`], and keeps only the current pattern and a stack of open
//! elements. On an error it records a [`DocError`], recovers (ignores the
//! attribute, text or element, or ends the element anyway) and silences the
//! cascade, so one run reports each independent problem.

mod coverage;
pub mod events;
mod expect;
mod ids;
pub mod scan;
pub mod stream;

use std::ops::Range;

use crate::datatype::{Context, NoContext};
use crate::derive::{Deriver, Entry};
use crate::diagnostic::DocError;
use crate::pattern::{CompiledGrammar, NameKey, PatternArena, PatternId};
use crate::xml::{is_whitespace, is_xml_space};

/// An open element.
struct Frame {
    /// Its name as written, for messages: a range of `Validator::names`.
    name: Range<usize>,
    /// Its start tag.
    span: Range<usize>,
    /// The pattern before it started, and its key: enough to recover past it.
    before: PatternId,
    key: NameKey,
    /// Whether a child element has started.
    has_child_element: bool,
    /// Whether non-whitespace text has been matched.
    had_text: bool,
    /// Inside an element that was not allowed: nothing below is checked.
    skipped: bool,
    /// An error about this element's character content, reported (as jing
    /// does) where the element ends: its index in the error list.
    content_error: Option<usize>,
    /// Where this element's children start in `Validator::children`.
    children_base: usize,
    /// For a misplaced element checked against its own definitions: the
    /// parent's pattern to resume with after it.
    resume: Option<PatternId>,
    /// When the start tag matched one element pattern only, the parent's
    /// continuation, set aside (see [`Entry::rest`]): its derivatives are
    /// then shared by every context the element appears in (and every
    /// document) instead of being derived again under each parent's
    /// continuation.
    rest: Option<PatternId>,
}

/// The verdict on one document's text.
#[derive(Debug)]
pub enum Outcome {
    /// Valid.
    Valid,
    /// Well-formed but invalid: every error found.
    Invalid(Vec<DocError>),
    /// Not well-formed XML.
    NotWellFormed(DocError),
}

impl Outcome {
    /// Whether the document is valid.
    pub(crate) fn is_valid(&self) -> bool {
        matches!(self, Outcome::Valid)
    }
}

/// Validates one document's text with `validator`: scanned straight into
/// it when the fast path takes the document, else through roxmltree's tree
/// (which then also decides whether it is well-formed).
pub fn validate_text(validator: &mut Validator, text: &str) -> Outcome {
    validator.reset();
    if scan::feed(text, validator).is_err() {
        let doc = match events::parse_document(text) {
            Ok(doc) => doc,
            Err(e) => return Outcome::NotWellFormed(e),
        };
        validator.reset();
        events::feed(&doc, validator);
    }
    let errors = validator.finish();
    if errors.is_empty() {
        Outcome::Valid
    } else {
        Outcome::Invalid(errors)
    }
}

/// Validates documents against one compiled grammar. One per thread; reuse
/// it across documents so its memo keeps paying off.
///
/// ```
/// use rngcheck::{Schema, Syntax};
///
/// let schema = Schema::from_str("element a { attribute b { xsd:boolean } }", Syntax::Compact)?;
/// let mut validator = schema.validator();
/// assert!(validator.validate_str("<a b='true'/>").is_ok());
/// assert!(validator.validate_str("<a b='maybe'/>").is_err());
/// # Ok::<(), rngcheck::SchemaErrors>(())
/// ```
pub struct Validator<'s> {
    deriver: Deriver<'s>,
    /// Open misplaced elements being checked against their own definitions.
    recovering: usize,
    ids: ids::IdTracker,
    pattern: PatternId,
    frames: Vec<Frame>,
    /// The names of the open elements, end to end (no allocation per element).
    names: String,
    /// Whitespace-only text seen so far in the innermost element, before any
    /// child or other text (matters only if it is all there is).
    pending_space: String,
    errors: Vec<DocError>,
    max_errors: usize,
    /// Errors found past `max_errors` in this document, counted only.
    unrecorded: usize,
    /// The unparsed entities the document's DOCTYPE declares.
    unparsed_entities: Vec<String>,
    /// Schema coverage, when asked for (otherwise nothing is recorded).
    coverage: Option<Box<coverage::Recorder>>,
    /// The child elements (name key, start offset) accepted so far in each
    /// open element, outermost first, each element's from its frame's
    /// `children_base`: a repeated element's message points at the first
    /// one. At most [`CHILDREN_KEPT`] per element, so memory stays bounded.
    children: Vec<(NameKey, usize)>,
    /// The wrapper element last reported missing, with the start of the
    /// parent it is missing in: its later siblings are not reported again.
    missing_wrapper: Option<(usize, String)>,
    /// Memo of [`Validator::placements`].
    placements: std::collections::HashMap<(Placement, NameKey), Vec<String>>,
}

/// Which placement of a name [`Validator::placements`] looks up.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Placement {
    /// The parents an element may appear in.
    ElementIn,
    /// The elements an attribute may appear on.
    AttributeOn,
}

/// How many allowed paths of a name `Validator::placements` keeps.
const PLACEMENTS_KEPT: usize = 64;

/// How many of them a message shows.
const PLACEMENTS_SHOWN: usize = 3;

/// How many children of one element `Validator::children` keeps.
const CHILDREN_KEPT: usize = 64;

/// A value's context in this document: its element's namespace bindings
/// (from the reader) and the document's unparsed entities.
struct DocumentContext<'a> {
    namespaces: &'a dyn Context,
    unparsed_entities: &'a [String],
}

impl Context for DocumentContext<'_> {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        self.namespaces.resolve_prefix(prefix)
    }

    fn is_unparsed_entity(&self, name: &str) -> bool {
        self.unparsed_entities.iter().any(|e| e == name)
    }
}

impl<'s> Validator<'s> {
    /// A validator for `grammar`.
    pub(crate) fn new(grammar: &'s CompiledGrammar) -> Validator<'s> {
        Validator {
            deriver: Deriver::new(grammar),
            recovering: 0,
            ids: ids::IdTracker::default(),
            pattern: grammar.start,
            frames: Vec::new(),
            names: String::new(),
            pending_space: String::new(),
            errors: Vec::new(),
            max_errors: usize::MAX,
            unrecorded: 0,
            unparsed_entities: Vec::new(),
            coverage: None,
            children: Vec::new(),
            missing_wrapper: None,
            placements: Default::default(),
        }
    }

    /// Counts which schema patterns each document matches, from now on
    /// (see [`crate::coverage`]); [`Validator::commit_coverage`] after each
    /// document says whether its counts are for valid documents.
    pub(crate) fn enable_coverage(&mut self) {
        self.coverage = Some(Box::new(coverage::Recorder::new(&self.deriver)));
    }

    /// Adds the last document's counts to the valid side (`counts`: it is
    /// valid and expected to be) or to the invalid side.
    pub(crate) fn commit_coverage(&mut self, counts: bool) {
        if let Some(recorder) = &mut self.coverage {
            recorder.commit(counts);
        }
    }

    /// The counts committed so far, when coverage is on, taken (counting
    /// starts afresh).
    pub(crate) fn take_coverage_hits(&mut self) -> Option<crate::coverage::Hits> {
        let deriver = &mut self.deriver;
        self.coverage
            .as_deref_mut()
            .map(|recorder| recorder.take_hits(deriver))
    }

    /// Makes the coverage walks still to be made (of elements whose shape
    /// was new), which [`Validator::take_coverage_hits`] would make.
    pub(crate) fn walk_coverage(&mut self) {
        if let Some(recorder) = &mut self.coverage {
            recorder.walk_pending(&mut self.deriver);
        }
    }

    /// Shares the coverage walks still to be made among `validators`, of
    /// one schema with coverage on, one per thread, when they have
    /// committed their documents: each element shape is walked once, and
    /// each validator walks about as many (see [`coverage::share_walks`]).
    pub(crate) fn share_coverage_walks(validators: &mut [&mut Validator]) {
        let mut recorders: Vec<&mut coverage::Recorder> = validators
            .iter_mut()
            .filter_map(|v| v.coverage.as_deref_mut())
            .collect();
        coverage::share_walks(&mut recorders);
    }

    /// Makes `name` an unparsed entity of the document being validated
    /// (declared with `NDATA` in its DOCTYPE), as XSD `ENTITY` values must
    /// name; the reader calls this before the root element.
    pub(crate) fn declare_unparsed_entity(&mut self, name: &str) {
        self.unparsed_entities.push(name.to_string());
    }

    /// Stops recording after `n` errors in one document (at least one is
    /// always recorded: it makes the verdict); the rest are only counted.
    pub(crate) fn set_max_errors(&mut self, n: usize) {
        self.max_errors = n.max(1);
    }

    /// How many errors of the current document were found past the cap and
    /// not recorded.
    pub(crate) fn unrecorded(&self) -> usize {
        self.unrecorded
    }

    /// Prepares for a new document.
    pub(crate) fn reset(&mut self) {
        if self.deriver.trim() {
            if let Some(recorder) = &mut self.coverage {
                recorder.forget_matched();
            }
        }
        self.pattern = self.deriver.grammar.start;
        self.frames.clear();
        self.recovering = 0;
        self.names.clear();
        self.pending_space.clear();
        self.errors.clear();
        self.unrecorded = 0;
        self.ids.clear();
        self.unparsed_entities.clear();
        if let Some(recorder) = &mut self.coverage {
            recorder.reset();
        }
        self.children.clear();
        self.missing_wrapper = None;
    }

    fn report(&mut self, error: DocError) {
        if self.errors.len() < self.max_errors {
            self.errors.push(error);
        } else {
            self.unrecorded += 1;
        }
    }

    /// Whether an earlier error already explains a failure here (the
    /// pattern is `notAllowed` only after an error we could not recover from).
    fn silenced(&self) -> bool {
        self.pattern == PatternArena::NOT_ALLOWED && !self.errors.is_empty()
    }

    fn in_skipped(&self) -> bool {
        self.frames.last().is_some_and(|f| f.skipped)
    }

    /// A start tag's name. `ns`/`local` are the expanded name, `qname` as
    /// written; `span` is the start tag.
    pub(crate) fn start_tag_open(
        &mut self,
        ns: &str,
        local: &str,
        qname: &str,
        span: Range<usize>,
    ) {
        if let Some(parent) = self.frames.last_mut() {
            parent.has_child_element = true;
            self.pending_space.clear();
        }
        let before = self.pattern;
        if !self.in_skipped() {
            if let Some(entry) = self.deriver.cached_start_tag(before, ns, local) {
                self.enter(entry, qname, span, before);
                return;
            }
        }
        let key = self.deriver.grammar.names.key(ns, local);
        if self.in_skipped() {
            self.push_frame(qname, span, self.pattern, key, true);
            return;
        }
        if let Some(entry) = self.deriver.start_tag(before, ns, local, key) {
            self.enter(entry, qname, span, before);
            return;
        }
        if !self.silenced() {
            let end = tag_end(&span);
            if let Some(error) = self.unexpected_element_error(qname, key, span.clone()) {
                self.report(error.namespaces_named(ns, qname).reported_at(end));
            }
        }
        // Like jing, check the misplaced element against the schema's
        // definitions of that name, so errors inside it are found too; the
        // parent then resumes as if it had not been there.
        // One level of it is enough: inside a misplaced element, a further
        // misplaced element is skipped, so a deep run of them gives one
        // error, not one per level.
        let nested = self.recovering > 0;
        match self.definitions_named(key).filter(|_| !nested) {
            Some(content) => {
                self.recovering += 1;
                self.pattern = self.deriver.arena.after(content, before);
                self.push_frame(qname, span, before, key, false);
                if let Some(frame) = self.frames.last_mut() {
                    frame.resume = Some(before);
                }
            }
            None => self.push_frame(qname, span, before, key, true),
        }
    }

    /// Starts an allowed element.
    fn enter(&mut self, entry: Entry, qname: &str, span: Range<usize>, before: PatternId) {
        self.pattern = entry.inner;
        let siblings = self.frames.last().map_or(0, |f| f.children_base);
        if self.children.len() - siblings < CHILDREN_KEPT {
            self.children.push((entry.key, span.start));
        }
        self.push_frame(qname, span, before, entry.key, false);
        if let Some(recorder) = &mut self.coverage {
            recorder.matched(&self.deriver, entry.inner, entry.key);
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.rest = entry.rest;
        }
    }

    /// The pattern after `frame`'s element once its own pattern has reached
    /// `ended` (the continuation of an `After`).
    fn continue_after(frame: &Frame, ended: PatternId) -> PatternId {
        match frame.rest {
            Some(rest) if ended != PatternArena::NOT_ALLOWED => rest,
            _ => ended,
        }
    }

    /// The choice of the contents of every element pattern that names `key`
    /// explicitly (wildcard definitions, such as "any element" in metadata,
    /// would accept anything and hide the errors inside). Only computed
    /// after an error.
    fn definitions_named(&mut self, key: NameKey) -> Option<PatternId> {
        let grammar = self.deriver.grammar;
        let contents: Vec<PatternId> = grammar
            .elements
            .iter()
            .filter(|e| grammar.names.names_explicitly(e.name, key))
            .map(|e| e.content)
            .collect();
        if contents.is_empty() {
            return None;
        }
        Some(self.deriver.arena.choice_all(contents))
    }

    fn unexpected_element_error(
        &mut self,
        qname: &str,
        key: NameKey,
        span: Range<usize>,
    ) -> Option<DocError> {
        let expected = expect::startable_elements(&self.deriver, self.pattern);
        if self.frames.is_empty() {
            return Some(DocError::bad_root(qname, expected, span));
        }
        let unknown_name = matches!(key, NameKey::Other | NameKey::OtherInNs(_));
        if unknown_name && expected.is_empty() {
            return Some(DocError::unknown_element(qname, expected, span));
        }
        if let Some(earlier) = self.earlier_sibling(key, &expected) {
            return Some(DocError::repeated_element(qname, earlier, span));
        }
        if let Some(misplaced) = self.misplaced_element_error(qname, key, &expected, &span) {
            return misplaced;
        }
        let at_end = self.deriver.end_tag(self.pattern) != PatternArena::NOT_ALLOWED;
        let hint = expect::closest_name(qname, &expected).map(str::to_string);
        let error = DocError::unexpected_element(qname, expected, at_end, span);
        Some(match hint {
            Some(name) => error.did_you_mean(&name),
            None => error,
        })
    }

    /// An element the schema allows elsewhere, not here: says where
    /// (its allowed parents' paths), and when one of the elements allowed
    /// here is such a parent, that it may be missing around it. A run of
    /// siblings missing the same wrapper is one error: `Some(None)` for the
    /// later ones.
    fn misplaced_element_error(
        &mut self,
        qname: &str,
        key: NameKey,
        expected: &[String],
        span: &Range<usize>,
    ) -> Option<Option<DocError>> {
        let NameKey::Known(_) = key else {
            return None;
        };
        let parents = self.placements(Placement::ElementIn, key);
        let here = self.current_path();
        if parents.is_empty() || parents.contains(&here) {
            return None;
        }
        let wrapper = parents.iter().find_map(|p| {
            let name = p.strip_prefix(&here)?.strip_prefix('/')?;
            expected.iter().find(|e| *e == name).cloned()
        });
        let parent_start = self.frames.last().map_or(0, |f| f.span.start);
        if let Some(wrapper) = &wrapper {
            let run = (parent_start, wrapper.clone());
            if self.missing_wrapper.as_ref() == Some(&run) {
                return Some(None);
            }
            self.missing_wrapper = Some(run);
        }
        Some(Some(DocError::misplaced_element(
            qname,
            &parents[..parents.len().min(PLACEMENTS_SHOWN)],
            wrapper.as_deref(),
            expected.to_vec(),
            span.clone(),
        )))
    }

    /// Where elements (or attributes) named `key` are allowed, the
    /// shortest paths first (enough of them to tell whether the current
    /// path is one; messages show the first few): a walk of the whole
    /// grammar, done once per name and kept for the validator's life (the
    /// grammar does not change).
    fn placements(&mut self, kind: Placement, key: NameKey) -> Vec<String> {
        if let Some(paths) = self.placements.get(&(kind, key)) {
            return paths.clone();
        }
        let paths = match kind {
            Placement::ElementIn => expect::allowed_parents(&self.deriver, key, PLACEMENTS_KEPT),
            Placement::AttributeOn => expect::attribute_owners(&self.deriver, key, PLACEMENTS_KEPT),
        };
        self.placements.insert((kind, key), paths.clone());
        paths
    }

    /// The path of the open elements (`/domain/devices`), names spelt as
    /// the grammar's paths spell them (`{uri}local`), to compare with those.
    fn current_path(&self) -> String {
        let names = &self.deriver.grammar.names;
        let mut path = String::new();
        for frame in &self.frames {
            path.push('/');
            match frame.key {
                NameKey::Known(id) => path.push_str(&names.display_name(id)),
                _ => path.push_str(self.names.get(frame.name.clone()).unwrap_or("")),
            }
        }
        path
    }

    /// Where an earlier sibling named `key` starts, when one does and the
    /// name cannot come now (so the element is a repetition).
    fn earlier_sibling(&self, key: NameKey, expected: &[String]) -> Option<usize> {
        let NameKey::Known(id) = key else {
            return None;
        };
        let parent = self.frames.last()?;
        if expected.contains(&self.deriver.grammar.names.display_name(id)) {
            return None;
        }
        self.children[parent.children_base..]
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, start)| *start)
    }

    #[inline]
    fn push_frame(
        &mut self,
        qname: &str,
        span: Range<usize>,
        before: PatternId,
        key: NameKey,
        skipped: bool,
    ) {
        let children_base = self.children.len();
        let base = self.frames.last().map_or(0, |f| f.name.end);
        self.names.truncate(base);
        self.names.push_str(qname);
        self.pending_space.clear();
        if let Some(recorder) = &mut self.coverage {
            recorder.open();
        }
        self.frames.push(Frame {
            name: base..self.names.len(),
            span,
            before,
            key,
            has_child_element: false,
            had_text: false,
            skipped,
            children_base,
            content_error: None,
            resume: None,
            rest: None,
        });
    }

    /// One attribute of the current start tag.
    pub(crate) fn attribute(&mut self, attr: events::AttributeEvent<'_>, ctx: &dyn Context) {
        let events::AttributeEvent {
            ns,
            local,
            qname,
            value,
            span,
        } = attr;
        if self.in_skipped() || self.silenced() {
            return;
        }
        if let Some(recorder) = &mut self.coverage {
            recorder.attribute(ns, local, value);
        }
        let ctx = &DocumentContext {
            namespaces: ctx,
            unparsed_entities: &self.unparsed_entities,
        };
        let cached = self
            .deriver
            .cached_attribute(self.pattern, ns, local, value);
        if let (Some(ended), true) = (cached, self.deriver.grammar.id_types.is_empty()) {
            self.pattern = ended;
            return;
        }
        let key = self.deriver.grammar.names.key(ns, local);
        let tag_end = self
            .frames
            .last()
            .map(|f| tag_end(&f.span))
            .unwrap_or(span.start);
        let (started, ended) = self
            .deriver
            .attribute(self.pattern, (ns, local, key), value, ctx);
        if started == PatternArena::NOT_ALLOWED {
            let possible = expect::possible_attributes(&self.deriver, self.pattern);
            let element = self
                .frames
                .last()
                .and_then(|f| self.names.get(f.name.clone()))
                .unwrap_or("");
            let hint = expect::closest_name(qname, &possible).map(str::to_string);
            // Where else it goes, when nothing more goes here (for common
            // names such as "type" the list of elsewhere would be noise).
            let elsewhere = possible.is_empty();
            let mut error =
                DocError::unexpected_attribute(qname, element, possible, span).reported_at(tag_end);
            if let Some(name) = hint {
                error = error.did_you_mean(&name);
            } else if let (NameKey::Known(_), true) = (key, elsewhere) {
                let owners = self.placements(Placement::AttributeOn, key);
                if !owners.is_empty() && !owners.contains(&self.current_path()) {
                    error = error.belongs_on(qname, &owners[..owners.len().min(PLACEMENTS_SHOWN)]);
                }
            }
            self.report(error);
            return;
        }
        if ended != PatternArena::NOT_ALLOWED {
            self.pattern = ended;
            self.track_id(key, value, &span, tag_end);
            return;
        }
        let problem = expect::value_problem(&self.deriver, started, value, ctx);
        let mut error =
            DocError::invalid_attribute_value(qname, value, &problem, span).reported_at(tag_end);
        error = error.did_you_mean_one_of(&expect::closest_values(value, &problem.literals));
        self.report(error);
        self.pattern = self.deriver.skip_to_continuation(started);
    }

    /// DTD compatibility: remembers IDs and references of a valid attribute.
    fn track_id(&mut self, attribute: NameKey, value: &str, span: &Range<usize>, at: usize) {
        let grammar = self.deriver.grammar;
        if grammar.id_types.is_empty() {
            return;
        }
        let (Some(frame), NameKey::Known(a)) = (self.frames.last(), attribute) else {
            return;
        };
        let NameKey::Known(e) = frame.key else {
            return;
        };
        if let Some(&kind) = grammar.id_types.get(&(e, a)) {
            if let Some(error) = self.ids.record(kind, value, span, at) {
                self.report(error);
            }
        }
    }

    /// The end of the current start tag (`>` or `/>`).
    pub(crate) fn start_tag_close(&mut self) {
        if self.in_skipped() || self.silenced() {
            return;
        }
        let closed = self.deriver.start_tag_close(self.pattern);
        if closed != PatternArena::NOT_ALLOWED {
            self.pattern = closed;
            return;
        }
        let missing = expect::missing_attributes(&mut self.deriver, self.pattern);
        if let Some(frame) = self.frames.last() {
            let qname = self.names.get(frame.name.clone()).unwrap_or("");
            let error = DocError::missing_attribute(qname, missing, frame.span.clone())
                .reported_at(tag_end(&frame.span));
            self.report(error);
        }
        self.pattern = self.deriver.start_tag_close_recover(self.pattern);
    }

    /// A run of character data (adjacent text and CDATA merged, comments
    /// and processing instructions removed), with its range and the
    /// namespace context of its element.
    pub(crate) fn text(&mut self, text: &str, span: Range<usize>, ctx: &dyn Context) {
        if self.in_skipped() {
            return;
        }
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let whitespace = is_whitespace(text);
        if let Some(recorder) = &mut self.coverage {
            recorder.text(text, whitespace);
        }
        if whitespace {
            // §6.2.7/Clark: whitespace between elements is stripped; only a
            // lone whitespace child counts, and that is settled at the end tag.
            if !frame.has_child_element && !frame.had_text {
                self.pending_space.push_str(text);
            }
            return;
        }
        frame.had_text = true;
        self.pending_space.clear();
        if self.silenced() {
            return;
        }
        let ctx = &DocumentContext {
            namespaces: ctx,
            unparsed_entities: &self.unparsed_entities,
        };
        let next = self.deriver.text(self.pattern, text, ctx);
        if next != PatternArena::NOT_ALLOWED {
            self.pattern = next;
            return;
        }
        // Report text where its first non-space character is, as jing does.
        // Point at the text itself, not the whitespace around it (the
        // offsets are exact when the text has no entity references).
        let leading = text.len() - text.trim_start_matches(is_xml_space).len();
        let trailing = text.len() - text.trim_end_matches(is_xml_space).len();
        let first_char = (span.start + leading).min(span.end);
        let span = first_char..span.end.saturating_sub(trailing).max(first_char);
        if expect::expects_text(&self.deriver, self.pattern) {
            let problem = expect::value_problem(&self.deriver, self.pattern, text, ctx);
            let element = self
                .frames
                .last()
                .and_then(|f| self.names.get(f.name.clone()))
                .unwrap_or("");
            let mut error = DocError::invalid_text(element, text, &problem, span);
            error = error.did_you_mean_one_of(&expect::closest_values(text, &problem.literals));
            if self.errors.len() < self.max_errors {
                if let Some(frame) = self.frames.last_mut() {
                    frame.content_error = Some(self.errors.len());
                }
            }
            self.report(error);
        } else {
            self.report(DocError::text_not_allowed(span).reported_at(first_char));
        }
    }

    /// The end of the current element; `span` is its end tag (or the
    /// empty-element tag).
    pub(crate) fn end_tag(&mut self, span: Range<usize>) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if let Some(recorder) = &mut self.coverage {
            recorder.close(&mut self.deriver);
        }
        self.children.truncate(frame.children_base);
        if frame.resume.is_some() {
            self.recovering -= 1;
        }
        if let Some(error) = frame.content_error.and_then(|i| self.errors.get_mut(i)) {
            error.at = span.end;
        }
        if frame.skipped {
            if !self.in_skipped() {
                // The element that was not allowed: carry on as before it.
                self.pattern = frame.before;
            }
            return;
        }
        // An element with no content at all: its end depends on the pattern
        // only, so it is one lookup once seen (the common empty element).
        let empty = !frame.has_child_element && !frame.had_text && self.pending_space.is_empty();
        let before_end = self.pattern;
        if empty {
            if let Some(ended) = self.deriver.cached_empty_end(before_end) {
                self.pattern = Self::continue_after(&frame, ended);
                return;
            }
        }
        if !frame.has_child_element && !frame.had_text {
            // Clark: an element whose only content is empty or whitespace
            // has one text child, which may match or be ignored.
            let with_text = self
                .deriver
                .text(self.pattern, &self.pending_space, &NoContext);
            if !self.silenced() {
                self.pattern = self.deriver.arena.choice(self.pattern, with_text);
            }
        }
        if self.silenced() {
            self.pattern = self.recover_past(&frame);
            return;
        }
        let ended = self.deriver.end_tag(self.pattern);
        if ended == PatternArena::NOT_ALLOWED && frame.content_error.is_some() {
            // The content was already reported as invalid; that it is now
            // incomplete is the same problem.
            self.pattern = self.recover_past(&frame);
            return;
        }
        if ended != PatternArena::NOT_ALLOWED {
            if empty {
                self.deriver.remember_empty_end(before_end, ended);
            }
            self.pattern = Self::continue_after(&frame, ended);
            return;
        }
        let expected = expect::startable_elements(&self.deriver, self.pattern);
        let wants_text = expect::expects_text(&self.deriver, self.pattern);
        let required = expect::required_elements(&self.deriver, self.pattern);
        let at = if span.is_empty() {
            frame.span.clone()
        } else {
            span
        };
        let reported = at.end;
        let name = self.names.get(frame.name.clone()).unwrap_or("");
        let no_content = !frame.has_child_element && !frame.had_text;
        let error = if no_content && wants_text && required.is_empty() && expected.is_empty() {
            // Empty where a value is needed: say what the value must be.
            let problem =
                expect::value_problem(&self.deriver, self.pattern, &self.pending_space, &NoContext);
            DocError::empty_content(name, &problem, at)
        } else {
            DocError::incomplete_element(name, required, expected, wants_text, at)
        };
        self.report(error.reported_at(reported));
        let recovered = self.deriver.skip_to_continuation(self.pattern);
        self.pattern = if recovered == PatternArena::NOT_ALLOWED {
            self.recover_past(&frame)
        } else {
            Self::continue_after(&frame, recovered)
        };
    }

    /// The pattern after `frame`'s element, as if it had been valid.
    fn recover_past(&mut self, frame: &Frame) -> PatternId {
        if let Some(resume) = frame.resume {
            return resume;
        }
        let opened = self.deriver.start_tag_open(frame.before, frame.key);
        let closed = self.deriver.start_tag_close_recover(opened);
        self.deriver.skip_to_continuation(closed)
    }

    /// The errors recorded so far in this document (the streaming feeder
    /// gives each its line and column while it still can).
    pub(crate) fn recorded_mut(&mut self) -> &mut [DocError] {
        &mut self.errors
    }

    /// Ends the document; returns its errors (empty when valid).
    pub(crate) fn finish(&mut self) -> Vec<DocError> {
        for error in self.ids.unresolved() {
            self.report(error);
        }
        let mut errors = std::mem::take(&mut self.errors);
        // Reference errors are found at the end; report in document order.
        errors.sort_by_key(|e| e.at);
        errors
    }
}

/// Where a streaming parser has read a start tag to: just past its `>`
/// (jing and xmllint report start-tag problems there).
fn tag_end(span: &Range<usize>) -> usize {
    span.end.max(span.start)
}

#[cfg(test)]
mod tests;
