//! Counting which schema patterns a document matched (see
//! [`crate::coverage`] for what counts and how shared patterns share hits).
//!
//! The validator hands the recorder what each element had (the element
//! patterns its start tag matched, its attributes, its text, the element
//! patterns of its children); its content pattern is walked once against
//! that and every pattern something fitted is counted for the document. [`Recorder::commit`] then adds the document's
//! counts to the valid or the invalid side of [`Hits`].
//!
//! Documents repeat the same elements over and over (libvirt's thousands of
//! `<address type='pci' .../>`), so an element is counted by its *shape*
//! (element pattern, attributes as written, the set of its children's
//! element patterns, text): a shape is one byte string, hashed and compared
//! in one go, and its walk's result counts for every element of the shape.
//! A new shape is walked later, from its bytes ([`Recorder::walk_pending`]):
//! when the counts are asked for, or when the validator's thread would
//! otherwise wait. Recorders of one grammar on several threads first share
//! their shapes ([`share_walks`]), so that each is walked once, the walks
//! split among the threads. Attribute names are looked up in the schema's
//! name table only in walks.
//!
//! Most new shapes differ from earlier ones only in their values (the PCI
//! slot). A walk depends on the values only through the value checks it
//! makes, so each walk is also remembered by the element's *structure*
//! (the shape without values, see [`write_structure`]) with its checks and
//! their outcomes: an element of a new shape first runs the checks of its
//! structure's earlier walks, and counts what a walk counted whose checks
//! all come out the same (the same checks in the same order make the same
//! walk). Per-element data and the memo live in flat buffers (no
//! allocation per element or per shape).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;

use hashbrown::HashTable;

use crate::coverage::Hits;
use crate::datatype::NoContext;
use crate::derive::Deriver;
use crate::pattern::{
    CompiledGrammar, ElementId, IdMap, NameBits, NameClass, NameKey, Pattern, PatternArena,
    PatternId,
};
use crate::xml::is_whitespace;

/// Shapes remembered, at most (then the memo starts afresh).
const MEMO_MAX: usize = 100_000;
/// Bytes of remembered shapes, at most (long texts make long shapes).
const MEMO_BYTES_MAX: usize = 32 << 20;

/// An open element: where its candidate element patterns, attributes,
/// children and text start in the shared buffers.
struct Open {
    candidates: Range<usize>,
    strings: usize,
    children: usize,
    text: usize,
}

/// A state and name [`Recorder::matched`] saw lately, and its element
/// patterns (a range of `matched_elements`).
#[derive(Clone)]
struct RecentMatch {
    inner: PatternId,
    key: NameKey,
    elements: Range<usize>,
}

/// No recent match (no start tag leads to `notAllowed`).
const NO_MATCH: RecentMatch = RecentMatch {
    inner: PatternArena::NOT_ALLOWED,
    key: NameKey::Other,
    elements: 0..0,
};

/// Slots of `Recorder::recent_matches` (a power of two).
const RECENT_MATCHES: usize = 256;

/// An attribute as the document wrote it: where its namespace, local name
/// and value are in the recorder's `strings` (each followed by a NUL).
struct WrittenAttribute {
    ns: Range<usize>,
    local: Range<usize>,
    value: Range<usize>,
}

/// An element of a shape not walked yet, as its shape keeps it (see
/// [`read_shape`]), with one of the element patterns its start tag
/// matched (`e`): its attributes as written (and the strings they are in),
/// its children's element patterns (each once) and its text.
#[derive(Clone, Copy)]
struct Ended<'a> {
    e: ElementId,
    written: &'a [WrittenAttribute],
    strings: &'a str,
    children: &'a [ElementId],
    text: &'a str,
}

impl Ended<'_> {
    /// The string `tokens` are taken from.
    fn source(&self, tokens: Tokens) -> &str {
        source_text(self.written, self.strings, self.text, tokens)
    }
}

/// What one element had, as the walk sees it.
#[derive(Clone, Copy)]
struct Had<'a> {
    /// The attributes' names, in the order written.
    keys: &'a [NameKey],
    /// The attributes, in the same order, and the strings of their values.
    written: &'a [WrittenAttribute],
    strings: &'a str,
    children: &'a [ElementId],
    text: &'a str,
    /// Filters of the children's and the attributes' names (for skipping
    /// what cannot fit).
    element_bits: NameBits,
    attribute_bits: NameBits,
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
    fn table(grammar: &CompiledGrammar) -> Vec<Holds> {
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
            || holds.elements.intersects(self.element_bits)
            || holds.attributes.intersects(self.attribute_bits)
    }

    /// The string `tokens` are taken from.
    fn source(&self, tokens: Tokens) -> &str {
        source_text(self.written, self.strings, self.text, tokens)
    }
}

/// The string `tokens` are taken from: an attribute's value or the text.
fn source_text<'a>(
    written: &[WrittenAttribute],
    strings: &'a str,
    text: &'a str,
    tokens: Tokens,
) -> &'a str {
    if tokens.source == TEXT {
        return text;
    }
    written
        .get(tokens.source as usize)
        .and_then(|a| strings.get(a.value.clone()))
        .unwrap_or_default()
}

/// What a walk checks against a value pattern: an attribute's value (the
/// attribute's index among the element's, as written) or the element's
/// text ([`TEXT`]), whole or as a list's words.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Tokens {
    source: u32,
    words: bool,
}

/// [`Tokens::source`] for the element's text.
const TEXT: u32 = u32::MAX;

impl Check {
    /// Whether this is a check of the same pattern against the same tokens.
    fn same_as(&self, other: &Check) -> bool {
        self.pattern == other.pattern && self.tokens == other.tokens
    }
}

/// A check a walk made of a value pattern, and its outcome. A walk is a
/// function of the element's structure (see [`write_structure`]) and of
/// its checks' outcomes, in the order it made them: an element of a
/// structure walked before, whose checks come out as that walk's did, has
/// the patterns that walk counted.
#[derive(Clone, Copy)]
struct Check {
    pattern: PatternId,
    tokens: Tokens,
    fits: bool,
}

/// A walk remembered: where its shape is in `Memo::shapes`, the patterns
/// it counted in `Memo::counted`, and how many elements had the shape (in
/// the document in progress, in valid and in invalid documents): an
/// element of a known shape costs one increment; the shape's patterns get
/// their counts only when the memo is emptied or the hits are asked for.
struct Remembered {
    hash: u64,
    shape: Range<usize>,
    counted: Range<usize>,
    /// Whether `counted` is known (the shape was walked).
    walked: bool,
    document: u32,
    valid: u64,
    invalid: u64,
}

/// An element structure walked before: where its key is in
/// `Memo::structure_keys`, and its first walk variant.
struct Structure {
    hash: u64,
    key: Range<usize>,
    variants: u32,
    first: u32,
}

/// One walk of a structure: its checks (in `Memo::checks`), what it
/// counted (in `Memo::counted`), and the structure's next variant.
struct Variant {
    checks: Range<usize>,
    counted: Range<usize>,
    next: u32,
}

/// No variant.
const NO_VARIANT: u32 = u32::MAX;

/// Walks of one structure kept, at most (then new ones are walked each time).
const VARIANTS_MAX: u32 = 16;

/// Walks by shape and by structure (see the module doc).
#[derive(Default)]
struct Memo {
    /// Indexes into `remembered`, by hash.
    table: HashTable<u32>,
    remembered: Vec<Remembered>,
    hasher: foldhash::fast::RandomState,
    shapes: Vec<u8>,
    counted: Vec<PatternId>,
    /// The shapes the document in progress had.
    in_document: Vec<u32>,
    /// The shapes not walked yet (see [`Recorder::walk_pending`]), in the
    /// order they came.
    pending: Vec<u32>,
    /// Indexes into `structures`, by hash.
    structure_table: HashTable<u32>,
    structures: Vec<Structure>,
    structure_keys: Vec<u8>,
    variants: Vec<Variant>,
    checks: Vec<Check>,
}

impl Memo {
    /// The index of `shape`, if it was walked before.
    fn find(&self, hash: u64, shape: &[u8]) -> Option<u32> {
        self.table
            .find(hash, |&i| {
                let r = &self.remembered[i as usize];
                r.hash == hash && self.shapes.get(r.shape.clone()) == Some(shape)
            })
            .copied()
    }

    /// Whether the memo is full (then [`Recorder::flush`] empties it).
    fn full(&self) -> bool {
        self.remembered.len() >= MEMO_MAX
            || self.shapes.len() + self.structure_keys.len() >= MEMO_BYTES_MAX
            || self.checks.len() >= MEMO_MAX * 4
    }

    /// Remembers `shape`, to be walked; returns its index.
    fn insert(&mut self, hash: u64, shape: &[u8]) -> u32 {
        let start = self.shapes.len();
        self.shapes.extend_from_slice(shape);
        let index = self.remembered.len() as u32;
        self.remembered.push(Remembered {
            hash,
            shape: start..self.shapes.len(),
            counted: 0..0,
            walked: false,
            document: 0,
            valid: 0,
            invalid: 0,
        });
        self.pending.push(index);
        let remembered = &self.remembered;
        self.table
            .insert_unique(hash, index, |&i| remembered[i as usize].hash);
        index
    }

    /// The index of structure `key`, remembered now if it is new.
    fn structure(&mut self, hash: u64, key: &[u8]) -> u32 {
        let structures = &self.structures;
        let keys = &self.structure_keys;
        let found = self.structure_table.find(hash, |&i| {
            let s = &structures[i as usize];
            s.hash == hash && keys.get(s.key.clone()) == Some(key)
        });
        if let Some(&index) = found {
            return index;
        }
        let start = self.structure_keys.len();
        self.structure_keys.extend_from_slice(key);
        let index = self.structures.len() as u32;
        self.structures.push(Structure {
            hash,
            key: start..self.structure_keys.len(),
            variants: 0,
            first: NO_VARIANT,
        });
        let structures = &self.structures;
        self.structure_table
            .insert_unique(hash, index, |&i| structures[i as usize].hash);
        index
    }

    /// Remembers a walk of structure `index` that made `checks` and
    /// counted `counted` (unless the structure has enough variants).
    fn add_variant(&mut self, index: u32, checks: Range<usize>, counted: Range<usize>) {
        let Some(structure) = self.structures.get_mut(index as usize) else {
            return;
        };
        if structure.variants >= VARIANTS_MAX {
            return;
        }
        structure.variants += 1;
        let next = std::mem::replace(&mut structure.first, self.variants.len() as u32);
        self.variants.push(Variant {
            checks,
            counted,
            next,
        });
    }

    /// One more element of shape `index` in the document in progress.
    fn add(&mut self, index: u32) {
        let r = &mut self.remembered[index as usize];
        if r.document == 0 {
            self.in_document.push(index);
        }
        r.document = r.document.saturating_add(1);
    }

    /// Files the document's shape counts as valid or not.
    fn commit(&mut self, counts: bool) {
        for i in self.in_document.drain(..) {
            let r = &mut self.remembered[i as usize];
            let side = if counts { &mut r.valid } else { &mut r.invalid };
            *side += u64::from(r.document);
            r.document = 0;
        }
    }

    /// Forgets the counts committed so far (they were added to hits).
    fn forget_committed(&mut self) {
        for r in &mut self.remembered {
            (r.valid, r.invalid) = (0, 0);
        }
    }

    /// Forgets the document in progress.
    fn reset(&mut self) {
        for i in self.in_document.drain(..) {
            self.remembered[i as usize].document = 0;
        }
    }

    /// Adds each shape's committed counts to its patterns in `hits`.
    fn add_hits_to(&self, hits: &mut Hits) {
        for r in &self.remembered {
            for &p in self.counted.get(r.counted.clone()).unwrap_or_default() {
                let i = p.index() as usize;
                if let (Some(v), Some(n)) = (hits.valid.get_mut(i), hits.invalid.get_mut(i)) {
                    *v += r.valid;
                    *n += r.invalid;
                }
            }
        }
    }
}

/// Appends an element's shape to `out`: the element pattern, its
/// attributes as [`Recorder::attribute`] wrote them (every namespace, local
/// name and value ended by a NUL, which XML text cannot hold), the
/// children's element patterns and the text; lengths and counts are
/// written where a part could run into the next, so no two shapes give the
/// same bytes.
fn write_shape(
    out: &mut Vec<u8>,
    e: ElementId,
    attributes: &str,
    children: &[ElementId],
    text: &str,
) {
    out.reserve(12 + attributes.len() + 4 * children.len() + text.len());
    out.extend_from_slice(&e.0.to_le_bytes());
    out.extend_from_slice(&(attributes.len() as u32).to_le_bytes());
    out.extend_from_slice(attributes.as_bytes());
    out.extend_from_slice(&(children.len() as u32).to_le_bytes());
    for c in children {
        out.extend_from_slice(&c.0.to_le_bytes());
    }
    out.extend_from_slice(text.as_bytes());
}

/// The element a shape was written from (see [`write_shape`]); its
/// attributes and children go to `written` and `children`.
fn read_shape<'a>(
    shape: &'a [u8],
    written: &'a mut Vec<WrittenAttribute>,
    children: &'a mut Vec<ElementId>,
) -> Option<Ended<'a>> {
    let (e, rest) = read_u32(shape)?;
    let (length, rest) = read_u32(rest)?;
    let (attributes, rest) = rest.split_at_checked(length as usize)?;
    let (count, mut rest) = read_u32(rest)?;
    children.clear();
    for _ in 0..count {
        let (child, after) = read_u32(rest)?;
        children.push(ElementId(child));
        rest = after;
    }
    written.clear();
    let mut parts = attributes.split(|&b| b == 0);
    let mut at = 0;
    let mut next = |part: &[u8]| {
        let range = at..at + part.len();
        at = range.end + 1;
        range
    };
    while let (Some(ns), Some(local), Some(value)) = (parts.next(), parts.next(), parts.next()) {
        written.push(WrittenAttribute {
            ns: next(ns),
            local: next(local),
            value: next(value),
        });
    }
    Some(Ended {
        e: ElementId(e),
        written,
        strings: std::str::from_utf8(attributes).ok()?,
        children,
        text: std::str::from_utf8(rest).ok()?,
    })
}

/// A little-endian `u32` at the start of `bytes`, and the bytes after it.
fn read_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (word, rest) = bytes.split_first_chunk::<4>()?;
    Some((u32::from_le_bytes(*word), rest))
}

/// Appends an element's structure to `out`: its shape (see
/// [`write_shape`]) without the attributes' values, and with only whether
/// its text is more than white space; what a walk does with the values and
/// the text is in its [`Check`]s.
fn write_structure(out: &mut Vec<u8>, ended: &Ended) {
    let Ended {
        e,
        written,
        strings,
        children,
        text,
        ..
    } = *ended;
    out.extend_from_slice(&e.0.to_le_bytes());
    out.extend_from_slice(&(written.len() as u32).to_le_bytes());
    for a in written {
        for part in [&a.ns, &a.local] {
            out.extend_from_slice(strings.get(part.clone()).unwrap_or_default().as_bytes());
            out.push(0);
        }
    }
    out.extend_from_slice(&(children.len() as u32).to_le_bytes());
    for c in children {
        out.extend_from_slice(&c.0.to_le_bytes());
    }
    // Walks tell text apart only from white space (or nothing).
    out.push(u8::from(!is_whitespace(text)));
}

/// Per-document pattern counts of one validator.
pub struct Recorder {
    /// The `Element` pattern of each element id.
    element_patterns: Vec<PatternId>,
    /// What each schema pattern holds, for skipping.
    holds: Vec<Holds>,
    /// The element ids with a given content pattern and name (a name
    /// class that is one name), and those with a given content and any
    /// other name class (whose names are tested).
    by_content_and_name: IdMap<(PatternId, NameKey), Vec<ElementId>>,
    by_content: IdMap<PatternId, Vec<ElementId>>,
    open: Vec<Open>,
    candidates: Vec<ElementId>,
    /// What [`Recorder::matched`] found before, by state and name: ranges
    /// of `matched_elements`; the latest few also in `recent_matches`, by
    /// the state's id (an element's state is the same wherever it starts,
    /// and the table's lookups missed the cache).
    matched_before: IdMap<(PatternId, NameKey), Range<usize>>,
    matched_elements: Vec<ElementId>,
    recent_matches: Vec<RecentMatch>,
    /// The open elements' attribute namespaces, names and values.
    strings: String,
    children: Vec<ElementId>,
    text: String,
    /// Scratch: a shape's bytes, a structure's, and the attributes' keys.
    shape: Vec<u8>,
    structure: Vec<u8>,
    /// Scratch: the closing element's children's element patterns, each
    /// once (and a pending shape's children).
    kinds: Vec<ElementId>,
    keys: Vec<NameKey>,
    /// Scratch: a pending shape's attributes.
    pending_written: Vec<WrittenAttribute>,
    /// The checks the walk (or the replay of a structure's walks) made.
    checked: Vec<Check>,
    memo: Memo,
    /// Whether `count` also notes into the memo (a walk being remembered).
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
        let mut by_content_and_name: IdMap<(PatternId, NameKey), Vec<ElementId>> = IdMap::default();
        let mut by_content: IdMap<PatternId, Vec<ElementId>> = IdMap::default();
        for (i, def) in grammar.elements.iter().enumerate() {
            let e = ElementId(i as u32);
            match grammar.names.get(def.name) {
                NameClass::Name(name) => by_content_and_name
                    .entry((def.content, NameKey::Known(name)))
                    .or_default()
                    .push(e),
                _ => by_content.entry(def.content).or_default().push(e),
            }
        }
        Recorder {
            holds: Holds::table(grammar),
            element_patterns,
            by_content_and_name,
            by_content,
            open: Vec::new(),
            candidates: Vec::new(),
            matched_before: IdMap::default(),
            matched_elements: Vec::new(),
            recent_matches: vec![NO_MATCH; RECENT_MATCHES],
            strings: String::new(),
            children: Vec::new(),
            text: String::new(),
            shape: Vec::new(),
            structure: Vec::new(),
            kinds: Vec::new(),
            keys: Vec::new(),
            pending_written: Vec::new(),
            checked: Vec::new(),
            memo: Memo::default(),
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
        self.strings.clear();
        self.children.clear();
        self.text.clear();
        self.memo.reset();
        for p in self.touched.drain(..) {
            self.document[p.index() as usize] = 0;
        }
    }

    /// An element starts (its element patterns are set by [`Recorder::matched`]).
    pub fn open(&mut self) {
        let at = self.candidates.len();
        self.open.push(Open {
            candidates: at..at,
            strings: self.strings.len(),
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
        let slot = inner.index() as usize % RECENT_MATCHES;
        let recent = &self.recent_matches[slot];
        if recent.inner == inner && recent.key == key {
            found.extend_from_slice(&self.matched_elements[recent.elements.clone()]);
        } else {
            let elements = match self.matched_before.get(&(inner, key)) {
                Some(range) => {
                    found.extend_from_slice(&self.matched_elements[range.clone()]);
                    range.clone()
                }
                None => {
                    self.find_matched(deriver, inner, key, &mut found, start);
                    self.remember_matched(inner, key, &found[start..])
                }
            };
            self.recent_matches[slot] = RecentMatch {
                inner,
                key,
                elements,
            };
        }
        if let Some(open) = self.open.last_mut() {
            open.candidates = start..found.len();
        }
        self.candidates = found;
    }

    /// Remembers that a start tag named `key` that took the validator to
    /// `inner` matched `elements` (the same state and name match the same
    /// element patterns every time).
    fn remember_matched(
        &mut self,
        inner: PatternId,
        key: NameKey,
        elements: &[ElementId],
    ) -> Range<usize> {
        if self.matched_before.len() >= MEMO_MAX {
            self.forget_matched();
        }
        let at = self.matched_elements.len();
        self.matched_elements.extend_from_slice(elements);
        let range = at..self.matched_elements.len();
        self.matched_before.insert((inner, key), range.clone());
        range
    }

    /// Forgets what [`Recorder::matched`] found: when its table is full,
    /// and when the deriver started afresh (its own patterns' ids, the
    /// states here, mean others now).
    pub fn forget_matched(&mut self) {
        self.matched_before.clear();
        self.matched_elements.clear();
        self.recent_matches.fill(NO_MATCH);
    }

    /// Adds to `found[start..]` the element patterns whose content a start
    /// tag named `key` took the validator to (`inner`).
    fn find_matched(
        &self,
        deriver: &Deriver,
        inner: PatternId,
        key: NameKey,
        found: &mut Vec<ElementId>,
        start: usize,
    ) {
        match deriver.arena.get(inner) {
            // The common case: one element pattern matched.
            Pattern::After(content, _) => self.elements_of(deriver, content, key, found, start),
            _ => {
                let mut stack = vec![inner];
                while let Some(p) = stack.pop() {
                    match deriver.arena.get(p) {
                        Pattern::After(content, _) => {
                            self.elements_of(deriver, content, key, found, start)
                        }
                        Pattern::Choice(a, b) => stack.extend([a, b]),
                        _ => {}
                    }
                }
            }
        }
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
        let add = |c: PatternId, found: &mut Vec<ElementId>| {
            let named = self.by_content_and_name.get(&(c, key));
            let others = self.by_content.get(&c).into_iter().flatten();
            let others = others.filter(|&&e| grammar.names.contains(grammar.element(e).name, key));
            let mut any = false;
            for &e in named.into_iter().flatten().chain(others) {
                any = true;
                if !found[start..].contains(&e) {
                    found.push(e);
                }
            }
            any
        };
        if add(content, found) {
            return;
        }
        let mut stack = vec![content];
        while let Some(c) = stack.pop() {
            if !add(c, found) {
                if let Pattern::Choice(a, b) = deriver.arena.get(c) {
                    stack.extend([a, b]);
                }
            }
        }
    }

    /// An attribute of the open element, as written (its name is looked up
    /// only if the element's shape is new).
    pub fn attribute(&mut self, ns: &str, local: &str, value: &str) {
        let strings = &mut self.strings;
        strings.reserve(ns.len() + local.len() + value.len() + 3);
        for part in [ns, local, value] {
            strings.push_str(part);
            strings.push('\0');
        }
    }

    /// Character data of the open element (`whitespace`: nothing else).
    pub fn text(&mut self, text: &str, whitespace: bool) {
        // White space after a child changes no walk: with children, only
        // whether the text is all white space counts (see `close`).
        let after_child = self
            .open
            .last()
            .is_some_and(|o| self.children.len() > o.children);
        if !(whitespace && after_child) {
            self.text.push_str(text);
        }
    }

    /// The open element ends: counts its element patterns and what of
    /// their content it matched; the root also matches the start pattern.
    pub fn close(&mut self, deriver: &mut Deriver) {
        let Some(open) = self.open.pop() else {
            return;
        };
        let candidates = std::mem::take(&mut self.candidates);
        let children = std::mem::take(&mut self.children);
        let text = std::mem::take(&mut self.text);
        let elements = candidates.get(open.candidates.clone()).unwrap_or_default();
        let children_had = children.get(open.children..).unwrap_or_default();
        let text_had = text.get(open.text..).unwrap_or_default();
        // White space beside child elements matches nothing (`text` left
        // out what came after the first child).
        let text_had = if !children_had.is_empty() && is_whitespace(text_had) {
            ""
        } else {
            text_had
        };
        // A walk asks only whether a child matched an element pattern: the
        // patterns, each once, make the shape (so two orders are one shape).
        let mut kinds = std::mem::take(&mut self.kinds);
        kinds.clear();
        kinds.extend_from_slice(children_had);
        kinds.sort_unstable();
        kinds.dedup();
        for &e in elements {
            self.note_shape(deriver, e, &open, &kinds, text_had);
        }
        self.kinds = kinds;
        if self.open.is_empty() {
            let root = Had {
                keys: &[],
                written: &[],
                strings: "",
                children: elements,
                text: "",
                element_bits: element_bits(deriver.grammar, elements),
                attribute_bits: NameBits::default(),
            };
            self.next_walk();
            self.fits(deriver, deriver.grammar.start, &root);
        }
        let kept = elements.len();
        self.candidates = candidates;
        self.children = children;
        self.text = text;
        self.strings.truncate(open.strings);
        self.children.truncate(open.children);
        self.text.truncate(open.text);
        let candidates = open.candidates.start..open.candidates.start + kept;
        self.children
            .extend_from_slice(&self.candidates[candidates]);
        self.candidates.truncate(open.candidates.start);
    }

    /// Counts one more element of its shape (element pattern `e`, what the
    /// element `open` had): a shape not seen before is remembered, to be
    /// walked later (see [`Recorder::walk_pending`]).
    fn note_shape(
        &mut self,
        deriver: &mut Deriver,
        e: ElementId,
        open: &Open,
        children: &[ElementId],
        text: &str,
    ) {
        let mut shape = std::mem::take(&mut self.shape);
        shape.clear();
        let attributes = self.strings.get(open.strings..).unwrap_or_default();
        write_shape(&mut shape, e, attributes, children, text);
        let hash = self.memo.hasher.hash_one(shape.as_slice());
        let index = match self.memo.find(hash, &shape) {
            Some(index) => index,
            None => {
                if self.memo.full() {
                    self.flush(deriver);
                }
                self.memo.insert(hash, &shape)
            }
        };
        self.memo.add(index);
        self.shape = shape;
    }

    /// Walks the shapes met since the last walks (see the module doc): at
    /// the end, or earlier, when the validator's thread would otherwise
    /// wait.
    pub fn walk_pending(&mut self, deriver: &mut Deriver) {
        if self.memo.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.memo.pending);
        let shapes = std::mem::take(&mut self.memo.shapes);
        let mut written = std::mem::take(&mut self.pending_written);
        let mut children = std::mem::take(&mut self.kinds);
        for &index in &pending {
            let Some(r) = self.memo.remembered.get(index as usize) else {
                continue;
            };
            let shape = shapes.get(r.shape.clone()).unwrap_or_default();
            if let Some(ended) = read_shape(shape, &mut written, &mut children) {
                let counted = self.counted_by_structure(deriver, &ended);
                let r = &mut self.memo.remembered[index as usize];
                (r.counted, r.walked) = (counted, true);
            }
        }
        self.memo.shapes = shapes;
        self.memo.pending = pending;
        self.memo.pending.clear();
        self.pending_written = written;
        self.kinds = children;
    }

    /// What an element of a new shape counts (a range of `memo.counted`):
    /// that of an earlier walk of its structure whose checks come out the
    /// same for it, or else that of a new walk.
    fn counted_by_structure(&mut self, deriver: &mut Deriver, ended: &Ended) -> Range<usize> {
        let mut key = std::mem::take(&mut self.structure);
        key.clear();
        write_structure(&mut key, ended);
        let hash = self.memo.hasher.hash_one(key.as_slice());
        let structure = self.memo.structure(hash, &key);
        self.structure = key;
        if let Some(counted) = self.replay(deriver, structure, ended) {
            return counted;
        }
        let (from, checks_from) = (self.memo.counted.len(), self.memo.checks.len());
        self.walk_new(deriver, ended);
        let counted = from..self.memo.counted.len();
        let checks = checks_from..self.memo.checks.len();
        self.memo.add_variant(structure, checks, counted.clone());
        counted
    }

    /// What a walk of `structure` counted, when its checks come out the
    /// same for `ended`.
    fn replay(
        &mut self,
        deriver: &mut Deriver,
        structure: u32,
        ended: &Ended,
    ) -> Option<Range<usize>> {
        self.checked.clear();
        let mut next = self.memo.structures.get(structure as usize)?.first;
        while let Some(variant) = self.memo.variants.get(next as usize) {
            let (checks, counted) = (variant.checks.clone(), variant.counted.clone());
            next = variant.next;
            let same = checks.into_iter().all(|i| {
                let walked = self.memo.checks[i];
                let fits = match self.checked.iter().find(|c| c.same_as(&walked)) {
                    Some(c) => c.fits,
                    None => {
                        let source = ended.source(walked.tokens);
                        let fits = check(deriver, walked.pattern, walked.tokens, source);
                        self.checked.push(Check { fits, ..walked });
                        fits
                    }
                };
                fits == walked.fits
            });
            if same {
                return Some(counted);
            }
        }
        None
    }

    /// Walks the content of `ended`'s element pattern, a shape not seen before,
    /// noting what it counts, and the checks it makes, into the memo.
    fn walk_new(&mut self, deriver: &mut Deriver, ended: &Ended) {
        let Ended {
            e,
            written,
            strings,
            children,
            text,
        } = *ended;
        let grammar = deriver.grammar;
        let string = |range: &Range<usize>| strings.get(range.clone()).unwrap_or_default();
        let mut keys = std::mem::take(&mut self.keys);
        keys.clear();
        let mut attribute_bits = NameBits::default();
        for a in written {
            let key = grammar.names.key(string(&a.ns), string(&a.local));
            attribute_bits = attribute_bits.union(NameBits::of(key));
            keys.push(key);
        }
        let element_bits = element_bits(grammar, children);
        let had = Had {
            keys: &keys,
            written,
            strings,
            children,
            text,
            element_bits,
            attribute_bits,
        };
        self.next_walk();
        self.remembering = true;
        // The element pattern is part of the shape: its count is the
        // shape's, like its content's.
        self.count(self.element_patterns[e.0 as usize]);
        self.fits(deriver, grammar.element(e).content, &had);
        self.remembering = false;
        self.keys = keys;
    }

    /// Hands the committed counts of shapes not walked yet (`indexes`, of
    /// this recorder's memo) to `to`, a recorder of the same grammar on
    /// another thread, which walks them (unless it knows them already).
    /// This recorder forgets those shapes: one met again is a new shape.
    fn hand_over(&mut self, indexes: &[u32], to: &mut Recorder) {
        let theirs = &mut to.memo;
        let mine = &mut self.memo;
        for &index in indexes {
            let Some(r) = mine.remembered.get(index as usize) else {
                continue;
            };
            let shape = mine.shapes.get(r.shape.clone()).unwrap_or_default();
            let hash = theirs.hasher.hash_one(shape);
            let known = match theirs.find(hash, shape) {
                Some(known) => known,
                None => theirs.insert(hash, shape),
            };
            // Its entry here, never walked, counts nothing from now on.
            let t = &mut theirs.remembered[known as usize];
            t.valid += r.valid;
            t.invalid += r.invalid;
            if let Ok(entry) = mine.table.find_entry(r.hash, |&i| i == index) {
                entry.remove();
            }
        }
        let mut handed = indexes.to_vec();
        handed.sort_unstable();
        mine.pending.retain(|i| handed.binary_search(i).is_err());
    }

    /// The shapes not walked yet that can be handed over (counts of a
    /// document in progress stay with its recorder): their indexes, element
    /// patterns and bytes.
    fn movable_pending(&self) -> impl Iterator<Item = (u32, u32, &[u8])> + '_ {
        self.memo.pending.iter().filter_map(|&index| {
            let r = self.memo.remembered.get(index as usize)?;
            let shape = self.memo.shapes.get(r.shape.clone())?;
            let (e, _) = read_u32(shape)?;
            (r.document == 0).then_some((index, e, shape))
        })
    }

    /// The shapes not walked yet that `other` has walked.
    fn walked_elsewhere(&self, other: &Recorder) -> Vec<u32> {
        self.movable_pending()
            .filter(|&(_, _, shape)| {
                let hash = other.memo.hasher.hash_one(shape);
                other
                    .memo
                    .find(hash, shape)
                    .is_some_and(|i| other.memo.remembered[i as usize].walked)
            })
            .map(|(index, ..)| index)
            .collect()
    }

    /// Empties the memo: its shapes' committed counts go to the hits, the
    /// document in progress's to its pattern counts.
    fn flush(&mut self, deriver: &mut Deriver) {
        self.walk_pending(deriver);
        self.memo.add_hits_to(&mut self.hits);
        let memo = std::mem::take(&mut self.memo);
        for &i in &memo.in_document {
            let r = &memo.remembered[i as usize];
            for &p in memo.counted.get(r.counted.clone()).unwrap_or_default() {
                self.count_n(p, r.document);
            }
        }
        self.memo = Memo {
            hasher: memo.hasher,
            ..Memo::default()
        };
    }

    /// Adds the document's counts to the valid side (`counts`) or the
    /// invalid one, and starts afresh.
    pub fn commit(&mut self, counts: bool) {
        self.memo.commit(counts);
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

    /// Counts over the documents committed so far, taken: the recorder
    /// counts afresh from here.
    pub fn take_hits(&mut self, deriver: &mut Deriver) -> Hits {
        self.walk_pending(deriver);
        let size = self.document.len();
        let fresh = Hits {
            valid: vec![0; size],
            invalid: vec![0; size],
        };
        let mut hits = std::mem::replace(&mut self.hits, fresh);
        self.memo.add_hits_to(&mut hits);
        self.memo.forget_committed();
        hits
    }

    /// Counts a match of `p`: in the document, or, in a walk being
    /// remembered, in the walk's patterns (the memo counts its elements).
    fn count(&mut self, p: PatternId) {
        if self.remembering {
            self.memo.counted.push(p);
        } else {
            self.count_n(p, 1);
        }
    }

    fn count_n(&mut self, p: PatternId, times: u32) {
        let Some(n) = self.document.get_mut(p.index() as usize) else {
            return;
        };
        if *n == 0 && times > 0 {
            self.touched.push(p);
        }
        *n = n.saturating_add(times);
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
                for (i, &key) in had.keys.iter().enumerate() {
                    let tokens = Tokens {
                        source: i as u32,
                        words: false,
                    };
                    if deriver.grammar.names.contains(nc, key)
                        && self.check(deriver, value, tokens, had)
                    {
                        self.fits_value(deriver, value, tokens, had);
                        any = true;
                    }
                }
                any
            }
            Pattern::Data(_) | Pattern::DataExcept(..) | Pattern::Value(_) | Pattern::List(_) => {
                let tokens = Tokens {
                    source: TEXT,
                    words: false,
                };
                had.children.is_empty() && self.fits_value(deriver, p, tokens, had)
            }
        };
        self.fitted[i] = fitted;
        // An element pattern was counted when the child ended, a value
        // pattern by `fits_value`.
        let counted = matches!(
            deriver.grammar.arena.get(p),
            Pattern::Element(_)
                | Pattern::Data(_)
                | Pattern::DataExcept(..)
                | Pattern::Value(_)
                | Pattern::List(_)
        );
        if fitted && !counted {
            self.count(p);
        }
        fitted
    }

    /// Starts a walk: a fresh memo generation.
    fn next_walk(&mut self) {
        self.checked.clear();
        self.walk = self.walk.wrapping_add(1);
        if self.walk == 0 {
            self.visited.fill(0);
            self.walk = 1;
        }
    }

    /// Whether `tokens` fit `p`, a value pattern (one of them, for a
    /// list's words); counts the patterns inside `p` that they fit.
    fn fits_value(
        &mut self,
        deriver: &mut Deriver,
        p: PatternId,
        tokens: Tokens,
        had: &Had,
    ) -> bool {
        let fitted = match deriver.grammar.arena.get(p) {
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                let first = self.fits_value(deriver, a, tokens, had);
                self.fits_value(deriver, b, tokens, had) || first
            }
            Pattern::OneOrMore(a) => self.fits_value(deriver, a, tokens, had),
            Pattern::List(a) => {
                let words = Tokens {
                    words: true,
                    ..tokens
                };
                self.check(deriver, p, tokens, had) && self.fits_value(deriver, a, words, had)
            }
            Pattern::Data(_) | Pattern::DataExcept(..) | Pattern::Value(_) | Pattern::Text => {
                self.check(deriver, p, tokens, had)
            }
            _ => false,
        };
        if fitted {
            self.count(p);
        }
        fitted
    }

    /// Whether `tokens` fit the value pattern `p`, checked once per walk;
    /// a walk being remembered notes the check.
    fn check(&mut self, deriver: &mut Deriver, p: PatternId, tokens: Tokens, had: &Had) -> bool {
        let asked = Check {
            pattern: p,
            tokens,
            fits: false,
        };
        if let Some(c) = self.checked.iter().find(|c| c.same_as(&asked)) {
            return c.fits;
        }
        let done = Check {
            fits: check(deriver, p, tokens, had.source(tokens)),
            ..asked
        };
        self.checked.push(done);
        if self.remembering {
            self.memo.checks.push(done);
        }
        done.fits
    }
}

/// Shares the walks of the shapes not walked yet among `recorders`, of one
/// grammar on several threads, before they are walked there in parallel: a
/// shape several met is walked by one of them, and each walks about as
/// many shapes, those of one element pattern together (their walks replay
/// each other's, see [`Recorder::counted_by_structure`]).
pub fn share_walks(recorders: &mut [&mut Recorder]) {
    hand_over_walked(recorders);
    for (i, indexes) in split_by_element(recorders).iter().enumerate() {
        let (from, to) = (i / recorders.len(), i % recorders.len());
        if let (false, Ok([from, to])) =
            (indexes.is_empty(), recorders.get_disjoint_mut([from, to]))
        {
            from.hand_over(indexes, to);
        }
    }
}

/// Hands each recorder's shapes to walk that another one has walked (while
/// waiting) to that one, so they are not walked again.
fn hand_over_walked(recorders: &mut [&mut Recorder]) {
    let n = recorders.len();
    for (from, to) in (0..n).flat_map(|from| (0..n).map(move |to| (from, to))) {
        if let Ok([from, to]) = recorders.get_disjoint_mut([from, to]) {
            let known = from.walked_elsewhere(to);
            from.hand_over(&known, to);
        }
    }
}

/// Which shapes to walk each recorder hands to which (at `from * n + to`,
/// for `n` recorders): the shapes of each element pattern go to one
/// recorder, the largest groups first, each to the recorder with the
/// fewest so far. A shape several recorders have goes there with the rest
/// of its group, and is walked once.
fn split_by_element(recorders: &[&mut Recorder]) -> Vec<Vec<u32>> {
    let n = recorders.len();
    // Element pattern → its shapes, as (recorder, index); what each
    // recorder walks anyway.
    let mut by_element: HashMap<u32, Vec<(usize, u32)>> = HashMap::new();
    let mut load = vec![0; n];
    for (k, recorder) in recorders.iter().enumerate() {
        load[k] = recorder.memo.pending.len();
        for (index, e, _) in recorder.movable_pending() {
            by_element.entry(e).or_default().push((k, index));
            load[k] -= 1;
        }
    }
    let mut groups: Vec<(u32, Vec<(usize, u32)>)> = by_element.into_iter().collect();
    groups.sort_unstable_by_key(|(e, shapes)| (std::cmp::Reverse(shapes.len()), *e));
    let mut moves: Vec<Vec<u32>> = vec![Vec::new(); n * n];
    for (_, shapes) in groups {
        let to = (0..n).min_by_key(|&k| (load[k], k)).unwrap_or(0);
        load[to] += shapes.len();
        for (from, index) in shapes {
            if from != to {
                moves[from * n + to].push(index);
            }
        }
    }
    moves
}

/// What the children's names may be: the filter of their element
/// patterns' name classes.
fn element_bits(grammar: &CompiledGrammar, children: &[ElementId]) -> NameBits {
    children.iter().fold(NameBits::default(), |bits, &c| {
        bits.union(grammar.names.bits(grammar.element(c).name))
    })
}

/// Whether `tokens`, taken from `source`, fit the value pattern `p`.
fn check(deriver: &mut Deriver, p: PatternId, tokens: Tokens, source: &str) -> bool {
    if tokens.words {
        source
            .split_ascii_whitespace()
            .any(|word| value_matches(deriver, p, word))
    } else {
        value_matches(deriver, p, source)
    }
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{read_shape, write_shape, ElementId, Remembered};
    use crate::coverage::Hits;
    use crate::loader::MemLoader;
    use crate::schema::LoadOptions;
    use crate::validate::Validator;
    use crate::Schema;

    /// The compact-syntax `schema`, loaded with its coverage items.
    fn with_items(schema: &str) -> Schema {
        let mut loader = MemLoader::new([(PathBuf::from("main.rnc"), schema.to_string())]);
        let options = LoadOptions {
            coverage: true,
            ..LoadOptions::default()
        };
        Schema::load_with_options(Path::new("main.rnc"), &mut loader, options).unwrap()
    }

    /// Each item's kind, name and valid hits after validating `documents`.
    fn hits_of(schema: &str, documents: &[&str]) -> Vec<(String, u64)> {
        hits_with_restarts(schema, documents, false)
    }

    /// [`hits_of`], the deriver starting afresh before each document after
    /// the first when `restarting`.
    fn hits_with_restarts(
        schema: &str,
        documents: &[&str],
        restarting: bool,
    ) -> Vec<(String, u64)> {
        let schema = with_items(schema);
        let mut validator = schema.validator();
        validator.enable_coverage();
        if restarting {
            validator.deriver.set_cap(schema.grammar().arena.len());
        }
        for document in documents {
            assert!(validator.validate_str(document).is_ok(), "{document}");
            validator.commit_coverage(true);
        }
        let hits: Hits = validator.take_coverage_hits().unwrap();
        Schema::merged_coverage([(&schema, &hits)])
            .iter()
            .map(|i| (format!("{} {}", i.kind.word(), i.name), i.hits))
            .collect()
    }

    /// The hits of every item named `item`, in file order.
    fn counts(hits: &[(String, u64)], item: &str) -> Vec<u64> {
        hits.iter()
            .filter(|(i, _)| i == item)
            .map(|h| h.1)
            .collect()
    }

    fn count(hits: &[(String, u64)], item: &str) -> u64 {
        let found = hits.iter().find(|(name, _)| name == item);
        found.unwrap_or_else(|| panic!("no {item} in {hits:?}")).1
    }

    #[test]
    fn white_space_alone_is_checked_as_written() {
        // A string value keeps its white space: `<d> </d>` has " ", not "".
        let schema = r#"element r { element d { string " " | string "" }* }"#;
        let hits = hits_of(schema, &[r#"<r><d> </d><d> </d><d></d></r>"#]);
        assert_eq!(counts(&hits, "value  "), [2], "{hits:?}");
        assert_eq!(counts(&hits, "value "), [1], "{hits:?}");
    }

    #[test]
    fn one_name_in_many_places_counts_each_place() {
        // More places than the recent-match slots: `x` starts in several
        // states that share a slot, each matching its own element pattern.
        let places = 300;
        let parents: Vec<String> = (0..places)
            .map(|i| format!("element p{i} {{ element x {{ attribute a{i} {{ text }} }} }}"))
            .collect();
        let schema = format!("element r {{ ({})* }}", parents.join(" | "));
        let body: String = (0..places)
            .map(|i| format!(r#"<p{i}><x a{i}="v"/></p{i}>"#))
            .collect();
        let document = format!("<r>{body}{body}</r>");
        let hits = hits_of(&schema, &[&document]);
        for i in 0..places {
            assert_eq!(count(&hits, &format!("attribute a{i}")), 2, "a{i}");
        }
        assert_eq!(counts(&hits, "element x"), vec![2; places]);
    }

    #[test]
    fn names_with_one_content_keep_their_own_elements() {
        // `a` and `b` lead to the same state: the name tells them apart.
        let schema = "element r { (element a { empty } | element b { empty })* }";
        let hits = hits_of(schema, &["<r><a/><b/><a/><b/><b/></r>"]);
        assert_eq!(count(&hits, "element a"), 2, "{hits:?}");
        assert_eq!(count(&hits, "element b"), 3, "{hits:?}");
    }

    #[test]
    fn hits_taken_start_afresh() {
        let schema = with_items("element r { element a { empty }? }");
        let mut validator = schema.validator();
        validator.enable_coverage();
        let mut taken = Vec::new();
        for document in ["<r><a/></r>", "<r/>"] {
            assert!(validator.validate_str(document).is_ok());
            validator.commit_coverage(true);
            let hits = validator.take_coverage_hits().unwrap();
            let merged = Schema::merged_coverage([(&schema, &hits)]);
            let a = merged.iter().find(|i| i.name == "a").map(|i| i.hits);
            taken.push(a);
        }
        assert_eq!(taken, [Some(1), Some(0)]);
    }

    #[test]
    fn a_restarted_deriver_s_states_are_not_taken_for_earlier_ones() {
        // Each document's start tags make the same sequence of new states,
        // so after a restart `x` in `t` reaches the id `x` in `s` had.
        let schema = r#"element r {
            element s { element x { attribute a { text } } }
            | element t { element x { attribute b { text } } }
        }"#;
        let documents = [r#"<r><s><x a="1"/></s></r>"#, r#"<r><t><x b="1"/></t></r>"#];
        for restarting in [false, true] {
            let hits = hits_with_restarts(schema, &documents, restarting);
            assert_eq!(counts(&hits, "element x"), [1, 1], "{hits:?}");
            assert_eq!(count(&hits, "attribute b"), 1, "{hits:?}");
        }
    }

    #[test]
    fn elements_of_one_structure_counted_by_their_own_values() {
        // The `a`s have one structure; their values take the choices'
        // branches in three ways, which replays of earlier walks must tell
        // apart; the same for list words and for text.
        let schema = r#"element r {
            element a { attribute t { "x" | "y" }, attribute n { xsd:integer | "none" } }*,
            element l { list { ("p" | "q")+ } }*,
            element d { xsd:integer | "auto" }*
        }"#;
        let document = r#"<r><a t="x" n="1"/><a t="x" n="2"/><a t="y" n="none"/>
            <a t="y" n="3"/><a t="x" n="none"/><l>p p</l><l>q</l><l>p</l>
            <d>5</d><d>6</d><d>auto</d></r>"#;
        let hits = hits_of(schema, &[document]);
        // Both `data integer` items: the attribute's first, then the text's.
        assert_eq!(counts(&hits, "data integer"), [3, 2], "{hits:?}");
        // Each `*` once: the root's walk finds its children.
        assert_eq!(counts(&hits, "zeroOrMore "), [1, 1, 1], "{hits:?}");
        for (item, n) in [
            ("value x", 3),
            ("value y", 2),
            ("value none", 2),
            ("value p", 2),
            ("value q", 1),
            ("value auto", 1),
            ("element a", 5),
        ] {
            assert_eq!(count(&hits, item), n, "{item} in {hits:?}");
        }
    }

    #[test]
    fn a_structure_replays_only_its_own_walks() {
        // `e` is walked first and makes no value checks: a walk of it must
        // not serve `f`, nor `g` with a text where `g`'s first had none.
        let schema = r#"element r {
            (element e { empty }
                | element f { attribute a { "1" | "2" }? }
                | element g { (attribute b { "1" }?, text)? })*
        }"#;
        let document = r#"<r><e/><f a="1"/><f/><g/><g>x</g><g> </g><g>y</g><e/></r>"#;
        let hits = hits_of(schema, &[document]);
        for (item, n) in [
            ("element e", 2),
            ("element f", 2),
            ("value 1", 1),
            ("value 2", 0),
            ("element g", 4),
        ] {
            assert_eq!(count(&hits, item), n, "{item} in {hits:?}");
        }
        // `a`'s optional once; `b`'s never; the group with the text in the
        // two `g`s with more than white space.
        assert_eq!(counts(&hits, "optional "), [1, 2, 0], "{hits:?}");
    }

    #[test]
    fn a_check_failed_against_one_walk_is_not_taken_as_anothers() {
        // Each attribute may be an integer or any text, so each value makes
        // one check that tells. The third `a` fails the newer walk's first
        // check and the older walk's too: it must be walked, not counted as
        // the older one (whose `p` was an integer).
        let schema = r#"element r { element a {
            (attribute p { xsd:integer } | attribute p { text }),
            (attribute q { xsd:integer } | attribute q { text })
        }* }"#;
        let document = r#"<r><a p="1" q="1"/><a p="2" q="x"/><a p="x" q="3"/></r>"#;
        let hits = hits_of(schema, &[document]);
        assert_eq!(counts(&hits, "data integer"), [2, 2], "{hits:?}");
    }

    #[test]
    fn a_list_in_an_optional_counts_it() {
        let schema = r#"element r { element l { list { ("p" | "q")+ }? }* }"#;
        let hits = hits_of(schema, &[r#"<r><l>p p</l><l/><l>q p</l></r>"#]);
        assert_eq!(counts(&hits, "optional "), [2], "{hits:?}");
        assert_eq!((count(&hits, "value p"), count(&hits, "value q")), (2, 1));
    }

    #[test]
    fn one_value_pattern_checked_against_each_attribute_it_names() {
        // The wildcard's value pattern is checked once per attribute: each
        // check is of its own value.
        let schema = r#"element r { attribute * { xsd:integer | "none" }* }"#;
        let hits = hits_of(schema, &[r#"<r a="1" b="none" c="2"/>"#]);
        assert_eq!(
            (count(&hits, "data integer"), count(&hits, "value none")),
            (2, 1)
        );
    }

    #[test]
    fn a_shape_reads_back_as_written() {
        let attributes = concat!("\0x\0", "1\0", "urn:n\0y\0two words\0");
        let children = [ElementId(3), ElementId(7)];
        let mut shape = Vec::new();
        write_shape(&mut shape, ElementId(5), attributes, &children, "some text");
        let (mut written, mut kids) = (Vec::new(), Vec::new());
        let ended = read_shape(&shape, &mut written, &mut kids).unwrap();
        let parts: Vec<[&str; 3]> = ended
            .written
            .iter()
            .map(|a| [&a.ns, &a.local, &a.value].map(|r| &ended.strings[r.clone()]))
            .collect();
        assert_eq!(parts, [["", "x", "1"], ["urn:n", "y", "two words"]]);
        assert_eq!(
            (ended.e, ended.children, ended.text),
            (ElementId(5), &children[..], "some text")
        );
        assert!(read_shape(&shape[..6], &mut written, &mut kids).is_none());
    }

    /// The shapes `validator` has still to walk, and those it walked.
    fn shapes(validator: &Validator) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let memo = &validator.coverage.as_deref().unwrap().memo;
        let bytes = |r: &Remembered| memo.shapes[r.shape.clone()].to_vec();
        let pending = memo
            .pending
            .iter()
            .map(|&i| bytes(&memo.remembered[i as usize]));
        let walked = memo.remembered.iter().filter(|r| r.walked).map(bytes);
        (pending.collect(), walked.collect())
    }

    #[test]
    fn walks_shared_among_threads_count_what_one_thread_counts() {
        let schema = with_items(
            r#"element r {
                element a { attribute x { "1" | "2" | xsd:integer }, text? }*,
                element b { empty | element c { text } }*
            }"#,
        );
        // Each three documents in a row (one per thread) have new shapes.
        let documents: Vec<String> = (0..24)
            .map(|i| {
                let new = i / 3;
                let a = format!(r#"<a x="{}">{}</a>"#, new % 7, "t".repeat(new % 3));
                let b = if new % 4 == 0 {
                    "<b><c>w</c></b>"
                } else {
                    "<b/>"
                };
                format!("<r>{a}{}{b}</r>", "<a x='1'/>".repeat(i % 2))
            })
            .collect();
        let validator = || {
            let mut v = schema.validator();
            v.enable_coverage();
            v
        };
        let mut alone = validator();
        let mut threads = [validator(), validator(), validator()];
        for (i, document) in documents.iter().enumerate() {
            for v in [&mut alone, &mut threads[i % 3]] {
                assert!(v.validate_str(document).is_ok(), "{document}");
                v.commit_coverage(i % 7 != 0);
            }
            // The second thread waits for a schema half-way (and walks).
            if i == 12 {
                threads[1].walk_coverage();
            }
        }
        // (shapes to walk, of them distinct, of them walked elsewhere)
        let to_walk = |threads: &[Validator]| {
            let mut pending: Vec<Vec<u8>> = threads.iter().flat_map(|v| shapes(v).0).collect();
            let count = pending.len();
            pending.sort();
            pending.dedup();
            let walked = threads.iter().flat_map(|v| shapes(v).1);
            let again = walked.filter(|w| pending.contains(w)).count();
            (count, pending.len(), again)
        };
        let (count, distinct, again) = to_walk(&threads);
        assert!(count > distinct && again > 0, "{count} {distinct} {again}");
        let [a, b, c] = &mut threads;
        Validator::share_coverage_walks(&mut [a, b, c]);
        assert_eq!(to_walk(&threads), (distinct - again, distinct - again, 0));
        let mut shared = Hits::default();
        for v in &mut threads {
            shared.merge(&v.take_coverage_hits().unwrap());
        }
        let one = alone.take_coverage_hits().unwrap();
        assert_eq!((shared.valid, shared.invalid), (one.valid, one.invalid));
    }

    #[test]
    fn walks_shared_among_threads_are_split_about_evenly() {
        let schema = with_items(
            r#"element r { element a { attribute x { text } }*, element b { attribute x { text } }*,
               element c { attribute x { text } }*, element d { attribute x { text } }* }"#,
        );
        let validator = |documents: usize| {
            let mut v = schema.validator();
            v.enable_coverage();
            for i in 0..documents {
                let document = format!("<r><a x='{i}'/><b x='{i}'/><c x='{i}'/><d x='{i}'/></r>");
                assert!(v.validate_str(&document).is_ok());
                v.commit_coverage(true);
            }
            v
        };
        // One thread met every shape: four element patterns, three shapes
        // each, and the root's one; the other met none.
        let (mut busy, mut idle) = (validator(3), validator(0));
        assert_eq!((shapes(&busy).0.len(), shapes(&idle).0.len()), (13, 0));
        Validator::share_coverage_walks(&mut [&mut busy, &mut idle]);
        let split = [shapes(&busy).0.len(), shapes(&idle).0.len()];
        assert_eq!(split[0] + split[1], 13);
        assert!(split[0].abs_diff(split[1]) <= 3, "{split:?}");
        let mut one = validator(3);
        let mut shared = busy.take_coverage_hits().unwrap();
        shared.merge(&idle.take_coverage_hits().unwrap());
        assert_eq!(shared.valid, one.take_coverage_hits().unwrap().valid);
    }
}
