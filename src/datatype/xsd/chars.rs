//! Character tables shared by the name types (`Name`, `NCName`, `NMTOKEN`)
//! and by the regular expressions (`\i`, `\c`, `\p{IsBlock}`).
//!
//! XSD 1.0 is defined against XML 1.0 (up to the 4th edition) and Unicode
//! 3.1, so these tables are written out from those documents rather than
//! taken from a current Unicode database: `\i` must accept U+212E and reject
//! U+10000, and block names must mean what they meant in XSD 1.0.

/// Whether `c` lies in one of the sorted, disjoint `ranges`.
pub fn in_ranges(ranges: &[(char, char)], c: char) -> bool {
    in_sorted_ranges(ranges, c)
}

/// Whether `x` lies in one of the sorted, disjoint inclusive `ranges`
/// (binary search; used for characters and for code points).
pub fn in_sorted_ranges<T: Ord + Copy>(ranges: &[(T, T)], x: T) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < x {
                std::cmp::Ordering::Less
            } else if lo > x {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// XML 1.0 `Name`.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if is_name_start_char(first) => chars.all(is_name_char),
        _ => false,
    }
}

/// `NAME_START` membership; ASCII (nearly every name a schema or document
/// writes) is answered without the binary search.
fn is_name_start_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_' || c == ':';
    }
    in_ranges(NAME_START, c)
}

/// `NameChar` membership (`NAME_START` or `NAME_CHAR_EXTRA`), with the
/// same ASCII shortcut.
fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '-');
    }
    in_ranges(NAME_START, c) || in_ranges(NAME_CHAR_EXTRA, c)
}

/// Namespaces in XML `NCName`: a `Name` without colons.
pub fn is_ncname(s: &str) -> bool {
    // One pass: a name, and none of its characters a colon.
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if first != ':' && is_name_start_char(first) => {
            chars.all(|c| c != ':' && is_name_char(c))
        }
        _ => false,
    }
}

/// XML 1.0 `Nmtoken`: one or more name characters.
pub fn is_nmtoken(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

/// The code point ranges of an XSD 1.0 block escape name (`IsBasicLatin`
/// is looked up as `BasicLatin`). XSD 1.0 names the blocks of Unicode 3.1
/// with the spaces removed. The three surrogate blocks are left out on
/// purpose: no XML character lies in them, and a regex naming them is
/// rejected (as jing does).
pub fn block(name: &str) -> Option<&'static [(char, char)]> {
    BLOCKS
        .iter()
        .find(|(block_name, _)| *block_name == name)
        .map(|(_, ranges)| *ranges)
}

macro_rules! r {
    ($lo:literal, $hi:literal) => {
        match (char::from_u32($lo), char::from_u32($hi)) {
            (Some(lo), Some(hi)) => (lo, hi),
            _ => panic!("block table holds a non-character"),
        }
    };
}

/// Unicode 3.1 blocks, as listed for XSD 1.0 block escapes.
const BLOCKS: &[(&str, &[(char, char)])] = &[
    ("BasicLatin", &[r!(0x0000, 0x007F)]),
    ("Latin-1Supplement", &[r!(0x0080, 0x00FF)]),
    ("LatinExtended-A", &[r!(0x0100, 0x017F)]),
    ("LatinExtended-B", &[r!(0x0180, 0x024F)]),
    ("IPAExtensions", &[r!(0x0250, 0x02AF)]),
    ("SpacingModifierLetters", &[r!(0x02B0, 0x02FF)]),
    ("CombiningDiacriticalMarks", &[r!(0x0300, 0x036F)]),
    ("Greek", &[r!(0x0370, 0x03FF)]),
    ("Cyrillic", &[r!(0x0400, 0x04FF)]),
    ("Armenian", &[r!(0x0530, 0x058F)]),
    ("Hebrew", &[r!(0x0590, 0x05FF)]),
    ("Arabic", &[r!(0x0600, 0x06FF)]),
    ("Syriac", &[r!(0x0700, 0x074F)]),
    ("Thaana", &[r!(0x0780, 0x07BF)]),
    ("Devanagari", &[r!(0x0900, 0x097F)]),
    ("Bengali", &[r!(0x0980, 0x09FF)]),
    ("Gurmukhi", &[r!(0x0A00, 0x0A7F)]),
    ("Gujarati", &[r!(0x0A80, 0x0AFF)]),
    ("Oriya", &[r!(0x0B00, 0x0B7F)]),
    ("Tamil", &[r!(0x0B80, 0x0BFF)]),
    ("Telugu", &[r!(0x0C00, 0x0C7F)]),
    ("Kannada", &[r!(0x0C80, 0x0CFF)]),
    ("Malayalam", &[r!(0x0D00, 0x0D7F)]),
    ("Sinhala", &[r!(0x0D80, 0x0DFF)]),
    ("Thai", &[r!(0x0E00, 0x0E7F)]),
    ("Lao", &[r!(0x0E80, 0x0EFF)]),
    ("Tibetan", &[r!(0x0F00, 0x0FFF)]),
    ("Myanmar", &[r!(0x1000, 0x109F)]),
    ("Georgian", &[r!(0x10A0, 0x10FF)]),
    ("HangulJamo", &[r!(0x1100, 0x11FF)]),
    ("Ethiopic", &[r!(0x1200, 0x137F)]),
    ("Cherokee", &[r!(0x13A0, 0x13FF)]),
    ("UnifiedCanadianAboriginalSyllabics", &[r!(0x1400, 0x167F)]),
    ("Ogham", &[r!(0x1680, 0x169F)]),
    ("Runic", &[r!(0x16A0, 0x16FF)]),
    ("Khmer", &[r!(0x1780, 0x17FF)]),
    ("Mongolian", &[r!(0x1800, 0x18AF)]),
    ("LatinExtendedAdditional", &[r!(0x1E00, 0x1EFF)]),
    ("GreekExtended", &[r!(0x1F00, 0x1FFF)]),
    ("GeneralPunctuation", &[r!(0x2000, 0x206F)]),
    ("SuperscriptsandSubscripts", &[r!(0x2070, 0x209F)]),
    ("CurrencySymbols", &[r!(0x20A0, 0x20CF)]),
    ("CombiningMarksforSymbols", &[r!(0x20D0, 0x20FF)]),
    ("LetterlikeSymbols", &[r!(0x2100, 0x214F)]),
    ("NumberForms", &[r!(0x2150, 0x218F)]),
    ("Arrows", &[r!(0x2190, 0x21FF)]),
    ("MathematicalOperators", &[r!(0x2200, 0x22FF)]),
    ("MiscellaneousTechnical", &[r!(0x2300, 0x23FF)]),
    ("ControlPictures", &[r!(0x2400, 0x243F)]),
    ("OpticalCharacterRecognition", &[r!(0x2440, 0x245F)]),
    ("EnclosedAlphanumerics", &[r!(0x2460, 0x24FF)]),
    ("BoxDrawing", &[r!(0x2500, 0x257F)]),
    ("BlockElements", &[r!(0x2580, 0x259F)]),
    ("GeometricShapes", &[r!(0x25A0, 0x25FF)]),
    ("MiscellaneousSymbols", &[r!(0x2600, 0x26FF)]),
    ("Dingbats", &[r!(0x2700, 0x27BF)]),
    ("BraillePatterns", &[r!(0x2800, 0x28FF)]),
    ("CJKRadicalsSupplement", &[r!(0x2E80, 0x2EFF)]),
    ("KangxiRadicals", &[r!(0x2F00, 0x2FDF)]),
    ("IdeographicDescriptionCharacters", &[r!(0x2FF0, 0x2FFF)]),
    ("CJKSymbolsandPunctuation", &[r!(0x3000, 0x303F)]),
    ("Hiragana", &[r!(0x3040, 0x309F)]),
    ("Katakana", &[r!(0x30A0, 0x30FF)]),
    ("Bopomofo", &[r!(0x3100, 0x312F)]),
    ("HangulCompatibilityJamo", &[r!(0x3130, 0x318F)]),
    ("Kanbun", &[r!(0x3190, 0x319F)]),
    ("BopomofoExtended", &[r!(0x31A0, 0x31BF)]),
    ("EnclosedCJKLettersandMonths", &[r!(0x3200, 0x32FF)]),
    ("CJKCompatibility", &[r!(0x3300, 0x33FF)]),
    ("CJKUnifiedIdeographsExtensionA", &[r!(0x3400, 0x4DB5)]),
    ("CJKUnifiedIdeographs", &[r!(0x4E00, 0x9FFF)]),
    ("YiSyllables", &[r!(0xA000, 0xA48F)]),
    ("YiRadicals", &[r!(0xA490, 0xA4CF)]),
    ("HangulSyllables", &[r!(0xAC00, 0xD7A3)]),
    (
        "PrivateUse",
        &[
            r!(0xE000, 0xF8FF),
            r!(0xF0000, 0xFFFFD),
            r!(0x100000, 0x10FFFD),
        ],
    ),
    ("CJKCompatibilityIdeographs", &[r!(0xF900, 0xFAFF)]),
    ("AlphabeticPresentationForms", &[r!(0xFB00, 0xFB4F)]),
    ("ArabicPresentationForms-A", &[r!(0xFB50, 0xFDFF)]),
    ("CombiningHalfMarks", &[r!(0xFE20, 0xFE2F)]),
    ("CJKCompatibilityForms", &[r!(0xFE30, 0xFE4F)]),
    ("SmallFormVariants", &[r!(0xFE50, 0xFE6F)]),
    ("ArabicPresentationForms-B", &[r!(0xFE70, 0xFEFE)]),
    ("Specials", &[r!(0xFEFF, 0xFEFF), r!(0xFFF0, 0xFFFD)]),
    ("HalfwidthandFullwidthForms", &[r!(0xFF00, 0xFFEF)]),
    ("OldItalic", &[r!(0x10300, 0x1032F)]),
    ("Gothic", &[r!(0x10330, 0x1034F)]),
    ("Deseret", &[r!(0x10400, 0x1044F)]),
    ("ByzantineMusicalSymbols", &[r!(0x1D000, 0x1D0FF)]),
    ("MusicalSymbols", &[r!(0x1D100, 0x1D1FF)]),
    ("MathematicalAlphanumericSymbols", &[r!(0x1D400, 0x1D7FF)]),
    ("CJKUnifiedIdeographsExtensionB", &[r!(0x20000, 0x2A6D6)]),
    (
        "CJKCompatibilityIdeographsSupplement",
        &[r!(0x2F800, 0x2FA1F)],
    ),
    ("Tags", &[r!(0xE0000, 0xE007F)]),
];

/// XML 1.0 (Appendix B) `Letter | '_' | ':'`: the first character of a `Name`, and XSD's `\i`.
pub const NAME_START: &[(char, char)] = &[
    ('\u{3a}', '\u{3a}'),
    ('\u{41}', '\u{5a}'),
    ('\u{5f}', '\u{5f}'),
    ('\u{61}', '\u{7a}'),
    ('\u{c0}', '\u{d6}'),
    ('\u{d8}', '\u{f6}'),
    ('\u{f8}', '\u{131}'),
    ('\u{134}', '\u{13e}'),
    ('\u{141}', '\u{148}'),
    ('\u{14a}', '\u{17e}'),
    ('\u{180}', '\u{1c3}'),
    ('\u{1cd}', '\u{1f0}'),
    ('\u{1f4}', '\u{1f5}'),
    ('\u{1fa}', '\u{217}'),
    ('\u{250}', '\u{2a8}'),
    ('\u{2bb}', '\u{2c1}'),
    ('\u{386}', '\u{386}'),
    ('\u{388}', '\u{38a}'),
    ('\u{38c}', '\u{38c}'),
    ('\u{38e}', '\u{3a1}'),
    ('\u{3a3}', '\u{3ce}'),
    ('\u{3d0}', '\u{3d6}'),
    ('\u{3da}', '\u{3da}'),
    ('\u{3dc}', '\u{3dc}'),
    ('\u{3de}', '\u{3de}'),
    ('\u{3e0}', '\u{3e0}'),
    ('\u{3e2}', '\u{3f3}'),
    ('\u{401}', '\u{40c}'),
    ('\u{40e}', '\u{44f}'),
    ('\u{451}', '\u{45c}'),
    ('\u{45e}', '\u{481}'),
    ('\u{490}', '\u{4c4}'),
    ('\u{4c7}', '\u{4c8}'),
    ('\u{4cb}', '\u{4cc}'),
    ('\u{4d0}', '\u{4eb}'),
    ('\u{4ee}', '\u{4f5}'),
    ('\u{4f8}', '\u{4f9}'),
    ('\u{531}', '\u{556}'),
    ('\u{559}', '\u{559}'),
    ('\u{561}', '\u{586}'),
    ('\u{5d0}', '\u{5ea}'),
    ('\u{5f0}', '\u{5f2}'),
    ('\u{621}', '\u{63a}'),
    ('\u{641}', '\u{64a}'),
    ('\u{671}', '\u{6b7}'),
    ('\u{6ba}', '\u{6be}'),
    ('\u{6c0}', '\u{6ce}'),
    ('\u{6d0}', '\u{6d3}'),
    ('\u{6d5}', '\u{6d5}'),
    ('\u{6e5}', '\u{6e6}'),
    ('\u{905}', '\u{939}'),
    ('\u{93d}', '\u{93d}'),
    ('\u{958}', '\u{961}'),
    ('\u{985}', '\u{98c}'),
    ('\u{98f}', '\u{990}'),
    ('\u{993}', '\u{9a8}'),
    ('\u{9aa}', '\u{9b0}'),
    ('\u{9b2}', '\u{9b2}'),
    ('\u{9b6}', '\u{9b9}'),
    ('\u{9dc}', '\u{9dd}'),
    ('\u{9df}', '\u{9e1}'),
    ('\u{9f0}', '\u{9f1}'),
    ('\u{a05}', '\u{a0a}'),
    ('\u{a0f}', '\u{a10}'),
    ('\u{a13}', '\u{a28}'),
    ('\u{a2a}', '\u{a30}'),
    ('\u{a32}', '\u{a33}'),
    ('\u{a35}', '\u{a36}'),
    ('\u{a38}', '\u{a39}'),
    ('\u{a59}', '\u{a5c}'),
    ('\u{a5e}', '\u{a5e}'),
    ('\u{a72}', '\u{a74}'),
    ('\u{a85}', '\u{a8b}'),
    ('\u{a8d}', '\u{a8d}'),
    ('\u{a8f}', '\u{a91}'),
    ('\u{a93}', '\u{aa8}'),
    ('\u{aaa}', '\u{ab0}'),
    ('\u{ab2}', '\u{ab3}'),
    ('\u{ab5}', '\u{ab9}'),
    ('\u{abd}', '\u{abd}'),
    ('\u{ae0}', '\u{ae0}'),
    ('\u{b05}', '\u{b0c}'),
    ('\u{b0f}', '\u{b10}'),
    ('\u{b13}', '\u{b28}'),
    ('\u{b2a}', '\u{b30}'),
    ('\u{b32}', '\u{b33}'),
    ('\u{b36}', '\u{b39}'),
    ('\u{b3d}', '\u{b3d}'),
    ('\u{b5c}', '\u{b5d}'),
    ('\u{b5f}', '\u{b61}'),
    ('\u{b85}', '\u{b8a}'),
    ('\u{b8e}', '\u{b90}'),
    ('\u{b92}', '\u{b95}'),
    ('\u{b99}', '\u{b9a}'),
    ('\u{b9c}', '\u{b9c}'),
    ('\u{b9e}', '\u{b9f}'),
    ('\u{ba3}', '\u{ba4}'),
    ('\u{ba8}', '\u{baa}'),
    ('\u{bae}', '\u{bb5}'),
    ('\u{bb7}', '\u{bb9}'),
    ('\u{c05}', '\u{c0c}'),
    ('\u{c0e}', '\u{c10}'),
    ('\u{c12}', '\u{c28}'),
    ('\u{c2a}', '\u{c33}'),
    ('\u{c35}', '\u{c39}'),
    ('\u{c60}', '\u{c61}'),
    ('\u{c85}', '\u{c8c}'),
    ('\u{c8e}', '\u{c90}'),
    ('\u{c92}', '\u{ca8}'),
    ('\u{caa}', '\u{cb3}'),
    ('\u{cb5}', '\u{cb9}'),
    ('\u{cde}', '\u{cde}'),
    ('\u{ce0}', '\u{ce1}'),
    ('\u{d05}', '\u{d0c}'),
    ('\u{d0e}', '\u{d10}'),
    ('\u{d12}', '\u{d28}'),
    ('\u{d2a}', '\u{d39}'),
    ('\u{d60}', '\u{d61}'),
    ('\u{e01}', '\u{e2e}'),
    ('\u{e30}', '\u{e30}'),
    ('\u{e32}', '\u{e33}'),
    ('\u{e40}', '\u{e45}'),
    ('\u{e81}', '\u{e82}'),
    ('\u{e84}', '\u{e84}'),
    ('\u{e87}', '\u{e88}'),
    ('\u{e8a}', '\u{e8a}'),
    ('\u{e8d}', '\u{e8d}'),
    ('\u{e94}', '\u{e97}'),
    ('\u{e99}', '\u{e9f}'),
    ('\u{ea1}', '\u{ea3}'),
    ('\u{ea5}', '\u{ea5}'),
    ('\u{ea7}', '\u{ea7}'),
    ('\u{eaa}', '\u{eab}'),
    ('\u{ead}', '\u{eae}'),
    ('\u{eb0}', '\u{eb0}'),
    ('\u{eb2}', '\u{eb3}'),
    ('\u{ebd}', '\u{ebd}'),
    ('\u{ec0}', '\u{ec4}'),
    ('\u{f40}', '\u{f47}'),
    ('\u{f49}', '\u{f69}'),
    ('\u{10a0}', '\u{10c5}'),
    ('\u{10d0}', '\u{10f6}'),
    ('\u{1100}', '\u{1100}'),
    ('\u{1102}', '\u{1103}'),
    ('\u{1105}', '\u{1107}'),
    ('\u{1109}', '\u{1109}'),
    ('\u{110b}', '\u{110c}'),
    ('\u{110e}', '\u{1112}'),
    ('\u{113c}', '\u{113c}'),
    ('\u{113e}', '\u{113e}'),
    ('\u{1140}', '\u{1140}'),
    ('\u{114c}', '\u{114c}'),
    ('\u{114e}', '\u{114e}'),
    ('\u{1150}', '\u{1150}'),
    ('\u{1154}', '\u{1155}'),
    ('\u{1159}', '\u{1159}'),
    ('\u{115f}', '\u{1161}'),
    ('\u{1163}', '\u{1163}'),
    ('\u{1165}', '\u{1165}'),
    ('\u{1167}', '\u{1167}'),
    ('\u{1169}', '\u{1169}'),
    ('\u{116d}', '\u{116e}'),
    ('\u{1172}', '\u{1173}'),
    ('\u{1175}', '\u{1175}'),
    ('\u{119e}', '\u{119e}'),
    ('\u{11a8}', '\u{11a8}'),
    ('\u{11ab}', '\u{11ab}'),
    ('\u{11ae}', '\u{11af}'),
    ('\u{11b7}', '\u{11b8}'),
    ('\u{11ba}', '\u{11ba}'),
    ('\u{11bc}', '\u{11c2}'),
    ('\u{11eb}', '\u{11eb}'),
    ('\u{11f0}', '\u{11f0}'),
    ('\u{11f9}', '\u{11f9}'),
    ('\u{1e00}', '\u{1e9b}'),
    ('\u{1ea0}', '\u{1ef9}'),
    ('\u{1f00}', '\u{1f15}'),
    ('\u{1f18}', '\u{1f1d}'),
    ('\u{1f20}', '\u{1f45}'),
    ('\u{1f48}', '\u{1f4d}'),
    ('\u{1f50}', '\u{1f57}'),
    ('\u{1f59}', '\u{1f59}'),
    ('\u{1f5b}', '\u{1f5b}'),
    ('\u{1f5d}', '\u{1f5d}'),
    ('\u{1f5f}', '\u{1f7d}'),
    ('\u{1f80}', '\u{1fb4}'),
    ('\u{1fb6}', '\u{1fbc}'),
    ('\u{1fbe}', '\u{1fbe}'),
    ('\u{1fc2}', '\u{1fc4}'),
    ('\u{1fc6}', '\u{1fcc}'),
    ('\u{1fd0}', '\u{1fd3}'),
    ('\u{1fd6}', '\u{1fdb}'),
    ('\u{1fe0}', '\u{1fec}'),
    ('\u{1ff2}', '\u{1ff4}'),
    ('\u{1ff6}', '\u{1ffc}'),
    ('\u{2126}', '\u{2126}'),
    ('\u{212a}', '\u{212b}'),
    ('\u{212e}', '\u{212e}'),
    ('\u{2180}', '\u{2182}'),
    ('\u{3007}', '\u{3007}'),
    ('\u{3021}', '\u{3029}'),
    ('\u{3041}', '\u{3094}'),
    ('\u{30a1}', '\u{30fa}'),
    ('\u{3105}', '\u{312c}'),
    ('\u{4e00}', '\u{9fa5}'),
    ('\u{ac00}', '\u{d7a3}'),
];

/// XML 1.0 (Appendix B) `Digit | '.' | '-' | CombiningChar | Extender`: what `NameChar`
/// adds to `NAME_START` (`NameChar` is their union, and XSD's `\c`).
pub const NAME_CHAR_EXTRA: &[(char, char)] = &[
    ('\u{2d}', '\u{2e}'),
    ('\u{30}', '\u{39}'),
    ('\u{b7}', '\u{b7}'),
    ('\u{2d0}', '\u{2d1}'),
    ('\u{300}', '\u{345}'),
    ('\u{360}', '\u{361}'),
    ('\u{387}', '\u{387}'),
    ('\u{483}', '\u{486}'),
    ('\u{591}', '\u{5a1}'),
    ('\u{5a3}', '\u{5b9}'),
    ('\u{5bb}', '\u{5bd}'),
    ('\u{5bf}', '\u{5bf}'),
    ('\u{5c1}', '\u{5c2}'),
    ('\u{5c4}', '\u{5c4}'),
    ('\u{640}', '\u{640}'),
    ('\u{64b}', '\u{652}'),
    ('\u{660}', '\u{669}'),
    ('\u{670}', '\u{670}'),
    ('\u{6d6}', '\u{6e4}'),
    ('\u{6e7}', '\u{6e8}'),
    ('\u{6ea}', '\u{6ed}'),
    ('\u{6f0}', '\u{6f9}'),
    ('\u{901}', '\u{903}'),
    ('\u{93c}', '\u{93c}'),
    ('\u{93e}', '\u{94d}'),
    ('\u{951}', '\u{954}'),
    ('\u{962}', '\u{963}'),
    ('\u{966}', '\u{96f}'),
    ('\u{981}', '\u{983}'),
    ('\u{9bc}', '\u{9bc}'),
    ('\u{9be}', '\u{9c4}'),
    ('\u{9c7}', '\u{9c8}'),
    ('\u{9cb}', '\u{9cd}'),
    ('\u{9d7}', '\u{9d7}'),
    ('\u{9e2}', '\u{9e3}'),
    ('\u{9e6}', '\u{9ef}'),
    ('\u{a02}', '\u{a02}'),
    ('\u{a3c}', '\u{a3c}'),
    ('\u{a3e}', '\u{a42}'),
    ('\u{a47}', '\u{a48}'),
    ('\u{a4b}', '\u{a4d}'),
    ('\u{a66}', '\u{a71}'),
    ('\u{a81}', '\u{a83}'),
    ('\u{abc}', '\u{abc}'),
    ('\u{abe}', '\u{ac5}'),
    ('\u{ac7}', '\u{ac9}'),
    ('\u{acb}', '\u{acd}'),
    ('\u{ae6}', '\u{aef}'),
    ('\u{b01}', '\u{b03}'),
    ('\u{b3c}', '\u{b3c}'),
    ('\u{b3e}', '\u{b43}'),
    ('\u{b47}', '\u{b48}'),
    ('\u{b4b}', '\u{b4d}'),
    ('\u{b56}', '\u{b57}'),
    ('\u{b66}', '\u{b6f}'),
    ('\u{b82}', '\u{b83}'),
    ('\u{bbe}', '\u{bc2}'),
    ('\u{bc6}', '\u{bc8}'),
    ('\u{bca}', '\u{bcd}'),
    ('\u{bd7}', '\u{bd7}'),
    ('\u{be7}', '\u{bef}'),
    ('\u{c01}', '\u{c03}'),
    ('\u{c3e}', '\u{c44}'),
    ('\u{c46}', '\u{c48}'),
    ('\u{c4a}', '\u{c4d}'),
    ('\u{c55}', '\u{c56}'),
    ('\u{c66}', '\u{c6f}'),
    ('\u{c82}', '\u{c83}'),
    ('\u{cbe}', '\u{cc4}'),
    ('\u{cc6}', '\u{cc8}'),
    ('\u{cca}', '\u{ccd}'),
    ('\u{cd5}', '\u{cd6}'),
    ('\u{ce6}', '\u{cef}'),
    ('\u{d02}', '\u{d03}'),
    ('\u{d3e}', '\u{d43}'),
    ('\u{d46}', '\u{d48}'),
    ('\u{d4a}', '\u{d4d}'),
    ('\u{d57}', '\u{d57}'),
    ('\u{d66}', '\u{d6f}'),
    ('\u{e31}', '\u{e31}'),
    ('\u{e34}', '\u{e3a}'),
    ('\u{e46}', '\u{e4e}'),
    ('\u{e50}', '\u{e59}'),
    ('\u{eb1}', '\u{eb1}'),
    ('\u{eb4}', '\u{eb9}'),
    ('\u{ebb}', '\u{ebc}'),
    ('\u{ec6}', '\u{ec6}'),
    ('\u{ec8}', '\u{ecd}'),
    ('\u{ed0}', '\u{ed9}'),
    ('\u{f18}', '\u{f19}'),
    ('\u{f20}', '\u{f29}'),
    ('\u{f35}', '\u{f35}'),
    ('\u{f37}', '\u{f37}'),
    ('\u{f39}', '\u{f39}'),
    ('\u{f3e}', '\u{f3f}'),
    ('\u{f71}', '\u{f84}'),
    ('\u{f86}', '\u{f8b}'),
    ('\u{f90}', '\u{f95}'),
    ('\u{f97}', '\u{f97}'),
    ('\u{f99}', '\u{fad}'),
    ('\u{fb1}', '\u{fb7}'),
    ('\u{fb9}', '\u{fb9}'),
    ('\u{20d0}', '\u{20dc}'),
    ('\u{20e1}', '\u{20e1}'),
    ('\u{3005}', '\u{3005}'),
    ('\u{302a}', '\u{302f}'),
    ('\u{3031}', '\u{3035}'),
    ('\u{3099}', '\u{309a}'),
    ('\u{309d}', '\u{309e}'),
    ('\u{30fc}', '\u{30fe}'),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_shortcuts_agree_with_the_tables() {
        for c in (0u8..128).map(char::from) {
            assert_eq!(is_name_start_char(c), in_ranges(NAME_START, c), "{c:?}");
            let in_tables = in_ranges(NAME_START, c) || in_ranges(NAME_CHAR_EXTRA, c);
            assert_eq!(is_name_char(c), in_tables, "{c:?}");
        }
    }

    #[test]
    fn tables_are_sorted_and_disjoint() {
        for table in [NAME_START, NAME_CHAR_EXTRA] {
            for pair in table.windows(2) {
                assert!(pair[0].1 < pair[1].0);
            }
        }
        // Each `NameChar` is in one table only, so a union needs no merging.
        // (Two ranges overlap exactly when one's start lies in the other.)
        for &(lo, _) in NAME_CHAR_EXTRA {
            assert!(!in_ranges(NAME_START, lo), "{lo:?}");
        }
        for &(lo, _) in NAME_START {
            assert!(!in_ranges(NAME_CHAR_EXTRA, lo), "{lo:?}");
        }
    }

    #[test]
    fn names() {
        let rows: &[(&str, bool, bool, bool)] = &[
            // (text, Name, NCName, NMTOKEN)
            ("foo", true, true, true),
            ("_0123456789", true, true, true),
            (":", true, false, true),
            ("foo:bar", true, false, true),
            (".", false, false, true),
            ("-", false, false, true),
            ("1234", false, false, true),
            ("0foo", false, false, true),
            ("", false, false, false),
            ("a b", false, false, false),
            ("\u{212E}x", true, true, true),
            ("\u{10000}", false, false, false),
        ];
        for &(text, name, ncname, nmtoken) in rows {
            assert_eq!(is_name(text), name, "Name {text:?}");
            assert_eq!(is_ncname(text), ncname, "NCName {text:?}");
            assert_eq!(is_nmtoken(text), nmtoken, "NMTOKEN {text:?}");
        }
    }

    #[test]
    fn blocks() {
        let gothic = block("Gothic").unwrap_or(&[]);
        assert!(in_ranges(gothic, '\u{1034F}'));
        assert!(!in_ranges(gothic, '\u{10350}'));
        assert!(block("HighSurrogates").is_none());
    }
}
