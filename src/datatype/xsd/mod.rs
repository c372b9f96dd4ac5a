//! XML Schema Part 2 datatypes (XSD 1.0), as RELAX NG's XSD datatype
//! library: every built-in type the RELAX NG guidelines expose, their
//! whitespace handling, lexical and value spaces, and facets as params.
//!
//! One family per file: [`numeric`](self) (boolean, decimal, integers,
//! float, double), `string`, `datetime` (duration and dates), `binary`,
//! `qname`, `facets` and `regex` (XSD regular expressions, Appendix F).

mod binary;
mod chars;
mod datetime;
mod facets;
mod numeric;
mod qname;
mod regex;
mod string;

use std::cmp::Ordering;

pub use self::chars::{is_name, is_ncname};
#[cfg(feature = "internals")]
pub use self::regex::XsdRegex;

use self::datetime::{DateTime, DateTimeKind, Duration};
use self::facets::{Facets, Family};
use self::numeric::{Decimal, Float, IntegerRange};
use self::qname::QName;
use super::builtin::{collapse_whitespace, is_collapsed};
use super::{Context, DatatypeError, IdKind, Invalid, Param};

/// An XSD datatype with its facets applied.
#[derive(Clone, Debug)]
pub struct XsdType {
    name: &'static str,
    base: Base,
    /// Boxed: facets hold bound values and are rarely present, and a
    /// `Datatype` should stay small.
    facets: Box<Facets>,
}

/// A value in an XSD value space; `==` is value-space equality.
#[derive(Clone, Debug, PartialEq)]
pub struct XsdValue(Repr);

#[derive(Clone, Debug, PartialEq)]
enum Repr {
    /// Every string-derived type (after whitespace processing), and anyURI.
    String(String),
    /// NMTOKENS, IDREFS, ENTITIES.
    List(Vec<String>),
    Boolean(bool),
    Decimal(Decimal),
    Float(Float),
    Duration(Duration),
    DateTime(DateTime),
    Binary(Vec<u8>),
    QName(QName),
}

/// The built-in types (XSD-2 §3.2 primitives and §3.3 derived types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NcName,
    NmToken,
    NmTokens,
    Id,
    IdRef,
    IdRefs,
    Entity,
    Entities,
    QName,
    Notation,
    AnyUri,
    Boolean,
    Decimal,
    Integer(IntegerRange),
    Float,
    Double,
    Duration,
    DateTime(DateTimeKind),
    HexBinary,
    Base64Binary,
    /// XPath 2.0's `anyAtomicType` and `untypedAtomic`, which jing also
    /// exposes (the jing-trang suite uses them): any string.
    AnyAtomic,
}

/// Names of the types, as looked up; the static string doubles as the
/// type's name in messages.
const TYPES: &[&str] = &[
    "string",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NCName",
    "NMTOKEN",
    "NMTOKENS",
    "ID",
    "IDREF",
    "IDREFS",
    "ENTITY",
    "ENTITIES",
    "QName",
    "NOTATION",
    "anyURI",
    "boolean",
    "decimal",
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
    "float",
    "double",
    "duration",
    "dateTime",
    "date",
    "time",
    "gYear",
    "gYearMonth",
    "gMonth",
    "gMonthDay",
    "gDay",
    "hexBinary",
    "base64Binary",
    "anyAtomicType",
    "untypedAtomic",
];

fn base_of(name: &str) -> Option<Base> {
    if let Some(range) = IntegerRange::of(name) {
        return Some(Base::Integer(range));
    }
    Some(match name {
        "string" => Base::String,
        "normalizedString" => Base::NormalizedString,
        "token" => Base::Token,
        "language" => Base::Language,
        "Name" => Base::Name,
        "NCName" => Base::NcName,
        "NMTOKEN" => Base::NmToken,
        "NMTOKENS" => Base::NmTokens,
        "ID" => Base::Id,
        "IDREF" => Base::IdRef,
        "IDREFS" => Base::IdRefs,
        "ENTITY" => Base::Entity,
        "ENTITIES" => Base::Entities,
        "QName" => Base::QName,
        "NOTATION" => Base::Notation,
        "anyURI" => Base::AnyUri,
        "boolean" => Base::Boolean,
        "decimal" => Base::Decimal,
        "float" => Base::Float,
        "double" => Base::Double,
        "duration" => Base::Duration,
        "dateTime" => Base::DateTime(DateTimeKind::DateTime),
        "date" => Base::DateTime(DateTimeKind::Date),
        "time" => Base::DateTime(DateTimeKind::Time),
        "gYear" => Base::DateTime(DateTimeKind::GYear),
        "gYearMonth" => Base::DateTime(DateTimeKind::GYearMonth),
        "gMonth" => Base::DateTime(DateTimeKind::GMonth),
        "gMonthDay" => Base::DateTime(DateTimeKind::GMonthDay),
        "gDay" => Base::DateTime(DateTimeKind::GDay),
        "hexBinary" => Base::HexBinary,
        "base64Binary" => Base::Base64Binary,
        "anyAtomicType" | "untypedAtomic" => Base::AnyAtomic,
        _ => return None,
    })
}

/// XSD whitespace facet values (XSD-2 §4.3.6).
#[derive(Clone, Copy, PartialEq, Eq)]
enum WhiteSpace {
    Preserve,
    Replace,
    Collapse,
}

impl Base {
    fn white_space(self) -> WhiteSpace {
        match self {
            Base::String | Base::AnyAtomic => WhiteSpace::Preserve,
            Base::NormalizedString => WhiteSpace::Replace,
            _ => WhiteSpace::Collapse,
        }
    }

    fn family(self) -> Family {
        match self {
            Base::NmTokens | Base::IdRefs | Base::Entities => Family::List,
            Base::HexBinary | Base::Base64Binary => Family::Binary,
            Base::Boolean => Family::Boolean,
            Base::Decimal => Family::Decimal { integer: false },
            Base::Integer(_) => Family::Decimal { integer: true },
            Base::Float | Base::Double | Base::Duration | Base::DateTime(_) => Family::Ordered,
            _ => Family::Text,
        }
    }

    /// The type as a noun phrase for range messages ("must be an integer
    /// less than or equal to 65535").
    fn kind(self, name: &str) -> String {
        match self {
            Base::Integer(_) => "an integer".to_string(),
            Base::Decimal => "a decimal number".to_string(),
            _ => format!("a {name}"),
        }
    }

    /// Parses whitespace-processed `text` into a value, checking the
    /// lexical space and the type's own bounds.
    fn parse(self, name: &str, text: &str, ctx: &dyn Context) -> Result<Repr, Invalid> {
        let invalid = || Invalid::new(format!("must be a valid {name}"));
        let value = match self {
            Base::String | Base::NormalizedString | Base::Token | Base::AnyAtomic => {
                Repr::String(text.to_string())
            }
            Base::Language => checked_string(
                text,
                string::is_language,
                "must be a valid language tag such as \"en\" or \"en-GB\"",
            )?,
            Base::Name => checked_string(text, chars::is_name, "must be a valid XML name")?,
            Base::NcName | Base::Id | Base::IdRef => {
                checked_string(text, chars::is_ncname, NCNAME_MESSAGE)?
            }
            Base::Entity => {
                let value = checked_string(text, chars::is_ncname, NCNAME_MESSAGE)?;
                if !ctx.is_unparsed_entity(text) {
                    return Err(Invalid::new(format!(
                        "must name an unparsed entity, and \"{text}\" is not declared as one"
                    )));
                }
                value
            }
            Base::NmToken => {
                checked_string(text, chars::is_nmtoken, "must be a valid XML name token")?
            }
            Base::NmTokens | Base::IdRefs | Base::Entities => {
                let items: Vec<String> = text.split(' ').map(str::to_string).collect();
                if text.is_empty() {
                    return Err(Invalid::new(format!(
                        "must be a list of one or more items ({name})"
                    )));
                }
                for item in &items {
                    let ok = match self {
                        Base::NmTokens => chars::is_nmtoken(item),
                        _ => chars::is_ncname(item),
                    };
                    if !ok {
                        return Err(Invalid::new(format!(
                            "must be a valid {name}, and \"{item}\" is not a valid item"
                        )));
                    }
                    if self == Base::Entities && !ctx.is_unparsed_entity(item) {
                        return Err(Invalid::new(format!(
                            "must name unparsed entities, and \"{item}\" is not declared as one"
                        )));
                    }
                }
                Repr::List(items)
            }
            Base::QName | Base::Notation => {
                Repr::QName(qname::parse_qname(text, ctx, name).map_err(Invalid::new)?)
            }
            Base::AnyUri => {
                if !string::is_any_uri(text) {
                    return Err(Invalid::new("must be a valid URI reference"));
                }
                Repr::String(text.to_string())
            }
            Base::Boolean => Repr::Boolean(
                numeric::parse_boolean(text)
                    .ok_or_else(|| Invalid::new("must be a boolean (true, false, 1 or 0)"))?,
            ),
            Base::Decimal => Repr::Decimal(
                Decimal::parse(text).ok_or_else(|| Invalid::new("must be a decimal number"))?,
            ),
            Base::Integer(range) => {
                let value = Decimal::parse_integer(text)
                    .ok_or_else(|| Invalid::new("must be an integer"))?;
                range.check(&value).map_err(Invalid::new)?;
                Repr::Decimal(value)
            }
            Base::Float => Repr::Float(Float::parse(text, true).ok_or_else(invalid)?),
            Base::Double => Repr::Float(Float::parse(text, false).ok_or_else(invalid)?),
            Base::Duration => Repr::Duration(Duration::parse(text).ok_or_else(invalid)?),
            Base::DateTime(kind) => {
                Repr::DateTime(DateTime::parse(kind, text).ok_or_else(invalid)?)
            }
            Base::HexBinary => Repr::Binary(binary::parse_hex(text).ok_or_else(|| {
                Invalid::new("must be hexBinary (an even number of hexadecimal digits)")
            })?),
            Base::Base64Binary => Repr::Binary(binary::parse_base64(text).ok_or_else(invalid)?),
        };
        Ok(value)
    }
}

impl XsdValue {
    /// The order of two values of one type, where the type is ordered
    /// (`None` for incomparable values or unordered types).
    fn partial_cmp(&self, other: &XsdValue) -> Option<Ordering> {
        match (&self.0, &other.0) {
            (Repr::Decimal(a), Repr::Decimal(b)) => Some(a.cmp(b)),
            (Repr::Float(a), Repr::Float(b)) => a.partial_cmp(b),
            (Repr::Duration(a), Repr::Duration(b)) => a.partial_cmp(b),
            (Repr::DateTime(a), Repr::DateTime(b)) => a.partial_cmp(b),
            _ => None,
        }
    }

    /// The number, for the digit facets.
    fn as_decimal(&self) -> Option<&Decimal> {
        match &self.0 {
            Repr::Decimal(d) => Some(d),
            _ => None,
        }
    }

    /// What the length facets measure: characters of the lexical form,
    /// items of a list, octets of binary data.
    fn length(&self, lexical: &str) -> u64 {
        match &self.0 {
            Repr::List(items) => items.len() as u64,
            Repr::Binary(bytes) => bytes.len() as u64,
            _ => lexical.chars().count() as u64,
        }
    }
}

impl XsdType {
    /// Looks up the built-in type `name` and applies `params` as facets.
    pub fn lookup(name: &str, params: &[Param]) -> Result<XsdType, DatatypeError> {
        let (Some(&static_name), Some(base)) = (TYPES.iter().find(|&&t| t == name), base_of(name))
        else {
            return Err(DatatypeError::UnknownType {
                library: super::XSD_LIBRARY.to_string(),
                name: name.to_string(),
            });
        };
        // Facet values are read with the type's own rules; the context is
        // irrelevant because no ordered type needs one.
        let parse = |text: &str| {
            base.parse(static_name, text, &super::NoContext)
                .map(XsdValue)
        };
        let facets = Facets::build(params, static_name, base.family(), &parse)?;
        Ok(XsdType {
            name: static_name,
            base,
            facets: Box::new(facets),
        })
    }

    /// The whitespace-processed text; borrowed when processing would not
    /// change it (most values: no copy).
    fn normalize<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        match self.base.white_space() {
            WhiteSpace::Preserve => Cow::Borrowed(text),
            WhiteSpace::Replace if !text.contains(['\t', '\n', '\r']) => Cow::Borrowed(text),
            WhiteSpace::Replace => Cow::Owned(string::replace_whitespace(text)),
            WhiteSpace::Collapse if is_collapsed(text) => Cow::Borrowed(text),
            WhiteSpace::Collapse => Cow::Owned(collapse_whitespace(text)),
        }
    }

    /// Whether `text` is in the lexical space and satisfies every facet.
    pub fn check(&self, text: &str, ctx: &dyn Context) -> Result<(), Invalid> {
        self.parse_value(text, ctx).map(|_| ())
    }

    /// The value of `text`, if it is valid.
    pub fn parse_value(&self, text: &str, ctx: &dyn Context) -> Result<XsdValue, Invalid> {
        let lexical = self.normalize(text);
        let value = XsdValue(self.base.parse(self.name, &lexical, ctx)?);
        // The type's noun phrase is only wanted for a message.
        self.facets
            .check(&lexical, &value, self.base.family(), &|| {
                self.base.kind(self.name)
            })?;
        Ok(value)
    }

    /// ID, IDREF and IDREFS take part in DTD-compatibility ID checks.
    pub fn id_kind(&self) -> IdKind {
        match self.base {
            Base::Id => IdKind::Id,
            Base::IdRef => IdKind::Idref,
            Base::IdRefs => IdKind::Idrefs,
            _ => IdKind::None,
        }
    }
}

const NCNAME_MESSAGE: &str = "must be a valid XML name without a colon";

/// `text` as a string value, if `is_valid` accepts it.
fn checked_string(
    text: &str,
    is_valid: fn(&str) -> bool,
    message: &'static str,
) -> Result<Repr, Invalid> {
    if is_valid(text) {
        Ok(Repr::String(text.to_string()))
    } else {
        Err(Invalid::new(message))
    }
}

/// Checks a table of lexical forms, each row the answer `answer` must
/// give for its text (the test tables of the datatype files).
#[cfg(test)]
fn check_rows<T: PartialEq + std::fmt::Debug>(rows: &[(&str, T)], answer: impl Fn(&str) -> T) {
    for (text, want) in rows {
        assert_eq!(&answer(text), want, "{text:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datatype::NoContext;

    fn xsd(name: &str) -> XsdType {
        XsdType::lookup(name, &[]).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn every_type_looks_up() {
        for name in TYPES {
            assert_eq!(xsd(name).name, *name);
        }
        for unknown in ["", "String", "dateTimeStamp", "anySimpleType", "IDREFs"] {
            assert!(XsdType::lookup(unknown, &[]).is_err(), "{unknown}");
        }
    }

    /// (type, lexical, valid?) across the families, with whitespace.
    #[test]
    fn lexical_spaces() {
        let rows: &[(&str, &str, bool)] = &[
            ("string", " any thing\n", true),
            ("normalizedString", "a\tb", true),
            ("token", "  a  b ", true),
            ("language", " en-GB ", true),
            ("language", "en_GB", false),
            ("Name", " foo ", true),
            ("Name", "1234", false),
            ("NCName", "foo:bar", false),
            ("NMTOKEN", "1234", true),
            ("NMTOKEN", "a b", false),
            ("NMTOKENS", " 1 2 3 ", true),
            ("NMTOKENS", "", false),
            ("ID", "foo bar", false),
            ("IDREFS", "a b", true),
            ("IDREFS", "a b:c", false),
            ("ENTITY", "foo", false),
            ("QName", "xml:lang", true),
            ("QName", "y:foo", false),
            ("anyURI", "foo$bar:stuff", false),
            ("boolean", " true ", true),
            ("boolean", "yes", false),
            ("decimal", " -1.5 ", true),
            ("integer", "9999999999999999999999999999999", true),
            ("long", "9223372036854775808", false),
            ("byte", "-129", false),
            ("positiveInteger", "0", false),
            ("nonPositiveInteger", "-0", true),
            ("float", " INF ", true),
            ("double", "+INF", false),
            ("duration", " P1Y ", true),
            ("dateTime", "2001-12-01T19:45:00Z", true),
            ("gMonth", " --12 ", true),
            ("hexBinary", "0G", false),
            ("base64Binary", "BB==", false),
            ("anyAtomicType", " x ", true),
            ("untypedAtomic", "", true),
        ];
        for &(name, text, want) in rows {
            let got = xsd(name).check(text, &NoContext);
            assert_eq!(got.is_ok(), want, "{name} {text:?}: {got:?}");
        }
    }

    #[test]
    fn value_equality() {
        let eq = |name: &str, a: &str, b: &str| {
            let t = xsd(name);
            match (t.parse_value(a, &NoContext), t.parse_value(b, &NoContext)) {
                (Ok(x), Ok(y)) => x == y,
                _ => panic!("{name}: {a:?} or {b:?} is invalid"),
            }
        };
        // (type, value, value, whether the two are equal)
        let rows = [
            ("string", "a", "a", true),
            ("string", "a ", "a", false),
            ("normalizedString", "a\tb", "a b", true),
            ("normalizedString", "a  b", "a b", false),
            ("token", " a \n b ", "a b", true),
            ("decimal", "1.0", "1", true),
            ("integer", "+0010", "10", true),
            ("float", "NaN", " NaN ", true),
            ("double", "0", "-0", true),
            ("double", "INF", "-INF", false),
            ("hexBinary", "0a", "0A", true),
            ("base64Binary", "dead beef", "deadbeef", true),
            ("boolean", "true", "1", true),
            ("NMTOKENS", " a  b", "a b", true),
            (
                "dateTime",
                "2001-12-01T19:45:00Z",
                "2001-12-01T20:45:00+01:00",
                true,
            ),
            (
                "dateTime",
                "2001-12-01T19:45:00Z",
                "2001-12-01T19:45:00",
                false,
            ),
            ("duration", "P1Y", "P12M", true),
            ("QName", "xml:lang", " xml:lang ", true),
        ];
        for (name, a, b, equal) in rows {
            assert_eq!(eq(name, a, b), equal, "{name}: {a:?} and {b:?}");
        }
    }

    struct Entities;
    impl Context for Entities {
        fn resolve_prefix(&self, _prefix: &str) -> Option<&str> {
            None
        }
        fn is_unparsed_entity(&self, name: &str) -> bool {
            name == "foo" || name == "bar"
        }
    }

    #[test]
    fn context_and_ids() {
        assert!(xsd("ENTITY").check("foo", &Entities).is_ok());
        assert!(xsd("ENTITIES").check(" foo bar ", &Entities).is_ok());
        assert!(xsd("ENTITIES").check("foo baz", &Entities).is_err());
        assert_eq!(xsd("ID").id_kind(), IdKind::Id);
        assert_eq!(xsd("IDREF").id_kind(), IdKind::Idref);
        assert_eq!(xsd("IDREFS").id_kind(), IdKind::Idrefs);
        assert_eq!(xsd("NCName").id_kind(), IdKind::None);
    }
}
