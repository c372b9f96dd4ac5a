//! The XSD regex grammar (XSD 1.0 Part 2, F.1) into a syntax tree whose
//! classes are settled `CharSet`s.

use std::fmt::Write as _;

use super::super::chars;
use super::charset::{category, dot, multi_char_escape, CharSet};
use super::RegexError;

/// Parentheses and class subtractions may nest this deep; bounds recursion.
const NEST_LIMIT: usize = 200;

#[derive(Clone, Debug)]
pub(super) enum Node {
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
    pub(super) fn cost(&self) -> u64 {
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

    pub(super) fn print(&self, out: &mut String) {
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

pub(super) struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    pub(super) fn new(pattern: &str) -> Parser {
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

    pub(super) fn parse(mut self) -> Result<Node, RegexError> {
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
                    set = set.union(&CharSet::from_chars(&[(lo, hi)]));
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
