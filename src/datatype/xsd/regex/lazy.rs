//! The `regex-lite` engine: the tree printed in the crate's syntax and
//! built on first use, shared across schemas through a bounded cache.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, OnceLock};

use super::nfa::Nfa;
use super::parse::Node;

#[derive(Clone, Debug)]
pub(super) struct LazyCrate {
    /// The tree: printed in the crate's syntax on first use (printing
    /// every pattern up front weighed on compiling large schemas whose
    /// documents use few of them), or run by our NFA if the crate refuses it.
    node: Node,
    compiled: OnceLock<Compiled>,
}

#[derive(Clone, Debug)]
pub(super) enum Compiled {
    Crate(regex_lite::Regex),
    Nfa(Nfa),
    /// Neither engine took the pattern. Cannot happen: below
    /// `CRATE_COST_LIMIT` class atoms our NFA stays far under its state
    /// limit; kept so that matching never panics.
    Failed,
}

/// How many compiled regexes the process keeps. Far above the distinct
/// patterns a set of schemas names (libvirt's sixteen share most of
/// theirs), so the CLI never recompiles; a host that loads schema after
/// schema (an editor, a language server) stays bounded, and an evicted
/// pattern only costs a compile again.
pub(super) const SHARED_CAPACITY: usize = 1024;

/// Regexes compiled so far in this process, by their XSD source. Schemas
/// loaded side by side share types (libvirt's sixteen schemas each include
/// the same IPv4/IPv6/MAC address patterns), and compiling the same
/// pattern again would cost as much as the first time.
fn shared_compiled(source: &str, compile: impl FnOnce() -> Compiled) -> Compiled {
    let cache = shared_cache();
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(source).cloned()) {
        return found;
    }
    // Compiled outside the lock: another thread may compile the same
    // pattern meanwhile, and either result is the same.
    let compiled = compile();
    if let Ok(mut c) = cache.lock() {
        c.insert(source, compiled.clone());
    }
    compiled
}

pub(super) fn shared_cache() -> &'static Mutex<BoundedCache<Compiled>> {
    static CACHE: OnceLock<Mutex<BoundedCache<Compiled>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(BoundedCache::new(SHARED_CAPACITY)))
}

/// A string-keyed map of at most `capacity` entries that drops the oldest
/// insertion when full (first in, first out: the patterns of the schema
/// loaded longest ago go first).
#[derive(Debug)]
pub(super) struct BoundedCache<V> {
    map: HashMap<String, V>,
    /// Keys in insertion order, each once.
    order: VecDeque<String>,
    capacity: usize,
}

impl<V> BoundedCache<V> {
    pub(super) fn new(capacity: usize) -> BoundedCache<V> {
        BoundedCache {
            map: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<&V> {
        self.map.get(key)
    }

    pub(super) fn insert(&mut self, key: &str, value: V) {
        if let Some(slot) = self.map.get_mut(key) {
            *slot = value;
            return;
        }
        if self.map.len() >= self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.map.remove(&oldest);
            }
        }
        self.order.push_back(key.to_string());
        self.map.insert(key.to_string(), value);
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.map.len()
    }
}

impl LazyCrate {
    pub(super) fn new(node: Node) -> LazyCrate {
        LazyCrate {
            node,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled form of the pattern whose XSD text is `source`.
    pub(super) fn compiled(&self, source: &str) -> &Compiled {
        self.compiled
            .get_or_init(|| shared_compiled(source, || self.compile()))
    }

    pub(super) fn compile(&self) -> Compiled {
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
