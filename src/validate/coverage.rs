//! Counting which schema patterns a document matched (see
//! [`crate::coverage`] for what counts and how shared patterns share hits).
//!
//! The validator hands the recorder what each element had (the element
//! patterns its start tag matched, its attributes, its text, the element
//! patterns of its children); when the element ends, its content pattern
//! is walked once against that and every pattern something fitted is
//! counted for the document. [`Recorder::commit`] then adds the document's
//! counts to the valid or the invalid side of [`Hits`].
//!
//! Documents repeat the same elements over and over (libvirt's thousands of
//! `<address type='pci' .../>`), so a walk's result is remembered by the
//! element's *shape* (element pattern, attributes, children's element
//! patterns, text) and replayed when the shape comes again. Per-element
//! data lives in flat buffers (no allocation per element).

use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Range;

use hashbrown::HashTable;

use crate::coverage::Hits;
use crate::datatype::NoContext;
use crate::derive::Deriver;
use crate::pattern::{ElementId, IdMap, NameBits, NameKey, Pattern, PatternArena, PatternId};
use crate::xml::is_whitespace;

/// Walks remembered, at most (then the memo starts afresh).
const MEMO_MAX: usize = 100_000;

/// An open element: where its candidate element patterns, attributes,
/// children and text start in the shared buffers.
struct Open {
    candidates: Range<usize>,
    /// Its name's key (none for an element the schema did not allow).
    key: NameKey,
    child_keys: usize,
    attributes: usize,
    values: usize,
    children: usize,
    text: usize,
}

/// What one element had, as the walk sees it: attribute names with the
/// range of their value in `values`.
#[derive(Clone, Copy)]
struct Had<'a> {
    attributes: &'a [(NameKey, Range<usize>)],
    values: &'a str,
    children: &'a [ElementId],
    /// The children's name keys (for skipping what cannot fit).
    child_keys: &'a [NameKey],
    text: &'a str,
}

/// What a pattern holds anywhere inside it (not inside its elements):
/// filters of its element and attribute names, and whether it has a text
/// pattern. (The arena's own filters are of what a pattern can take
/// *first*, for derivatives: a group's second part is not in them.)
#[derive(Clone, Copy, Default)]
struct Holds {
    elements: NameBits,
    attributes: NameBits,
    text: bool,
}

impl Holds {
    fn union(self, other: Holds) -> Holds {
        Holds {
            elements: self.elements.union(other.elements),
            attributes: self.attributes.union(other.attributes),
            text: self.text || other.text,
        }
    }

    /// Every schema pattern's, children before parents (ids grow as
    /// patterns are interned, so a pattern's parts come first).
    fn table(grammar: &crate::pattern::CompiledGrammar) -> Vec<Holds> {
        let mut table: Vec<Holds> = Vec::with_capacity(grammar.arena.len());
        for id in grammar.arena.ids() {
            let at = |q: PatternId, table: &[Holds]| {
                table.get(q.index() as usize).copied().unwrap_or(Holds {
                    elements: NameBits::ALL,
                    attributes: NameBits::ALL,
                    text: true,
                })
            };
            let holds = match grammar.arena.get(id) {
                Pattern::Element(e) => Holds {
                    elements: grammar.names.bits(grammar.element(e).name),
                    ..Holds::default()
                },
                Pattern::Attribute(nc, _) => Holds {
                    attributes: grammar.names.bits(nc),
                    ..Holds::default()
                },
                Pattern::Text
                | Pattern::Data(_)
                | Pattern::DataExcept(..)
                | Pattern::Value(_)
                | Pattern::List(_) => Holds {
                    text: true,
                    ..Holds::default()
                },
                Pattern::Choice(a, b)
                | Pattern::Group(a, b)
                | Pattern::Interleave(a, b)
                | Pattern::After(a, b) => at(a, &table).union(at(b, &table)),
                Pattern::OneOrMore(a) => at(a, &table),
                Pattern::NotAllowed | Pattern::Empty => Holds::default(),
            };
            table.push(holds);
        }
        table
    }
}

impl Had<'_> {
    /// Whether anything the element had could fit a pattern that `holds`
    /// so (a quick test that skips most of a large content model; never
    /// false when something fits).
    fn may_fit(&self, holds: Holds) -> bool {
        (holds.text && (self.children.is_empty() || !self.text.is_empty()))
            || self
                .child_keys
                .iter()
                .any(|&k| holds.elements.may_contain(k))
            || self
                .attributes
                .iter()
                .any(|(k, _)| holds.attributes.may_contain(*k))
    }

    fn attribute_values(&self) -> impl Iterator<Item = (NameKey, &str)> {
        self.attributes
            .iter()
            .map(|(key, range)| (*key, self.values.get(range.clone()).unwrap_or_default()))
    }

    fn hash_with(&self, element: ElementId, state: &mut impl Hasher) {
        element.hash(state);
        for (key, value) in self.attribute_values() {
            key.hash(state);
            value.hash(state);
        }
        self.children.hash(state);
        self.text.hash(state);
    }

    fn same_as(&self, element: ElementId, shape: &Shape) -> bool {
        element == shape.element
            && self.children == shape.children.as_slice()
            && self.text == shape.text
            && self.attributes.len() == shape.attributes.len()
            && self
                .attribute_values()
                .zip(&shape.attributes)
                .all(|((k, v), (sk, sv))| k == *sk && v == sv)
    }
}

/// A walk remembered: the element's shape and the patterns it counted.
struct Shape {
    hash: u64,
    element: ElementId,
    attributes: Vec<(NameKey, String)>,
    children: Vec<ElementId>,
    text: String,
    counted: Vec<PatternId>,
}

/// Per-document pattern counts of one validator.
pub struct Recorder {
    /// The `Element` pattern of each element id.
    element_patterns: Vec<PatternId>,
    /// What each schema pattern holds, for skipping.
    holds: Vec<Holds>,
    /// The element ids with a given content pattern.
    by_content: IdMap<PatternId, Vec<ElementId>>,
    open: Vec<Open>,
    candidates: Vec<ElementId>,
    child_keys: Vec<NameKey>,
    attributes: Vec<(NameKey, Range<usize>)>,
    values: String,
    children: Vec<ElementId>,
    text: String,
    /// Walks by shape, and the patterns the current walk counted.
    memo: HashTable<Shape>,
    hasher: foldhash::fast::RandomState,
    counted: Vec<PatternId>,
    /// Whether `count` also notes into `counted` (a walk being remembered).
    remembering: bool,
    /// This document's counts, by pattern, and which are non-zero.
    document: Vec<u32>,
    touched: Vec<PatternId>,
    /// The walk's memo: the walk that last visited each pattern, and
    /// whether something fitted it then (a pattern shared inside one
    /// content model is counted once per element).
    visited: Vec<u32>,
    fitted: Vec<bool>,
    walk: u32,
    /// Counts over the documents committed so far.
    hits: Hits,
}

impl Recorder {
    /// A recorder for the grammar `deriver` validates against.
    pub fn new(deriver: &Deriver) -> Recorder {
        let grammar = deriver.grammar;
        let size = grammar.arena.len();
        let mut element_patterns = vec![PatternArena::NOT_ALLOWED; grammar.elements.len()];
        for id in grammar.arena.ids() {
            if let Pattern::Element(e) = grammar.arena.get(id) {
                if let Some(slot) = element_patterns.get_mut(e.0 as usize) {
                    *slot = id;
                }
            }
        }
        let mut by_content: IdMap<PatternId, Vec<ElementId>> = IdMap::default();
        for (i, def) in grammar.elements.iter().enumerate() {
            by_content
                .entry(def.content)
                .or_default()
                .push(ElementId(i as u32));
        }
        Recorder {
            holds: Holds::table(grammar),
            element_patterns,
            by_content,
            open: Vec::new(),
            candidates: Vec::new(),
            child_keys: Vec::new(),
            attributes: Vec::new(),
            values: String::new(),
            children: Vec::new(),
            text: String::new(),
            memo: HashTable::new(),
            hasher: foldhash::fast::RandomState::default(),
            counted: Vec::new(),
            remembering: false,
            document: vec![0; size],
            touched: Vec::new(),
            visited: vec![0; size],
            fitted: vec![false; size],
            walk: 0,
            hits: Hits {
                valid: vec![0; size],
                invalid: vec![0; size],
            },
        }
    }

    /// Forgets the document in progress.
    pub fn reset(&mut self) {
        self.open.clear();
        self.candidates.clear();
        self.child_keys.clear();
        self.attributes.clear();
        self.values.clear();
        self.children.clear();
        self.text.clear();
        for p in self.touched.drain(..) {
            self.document[p.index() as usize] = 0;
        }
    }

    /// An element starts (its element patterns are set by [`Recorder::matched`]).
    pub fn open(&mut self) {
        let at = self.candidates.len();
        self.open.push(Open {
            candidates: at..at,
            key: NameKey::Other,
            child_keys: self.child_keys.len(),
            attributes: self.attributes.len(),
            values: self.values.len(),
            children: self.children.len(),
            text: self.text.len(),
        });
    }

    /// The open element's start tag, with name `key`, took the validator
    /// to `inner`: the element patterns whose content it is in.
    pub fn matched(&mut self, deriver: &Deriver, inner: PatternId, key: NameKey) {
        let Some(start) = self.open.last().map(|o| o.candidates.start) else {
            return;
        };
        let mut found = std::mem::take(&mut self.candidates);
        found.truncate(start);
        match deriver.arena.get(inner) {
            // The common case: one element pattern matched.
            Pattern::After(content, _) => {
                self.elements_of(deriver, content, key, &mut found, start)
            }
            _ => {
                let mut stack = vec![inner];
                while let Some(p) = stack.pop() {
                    match deriver.arena.get(p) {
                        Pattern::After(content, _) => {
                            self.elements_of(deriver, content, key, &mut found, start)
                        }
                        Pattern::Choice(a, b) => stack.extend([a, b]),
                        _ => {}
                    }
                }
            }
        }
        if let Some(open) = self.open.last_mut() {
            open.candidates = start..found.len();
            open.key = key;
        }
        self.candidates = found;
    }

    /// Adds to `found[start..]` the element patterns named `key` whose
    /// content `content` is (or, for a choice of contents, is one of), each
    /// once.
    fn elements_of(
        &self,
        deriver: &Deriver,
        content: PatternId,
        key: NameKey,
        found: &mut Vec<ElementId>,
        start: usize,
    ) {
        let grammar = deriver.grammar;
        let add = |elements: &[ElementId], found: &mut Vec<ElementId>| {
            for &e in elements {
                let named = grammar.names.contains(grammar.element(e).name, key);
                if named && !found[start..].contains(&e) {
                    found.push(e);
                }
            }
        };
        if let Some(elements) = self.by_content.get(&content) {
            add(elements, found);
            return;
        }
        let mut stack = vec![content];
        while let Some(c) = stack.pop() {
            if let Some(elements) = self.by_content.get(&c) {
                add(elements, found);
            } else if let Pattern::Choice(a, b) = deriver.arena.get(c) {
                stack.extend([a, b]);
            }
        }
    }

    /// An attribute of the open element.
    pub fn attribute(&mut self, key: NameKey, value: &str) {
        let start = self.values.len();
        self.values.push_str(value);
        self.attributes.push((key, start..self.values.len()));
    }

    /// Character data of the open element.
    pub fn text(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// The open element ends: counts its element patterns and what of
    /// their content it matched; the root also matches the start pattern.
    pub fn close(&mut self, deriver: &mut Deriver) {
        let Some(open) = self.open.pop() else {
            return;
        };
        let candidates = std::mem::take(&mut self.candidates);
        let child_keys = std::mem::take(&mut self.child_keys);
        let attributes = std::mem::take(&mut self.attributes);
        let values = std::mem::take(&mut self.values);
        let children = std::mem::take(&mut self.children);
        let text = std::mem::take(&mut self.text);
        let elements = candidates.get(open.candidates.clone()).unwrap_or_default();
        let children_had = children.get(open.children..).unwrap_or_default();
        let text_had = text.get(open.text..).unwrap_or_default();
        let had = Had {
            attributes: attributes.get(open.attributes..).unwrap_or_default(),
            values: &values,
            children: children_had,
            child_keys: child_keys.get(open.child_keys..).unwrap_or_default(),
            // Whitespace between child elements matches nothing.
            text: if !children_had.is_empty() && is_whitespace(text_had) {
                ""
            } else {
                text_had
            },
        };
        for &e in elements {
            let pattern = self.element_patterns[e.0 as usize];
            self.count(pattern);
            self.walk_element(deriver, e, had);
        }
        if self.open.is_empty() {
            let root = Had {
                attributes: &[],
                values: "",
                children: elements,
                child_keys: std::slice::from_ref(&open.key),
                text: "",
            };
            self.next_walk();
            self.fits(deriver, deriver.grammar.start, &root);
        }
        let kept = elements.len();
        self.candidates = candidates;
        self.child_keys = child_keys;
        self.child_keys.truncate(open.child_keys);
        self.child_keys.push(open.key);
        self.attributes = attributes;
        self.values = values;
        self.children = children;
        self.text = text;
        self.attributes.truncate(open.attributes);
        self.values.truncate(open.values);
        self.children.truncate(open.children);
        self.text.truncate(open.text);
        let candidates = open.candidates.start..open.candidates.start + kept;
        self.children
            .extend_from_slice(&self.candidates[candidates]);
        self.candidates.truncate(open.candidates.start);
    }

    /// Counts what of element `e`'s content `had` matched: replayed from
    /// the memo when an element of the same shape was walked before.
    fn walk_element(&mut self, deriver: &mut Deriver, e: ElementId, had: Had) {
        let mut state = self.hasher.build_hasher();
        had.hash_with(e, &mut state);
        let hash = state.finish();
        if let Some(shape) = self
            .memo
            .find(hash, |shape| shape.hash == hash && had.same_as(e, shape))
        {
            let counted = shape.counted.clone();
            for p in counted {
                self.count(p);
            }
            return;
        }
        self.next_walk();
        self.counted.clear();
        self.remembering = true;
        self.fits(deriver, deriver.grammar.element(e).content, &had);
        self.remembering = false;
        if self.memo.len() >= MEMO_MAX {
            self.memo.clear();
        }
        let shape = Shape {
            hash,
            element: e,
            attributes: had
                .attribute_values()
                .map(|(k, v)| (k, v.to_string()))
                .collect(),
            children: had.children.to_vec(),
            text: had.text.to_string(),
            counted: std::mem::take(&mut self.counted),
        };
        self.memo.insert_unique(hash, shape, |s| s.hash);
    }

    /// Adds the document's counts to the valid side (`counts`) or the
    /// invalid one, and starts afresh.
    pub fn commit(&mut self, counts: bool) {
        let side = if counts {
            &mut self.hits.valid
        } else {
            &mut self.hits.invalid
        };
        for &p in &self.touched {
            let i = p.index() as usize;
            side[i] += u64::from(self.document[i]);
        }
        self.reset();
    }

    /// Counts over the documents committed so far.
    pub fn hits(&self) -> &Hits {
        &self.hits
    }

    fn count(&mut self, p: PatternId) {
        let Some(n) = self.document.get_mut(p.index() as usize) else {
            return;
        };
        if self.remembering {
            self.counted.push(p);
        }
        if *n == 0 {
            self.touched.push(p);
        }
        *n = n.saturating_add(1);
    }

    /// Whether something the element `had` fits `p` (a pattern of its
    /// content); counts each pattern that something fits, once per walk.
    fn fits(&mut self, deriver: &mut Deriver, p: PatternId, had: &Had) -> bool {
        let i = p.index() as usize;
        if i >= self.visited.len() {
            return false;
        }
        if self.visited[i] == self.walk {
            return self.fitted[i];
        }
        self.visited[i] = self.walk;
        self.fitted[i] = false;
        if !had.may_fit(self.holds[i]) {
            return false;
        }
        let fitted = match deriver.grammar.arena.get(p) {
            Pattern::NotAllowed | Pattern::Empty | Pattern::After(..) => false,
            Pattern::Text => !is_whitespace(had.text),
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                let first = self.fits(deriver, a, had);
                self.fits(deriver, b, had) || first
            }
            Pattern::OneOrMore(a) => self.fits(deriver, a, had),
            Pattern::Element(e) => had.children.contains(&e),
            Pattern::Attribute(nc, value) => {
                let mut any = false;
                for (key, text) in had.attribute_values() {
                    let named = deriver.grammar.names.contains(nc, key);
                    if named && value_matches(deriver, value, text) {
                        self.fits_value(deriver, value, &[text]);
                        any = true;
                    }
                }
                any
            }
            Pattern::Data(_) | Pattern::DataExcept(..) | Pattern::Value(_) | Pattern::List(_) => {
                had.children.is_empty() && self.fits_value(deriver, p, &[had.text])
            }
        };
        self.fitted[i] = fitted;
        // An element pattern was counted when the child ended.
        if fitted && !matches!(deriver.grammar.arena.get(p), Pattern::Element(_)) {
            self.count(p);
        }
        fitted
    }

    /// Starts a walk: a fresh memo generation.
    fn next_walk(&mut self) {
        self.walk = self.walk.wrapping_add(1);
        if self.walk == 0 {
            self.visited.fill(0);
            self.walk = 1;
        }
    }

    /// Whether one of `tokens` (an attribute's value, an element's text,
    /// or a list's tokens) fits `p`, a value pattern; counts those that do.
    fn fits_value(&mut self, deriver: &mut Deriver, p: PatternId, tokens: &[&str]) -> bool {
        let fitted = match deriver.grammar.arena.get(p) {
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                let first = self.fits_value(deriver, a, tokens);
                self.fits_value(deriver, b, tokens) || first
            }
            Pattern::OneOrMore(a) => self.fits_value(deriver, a, tokens),
            Pattern::List(a) => {
                let words: Vec<&str> = tokens
                    .iter()
                    .flat_map(|t| t.split_ascii_whitespace())
                    .collect();
                value_matches_any(deriver, p, tokens) && self.fits_value(deriver, a, &words)
            }
            Pattern::Data(_) | Pattern::DataExcept(..) | Pattern::Value(_) | Pattern::Text => {
                value_matches_any(deriver, p, tokens)
            }
            _ => false,
        };
        if fitted {
            self.count(p);
        }
        fitted
    }
}

fn value_matches_any(deriver: &mut Deriver, p: PatternId, tokens: &[&str]) -> bool {
    tokens.iter().any(|t| value_matches(deriver, p, t))
}

/// Whether the string `s` matches the value pattern `p` (Clark's
/// `valueMatch`). Namespace context is not kept for coverage: a QName
/// value with a prefix does not count.
fn value_matches(deriver: &mut Deriver, p: PatternId, s: &str) -> bool {
    if deriver.nullable(p) && is_whitespace(s) {
        return true;
    }
    let after = deriver.text(p, s, &NoContext);
    deriver.nullable(after)
}
