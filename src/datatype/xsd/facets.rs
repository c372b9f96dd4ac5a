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
                                "the value \"{collapsed}\" of facet \"{name}\" is not a valid {type_name}: it {}",
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
    /// range messages, e.g. "an integer" (called only for a message).
    pub fn check(
        &self,
        lexical: &str,
        value: &XsdValue,
        family: Family,
        kind: &dyn Fn() -> String,
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
                    "must be {} {relation} {}",
                    kind(),
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
                    "must be {} {relation} {}",
                    kind(),
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

#[cfg(test)]
mod tests {
    use crate::datatype::{Datatype, DatatypeError, NoContext, Param, XSD_LIBRARY};

    /// `(name, value)` pairs, as written in a schema.
    type Params<'a> = &'a [(&'a str, &'a str)];

    fn params(list: &[(&str, &str)]) -> Vec<Param> {
        list.iter()
            .map(|&(name, value)| Param {
                name: name.to_string(),
                value: value.to_string(),
            })
            .collect()
    }

    fn lookup(name: &str, list: &[(&str, &str)]) -> Result<Datatype, DatatypeError> {
        Datatype::lookup(XSD_LIBRARY, name, &params(list))
    }

    /// The index of the param a rejected `<data>` points at.
    fn bad_index(name: &str, list: &[(&str, &str)]) -> Option<usize> {
        match lookup(name, list) {
            Err(DatatypeError::BadParam { param, .. }) => Some(param),
            _ => None,
        }
    }

    #[test]
    fn rejected_params_point_at_the_culprit() {
        let rows: &[(&str, Params, Option<usize>)] = &[
            ("string", &[("maxLength", "3")], None),
            ("string", &[("pattern", "a"), ("pattern", "b")], None),
            ("string", &[("pattern", "a"), ("enumeration", "a")], Some(1)),
            ("string", &[("whiteSpace", "collapse")], Some(0)),
            ("string", &[("foo", "1")], Some(0)),
            ("string", &[("minInclusive", "a")], Some(0)),
            ("integer", &[("length", "1")], Some(0)),
            ("boolean", &[("maxInclusive", "1")], Some(0)),
            ("float", &[("totalDigits", "3")], Some(0)),
            ("string", &[("length", "2"), ("length", "2")], Some(1)),
            ("string", &[("length", "-1")], Some(0)),
            ("string", &[("length", "x")], Some(0)),
            ("string", &[("pattern", "a??")], Some(0)),
            (
                "string",
                &[("maxLength", "2"), ("pattern", "a"), ("minLength", "3")],
                Some(2),
            ),
            ("string", &[("minLength", "3"), ("maxLength", "2")], Some(1)),
            ("string", &[("length", "3"), ("maxLength", "2")], Some(1)),
            ("string", &[("length", "3"), ("minLength", "4")], Some(1)),
            (
                "string",
                &[("length", "3"), ("minLength", "2"), ("maxLength", "3")],
                None,
            ),
            (
                "int",
                &[("minInclusive", "5"), ("maxInclusive", "4")],
                Some(1),
            ),
            (
                "int",
                &[("minInclusive", "5"), ("maxExclusive", "5")],
                Some(1),
            ),
            ("int", &[("minInclusive", "5"), ("maxInclusive", "5")], None),
            (
                "int",
                &[("minInclusive", "1"), ("minExclusive", "0")],
                Some(1),
            ),
            (
                "int",
                &[("maxExclusive", "1"), ("maxInclusive", "0")],
                Some(1),
            ),
            ("unsignedShort", &[("maxInclusive", "70000")], Some(0)),
            ("unsignedShort", &[("maxInclusive", " 7000 ")], None),
            ("decimal", &[("totalDigits", "0")], Some(0)),
            (
                "decimal",
                &[("totalDigits", "2"), ("fractionDigits", "3")],
                Some(1),
            ),
            ("integer", &[("fractionDigits", "1")], Some(0)),
            ("integer", &[("fractionDigits", "0")], None),
            ("date", &[("minInclusive", "2001-13-01")], Some(0)),
            (
                "duration",
                &[("minInclusive", "P1M"), ("maxInclusive", "P30D")],
                None,
            ),
            ("hexBinary", &[("length", "2")], None),
            ("NMTOKENS", &[("maxLength", "2")], None),
        ];
        for &(name, list, want) in rows {
            let got = bad_index(name, list);
            assert_eq!(got, want, "{name} {list:?}: {:?}", lookup(name, list).err());
            if want.is_none() {
                assert!(lookup(name, list).is_ok(), "{name} {list:?}");
            }
        }
    }

    /// (type, params, text, Ok or the reason).
    #[test]
    fn facet_checks_and_messages() {
        let rows: &[(&str, Params, &str, Result<(), &str>)] = &[
            ("unsignedShort", &[], "65535", Ok(())),
            (
                "unsignedShort",
                &[],
                "65536",
                Err("must be an integer less than or equal to 65535"),
            ),
            ("string", &[("pattern", "[0-9]+")], "12", Ok(())),
            (
                "string",
                &[("pattern", "[0-9]+")],
                "1a",
                Err("does not match the pattern [0-9]+"),
            ),
            (
                "string",
                &[("pattern", "[0-9]+"), ("pattern", "1.*")],
                "21",
                Err("does not match the pattern 1.*"),
            ),
            (
                "string",
                &[("maxLength", "3")],
                "abcd",
                Err("must be at most 3 characters long"),
            ),
            (
                "string",
                &[("minLength", "1")],
                "",
                Err("must be at least 1 character long"),
            ),
            ("token", &[("length", "1")], " x ", Ok(())),
            (
                "string",
                &[("length", "1")],
                " x ",
                Err("must be exactly 1 character long"),
            ),
            ("string", &[("length", "1")], "\u{10800}", Ok(())),
            ("NMTOKENS", &[("length", "2")], " a  b ", Ok(())),
            (
                "NMTOKENS",
                &[("maxLength", "1")],
                "a b",
                Err("must have at most 1 item"),
            ),
            ("hexBinary", &[("length", "2")], "00ff", Ok(())),
            (
                "base64Binary",
                &[("maxLength", "2")],
                "AAAA",
                Err("must be at most 2 octets long"),
            ),
            (
                "int",
                &[("minExclusive", "0")],
                "0",
                Err("must be an integer greater than 0"),
            ),
            ("decimal", &[("maxInclusive", "1.5")], "1.50", Ok(())),
            (
                "decimal",
                &[("maxInclusive", "1.5")],
                "1.51",
                Err("must be a decimal number less than or equal to 1.5"),
            ),
            ("decimal", &[("totalDigits", "3")], "12.30", Ok(())),
            (
                "decimal",
                &[("totalDigits", "3")],
                "1.234",
                Err("must have at most 3 digits in total"),
            ),
            (
                "decimal",
                &[("fractionDigits", "1")],
                "1.25",
                Err("must have at most 1 digits after the decimal point"),
            ),
            ("double", &[("maxExclusive", "INF")], "1e308", Ok(())),
            (
                "double",
                &[("minInclusive", "0")],
                "NaN",
                Err("must be a double greater than or equal to 0"),
            ),
            (
                "date",
                &[("maxInclusive", "2000-01-01")],
                "2000-01-02",
                Err("must be a date less than or equal to 2000-01-01"),
            ),
            (
                "dateTime",
                &[],
                "2001-13-01T00:00:00",
                Err("must be a valid dateTime"),
            ),
            ("integer", &[], "1.0", Err("must be an integer")),
        ];
        for &(name, list, text, want) in rows {
            let datatype = lookup(name, list).unwrap_or_else(|e| panic!("{name}: {e}"));
            let got = datatype.check(text, &NoContext).map_err(|e| e.reason);
            assert_eq!(
                got,
                want.map_err(str::to_string),
                "{name} {list:?} {text:?}"
            );
        }
    }
}
