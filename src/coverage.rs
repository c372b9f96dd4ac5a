//! Schema coverage: which parts of a schema the documents matched.
//!
//! When a schema is loaded with [`crate::LoadOptions::coverage`], lowering
//! keeps a side table of *items*: every `element`, `attribute`, `value`,
//! `data`, `choice` branch, `optional` and `zeroOrMore` part and `define`
//! of the files the start pattern reaches, each with its source location
//! and the interned pattern it became. A validator with coverage on
//! ([`crate::validate::Validator::enable_coverage`]) counts, per pattern,
//! how often a document matched it ([`Hits`]); `Schema::merged_coverage`
//! joins the two. Nothing here runs when coverage is off.
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

use std::path::PathBuf;

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
    pub define: Option<String>,
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

    fn get(counts: &[u64], p: PatternId) -> u64 {
        counts.get(p.index() as usize).copied().unwrap_or(0)
    }

    /// The count of `p`; for a choice, the sum of its alternatives' (see
    /// the module's note on flattened choices).
    fn of(counts: &[u64], arena: &PatternArena, p: PatternId) -> u64 {
        if !matches!(arena.get(p), Pattern::Choice(..)) {
            return Hits::get(counts, p);
        }
        let mut sum = 0;
        let mut stack = vec![p];
        while let Some(q) = stack.pop() {
            match arena.get(q) {
                Pattern::Choice(a, b) => stack.extend([a, b]),
                _ if q <= PatternArena::TEXT => {}
                _ => sum += Hits::get(counts, q),
            }
        }
        sum
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

/// One item with its location and counts, ready for reports.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CoveredItem {
    /// The schema file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Its kind.
    pub kind: ItemKind,
    /// Its name (see [`Item::name`]).
    pub name: String,
    /// The define it is written in.
    pub define: Option<String>,
    /// Matches in documents that count.
    pub hits: u64,
    /// Matches in the other documents.
    pub invalid_hits: u64,
}

/// The items of several schemas with their counts (each schema's items,
/// files, arena and hits), merged by location: an item of a file that
/// several schemas include (libvirt's basictypes.rng) comes once, with the
/// counts of all. Each location is located in its file once.
pub(crate) fn merged_items<'a>(
    schemas: impl IntoIterator<
        Item = (
            &'a [Item],
            &'a crate::source::SourceMap,
            &'a PatternArena,
            &'a Hits,
        ),
    >,
) -> Vec<CoveredItem> {
    type Key<'a> = (&'a [u8], u32, ItemKind, &'a str);
    let mut index: hashbrown::HashMap<Key<'a>, usize, foldhash::fast::RandomState> =
        hashbrown::HashMap::default();
    let mut merged: Vec<(&'a Item, &'a crate::source::SourceMap, u64, u64)> = Vec::new();
    for (items, sources, arena, hits) in schemas {
        for item in items {
            let path = sources.file(item.span.file).path().as_os_str();
            let key = (
                path.as_encoded_bytes(),
                item.span.start,
                item.kind,
                item.name.as_str(),
            );
            let valid = Hits::of(&hits.valid, arena, item.pattern);
            let invalid = Hits::of(&hits.invalid, arena, item.pattern);
            match index.entry(key) {
                hashbrown::hash_map::Entry::Occupied(at) => {
                    let seen = &mut merged[*at.get()];
                    seen.2 += valid;
                    seen.3 += invalid;
                }
                hashbrown::hash_map::Entry::Vacant(at) => {
                    at.insert(merged.len());
                    merged.push((item, sources, valid, invalid));
                }
            }
        }
    }
    merged
        .into_iter()
        .map(|(item, sources, valid, invalid)| locate(item, sources, valid, invalid))
        .collect()
}

/// An item located in its file, with its counts.
fn locate(
    item: &Item,
    sources: &crate::source::SourceMap,
    hits: u64,
    invalid_hits: u64,
) -> CoveredItem {
    let lc = sources.line_col(item.span);
    CoveredItem {
        file: sources.file(item.span.file).path().to_path_buf(),
        line: lc.line,
        column: lc.column,
        kind: item.kind,
        name: item.name.clone(),
        define: item.define.clone(),
        hits,
        invalid_hits,
    }
}
