//! Facets given as RELAX NG `<param>`s (XSD-2 §4.3; RELAX NG's XSD
//! guidelines §3): which apply to which type, their values, their
//! consistency, and checking a value against them.
//!
//! `enumeration` and `whiteSpace` are not parameters in RELAX NG (a choice
//! of `<value>`s replaces the first; the second is fixed by the type).

use std::cmp::Ordering;

use super::numeric::Decimal;
use super::regex::XsdRegex;
use super::XsdValue;
use crate::datatype::{DatatypeError, Invalid, Param};

/// What kind of facets a type takes, and what its length measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// String-like; length in characters.
    Text,
    /// List types; length in items.
    List,
    /// hexBinary/base64Binary; length in octets.
    Binary,
    /// boolean: only `pattern`.
    Boolean,
    /// decimal and the integer types: ordered, with digit facets.
    Decimal {
        /// Integer types fix `fractionDigits` at 0.
        integer: bool,
    },
    /// float, double, duration and the date/time types.
    Ordered,
}

/// The facets of one `<data>` pattern.
#[derive(Clone, Debug, Default)]
pub struct Facets {
    length: Option<u64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    patterns: Vec<XsdRegex>,
    lower: Option<Limit>,
    upper: Option<Limit>,
    total_digits: Option<u64>,
    fraction_digits: Option<u64>,
}

/// One end of a value range.
#[derive(Clone, Debug)]
struct Limit {
    exclusive: bool,
    value: XsdValue,
    /// The value as written (collapsed), for messages.
    text: String,
}

const FACETS: &[&str] = &[
    "length",
    "minLength",
    "maxLength",
    "pattern",
    "minInclusive",
    "minExclusive",
    "maxInclusive",
    "maxExclusive",
    "totalDigits",
    "fractionDigits",
];

fn applies(family: Family, facet: &str) -> bool {
    match facet {
        "pattern" => true,
        "length" | "minLength" | "maxLength" => {
            matches!(family, Family::Text | Family::List | Family::Binary)
        }
        "minInclusive" | "minExclusive" | "maxInclusive" | "maxExclusive" => {
            matches!(family, Family::Decimal { .. } | Family::Ordered)
        }
        "totalDigits" | "fractionDigits" => matches!(family, Family::Decimal { .. }),
        _ => false,
    }
}

fn bad(param: usize, message: String) -> DatatypeError {
    DatatypeError::BadParam { param, message }
}

/// A facet value that must be a non-negative integer; huge ones saturate
/// (a length limit beyond `u64` cannot be reached anyway).
fn count(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.bytes().fold(0u64, |acc, d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

impl Facets {
    /// Reads `params` for a type called `type_name` of `family`; `parse`
    /// reads a value of the type (for the range facets).
    pub fn build(
        params: &[Param],
        type_name: &str,
        family: Family,
        parse: &dyn Fn(&str) -> Result<XsdValue, Invalid>,
    ) -> Result<Facets, DatatypeError> {
        let mut facets = Facets::default();
        // Param index of each facet seen, to report repeats and to point at
        // the later param of a contradicting pair.
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for (index, param) in params.iter().enumerate() {
            let name = param.name.as_str();
            match name {
                "enumeration" => {
                    return Err(bad(
                        index,
                        "\"enumeration\" is not a parameter in RELAX NG; use a choice of <value> elements instead".to_string(),
                    ))
                }
                "whiteSpace" => {
                    return Err(bad(
                        index,
                        "\"whiteSpace\" is not a parameter in RELAX NG; each datatype has fixed whitespace handling".to_string(),
                    ))
                }
                _ if !FACETS.contains(&name) => {
                    return Err(bad(index, format!("unknown parameter \"{name}\"")))
                }
                _ if !applies(family, name) => {
                    return Err(bad(
                        index,
                        format!("facet \"{name}\" is not allowed for datatype \"{type_name}\""),
                    ))
                }
                _ => {}
            }
            if name != "pattern" {
                if seen.iter().any(|(n, _)| *n == name) {
                    return Err(bad(
                        index,
                        format!("facet \"{name}\" is given more than once"),
                    ));
                }
                seen.push((name, index));
            }
            let collapsed = crate::datatype::builtin::collapse_whitespace(&param.value);
            match name {
                "pattern" => {
                    let regex = XsdRegex::new(&param.value).map_err(|e| {
                        bad(
                            index,
                            format!("invalid regular expression \"{}\": {e}", param.value),
                        )
                    })?;
                    facets.patterns.push(regex);
                }
                "length" | "minLength" | "maxLength" | "totalDigits" | "fractionDigits" => {
                    let n = count(&collapsed).ok_or_else(|| {
                        bad(
                            index,
                            format!("the value of facet \"{name}\" must be a non-negative integer"),
                        )
                    })?;
                    let slot = match name {
                        "length" => &mut facets.length,
                        "minLength" => &mut facets.min_length,
                        "maxLength" => &mut facets.max_length,
                        "totalDigits" => {
                            if n == 0 {
                                return Err(bad(
                                    index,
                                    "the value of facet \"totalDigits\" must be a positive integer"
                                        .to_string(),
                                ));
                            }
                            &mut facets.total_digits
                        }
                        _ => {
                            if family == (Family::Decimal { integer: true }) && n != 0 {
                                return Err(bad(
                                    index,
                                    format!("facet \"fractionDigits\" must be 0 for datatype \"{type_name}\""),
                                ));
                            }
                            &mut facets.fraction_digits
                        }
                    };
                    *slot = Some(n);
                }
                _ => {
                    let value = parse(&collapsed).map_err(|e| {
                        bad(
                            index,
                            format!(
                                "the value of facet \"{name}\" is not a valid {type_name}: it {}",
                                e.reason
                            ),
                        )
                    })?;
                    let limit = Limit {
                        exclusive: name.ends_with("Exclusive"),
                        value,
                        text: collapsed,
                    };
                    let slot = if name.starts_with("min") {
                        &mut facets.lower
                    } else {
                        &mut facets.upper
                    };
                    if slot.is_some() {
                        return Err(bad(
                            index,
                            format!(
                                "facets \"{}Inclusive\" and \"{}Exclusive\" cannot both be given",
                                &name[..3],
                                &name[..3]
                            ),
                        ));
                    }
                    *slot = Some(limit);
                }
            }
        }
        facets.check_consistency(&seen)?;
        Ok(facets)
    }

    fn check_consistency(&self, seen: &[(&str, usize)]) -> Result<(), DatatypeError> {
        let at = |names: &[&str]| {
            seen.iter()
                .filter(|(n, _)| names.contains(n))
                .map(|&(_, i)| i)
                .max()
                .unwrap_or(0)
        };
        if let (Some(min), Some(max)) = (self.min_length, self.max_length) {
            if min > max {
                return Err(bad(
                    at(&["minLength", "maxLength"]),
                    format!("minLength {min} is greater than maxLength {max}"),
                ));
            }
        }
        if let Some(length) = self.length {
            if self.min_length.is_some_and(|min| min > length) {
                return Err(bad(
                    at(&["length", "minLength"]),
                    "minLength is greater than length".to_string(),
                ));
            }
            if self.max_length.is_some_and(|max| max < length) {
                return Err(bad(
                    at(&["length", "maxLength"]),
                    "maxLength is less than length".to_string(),
                ));
            }
        }
        if let (Some(total), Some(fraction)) = (self.total_digits, self.fraction_digits) {
            if fraction > total {
                return Err(bad(
                    at(&["totalDigits", "fractionDigits"]),
                    format!("fractionDigits {fraction} is greater than totalDigits {total}"),
                ));
            }
        }
        if let (Some(lower), Some(upper)) = (&self.lower, &self.upper) {
            // An empty range is a schema error; an incomparable pair (say
            // durations P1M and P30D) is left alone.
            let order = lower.value.partial_cmp(&upper.value);
            let empty = match order {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => lower.exclusive || upper.exclusive,
                _ => false,
            };
            if empty {
                return Err(bad(
                    at(&[
                        "minInclusive",
                        "minExclusive",
                        "maxInclusive",
                        "maxExclusive",
                    ]),
                    format!(
                        "the lower bound {} is not below the upper bound {}",
                        lower.text, upper.text
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Checks a value (and its whitespace-processed lexical form, which
    /// patterns match) against every facet. `kind` names the type for
    /// range messages, e.g. "an integer".
    pub fn check(
        &self,
        lexical: &str,
        value: &XsdValue,
        family: Family,
        kind: &str,
    ) -> Result<(), Invalid> {
        if self.length.is_some() || self.min_length.is_some() || self.max_length.is_some() {
            let measure = value.length(lexical);
            let (noun, verb) = match family {
                Family::List => ("item", "have"),
                Family::Binary => ("octet", "be"),
                _ => ("character", "be"),
            };
            let describe = |how: &str, n: u64| {
                let plural = if n == 1 { "" } else { "s" };
                if verb == "have" {
                    format!("must have {how} {n} {noun}{plural}")
                } else {
                    format!("must be {how} {n} {noun}{plural} long")
                }
            };
            if let Some(n) = self.length.filter(|&n| measure != n) {
                return Err(Invalid::new(describe("exactly", n)));
            }
            if let Some(n) = self.min_length.filter(|&n| measure < n) {
                return Err(Invalid::new(describe("at least", n)));
            }
            if let Some(n) = self.max_length.filter(|&n| measure > n) {
                return Err(Invalid::new(describe("at most", n)));
            }
        }
        for pattern in &self.patterns {
            if !pattern.is_match(lexical) {
                return Err(Invalid::new(format!(
                    "does not match the pattern {}",
                    pattern.as_str()
                )));
            }
        }
        if let Some(lower) = &self.lower {
            let order = value.partial_cmp(&lower.value);
            let ok = match order {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => !lower.exclusive,
                _ => false,
            };
            if !ok {
                let relation = if lower.exclusive {
                    "greater than"
                } else {
                    "greater than or equal to"
                };
                return Err(Invalid::new(format!(
                    "must be {kind} {relation} {}",
                    lower.text
                )));
            }
        }
        if let Some(upper) = &self.upper {
            let order = value.partial_cmp(&upper.value);
            let ok = match order {
                Some(Ordering::Less) => true,
                Some(Ordering::Equal) => !upper.exclusive,
                _ => false,
            };
            if !ok {
                let relation = if upper.exclusive {
                    "less than"
                } else {
                    "less than or equal to"
                };
                return Err(Invalid::new(format!(
                    "must be {kind} {relation} {}",
                    upper.text
                )));
            }
        }
        if let Some(d) = value.as_decimal() {
            check_digits(d, self.total_digits, self.fraction_digits)?;
        }
        Ok(())
    }
}

fn check_digits(d: &Decimal, total: Option<u64>, fraction: Option<u64>) -> Result<(), Invalid> {
    if let Some(total) = total {
        if d.total_digits() as u64 > total {
            return Err(Invalid::new(format!(
                "must have at most {total} digits in total"
            )));
        }
    }
    if let Some(fraction) = fraction {
        if d.fraction_digits() as u64 > fraction {
            return Err(Invalid::new(format!(
                "must have at most {fraction} digits after the decimal point"
            )));
        }
    }
    Ok(())
}
