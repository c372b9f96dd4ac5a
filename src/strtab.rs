//! Tables keyed by a small tag and a string (or a few strings): document
//! names by namespace, text derivatives by pattern, whole transitions by
//! pattern and an event's name (and value).
//!
//! They sit on the per-node hot path of validation. Three things make them
//! cheaper than a `HashMap<Box<str>, _>`: one lookup covers the tag and the
//! strings together; a key of several strings is hashed and compared part
//! by part, never joined into a buffer first; and keys are compared inline,
//! not through libc's `memcmp`, whose call dominated name lookups in
//! profiles (the strings are a few bytes long). Hashes are foldhash's,
//! seeded per process, so a document cannot aim collisions at a table it
//! fills (the memos).

use std::hash::{BuildHasher, Hasher};

use foldhash::fast::RandomState;
use hashbrown::HashTable;

/// One entry: the parts of its key are stored end to end, with the
/// lengths of all but the last, so that `("ab", "c")` and `("a", "bc")`
/// stay different keys.
#[derive(Clone)]
struct Slot<V> {
    tag: u32,
    lens: [u32; 2],
    key: KeyBytes,
    value: V,
}

/// Keys up to this many bytes are stored in the entry itself.
const INLINE: usize = 30;

/// A key's bytes: inside the entry when short (most names and values), so
/// that a lookup compares them without following a pointer to another
/// cache line; on the heap otherwise.
#[derive(Clone)]
enum KeyBytes {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<[u8]>),
}

impl KeyBytes {
    fn new(parts: &[&str]) -> KeyBytes {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        if total <= INLINE {
            let mut bytes = [0u8; INLINE];
            let mut at = 0;
            for part in parts {
                bytes[at..at + part.len()].copy_from_slice(part.as_bytes());
                at += part.len();
            }
            KeyBytes::Inline {
                len: total as u8,
                bytes,
            }
        } else {
            let mut heap = Vec::with_capacity(total);
            for part in parts {
                heap.extend_from_slice(part.as_bytes());
            }
            KeyBytes::Heap(heap.into_boxed_slice())
        }
    }

    #[inline]
    fn as_bytes(&self) -> &[u8] {
        match self {
            KeyBytes::Inline { len, bytes } => &bytes[..usize::from(*len)],
            KeyBytes::Heap(heap) => heap,
        }
    }
}

/// A map from `(tag, N strings)` to `V` (`N` is one to three).
#[derive(Clone)]
pub struct TaggedStrMap<V, const N: usize = 1> {
    table: HashTable<Slot<V>>,
    hasher: RandomState,
}

impl<V, const N: usize> Default for TaggedStrMap<V, N> {
    fn default() -> Self {
        TaggedStrMap {
            table: HashTable::new(),
            hasher: RandomState::default(),
        }
    }
}

impl<V: std::fmt::Debug, const N: usize> std::fmt::Debug for TaggedStrMap<V, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.table.iter().map(|s| {
                let key = String::from_utf8_lossy(s.key.as_bytes());
                ((s.tag, key), &s.value)
            }))
            .finish()
    }
}

/// Whether a stored key is `parts` end to end (the lengths of the parts
/// have been compared already). Always inlined, like `hash`: each caller
/// knows its number of parts, and the loops then unroll (as a call, it was
/// a visible part of the validator's work).
#[inline(always)]
fn key_eq<const N: usize>(stored: &KeyBytes, parts: &[&str; N]) -> bool {
    let mut rest = stored.as_bytes();
    for part in parts {
        let Some((head, tail)) = rest.split_at_checked(part.len()) else {
            return false;
        };
        if !bytes_eq(head, part.as_bytes()) {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

impl<V, const N: usize> TaggedStrMap<V, N> {
    /// The lengths of all parts but the last (`None` if one does not fit a
    /// `u32`: such a key is never stored).
    #[inline]
    fn lens(parts: &[&str; N]) -> Option<[u32; 2]> {
        const { assert!(N >= 1 && N <= 3, "keys have one to three parts") };
        let mut lens = [0u32; 2];
        for (slot, part) in lens.iter_mut().zip(&parts[..N - 1]) {
            *slot = u32::try_from(part.len()).ok()?;
        }
        Some(lens)
    }

    #[inline(always)]
    fn hash(hasher: &RandomState, tag: u32, lens: [u32; 2], parts: &[&[u8]; N]) -> u64 {
        let mut h = hasher.build_hasher();
        h.write_u64(u64::from(tag) | u64::from(lens[0]) << 32);
        if N > 2 {
            h.write_u32(lens[1]);
        }
        for part in parts {
            // The lengths are hashed already, so an empty part (most
            // namespace URIs) need not be.
            if !part.is_empty() {
                h.write(part);
            }
        }
        h.finish()
    }

    /// The hash of a stored entry (when the table grows).
    fn slot_hash(hasher: &RandomState, slot: &Slot<V>) -> u64 {
        let mut parts: [&[u8]; N] = [&[]; N];
        let mut rest = slot.key.as_bytes();
        for (part, &len) in parts.iter_mut().zip(&slot.lens[..N - 1]) {
            let (head, tail) = rest.split_at(len as usize);
            *part = head;
            rest = tail;
        }
        parts[N - 1] = rest;
        Self::hash(hasher, slot.tag, slot.lens, &parts)
    }

    /// The value stored for `(tag, parts)`.
    #[inline]
    pub fn get_parts(&self, tag: u32, parts: [&str; N]) -> Option<&V> {
        let lens = Self::lens(&parts)?;
        let hash = Self::hash(&self.hasher, tag, lens, &parts.map(str::as_bytes));
        self.table
            .find(hash, |s| {
                s.tag == tag && s.lens == lens && key_eq(&s.key, &parts)
            })
            .map(|s| &s.value)
    }

    /// Stores `value` for `(tag, parts)`, replacing any earlier value.
    pub fn insert_parts(&mut self, tag: u32, parts: [&str; N], value: V) {
        let Some(lens) = Self::lens(&parts) else {
            return;
        };
        let hash = Self::hash(&self.hasher, tag, lens, &parts.map(str::as_bytes));
        let found = self.table.find_mut(hash, |s| {
            s.tag == tag && s.lens == lens && key_eq(&s.key, &parts)
        });
        match found {
            Some(slot) => slot.value = value,
            None => {
                let slot = Slot {
                    tag,
                    lens,
                    key: KeyBytes::new(&parts),
                    value,
                };
                let hasher = &self.hasher;
                self.table
                    .insert_unique(hash, slot, |s| Self::slot_hash(hasher, s));
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

impl<V> TaggedStrMap<V, 1> {
    /// The value stored for `(tag, key)`.
    #[inline]
    pub fn get(&self, tag: u32, key: &str) -> Option<&V> {
        self.get_parts(tag, [key])
    }

    /// Stores `value` for `(tag, key)`, replacing any earlier value.
    pub fn insert(&mut self, tag: u32, key: &str, value: V) {
        self.insert_parts(tag, [key], value);
    }
}

/// Byte-string equality without a library call: eight bytes at a time,
/// the last word overlapping the one before; shorter strings in at most two
/// loads each (the common case: names and values are a few bytes long).
#[inline]
pub fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if word(&a[i..i + 8]) != word(&b[i..i + 8]) {
                return false;
            }
            i += 8;
        }
        return word(&a[n - 8..]) == word(&b[n - 8..]);
    }
    if n >= 4 {
        // Two overlapping half-words cover four to seven bytes.
        return half(&a[..4]) == half(&b[..4]) && half(&a[n - 4..]) == half(&b[n - 4..]);
    }
    // First, middle and last cover up to three bytes.
    n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1])
}

#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(chunk);
    u64::from_ne_bytes(bytes)
}

#[inline]
fn half(chunk: &[u8]) -> u32 {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(chunk);
    u32::from_ne_bytes(bytes)
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

    #[test]
    fn keys_of_several_parts_keep_their_boundaries() {
        let mut m: TaggedStrMap<i32, 3> = TaggedStrMap::default();
        m.insert_parts(1, ["ab", "c", "d"], 1);
        m.insert_parts(1, ["a", "bc", "d"], 2);
        m.insert_parts(1, ["a", "b", "cd"], 3);
        m.insert_parts(1, ["", "", "abcd"], 4);
        assert_eq!(m.get_parts(1, ["ab", "c", "d"]), Some(&1));
        assert_eq!(m.get_parts(1, ["a", "bc", "d"]), Some(&2));
        assert_eq!(m.get_parts(1, ["a", "b", "cd"]), Some(&3));
        assert_eq!(m.get_parts(1, ["", "", "abcd"]), Some(&4));
        assert_eq!(m.get_parts(1, ["abc", "", "d"]), None);
        assert_eq!(m.get_parts(2, ["ab", "c", "d"]), None);
        // Growing rehashes every entry from its stored parts.
        for i in 0..1000 {
            m.insert_parts(i, ["x", &i.to_string(), "y"], i as i32);
        }
        for i in 0..1000 {
            assert_eq!(
                m.get_parts(i, ["x", &i.to_string(), "y"]),
                Some(&(i as i32))
            );
            assert_eq!(m.get_parts(i, ["x", "", &format!("{i}y")]), None);
        }
        assert_eq!(m.get_parts(1, ["a", "b", "cd"]), Some(&3));
        // Keys too long to be kept inline live on the heap.
        let long = "l".repeat(40);
        m.insert_parts(7, [&long, "=", &long], 70);
        m.insert_parts(7, [&long, "", &format!("={long}")], 71);
        assert_eq!(m.get_parts(7, [&long, "=", &long]), Some(&70));
        assert_eq!(m.get_parts(7, [&long, "", &format!("={long}")]), Some(&71));
        assert_eq!(m.get_parts(7, [&long, "=", &long[1..]]), None);
    }
}
