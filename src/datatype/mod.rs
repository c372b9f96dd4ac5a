//! Datatype libraries: RELAX NG's built-in library, XML Schema datatypes and
//! the DTD compatibility library.
//!
//! This module knows nothing of patterns or files. The schema side asks
//! [`Datatype::lookup`] for a datatype (with its `param`s) once, when the
//! schema is compiled; the validator then calls [`Datatype::check`] for
//! `<data>` and [`Datatype::parse_value`] + `==` for `<value>`.

mod builtin;
mod compat;
pub mod xsd;

use std::fmt;

/// `datatypeLibrary` URI of XML Schema Part 2 datatypes.
pub const XSD_LIBRARY: &str = "http://www.w3.org/2001/XMLSchema-datatypes";
/// `datatypeLibrary` URI of the RELAX NG DTD compatibility datatypes.
pub const COMPAT_LIBRARY: &str = "http://relaxng.org/ns/compatibility/datatypes/1.0";

/// The namespace context of a value: needed by QName and NOTATION.
pub trait Context {
    /// The namespace URI bound to `prefix`; the empty prefix asks for the
    /// default namespace (`None` when there is none).
    fn resolve_prefix(&self, prefix: &str) -> Option<&str>;

    /// Whether `name` is an unparsed entity declared in the document's DTD
    /// (XSD `ENTITY` and `ENTITIES` values must name one). Without a DTD
    /// there are none.
    fn is_unparsed_entity(&self, _name: &str) -> bool {
        false
    }
}

/// A context with no bindings at all (used where no namespaces are in
/// scope; the `xml` prefix needs no binding, see `xsd::qname`).
pub struct NoContext;

impl Context for NoContext {
    fn resolve_prefix(&self, _prefix: &str) -> Option<&str> {
        None
    }
}

/// One `<param name="...">value</param>` of a `<data>` pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The facet name, e.g. `maxLength`.
    pub name: String,
    /// The facet value, as written.
    pub value: String,
}

/// Why a datatype could not be made from a schema's `<data>` or `<value>`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DatatypeError {
    /// The `datatypeLibrary` URI names no library we implement.
    #[error("unknown datatype library \"{0}\"")]
    UnknownLibrary(String),
    /// The library has no type of that name.
    #[error("datatype library \"{library}\" has no datatype \"{name}\"")]
    UnknownType {
        /// The library URI.
        library: String,
        /// The type name asked for.
        name: String,
    },
    /// A param is wrong: unknown for this type, with a bad value, repeated,
    /// or contradicting another. `param` indexes the `params` slice given to
    /// [`Datatype::lookup`], so the caller can point at it.
    #[error("{message}")]
    BadParam {
        /// Index of the offending param.
        param: usize,
        /// What is wrong, e.g. `facet "length" is not allowed for datatype "integer"`.
        message: String,
    },
    /// The library does not allow params on this type at all.
    #[error("datatype \"{name}\" does not take parameters")]
    ParamsNotAllowed {
        /// The type name.
        name: String,
    },
}

/// Why a string is not in a datatype's lexical (or facet-restricted) space.
/// The message completes "value is invalid; ...", e.g. "must be an integer
/// less than or equal to 65535" or "does not match the pattern [0-9]+".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Human explanation, lower case, no trailing period.
    pub reason: String,
}

impl Invalid {
    /// An explanation.
    pub fn new(reason: impl Into<String>) -> Invalid {
        Invalid {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// What a datatype means for DTD-compatibility ID checking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// Not an ID-ish type.
    None,
    /// `ID`: unique in the document.
    Id,
    /// `IDREF`: refers to an `ID`.
    Idref,
    /// `IDREFS`: a list of references.
    Idrefs,
}

/// A compiled datatype: a library type with its params applied.
#[derive(Clone, Debug)]
pub struct Datatype {
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Builtin(builtin::Builtin),
    Xsd(xsd::XsdType),
    Compat(compat::CompatType),
}

/// A value in a datatype's value space, compared with `==` by value-space
/// equality (`1.0` equals `1` as decimals; QNames compare by namespace URI).
#[derive(Clone, Debug, PartialEq)]
pub struct Value(ValueRepr);

#[derive(Clone, Debug, PartialEq)]
enum ValueRepr {
    Builtin(builtin::BuiltinValue),
    Xsd(xsd::XsdValue),
    Compat(compat::CompatValue),
}

impl Datatype {
    /// Looks up `name` in the library `library` and applies `params`.
    /// The empty library URI is RELAX NG's built-in library.
    pub fn lookup(library: &str, name: &str, params: &[Param]) -> Result<Datatype, DatatypeError> {
        let kind = match library {
            "" => Kind::Builtin(builtin::Builtin::lookup(name, params)?),
            XSD_LIBRARY => Kind::Xsd(xsd::XsdType::lookup(name, params)?),
            COMPAT_LIBRARY => Kind::Compat(compat::CompatType::lookup(name, params)?),
            other => return Err(DatatypeError::UnknownLibrary(other.to_string())),
        };
        Ok(Datatype { kind })
    }

    /// Whether `text` is a valid lexical form (after the type's whitespace
    /// processing) that satisfies every facet.
    pub fn check(&self, text: &str, ctx: &dyn Context) -> Result<(), Invalid> {
        match &self.kind {
            Kind::Builtin(t) => t.check(text),
            Kind::Xsd(t) => t.check(text, ctx),
            Kind::Compat(t) => t.check(text),
        }
    }

    /// Parses `text` into its value, for `<value>` comparison.
    pub fn parse_value(&self, text: &str, ctx: &dyn Context) -> Result<Value, Invalid> {
        let repr = match &self.kind {
            Kind::Builtin(t) => ValueRepr::Builtin(t.parse_value(text)),
            Kind::Xsd(t) => ValueRepr::Xsd(t.parse_value(text, ctx)?),
            Kind::Compat(t) => ValueRepr::Compat(t.parse_value(text)?),
        };
        Ok(Value(repr))
    }

    /// Whether `text` is a lexical form of `value` (a `<value>` pattern):
    /// the same as `parse_value(text) == Ok(value)`, without building a
    /// value where the comparison can be made on the text.
    pub fn matches_value(&self, text: &str, value: &Value, ctx: &dyn Context) -> bool {
        match (&self.kind, &value.0) {
            (Kind::Builtin(t), ValueRepr::Builtin(v)) => t.matches_value(text, v),
            _ => self.parse_value(text, ctx).is_ok_and(|v| v == *value),
        }
    }

    /// The ID role of the type, for DTD-compatibility checks.
    pub fn id_kind(&self) -> IdKind {
        match &self.kind {
            Kind::Xsd(t) => t.id_kind(),
            Kind::Compat(t) => t.id_kind(),
            Kind::Builtin(_) => IdKind::None,
        }
    }
}
