//! RELAX NG DTD compatibility datatypes (the compatibility spec §4):
//! `ID`, `IDREF` and `IDREFS`, whose lexical spaces are XSD's `NCName`
//! (and lists of them). Values compare as tokens: whitespace is collapsed.
//! The ID/IDREF meaning itself is checked by the validator through
//! [`CompatType::id_kind`].

use super::builtin::collapse_whitespace;
use super::xsd::is_ncname;
use super::{DatatypeError, IdKind, Invalid, Param};

/// One of the three compatibility types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompatType {
    Id,
    Idref,
    Idrefs,
}

/// The whitespace-collapsed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompatValue(String);

impl CompatType {
    pub fn lookup(name: &str, params: &[Param]) -> Result<CompatType, DatatypeError> {
        let t = match name {
            "ID" => CompatType::Id,
            "IDREF" => CompatType::Idref,
            "IDREFS" => CompatType::Idrefs,
            _ => {
                return Err(DatatypeError::UnknownType {
                    library: super::COMPAT_LIBRARY.to_string(),
                    name: name.to_string(),
                })
            }
        };
        // The compatibility library defines no parameters.
        if !params.is_empty() {
            return Err(DatatypeError::ParamsNotAllowed {
                name: name.to_string(),
            });
        }
        Ok(t)
    }

    pub fn check(&self, text: &str) -> Result<(), Invalid> {
        self.parse_value(text).map(|_| ())
    }

    pub fn parse_value(&self, text: &str) -> Result<CompatValue, Invalid> {
        let collapsed = collapse_whitespace(text);
        let ok = match self {
            CompatType::Id | CompatType::Idref => is_ncname(&collapsed),
            CompatType::Idrefs => !collapsed.is_empty() && collapsed.split(' ').all(is_ncname),
        };
        if !ok {
            return Err(Invalid::new(match self {
                CompatType::Idrefs => "must be a list of one or more XML names without colons",
                _ => "must be a valid XML name without a colon",
            }));
        }
        Ok(CompatValue(collapsed))
    }

    pub fn id_kind(&self) -> IdKind {
        match self {
            CompatType::Id => IdKind::Id,
            CompatType::Idref => IdKind::Idref,
            CompatType::Idrefs => IdKind::Idrefs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_spaces() {
        let rows: &[(CompatType, &str, bool)] = &[
            (CompatType::Id, "foo", true),
            (CompatType::Id, "  foo ", true),
            (CompatType::Id, "foo:bar", false),
            (CompatType::Id, "foo bar", false),
            (CompatType::Id, "", false),
            (CompatType::Id, "1a", false),
            (CompatType::Idref, "a.b-c_d", true),
            (CompatType::Idrefs, "a b\n c", true),
            (CompatType::Idrefs, " ", false),
            (CompatType::Idrefs, "a b:c", false),
        ];
        for &(t, text, want) in rows {
            assert_eq!(t.check(text).is_ok(), want, "{t:?} {text:?}");
        }
    }

    #[test]
    fn lookup_and_values() {
        assert!(CompatType::lookup("NOTATION", &[]).is_err());
        let param = Param {
            name: "length".to_string(),
            value: "1".to_string(),
        };
        assert_eq!(
            CompatType::lookup("ID", &[param]),
            Err(DatatypeError::ParamsNotAllowed {
                name: "ID".to_string()
            })
        );
        let idrefs = CompatType::Idrefs;
        assert_eq!(idrefs.parse_value(" a  b "), idrefs.parse_value("a b"));
        assert_eq!(CompatType::Idrefs.id_kind(), IdKind::Idrefs);
        assert_eq!(CompatType::Id.id_kind(), IdKind::Id);
        assert_eq!(CompatType::Idref.id_kind(), IdKind::Idref);
    }
}
