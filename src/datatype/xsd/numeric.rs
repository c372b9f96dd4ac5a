//! Numbers: XSD-2 §3.2.2 boolean, §3.2.3 decimal (and the integer types
//! derived from it, §3.3.13–3.3.25), §3.2.4 float and §3.2.5 double.
//!
//! Decimals are kept as digit strings, so any length is exact and nothing
//! overflows: `9999999999999999999999999999999` is just a long integer.

use std::cmp::Ordering;

/// An exact decimal number in canonical form: no leading zeros in `int`, no
/// trailing zeros in `frac`, and zero is never negative.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// XSD-2 §3.2.3.1: `(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)`.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = split_sign(text);
        let (int, frac) = match rest.split_once('.') {
            Some((int, frac)) => (int, frac),
            None => (rest, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !all_digits(int) || !all_digits(frac) {
            return None;
        }
        Some(Decimal::from_parts(negative, int, frac))
    }

    /// XSD-2 §3.3.13.1: `(\+|-)?[0-9]+`.
    pub fn parse_integer(text: &str) -> Option<Decimal> {
        let (negative, digits) = split_sign(text);
        if digits.is_empty() || !all_digits(digits) {
            return None;
        }
        Some(Decimal::from_parts(negative, digits, ""))
    }

    fn from_parts(negative: bool, int: &str, frac: &str) -> Decimal {
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Decimal {
            negative,
            int,
            frac,
        }
    }

    /// The number of significant digits (the `totalDigits` facet's measure):
    /// the least n such that the value is i × 10^-k with |i| < 10^n.
    pub fn total_digits(&self) -> usize {
        if self.int.is_empty() {
            self.frac.trim_start_matches('0').len()
        } else {
            self.int.len() + self.frac.len()
        }
    }

    /// The number of digits after the point (the `fractionDigits` measure).
    pub fn fraction_digits(&self) -> usize {
        self.frac.len()
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            // Trailing zeros are trimmed, so plain string order is numeric.
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(if self.int.is_empty() { "0" } else { &self.int })?;
        if !self.frac.is_empty() {
            write!(f, ".{}", self.frac)?;
        }
        Ok(())
    }
}

fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest)
    } else {
        (false, text)
    }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// The bounds of a built-in integer type, as decimal strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntegerRange {
    pub min: Option<&'static str>,
    pub max: Option<&'static str>,
}

impl IntegerRange {
    /// The bounds of the integer-derived type `name`; `None` if `name` is
    /// not one.
    pub fn of(name: &str) -> Option<IntegerRange> {
        let (min, max) = match name {
            "integer" => (None, None),
            "nonPositiveInteger" => (None, Some("0")),
            "negativeInteger" => (None, Some("-1")),
            "long" => (Some("-9223372036854775808"), Some("9223372036854775807")),
            "int" => (Some("-2147483648"), Some("2147483647")),
            "short" => (Some("-32768"), Some("32767")),
            "byte" => (Some("-128"), Some("127")),
            "nonNegativeInteger" => (Some("0"), None),
            "unsignedLong" => (Some("0"), Some("18446744073709551615")),
            "unsignedInt" => (Some("0"), Some("4294967295")),
            "unsignedShort" => (Some("0"), Some("65535")),
            "unsignedByte" => (Some("0"), Some("255")),
            "positiveInteger" => (Some("1"), None),
            _ => return None,
        };
        Some(IntegerRange { min, max })
    }

    /// Checks `value` against the bounds; the error completes "value is
    /// invalid; ...".
    pub fn check(&self, value: &Decimal) -> Result<(), String> {
        if let Some(min) = self.min.and_then(Decimal::parse_integer) {
            if *value < min {
                return Err(format!("must be an integer greater than or equal to {min}"));
            }
        }
        if let Some(max) = self.max.and_then(Decimal::parse_integer) {
            if *value > max {
                return Err(format!("must be an integer less than or equal to {max}"));
            }
        }
        Ok(())
    }
}

/// A float or double value. XSD 1.0 treats NaN as equal to itself and 0 as
/// equal to -0 (the suites test both), which `f64`'s own `==` does not.
#[derive(Clone, Copy, Debug)]
pub struct Float(pub f64);

impl PartialEq for Float {
    fn eq(&self, other: &Float) -> bool {
        (self.0.is_nan() && other.0.is_nan()) || self.0 == other.0
    }
}

impl Float {
    /// Order; NaN equals itself and is incomparable with every other value
    /// (XSD 1.0 2nd edition §3.2.4, §3.2.5), so an inclusive NaN bound
    /// admits NaN alone and an exclusive one nothing.
    pub fn partial_cmp(&self, other: &Float) -> Option<Ordering> {
        if self.0.is_nan() && other.0.is_nan() {
            return Some(Ordering::Equal);
        }
        self.0.partial_cmp(&other.0)
    }

    /// XSD-2 §3.2.4.1/§3.2.5.1: a decimal mantissa with an optional
    /// exponent, or `INF`, `-INF`, `NaN` (XSD 1.0 has no `+INF`). `single`
    /// rounds to the nearest `f32` (for `float`).
    pub fn parse(text: &str, single: bool) -> Option<Float> {
        match text {
            "INF" => return Some(Float(f64::INFINITY)),
            "-INF" => return Some(Float(f64::NEG_INFINITY)),
            "NaN" => return Some(Float(f64::NAN)),
            _ => {}
        }
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], Some(&text[at + 1..])),
            None => (text, None),
        };
        let (negative, unsigned) = split_sign(mantissa);
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        // Rebuild a form Rust's parser surely takes ("1." and ".1" are
        // valid XSD but spelled out here to be safe).
        let mut canonical = String::with_capacity(text.len() + 4);
        if negative {
            canonical.push('-');
        }
        canonical.push_str(if int.is_empty() { "0" } else { int });
        canonical.push('.');
        canonical.push_str(if frac.is_empty() { "0" } else { frac });
        if let Some(exponent) = exponent {
            let (exp_negative, exp_digits) = split_sign(exponent);
            if exp_digits.is_empty() || !all_digits(exp_digits) {
                return None;
            }
            canonical.push('e');
            if exp_negative {
                canonical.push('-');
            }
            // Huge exponents only mean overflow or underflow; cap the text
            // so the parse stays cheap.
            let trimmed = exp_digits.trim_start_matches('0');
            canonical.push_str(if trimmed.len() > 6 {
                "999999"
            } else if trimmed.is_empty() {
                "0"
            } else {
                trimmed
            });
        }
        if single {
            canonical.parse::<f32>().ok().map(|v| Float(f64::from(v)))
        } else {
            canonical.parse::<f64>().ok().map(Float)
        }
    }
}

/// XSD-2 §3.2.2.1: `true`, `false`, `1`, `0`.
pub fn parse_boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::check_rows;
    use super::*;

    #[test]
    fn decimal_lexical() {
        let rows: &[(&str, bool)] = &[
            ("1.0", true),
            ("1.", true),
            (".1", true),
            ("+1.0", true),
            ("-1.0", true),
            (
                "99999999999999999999999999999999999999999999999999999999999999999",
                true,
            ),
            ("", false),
            ("junk", false),
            ("--1", false),
            ("++1", false),
            ("+-1", false),
            ("1.2.", false),
            ("..1", false),
            ("1..", false),
            ("1 .2", false),
            ("1+", false),
            ("+ 1", false),
            (".", false),
            ("+", false),
            ("-.", false),
        ];
        check_rows(rows, |text| Decimal::parse(text).is_some());
    }

    #[test]
    fn integer_lexical() {
        let rows: &[(&str, bool)] = &[
            ("10", true),
            ("01", true),
            ("+10", true),
            ("-10", true),
            ("9999999999999999999999999999999", true),
            ("1.0", false),
            (".1", false),
            ("1.", false),
            ("0.", false),
            ("", false),
            ("-", false),
        ];
        check_rows(rows, |text| Decimal::parse_integer(text).is_some());
    }

    fn dec(s: &str) -> Decimal {
        Decimal::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn decimal_value_space() {
        assert_eq!(dec("1.0"), dec("1"));
        assert_eq!(dec("+0010"), dec("10"));
        assert_eq!(dec("-0"), dec("0"));
        assert_eq!(dec("-0.0"), dec("+.0"));
        assert!(dec("-10") < dec("-9.99"));
        assert!(dec("0.001") < dec("0.01"));
        assert!(dec("123456789012345678901234567890") > dec("99999999999999999999999999999.9"));
        assert_eq!(dec("0.00100").total_digits(), 1);
        assert_eq!(dec("120.50").total_digits(), 4);
        assert_eq!(dec("120.50").fraction_digits(), 1);
        assert_eq!(dec("-007").to_string(), "-7");
    }

    #[test]
    fn integer_ranges() {
        let ushort = IntegerRange::of("unsignedShort").unwrap_or(IntegerRange {
            min: None,
            max: None,
        });
        assert!(ushort.check(&dec("65535")).is_ok());
        assert_eq!(
            ushort.check(&dec("65536")),
            Err("must be an integer less than or equal to 65535".to_string())
        );
        assert!(ushort.check(&dec("-1")).is_err());
        assert!(IntegerRange::of("decimal").is_none());
    }

    #[test]
    fn floats() {
        let rows: &[(&str, bool)] = &[
            ("1.0", true),
            ("1.", true),
            (".1", true),
            ("1e5", true),
            ("1.5E-3", true),
            ("-INF", true),
            ("INF", true),
            ("NaN", true),
            ("1e99999999999", true),
            ("- 1", false),
            ("1 .0", false),
            ("+INF", false),
            ("+NaN", false),
            ("-NaN", false),
            ("e5", false),
            ("1e", false),
            ("1e+", false),
            ("inf", false),
            ("", false),
        ];
        check_rows(rows, |text| Float::parse(text, false).is_some());
        let f = |s: &str| Float::parse(s, true).unwrap_or(Float(0.5));
        assert_eq!(f("NaN"), f("NaN"));
        assert_eq!(f("0"), f("-0"));
        assert_eq!(f("0.1E1"), f("10E-1"));
        assert_ne!(f("1"), f("-1"));
        assert_eq!(f("-INF").partial_cmp(&f("-1000")), Some(Ordering::Less));
        assert_eq!(f("NaN").partial_cmp(&f("1")), None);
        assert_eq!(f("INF").partial_cmp(&f("NaN")), None);
        assert_eq!(f("NaN").partial_cmp(&f("NaN")), Some(Ordering::Equal));
        // float rounds to single precision; double keeps more.
        assert_eq!(f("0.1"), f("0.100000001"));
    }

    #[test]
    fn booleans() {
        for (text, value) in [("true", Some(true)), ("1", Some(true)), ("0", Some(false))] {
            assert_eq!(parse_boolean(text), value);
        }
        for text in ["00", "01", "TRUE", ""] {
            assert_eq!(parse_boolean(text), None);
        }
    }
}
