//! XSD regular expressions (XSD 1.0 Part 2, Appendix F).
//!
//! An XSD regex is parsed here into a small syntax tree whose character
//! classes are explicit sets of code point ranges, so every XSD-specific
//! meaning (`\i`, `\c`, `\w`, block escapes, subtraction) is settled before
//! matching. Matching then runs in time linear in the input:
//!
//! - normally the tree is printed as a `regex-lite` pattern (that crate
//!   guarantees linear-time matching);
//! - when counted repetitions make it too big for that crate (`x{2147483648}`),
//!   a Thompson NFA of our own is simulated instead, in which a repetition of
//!   a single character class is one state with a counter rather than one
//!   state per repetition.

use std::fmt::Write as _;

use super::chars;

/// A compiled XSD regular expression; matches whole strings only (XSD
/// regexes are implicitly anchored at both ends).
#[derive(Clone, Debug)]
pub struct XsdRegex {
    source: String,
    engine: Engine,
}

#[derive(Clone, Debug)]
enum Engine {
    /// Small enough for the `regex-lite` crate, which is built on first use: a
    /// schema names many patterns (libvirt's domain.rng about a hundred) and
    /// building each costs more than parsing the whole schema, while a
    /// document usually exercises a few of them.
    Lazy(Box<LazyCrate>),
    Nfa(Nfa),
    /// A few alternatives, each a sequence of character classes with
    /// repeat counts, in which counting greedily cannot go wrong: most of
    /// the patterns schemas write (`[a-z]+`, `0x[0-9a-f]{1,2}`,
    /// `[a-f0-9]{8}-([a-f0-9]{4}-){3}[a-f0-9]{12}`, `(/|[a-zA-Z]:\\).+`).
    /// Matched by counting characters along each alternative, with nothing
    /// to build.
    Runs(Runs),
}

/// One character class repeated `min..=max` times.
#[derive(Clone, Debug)]
struct Run {
    set: CharSet,
    min: u64,
    /// `None` is unbounded.
    max: Option<u64>,
}

impl Run {
    fn fixed(&self) -> bool {
        self.max == Some(self.min)
    }
}

/// Alternatives of run sequences (see [`Engine::Runs`]).
#[derive(Clone, Debug)]
struct Runs(Vec<Vec<Run>>);

/// Past this many alternatives (after distributing concatenation over
/// alternation) or runs in one, a pattern goes to the general engines.
const RUNS_MAX_ALTERNATIVES: usize = 16;
const RUNS_MAX_LENGTH: usize = 64;
/// A group repeated a fixed number of times is written out up to this count.
const RUNS_MAX_GROUP_COPIES: u64 = 8;

impl Runs {
    /// `node` as alternatives of run sequences, if it is one and greedy
    /// counting decides every alternative exactly.
    fn of(node: &Node) -> Option<Runs> {
        let alternatives = flatten(node)?;
        alternatives
            .iter()
            .all(|seq| greedy_is_exact(seq))
            .then_some(Runs(alternatives))
    }

    fn is_match(&self, text: &str) -> bool {
        self.0.iter().any(|seq| match_sequence(seq, text))
    }
}

/// The alternatives of `node`, each a sequence of runs.
fn flatten(node: &Node) -> Option<Vec<Vec<Run>>> {
    match node {
        Node::Empty => Some(vec![Vec::new()]),
        Node::Set(set) => Some(vec![vec![Run {
            set: set.clone(),
            min: 1,
            max: Some(1),
        }]]),
        Node::Concat(nodes) => nodes
            .iter()
            .try_fold(vec![Vec::new()], |acc, n| product(&acc, &flatten(n)?)),
        Node::Alt(nodes) => {
            let mut out = Vec::new();
            for n in nodes {
                out.extend(flatten(n)?);
                if out.len() > RUNS_MAX_ALTERNATIVES {
                    return None;
                }
            }
            Some(out)
        }
        Node::Repeat { node, min, max } => match (node.as_ref(), *min, *max) {
            (Node::Set(set), min, max) => Some(vec![vec![Run {
                set: set.clone(),
                min,
                max,
            }]]),
            // `(x)?` is `x` or nothing.
            (inner, 0, Some(1)) => {
                let mut alternatives = flatten(inner)?;
                alternatives.push(Vec::new());
                (alternatives.len() <= RUNS_MAX_ALTERNATIVES).then_some(alternatives)
            }
            // `(x){n}`, written out.
            (inner, n, Some(m)) if n == m && n <= RUNS_MAX_GROUP_COPIES => {
                let once = flatten(inner)?;
                (0..n).try_fold(vec![Vec::new()], |acc, _| product(&acc, &once))
            }
            _ => None,
        },
    }
}

/// Every sequence of `a` followed by every sequence of `b`, within limits.
fn product(a: &[Vec<Run>], b: &[Vec<Run>]) -> Option<Vec<Vec<Run>>> {
    if a.len() * b.len() > RUNS_MAX_ALTERNATIVES {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            if x.len() + y.len() > RUNS_MAX_LENGTH {
                return None;
            }
            out.push(x.iter().chain(y).cloned().collect());
        }
    }
    Some(out)
}

/// Whether taking as many characters as possible for each run decides the
/// sequence: the class of every run of variable length is disjoint from the
/// classes of the runs that could take the next character (those that
/// follow, up to and including the first that needs at least one). Then a
/// character the run could take is one no later run could, so stopping
/// earlier never helps.
fn greedy_is_exact(seq: &[Run]) -> bool {
    seq.iter().enumerate().all(|(i, run)| {
        run.fixed() || {
            let mut next = seq[i + 1..].iter();
            let mut disjoint = true;
            for later in next.by_ref() {
                disjoint &= run.set.is_disjoint(&later.set);
                if later.min >= 1 || !disjoint {
                    break;
                }
            }
            disjoint
        }
    })
}

fn match_sequence(seq: &[Run], text: &str) -> bool {
    let mut chars = text.chars().peekable();
    for run in seq {
        let mut count: u64 = 0;
        while run.max.is_none_or(|max| count < max) {
            match chars.peek() {
                Some(&c) if run.set.contains(c) => {
                    chars.next();
                    count += 1;
                }
                _ => break,
            }
        }
        if count < run.min {
            return false;
        }
    }
    chars.next().is_none()
}

#[derive(Clone, Debug)]
struct LazyCrate {
    /// The tree: printed in the crate's syntax on first use (printing
    /// every pattern up front weighed on compiling large schemas whose
    /// documents use few of them), or run by our NFA if the crate refuses it.
    node: Node,
    compiled: std::sync::OnceLock<Compiled>,
}

#[derive(Clone, Debug)]
enum Compiled {
    Crate(regex_lite::Regex),
    Nfa(Nfa),
    /// Neither engine took the pattern. Cannot happen: below
    /// `CRATE_COST_LIMIT` class atoms our NFA stays far under its state
    /// limit; kept so that matching never panics.
    Failed,
}

/// Regexes compiled so far in this process, by their XSD source. Schemas
/// loaded side by side share types (libvirt's sixteen schemas each include
/// the same IPv4/IPv6/MAC address patterns), and compiling the same
/// pattern again would cost as much as the first time. Keys come from
/// schemas, never from documents, so the map stays small.
fn shared_compiled(source: &str, compile: impl FnOnce() -> Compiled) -> Compiled {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, Compiled>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|m| m.get(source).cloned()) {
        return found;
    }
    // Compiled outside the lock: another thread may compile the same
    // pattern meanwhile, and either result is the same.
    let compiled = compile();
    if let Ok(mut map) = cache.lock() {
        map.insert(source.to_string(), compiled.clone());
    }
    compiled
}

impl LazyCrate {
    /// The compiled form of the pattern whose XSD text is `source`.
    fn compiled(&self, source: &str) -> &Compiled {
        self.compiled
            .get_or_init(|| shared_compiled(source, || self.compile()))
    }

    fn compile(&self) -> Compiled {
        // regex-lite, not regex: it matches code points against range
        // lists instead of compiling classes into UTF-8 automata, so a
        // large class like XSD's `.` is cheap to build; matching speed
        // matters less, as derivatives memoize each distinct value.
        let mut text = String::from(r"\A(?:");
        self.node.print(&mut text);
        text.push_str(r")\z");
        match regex_lite::RegexBuilder::new(&text)
            .size_limit(64 << 20)
            .nest_limit(1000)
            .build()
        {
            Ok(re) => Compiled::Crate(re),
            // Too big or too deep for the crate: our NFA takes anything
            // the parser accepted.
            Err(_) => match Nfa::compile(&self.node) {
                Ok(nfa) => Compiled::Nfa(nfa),
                Err(_) => Compiled::Failed,
            },
        }
    }
}

/// Why a string is not an XSD regular expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegexError {
    /// What is wrong, lower case, e.g. `quantifier "?" has nothing to repeat`.
    pub message: String,
    /// Character (not byte) offset in the pattern where the problem was seen.
    pub offset: usize,
}

impl std::fmt::Display for RegexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at character {}", self.message, self.offset + 1)
    }
}

/// Above this many class atoms after expanding counted repetitions, we do not
/// hand the pattern to the `regex-lite` crate (it would refuse it or take long to
/// compile) and use our own NFA instead.
const CRATE_COST_LIMIT: u64 = 20_000;
/// Upper bound on our own NFA's states; only reachable with big counted
/// repetitions of groups (as opposed to of single classes).
const NFA_STATE_LIMIT: usize = 500_000;
/// Parentheses and class subtractions may nest this deep; bounds recursion.
const NEST_LIMIT: usize = 200;

impl XsdRegex {
    /// Parses and compiles `pattern`.
    pub fn new(pattern: &str) -> Result<XsdRegex, RegexError> {
        let node = Parser::new(pattern).parse()?;
        let engine = if let Some(runs) = Runs::of(&node) {
            Engine::Runs(runs)
        } else if node.cost() <= CRATE_COST_LIMIT {
            Engine::Lazy(Box::new(LazyCrate {
                node,
                compiled: std::sync::OnceLock::new(),
            }))
        } else {
            Engine::Nfa(Nfa::compile(&node)?)
        };
        Ok(XsdRegex {
            source: pattern.to_string(),
            engine,
        })
    }

    /// Whether the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.engine {
            Engine::Lazy(lazy) => match lazy.compiled(&self.source) {
                Compiled::Crate(re) => re.is_match(text),
                Compiled::Nfa(nfa) => nfa.is_match(text),
                Compiled::Failed => false,
            },
            Engine::Nfa(nfa) => nfa.is_match(text),
            Engine::Runs(runs) => runs.is_match(text),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether matching uses our own counting NFA (for tests).
    #[cfg(test)]
    fn uses_nfa(&self) -> bool {
        match &self.engine {
            Engine::Nfa(_) => true,
            Engine::Lazy(lazy) => matches!(lazy.compiled(&self.source), Compiled::Nfa(_)),
            Engine::Runs(_) => false,
        }
    }

    #[cfg(test)]
    fn uses_run(&self) -> bool {
        matches!(self.engine, Engine::Runs(_))
    }
}

// ---------------------------------------------------------------------------
// Character sets

/// Sorted, disjoint, non-adjacent ranges of Unicode scalar values.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
struct CharSet(Vec<(u32, u32)>);

const MAX_CHAR: u32 = 0x10FFFF;

impl CharSet {
    fn from_ranges(mut ranges: Vec<(u32, u32)>) -> CharSet {
        ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        CharSet(out)
    }

    fn from_chars(ranges: &[(char, char)]) -> CharSet {
        CharSet::from_ranges(ranges.iter().map(|&(a, b)| (a as u32, b as u32)).collect())
    }

    fn single(c: char) -> CharSet {
        CharSet(vec![(c as u32, c as u32)])
    }

    fn union(&self, other: &CharSet) -> CharSet {
        CharSet::from_ranges(self.0.iter().chain(other.0.iter()).copied().collect())
    }

    /// Every scalar value not in the set (surrogates are never in any set).
    fn complement(&self) -> CharSet {
        let mut out = Vec::new();
        let mut next = 0u32;
        for &(lo, hi) in &self.0 {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi.saturating_add(1);
        }
        if next <= MAX_CHAR {
            out.push((next, MAX_CHAR));
        }
        CharSet(out).without_surrogates()
    }

    fn minus(&self, other: &CharSet) -> CharSet {
        // A \ B = A ∩ ¬B, and A ∩ C = ¬(¬A ∪ ¬C).
        self.complement()
            .union(other)
            .complement()
            .without_surrogates()
    }

    fn without_surrogates(self) -> CharSet {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        for (lo, hi) in self.0 {
            if hi < 0xD800 || lo > 0xDFFF {
                out.push((lo, hi));
                continue;
            }
            if lo < 0xD800 {
                out.push((lo, 0xD7FF));
            }
            if hi > 0xDFFF {
                out.push((0xE000, hi));
            }
        }
        CharSet(out)
    }

    fn contains(&self, c: char) -> bool {
        super::chars::in_sorted_ranges(&self.0, c as u32)
    }

    /// Whether no character is in both sets (a merge of the sorted ranges).
    fn is_disjoint(&self, other: &CharSet) -> bool {
        let (mut i, mut j) = (0, 0);
        while let (Some(&(a_lo, a_hi)), Some(&(b_lo, b_hi))) = (self.0.get(i), other.0.get(j)) {
            if a_hi < b_lo {
                i += 1;
            } else if b_hi < a_lo {
                j += 1;
            } else {
                return false;
            }
        }
        true
    }

    /// A `regex-lite` class; an empty set becomes a class that matches
    /// nothing.
    fn print(&self, out: &mut String) {
        if self.0.is_empty() {
            out.push_str(r"[^\x{0}-\x{10FFFF}]");
            return;
        }
        out.push('[');
        for &(lo, hi) in &self.0 {
            if lo == hi {
                let _ = write!(out, r"\x{{{lo:X}}}");
            } else {
                let _ = write!(out, r"\x{{{lo:X}}}-\x{{{hi:X}}}");
            }
        }
        out.push(']');
    }
}

/// A Unicode general category (`Lu`, `L`, ...) taken from the tables of
/// `regex-syntax`, so the same Unicode version as the `regex` crate.
fn category(name: &str) -> Option<CharSet> {
    const CATEGORIES: &[&str] = &[
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
        "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Z", "Zs", "Zl", "Zp", "S", "Sm", "Sc", "Sk", "So",
        "C", "Cc", "Cf", "Co", "Cn",
    ];
    if !CATEGORIES.contains(&name) {
        return None;
    }
    let hir = regex_syntax::Parser::new()
        .parse(&format!(r"\p{{{name}}}"))
        .ok()?;
    match hir.kind() {
        regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) => {
            Some(CharSet::from_ranges(
                class
                    .iter()
                    .map(|r| (r.start() as u32, r.end() as u32))
                    .collect(),
            ))
        }
        _ => None,
    }
}

/// The XSD multi-character escapes and `.`.
fn multi_char_escape(c: char) -> Option<CharSet> {
    let set = match c {
        's' | 'S' => CharSet::from_ranges(vec![(0x20, 0x20), (0x9, 0xA), (0xD, 0xD)]),
        'i' | 'I' => CharSet::from_chars(chars::NAME_START),
        'c' | 'C' => CharSet::from_chars(chars::NAME_CHAR),
        'd' | 'D' => category("Nd")?,
        // \w is everything except punctuation, separators and "other".
        'w' | 'W' => category("P")?
            .union(&category("Z")?)
            .union(&category("C")?)
            .complement(),
        _ => return None,
    };
    Some(if c.is_ascii_uppercase() {
        set.complement()
    } else {
        set
    })
}

fn dot() -> CharSet {
    CharSet::from_ranges(vec![(0xA, 0xA), (0xD, 0xD)]).complement()
}

// ---------------------------------------------------------------------------
// Syntax tree

#[derive(Clone, Debug)]
enum Node {
    /// Matches the empty string.
    Empty,
    Set(CharSet),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u64,
        /// `None` is unbounded.
        max: Option<u64>,
    },
}

impl Node {
    /// How many class atoms the pattern has once every counted repetition
    /// is written out, saturating.
    fn cost(&self) -> u64 {
        match self {
            Node::Empty => 1,
            Node::Set(_) => 1,
            Node::Concat(nodes) | Node::Alt(nodes) => nodes
                .iter()
                .fold(1u64, |acc, n| acc.saturating_add(n.cost())),
            Node::Repeat { node, min, max } => {
                let copies = max.unwrap_or(*min).max(*min).saturating_add(1);
                node.cost().saturating_mul(copies)
            }
        }
    }

    fn print(&self, out: &mut String) {
        match self {
            Node::Empty => {}
            Node::Set(set) => set.print(out),
            Node::Concat(nodes) => {
                for n in nodes {
                    out.push_str("(?:");
                    n.print(out);
                    out.push(')');
                }
            }
            Node::Alt(nodes) => {
                for (i, n) in nodes.iter().enumerate() {
                    if i > 0 {
                        out.push('|');
                    }
                    out.push_str("(?:");
                    n.print(out);
                    out.push(')');
                }
            }
            Node::Repeat { node, min, max } => {
                out.push_str("(?:");
                node.print(out);
                out.push(')');
                let _ = match max {
                    None => write!(out, "{{{min},}}"),
                    Some(max) => write!(out, "{{{min},{max}}}"),
                };
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Parser (XSD 1.0 Part 2, F.1 grammar)

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn new(pattern: &str) -> Parser {
        Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, RegexError> {
        Err(RegexError {
            message: message.into(),
            offset: self.pos,
        })
    }

    fn parse(mut self) -> Result<Node, RegexError> {
        let node = self.regex()?;
        match self.peek() {
            None => Ok(node),
            Some(')') => self.error("unmatched \")\""),
            Some(c) => self.error(format!("unexpected \"{c}\"")),
        }
    }

    /// regExp ::= branch ( '|' branch )*
    fn regex(&mut self) -> Result<Node, RegexError> {
        let mut branches = vec![self.branch()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.branch()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    /// branch ::= piece*
    fn branch(&mut self) -> Result<Node, RegexError> {
        let mut pieces = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            pieces.push(self.piece()?);
        }
        Ok(match pieces.len() {
            0 => Node::Empty,
            1 => pieces.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(pieces),
        })
    }

    /// piece ::= atom quantifier?
    fn piece(&mut self) -> Result<Node, RegexError> {
        let atom = self.atom()?;
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.pos += 1;
                let bounds = self.quantity()?;
                return Ok(Node::Repeat {
                    node: Box::new(atom),
                    min: bounds.0,
                    max: bounds.1,
                });
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    /// quantity ::= quantRange | quantMin | QuantExact, after the `{`.
    fn quantity(&mut self) -> Result<(u64, Option<u64>), RegexError> {
        let min_digits = self.digits();
        if min_digits.is_empty() {
            return self.error("expected a number in \"{...}\"");
        }
        let min = saturating_number(&min_digits);
        match self.peek() {
            Some('}') => {
                self.pos += 1;
                Ok((min, Some(min)))
            }
            Some(',') => {
                self.pos += 1;
                let max_digits = self.digits();
                if self.peek() != Some('}') {
                    return self.error("expected \"}\" to end the quantifier");
                }
                self.pos += 1;
                if max_digits.is_empty() {
                    return Ok((min, None));
                }
                if compare_digits(&min_digits, &max_digits) == std::cmp::Ordering::Greater {
                    return self.error(format!(
                        "the quantifier minimum {min_digits} is greater than its maximum {max_digits}"
                    ));
                }
                Ok((min, Some(saturating_number(&max_digits))))
            }
            _ => self.error("expected \"}\" or \",\" in the quantifier"),
        }
    }

    fn digits(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            s.push(c);
            self.pos += 1;
        }
        s
    }

    /// atom ::= Char | charClass | ( '(' regExp ')' )
    fn atom(&mut self) -> Result<Node, RegexError> {
        let Some(c) = self.peek() else {
            return self.error("unexpected end of pattern");
        };
        match c {
            '(' => {
                self.enter()?;
                self.pos += 1;
                let inner = self.regex()?;
                if self.peek() != Some(')') {
                    return self.error("missing \")\"");
                }
                self.pos += 1;
                self.depth -= 1;
                Ok(inner)
            }
            '[' => {
                self.pos += 1;
                Ok(Node::Set(self.class_body()?))
            }
            '\\' => Ok(Node::Set(self.escape()?.into_set())),
            '.' => {
                self.pos += 1;
                Ok(Node::Set(dot()))
            }
            '?' | '*' | '+' => self.error(format!("quantifier \"{c}\" has nothing to repeat")),
            '{' | '}' | ']' => self.error(format!("\"{c}\" must be escaped")),
            _ => {
                self.pos += 1;
                Ok(Node::Set(CharSet::single(c)))
            }
        }
    }

    fn enter(&mut self) -> Result<(), RegexError> {
        self.depth += 1;
        if self.depth > NEST_LIMIT {
            return self.error("the pattern nests too deeply");
        }
        Ok(())
    }

    /// An escape starting at the `\`.
    fn escape(&mut self) -> Result<Escape, RegexError> {
        self.pos += 1;
        let Some(c) = self.peek() else {
            return self.error("\"\\\" at the end of the pattern");
        };
        self.pos += 1;
        let single = match c {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '\\' | '|' | '.' | '?' | '*' | '+' | '(' | ')' | '{' | '}' | '-' | '[' | ']' | '^' => c,
            'p' | 'P' => {
                let set = self.property()?;
                return Ok(Escape::Set(if c == 'P' { set.complement() } else { set }));
            }
            _ => match multi_char_escape(c) {
                Some(set) => return Ok(Escape::Set(set)),
                None => {
                    self.pos -= 1;
                    return self.error(format!("unknown escape \"\\{c}\""));
                }
            },
        };
        Ok(Escape::Char(single))
    }

    /// The `{name}` of `\p{name}`.
    fn property(&mut self) -> Result<CharSet, RegexError> {
        if self.peek() != Some('{') {
            return self.error("expected \"{\" after \"\\p\"");
        }
        self.pos += 1;
        let start = self.pos;
        while self.peek().is_some_and(|c| c != '}') {
            self.pos += 1;
        }
        if self.peek() != Some('}') {
            return self.error("missing \"}\" after the property name");
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        self.pos += 1;
        let set = match name.strip_prefix("Is") {
            Some(block) => chars::block(block).map(CharSet::from_chars),
            None => category(&name),
        };
        match set {
            Some(set) => Ok(set),
            None => {
                self.pos = start;
                self.error(format!("unknown character property \"{name}\""))
            }
        }
    }

    /// charClassExpr after its `[`, through its `]`:
    /// charGroup ::= posCharGroup | negCharGroup | charClassSub
    fn class_body(&mut self) -> Result<CharSet, RegexError> {
        self.enter()?;
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut set = CharSet::default();
        let mut items = 0usize;
        loop {
            let Some(c) = self.peek() else {
                return self.error("missing \"]\"");
            };
            match c {
                ']' => {
                    if items == 0 {
                        return self.error("empty character class");
                    }
                    self.pos += 1;
                    break;
                }
                '[' => return self.error("\"[\" must be escaped in a character class"),
                '-' if self.peek_at(1) == Some('[') => {
                    if items == 0 {
                        return self.error("nothing to subtract from");
                    }
                    self.pos += 2;
                    let subtracted = self.class_body()?;
                    if self.peek() != Some(']') {
                        return self.error("a class subtraction must end its character class");
                    }
                    self.pos += 1;
                    let base = if negated { set.complement() } else { set };
                    self.depth -= 1;
                    return Ok(base.minus(&subtracted));
                }
                '-' if items > 0 && self.peek_at(1) != Some(']') => {
                    return self.error("\"-\" must be escaped here");
                }
                _ => {}
            }
            let first = if c == '\\' {
                self.escape()?
            } else {
                self.pos += 1;
                Escape::Char(c)
            };
            items += 1;
            let is_range = self.peek() == Some('-')
                && !matches!(self.peek_at(1), None | Some('[') | Some(']'));
            match first {
                Escape::Set(s) => {
                    if is_range {
                        return self.error("a range cannot start with a multi-character escape");
                    }
                    set = set.union(&s);
                }
                Escape::Char(lo) if is_range => {
                    self.pos += 1;
                    let hi = match self.peek() {
                        Some('\\') => match self.escape()? {
                            Escape::Char(hi) => hi,
                            Escape::Set(_) => {
                                return self
                                    .error("a range cannot end with a multi-character escape")
                            }
                        },
                        Some(hi @ ('-' | '[')) => {
                            return self.error(format!("\"{hi}\" must be escaped"));
                        }
                        Some(hi) => {
                            self.pos += 1;
                            hi
                        }
                        None => return self.error("missing \"]\""),
                    };
                    if lo > hi {
                        return self.error(format!("range {lo}-{hi} is out of order"));
                    }
                    set = set.union(&CharSet(vec![(lo as u32, hi as u32)]));
                }
                Escape::Char(c) => set = set.union(&CharSet::single(c)),
            }
        }
        self.depth -= 1;
        Ok(if negated { set.complement() } else { set })
    }
}

enum Escape {
    Char(char),
    Set(CharSet),
}

impl Escape {
    fn into_set(self) -> CharSet {
        match self {
            Escape::Char(c) => CharSet::single(c),
            Escape::Set(s) => s,
        }
    }
}

/// Digit strings compared as numbers, however long.
fn compare_digits(a: &str, b: &str) -> std::cmp::Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn saturating_number(digits: &str) -> u64 {
    digits.bytes().fold(0u64, |acc, d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

// ---------------------------------------------------------------------------
// Our own NFA, for patterns the `regex-lite` crate cannot take.

#[derive(Clone, Debug)]
enum State {
    /// Consume one character of `sets[set]`, then go to `next`.
    Class {
        set: usize,
        next: usize,
    },
    /// Epsilon to both.
    Split(usize, usize),
    /// `sets[set]{min,max}` as one state: entered at position i, it leaves
    /// at every j in i+min ..= i+min(max, length of the run of class
    /// characters starting at i). `slot` indexes its counter bookkeeping.
    Counted {
        set: usize,
        min: u64,
        max: Option<u64>,
        next: usize,
        slot: usize,
    },
    Match,
}

#[derive(Clone, Debug)]
struct Nfa {
    states: Vec<State>,
    sets: Vec<CharSet>,
    start: usize,
    counted: usize,
}

impl Nfa {
    fn compile(node: &Node) -> Result<Nfa, RegexError> {
        let mut nfa = Nfa {
            states: vec![State::Match],
            sets: Vec::new(),
            start: 0,
            counted: 0,
        };
        nfa.start = nfa.build(node, 0)?;
        Ok(nfa)
    }

    fn push(&mut self, state: State) -> Result<usize, RegexError> {
        if self.states.len() >= NFA_STATE_LIMIT {
            return Err(RegexError {
                message: "the counted repetitions make the pattern too large".to_string(),
                offset: 0,
            });
        }
        self.states.push(state);
        Ok(self.states.len() - 1)
    }

    fn add_set(&mut self, set: &CharSet) -> usize {
        self.sets.push(set.clone());
        self.sets.len() - 1
    }

    /// Builds `node` so that it continues to `next`; returns its entry.
    fn build(&mut self, node: &Node, next: usize) -> Result<usize, RegexError> {
        match node {
            Node::Empty => Ok(next),
            Node::Set(set) => {
                let set = self.add_set(set);
                self.push(State::Class { set, next })
            }
            Node::Concat(nodes) => {
                let mut next = next;
                for n in nodes.iter().rev() {
                    next = self.build(n, next)?;
                }
                Ok(next)
            }
            Node::Alt(nodes) => {
                let mut entries = Vec::with_capacity(nodes.len());
                for n in nodes {
                    entries.push(self.build(n, next)?);
                }
                let mut entry = entries.pop().unwrap_or(next);
                while let Some(e) = entries.pop() {
                    entry = self.push(State::Split(e, entry))?;
                }
                Ok(entry)
            }
            Node::Repeat { node, min, max } => {
                if let Node::Set(set) = node.as_ref() {
                    let set = self.add_set(set);
                    let slot = self.counted;
                    self.counted += 1;
                    return self.push(State::Counted {
                        set,
                        min: *min,
                        max: *max,
                        next,
                        slot,
                    });
                }
                // Optional tail first: X{0,k} as (X(X(...)?)?)?, or X*.
                let mut entry = match max {
                    None => {
                        let lp = self.push(State::Split(0, next))?;
                        let body = self.build(node, lp)?;
                        self.states[lp] = State::Split(body, next);
                        lp
                    }
                    Some(max) => {
                        let mut cur = next;
                        for _ in *min..*max {
                            let body = self.build(node, cur)?;
                            cur = self.push(State::Split(body, next))?;
                        }
                        cur
                    }
                };
                for _ in 0..*min {
                    entry = self.build(node, entry)?;
                }
                Ok(entry)
            }
        }
    }

    fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let len = chars.len();
        // Per counted state: the run of class characters starting at each
        // position, and a difference array of scheduled exits.
        let mut runs: Vec<Vec<usize>> = vec![Vec::new(); self.counted];
        for state in &self.states {
            if let State::Counted { set, slot, .. } = state {
                let mut run = vec![0usize; len + 1];
                for i in (0..len).rev() {
                    if self.sets[*set].contains(chars[i]) {
                        run[i] = run[i + 1] + 1;
                    }
                }
                runs[*slot] = run;
            }
        }
        let mut exits: Vec<Vec<i64>> = vec![vec![0; len + 2]; self.counted];
        let mut active = vec![0i64; self.counted];
        let mut exit_targets = vec![0usize; self.counted];
        for state in &self.states {
            if let State::Counted { next, slot, .. } = state {
                exit_targets[*slot] = *next;
            }
        }

        let mut current = SparseSet::new(self.states.len());
        let mut arriving: Vec<usize> = vec![self.start];
        let mut stack = Vec::new();
        for pos in 0..=len {
            current.clear();
            for slot in 0..self.counted {
                active[slot] += exits[slot][pos];
                if active[slot] > 0 {
                    arriving.push(exit_targets[slot]);
                }
            }
            // Epsilon closure of everything arriving at `pos`.
            stack.append(&mut arriving);
            while let Some(s) = stack.pop() {
                if !current.insert(s) {
                    continue;
                }
                match &self.states[s] {
                    State::Split(a, b) => {
                        stack.push(*b);
                        stack.push(*a);
                    }
                    State::Counted {
                        min,
                        max,
                        next,
                        slot,
                        ..
                    } => {
                        let run = runs[*slot][pos] as u64;
                        let reach = max.map_or(run, |m| m.min(run));
                        if *min <= reach {
                            let lo = pos as u64 + min;
                            let hi = pos as u64 + reach;
                            if *min == 0 {
                                stack.push(*next);
                            }
                            let lo = lo.max(pos as u64 + 1);
                            if lo <= hi {
                                // lo and hi are at most `len`, so in range.
                                exits[*slot][lo as usize] += 1;
                                exits[*slot][hi as usize + 1] -= 1;
                            }
                        }
                    }
                    State::Class { .. } | State::Match => {}
                }
            }
            if pos == len {
                return current.contains(0);
            }
            let c = chars[pos];
            for &s in current.dense.iter() {
                if let State::Class { set, next } = &self.states[s] {
                    if self.sets[*set].contains(c) {
                        arriving.push(*next);
                    }
                }
            }
        }
        false
    }
}

/// A set of state ids with O(1) insert and clear (Briggs & Torczon).
struct SparseSet {
    dense: Vec<usize>,
    sparse: Vec<usize>,
}

impl SparseSet {
    fn new(size: usize) -> SparseSet {
        SparseSet {
            dense: Vec::with_capacity(size),
            sparse: vec![0; size],
        }
    }

    fn contains(&self, id: usize) -> bool {
        let i = self.sparse[id];
        i < self.dense.len() && self.dense[i] == id
    }

    /// Adds `id`; false if it was already there.
    fn insert(&mut self, id: usize) -> bool {
        if self.contains(id) {
            return false;
        }
        self.sparse[id] = self.dense.len();
        self.dense.push(id);
        true
    }

    fn clear(&mut self) {
        self.dense.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, rows: &[(&str, bool)]) {
        let re = XsdRegex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        for &(text, want) in rows {
            assert_eq!(re.is_match(text), want, "{pattern} against {text:?}");
        }
    }

    #[test]
    fn rejects_bad_patterns() {
        for bad in [
            "a??",
            "\\",
            "?",
            "*",
            "+",
            "(",
            "[",
            "]",
            ")",
            "[^]",
            "[]",
            "[]]",
            "[[]",
            "[\\]",
            "x{2,1}",
            "x{1, 2}",
            "x{ 2}",
            "x{2 }",
            "x{-0,1}",
            "x{+2}",
            "[a-[a]-[a]]",
            "\\pL",
            "\\p{IsHighSurrogates}",
            "\\p{IsLowSurrogates}",
            "\\p{Foo}",
            "\\q",
            "a{",
            "x{2147483649,2147483648}",
            "[z-a]",
            "{",
            "a**",
            "[a-\\d]",
        ] {
            assert!(XsdRegex::new(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn matches_whole_strings() {
        check(
            "xyzzy",
            &[
                ("xyzzy", true),
                ("xyzz", false),
                ("xyzzyy", false),
                (" xyzzy", false),
            ],
        );
        check("$", &[("$", true), ("", false)]);
        check("^", &[("^", true)]);
        check("|", &[("", true), ("|", false)]);
        check("", &[("", true), ("x", false)]);
        check(
            ".",
            &[
                (".", true),
                ("", false),
                ("\n", false),
                ("\r", false),
                ("..", false),
                ("\u{10330}", true),
            ],
        );
        check("a|b", &[("a", true), ("b", true), ("ab", false)]);
        check(
            "(ab)+c?",
            &[("ab", true), ("ababc", true), ("abca", false), ("", false)],
        );
    }

    #[test]
    fn classes() {
        check("[^^]", &[("x", true), ("^", false)]);
        check(
            "[f&&g]",
            &[("f", true), ("&", true), ("g", true), ("h", false)],
        );
        check(
            "[a-z-[c-y]]",
            &[
                ("a", true),
                ("b", true),
                ("z", true),
                ("c", false),
                ("d", false),
            ],
        );
        check(
            "[abc-[a-a]]",
            &[("b", true), ("c", true), ("a", false), ("d", false)],
        );
        check(
            "a[\u{10330}-[\u{10330}]]*b",
            &[("ab", true), ("a\u{10330}b", false)],
        );
        check("[?+*(){}|.]", &[("?", true), ("{", true), ("x", false)]);
        check("[-a]", &[("-", true), ("a", true)]);
        check("[a-]", &[("-", true), ("a", true), ("b", false)]);
        check("[^a-z]", &[("A", true), ("q", false)]);
        check(
            "\\i\\c*",
            &[
                ("j", true),
                ("\u{212E}", true),
                (":a-1", true),
                ("\u{10000}", false),
                ("1a", false),
            ],
        );
        check("\\d+", &[("0123", true), ("\u{0660}", true), ("a", false)]);
        check("\\w", &[("a", true), ("!", false), (" ", false)]);
        check("\\s\\S", &[(" a", true), ("\ta", true), ("a ", false)]);
        check("\\p{Lu}\\P{Lu}", &[("Ab", true), ("AB", false)]);
        check("\\p{IsBasicLatin}+", &[("abc", true), ("é", false)]);
        check(
            "\\P{IsGothic}",
            &[
                ("X", true),
                ("\u{1032F}", true),
                ("\u{10330}", false),
                ("\u{10350}", true),
            ],
        );
        check(
            "[\\p{Nd}-[\\p{IsThai}]]",
            &[("1", true), ("\u{0E51}", false)],
        );
        check("\\p{Cn}", &[("\u{0378}", true), ("a", false)]);
    }

    #[test]
    fn escapes() {
        check(
            "~!@#$%\\^&\\*\\(\\)_\\+`\\-=\\{\\}\\[\\]\\|\\\\:;\"',\\.<>/\\?",
            &[("~!@#$%^&*()_+`-={}[]|\\:;\"',.<>/?", true)],
        );
        check("\\n\\r\\t", &[("\n\r\t", true)]);
    }

    #[test]
    fn counted_repetitions() {
        check("x{1,1}", &[("x", true), ("xx", false)]);
        check(
            "x{2,3}",
            &[("x", false), ("xx", true), ("xxx", true), ("xxxx", false)],
        );
        check(
            "(ab){2,}",
            &[("ab", false), ("abab", true), ("ababab", true)],
        );
        check("x{0,0}", &[("", true), ("x", false)]);

        let huge = XsdRegex::new("x{2147483648}").unwrap_or_else(|e| panic!("{e}"));
        assert!(huge.uses_run());
        assert!(!huge.is_match("x"));
        assert!(!huge.is_match(""));
        check(
            "x{0,2147483648}",
            &[("x", true), ("", true), ("xxxx", true), ("y", false)],
        );
        check(
            "a[0-9]{3,2147483648}b|c",
            &[
                ("a123b", true),
                ("a12b", false),
                ("c", true),
                ("a1234567b", true),
                ("a123", false),
            ],
        );
        check(
            "(a[0-9]{0,99999999}-)*z",
            &[
                ("z", true),
                ("a-z", true),
                ("a12-a3-z", true),
                ("a12-a3z", false),
            ],
        );
        check("(xy){3}\\d{1000000}|q", &[("q", true), ("xyxyxy1", false)]);
    }

    #[test]
    fn runs_agree_with_crate() {
        let patterns = [
            "x",
            ".",
            "[a-c]{2,4}",
            "[^a]*",
            "\\d{1,3}",
            "x{0,0}",
            "([ab]+)",
            "[a-c-[b]]?",
            "\\s{2}",
            "0x[0-9a-fA-F]{1,2}",
            "(0x)?[0-9a-fA-F]{1,8}",
            "[a-fA-F0-9]{8}\\-([a-fA-F0-9]{4}\\-){3}[a-fA-F0-9]{12}",
            "[a-fA-F0-9][02468aAcCeE](:[a-fA-F0-9]{2}){5}",
            "(/|[a-zA-Z]:\\\\).+",
            "\\[[^\\]]+\\] .+",
            "a+b+c?",
            "(ab|cd){2}",
            "(a|ab)c",
            "a?b?",
            "",
        ];
        let alphabet = [
            'a', 'b', 'c', 'd', '0', 'x', 'f', ':', '-', '/', '\\', '[', ']', ' ', 'é',
        ];
        let mut inputs: Vec<String> = vec![
            "12345678-9abc-def0-1234-56789abcdef0".into(),
            "12345678-9abc-def0-1234-56789abcdef".into(),
            "0a:1b:2c:3d:4e:5f".into(),
            "01:1b:2c:3d:4e:5f".into(),
            "/var/lib/x".into(),
            "C:\\x".into(),
            "C:x".into(),
            "[a] b".into(),
            "[] b".into(),
            "0xff".into(),
            "0xfff".into(),
            "abcd".into(),
        ];
        // Every string of up to four characters over a small alphabet.
        let mut layer = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for s in &layer {
                for c in alphabet {
                    next.push(format!("{s}{c}"));
                }
            }
            inputs.extend(layer);
            layer = next;
        }
        inputs.extend(layer);
        for p in patterns {
            let runs = XsdRegex::new(p).unwrap_or_else(|e| panic!("{e}"));
            assert!(runs.uses_run(), "{p} is matched by counting");
            let node = Parser::new(p).parse().unwrap_or_else(|e| panic!("{e}"));
            let crate_re = LazyCrate {
                node,
                compiled: std::sync::OnceLock::new(),
            };
            let Compiled::Crate(re) = crate_re.compile() else {
                panic!("{p}: the crate refused it");
            };
            for input in &inputs {
                assert_eq!(
                    runs.is_match(input),
                    re.is_match(input),
                    "{p} against {input:?}"
                );
            }
        }
        // Greedy counting would get these wrong: they go to the crate.
        for p in ["a*ab", "[a-c]+b", "(ab)*", "a?b?a", "a+b?a"] {
            let re = XsdRegex::new(p).unwrap_or_else(|e| panic!("{e}"));
            assert!(!re.uses_run(), "{p}");
        }
    }

    #[test]
    fn nfa_agrees_with_crate() {
        let patterns = [
            "(a|aa)*b",
            "a(b|c)*d?",
            "[a-c]{2,4}x*",
            "((ab)*|c)+",
            "x?y?z?",
            "(a*)*b",
            "a{0,3}b{2}",
            "(|a)+",
        ];
        let inputs = [
            "", "a", "b", "ab", "aab", "abcd", "abd", "aaaa", "abbx", "ccab", "xyz", "aaabb", "bb",
            "abab", "ac", "aaaaab",
        ];
        for p in patterns {
            let crate_re = XsdRegex::new(p).unwrap_or_else(|e| panic!("{e}"));
            assert!(!crate_re.uses_nfa());
            let node = Parser::new(p).parse().unwrap_or_else(|e| panic!("{e}"));
            let nfa = Nfa::compile(&node).unwrap_or_else(|e| panic!("{e}"));
            for input in inputs {
                assert_eq!(
                    crate_re.is_match(input),
                    nfa.is_match(input),
                    "{p} on {input:?}"
                );
            }
        }
    }

    /// Not a benchmark (that lives elsewhere): shows that a pattern which
    /// makes backtracking engines explode finishes on 100 KB of input, on
    /// both engines.
    #[test]
    fn no_catastrophic_backtracking() {
        let text = "a".repeat(100_000);
        let re = XsdRegex::new("(a|aa)*b").unwrap_or_else(|e| panic!("{e}"));
        assert!(!re.is_match(&text));
        let node = Parser::new("(a|aa)*b")
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let nfa = Nfa::compile(&node).unwrap_or_else(|e| panic!("{e}"));
        assert!(!nfa.is_match(&text));
        let counted = XsdRegex::new("(a{1,2147483647})*b").unwrap_or_else(|e| panic!("{e}"));
        assert!(counted.uses_nfa());
        assert!(!counted.is_match(&text));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(XsdRegex::new(&deep).is_err());
        let shallow = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        check(&shallow, &[("a", true)]);
    }
}
