//! James Clark's derivatives ("An algorithm for RELAX NG validation"),
//! memoized by pattern id and name key.
//!
//! Pure functions of (arena, memo): no spans, no I/O, no messages. The
//! [`Deriver`] owns a private copy of the schema's arena, so patterns made
//! while validating never touch the shared, immutable schema; it is reused
//! across documents by one thread, which is what makes the memo pay off,
//! and reset when it grows past its cap.
//!
//! Attributes are split in three steps so that the name part can be
//! memoized: [`Deriver::att_start`] (an `After(value, rest)` for each
//! attribute pattern the name matches), [`Deriver::text`] on the value, then
//! [`Deriver::att_end`].

use std::cell::Cell;

use crate::datatype::Context;
use crate::pattern::{CompiledGrammar, IdMap, NameKey, Pattern, PatternArena, PatternId};
use crate::stack;
use crate::strtab::TaggedStrMap;
use crate::xml::{is_whitespace, is_xml_space};

/// How a pattern is wrapped around each `After`'s continuation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Wrap {
    /// `x → group(x, q)`.
    GroupWith(PatternId),
    /// `x → group(q, x)`.
    GroupAfter(PatternId),
    /// `x → interleave(x, q)`.
    InterleaveLeft(PatternId),
    /// `x → interleave(q, x)`.
    InterleaveRight(PatternId),
    /// `x → after(x, q)`.
    AfterWith(PatternId),
}

/// Where an allowed start tag leads.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The pattern the element's attributes and content are validated
    /// against.
    pub inner: PatternId,
    /// When the start tag matched one element pattern only, the parent's
    /// continuation, set aside: `inner` is then `After(content, empty)`, the
    /// same in every context the element appears in, so its derivatives
    /// are shared by all of them.
    pub rest: Option<PatternId>,
    /// The key of the element's name.
    pub key: NameKey,
}

/// Patterns above this many make the deriver start afresh between documents.
const DEFAULT_CAP: usize = 2_000_000;

/// Derivatives over one schema, with their memo.
#[derive(Clone)]
pub struct Deriver<'s> {
    /// The schema's tables (elements, datatypes, values, names).
    pub grammar: &'s CompiledGrammar,
    /// The working arena: the schema's patterns plus those made here.
    pub arena: PatternArena,
    start_tag_open: IdMap<(PatternId, NameKey), PatternId>,
    att_start: IdMap<(PatternId, NameKey), PatternId>,
    start_tag_close: IdMap<PatternId, PatternId>,
    end_tag: IdMap<PatternId, PatternId>,
    /// The end of an element with no content at all, by the pattern
    /// before it: the end-tag derivative of `choice(p, text(p, ""))`
    /// (Clark's empty text child), in one lookup. Only successes are kept.
    empty_end: IdMap<PatternId, PatternId>,
    att_end: IdMap<PatternId, PatternId>,
    /// Text derivatives by (pattern, string), for results that did not
    /// consult the namespace context (bounded by [`TEXT_MEMO_CAP`]).
    text: TaggedStrMap<PatternId>,
    /// Whole transitions by the bytes of an event, so that the common case
    /// costs one lookup: a start tag by (pattern, name) → its [`Entry`],
    /// an attribute by (pattern, name and value) → pattern. Only successful
    /// transitions that did not consult the namespace context are kept.
    element_steps: TaggedStrMap<Entry, 2>,
    attribute_steps: TaggedStrMap<PatternId, 3>,
    cap: usize,
}

/// Stores a transition, emptying the memo first when it is full (its keys
/// come from documents, so it must not grow without bound).
fn remember<V, const N: usize>(
    memo: &mut TaggedStrMap<V, N>,
    p: PatternId,
    key: [&str; N],
    value: V,
) {
    if memo.len() >= TEXT_MEMO_CAP {
        memo.clear();
    }
    memo.insert_parts(p.index(), key, value);
}

/// Strings longer than this are not memoized (long text rarely repeats).
const TEXT_MEMO_MAX_LEN: usize = 256;
/// The text memo is emptied when it holds this many entries.
const TEXT_MEMO_CAP: usize = 1 << 16;

/// A context that remembers whether it was consulted: a text derivative
/// computed without it depends only on (pattern, string) and may be memoized.
struct Tracking<'c> {
    inner: &'c dyn Context,
    used: Cell<bool>,
}

impl Context for Tracking<'_> {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        self.used.set(true);
        self.inner.resolve_prefix(prefix)
    }

    fn is_unparsed_entity(&self, name: &str) -> bool {
        self.used.set(true);
        self.inner.is_unparsed_entity(name)
    }
}

impl<'s> Deriver<'s> {
    /// A deriver starting from the schema's arena.
    pub fn new(grammar: &'s CompiledGrammar) -> Deriver<'s> {
        Deriver {
            grammar,
            arena: grammar.arena.clone(),
            start_tag_open: IdMap::default(),
            att_start: IdMap::default(),
            start_tag_close: IdMap::default(),
            end_tag: IdMap::default(),
            empty_end: IdMap::default(),
            att_end: IdMap::default(),
            text: TaggedStrMap::default(),
            element_steps: TaggedStrMap::default(),
            attribute_steps: TaggedStrMap::default(),
            cap: DEFAULT_CAP,
        }
    }

    /// Sets the arena size past which [`Deriver::trim`] starts afresh.
    #[cfg(test)]
    pub(crate) fn set_cap(&mut self, cap: usize) {
        self.cap = cap;
    }

    /// Forgets everything made since the schema if the arena outgrew its cap
    /// (call between documents: ids made before are invalid afterwards);
    /// returns whether it did.
    pub fn trim(&mut self) -> bool {
        if self.arena.len() <= self.cap {
            return false;
        }
        let cap = self.cap;
        *self = Deriver::new(self.grammar);
        self.cap = cap;
        true
    }

    /// Runs `walk`, a step of a recursive walk over `p`, on a fresh stack
    /// segment when `p` nests deeper than the caller's stack can be trusted
    /// with; schemas that nest that deep are rare, so the common path only
    /// tests a flag.
    #[inline]
    fn on_enough_stack<R>(&mut self, p: PatternId, walk: impl FnOnce(&mut Self) -> R) -> R {
        if self.arena.is_deep(p) {
            stack::deeper(|| walk(self))
        } else {
            walk(self)
        }
    }

    /// Whether `p` matches the empty sequence.
    pub fn nullable(&self, p: PatternId) -> bool {
        self.arena.nullable(p)
    }

    fn apply_after(&mut self, wrap: Wrap, p: PatternId) -> PatternId {
        self.on_enough_stack(p, |d| match d.arena.get(p) {
            Pattern::After(a, b) => {
                let b = match wrap {
                    Wrap::GroupWith(q) => d.arena.group(b, q),
                    Wrap::GroupAfter(q) => d.arena.group(q, b),
                    Wrap::InterleaveLeft(q) => d.arena.interleave(b, q),
                    Wrap::InterleaveRight(q) => d.arena.interleave(q, b),
                    Wrap::AfterWith(q) => d.arena.after(b, q),
                };
                d.arena.after(a, b)
            }
            Pattern::Choice(a, b) => {
                let a = d.apply_after(wrap, a);
                let b = d.apply_after(wrap, b);
                d.arena.choice(a, b)
            }
            _ => PatternArena::NOT_ALLOWED,
        })
    }

    /// A start tag's transition from `p`, if an earlier one with this name
    /// was allowed.
    pub fn cached_start_tag(&self, p: PatternId, ns: &str, local: &str) -> Option<Entry> {
        self.element_steps
            .get_parts(p.index(), [ns, local])
            .copied()
    }

    /// [`Deriver::start_tag_open`] by the key of `ns`/`local`, as an
    /// [`Entry`] (`None` if not allowed), remembered for
    /// [`Deriver::cached_start_tag`].
    pub fn start_tag(
        &mut self,
        p: PatternId,
        ns: &str,
        local: &str,
        key: NameKey,
    ) -> Option<Entry> {
        let next = self.start_tag_open(p, key);
        if next == PatternArena::NOT_ALLOWED {
            return None;
        }
        let entry = match self.arena.get(next) {
            Pattern::After(content, rest) if rest != PatternArena::EMPTY => Entry {
                inner: self.arena.after(content, PatternArena::EMPTY),
                rest: Some(rest),
                key,
            },
            _ => Entry {
                inner: next,
                rest: None,
                key,
            },
        };
        remember(&mut self.element_steps, p, [ns, local], entry);
        Some(entry)
    }

    /// An attribute's whole transition from `p` (start, value, end), if an
    /// earlier attribute with this name and value was allowed there.
    pub fn cached_attribute(
        &self,
        p: PatternId,
        ns: &str,
        local: &str,
        value: &str,
    ) -> Option<PatternId> {
        if value.len() > TEXT_MEMO_MAX_LEN {
            return None;
        }
        self.attribute_steps
            .get_parts(p.index(), [ns, local, value])
            .copied()
    }

    /// An attribute's whole transition from `p`, by its name's `key`:
    /// returns the pattern after [`Deriver::att_start`] (for messages) and
    /// the pattern after the attribute (`notAllowed` if it does not fit).
    /// Remembered for [`Deriver::cached_attribute`] when allowed and
    /// independent of the namespace context.
    pub fn attribute(
        &mut self,
        p: PatternId,
        (ns, local, key): (&str, &str, NameKey),
        value: &str,
        ctx: &dyn Context,
    ) -> (PatternId, PatternId) {
        let started = self.att_start(p, key);
        if started == PatternArena::NOT_ALLOWED {
            return (started, started);
        }
        let tracking = Tracking {
            inner: ctx,
            used: Cell::new(false),
        };
        let valued = self.att_value(started, value, &tracking);
        let ended = self.att_end(valued);
        let memoizable = ended != PatternArena::NOT_ALLOWED
            && !tracking.used.get()
            && value.len() <= TEXT_MEMO_MAX_LEN;
        if memoizable {
            remember(&mut self.attribute_steps, p, [ns, local, value], ended);
        }
        (started, ended)
    }

    /// The derivative of `p` by the start of an element named `key`.
    pub fn start_tag_open(&mut self, p: PatternId, key: NameKey) -> PatternId {
        if !self.arena.may_start_element(p, key) {
            return PatternArena::NOT_ALLOWED;
        }
        if let Some(&r) = self.start_tag_open.get(&(p, key)) {
            return r;
        }
        let r = self.on_enough_stack(p, |d| match d.arena.get(p) {
            Pattern::Choice(a, b) => {
                let a = d.start_tag_open(a, key);
                let b = d.start_tag_open(b, key);
                d.arena.choice(a, b)
            }
            Pattern::Element(e) => {
                let def = d.grammar.element(e);
                if d.grammar.names.contains(def.name, key) {
                    d.arena.after(def.content, PatternArena::EMPTY)
                } else {
                    PatternArena::NOT_ALLOWED
                }
            }
            Pattern::Interleave(a, b) => {
                let da = d.start_tag_open(a, key);
                let x = d.apply_after(Wrap::InterleaveLeft(b), da);
                let db = d.start_tag_open(b, key);
                let y = d.apply_after(Wrap::InterleaveRight(a), db);
                d.arena.choice(x, y)
            }
            Pattern::OneOrMore(a) => {
                let rest = d.arena.choice(p, PatternArena::EMPTY);
                let da = d.start_tag_open(a, key);
                d.apply_after(Wrap::GroupWith(rest), da)
            }
            Pattern::Group(a, b) => {
                let da = d.start_tag_open(a, key);
                let x = d.apply_after(Wrap::GroupWith(b), da);
                if d.nullable(a) {
                    let db = d.start_tag_open(b, key);
                    d.arena.choice(x, db)
                } else {
                    x
                }
            }
            Pattern::After(a, b) => {
                let da = d.start_tag_open(a, key);
                d.apply_after(Wrap::AfterWith(b), da)
            }
            _ => PatternArena::NOT_ALLOWED,
        });
        self.start_tag_open.insert((p, key), r);
        r
    }

    /// The first step of an attribute: `After(value pattern, rest)` for each
    /// attribute pattern whose name class contains `key`.
    pub fn att_start(&mut self, p: PatternId, key: NameKey) -> PatternId {
        if !self.arena.may_take_attribute(p, key) {
            return PatternArena::NOT_ALLOWED;
        }
        if let Some(&r) = self.att_start.get(&(p, key)) {
            return r;
        }
        let r = self.on_enough_stack(p, |d| match d.arena.get(p) {
            Pattern::Choice(a, b) => {
                let a = d.att_start(a, key);
                let b = d.att_start(b, key);
                d.arena.choice(a, b)
            }
            Pattern::Attribute(nc, value) => {
                if d.grammar.names.contains(nc, key) {
                    d.arena.after(value, PatternArena::EMPTY)
                } else {
                    PatternArena::NOT_ALLOWED
                }
            }
            Pattern::Interleave(a, b) => {
                let da = d.att_start(a, key);
                let x = d.apply_after(Wrap::InterleaveLeft(b), da);
                let db = d.att_start(b, key);
                let y = d.apply_after(Wrap::InterleaveRight(a), db);
                d.arena.choice(x, y)
            }
            Pattern::Group(a, b) => {
                // Attributes are unordered: either side may hold it.
                let da = d.att_start(a, key);
                let x = d.apply_after(Wrap::GroupWith(b), da);
                let db = d.att_start(b, key);
                let y = d.apply_after(Wrap::GroupAfter(a), db);
                d.arena.choice(x, y)
            }
            Pattern::OneOrMore(a) => {
                let rest = d.arena.choice(p, PatternArena::EMPTY);
                let da = d.att_start(a, key);
                d.apply_after(Wrap::GroupWith(rest), da)
            }
            Pattern::After(a, b) => {
                let da = d.att_start(a, key);
                d.apply_after(Wrap::AfterWith(b), da)
            }
            _ => PatternArena::NOT_ALLOWED,
        });
        self.att_start.insert((p, key), r);
        r
    }

    /// The last step of an attribute: continue where the value pattern was
    /// satisfied.
    pub fn att_end(&mut self, p: PatternId) -> PatternId {
        if let Some(&r) = self.att_end.get(&p) {
            return r;
        }
        let r = self.on_enough_stack(p, |d| match d.arena.get(p) {
            Pattern::After(a, b) if d.nullable(a) => b,
            Pattern::Choice(a, b) => {
                let a = d.att_end(a);
                let b = d.att_end(b);
                d.arena.choice(a, b)
            }
            _ => PatternArena::NOT_ALLOWED,
        });
        self.att_end.insert(p, r);
        r
    }

    /// Clark's `valueMatch` as a derivative: the value `s` of an attribute
    /// after [`Deriver::att_start`], before [`Deriver::att_end`].
    pub fn att_value(&mut self, p: PatternId, s: &str, ctx: &dyn Context) -> PatternId {
        // Not memoized at this level: the value patterns inside `p` are
        // (by `text`), and the whole attribute transition is (by
        // `attribute`); a third copy of every new value would only cost.
        let matched = self.text_step(p, s, ctx);
        if is_whitespace(s) {
            // A whitespace-only value also matches a nullable value pattern.
            self.arena.choice(p, matched)
        } else {
            matched
        }
    }

    /// Recovery: continue with each `After`'s continuation whether or not
    /// its first part was satisfied — past an attribute whose value did not
    /// match, or an element that ended incomplete.
    pub fn skip_to_continuation(&mut self, p: PatternId) -> PatternId {
        self.on_enough_stack(p, |d| match d.arena.get(p) {
            Pattern::After(_, b) => b,
            Pattern::Choice(a, b) => {
                let a = d.skip_to_continuation(a);
                let b = d.skip_to_continuation(b);
                d.arena.choice(a, b)
            }
            _ => PatternArena::NOT_ALLOWED,
        })
    }

    /// The derivative by the end of the start tag: no attribute may follow.
    /// Once per element: the common cases (nothing left to close, or closed
    /// before) are inlined into the caller, the walk is not.
    #[inline]
    pub fn start_tag_close(&mut self, p: PatternId) -> PatternId {
        if !self.arena.consumes(p).attributes() {
            return p;
        }
        if let Some(&r) = self.start_tag_close.get(&p) {
            return r;
        }
        self.close(p, false)
    }

    /// Recovery for missing attributes: close the start tag as if every
    /// pending attribute had been given.
    pub fn start_tag_close_recover(&mut self, p: PatternId) -> PatternId {
        self.close(p, true)
    }

    fn close(&mut self, p: PatternId, ignore_missing: bool) -> PatternId {
        // Closing a start tag only touches attribute patterns.
        if !self.arena.consumes(p).attributes() {
            return p;
        }
        if !ignore_missing {
            if let Some(&r) = self.start_tag_close.get(&p) {
                return r;
            }
        }
        let r = self.on_enough_stack(p, |d| match d.arena.get(p) {
            Pattern::After(a, b) => {
                let a = d.close(a, ignore_missing);
                d.arena.after(a, b)
            }
            Pattern::Choice(a, b) => {
                let a = d.close(a, ignore_missing);
                let b = d.close(b, ignore_missing);
                d.arena.choice(a, b)
            }
            Pattern::Group(a, b) => {
                let a = d.close(a, ignore_missing);
                let b = d.close(b, ignore_missing);
                d.arena.group(a, b)
            }
            Pattern::Interleave(a, b) => {
                let a = d.close(a, ignore_missing);
                let b = d.close(b, ignore_missing);
                d.arena.interleave(a, b)
            }
            Pattern::OneOrMore(a) => {
                let a = d.close(a, ignore_missing);
                d.arena.one_or_more(a)
            }
            Pattern::Attribute(..) if ignore_missing => PatternArena::EMPTY,
            Pattern::Attribute(..) => PatternArena::NOT_ALLOWED,
            _ => p,
        });
        if !ignore_missing {
            self.start_tag_close.insert(p, r);
        }
        r
    }

    /// The derivative by a text node `s` (Clark's `textDeriv`), memoized by
    /// (pattern, string) when no namespace context was needed: documents
    /// repeat attribute values and short texts a great deal, and a value
    /// check (a choice of many `<value>`s, a regex) costs far more than a
    /// lookup.
    /// The memo hit is inlined into the caller, the rest is not.
    #[inline]
    pub fn text(&mut self, p: PatternId, s: &str, ctx: &dyn Context) -> PatternId {
        if s.len() <= TEXT_MEMO_MAX_LEN && p != PatternArena::NOT_ALLOWED {
            if let Some(&r) = self.text.get(p.index(), s) {
                return r;
            }
        }
        self.text_unmemoized(p, s, ctx)
    }

    /// [`Deriver::text`] when the memo has no answer.
    fn text_unmemoized(&mut self, p: PatternId, s: &str, ctx: &dyn Context) -> PatternId {
        if s.len() > TEXT_MEMO_MAX_LEN || p == PatternArena::NOT_ALLOWED {
            return self.text_step(p, s, ctx);
        }
        let tracking = Tracking {
            inner: ctx,
            used: Cell::new(false),
        };
        let r = self.text_step(p, s, &tracking);
        if !tracking.used.get() {
            if self.text.len() >= TEXT_MEMO_CAP {
                self.text.clear();
            }
            self.text.insert(p.index(), s, r);
        }
        r
    }

    /// One step of [`Deriver::text`]: choices are split without memoizing
    /// each alternative; `After`'s first component is memoized on its own,
    /// so an attribute's value pattern pays off whatever follows it.
    fn text_step(&mut self, p: PatternId, s: &str, ctx: &dyn Context) -> PatternId {
        if !self.arena.consumes(p).text() {
            return PatternArena::NOT_ALLOWED;
        }
        self.on_enough_stack(p, |d| match d.arena.get(p) {
            Pattern::Choice(a, b) => {
                let a = d.text_step(a, s, ctx);
                let b = d.text_step(b, s, ctx);
                d.arena.choice(a, b)
            }
            Pattern::Interleave(a, b) => {
                let da = d.text_step(a, s, ctx);
                let x = d.arena.interleave(da, b);
                let db = d.text_step(b, s, ctx);
                let y = d.arena.interleave(a, db);
                d.arena.choice(x, y)
            }
            Pattern::Group(a, b) => {
                let da = d.text_step(a, s, ctx);
                let x = d.arena.group(da, b);
                if d.nullable(a) {
                    let db = d.text_step(b, s, ctx);
                    d.arena.choice(x, db)
                } else {
                    x
                }
            }
            Pattern::After(a, b) => {
                let da = d.text(a, s, ctx);
                d.arena.after(da, b)
            }
            Pattern::OneOrMore(a) => {
                let rest = d.arena.choice(p, PatternArena::EMPTY);
                let da = d.text_step(a, s, ctx);
                d.arena.group(da, rest)
            }
            Pattern::Text => p,
            Pattern::Value(v) => {
                let def = &d.grammar.values[v.0 as usize];
                let dt = &d.grammar.datatypes[def.datatype.0 as usize];
                if dt.matches_value(s, &def.value, ctx) {
                    PatternArena::EMPTY
                } else {
                    PatternArena::NOT_ALLOWED
                }
            }
            Pattern::Data(dt) => {
                if d.grammar.datatypes[dt.0 as usize].check(s, ctx).is_ok() {
                    PatternArena::EMPTY
                } else {
                    PatternArena::NOT_ALLOWED
                }
            }
            Pattern::DataExcept(dt, except) => {
                let allowed = d.grammar.datatypes[dt.0 as usize].check(s, ctx).is_ok();
                if allowed {
                    let e = d.text_step(except, s, ctx);
                    if d.nullable(e) {
                        PatternArena::NOT_ALLOWED
                    } else {
                        PatternArena::EMPTY
                    }
                } else {
                    PatternArena::NOT_ALLOWED
                }
            }
            Pattern::List(inner) => {
                let mut q = inner;
                for token in s.split(is_xml_space).filter(|t| !t.is_empty()) {
                    q = d.text(q, token, ctx);
                    if q == PatternArena::NOT_ALLOWED {
                        break;
                    }
                }
                if d.nullable(q) {
                    PatternArena::EMPTY
                } else {
                    PatternArena::NOT_ALLOWED
                }
            }
            Pattern::NotAllowed | Pattern::Empty | Pattern::Attribute(..) | Pattern::Element(_) => {
                PatternArena::NOT_ALLOWED
            }
        })
    }

    /// The end of an element with no content from `p`, if an earlier one
    /// from `p` was allowed (see [`Deriver::remember_empty_end`]).
    pub fn cached_empty_end(&self, p: PatternId) -> Option<PatternId> {
        self.empty_end.get(&p).copied()
    }

    /// Remembers that an element with no content ended from `p` gives
    /// `ended` (`end_tag(choice(p, text(p, "")))`), which is not
    /// `notAllowed`.
    pub fn remember_empty_end(&mut self, p: PatternId, ended: PatternId) {
        self.empty_end.insert(p, ended);
    }

    /// The derivative by an element's end tag (the memo hit inlined into
    /// the caller).
    #[inline]
    pub fn end_tag(&mut self, p: PatternId) -> PatternId {
        match self.end_tag.get(&p) {
            Some(&r) => r,
            None => self.end_tag_unmemoized(p),
        }
    }

    fn end_tag_unmemoized(&mut self, p: PatternId) -> PatternId {
        let r = self.on_enough_stack(p, |d| match d.arena.get(p) {
            Pattern::After(a, b) if d.nullable(a) => b,
            Pattern::Choice(a, b) => {
                let a = d.end_tag(a);
                let b = d.end_tag(b);
                d.arena.choice(a, b)
            }
            _ => PatternArena::NOT_ALLOWED,
        });
        self.end_tag.insert(p, r);
        r
    }
}

#[cfg(test)]
mod tests;
