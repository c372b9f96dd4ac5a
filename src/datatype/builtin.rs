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

    /// Whether `text` parses to `value`, without building a value.
    pub fn matches_value(self, text: &str, value: &BuiltinValue) -> bool {
        match self {
            Builtin::String => text == value.0,
            Builtin::Token => collapses_to(text, &value.0),
        }
    }

    pub fn parse_value(self, text: &str) -> BuiltinValue {
        match self {
            Builtin::String => BuiltinValue(text.to_string()),
            Builtin::Token => BuiltinValue(collapse_whitespace(text)),
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Whether `collapse_whitespace(text) == collapsed`, for a `collapsed` that
/// is already collapsed, without building the collapsed text: its words,
/// one space between each, must be `collapsed`.
pub fn collapses_to(text: &str, collapsed: &str) -> bool {
    let mut rest = collapsed;
    let mut first = true;
    for word in text.split(is_space).filter(|w| !w.is_empty()) {
        if !first {
            match rest.strip_prefix(' ') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        first = false;
        match rest.strip_prefix(word) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether `text` is its own `collapse_whitespace`: no leading, trailing or
/// doubled space and no other whitespace character.
pub fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    let edges_ok = bytes.first() != Some(&b' ') && bytes.last() != Some(&b' ');
    edges_ok
        && !bytes.iter().any(|&b| matches!(b, b'\t' | b'\n' | b'\r'))
        && !bytes.windows(2).any(|w| w == b"  ")
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

    #[test]
    fn values_match_without_being_built() {
        let texts = [
            "", " ", "a", " a", "a ", "a b", "a  b", "\ta\nb\r", "ab", "a b c", "b a",
        ];
        for builtin in [Builtin::String, Builtin::Token] {
            for expected in texts {
                let value = builtin.parse_value(expected);
                for text in texts {
                    assert_eq!(
                        builtin.matches_value(text, &value),
                        builtin.parse_value(text) == value,
                        "{builtin:?} {text:?} against {expected:?}"
                    );
                }
            }
        }
        for text in texts {
            assert_eq!(
                is_collapsed(text),
                collapse_whitespace(text) == text,
                "{text:?}"
            );
        }
    }
}
