//! What would have been accepted: computed only after a failure, never on
//! the success path.

use std::collections::HashSet;

use crate::datatype::Context;
use crate::derive::Deriver;
use crate::diagnostic::ValueProblem;
use crate::pattern::{NameClass, NameKey, Pattern, PatternArena, PatternId};

/// Which parts of a group can come next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// What can come first: the second half of a group only when the
    /// first is nullable (elements, text).
    First,
    /// Anything pending in any order (attributes are unordered).
    Anywhere,
}

/// Visits each leaf pattern reachable from `p` without entering an element
/// or passing an `After`'s continuation, each once.
fn walk_leaves(d: &Deriver, p: PatternId, reach: Reach, mut visit: impl FnMut(Pattern)) {
    let mut seen = HashSet::new();
    let mut stack = vec![p];
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
            continue;
        }
        match d.arena.get(p) {
            Pattern::Choice(a, b) | Pattern::Interleave(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Pattern::Group(a, b) => {
                if reach == Reach::Anywhere || d.nullable(a) {
                    stack.push(b);
                }
                stack.push(a);
            }
            Pattern::OneOrMore(a) | Pattern::After(a, _) => stack.push(a),
            leaf => visit(leaf),
        }
    }
}

/// Names of the elements that could start now (inside the current element:
/// only the first component of each `After` counts).
pub fn startable_elements(d: &Deriver, p: PatternId) -> Vec<String> {
    let mut out = Vec::new();
    walk_leaves(d, p, Reach::First, |leaf| {
        if let Pattern::Element(e) = leaf {
            d.grammar
                .names
                .describe(d.grammar.element(e).name, &mut out);
        }
    });
    dedup_sorted(out)
}

/// Whether text (or data) could come now.
pub fn expects_text(d: &Deriver, p: PatternId) -> bool {
    let mut found = false;
    walk_leaves(d, p, Reach::First, |leaf| {
        found |= matches!(
            leaf,
            Pattern::Text
                | Pattern::Data(_)
                | Pattern::DataExcept(..)
                | Pattern::Value(_)
                | Pattern::List(_)
        );
    });
    found
}

/// Every attribute name the start tag could still take (for hints).
pub fn possible_attributes(d: &Deriver, p: PatternId) -> Vec<String> {
    let mut out = Vec::new();
    walk_leaves(d, p, Reach::Anywhere, |leaf| {
        if let Pattern::Attribute(nc, _) = leaf {
            d.grammar.names.describe(nc, &mut out);
        }
    });
    dedup_sorted(out)
}

/// Attributes still required before the start tag closes: those of each
/// pending alternative, when every alternative needs one.
pub fn missing_attributes(d: &mut Deriver, p: PatternId) -> Vec<String> {
    let out = possible_attributes(d, p);
    // Prefer the attributes whose addition alone would let the tag close.
    if out.len() <= 1 {
        return out;
    }
    let sufficient: Vec<String> = out
        .iter()
        .filter(|name| attribute_key(d, name).is_some_and(|k| closes_with(d, p, k)))
        .cloned()
        .collect();
    if sufficient.is_empty() {
        out
    } else {
        sufficient
    }
}

fn attribute_key(d: &Deriver, display: &str) -> Option<crate::pattern::NameKey> {
    let (ns, local) = match display.strip_prefix('{').and_then(|r| r.split_once('}')) {
        Some((ns, local)) => (ns, local),
        None => ("", display),
    };
    match d.grammar.names.key(ns, local) {
        key @ crate::pattern::NameKey::Known(_) => Some(key),
        _ => None,
    }
}

/// Whether giving just the attribute `key` (with any value) lets the start
/// tag close.
fn closes_with(d: &mut Deriver, p: PatternId, key: crate::pattern::NameKey) -> bool {
    let with = d.att_start(p, key);
    let with = d.skip_to_continuation(with);
    d.start_tag_close(with) != PatternArena::NOT_ALLOWED
}

/// Why an attribute value or text failed: the literals it could have been,
/// or each datatype's own reason with the define it was written in.
pub fn value_problem(d: &Deriver, p: PatternId, s: &str, ctx: &dyn Context) -> ValueProblem {
    let mut problem = ValueProblem::default();
    walk_leaves(d, p, Reach::First, |leaf| match leaf {
        Pattern::Value(v) => problem
            .literals
            .push(d.grammar.values[v.0 as usize].literal.clone()),
        Pattern::Data(dt) | Pattern::DataExcept(dt, _) => {
            if let Err(invalid) = d.grammar.datatypes[dt.0 as usize].check(s, ctx) {
                let define = d.grammar.datatype_define(dt).map(str::to_string);
                problem.datatypes.push((invalid.reason, define));
            }
        }
        Pattern::List(_) => problem.list = true,
        _ => {}
    });
    problem.literals = dedup_sorted_keep_order(problem.literals);
    problem.datatypes.sort();
    problem.datatypes.dedup();
    problem
}

/// The allowed literals closest to a mistyped value, if close enough to be
/// likely typos: all those at the smallest distance (`qcow3`: `qcow` and
/// `qcow2`), at most three.
pub fn closest_values<'a>(value: &str, literals: &'a [String]) -> Vec<&'a str> {
    let value = value.trim_matches(crate::xml::is_xml_space);
    let Some(best) = closest(value, literals) else {
        return Vec::new();
    };
    let distance = strsim::damerau_levenshtein(value, best);
    literals
        .iter()
        .filter(|l| l.as_str() != value && strsim::damerau_levenshtein(value, l) == distance)
        .take(3)
        .map(String::as_str)
        .collect()
}

fn dedup_sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

fn dedup_sorted_keep_order(v: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out: Vec<String> = v.into_iter().filter(|s| seen.insert(s.clone())).collect();
    out.sort();
    out
}

/// Elements that every way of completing `p` needs (jing's "missing
/// required element"): required in both halves of a group or interleave,
/// in all alternatives of a choice.
pub fn required_elements(d: &Deriver, p: PatternId) -> Vec<String> {
    let mut memo = std::collections::HashMap::new();
    let mut names = required(d, p, &mut memo, 0);
    names.sort();
    names.dedup();
    names
}

/// Recursion is bounded by the pattern's height in the arena (choices are
/// balanced); `depth` guards against anything deeper.
fn required(
    d: &Deriver,
    p: PatternId,
    memo: &mut std::collections::HashMap<PatternId, Vec<String>>,
    depth: usize,
) -> Vec<String> {
    if depth > 200 {
        return Vec::new();
    }
    if let Some(v) = memo.get(&p) {
        return v.clone();
    }
    let v = match d.arena.get(p) {
        Pattern::Element(e) => {
            let mut names = Vec::new();
            if let crate::pattern::NameClass::Name(_) =
                d.grammar.names.get(d.grammar.element(e).name)
            {
                d.grammar
                    .names
                    .describe(d.grammar.element(e).name, &mut names);
            }
            names
        }
        Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
            let mut v = required(d, a, memo, depth + 1);
            v.extend(required(d, b, memo, depth + 1));
            v
        }
        Pattern::Choice(a, b) => {
            let left = required(d, a, memo, depth + 1);
            let right = required(d, b, memo, depth + 1);
            left.into_iter().filter(|n| right.contains(n)).collect()
        }
        Pattern::OneOrMore(a) | Pattern::After(a, _) => required(d, a, memo, depth + 1),
        _ => Vec::new(),
    };
    memo.insert(p, v.clone());
    v
}

/// The expected name closest to a misspelt one, if it is close enough to
/// be a likely typo (at most a third of its letters differ).
pub fn closest_name<'a>(name: &str, expected: &'a [String]) -> Option<&'a str> {
    closest(name.rsplit(':').next().unwrap_or(name), expected)
}

/// The candidate within edit distance of a third of its letters (at least
/// one) of `local`, the nearest first; never `local` itself.
fn closest<'a>(local: &str, expected: &'a [String]) -> Option<&'a str> {
    expected
        .iter()
        .filter(|e| !e.contains(' ') && e.as_str() != local)
        .map(|e| (strsim::damerau_levenshtein(local, e), e))
        .filter(|(distance, e)| *distance <= (e.chars().count().max(3) / 3).max(1))
        .min()
        .map(|(_, e)| e.as_str())
}

/// Where elements named `key` may appear: the element paths (from the
/// document element, `/domain/devices`) of the nearest elements whose
/// content can hold one, at most `limit`, shortest first.
pub fn allowed_parents(d: &Deriver, key: NameKey, limit: usize) -> Vec<String> {
    let names = &d.grammar.names;
    let elements = &d.grammar.elements;
    paths_holding(d, limit, |leaf| match leaf {
        Pattern::Element(e) => names.names_explicitly(elements[e.0 as usize].name, key),
        _ => false,
    })
}

/// The element paths of the nearest elements that take an attribute named
/// `key`, at most `limit`, shortest first.
pub fn attribute_owners(d: &Deriver, key: NameKey, limit: usize) -> Vec<String> {
    let names = &d.grammar.names;
    paths_holding(d, limit, |leaf| match leaf {
        Pattern::Attribute(nc, _) => names.names_explicitly(nc, key),
        _ => false,
    })
}

/// The paths of the elements whose content (not entering child elements)
/// has a leaf that `holds`: a breadth-first walk of the compiled grammar
/// from the start, each element pattern once, only after a failure.
fn paths_holding(d: &Deriver, limit: usize, holds: impl Fn(Pattern) -> bool) -> Vec<String> {
    let grammar = d.grammar;
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut queue = std::collections::VecDeque::new();
    queue.push_back((String::new(), grammar.start));
    while let Some((path, content)) = queue.pop_front() {
        let mut children = Vec::new();
        let mut held = false;
        walk_leaves(d, content, Reach::Anywhere, |leaf| {
            held |= holds(leaf);
            if let Pattern::Element(e) = leaf {
                children.push(e);
            }
        });
        if held && !path.is_empty() && !found.contains(&path) {
            found.push(path.clone());
            if found.len() == limit {
                break;
            }
        }
        for e in children {
            let def = grammar.element(e);
            let NameClass::Name(name) = grammar.names.get(def.name) else {
                continue;
            };
            if seen.insert(e) {
                let child = format!("{path}/{}", grammar.names.display_name(name));
                queue.push_back((child, def.content));
            }
        }
    }
    found
}
