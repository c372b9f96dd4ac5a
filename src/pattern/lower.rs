//! One resolved syntax tree → the interned arena: RELAX NG §4.11–4.21.
//!
//! Grammars become scopes; `ref`/`parentRef` resolve in them (§4.18) and
//! each define is lowered once (memoized), so shared definitions stay
//! shared and a define that reaches itself without passing through an
//! element is caught (§4.19). Element content is lowered after the pattern
//! that contains the element, from a queue, which is how cycles through
//! elements are allowed. `combine` (§4.17), `div` (§4.11), `mixed`,
//! `optional`, `zeroOrMore` (§4.13–4.15) and the §4.16 constraints happen
//! here too; the smart constructors do §4.20–4.21.

use super::name::{NameClass, NameClassId, NameTable};
use super::{
    CompiledGrammar, DatatypeId, ElementDef, ElementId, PatternArena, PatternId, ValueDef, ValueId,
};
use crate::coverage::{Item, ItemKind};
use crate::datatype::{self, Datatype, DatatypeError};
use crate::diagnostic::SchemaError;
use crate::source::Span;
use crate::syntax::ast::{self, Combine, Component, ComponentKind, NameClassKind, PatternKind};
use crate::ErrorKind;

/// A map keyed by schema strings, hashed by foldhash with a per-process seed.
type StrKeyed<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

const CODE_GRAMMAR: ErrorKind = ErrorKind::SchemaGrammar;
const CODE_UNDEFINED: ErrorKind = ErrorKind::SchemaUndefinedRef;
const CODE_RECURSION: ErrorKind = ErrorKind::SchemaRecursiveRef;
const CODE_COMBINE: ErrorKind = ErrorKind::SchemaCombine;
const CODE_NAME_CLASS: ErrorKind = ErrorKind::SchemaNameClass;
const CODE_DATATYPE: ErrorKind = ErrorKind::SchemaDatatype;

/// Where each interned pattern and element was first written.
#[derive(Clone, Debug, Default)]
pub struct SpanTable {
    /// First span that produced each pattern.
    pub patterns: PatternSpans,
    /// The `element` that wrote each element pattern.
    pub elements: Vec<Span>,
    /// Coverage items, when asked for (see [`crate::coverage`]).
    pub items: Vec<Item>,
}

/// Where each pattern was first written, indexed by pattern id (ids are
/// dense, so a vector beats a map).
#[derive(Clone, Debug, Default)]
pub struct PatternSpans(Vec<Option<Span>>);

impl PatternSpans {
    /// The first span that produced `p`, if any did.
    pub fn get(&self, p: &PatternId) -> Option<&Span> {
        self.0.get(p.0 as usize)?.as_ref()
    }

    /// Records `span` for `p` unless it already has one.
    fn note(&mut self, p: PatternId, span: Span) {
        let index = p.0 as usize;
        if index >= self.0.len() {
            self.0.resize(index + 1, None);
        }
        self.0[index].get_or_insert(span);
    }
}

/// Lowers a resolved schema tree; returns the grammar, where things were
/// written (with the coverage items when `coverage_items`), and every
/// error found.
pub fn lower(
    root: &ast::Pattern,
    coverage_items: bool,
) -> (CompiledGrammar, SpanTable, Vec<SchemaError>) {
    let mut lowering = Lowering {
        recording: coverage_items,
        ..Lowering::default()
    };
    let start = lowering.pattern(root, None);
    lowering.drain_elements();
    lowering.lower_unreachable();
    let grammar = CompiledGrammar {
        arena: lowering.arena,
        start,
        elements: lowering.elements,
        datatypes: lowering.datatypes,
        datatype_defines: lowering.datatype_defines,
        values: lowering.values,
        names: lowering.names,
        id_types: Default::default(),
    };
    let spans = SpanTable {
        patterns: lowering.pattern_spans,
        elements: lowering.element_spans,
        items: lowering.items,
    };
    (grammar, spans, lowering.errors)
}

/// A grammar's definitions, and its parent for `parentRef`.
struct Scope<'a> {
    parent: Option<usize>,
    /// By name. foldhash, seeded per process: fast (every `ref` looks one
    /// up) while a schema's author still cannot aim collisions at it.
    defines: StrKeyed<&'a str, Define<'a>>,
}

struct Define<'a> {
    bodies: Vec<(&'a [ast::Pattern], Span)>,
    combine: Option<Combine>,
    state: DefineState,
    span: Span,
}

#[derive(Clone, Copy, PartialEq)]
enum DefineState {
    Pending,
    InProgress,
    Done(PatternId),
}

#[derive(Default)]
struct Lowering<'a> {
    arena: PatternArena,
    names: NameTable,
    elements: Vec<ElementDef>,
    element_spans: Vec<Span>,
    datatypes: Vec<Datatype>,
    /// Side table of `CompiledGrammar::datatype_defines`.
    datatype_defines: Vec<Option<Box<str>>>,
    /// The defines being lowered, innermost last; element content is
    /// lowered later from the queue, outside them, so a datatype is
    /// attributed only to the define that holds it without an element
    /// between.
    define_stack: Vec<Box<str>>,
    values: Vec<ValueDef>,
    scopes: Vec<Scope<'a>>,
    /// Element contents still to lower, with their scope and the define
    /// they are written in.
    queue: Vec<QueuedElement<'a>>,
    pattern_spans: PatternSpans,
    /// Ids of sibling patterns being lowered (see `lower_all`).
    scratch: Vec<PatternId>,
    errors: Vec<SchemaError>,
    /// Lowering defines that the start does not reach (see `grammar`).
    unreachable: bool,
    /// Whether coverage items are recorded.
    recording: bool,
    /// Coverage items found so far.
    items: Vec<Item>,
    /// Names of the defines met, and which one is being lowered (an index),
    /// for the items' `define`.
    define_names: Vec<std::sync::Arc<str>>,
    in_define: Option<usize>,
}

impl<'a> Lowering<'a> {
    fn error(&mut self, code: ErrorKind, message: impl Into<String>, span: Span) {
        self.errors
            .push(SchemaError::new(code, message, Some(span)));
    }

    fn note_span(&mut self, id: PatternId, span: Span) -> PatternId {
        self.pattern_spans.note(id, span);
        id
    }

    /// Lowers the defines the start never reached, so that each reports its
    /// errors; §4.19 removes them before its recursion rule applies, so
    /// that one is not reported for them.
    fn lower_unreachable(&mut self) {
        self.unreachable = true;
        let mut scope = 0;
        while scope < self.scopes.len() {
            let mut pending: Vec<(&'a str, Span)> = self.scopes[scope]
                .defines
                .iter()
                .filter(|(_, d)| d.state == DefineState::Pending)
                .map(|(name, d)| (*name, d.span))
                .collect();
            pending.sort_by_key(|(_, span)| (span.file, span.start));
            for (name, span) in pending {
                self.lower_define(scope, name, span);
            }
            self.drain_elements();
            scope += 1;
        }
    }

    fn drain_elements(&mut self) {
        while let Some((id, content, scope, define)) = self.queue.pop() {
            debug_assert!(self.define_stack.is_empty());
            let outer = std::mem::replace(&mut self.in_define, define);
            let lowered = self.group(content, scope);
            self.in_define = outer;
            self.elements[id.0 as usize].content = lowered;
        }
    }

    /// Several patterns, implicitly grouped.
    fn group(&mut self, ps: &'a [ast::Pattern], scope: Option<usize>) -> PatternId {
        let base = self.lower_all(ps, scope);
        let id = self.arena.group_all(&self.scratch[base..]);
        self.scratch.truncate(base);
        id
    }

    /// Lowers `ps` onto the scratch stack and returns where their ids
    /// start; the caller combines `scratch[base..]` and truncates it. One
    /// stack for all nesting levels instead of a `Vec` per group.
    fn lower_all(&mut self, ps: &'a [ast::Pattern], scope: Option<usize>) -> usize {
        let base = self.scratch.len();
        for p in ps {
            let id = self.pattern(p, scope);
            self.scratch.push(id);
        }
        base
    }

    /// The choice of `ps`, through the scratch stack (see `lower_all`).
    fn choice(&mut self, ps: &'a [ast::Pattern], scope: Option<usize>) -> PatternId {
        let base = self.lower_all(ps, scope);
        if self.recording && ps.len() > 1 {
            for (p, i) in ps.iter().zip(base..) {
                let name = || coverage_branch_name(&p.kind);
                self.record_item(self.scratch[i], p.span, ItemKind::Branch, name);
            }
        }
        let id = self.arena.choice_all(self.scratch[base..].iter().copied());
        self.scratch.truncate(base);
        id
    }

    fn pattern(&mut self, p: &'a ast::Pattern, scope: Option<usize>) -> PatternId {
        let id = crate::stack::deeper(|| self.pattern_kind(p, scope));
        if self.recording {
            if let Some(kind) = coverage_kind(&p.kind) {
                self.record_item(id, p.span, kind, || Some(coverage_name(&p.kind)));
            }
        }
        self.note_span(id, p.span)
    }

    /// Records a coverage item, unless it is unreachable from the start or
    /// one of the constant patterns every place shares.
    fn record_item(
        &mut self,
        pattern: PatternId,
        span: Span,
        kind: ItemKind,
        name: impl FnOnce() -> Option<String>,
    ) {
        if self.unreachable || pattern <= PatternArena::TEXT {
            return;
        }
        // Named only when kept (most of a large schema's unreachable
        // defines are not).
        let Some(name) = name() else {
            return;
        };
        let define = self.in_define.map(|i| self.define_names[i].clone());
        self.items.push(Item {
            pattern,
            span,
            kind,
            name,
            define,
        });
    }

    fn pattern_kind(&mut self, p: &'a ast::Pattern, scope: Option<usize>) -> PatternId {
        match &p.kind {
            PatternKind::Element { name, content } => {
                let nc = self.name_class(name, false);
                let id = ElementId(self.elements.len() as u32);
                self.elements.push(ElementDef {
                    name: nc,
                    content: PatternArena::NOT_ALLOWED,
                });
                self.element_spans.push(p.span);
                self.queue.push((id, content, scope, self.in_define));
                let bits = self.names.bits(nc);
                self.arena.element(id, bits)
            }
            PatternKind::Attribute { name, value } => {
                let nc = self.name_class(name, true);
                let value = match value {
                    Some(v) => self.pattern(v, scope),
                    None => PatternArena::TEXT,
                };
                let bits = self.names.bits(nc);
                self.arena.attribute(nc, bits, value)
            }
            PatternKind::Group(ps) => self.group(ps, scope),
            PatternKind::Interleave(ps) => {
                let base = self.lower_all(ps, scope);
                let id = self.arena.interleave_all(&self.scratch[base..]);
                self.scratch.truncate(base);
                id
            }
            PatternKind::Choice(ps) => self.choice(ps, scope),
            PatternKind::Optional(ps) => {
                let inner = self.group(ps, scope);
                self.arena.choice(inner, PatternArena::EMPTY)
            }
            PatternKind::ZeroOrMore(ps) => {
                let inner = self.group(ps, scope);
                let more = self.arena.one_or_more(inner);
                self.arena.choice(more, PatternArena::EMPTY)
            }
            PatternKind::OneOrMore(ps) => {
                let inner = self.group(ps, scope);
                self.arena.one_or_more(inner)
            }
            PatternKind::List(ps) => {
                let inner = self.group(ps, scope);
                self.arena.list(inner)
            }
            PatternKind::Mixed(ps) => {
                let inner = self.group(ps, scope);
                self.arena.interleave(inner, PatternArena::TEXT)
            }
            PatternKind::Ref(name) => self.reference(name, scope, p.span, false),
            PatternKind::ParentRef(name) => self.reference(name, scope, p.span, true),
            PatternKind::Empty => PatternArena::EMPTY,
            PatternKind::Text => PatternArena::TEXT,
            PatternKind::NotAllowed => PatternArena::NOT_ALLOWED,
            PatternKind::Value {
                datatype,
                value,
                context,
            } => self.value(datatype, value, context, p.span),
            PatternKind::Data {
                datatype,
                params,
                except,
            } => self.data(datatype, params, except.as_deref(), scope, p.span),
            PatternKind::ExternalRef { .. } => {
                // `simplify::include` replaces every externalRef first.
                self.error(CODE_GRAMMAR, "unresolved externalRef", p.span);
                PatternArena::NOT_ALLOWED
            }
            PatternKind::Grammar(g) => self.grammar(&g.components, scope, p.span),
        }
    }

    fn value(
        &mut self,
        name: &ast::DatatypeName,
        literal: &str,
        context: &ast::NsContext,
        span: Span,
    ) -> PatternId {
        let datatype = match Datatype::lookup(&name.library, &name.name, &[]) {
            Ok(dt) => dt,
            Err(e) => {
                self.error(CODE_DATATYPE, e.to_string(), span);
                return PatternArena::NOT_ALLOWED;
            }
        };
        let value = match datatype.parse_value(literal, context) {
            Ok(v) => v,
            Err(invalid) => {
                self.error(
                    CODE_DATATYPE,
                    format!(
                        "\"{literal}\" is not a valid value of datatype \"{}\": {invalid}",
                        name.name
                    ),
                    span,
                );
                return PatternArena::NOT_ALLOWED;
            }
        };
        let dt = self.push_datatype(datatype);
        let id = ValueId(self.values.len() as u32);
        self.values.push(ValueDef {
            datatype: dt,
            value,
            literal: literal.to_string(),
        });
        self.arena.value(id)
    }

    fn data(
        &mut self,
        name: &ast::DatatypeName,
        params: &[ast::Param],
        except: Option<&'a [ast::Pattern]>,
        scope: Option<usize>,
        span: Span,
    ) -> PatternId {
        let plain: Vec<datatype::Param> = params
            .iter()
            .map(|p| datatype::Param {
                name: p.name.clone(),
                value: p.value.clone(),
            })
            .collect();
        let datatype = match Datatype::lookup(&name.library, &name.name, &plain) {
            Ok(dt) => dt,
            Err(e) => {
                let at = match &e {
                    DatatypeError::BadParam { param, .. } => {
                        params.get(*param).map(|p| p.span).unwrap_or(span)
                    }
                    _ => span,
                };
                self.error(CODE_DATATYPE, e.to_string(), at);
                return PatternArena::NOT_ALLOWED;
            }
        };
        let dt = self.push_datatype(datatype);
        match except {
            None => self.arena.data(dt),
            Some(ps) => {
                let except = self.choice(ps, scope);
                self.arena.data_except(dt, except)
            }
        }
    }

    /// Adds a datatype, noting the define it is written in.
    fn push_datatype(&mut self, datatype: Datatype) -> DatatypeId {
        let dt = DatatypeId(self.datatypes.len() as u32);
        self.datatypes.push(datatype);
        self.datatype_defines
            .push(self.define_stack.last().cloned());
        dt
    }

    /// §4.16 constraints come with the name class: no `anyName` inside an
    /// `anyName` except, no `anyName`/`nsName` inside an `nsName` except, and
    /// no attribute named `xmlns` or in the xmlns namespace.
    fn name_class(&mut self, nc: &ast::NameClass, for_attribute: bool) -> NameClassId {
        let id = self.name_class_inner(nc, Context::Top);
        if for_attribute {
            self.check_xmlns(nc);
        }
        id
    }

    /// §4.16 looks at the name class as written: a `name` xmlns (or the
    /// xmlns namespace) anywhere in it, even inside an except, is an error.
    fn check_xmlns(&mut self, nc: &ast::NameClass) {
        crate::stack::deeper(|| self.check_xmlns_here(nc));
    }

    fn check_xmlns_here(&mut self, nc: &ast::NameClass) {
        const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns";
        match &nc.kind {
            NameClassKind::Name { ns, local } => {
                if (ns.is_empty() && local == "xmlns") || ns == XMLNS_NS {
                    self.error(CODE_NAME_CLASS, "attributes named xmlns or in the xmlns namespace are not allowed (RELAX NG §4.16)", nc.span);
                }
            }
            NameClassKind::NsName { ns, except } => {
                if ns == XMLNS_NS {
                    self.error(
                        CODE_NAME_CLASS,
                        "attributes in the xmlns namespace are not allowed (RELAX NG §4.16)",
                        nc.span,
                    );
                }
                if let Some(e) = except {
                    self.check_xmlns(e);
                }
            }
            NameClassKind::AnyName { except: Some(e) } => self.check_xmlns(e),
            NameClassKind::AnyName { except: None } => {}
            NameClassKind::Choice(ncs) => ncs.iter().for_each(|n| self.check_xmlns(n)),
        }
    }

    fn name_class_inner(&mut self, nc: &ast::NameClass, ctx: Context) -> NameClassId {
        crate::stack::deeper(|| self.name_class_kind(nc, ctx))
    }

    fn name_class_kind(&mut self, nc: &ast::NameClass, ctx: Context) -> NameClassId {
        match &nc.kind {
            NameClassKind::Name { ns, local } => {
                let name = self.names.name(ns, local);
                self.names.class(NameClass::Name(name))
            }
            NameClassKind::AnyName { except } => {
                if ctx != Context::Top {
                    self.error(CODE_NAME_CLASS, "anyName is not allowed inside the except of anyName or nsName (RELAX NG §4.16)", nc.span);
                }
                let except = except
                    .as_ref()
                    .map(|e| self.name_class_inner(e, Context::AnyNameExcept));
                self.names.class(NameClass::AnyName(except))
            }
            NameClassKind::NsName { ns, except } => {
                if ctx == Context::NsNameExcept {
                    self.error(
                        CODE_NAME_CLASS,
                        "nsName is not allowed inside the except of nsName (RELAX NG §4.16)",
                        nc.span,
                    );
                }
                let ns = self.names.namespace(ns);
                let except = except
                    .as_ref()
                    .map(|e| self.name_class_inner(e, Context::NsNameExcept));
                self.names.class(NameClass::NsName(ns, except))
            }
            NameClassKind::Choice(ncs) => {
                let mut ids = ncs.iter().map(|n| self.name_class_inner(n, ctx));
                let Some(first) = ids.next() else {
                    // An empty choice can only come from an error already reported.
                    let nothing = self.names.name("", "");
                    return self.names.class(NameClass::Name(nothing));
                };
                let rest: Vec<_> = ids.collect();
                rest.into_iter()
                    .fold(first, |acc, n| self.names.class(NameClass::Choice(acc, n)))
            }
        }
    }

    fn reference(
        &mut self,
        name: &str,
        scope: Option<usize>,
        span: Span,
        parent: bool,
    ) -> PatternId {
        let target = match (scope, parent) {
            (Some(s), false) => Some(s),
            (Some(s), true) => self.scopes[s].parent,
            (None, _) => None,
        };
        let Some(target) = target else {
            let what = if parent { "parentRef" } else { "ref" };
            self.error(
                CODE_UNDEFINED,
                format!("{what} \"{name}\" is not inside a grammar that can define it"),
                span,
            );
            return PatternArena::NOT_ALLOWED;
        };
        self.lower_define(target, name, span)
    }

    /// Lowers (once) the define `name` of grammar `scope`.
    fn lower_define(&mut self, scope: usize, name: &str, span: Span) -> PatternId {
        let Some(define) = self.scopes[scope].defines.get_mut(name) else {
            self.error(
                CODE_UNDEFINED,
                format!("reference to undefined pattern \"{name}\""),
                span,
            );
            return PatternArena::NOT_ALLOWED;
        };
        match define.state {
            DefineState::Done(id) => return id,
            DefineState::InProgress if self.unreachable => return PatternArena::NOT_ALLOWED,
            DefineState::InProgress => {
                self.error(
                    CODE_RECURSION,
                    format!("\"{name}\" refers to itself without passing through an element (RELAX NG §4.19)"),
                    span,
                );
                return PatternArena::NOT_ALLOWED;
            }
            DefineState::Pending => define.state = DefineState::InProgress,
        }
        // Lowered once (the state says so from here on): take, not clone.
        let bodies = std::mem::take(&mut define.bodies);
        let combine = define.combine;
        let define_span = define.span;
        let outer = self.in_define;
        if self.recording {
            self.in_define = Some(self.define_names.len());
            self.define_names.push(name.into());
        }
        self.define_stack.push(name.into());
        let parts: Vec<PatternId> = bodies
            .iter()
            .map(|(ps, span)| {
                let id = self.group(ps, Some(scope));
                self.note_span(id, *span)
            })
            .collect();
        self.define_stack.pop();
        let id = self.combine(&parts, combine);
        if self.recording {
            // A define item is in its own define (not in the one that
            // happened to refer to it first).
            self.record_item(id, define_span, ItemKind::Define, || Some(name.to_string()));
            self.in_define = outer;
        }
        let id = self.note_span(id, define_span);
        if let Some(define) = self.scopes[scope].defines.get_mut(name) {
            define.state = DefineState::Done(id);
        }
        id
    }

    fn combine(&mut self, parts: &[PatternId], combine: Option<Combine>) -> PatternId {
        match combine {
            Some(Combine::Interleave) => self.arena.interleave_all(parts),
            _ => self.arena.choice_all(parts.iter().copied()),
        }
    }

    /// §4.17–4.18: a grammar's components become a scope; its value is its
    /// start pattern.
    fn grammar(
        &mut self,
        components: &'a [Component],
        parent: Option<usize>,
        span: Span,
    ) -> PatternId {
        let scope = self.scopes.len();
        self.scopes.push(Scope {
            parent,
            defines: StrKeyed::default(),
        });
        let mut starts = Vec::new();
        // In order of first definition (the order errors come in), with an
        // index by name: a linear search per define is quadratic.
        let mut defines: Vec<(&'a str, Vec<DefineBody<'a>>)> = Vec::new();
        let mut define_index: StrKeyed<&'a str, usize> = StrKeyed::default();
        let mut flat = Vec::new();
        flatten_divs(components, &mut flat);
        for c in flat {
            match &c.kind {
                ComponentKind::Start { combine, pattern } => {
                    starts.push((pattern, *combine, c.span))
                }
                ComponentKind::Define {
                    name,
                    combine,
                    patterns,
                } => match define_index.get(name.as_str()) {
                    Some(&i) => defines[i].1.push((*combine, patterns, c.span)),
                    None => {
                        define_index.insert(name, defines.len());
                        defines.push((name, vec![(*combine, patterns, c.span)]));
                    }
                },
                ComponentKind::Div(_) | ComponentKind::Include { .. } => {}
            }
        }
        for (name, bodies) in &defines {
            let combine = self.check_combine(bodies.iter().map(|(c, _, s)| (*c, *s)), || {
                format!("\"{name}\"")
            });
            let define = Define {
                bodies: bodies.iter().map(|(_, ps, span)| (*ps, *span)).collect(),
                combine: combine.flatten(),
                state: DefineState::Pending,
                span: bodies[0].2,
            };
            self.scopes[scope].defines.insert(name, define);
        }
        let start_combine =
            self.check_combine(starts.iter().map(|(_, c, s)| (*c, *s)), || "start".into());
        if starts.is_empty() {
            self.error(
                CODE_GRAMMAR,
                "a grammar must have a start (RELAX NG §4.18)",
                span,
            );
        }
        let parts: Vec<PatternId> = starts
            .iter()
            .map(|(p, _, _)| self.pattern(p, Some(scope)))
            .collect();
        self.combine(&parts, start_combine.flatten())
    }

    /// §4.17: at most one definition without `combine`, and every `combine`
    /// the same. Returns the combine method, or `None` after an error.
    /// `what` names the definition, built only for a message.
    fn check_combine(
        &mut self,
        parts: impl Iterator<Item = (Option<Combine>, Span)>,
        what: impl Fn() -> String,
    ) -> Option<Option<Combine>> {
        let mut without: Option<Span> = None;
        let mut method: Option<Combine> = None;
        let mut ok = true;
        for (combine, span) in parts {
            match combine {
                None if without.is_some() => {
                    self.error(CODE_COMBINE, format!("{} is defined more than once without a combine attribute (RELAX NG §4.17)", what()), span);
                    ok = false;
                }
                None => without = Some(span),
                Some(c) if method.is_some_and(|m| m != c) => {
                    self.error(
                        CODE_COMBINE,
                        format!(
                            "{} is combined both by choice and by interleave (RELAX NG §4.17)",
                            what()
                        ),
                        span,
                    );
                    ok = false;
                }
                Some(c) => method = Some(c),
            }
        }
        ok.then_some(method)
    }
}

/// The kind of coverage item a pattern of this kind is (choice
/// branches are recorded by `choice`).
fn coverage_kind(kind: &PatternKind) -> Option<ItemKind> {
    Some(match kind {
        PatternKind::Element { .. } => ItemKind::Element,
        PatternKind::Attribute { .. } => ItemKind::Attribute,
        PatternKind::Value { .. } => ItemKind::Value,
        PatternKind::Data { .. } => ItemKind::Data,
        PatternKind::Optional(_) => ItemKind::Optional,
        PatternKind::ZeroOrMore(_) => ItemKind::ZeroOrMore,
        _ => return None,
    })
}

/// The name of the item a pattern of this kind is (see [`coverage_kind`]).
fn coverage_name(kind: &PatternKind) -> String {
    match kind {
        PatternKind::Element { name, .. } | PatternKind::Attribute { name, .. } => {
            name_class_text(name)
        }
        PatternKind::Value { value, .. } => value.clone(),
        PatternKind::Data { datatype, .. } => datatype.name.to_string(),
        _ => String::new(),
    }
}

/// What a choice branch holds, for its item; none when the branch is an
/// item of its own or a constant pattern.
fn coverage_branch_name(kind: &PatternKind) -> Option<String> {
    Some(match kind {
        PatternKind::Ref(name) | PatternKind::ParentRef(name) => format!("ref {name}"),
        PatternKind::Group(_) => "group".to_string(),
        PatternKind::Interleave(_) => "interleave".to_string(),
        PatternKind::Optional(_) | PatternKind::ZeroOrMore(_) => return None,
        PatternKind::OneOrMore(_) => "oneOrMore".to_string(),
        PatternKind::List(_) => "list".to_string(),
        PatternKind::Mixed(_) => "mixed".to_string(),
        PatternKind::Choice(_) => "choice".to_string(),
        PatternKind::Grammar(_) => "grammar".to_string(),
        _ => return None,
    })
}

/// A name class as written, shortly: `name`, `*`, `ns:*`, `a|b`.
fn name_class_text(nc: &ast::NameClass) -> String {
    match &nc.kind {
        NameClassKind::Name { local, .. } => local.clone(),
        NameClassKind::AnyName { .. } => "*".to_string(),
        NameClassKind::NsName { ns, .. } => format!("{ns}:*"),
        NameClassKind::Choice(ncs) => ncs
            .iter()
            .map(name_class_text)
            .collect::<Vec<_>>()
            .join("|"),
    }
}

/// An element whose content is still to lower: its id, content, scope and
/// the define it is written in (an index into `define_names`).
type QueuedElement<'a> = (ElementId, &'a [ast::Pattern], Option<usize>, Option<usize>);

/// One `define` element of a name: its combine, patterns and span.
type DefineBody<'a> = (Option<Combine>, &'a [ast::Pattern], Span);

/// Which `except` a name class is inside of (§4.16).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Top,
    AnyNameExcept,
    NsNameExcept,
}

fn flatten_divs<'a>(cs: &'a [Component], out: &mut Vec<&'a Component>) {
    for c in cs {
        match &c.kind {
            ComponentKind::Div(inner) => crate::stack::deeper(|| flatten_divs(inner, out)),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
