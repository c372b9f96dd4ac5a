//! The engine for most patterns schemas write: a few alternatives, each a
//! sequence of character classes with repeat counts, matched by counting.

use super::charset::CharSet;
use super::parse::Node;

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
pub(super) struct Runs(Vec<Vec<Run>>);

/// Past this many alternatives (after distributing concatenation over
/// alternation) or runs in one, a pattern goes to the general engines.
const RUNS_MAX_ALTERNATIVES: usize = 16;
const RUNS_MAX_LENGTH: usize = 64;
/// A group repeated a fixed number of times is written out up to this count.
const RUNS_MAX_GROUP_COPIES: u64 = 8;

impl Runs {
    /// `node` as alternatives of run sequences, if it is one and greedy
    /// counting decides every alternative exactly.
    pub(super) fn of(node: &Node) -> Option<Runs> {
        let alternatives = flatten(node)?;
        alternatives
            .iter()
            .all(|seq| greedy_is_exact(seq))
            .then_some(Runs(alternatives))
    }

    pub(super) fn is_match(&self, text: &str) -> bool {
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
