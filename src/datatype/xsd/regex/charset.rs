//! Character classes as sorted code point ranges, and the XSD escapes and
//! categories that name them.

use std::fmt::Write as _;

use super::super::chars;

/// Sorted, disjoint, non-adjacent ranges of Unicode scalar values.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(super) struct CharSet(Vec<(u32, u32)>);

const MAX_CHAR: u32 = 0x10FFFF;

impl CharSet {
    pub(super) fn from_ranges(mut ranges: Vec<(u32, u32)>) -> CharSet {
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

    pub(super) fn from_chars(ranges: &[(char, char)]) -> CharSet {
        CharSet::from_ranges(ranges.iter().map(|&(a, b)| (a as u32, b as u32)).collect())
    }

    pub(super) fn single(c: char) -> CharSet {
        CharSet(vec![(c as u32, c as u32)])
    }

    pub(super) fn union(&self, other: &CharSet) -> CharSet {
        CharSet::from_ranges(self.0.iter().chain(other.0.iter()).copied().collect())
    }

    /// Every scalar value not in the set (surrogates are never in any set).
    pub(super) fn complement(&self) -> CharSet {
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

    pub(super) fn minus(&self, other: &CharSet) -> CharSet {
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

    pub(super) fn contains(&self, c: char) -> bool {
        chars::in_sorted_ranges(&self.0, c as u32)
    }

    /// Whether no character is in both sets (a merge of the sorted ranges).
    pub(super) fn is_disjoint(&self, other: &CharSet) -> bool {
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
    pub(super) fn print(&self, out: &mut String) {
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
pub(super) fn category(name: &str) -> Option<CharSet> {
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
pub(super) fn multi_char_escape(c: char) -> Option<CharSet> {
    let set = match c {
        's' | 'S' => CharSet::from_ranges(vec![(0x20, 0x20), (0x9, 0xA), (0xD, 0xD)]),
        'i' | 'I' => CharSet::from_chars(chars::NAME_START),
        'c' | 'C' => CharSet::from_chars(chars::NAME_START)
            .union(&CharSet::from_chars(chars::NAME_CHAR_EXTRA)),
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

pub(super) fn dot() -> CharSet {
    CharSet::from_ranges(vec![(0xA, 0xA), (0xD, 0xD)]).complement()
}
