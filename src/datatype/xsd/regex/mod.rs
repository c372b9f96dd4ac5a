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
//!
//! Files: `parse` (the F.1 grammar into a `Node` tree), `charset` (the
//! code point range algebra classes are built with), and one file per
//! engine: `runs` (counting along character classes), `lazy` (the
//! `regex-lite` crate, built on first use and shared through a bounded
//! cache) and `nfa` (our counting NFA).

mod charset;
mod lazy;
mod nfa;
mod parse;
mod runs;
#[cfg(test)]
mod tests;

use self::lazy::{Compiled, LazyCrate};
use self::nfa::Nfa;
use self::parse::Parser;
use self::runs::Runs;

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

impl XsdRegex {
    /// Parses and compiles `pattern`.
    pub fn new(pattern: &str) -> Result<XsdRegex, RegexError> {
        let node = Parser::new(pattern).parse()?;
        let engine = if let Some(runs) = Runs::of(&node) {
            Engine::Runs(runs)
        } else if node.cost() <= CRATE_COST_LIMIT {
            Engine::Lazy(Box::new(LazyCrate::new(node)))
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
