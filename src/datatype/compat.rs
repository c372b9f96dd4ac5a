//! RELAX NG DTD compatibility datatypes. (Placeholder being replaced.)

use super::{DatatypeError, IdKind, Invalid, Param};

#[derive(Clone, Debug)]
pub struct CompatType;

#[derive(Clone, Debug, PartialEq)]
pub struct CompatValue;

impl CompatType {
    pub fn lookup(name: &str, _params: &[Param]) -> Result<CompatType, DatatypeError> {
        Err(DatatypeError::UnknownType {
            library: super::COMPAT_LIBRARY.to_string(),
            name: name.to_string(),
        })
    }
    pub fn check(&self, _text: &str) -> Result<(), Invalid> {
        Ok(())
    }
    pub fn parse_value(&self, _text: &str) -> Result<CompatValue, Invalid> {
        Ok(CompatValue)
    }
    pub fn id_kind(&self) -> IdKind {
        IdKind::None
    }
}
