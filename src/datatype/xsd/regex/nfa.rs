//! Our own NFA, for patterns the `regex-lite` crate cannot take: a
//! Thompson NFA simulated in lockstep, in which a repetition of a single
//! character class is one state with a counter.

use super::charset::CharSet;
use super::parse::Node;
use super::RegexError;

/// Upper bound on our own NFA's states; only reachable with big counted
/// repetitions of groups (as opposed to of single classes).
const NFA_STATE_LIMIT: usize = 500_000;

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
pub(super) struct Nfa {
    states: Vec<State>,
    sets: Vec<CharSet>,
    start: usize,
    counted: usize,
}

impl Nfa {
    pub(super) fn compile(node: &Node) -> Result<Nfa, RegexError> {
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

    pub(super) fn is_match(&self, text: &str) -> bool {
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
