//! RELAX NG §7: the restrictions on the simplified schema — prohibited
//! paths (§7.1), string sequences (§7.2), duplicate attributes (§7.3) and
//! interleave (§7.4). They are checked on the arena, from the start pattern
//! and every reachable element's content; each pattern is visited once per
//! context, so shared definitions cost nothing extra.

use super::lower::SpanTable;
use super::name::{NameClass, NameClassId};
use super::{CompiledGrammar, ElementId, Pattern, PatternId};
use crate::diagnostic::SchemaError;
use crate::source::Span;
use crate::ErrorKind;

const CODE_PATH: ErrorKind = ErrorKind::SchemaProhibitedPath;
const CODE_STRING_SEQ: ErrorKind = ErrorKind::SchemaStringSequence;
const CODE_DUP_ATTR: ErrorKind = ErrorKind::SchemaDuplicateAttribute;
const CODE_INTERLEAVE: ErrorKind = ErrorKind::SchemaInterleaveOverlap;

/// Where a pattern sits, for §7.1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Ctx {
    start: bool,
    attribute: bool,
    one_or_more: bool,
    one_or_more_group: bool,
    list: bool,
    except: bool,
}

impl Ctx {
    /// The context as a bit mask over `u64`'s 64 bits (six flags, so 64
    /// contexts): `visited` keeps one word per pattern instead of hashing
    /// (pattern, context) pairs.
    fn bit(self) -> u64 {
        let index = [
            self.start,
            self.attribute,
            self.one_or_more,
            self.one_or_more_group,
            self.list,
            self.except,
        ]
        .iter()
        .enumerate()
        .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << i));
        1 << index
    }
}

/// Which named leaves §7.3 and §7.4 collect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Leaf {
    Attribute,
    Element,
}

/// The content types of §7.2, ordered empty < complex < simple.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ContentType {
    Empty,
    Complex,
    Simple,
}

fn groupable(a: ContentType, b: ContentType) -> bool {
    a == ContentType::Empty
        || b == ContentType::Empty
        || (a == ContentType::Complex && b == ContentType::Complex)
}

/// Checks every §7 restriction; returns the violations found.
pub fn check(grammar: &CompiledGrammar, spans: &SpanTable) -> Vec<SchemaError> {
    let mut checker = Checker::new(grammar, spans);
    checker.run();
    checker.errors
}

struct Checker<'g> {
    g: &'g CompiledGrammar,
    spans: &'g SpanTable,
    /// Per pattern, the contexts (`Ctx::bit`) it was visited in.
    visited: Vec<u64>,
    checked_pairs: Vec<bool>,
    content_types: Vec<Option<Option<ContentType>>>,
    /// Name classes of the attributes (elements) a pattern can hold, sorted
    /// and deduplicated: a range of `name_pool`, shared rather than copied
    /// between memo entries. Indexed by `Leaf` as usize, then by pattern.
    leaf_names: [Vec<Option<NameRange>>; 2],
    /// The lists `leaf_names` points into (one buffer, not one allocation
    /// per list).
    name_pool: Vec<NameClassId>,
    /// `visit`'s work list, kept between visits.
    stack: Vec<(PatternId, Ctx)>,
    has_text: Vec<Option<bool>>,
    elements_seen: Vec<bool>,
    element_queue: Vec<ElementId>,
    errors: Vec<SchemaError>,
    current_element: Option<ElementId>,
}

impl<'g> Checker<'g> {
    /// A checker with empty memo tables (its own function so that tests
    /// can drive the name-list merge directly).
    fn new(grammar: &'g CompiledGrammar, spans: &'g SpanTable) -> Checker<'g> {
        // The memo tables are indexed by pattern id: the arena is frozen here.
        let patterns = grammar.arena.len();
        Checker {
            g: grammar,
            spans,
            visited: vec![0; patterns],
            checked_pairs: vec![false; patterns],
            content_types: vec![None; patterns],
            leaf_names: [vec![None; patterns], vec![None; patterns]],
            name_pool: Vec::new(),
            stack: Vec::new(),
            has_text: vec![None; patterns],
            elements_seen: vec![false; grammar.elements.len()],
            element_queue: Vec::new(),
            errors: Vec::new(),
            current_element: None,
        }
    }

    fn run(&mut self) {
        let start_ctx = Ctx {
            start: true,
            ..Ctx::default()
        };
        self.visit(self.g.start, start_ctx);
        while let Some(e) = self.element_queue.pop() {
            self.current_element = Some(e);
            let content = self.g.element(e).content;
            self.visit(content, Ctx::default());
            if self.content_type(content).is_none() {
                let span = self.spans.elements.get(e.0 as usize).copied();
                self.report(CODE_STRING_SEQ, "the content of this element groups data or values with other content (RELAX NG §7.2)", span);
            }
        }
    }

    fn span_of(&self, p: PatternId) -> Option<Span> {
        self.spans.patterns.get(&p).copied().or_else(|| {
            self.current_element
                .and_then(|e| self.spans.elements.get(e.0 as usize).copied())
        })
    }

    fn report(&mut self, code: ErrorKind, message: &str, span: Option<Span>) {
        // One report per place and rule is enough.
        if self.errors.iter().any(|e| e.span == span && e.code == code) {
            return;
        }
        self.errors.push(SchemaError::new(code, message, span));
    }

    fn prohibit(&mut self, p: PatternId, what: &str, path: &str) {
        let span = self.span_of(p);
        self.report(
            CODE_PATH,
            &format!("{what} is not allowed {path} (RELAX NG §7.1)"),
            span,
        );
    }

    /// §7.1 over the pattern tree (elements are leaves), plus the §7.3/7.4
    /// pairwise checks at each group and interleave.
    fn visit(&mut self, root: PatternId, root_ctx: Ctx) {
        // One stack for every element's visit (it ends each one empty).
        let mut stack = std::mem::take(&mut self.stack);
        stack.push((root, root_ctx));
        while let Some((p, ctx)) = stack.pop() {
            let seen = &mut self.visited[p.0 as usize];
            if *seen & ctx.bit() != 0 {
                continue;
            }
            *seen |= ctx.bit();
            match self.g.arena.get(p) {
                Pattern::NotAllowed | Pattern::After(..) => {}
                Pattern::Empty => {
                    if ctx.except {
                        self.prohibit(p, "empty", "inside data/except");
                    } else if ctx.start {
                        self.prohibit(p, "empty", "in start");
                    }
                }
                Pattern::Text => {
                    if ctx.list {
                        self.prohibit(p, "text", "inside list");
                    } else if ctx.except {
                        self.prohibit(p, "text", "inside data/except");
                    } else if ctx.start {
                        self.prohibit(p, "text", "in start");
                    }
                }
                Pattern::Data(_) | Pattern::Value(_) => {
                    if ctx.start {
                        self.prohibit(p, "data or value", "in start");
                    }
                }
                Pattern::DataExcept(_, except) => {
                    if ctx.start {
                        self.prohibit(p, "data", "in start");
                    }
                    stack.push((
                        except,
                        Ctx {
                            except: true,
                            ..ctx
                        },
                    ));
                }
                Pattern::List(inner) => {
                    if ctx.list {
                        self.prohibit(p, "list", "inside list");
                    } else if ctx.except {
                        self.prohibit(p, "list", "inside data/except");
                    } else if ctx.start {
                        self.prohibit(p, "list", "in start");
                    }
                    stack.push((inner, Ctx { list: true, ..ctx }));
                }
                Pattern::Attribute(nc, value) => {
                    if ctx.attribute {
                        self.prohibit(p, "attribute", "inside attribute");
                    } else if ctx.one_or_more_group {
                        self.prohibit(
                            p,
                            "attribute",
                            "inside oneOrMore//group or oneOrMore//interleave",
                        );
                    } else if ctx.list {
                        self.prohibit(p, "attribute", "inside list");
                    } else if ctx.except {
                        self.prohibit(p, "attribute", "inside data/except");
                    } else if ctx.start {
                        self.prohibit(p, "attribute", "in start");
                    }
                    if !ctx.one_or_more && !self.g.names.is_finite(nc) {
                        let span = self.span_of(p);
                        self.report(CODE_DUP_ATTR, "an attribute with anyName or nsName must be inside oneOrMore (RELAX NG §7.3)", span);
                    }
                    stack.push((
                        value,
                        Ctx {
                            attribute: true,
                            ..ctx
                        },
                    ));
                }
                Pattern::Element(e) => {
                    if ctx.attribute {
                        self.prohibit(p, "element", "inside attribute");
                    } else if ctx.list {
                        self.prohibit(p, "element", "inside list");
                    } else if ctx.except {
                        self.prohibit(p, "element", "inside data/except");
                    }
                    if !std::mem::replace(&mut self.elements_seen[e.0 as usize], true) {
                        self.element_queue.push(e);
                    }
                }
                Pattern::OneOrMore(inner) => {
                    if ctx.except {
                        self.prohibit(p, "oneOrMore", "inside data/except");
                    } else if ctx.start {
                        self.prohibit(p, "oneOrMore", "in start");
                    }
                    stack.push((
                        inner,
                        Ctx {
                            one_or_more: true,
                            ..ctx
                        },
                    ));
                }
                Pattern::Choice(a, b) => {
                    stack.push((b, ctx));
                    stack.push((a, ctx));
                }
                Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                    let is_interleave = matches!(self.g.arena.get(p), Pattern::Interleave(..));
                    let name = if is_interleave { "interleave" } else { "group" };
                    if ctx.except {
                        self.prohibit(p, name, "inside data/except");
                    } else if ctx.start {
                        self.prohibit(p, name, "in start");
                    } else if is_interleave && ctx.list {
                        self.prohibit(p, name, "inside list");
                    }
                    if !ctx.list
                        && !ctx.except
                        && !std::mem::replace(&mut self.checked_pairs[p.0 as usize], true)
                    {
                        self.check_pair(p, a, b, is_interleave);
                    }
                    let inner = Ctx {
                        one_or_more_group: ctx.one_or_more,
                        ..ctx
                    };
                    stack.push((b, inner));
                    stack.push((a, inner));
                }
            }
        }
        self.stack = stack;
    }

    /// §7.3 (and §7.4 for interleave) for the two halves of `p`.
    fn check_pair(&mut self, p: PatternId, a: PatternId, b: PatternId, is_interleave: bool) {
        let attrs_a = self.names_in(a, Leaf::Attribute);
        let attrs_b = self.names_in(b, Leaf::Attribute);
        if self.any_overlap(self.pooled(attrs_a), self.pooled(attrs_b)) {
            let span = self.span_of(p);
            self.report(
                CODE_DUP_ATTR,
                "the same attribute can occur twice here (RELAX NG §7.3)",
                span,
            );
        }
        if !is_interleave {
            return;
        }
        let elems_a = self.names_in(a, Leaf::Element);
        let elems_b = self.names_in(b, Leaf::Element);
        if self.any_overlap(self.pooled(elems_a), self.pooled(elems_b)) {
            let span = self.span_of(p);
            self.report(
                CODE_INTERLEAVE,
                "both sides of this interleave can start with the same element (RELAX NG §7.4)",
                span,
            );
        }
        if self.contains_text(a) && self.contains_text(b) {
            let span = self.span_of(p);
            self.report(
                CODE_INTERLEAVE,
                "both sides of this interleave contain text (RELAX NG §7.4)",
                span,
            );
        }
    }

    /// Whether some class of `a` overlaps some class of `b`. Both lists are
    /// sorted; single names are interned, so two of them overlap exactly
    /// when their ids are equal, which a merge finds in linear time. Only
    /// the wildcards and choices need the general (pairwise) test.
    fn any_overlap(&self, a: &[NameClassId], b: &[NameClassId]) -> bool {
        let names = &self.g.names;
        let is_name = |nc: &NameClassId| matches!(names.get(*nc), NameClass::Name(_));
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if !is_name(&a[i]) {
                i += 1;
            } else if !is_name(&b[j]) {
                j += 1;
            } else {
                match a[i].cmp(&b[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => return true,
                }
            }
        }
        let mut wide_a = a.iter().filter(|nc| !is_name(nc));
        let mut wide_b = b.iter().filter(|nc| !is_name(nc));
        wide_a.any(|&x| b.iter().any(|&y| names.overlap(x, y)))
            || wide_b.any(|&y| a.iter().any(|&x| names.overlap(x, y)))
    }

    /// §7.2 content type (None: the pattern has none).
    fn content_type(&mut self, p: PatternId) -> Option<ContentType> {
        if let Some(ct) = self.content_types[p.0 as usize] {
            return ct;
        }
        let ct = match self.g.arena.get(p) {
            Pattern::NotAllowed | Pattern::Empty | Pattern::After(..) => Some(ContentType::Empty),
            Pattern::Text | Pattern::Element(_) => Some(ContentType::Complex),
            Pattern::Data(_) | Pattern::Value(_) | Pattern::List(_) => Some(ContentType::Simple),
            Pattern::DataExcept(_, e) => self.content_type(e).map(|_| ContentType::Simple),
            Pattern::Attribute(_, v) => self.content_type(v).map(|_| ContentType::Empty),
            Pattern::Choice(a, b) => {
                let (a, b) = (self.content_type(a), self.content_type(b));
                a.zip(b).map(|(a, b)| a.max(b))
            }
            Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                let (a, b) = (self.content_type(a), self.content_type(b));
                a.zip(b)
                    .filter(|&(a, b)| groupable(a, b))
                    .map(|(a, b)| a.max(b))
            }
            Pattern::OneOrMore(a) => self.content_type(a).filter(|&a| groupable(a, a)),
        };
        self.content_types[p.0 as usize] = Some(ct);
        ct
    }

    /// Name classes of the attributes (or elements) that `p` can contain
    /// without entering an element or an attribute's value (§7.3, §7.4),
    /// memoized per pattern and kind.
    fn names_in(&mut self, p: PatternId, kind: Leaf) -> NameRange {
        if let Some(v) = self.leaf_names[kind as usize][p.0 as usize] {
            return v;
        }
        let v = match (self.g.arena.get(p), kind) {
            (Pattern::Attribute(nc, _), Leaf::Attribute) => self.single(nc),
            (Pattern::Element(e), Leaf::Element) => self.single(self.g.element(e).name),
            (Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b), _) => {
                let a = self.names_in(a, kind);
                let b = self.names_in(b, kind);
                self.union(a, b)
            }
            (Pattern::OneOrMore(a), _) => self.names_in(a, kind),
            _ => NameRange::EMPTY,
        };
        self.leaf_names[kind as usize][p.0 as usize] = Some(v);
        v
    }

    /// The list a `NameRange` denotes.
    fn pooled(&self, r: NameRange) -> &[NameClassId] {
        &self.name_pool[r.start as usize..r.end as usize]
    }

    /// A one-name list.
    fn single(&mut self, nc: NameClassId) -> NameRange {
        let start = self.name_pool.len() as u32;
        self.name_pool.push(nc);
        NameRange {
            start,
            end: start + 1,
        }
    }

    /// The sorted, deduplicated union of two sorted lists (shares one when
    /// the other is empty), merged onto the end of the pool.
    fn union(&mut self, a: NameRange, b: NameRange) -> NameRange {
        if b.is_empty() {
            return a;
        }
        if a.is_empty() {
            return b;
        }
        let start = self.name_pool.len() as u32;
        let (mut i, mut j) = (a.start as usize, b.start as usize);
        let (a_end, b_end) = (a.end as usize, b.end as usize);
        while i < a_end && j < b_end {
            let (x, y) = (self.name_pool[i], self.name_pool[j]);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
            self.name_pool.push(x.min(y));
        }
        self.name_pool.extend_from_within(i..a_end);
        self.name_pool.extend_from_within(j..b_end);
        NameRange {
            start,
            end: self.name_pool.len() as u32,
        }
    }

    fn contains_text(&mut self, p: PatternId) -> bool {
        if let Some(t) = self.has_text[p.0 as usize] {
            return t;
        }
        let t = match self.g.arena.get(p) {
            Pattern::Text => true,
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                self.contains_text(a) || self.contains_text(b)
            }
            Pattern::OneOrMore(a) => self.contains_text(a),
            _ => false,
        };
        self.has_text[p.0 as usize] = Some(t);
        t
    }
}

/// A list of name classes in `Checker::name_pool`.
#[derive(Clone, Copy, Debug)]
struct NameRange {
    start: u32,
    end: u32,
}

impl NameRange {
    const EMPTY: NameRange = NameRange { start: 0, end: 0 };

    fn is_empty(self) -> bool {
        self.start == self.end
    }
}

#[cfg(test)]
mod tests;
