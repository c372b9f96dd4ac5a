//! Schema coverage: which parts of a schema the documents matched.
//!
//! When a schema is loaded with [`crate::LoadOptions::coverage`], lowering
//! keeps a side table of *items*: every `element`, `attribute`, `value`,
//! `data`, `choice` branch, `optional` and `zeroOrMore` part and `define`
//! of the files the start pattern reaches, each with its source location
//! and the interned pattern it became. A validator with coverage on
//! ([`crate::validate::Validator::enable_coverage`]) counts, per pattern,
//! how often a document matched it ([`Hits`]); [`MergedItems`] joins the
//! two, merging the items of several schemas by location. Nothing here runs when coverage is off.
//!
//! **Shared hits.** Patterns are hash-consed: two places that write the
//! same pattern (the same `<optional><ref name="x"/></optional>` in two
//! defines, an `<attribute name="id"/>` of text twice) become one pattern,
//! so they are covered together: each place shows the hits of both. Every
//! `element`, `value` and `data` is a pattern of its own, so an item that
//! contains one (an attribute with a value list, a branch holding an
//! element) is never shared. A define's items are counted once however
//! many places refer to it. `choice` branches that are `empty`, `text` or
//! `notAllowed` are not items (those patterns are shared by the whole schema).
//!
//! Choices are flattened as they are interned, so a choice written inside
//! another (an `optional` in a define that is one branch of a choice) is no
//! pattern of its own in the arena: an item that is a choice is counted as
//! the sum of its alternatives' counts.
//!
//! **What counts as matched.** After each element, its content pattern is
//! walked against what the element had (its attributes and values, the
//! element patterns its children matched, its text): an item is matched
//! when something of the element fits it there. Where a content model is
//! ambiguous (two branches could account for the same child), both count.

use std::path::Path;

use crate::pattern::{Pattern, PatternArena, PatternId};
use crate::source::Span;

/// What kind of schema construct an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    /// `element`.
    Element,
    /// `attribute`.
    Attribute,
    /// `value`.
    Value,
    /// `data`.
    Data,
    /// One branch of a `choice` (not itself an element, attribute, value or data).
    Branch,
    /// `optional`.
    Optional,
    /// `zeroOrMore`.
    ZeroOrMore,
    /// `define`.
    Define,
}

impl ItemKind {
    /// The word for it in reports (the RELAX NG element name).
    pub fn word(self) -> &'static str {
        match self {
            ItemKind::Element => "element",
            ItemKind::Attribute => "attribute",
            ItemKind::Value => "value",
            ItemKind::Data => "data",
            ItemKind::Branch => "choice branch",
            ItemKind::Optional => "optional",
            ItemKind::ZeroOrMore => "zeroOrMore",
            ItemKind::Define => "define",
        }
    }
}

/// One coverage item as lowering records it.
#[derive(Clone, Debug)]
pub struct Item {
    /// The pattern it became (shared with any equal pattern).
    pub pattern: PatternId,
    /// Where it is written.
    pub span: Span,
    /// Its kind.
    pub kind: ItemKind,
    /// Its name: the element's or attribute's name, the value's literal,
    /// the datatype, the define's name, what a branch holds.
    pub name: String,
    /// The define it is written in, if any (a define item: its own).
    pub define: Option<std::sync::Arc<str>>,
}

/// How often each pattern was matched, by documents that count (valid
/// ones) and by the others (invalid ones, expected or not). Indexed by
/// pattern id; add up per-thread counts with [`Hits::merge`].
#[derive(Clone, Debug, Default)]
pub struct Hits {
    /// Matches in documents that count.
    pub valid: Vec<u64>,
    /// Matches in documents that do not.
    pub invalid: Vec<u64>,
}

impl Hits {
    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &Hits) {
        add_into(&mut self.valid, &other.valid);
        add_into(&mut self.invalid, &other.invalid);
    }

    /// The counts of `p` (valid, invalid); for a choice, the sums of its
    /// alternatives' (see the module's note on flattened choices).
    fn of(&self, arena: &PatternArena, p: PatternId) -> (u64, u64) {
        let get = |q: PatternId| {
            let at = q.index() as usize;
            let count = |counts: &[u64]| counts.get(at).copied().unwrap_or(0);
            (count(&self.valid), count(&self.invalid))
        };
        if !matches!(arena.get(p), Pattern::Choice(..)) {
            return get(p);
        }
        // Choices nest to the right as they are flattened, so the left
        // parts are visited as they come and only the right spine waits.
        let (mut valid, mut invalid) = (0, 0);
        let mut add = |q: PatternId| {
            if q > PatternArena::TEXT {
                let (v, n) = get(q);
                valid += v;
                invalid += n;
            }
        };
        let mut waiting = Vec::new();
        let mut next = Some(p);
        while let Some(q) = next.take().or_else(|| waiting.pop()) {
            match arena.get(q) {
                Pattern::Choice(a, b) => {
                    match arena.get(a) {
                        Pattern::Choice(..) => waiting.push(a),
                        _ => add(a),
                    }
                    next = Some(b);
                }
                _ => add(q),
            }
        }
        (valid, invalid)
    }
}

fn add_into(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

/// One item with its location and counts, ready for reports (borrowed
/// from the schemas it is an item of).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CoveredItem<'a> {
    /// The schema file.
    pub file: &'a Path,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Its kind.
    pub kind: ItemKind,
    /// Its name (see [`Item::name`]).
    pub name: &'a str,
    /// The define it is written in.
    pub define: Option<&'a str>,
    /// Matches in documents that count.
    pub hits: u64,
    /// Matches in the other documents.
    pub invalid_hits: u64,
}

/// One schema's part in a coverage report: its items, files, arena and hits.
#[cfg(test)]
pub(crate) type SchemaCounts<'a, 'h> = (
    &'a [Item],
    &'a crate::source::SourceMap,
    &'a PatternArena,
    &'h Hits,
);

/// The items of several schemas with their counts, merged by location (see
/// [`MergedItems`]).
#[cfg(test)]
pub(crate) fn merged_items<'a, 'h>(
    schemas: impl IntoIterator<Item = SchemaCounts<'a, 'h>>,
) -> Vec<CoveredItem<'a>> {
    let mut merged = MergedItems::default();
    let mut counts = Vec::new();
    for (items, sources, arena, hits) in schemas {
        merged.add(items, sources);
        counts.push((arena, hits));
    }
    merged.counted(&counts)
}

/// The coverage items of several schemas merged by location: an item of a
/// file that several schemas include (libvirt's basictypes.rng) comes once,
/// with the counts of all and the first schema's name and define. Built
/// schema by schema before the counts are known (a run adds each schema as
/// soon as it is compiled, while documents are still being validated, and
/// [`MergedItems::prepare`]s the report order when all are in); then
/// [`MergedItems::counted`] adds the counts.
#[derive(Default)]
pub(crate) struct MergedItems<'a> {
    paths: Paths<'a>,
    /// Indexes into `merged`, by location and kind.
    slots: hashbrown::HashTable<u32>,
    merged: Vec<Merged<'a>>,
    /// Each schema added: its items, and the index in `merged` of each.
    schemas: Vec<(&'a [Item], Vec<u32>)>,
    /// Every merged item located, with no counts yet, in report order, and
    /// where each of `merged` is in it (see [`MergedItems::prepare`]).
    report: Option<(Vec<CoveredItem<'a>>, Vec<u32>)>,
}

/// An item of the first schema that has it at its location.
struct Merged<'a> {
    /// Its file (by `Paths::index`) and offset.
    file: u32,
    offset: u32,
    item: &'a Item,
    sources: &'a crate::source::SourceMap,
}

impl<'a> MergedItems<'a> {
    /// Adds the items of the next schema (each path is looked up once per
    /// run of items in one file).
    pub(crate) fn add(&mut self, items: &'a [Item], sources: &'a crate::source::SourceMap) {
        self.report = None;
        let mut last: Option<(crate::source::FileId, u32)> = None;
        let mut places = Vec::with_capacity(items.len());
        for item in items {
            let file = match last {
                Some((id, file)) if id == item.span.file => file,
                _ => self.paths.index(sources.file(item.span.file).path()),
            };
            last = Some((item.span.file, file));
            let offset = item.span.start;
            let hash = slot_hash(file, offset, item.kind);
            let merged = &self.merged;
            // Location and kind almost always tell items apart (the name is
            // compared, not hashed).
            let same = |&slot: &u32| {
                let seen = &merged[slot as usize];
                (seen.file, seen.offset, seen.item.kind) == (file, offset, item.kind)
                    && seen.item.name == item.name
            };
            let slot = match self.slots.find(hash, same) {
                Some(&slot) => slot,
                None => {
                    let slot = self.merged.len() as u32;
                    self.merged.push(Merged {
                        file,
                        offset,
                        item,
                        sources,
                    });
                    let merged = &self.merged;
                    self.slots.insert_unique(hash, slot, |&slot| {
                        let m = &merged[slot as usize];
                        slot_hash(m.file, m.offset, m.item.kind)
                    });
                    slot
                }
            };
            places.push(slot);
        }
        self.schemas.push((items, places));
    }

    /// Puts the items in report order (files by path, as bytes, then items
    /// by offset, kind and name) and locates each (line and column).
    pub(crate) fn prepare(&mut self) {
        if self.report.is_some() {
            return;
        }
        let rank = self.paths.ranks();
        let merged = &self.merged;
        let mut order: Vec<u32> = (0..merged.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (&merged[a as usize], &merged[b as usize]);
            let key = |m: &Merged| (rank[m.file as usize], m.offset, m.item.kind);
            key(a)
                .cmp(&key(b))
                .then_with(|| a.item.name.cmp(&b.item.name))
        });
        let mut at = vec![0; merged.len()];
        for (i, &slot) in order.iter().enumerate() {
            at[slot as usize] = i as u32;
        }
        let located = order.iter().map(|&slot| merged[slot as usize].locate());
        self.report = Some((located.collect(), at));
    }

    /// Every merged item in report order with the counts of the schemas
    /// added (`counts`, in the order they were added: each one's arena and
    /// hits).
    pub(crate) fn counted(&mut self, counts: &[(&PatternArena, &Hits)]) -> Vec<CoveredItem<'a>> {
        self.prepare();
        let Some((report, at)) = &self.report else {
            return Vec::new();
        };
        let mut report = report.clone();
        for ((items, places), (arena, hits)) in self.schemas.iter().zip(counts) {
            for (item, &slot) in items.iter().zip(places) {
                let (valid, invalid) = hits.of(arena, item.pattern);
                let counted = &mut report[at[slot as usize] as usize];
                counted.hits += valid;
                counted.invalid_hits += invalid;
            }
        }
        report
    }
}

/// A hash of an item's location and kind (multiplicative: locations are
/// small integers, not chosen by a document).
fn slot_hash(file: u32, offset: u32, kind: ItemKind) -> u64 {
    let key = (u64::from(file) << 32 | u64::from(offset)) ^ ((kind as u64) << 56);
    let mixed = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    mixed ^ (mixed >> 29)
}

impl<'a> Merged<'a> {
    fn locate(&self) -> CoveredItem<'a> {
        let item = self.item;
        let lc = self.sources.line_col(item.span);
        CoveredItem {
            file: self.sources.file(item.span.file).path(),
            line: lc.line,
            column: lc.column,
            kind: item.kind,
            name: &item.name,
            define: item.define.as_deref(),
            hits: 0,
            invalid_hits: 0,
        }
    }
}

/// The schema files of several schemas, each path once.
#[derive(Default)]
struct Paths<'a> {
    index: hashbrown::HashMap<&'a [u8], u32, foldhash::fast::RandomState>,
    paths: Vec<&'a [u8]>,
}

impl<'a> Paths<'a> {
    fn index(&mut self, path: &'a Path) -> u32 {
        let bytes = path.as_os_str().as_encoded_bytes();
        let next = self.paths.len() as u32;
        let index = *self.index.entry(bytes).or_insert(next);
        if index == next {
            self.paths.push(bytes);
        }
        index
    }

    /// Each path's rank in byte order, by index.
    fn ranks(&self) -> Vec<u32> {
        let mut in_order: Vec<usize> = (0..self.paths.len()).collect();
        in_order.sort_unstable_by_key(|&i| self.paths[i]);
        let mut rank = vec![0; self.paths.len()];
        for (r, &i) in in_order.iter().enumerate() {
            rank[i] = r as u32;
        }
        rank
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceMap, Span};

    fn item(
        sources: &mut SourceMap,
        path: &str,
        start: usize,
        name: &str,
        pattern: PatternId,
    ) -> Item {
        let text = "<grammar>\n  <element name='a'/>\n  <element name='b'/>\n</grammar>";
        let file = sources.add(path, text);
        Item {
            pattern,
            span: Span::new(file, start..start + 1),
            kind: ItemKind::Element,
            name: name.to_string(),
            define: None,
        }
    }

    #[test]
    fn no_items_merge_to_none() {
        let (arena, sources, hits) = (PatternArena::new(), SourceMap::new(), Hits::default());
        assert!(merged_items([]).is_empty());
        assert!(merged_items([(&[][..], &sources, &arena, &hits)]).is_empty());
    }

    // Counts are by pattern: these two stand for any two.
    const P1: PatternId = PatternArena::EMPTY;
    const P2: PatternId = PatternArena::TEXT;

    #[test]
    fn a_choice_counts_its_alternatives_valid_and_invalid_but_not_text() {
        let mut arena = PatternArena::new();
        let a = arena.element(crate::pattern::ElementId(0), Default::default());
        let b = arena.element(crate::pattern::ElementId(1), Default::default());
        let choice = arena.choice_all([a, b, PatternArena::TEXT]);
        let mut sources = SourceMap::new();
        let mut optional = item(&mut sources, "s.rng", 12, "", choice);
        optional.kind = ItemKind::Optional;
        let size = arena.len();
        let mut hits = Hits {
            valid: vec![0; size],
            invalid: vec![0; size],
        };
        for (p, valid, invalid) in [(a, 2, 1), (b, 3, 4), (PatternArena::TEXT, 100, 100)] {
            hits.valid[p.index() as usize] = valid;
            hits.invalid[p.index() as usize] = invalid;
        }
        // The choice's own count (it may have been flattened away) is not used.
        hits.valid[choice.index() as usize] = 1000;
        let items = [optional];
        let merged = merged_items([(&items[..], &sources, &arena, &hits)]);
        assert_eq!((merged[0].hits, merged[0].invalid_hits), (2 + 3, 1 + 4));
    }

    #[test]
    fn items_at_one_place_stay_apart_by_kind_and_name_and_sum_both_sides() {
        let arena = PatternArena::new();
        let hits = |valid: u64, invalid: u64| Hits {
            valid: vec![0, valid, 0],
            invalid: vec![0, invalid, 0],
        };
        let (mut first, mut second) = (SourceMap::new(), SourceMap::new());
        let mut attribute = item(&mut first, "s.rng", 12, "a", P1);
        attribute.kind = ItemKind::Attribute;
        let items_first = [
            item(&mut first, "s.rng", 12, "a", P1),
            attribute,
            item(&mut first, "s.rng", 12, "b", P1),
        ];
        let items_second = [item(&mut second, "s.rng", 12, "a", P1)];
        let (hits_first, hits_second) = (hits(1, 10), hits(2, 20));
        let merged = merged_items([
            (&items_first[..], &first, &arena, &hits_first),
            (&items_second[..], &second, &arena, &hits_second),
        ]);
        let seen: Vec<(ItemKind, &str, u64, u64)> = merged
            .iter()
            .map(|i| (i.kind, i.name, i.hits, i.invalid_hits))
            .collect();
        assert_eq!(
            seen,
            [
                (ItemKind::Element, "a", 1 + 2, 10 + 20),
                (ItemKind::Element, "b", 1, 10),
                (ItemKind::Attribute, "a", 1, 10),
            ]
        );
    }

    /// Counts of valid documents only.
    fn valid_hits(valid: Vec<u64>) -> Hits {
        Hits {
            invalid: vec![0; valid.len()],
            valid,
        }
    }

    /// The first schema's items in the two-schema tests: one in a file of
    /// its own, one in a file the second schema shares.
    fn first_schema_items(sources: &mut SourceMap) -> [Item; 2] {
        [
            item(sources, "z.rng", 34, "b", P1),
            item(sources, "shared.rng", 12, "a", P2),
        ]
    }

    #[test]
    fn merged_by_location_with_summed_hits_in_file_and_position_order() {
        let arena = PatternArena::new();
        let (mut first, mut second) = (SourceMap::new(), SourceMap::new());
        let items_first = first_schema_items(&mut first);
        let items_second = [
            item(&mut second, "shared.rng", 34, "b", P2),
            item(&mut second, "shared.rng", 12, "a", P1),
        ];
        let (hits_first, hits_second) = (valid_hits(vec![0, 1, 2]), valid_hits(vec![0, 10, 20]));
        let merged = merged_items([
            (&items_first[..], &first, &arena, &hits_first),
            (&items_second[..], &second, &arena, &hits_second),
        ]);
        let seen: Vec<(String, u32, u32, &str, u64)> = merged
            .iter()
            .map(|i| {
                (
                    i.file.display().to_string(),
                    i.line,
                    i.column,
                    i.name,
                    i.hits,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("shared.rng".to_string(), 2, 3, "a", 2 + 10),
                ("shared.rng".to_string(), 3, 3, "b", 20),
                ("z.rng".to_string(), 3, 3, "b", 1),
            ]
        );
    }

    #[test]
    fn items_merged_while_schemas_come_count_as_merged_at_once() {
        let arena = PatternArena::new();
        let (mut first, mut second) = (SourceMap::new(), SourceMap::new());
        let items_first = first_schema_items(&mut first);
        let items_second = [
            item(&mut second, "a.rng", 12, "c", P1),
            item(&mut second, "shared.rng", 12, "a", P1),
        ];
        let (hits_first, hits_second) = (valid_hits(vec![0, 1, 2]), valid_hits(vec![0, 10, 20]));
        let counts = [(&arena, &hits_first), (&arena, &hits_second)];
        let at_once = merged_items([
            (&items_first[..], &first, &arena, &hits_first),
            (&items_second[..], &second, &arena, &hits_second),
        ]);
        let mut merged = MergedItems::default();
        merged.add(&items_first, &first);
        merged.prepare();
        merged.add(&items_second, &second);
        merged.prepare();
        assert_eq!(merged.counted(&counts), at_once);
        assert_eq!(merged.counted(&counts), at_once, "counted twice");
        let files: Vec<String> = at_once
            .iter()
            .map(|i| i.file.display().to_string())
            .collect();
        assert_eq!(files, ["a.rng", "shared.rng", "z.rng"]);
        assert_eq!(at_once[1].hits, 2 + 10);
    }
}
