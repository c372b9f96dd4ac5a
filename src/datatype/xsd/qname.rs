//! Qualified names: XSD-2 §3.2.18 QName and §3.2.19 NOTATION. A value is
//! the pair (namespace URI, local name), with the prefix resolved through
//! the namespace context of the text, so `x:foo` and `z:foo` are equal when
//! `x` and `z` are bound to the same URI.

use super::chars::is_ncname;
use crate::datatype::Context;
use crate::xml::XML_NS;

/// A resolved QName; `namespace` is empty for no namespace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QName {
    pub namespace: String,
    pub local: String,
}

/// Parses a (collapsed) `prefix:local` or `local`; an unprefixed name takes
/// the default namespace, as in element names. The `xml` prefix needs no
/// declaration: Namespaces in XML §3 binds it by definition (and forbids
/// binding it to anything else), so `xml:lang` is a QName in any context.
/// The error completes "value is invalid; ...".
pub fn parse_qname(text: &str, ctx: &dyn Context, type_name: &str) -> Result<QName, String> {
    let (prefix, local) = match text.split_once(':') {
        Some((prefix, local)) => (Some(prefix), local),
        None => (None, text),
    };
    if !is_ncname(local) || prefix.is_some_and(|p| !is_ncname(p)) {
        return Err(format!(
            "must be a valid {type_name} (a name with an optional prefix)"
        ));
    }
    let namespace = match prefix {
        Some("xml") => XML_NS.to_string(),
        Some(prefix) => match ctx.resolve_prefix(prefix) {
            Some(uri) => uri.to_string(),
            None => return Err(format!("uses the undeclared namespace prefix \"{prefix}\"")),
        },
        None => ctx.resolve_prefix("").unwrap_or("").to_string(),
    };
    Ok(QName {
        namespace,
        local: local.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::check_rows;
    use super::*;

    struct Ctx;
    impl Context for Ctx {
        fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
            match prefix {
                "x" | "z" => Some("http://www.example.com"),
                "y" => Some("http://www.example.com/"),
                _ => None,
            }
        }
    }

    #[test]
    fn qnames() {
        let rows: &[(&str, bool)] = &[
            ("foo", true),
            ("x:foo", true),
            // Bound by definition, whatever the context declares.
            ("xml:lang", true),
            ("x::foo", false),
            ("w:foo", false),
            (":foo", false),
            ("foo:", false),
            ("1x", false),
            ("", false),
        ];
        check_rows(rows, |text| parse_qname(text, &Ctx, "QName").is_ok());
        let q = |s: &str| parse_qname(s, &Ctx, "QName").ok();
        assert_eq!(q("x:foo"), q("z:foo"));
        assert_ne!(q("x:foo"), q("y:foo"));
        assert_ne!(q("x:foo"), q("foo"));
        assert_eq!(q("xml:lang").map(|q| q.namespace), Some(XML_NS.to_string()));
        assert_eq!(
            parse_qname("w:a", &Ctx, "QName"),
            Err("uses the undeclared namespace prefix \"w\"".to_string())
        );
    }
}
