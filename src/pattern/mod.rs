//! The interned pattern arena (RELAX NG §5 simple syntax plus Clark's
//! `After`).
//!
//! Patterns are built only through the smart constructors on
//! [`PatternArena`], which simplify as they build (§4.20 `notAllowed` and
//! §4.21 `empty` rules, flattened and sorted choices) and then intern. So two
//! patterns are equal exactly when their [`PatternId`]s are equal, and
//! derivatives can be memoized by id. Spans never live in a pattern (two
//! places can write the same pattern); see `Schema`'s side tables.

pub mod idtypes;
pub mod lower;
pub mod name;
pub mod restrict;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::datatype::{Datatype, Value};
pub use name::{NameBits, NameClass, NameClassId, NameKey, NameTable};

/// A fast, non-cryptographic hasher (FxHash's multiply-rotate) for maps
/// keyed by ids this crate makes itself: patterns, name keys, ids. Never
/// used for keys a document controls (strings), which keep SipHash so that
/// crafted input cannot force collisions.
#[derive(Clone, Copy, Default)]
pub struct IdHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for IdHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }
    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` over crate-made ids, hashed with [`IdHasher`].
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
/// A `HashSet` over crate-made ids, hashed with [`IdHasher`].
pub type IdSet<K> = std::collections::HashSet<K, BuildHasherDefault<IdHasher>>;

/// An interned pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatternId(u32);

impl PatternId {
    /// The id as a number, for tables keyed by pattern (the text memo).
    pub fn index(self) -> u32 {
        self.0
    }
}

/// An element pattern: its name class and content live in [`ElementDef`].
/// Element content is cyclic (an element may contain itself), so elements
/// are referred to by id and their content is filled in after interning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementId(pub u32);

/// A compiled datatype in the schema's datatype table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DatatypeId(pub u32);

/// A `<value>` in the schema's value table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ValueId(pub u32);

/// One pattern node; children are ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// Matches nothing.
    NotAllowed,
    /// Matches the empty sequence.
    Empty,
    /// Any text.
    Text,
    /// Either side.
    Choice(PatternId, PatternId),
    /// Both, in any interleaving.
    Interleave(PatternId, PatternId),
    /// First then second.
    Group(PatternId, PatternId),
    /// One or more repetitions.
    OneOrMore(PatternId),
    /// Whitespace-separated tokens matching the inner pattern.
    List(PatternId),
    /// A datatype.
    Data(DatatypeId),
    /// A datatype, except strings matching the second pattern.
    DataExcept(DatatypeId, PatternId),
    /// A literal value.
    Value(ValueId),
    /// An attribute.
    Attribute(NameClassId, PatternId),
    /// An element.
    Element(ElementId),
    /// Clark's `After`: finish the first, then continue with the second.
    After(PatternId, PatternId),
}

/// The name class and content of an element pattern.
#[derive(Clone, Copy, Debug)]
pub struct ElementDef {
    /// Names the element may have.
    pub name: NameClassId,
    /// Its content pattern.
    pub content: PatternId,
}

/// A `<value>`: its datatype, parsed value and the literal as written.
#[derive(Clone, Debug)]
pub struct ValueDef {
    /// The datatype that compares it.
    pub datatype: DatatypeId,
    /// The parsed value.
    pub value: Value,
    /// The literal, for messages.
    pub literal: String,
}

/// What a pattern can consume, as far as derivatives look: a derivative by
/// an event the pattern cannot consume is `notAllowed` (or, for closing a
/// start tag, the pattern itself), so whole subtrees are skipped without
/// being walked. `After(a, b)` has the flags of `a`: events only reach `a`.
/// (Start tags are filtered by name instead: [`NameBits`].)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Consumes(u8);

impl Consumes {
    const ATTRIBUTES: u8 = 1;
    const TEXT: u8 = 2;

    /// Whether an `attribute` pattern is reachable.
    pub fn attributes(self) -> bool {
        self.0 & Self::ATTRIBUTES != 0
    }

    /// Whether a pattern that matches text (`text`, `data`, `value`,
    /// `list`) is reachable.
    pub fn text(self) -> bool {
        self.0 & Self::TEXT != 0
    }

    fn union(self, other: Consumes) -> Consumes {
        Consumes(self.0 | other.0)
    }
}

/// What is known of a pattern from its construction: whether it is
/// nullable, what it can consume, and which names it can start with.
#[derive(Clone, Copy, Debug, Default)]
struct Info {
    /// A filter over the keys of the element names whose start tag the
    /// pattern can take ([`NameBits`]): a key outside it gives `notAllowed`.
    elements: NameBits,
    /// The same for attribute names.
    attributes: NameBits,
    consumes: Consumes,
    nullable: bool,
    /// Nesting levels below the pattern, not counting element content
    /// (saturating): how deep a walk over it may recurse.
    depth: u16,
}

/// Hash-consed patterns with their `nullable` flag, what they consume and
/// the names they can start with, computed at construction.
#[derive(Clone, Debug)]
pub struct PatternArena {
    patterns: Vec<Pattern>,
    /// One entry per pattern (one vector, so interning pushes once).
    info: Vec<Info>,
    index: IdMap<Pattern, PatternId>,
    /// `choice(a, b)` by its (ordered) operands: derivatives build the same
    /// choices over and over, and each is a flatten, sort and rebuild.
    choices: IdMap<(PatternId, PatternId), PatternId>,
    /// Reused buffers for the leaves of a choice (no allocation per call).
    leaves: Vec<PatternId>,
    stack: Vec<PatternId>,
}

impl Default for PatternArena {
    fn default() -> Self {
        PatternArena::new()
    }
}

impl PatternArena {
    /// An arena holding the constants.
    pub fn new() -> PatternArena {
        let mut arena = PatternArena {
            patterns: Vec::new(),
            info: Vec::new(),
            index: IdMap::default(),
            choices: IdMap::default(),
            leaves: Vec::new(),
            stack: Vec::new(),
        };
        // The constants get fixed ids so they can be compared cheaply.
        arena.intern(Pattern::NotAllowed);
        arena.intern(Pattern::Empty);
        arena.intern(Pattern::Text);
        arena
    }

    /// `notAllowed`.
    pub const NOT_ALLOWED: PatternId = PatternId(0);
    /// `empty`.
    pub const EMPTY: PatternId = PatternId(1);
    /// `text`.
    pub const TEXT: PatternId = PatternId(2);

    /// Number of interned patterns (the memory the arena holds).
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Every interned pattern's id, in order.
    pub fn ids(&self) -> impl Iterator<Item = PatternId> {
        (0..self.patterns.len() as u32).map(PatternId)
    }

    /// The pattern behind an id.
    pub fn get(&self, id: PatternId) -> Pattern {
        self.patterns[id.0 as usize]
    }

    /// Clark's `nullable`: whether the pattern matches the empty sequence.
    pub fn nullable(&self, id: PatternId) -> bool {
        self.info[id.0 as usize].nullable
    }

    /// What the pattern can consume (see [`Consumes`]).
    pub fn consumes(&self, id: PatternId) -> Consumes {
        self.info[id.0 as usize].consumes
    }

    /// Whether the pattern may take the start tag of an element whose name
    /// has `key`; when not, its derivative by that start tag is `notAllowed`.
    #[inline]
    pub fn may_start_element(&self, id: PatternId, key: NameKey) -> bool {
        self.info[id.0 as usize].elements.may_contain(key)
    }

    /// Whether the pattern may take an attribute whose name has `key`.
    #[inline]
    pub fn may_take_attribute(&self, id: PatternId, key: NameKey) -> bool {
        self.info[id.0 as usize].attributes.may_contain(key)
    }

    fn intern(&mut self, p: Pattern) -> PatternId {
        self.intern_with(p, NameBits::ALL)
    }

    /// Interns `p`; `leaf` is the name filter of an element or attribute
    /// pattern's name class (the arena does not see name classes).
    fn intern_with(&mut self, p: Pattern, leaf: NameBits) -> PatternId {
        if let Some(&id) = self.index.get(&p) {
            return id;
        }
        let nullable = match p {
            Pattern::NotAllowed => false,
            Pattern::Empty | Pattern::Text => true,
            Pattern::Choice(a, b) => self.nullable(a) || self.nullable(b),
            Pattern::Interleave(a, b) | Pattern::Group(a, b) => {
                self.nullable(a) && self.nullable(b)
            }
            Pattern::OneOrMore(a) => self.nullable(a),
            Pattern::List(_)
            | Pattern::Data(_)
            | Pattern::DataExcept(..)
            | Pattern::Value(_)
            | Pattern::Attribute(..)
            | Pattern::Element(_)
            | Pattern::After(..) => false,
        };
        let consumes = match p {
            Pattern::NotAllowed | Pattern::Empty | Pattern::Element(_) => Consumes::default(),
            Pattern::Text
            | Pattern::List(_)
            | Pattern::Data(_)
            | Pattern::DataExcept(..)
            | Pattern::Value(_) => Consumes(Consumes::TEXT),
            Pattern::Attribute(..) => Consumes(Consumes::ATTRIBUTES),
            Pattern::Choice(a, b) | Pattern::Interleave(a, b) | Pattern::Group(a, b) => {
                self.consumes(a).union(self.consumes(b))
            }
            Pattern::OneOrMore(a) | Pattern::After(a, _) => self.consumes(a),
        };
        let none = NameBits::default();
        let (elements, attributes) = match p {
            Pattern::Element(_) => (leaf, none),
            Pattern::Attribute(..) => (none, leaf),
            Pattern::Choice(a, b) | Pattern::Interleave(a, b) => (
                self.info(a).elements.union(self.info(b).elements),
                self.info(a).attributes.union(self.info(b).attributes),
            ),
            // An element can start `b` only if `a` can be skipped; attributes
            // are unordered, so either side may take one.
            Pattern::Group(a, b) => (
                if self.nullable(a) {
                    self.info(a).elements.union(self.info(b).elements)
                } else {
                    self.info(a).elements
                },
                self.info(a).attributes.union(self.info(b).attributes),
            ),
            Pattern::OneOrMore(a) | Pattern::After(a, _) => {
                (self.info(a).elements, self.info(a).attributes)
            }
            Pattern::NotAllowed
            | Pattern::Empty
            | Pattern::Text
            | Pattern::List(_)
            | Pattern::Data(_)
            | Pattern::DataExcept(..)
            | Pattern::Value(_) => (none, none),
        };
        let depth = self.depth_of(p);
        let id = PatternId(self.patterns.len() as u32);
        self.patterns.push(p);
        self.info.push(Info {
            elements,
            attributes,
            consumes,
            nullable,
            depth,
        });
        self.index.insert(p, id);
        id
    }

    fn info(&self, id: PatternId) -> Info {
        self.info[id.0 as usize]
    }

    /// One more than the deepest child's depth (element content is reached
    /// through an `ElementId`, never by recursing into it).
    fn depth_of(&self, p: Pattern) -> u16 {
        let below = match p {
            Pattern::Choice(a, b)
            | Pattern::Interleave(a, b)
            | Pattern::Group(a, b)
            | Pattern::After(a, b) => self.info(a).depth.max(self.info(b).depth),
            Pattern::OneOrMore(a)
            | Pattern::List(a)
            | Pattern::DataExcept(_, a)
            | Pattern::Attribute(_, a) => self.info(a).depth,
            Pattern::NotAllowed
            | Pattern::Empty
            | Pattern::Text
            | Pattern::Data(_)
            | Pattern::Value(_)
            | Pattern::Element(_) => 0,
        };
        below.saturating_add(1)
    }

    /// Whether a recursive walk over `id` may go deeper than a thread's
    /// stack can be trusted with: such walks go through `stack::deeper`.
    #[inline]
    pub fn is_deep(&self, id: PatternId) -> bool {
        self.info[id.0 as usize].depth > Self::SHALLOW
    }

    /// Depth up to which walks recurse on the caller's stack: the frames
    /// of that many levels fit well inside `stack::deeper`'s red zone.
    const SHALLOW: u16 = 48;

    /// `choice`: flattened, deduplicated and sorted, so that equal sets of
    /// alternatives intern to the same id; `notAllowed` is its unit, and
    /// `empty` is dropped beside a nullable alternative.
    pub fn choice(&mut self, a: PatternId, b: PatternId) -> PatternId {
        if a == b || b == Self::NOT_ALLOWED {
            return a;
        }
        if a == Self::NOT_ALLOWED {
            return b;
        }
        let is_choice = |p| matches!(self.get(p), Pattern::Choice(..));
        if !is_choice(a) && !is_choice(b) {
            return self.choice_of_two(a, b);
        }
        let operands = (a.min(b), a.max(b));
        if let Some(&r) = self.choices.get(&operands) {
            return r;
        }
        let mut leaves = std::mem::take(&mut self.leaves);
        leaves.clear();
        self.choice_leaves(a, &mut leaves);
        self.choice_leaves(b, &mut leaves);
        let r = self.choice_of(&mut leaves);
        self.leaves = leaves;
        self.choices.insert(operands, r);
        r
    }

    /// The choice of many alternatives at once.
    pub fn choice_all(&mut self, alternatives: impl IntoIterator<Item = PatternId>) -> PatternId {
        let mut leaves = Vec::new();
        for p in alternatives {
            self.choice_leaves(p, &mut leaves);
        }
        self.choice_of(&mut leaves)
    }

    fn choice_leaves(&mut self, p: PatternId, out: &mut Vec<PatternId>) {
        // Most alternatives are no choice: no stack for them.
        if !matches!(self.get(p), Pattern::Choice(..)) {
            if p != Self::NOT_ALLOWED {
                out.push(p);
            }
            return;
        }
        // Iterative: choices can be wide.
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push(p);
        while let Some(p) = stack.pop() {
            match self.get(p) {
                Pattern::Choice(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Pattern::NotAllowed => {}
                _ => out.push(p),
            }
        }
        self.stack = stack;
    }

    /// `choice_of([a, b])` for two distinct alternatives that are neither
    /// choices nor `notAllowed` (an `optional`, mostly), without the `Vec`.
    fn choice_of_two(&mut self, a: PatternId, b: PatternId) -> PatternId {
        let (lo, hi) = (a.min(b), a.max(b));
        if lo == Self::EMPTY && self.nullable(hi) {
            return hi;
        }
        if hi == Self::EMPTY && self.nullable(lo) {
            return lo;
        }
        self.intern(Pattern::Choice(lo, hi))
    }

    fn choice_of(&mut self, leaves: &mut Vec<PatternId>) -> PatternId {
        leaves.sort_unstable();
        leaves.dedup();
        if leaves.len() > 1 && leaves.contains(&Self::EMPTY) {
            let other_nullable = leaves.iter().any(|&p| p != Self::EMPTY && self.nullable(p));
            if other_nullable {
                leaves.retain(|&p| p != Self::EMPTY);
            }
        }
        self.balanced(leaves, Pattern::Choice, Self::NOT_ALLOWED)
    }

    /// Builds a balanced binary tree of `op` over `items` (depth log n, so
    /// that recursion over it stays shallow however wide it is).
    fn balanced(
        &mut self,
        items: &[PatternId],
        op: fn(PatternId, PatternId) -> Pattern,
        unit: PatternId,
    ) -> PatternId {
        match items {
            [] => unit,
            [only] => *only,
            _ => {
                let (left, right) = items.split_at(items.len() / 2);
                let l = self.balanced(left, op, unit);
                let r = self.balanced(right, op, unit);
                self.intern(op(l, r))
            }
        }
    }

    /// `group`: `empty` is its unit, `notAllowed` absorbs.
    pub fn group(&mut self, a: PatternId, b: PatternId) -> PatternId {
        self.sequence_like(&[a, b], Pattern::Group)
    }

    /// `interleave`: `empty` is its unit, `notAllowed` absorbs.
    pub fn interleave(&mut self, a: PatternId, b: PatternId) -> PatternId {
        self.sequence_like(&[a, b], Pattern::Interleave)
    }

    /// A sequence of patterns as a balanced `group` (group is associative).
    pub fn group_all(&mut self, items: &[PatternId]) -> PatternId {
        self.sequence_like(items, Pattern::Group)
    }

    /// Patterns interleaved, as a balanced `interleave`.
    pub fn interleave_all(&mut self, items: &[PatternId]) -> PatternId {
        self.sequence_like(items, Pattern::Interleave)
    }

    /// `group` or `interleave` of `items`: `notAllowed` absorbs, `empty` is
    /// dropped, and what is left becomes a balanced tree (both operators
    /// are associative). Up to two items, the common case, allocate nothing.
    fn sequence_like(
        &mut self,
        items: &[PatternId],
        op: fn(PatternId, PatternId) -> Pattern,
    ) -> PatternId {
        if items.contains(&Self::NOT_ALLOWED) {
            return Self::NOT_ALLOWED;
        }
        match items {
            [] => Self::EMPTY,
            [a] => *a,
            [a, b] if *a == Self::EMPTY => *b,
            [a, b] if *b == Self::EMPTY => *a,
            [a, b] => self.intern(op(*a, *b)),
            _ => {
                let items: Vec<_> = items
                    .iter()
                    .copied()
                    .filter(|&p| p != Self::EMPTY)
                    .collect();
                self.balanced(&items, op, Self::EMPTY)
            }
        }
    }

    /// `oneOrMore`: idempotent; `empty` and `notAllowed` are fixed points.
    pub fn one_or_more(&mut self, p: PatternId) -> PatternId {
        match self.get(p) {
            Pattern::NotAllowed | Pattern::Empty | Pattern::OneOrMore(_) => p,
            _ => self.intern(Pattern::OneOrMore(p)),
        }
    }

    /// `list`.
    pub fn list(&mut self, p: PatternId) -> PatternId {
        if p == Self::NOT_ALLOWED {
            return p;
        }
        self.intern(Pattern::List(p))
    }

    /// `data`.
    pub fn data(&mut self, dt: DatatypeId) -> PatternId {
        self.intern(Pattern::Data(dt))
    }

    /// `data` with `except`; an impossible except is no except.
    pub fn data_except(&mut self, dt: DatatypeId, except: PatternId) -> PatternId {
        if except == Self::NOT_ALLOWED {
            return self.data(dt);
        }
        self.intern(Pattern::DataExcept(dt, except))
    }

    /// `value`.
    pub fn value(&mut self, v: ValueId) -> PatternId {
        self.intern(Pattern::Value(v))
    }

    /// `attribute`; one whose value cannot match is `notAllowed` (§4.20).
    /// `names` is the filter of its name class ([`NameTable::bits`]).
    pub fn attribute(&mut self, nc: NameClassId, names: NameBits, p: PatternId) -> PatternId {
        if p == Self::NOT_ALLOWED {
            return p;
        }
        self.intern_with(Pattern::Attribute(nc, p), names)
    }

    /// `element` (its content is kept in the element table); `names` is
    /// the filter of its name class ([`NameTable::bits`]).
    pub fn element(&mut self, e: ElementId, names: NameBits) -> PatternId {
        self.intern_with(Pattern::Element(e), names)
    }

    /// Clark's `after`.
    pub fn after(&mut self, a: PatternId, b: PatternId) -> PatternId {
        if a == Self::NOT_ALLOWED || b == Self::NOT_ALLOWED {
            return Self::NOT_ALLOWED;
        }
        self.intern(Pattern::After(a, b))
    }
}

/// Everything the validator needs of a compiled schema: the frozen arena,
/// element, datatype and value tables, and the names.
#[derive(Clone, Debug)]
pub struct CompiledGrammar {
    /// The interned patterns reachable from the schema.
    pub arena: PatternArena,
    /// The start pattern.
    pub start: PatternId,
    /// Element patterns by id.
    pub elements: Vec<ElementDef>,
    /// Datatypes by id.
    pub datatypes: Vec<Datatype>,
    /// For each datatype (by id), the `define` whose body wrote it directly,
    /// when there is one: messages name the schema's type (`UUID`, `unit`)
    /// instead of its raw pattern. Read only after a failure.
    pub datatype_defines: Vec<Option<Box<str>>>,
    /// Values by id.
    pub values: Vec<ValueDef>,
    /// Names and name classes.
    pub names: NameTable,
    /// ID-types of (element, attribute) names, when DTD-compatibility ID
    /// checks are on and the schema uses ID-types; otherwise empty.
    pub id_types: idtypes::IdTypeMap,
}

impl CompiledGrammar {
    /// The `define` a datatype was written in, if any (for messages).
    pub fn datatype_define(&self, id: DatatypeId) -> Option<&str> {
        self.datatype_defines.get(id.0 as usize)?.as_deref()
    }

    /// The element definition behind an id.
    pub fn element(&self, id: ElementId) -> ElementDef {
        self.elements[id.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_is_canonical() {
        let mut a = PatternArena::new();
        let x = a.list(PatternArena::TEXT);
        let y = a.one_or_more(x);
        let c1 = a.choice(x, y);
        let c2 = a.choice(y, x);
        assert_eq!(c1, c2);
        let c3 = a.choice(c1, x);
        assert_eq!(c1, c3);
        assert_eq!(a.choice(PatternArena::NOT_ALLOWED, x), x);
        assert_eq!(a.choice(x, PatternArena::NOT_ALLOWED), x);
        assert_eq!(a.choice(x, x), x);
        // Flattened whichever side the nested choice is on.
        assert_eq!(a.choice(x, c1), c1);
        let z = a.list(y);
        let right = a.choice(y, z);
        let left = a.choice(x, y);
        assert_eq!(a.choice(x, right), a.choice(left, z));
        // empty beside a nullable alternative is dropped
        let t = a.choice(PatternArena::EMPTY, PatternArena::TEXT);
        assert_eq!(t, PatternArena::TEXT);
    }

    #[test]
    fn only_patterns_nested_deeper_than_shallow_are_deep() {
        let mut a = PatternArena::new();
        assert!(!a.is_deep(PatternArena::TEXT));
        // `text` is one level; each `list` around it adds one.
        let mut p = PatternArena::TEXT;
        for _ in 1..PatternArena::SHALLOW {
            p = a.list(p);
        }
        assert!(
            !a.is_deep(p),
            "{} levels are shallow",
            PatternArena::SHALLOW
        );
        let deeper = a.list(p);
        assert!(a.is_deep(deeper));
        // The deeper side of a group counts.
        let beside = a.group(PatternArena::TEXT, deeper);
        assert!(a.is_deep(beside));
    }

    #[test]
    fn the_arena_counts_and_lists_what_it_interned() {
        let mut a = PatternArena::new();
        assert_eq!(a.ids().count(), a.len());
        let x = a.list(PatternArena::TEXT);
        assert_eq!(a.ids().last(), Some(x));
        assert_eq!(a.ids().count(), a.len());
    }

    #[test]
    fn units_and_absorbers() {
        let mut a = PatternArena::new();
        let x = a.list(PatternArena::TEXT);
        assert_eq!(a.group(PatternArena::EMPTY, x), x);
        assert_eq!(
            a.group(PatternArena::NOT_ALLOWED, x),
            PatternArena::NOT_ALLOWED
        );
        assert_eq!(a.interleave(x, PatternArena::EMPTY), x);
        let o = a.one_or_more(x);
        assert_eq!(a.one_or_more(o), o);
        assert!(!a.nullable(x));
        let opt = a.choice(x, PatternArena::EMPTY);
        assert!(a.nullable(opt));
    }
}
