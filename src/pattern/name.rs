//! Names and name classes, interned.
//!
//! Every expanded name and namespace URI that a schema mentions gets an id.
//! A document's name is then mapped to a [`NameKey`]: its own id when the
//! schema knows it, otherwise "some other name in namespace N" or "some
//! name in a namespace the schema never mentions". No name class can tell
//! two names with the same key apart, so keys are exact memo keys for
//! derivatives.

use crate::strtab::TaggedStrMap;

/// An interned expanded name (namespace URI, local name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameId(pub u32);

/// An interned namespace URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NsId(pub u32);

/// An interned name class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameClassId(pub u32);

/// A document name as the schema sees it (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKey {
    /// A name the schema mentions.
    Known(NameId),
    /// An unmentioned local name in a mentioned namespace.
    OtherInNs(NsId),
    /// A name in a namespace the schema never mentions.
    Other,
}

/// A one-word filter over name keys (a Bloom filter with one hash): each
/// known name sets one of 63 bits, and the top bit stands for every name
/// the schema does not mention. A name class's filter has the bits of every
/// key it may contain (a wildcard has them all), so a key whose bit is
/// clear is certainly not in it; patterns combine their parts' filters, so
/// derivatives skip the alternatives that cannot take a name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NameBits(u64);

impl NameBits {
    /// Every key may be in it.
    pub const ALL: NameBits = NameBits(u64::MAX);

    fn bit(key: NameKey) -> u64 {
        match key {
            NameKey::Known(NameId(n)) => 1 << (n % 63),
            NameKey::OtherInNs(_) | NameKey::Other => 1 << 63,
        }
    }

    /// Whether `key` may be in the set (`false` means certainly not).
    #[inline]
    pub fn may_contain(self, key: NameKey) -> bool {
        self.0 & Self::bit(key) != 0
    }

    /// Either set.
    pub fn union(self, other: NameBits) -> NameBits {
        NameBits(self.0 | other.0)
    }

    /// The filter of one key.
    pub fn of(key: NameKey) -> NameBits {
        NameBits(Self::bit(key))
    }

    /// Whether the two sets may share a key (`false` means certainly not):
    /// one test instead of a `may_contain` per key of a set of keys.
    #[inline]
    pub fn intersects(self, other: NameBits) -> bool {
        self.0 & other.0 != 0
    }
}

/// RELAX NG name classes (§5 simple syntax).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameClass {
    /// `anyName`, with an optional except.
    AnyName(Option<NameClassId>),
    /// `nsName`, with an optional except.
    NsName(NsId, Option<NameClassId>),
    /// `name`.
    Name(NameId),
    /// `choice`.
    Choice(NameClassId, NameClassId),
}

/// The name tables of one schema.
#[derive(Clone, Debug, Default)]
pub struct NameTable {
    names: Vec<(NsId, String)>,
    /// (namespace, local name) → name, so that a document's `&str` can be
    /// looked up without allocating.
    name_index: TaggedStrMap<NameId>,
    namespaces: Vec<String>,
    ns_index: TaggedStrMap<NsId>,
    classes: Vec<NameClass>,
    class_index: super::IdMap<NameClass, NameClassId>,
}

impl NameTable {
    /// Interns a namespace URI.
    pub fn namespace(&mut self, uri: &str) -> NsId {
        if let Some(&id) = self.ns_index.get(0, uri) {
            return id;
        }
        let id = NsId(self.namespaces.len() as u32);
        self.namespaces.push(uri.to_string());
        self.ns_index.insert(0, uri, id);
        id
    }

    /// Interns an expanded name.
    pub fn name(&mut self, ns: &str, local: &str) -> NameId {
        let ns = self.namespace(ns);
        if let Some(&id) = self.name_index.get(ns.0, local) {
            return id;
        }
        let id = NameId(self.names.len() as u32);
        self.names.push((ns, local.to_string()));
        self.name_index.insert(ns.0, local, id);
        id
    }

    /// Interns a name class.
    pub fn class(&mut self, nc: NameClass) -> NameClassId {
        if let Some(&id) = self.class_index.get(&nc) {
            return id;
        }
        let id = NameClassId(self.classes.len() as u32);
        self.classes.push(nc);
        self.class_index.insert(nc, id);
        id
    }

    /// The name class behind an id.
    pub fn get(&self, id: NameClassId) -> NameClass {
        self.classes[id.0 as usize]
    }

    /// Namespace URI and local name of an interned name.
    pub fn name_parts(&self, id: NameId) -> (&str, &str) {
        let (ns, local) = &self.names[id.0 as usize];
        (&self.namespaces[ns.0 as usize], local)
    }

    /// The URI of an interned namespace.
    pub fn namespace_uri(&self, id: NsId) -> &str {
        &self.namespaces[id.0 as usize]
    }

    /// The key of a document name.
    pub fn key(&self, ns: &str, local: &str) -> NameKey {
        let Some(&ns_id) = self.ns_index.get(0, ns) else {
            return NameKey::Other;
        };
        match self.name_index.get(ns_id.0, local) {
            Some(&id) => NameKey::Known(id),
            None => NameKey::OtherInNs(ns_id),
        }
    }

    fn key_ns(&self, key: NameKey) -> Option<NsId> {
        match key {
            NameKey::Known(id) => Some(self.names[id.0 as usize].0),
            NameKey::OtherInNs(ns) => Some(ns),
            NameKey::Other => None,
        }
    }

    /// §6.1 `contains`: whether the name class matches names with this key.
    pub fn contains(&self, nc: NameClassId, key: NameKey) -> bool {
        match self.get(nc) {
            NameClass::AnyName(except) => except.is_none_or(|e| !self.contains(e, key)),
            NameClass::NsName(ns, except) => {
                self.key_ns(key) == Some(ns) && except.is_none_or(|e| !self.contains(e, key))
            }
            NameClass::Name(name) => key == NameKey::Known(name),
            NameClass::Choice(a, b) => self.contains(a, key) || self.contains(b, key),
        }
    }

    /// The filter of the keys the class may contain (see [`NameBits`]).
    pub fn bits(&self, nc: NameClassId) -> NameBits {
        match self.get(nc) {
            NameClass::AnyName(_) | NameClass::NsName(..) => NameBits::ALL,
            NameClass::Name(name) => NameBits(NameBits::bit(NameKey::Known(name))),
            NameClass::Choice(a, b) => self.bits(a).union(self.bits(b)),
        }
    }

    /// Whether the class contains `key` through one of its `name`s, not
    /// through a wildcard.
    pub fn names_explicitly(&self, nc: NameClassId, key: NameKey) -> bool {
        match self.get(nc) {
            NameClass::Name(name) => key == NameKey::Known(name),
            NameClass::Choice(a, b) => {
                self.names_explicitly(a, key) || self.names_explicitly(b, key)
            }
            NameClass::AnyName(_) | NameClass::NsName(..) => false,
        }
    }

    /// Whether some name is in both classes (§7.3, §7.4): tests each class
    /// against representative keys of the other's interesting names.
    pub fn overlap(&self, a: NameClassId, b: NameClassId) -> bool {
        let mut keys = Vec::new();
        self.representatives(a, &mut keys);
        self.representatives(b, &mut keys);
        keys.iter()
            .any(|&k| self.contains(a, k) && self.contains(b, k))
    }

    fn representatives(&self, nc: NameClassId, out: &mut Vec<NameKey>) {
        match self.get(nc) {
            NameClass::AnyName(except) => {
                out.push(NameKey::Other);
                if let Some(e) = except {
                    self.representatives(e, out);
                }
            }
            NameClass::NsName(ns, except) => {
                out.push(NameKey::OtherInNs(ns));
                if let Some(e) = except {
                    self.representatives(e, out);
                }
            }
            NameClass::Name(name) => out.push(NameKey::Known(name)),
            NameClass::Choice(a, b) => {
                self.representatives(a, out);
                self.representatives(b, out);
            }
        }
    }

    /// Whether the class contains finitely many names (§7.3: no anyName or
    /// nsName).
    pub fn is_finite(&self, nc: NameClassId) -> bool {
        match self.get(nc) {
            NameClass::AnyName(_) | NameClass::NsName(..) => false,
            NameClass::Name(_) => true,
            NameClass::Choice(a, b) => self.is_finite(a) && self.is_finite(b),
        }
    }

    /// The names a class lists explicitly (for "expected ..." messages),
    /// as `prefix-less` display strings; wildcards are described in words.
    pub fn describe(&self, nc: NameClassId, out: &mut Vec<String>) {
        match self.get(nc) {
            NameClass::AnyName(_) => out.push("any element".to_string()),
            NameClass::NsName(ns, _) => out.push(format!(
                "any name in namespace \"{}\"",
                self.namespace_uri(ns)
            )),
            NameClass::Name(name) => out.push(self.display_name(name)),
            NameClass::Choice(a, b) => {
                self.describe(a, out);
                self.describe(b, out);
            }
        }
    }

    /// A name for messages: the local name, with `{ns}` when namespaced.
    pub fn display_name(&self, name: NameId) -> String {
        let (ns, local) = self.name_parts(name);
        if ns.is_empty() {
            local.to_string()
        } else {
            format!("{{{ns}}}{local}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_containment() {
        let mut t = NameTable::default();
        let a = t.name("", "a");
        let ns = t.namespace("urn:x");
        let name_a = t.class(NameClass::Name(a));
        let ns_x = t.class(NameClass::NsName(ns, None));
        let any_but_a = t.class(NameClass::AnyName(Some(name_a)));
        assert!(t.contains(name_a, t.key("", "a")));
        assert!(!t.contains(name_a, t.key("", "b")));
        assert!(t.contains(ns_x, t.key("urn:x", "zz")));
        assert!(!t.contains(any_but_a, t.key("", "a")));
        assert!(t.contains(any_but_a, t.key("urn:other", "a")));
        assert!(t.overlap(any_but_a, ns_x));
        assert!(!t.overlap(any_but_a, name_a));
        // A name in a namespace the schema never mentions is in no nsName,
        // not even that of the first namespace interned ("", id 0).
        let no_ns = t.namespace("");
        assert_eq!(no_ns, NsId(0));
        let ns_none = t.class(NameClass::NsName(no_ns, None));
        assert!(t.contains(ns_none, t.key("", "zz")));
        assert!(!t.contains(ns_none, t.key("urn:never", "zz")));
        assert!(!t.contains(ns_x, t.key("urn:never", "zz")));
        // An nsName's except takes its names out.
        let x_a = t.name("urn:x", "a");
        let name_x_a = t.class(NameClass::Name(x_a));
        let ns_x_but_a = t.class(NameClass::NsName(ns, Some(name_x_a)));
        assert!(t.contains(ns_x_but_a, t.key("urn:x", "b")));
        assert!(!t.contains(ns_x_but_a, t.key("urn:x", "a")));
        // A choice has the names of either side; only `name`s name a key
        // explicitly.
        let a_or_x = t.class(NameClass::Choice(name_a, ns_x));
        assert!(t.contains(a_or_x, t.key("", "a")));
        assert!(t.contains(a_or_x, t.key("urn:x", "zz")));
        assert!(t.names_explicitly(a_or_x, t.key("", "a")));
        assert!(!t.names_explicitly(a_or_x, t.key("urn:x", "zz")));
        assert!(!t.names_explicitly(name_a, t.key("", "b")));
        assert!(!t.is_finite(a_or_x));
        let a_or_x_a = t.class(NameClass::Choice(name_a, name_x_a));
        assert!(t.is_finite(a_or_x_a));
    }

    #[test]
    fn name_bits_never_exclude_a_contained_key() {
        let mut t = NameTable::default();
        let names: Vec<NameId> = (0..200).map(|i| t.name("", &format!("n{i}"))).collect();
        let ns = t.namespace("urn:x");
        let first = t.class(NameClass::Name(names[0]));
        let second = t.class(NameClass::Name(names[1]));
        let both = t.class(NameClass::Choice(first, second));
        let ns_x = t.class(NameClass::NsName(ns, None));
        let keys = names
            .iter()
            .map(|&n| NameKey::Known(n))
            .chain([NameKey::OtherInNs(ns), NameKey::Other]);
        for key in keys {
            for nc in [first, second, both, ns_x] {
                if t.contains(nc, key) {
                    assert!(t.bits(nc).may_contain(key), "{nc:?} {key:?}");
                }
            }
        }
        // A name class of one name filters out most other names.
        let excluded = names
            .iter()
            .filter(|&&n| !t.bits(first).may_contain(NameKey::Known(n)));
        assert!(excluded.count() > 150);
        assert!(!t.bits(both).may_contain(NameKey::Other));
    }
}
