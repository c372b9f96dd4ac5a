//! From schema files to the spec's simple form: files are followed
//! ([`include`]), then grammars are lowered to the interned arena
//! (`pattern::lower`) and the §7 restrictions are checked
//! (`pattern::restrict`).

pub mod include;
