//! RELAX NG's built-in datatype library (spec §6.2.9): `string` and `token`.

use super::{DatatypeError, Invalid, Param};

/// `string` compares exactly; `token` compares after collapsing whitespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    String,
    Token,
}

/// A built-in value: the (normalized) string itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltinValue(String);

impl Builtin {
    pub fn lookup(name: &str, params: &[Param]) -> Result<Builtin, DatatypeError> {
        let builtin = match name {
            "string" => Builtin::String,
            "token" => Builtin::Token,
            _ => {
                return Err(DatatypeError::UnknownType {
                    library: String::new(),
                    name: name.to_string(),
                })
            }
        };
        if !params.is_empty() {
            return Err(DatatypeError::ParamsNotAllowed {
                name: name.to_string(),
            });
        }
        Ok(builtin)
    }

    /// Every string is in both lexical spaces.
    pub fn check(self, _text: &str) -> Result<(), Invalid> {
        Ok(())
    }

    pub fn parse_value(self, text: &str) -> BuiltinValue {
        match self {
            Builtin::String => BuiltinValue(text.to_string()),
            Builtin::Token => BuiltinValue(collapse_whitespace(text)),
        }
    }
}

/// XSD whitespace `collapse`: runs of #x20 #x9 #xA #xD become one space,
/// leading and trailing ones are dropped.
pub fn collapse_whitespace(text: &str) -> String {
    // One pass into one buffer (no intermediate Vec of parts).
    let mut out = String::with_capacity(text.len());
    for part in text
        .split([' ', '\t', '\n', '\r'])
        .filter(|part| !part.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_collapses_string_does_not() {
        let token = Builtin::lookup("token", &[]).unwrap();
        assert_eq!(token.parse_value("  a \n b "), token.parse_value("a b"));
        let string = Builtin::lookup("string", &[]).unwrap();
        assert_ne!(string.parse_value(" a"), string.parse_value("a"));
        assert!(Builtin::lookup("int", &[]).is_err());
    }
}
