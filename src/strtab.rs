//! Tables keyed by a small tag and a string: document names by namespace,
//! text derivatives by pattern.
//!
//! Both sit on the per-node hot path of validation. Two things make them
//! cheaper than a `HashMap<Box<str>, _>`: one lookup covers the tag and the
//! string together, and keys are compared inline, not through libc's
//! `memcmp`, whose call dominated name lookups in profiles (the strings are
//! a few bytes long). Hashes are foldhash's, seeded per process, so a
//! document cannot aim collisions at a table it fills (the text memo).

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::RandomState;
use hashbrown::HashTable;

/// A map from `(tag, string)` to `V`.
#[derive(Clone)]
pub struct TaggedStrMap<V> {
    table: HashTable<(u32, Box<str>, V)>,
    hasher: RandomState,
}

impl<V> Default for TaggedStrMap<V> {
    fn default() -> Self {
        TaggedStrMap {
            table: HashTable::new(),
            hasher: RandomState::default(),
        }
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for TaggedStrMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.table.iter().map(|(t, s, v)| ((t, s), v)))
            .finish()
    }
}

impl<V> TaggedStrMap<V> {
    fn hash(&self, tag: u32, key: &str) -> u64 {
        let mut h = self.hasher.build_hasher();
        tag.hash(&mut h);
        h.write(key.as_bytes());
        h.finish()
    }

    /// The value stored for `(tag, key)`.
    #[inline]
    pub fn get(&self, tag: u32, key: &str) -> Option<&V> {
        let hash = self.hash(tag, key);
        self.table
            .find(hash, |(t, k, _)| {
                *t == tag && bytes_eq(k.as_bytes(), key.as_bytes())
            })
            .map(|(_, _, v)| v)
    }

    /// Stores `value` for `(tag, key)`, replacing any earlier value.
    pub fn insert(&mut self, tag: u32, key: &str, value: V) {
        let hash = self.hash(tag, key);
        let hasher = &self.hasher;
        let rehash = |(t, k, _): &(u32, Box<str>, V)| {
            let mut h = hasher.build_hasher();
            t.hash(&mut h);
            h.write(k.as_bytes());
            h.finish()
        };
        match self.table.find_mut(hash, |(t, k, _)| {
            *t == tag && bytes_eq(k.as_bytes(), key.as_bytes())
        }) {
            Some(entry) => entry.2 = value,
            None => {
                self.table
                    .insert_unique(hash, (tag, key.into(), value), rehash);
            }
        }
    }

    /// How many entries the map holds.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Forgets every entry (keeping the allocation).
    pub fn clear(&mut self) {
        self.table.clear();
    }
}

/// Byte-string equality, eight bytes at a time, without a library call.
#[inline]
pub fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (words_a, words_b) = (a.chunks_exact(8), b.chunks_exact(8));
    let tails_equal = words_a
        .remainder()
        .iter()
        .zip(words_b.remainder())
        .all(|(x, y)| x == y);
    tails_equal && words_a.zip(words_b).all(|(x, y)| word(x) == word(y))
}

#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(chunk);
    u64::from_ne_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_at_every_length() {
        let s = "abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..s.len() {
            let a = &s.as_bytes()[..n];
            assert!(bytes_eq(a, a));
            for i in 0..n {
                let mut b = a.to_vec();
                b[i] ^= 1;
                assert!(!bytes_eq(a, &b), "length {n}, byte {i}");
            }
            assert!(!bytes_eq(a, &s.as_bytes()[..n + 1]));
        }
    }

    #[test]
    fn tags_and_strings_are_both_the_key() {
        let mut m = TaggedStrMap::default();
        m.insert(1, "name", 10);
        m.insert(2, "name", 20);
        m.insert(1, "type", 30);
        m.insert(1, "name", 11);
        assert_eq!(m.get(1, "name"), Some(&11));
        assert_eq!(m.get(2, "name"), Some(&20));
        assert_eq!(m.get(1, "type"), Some(&30));
        assert_eq!(m.get(2, "type"), None);
        assert_eq!(m.get(1, "nam"), None);
        assert_eq!(m.len(), 3);
        m.clear();
        assert_eq!(m.len(), 0);
    }
}
