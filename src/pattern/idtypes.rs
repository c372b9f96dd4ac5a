//! RELAX NG DTD Compatibility (2001), section 4: ID, IDREF and IDREFS.
//!
//! A schema that uses a datatype with an ID-type (the compatibility
//! library's ID/IDREF/IDREFS, or XSD's) must use it only as the whole value
//! of an attribute with a single name, on an element with a single name,
//! and every definition of that attribute on that element must agree on
//! its ID-type. The result is a map from (element, attribute) names to
//! ID-types, which the validator uses to check that IDs are unique and
//! that references resolve.

use std::collections::{HashMap, HashSet};

use super::lower::SpanTable;
use super::name::{NameClass, NameClassId, NameId};
use super::{CompiledGrammar, ElementId, IdSet, Pattern, PatternId};
use crate::datatype::IdKind;
use crate::diagnostic::SchemaError;
use crate::source::Span;
use crate::ErrorKind;

const CODE_ID: ErrorKind = ErrorKind::SchemaIdType;

/// (element name, attribute name) → the attribute's ID-type.
pub type IdTypeMap = HashMap<(NameId, NameId), IdKind>;

/// One attribute definition found in an element's content.
struct AttributeUse {
    element: ElementId,
    attribute: NameClassId,
    kind: IdKind,
    span: Option<Span>,
}

/// Checks the compatibility rules and builds the map (empty when the
/// schema uses no ID-types).
pub fn check(grammar: &CompiledGrammar, spans: &SpanTable) -> (IdTypeMap, Vec<SchemaError>) {
    // Without an ID-typed datatype no rule can fail and the map is empty:
    // skip walking every element's content (most schemas, libvirt's too).
    if grammar
        .datatypes
        .iter()
        .all(|dt| dt.id_kind() == IdKind::None)
    {
        return (IdTypeMap::new(), Vec::new());
    }
    let mut uses = Vec::new();
    let mut errors = Vec::new();
    for element in reachable_elements(grammar) {
        scan_content(grammar, spans, element, &mut uses, &mut errors);
    }
    let mut map = IdTypeMap::new();
    if !uses.iter().any(|u| u.kind != IdKind::None) {
        return (map, errors);
    }
    for u in uses.iter().filter(|u| u.kind != IdKind::None) {
        let element_nc = grammar.element(u.element).name;
        let (Some(elements), Some(attributes)) = (
            finite_names(grammar, element_nc),
            finite_names(grammar, u.attribute),
        ) else {
            errors.push(SchemaError::new(
                CODE_ID,
                "an attribute with an ID, IDREF or IDREFS value must have a name without wildcards, on an element named without wildcards (DTD compatibility §4)",
                u.span,
            ));
            continue;
        };
        for other in &uses {
            let overlaps = grammar
                .names
                .overlap(element_nc, grammar.element(other.element).name)
                && grammar.names.overlap(u.attribute, other.attribute);
            if overlaps && other.kind != u.kind {
                errors.push(SchemaError::new(
                    CODE_ID,
                    format!(
                        "attribute \"{}\" of element \"{}\" is defined with conflicting ID-types (DTD compatibility §4)",
                        describe(grammar, u.attribute),
                        describe(grammar, element_nc)
                    ),
                    other.span.or(u.span),
                ));
            }
        }
        for &e in &elements {
            for &a in &attributes {
                map.insert((e, a), u.kind);
            }
        }
    }
    dedup_errors(&mut errors);
    (map, errors)
}

fn dedup_errors(errors: &mut Vec<SchemaError>) {
    let mut seen = HashSet::new();
    errors.retain(|e| seen.insert((e.message.clone(), e.span.map(|s| (s.file, s.start)))));
}

fn reachable_elements(grammar: &CompiledGrammar) -> Vec<ElementId> {
    let mut seen_elements = IdSet::default();
    let mut order = Vec::new();
    let mut seen = IdSet::default();
    let mut stack = vec![grammar.start];
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
            continue;
        }
        match grammar.arena.get(p) {
            Pattern::Element(e) if seen_elements.insert(e) => {
                order.push(e);
                stack.push(grammar.element(e).content);
            }
            Pattern::Choice(a, b)
            | Pattern::Group(a, b)
            | Pattern::Interleave(a, b)
            | Pattern::After(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Pattern::OneOrMore(a)
            | Pattern::List(a)
            | Pattern::Attribute(_, a)
            | Pattern::DataExcept(_, a) => stack.push(a),
            _ => {}
        }
    }
    order
}

/// The ID-type of a datatype-bearing leaf.
fn leaf_kind(grammar: &CompiledGrammar, p: PatternId) -> Option<IdKind> {
    match grammar.arena.get(p) {
        Pattern::Data(dt) | Pattern::DataExcept(dt, _) => {
            Some(grammar.datatypes[dt.0 as usize].id_kind())
        }
        Pattern::Value(v) => {
            let dt = grammar.values[v.0 as usize].datatype;
            Some(grammar.datatypes[dt.0 as usize].id_kind())
        }
        _ => None,
    }
}

/// Whether an ID-typed datatype occurs anywhere in `p` (not crossing elements).
fn contains_id_type(grammar: &CompiledGrammar, p: PatternId) -> bool {
    let mut seen = IdSet::default();
    let mut stack = vec![p];
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
            continue;
        }
        if leaf_kind(grammar, p).is_some_and(|k| k != IdKind::None) {
            return true;
        }
        match grammar.arena.get(p) {
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Pattern::OneOrMore(a) | Pattern::List(a) | Pattern::DataExcept(_, a) => stack.push(a),
            _ => {}
        }
    }
    false
}

/// Records every attribute of `element`'s content and reports ID-types
/// used anywhere but as an attribute's whole value.
fn scan_content(
    grammar: &CompiledGrammar,
    spans: &SpanTable,
    element: ElementId,
    uses: &mut Vec<AttributeUse>,
    errors: &mut Vec<SchemaError>,
) {
    let mut seen = IdSet::default();
    let mut stack = vec![grammar.element(element).content];
    let misplaced =
        "ID, IDREF and IDREFS may only be the whole value of an attribute (DTD compatibility §4)";
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
            continue;
        }
        match grammar.arena.get(p) {
            Pattern::Attribute(nc, value) => {
                let kind = match leaf_kind(grammar, value) {
                    Some(kind) => kind,
                    None if contains_id_type(grammar, value) => {
                        let span = spans.patterns.get(&value).copied();
                        errors.push(SchemaError::new(CODE_ID, misplaced, span));
                        IdKind::None
                    }
                    None => IdKind::None,
                };
                let span = spans.patterns.get(&p).copied();
                uses.push(AttributeUse {
                    element,
                    attribute: nc,
                    kind,
                    span,
                });
            }
            Pattern::Choice(a, b) | Pattern::Group(a, b) | Pattern::Interleave(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Pattern::OneOrMore(a) => stack.push(a),
            Pattern::Data(_) | Pattern::DataExcept(..) | Pattern::Value(_) | Pattern::List(_)
                if contains_id_type(grammar, p) =>
            {
                let span = spans
                    .patterns
                    .get(&p)
                    .copied()
                    .or_else(|| spans.elements.get(element.0 as usize).copied());
                errors.push(SchemaError::new(CODE_ID, misplaced, span));
            }
            _ => {}
        }
    }
}

/// The names of a name class without wildcards; `None` if it has one.
fn finite_names(grammar: &CompiledGrammar, nc: NameClassId) -> Option<Vec<NameId>> {
    match grammar.names.get(nc) {
        NameClass::Name(n) => Some(vec![n]),
        NameClass::Choice(a, b) => {
            let mut names = finite_names(grammar, a)?;
            names.extend(finite_names(grammar, b)?);
            Some(names)
        }
        NameClass::AnyName(_) | NameClass::NsName(..) => None,
    }
}

fn describe(grammar: &CompiledGrammar, nc: NameClassId) -> String {
    let mut names = Vec::new();
    grammar.names.describe(nc, &mut names);
    names.join("|")
}
