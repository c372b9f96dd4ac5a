//! RELAX NG §4.5–4.7: `externalRef` and `include` replaced by the patterns
//! and grammars of the files they name, recursively, with cycle detection.

use crate::diagnostic::SchemaError;
use crate::loader::Loader;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{Component, ComponentKind, Pattern, PatternKind};
use crate::syntax::{self, SyntaxKind};
use crate::ErrorKind;

const CODE_LOAD: ErrorKind = ErrorKind::SchemaLoad;
const CODE_CYCLE: ErrorKind = ErrorKind::SchemaIncludeCycle;
const CODE_INCLUDE: ErrorKind = ErrorKind::SchemaInclude;

/// Follows references between files.
pub struct Resolver<'a> {
    /// Where files are registered.
    pub sources: &'a mut SourceMap,
    /// Where they come from.
    pub loader: &'a mut dyn Loader,
    /// The chain of files being resolved (for cycles and for messages).
    stack: Vec<FileId>,
    /// Everything that went wrong.
    pub errors: Vec<SchemaError>,
    /// Forces one syntax for every file (`--compact`), else by extension.
    pub forced_syntax: Option<SyntaxKind>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `sources`, reading through `loader`.
    pub fn new(sources: &'a mut SourceMap, loader: &'a mut dyn Loader) -> Resolver<'a> {
        Resolver {
            sources,
            loader,
            stack: Vec::new(),
            errors: Vec::new(),
            forced_syntax: None,
        }
    }

    /// Parses `file` and everything it refers to into one tree.
    pub fn resolve_file(&mut self, file: FileId, inherited_ns: &str) -> Option<Pattern> {
        let syntax = self
            .forced_syntax
            .unwrap_or_else(|| SyntaxKind::from_path(self.sources.file(file).path()));
        let mut pattern = match syntax::parse_file(self.sources, file, syntax, inherited_ns) {
            Ok(p) => p,
            Err(errors) => {
                self.errors.extend(errors);
                return None;
            }
        };
        self.stack.push(file);
        self.pattern(&mut pattern);
        self.stack.pop();
        Some(pattern)
    }

    /// Loads `href` (relative to the file of `span`), refusing cycles.
    fn load(&mut self, span: Span, href: &str) -> Option<FileId> {
        let file = match self.loader.load(self.sources, Some(span.file), href) {
            Ok(file) => file,
            Err(message) => {
                self.errors
                    .push(SchemaError::new(CODE_LOAD, message, Some(span)));
                return None;
            }
        };
        self.sources.note_included_from(file, span);
        if let Some(pos) = self.stack.iter().position(|&f| f == file) {
            let chain: Vec<String> = self.stack[pos..]
                .iter()
                .chain(std::iter::once(&file))
                .map(|&f| self.sources.file(f).path().display().to_string())
                .collect();
            self.errors.push(SchemaError::new(
                CODE_CYCLE,
                format!("include cycle: {}", chain.join(" → ")),
                Some(span),
            ));
            return None;
        }
        Some(file)
    }

    /// Resolves the references inside `ps`, in place: only the nodes that
    /// name other files change, so the rest of the tree is not rebuilt.
    fn patterns(&mut self, ps: &mut [Pattern]) {
        for p in ps {
            self.pattern(p);
        }
    }

    fn pattern(&mut self, p: &mut Pattern) {
        crate::stack::deeper(|| self.pattern_inner(p));
    }

    fn pattern_inner(&mut self, p: &mut Pattern) {
        let span = p.span;
        match &mut p.kind {
            PatternKind::ExternalRef { href, ns } => {
                let (href, ns) = (std::mem::take(href), std::mem::take(ns));
                let resolved = self
                    .load(span, &href)
                    .and_then(|file| self.resolve_file(file, &ns));
                *p = resolved.unwrap_or(Pattern {
                    kind: PatternKind::NotAllowed,
                    span,
                });
            }
            PatternKind::Element { content: ps, .. }
            | PatternKind::Group(ps)
            | PatternKind::Interleave(ps)
            | PatternKind::Choice(ps)
            | PatternKind::Optional(ps)
            | PatternKind::ZeroOrMore(ps)
            | PatternKind::OneOrMore(ps)
            | PatternKind::List(ps)
            | PatternKind::Mixed(ps)
            | PatternKind::Data {
                except: Some(ps), ..
            } => self.patterns(ps),
            PatternKind::Attribute { value: Some(v), .. } => self.pattern(v),
            PatternKind::Grammar(g) => self.components(&mut g.components),
            _ => {}
        }
    }

    /// Resolves `cs` in place; an `include` becomes a `div` of the included
    /// components and its overrides, and one that fails is dropped.
    fn components(&mut self, cs: &mut Vec<Component>) {
        let mut i = 0;
        while i < cs.len() {
            if self.component(&mut cs[i]) {
                i += 1;
            } else {
                cs.remove(i);
            }
        }
    }

    /// Resolves one component in place; false if it must be dropped.
    fn component(&mut self, c: &mut Component) -> bool {
        let span = c.span;
        match &mut c.kind {
            ComponentKind::Start { pattern, .. } => self.pattern(pattern),
            ComponentKind::Define { patterns, .. } => self.patterns(patterns),
            ComponentKind::Div(cs) => crate::stack::deeper(|| self.components(cs)),
            ComponentKind::Include {
                href,
                ns,
                components,
            } => {
                let mut overrides = std::mem::take(components);
                self.components(&mut overrides);
                let (href, ns) = (std::mem::take(href), std::mem::take(ns));
                let Some(mut included) = self.include(span, &href, &ns, &overrides) else {
                    return false;
                };
                included.append(&mut overrides);
                c.kind = ComponentKind::Div(included);
            }
        }
        true
    }

    /// §4.7: the included grammar's components, less those the include
    /// overrides.
    fn include(
        &mut self,
        span: Span,
        href: &str,
        ns: &str,
        overrides: &[Component],
    ) -> Option<Vec<Component>> {
        let file = self.load(span, href)?;
        let pattern = self.resolve_file(file, ns)?;
        let PatternKind::Grammar(grammar) = pattern.kind else {
            self.errors.push(SchemaError::new(
                CODE_INCLUDE,
                format!("the included file \"{href}\" must contain a grammar"),
                Some(span),
            ));
            return None;
        };
        let mut components = grammar.components;
        let mut override_names = Vec::new();
        let mut overrides_start = false;
        collect_overrides(overrides, &mut override_names, &mut overrides_start);
        if overrides_start
            && !remove_components(&mut components, &|k| {
                matches!(k, ComponentKind::Start { .. })
            })
        {
            self.errors.push(SchemaError::new(
                CODE_INCLUDE,
                format!("the include of \"{href}\" overrides start, but the included grammar has no start (RELAX NG §4.7)"),
                Some(span),
            ));
        }
        for name in override_names {
            let removed = remove_components(
                &mut components,
                &|k| matches!(k, ComponentKind::Define { name: n, .. } if *n == name),
            );
            if !removed {
                self.errors.push(SchemaError::new(
                    CODE_INCLUDE,
                    format!("the include of \"{href}\" overrides \"{name}\", which the included grammar does not define (RELAX NG §4.7)"),
                    Some(span),
                ));
            }
        }
        Some(components)
    }
}

/// The names the overrides `cs` define, each once (§4.7 removes every
/// define of a name however many overrides it has; they then combine as
/// any defines of one name do, §4.17), and whether they override start.
fn collect_overrides(cs: &[Component], names: &mut Vec<String>, start: &mut bool) {
    for c in cs {
        match &c.kind {
            ComponentKind::Start { .. } => *start = true,
            ComponentKind::Define { name, .. } => {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
            ComponentKind::Div(inner) => collect_overrides(inner, names, start),
            ComponentKind::Include { .. } => {}
        }
    }
}

/// Removes the matching components (looking into `div`s); whether any were.
fn remove_components(cs: &mut Vec<Component>, matches: &dyn Fn(&ComponentKind) -> bool) -> bool {
    let before = cs.len();
    cs.retain(|c| !matches(&c.kind));
    let mut removed = cs.len() != before;
    for c in cs.iter_mut() {
        if let ComponentKind::Div(inner) = &mut c.kind {
            removed |= remove_components(inner, matches);
        }
    }
    removed
}

#[cfg(test)]
mod tests;
