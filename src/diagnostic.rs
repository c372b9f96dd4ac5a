//! Every message rngcheck can print about a schema or a document.
//!
//! Stages build these values; only `cli` renders them. Each kind has a
//! stable code (`rngcheck::schema::...`, `rngcheck::doc::...`) because JSON
//! output and snapshots depend on it.

use crate::source::Span;

/// A fault in a schema: it cannot be loaded, or it breaks a rule of RELAX NG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// Stable code, e.g. `rngcheck::schema::undefined_ref`.
    pub code: &'static str,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// Where, when known.
    pub span: Option<Span>,
}

impl SchemaError {
    /// A schema error at `span`.
    pub fn new(code: &'static str, message: impl Into<String>, span: Option<Span>) -> SchemaError {
        SchemaError {
            code,
            message: message.into(),
            span,
        }
    }
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A fault in a document: not well-formed, or not valid against the schema.
/// Positions are byte ranges in the document's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocError {
    /// Stable code, e.g. `rngcheck::doc::unexpected_element`.
    pub code: &'static str,
    /// The message, in jing's manner.
    pub message: String,
    /// Where in the document (the start tag, the attribute value, the text).
    pub span: std::ops::Range<usize>,
    /// The offset whose line and column are reported: where a streaming
    /// parser notices the problem (for attributes and start tags, the end
    /// of the start tag, as jing and xmllint report it).
    pub at: usize,
    /// What would have been accepted there (names, values), for tools.
    pub expected: Vec<String>,
    /// A suggestion, e.g. `did you mean "source"?` for a misspelt name.
    pub help: Option<Box<str>>,
    /// Line and column (1-based, columns in characters) of `at`, when the
    /// producer knows them without the text: streaming validation fills it
    /// in, since it keeps no copy of the document to count lines in later.
    pub line_col: Option<(u32, u32)>,
}

/// Where a name is: `with no namespace` or `in namespace "uri"`.
fn namespace_phrase(ns: &str) -> String {
    if ns.is_empty() {
        "with no namespace".to_string()
    } else {
        format!("in namespace \"{ns}\"")
    }
}

/// Joins quoted alternatives the way people write them: `"a", "b" or "c"`.
pub fn quoted_alternatives(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Joins quoted names that are all needed: `"a", "b" and "c"`.
pub fn quoted_all(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

impl DocError {
    fn new(
        code: &'static str,
        message: String,
        span: std::ops::Range<usize>,
        expected: Vec<String>,
    ) -> DocError {
        DocError {
            code,
            message,
            at: span.start,
            span,
            expected,
            help: None,
            line_col: None,
        }
    }

    /// Adds a "did you mean" hint naming `name`.
    pub fn did_you_mean(mut self, name: &str) -> DocError {
        self.help = Some(format!("did you mean \"{name}\"?").into());
        self
    }

    /// Reports the error at `offset` instead of the start of its span.
    pub fn reported_at(mut self, offset: usize) -> DocError {
        self.at = offset;
        self
    }

    /// Names the namespaces when an expected element has the local name of
    /// the one found (in namespace `found_ns`) but another namespace:
    /// without them, `element "domain" not allowed; expected element
    /// "domain"` reads as a contradiction.
    pub fn namespaces_named(mut self, found_ns: &str, local: &str) -> DocError {
        let mut theirs: Vec<&str> = self
            .expected
            .iter()
            .filter_map(
                |name| match name.strip_prefix('{').and_then(|r| r.split_once('}')) {
                    Some((ns, l)) => (l == local).then_some(ns),
                    None => (name == local).then_some(""),
                },
            )
            .filter(|&ns| ns != found_ns)
            .collect();
        if theirs.is_empty() {
            return self;
        }
        theirs.dedup();
        let theirs: Vec<String> = theirs.into_iter().map(namespace_phrase).collect();
        let found = if found_ns.is_empty() {
            "has no namespace".to_string()
        } else {
            format!("is in namespace \"{found_ns}\"")
        };
        self.message.push_str(&format!(
            "; \"{local}\" is expected {}, but this one {found}",
            theirs.join(" or ")
        ));
        self
    }

    /// The document is not well-formed XML (or not readable as text).
    pub fn not_well_formed(reason: &str, span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            "rngcheck::doc::not_well_formed",
            format!("not well-formed: {reason}"),
            span,
            Vec::new(),
        )
    }

    /// An element the schema does not allow at this point.
    pub fn unexpected_element(
        name: &str,
        expected: Vec<String>,
        at_end: bool,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = if !expected.is_empty() {
            format!(
                "element \"{name}\" not allowed here; expected element {}",
                quoted_alternatives(&expected)
            )
        } else if at_end {
            format!("element \"{name}\" not allowed here; expected the element end-tag")
        } else {
            format!("element \"{name}\" not allowed here")
        };
        DocError::new("rngcheck::doc::unexpected_element", message, span, expected)
    }

    /// An element with a name the schema never mentions anywhere.
    pub fn unknown_element(
        name: &str,
        expected: Vec<String>,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = if expected.is_empty() {
            format!("element \"{name}\" not allowed anywhere")
        } else {
            format!(
                "element \"{name}\" not allowed anywhere; expected element {}",
                quoted_alternatives(&expected)
            )
        };
        DocError::new("rngcheck::doc::unknown_element", message, span, expected)
    }

    /// An attribute the schema does not allow on this element.
    pub fn unexpected_attribute(name: &str, span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            "rngcheck::doc::unexpected_attribute",
            format!("attribute \"{name}\" not allowed here"),
            span,
            Vec::new(),
        )
    }

    /// An allowed attribute with a value that does not match.
    pub fn invalid_attribute_value(
        name: &str,
        reason: &str,
        expected: Vec<String>,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = if reason.is_empty() {
            format!("value of attribute \"{name}\" is invalid")
        } else {
            format!("value of attribute \"{name}\" is invalid; {reason}")
        };
        DocError::new(
            "rngcheck::doc::invalid_attribute_value",
            message,
            span,
            expected,
        )
    }

    /// Required attributes missing from a start tag.
    pub fn missing_attribute(
        element: &str,
        missing: Vec<String>,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = match missing.len() {
            0 => format!("element \"{element}\" missing required attributes"),
            1 => format!("element \"{element}\" missing required attribute \"{}\"", missing[0]),
            _ => format!("element \"{element}\" missing one or more required attributes; expected attribute {}", quoted_alternatives(&missing)),
        };
        DocError::new("rngcheck::doc::missing_attribute", message, span, missing)
    }

    /// An element ended before its content was complete.
    pub fn incomplete_element(
        element: &str,
        required: Vec<String>,
        expected: Vec<String>,
        expects_text: bool,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = match (required.len(), expected.len()) {
            (1, _) => format!(
                "element \"{element}\" incomplete; missing required element \"{}\"",
                required[0]
            ),
            (n, _) if n > 1 => format!(
                "element \"{element}\" incomplete; missing required elements {}",
                quoted_all(&required)
            ),
            (_, 0) if expects_text => format!("element \"{element}\" incomplete; expected text"),
            (_, 0) => format!("element \"{element}\" incomplete"),
            (_, 1) => format!(
                "element \"{element}\" incomplete; missing required element \"{}\"",
                expected[0]
            ),
            _ => format!(
                "element \"{element}\" incomplete; expected element {}",
                quoted_alternatives(&expected)
            ),
        };
        let expected = if required.is_empty() {
            expected
        } else {
            required
        };
        DocError::new("rngcheck::doc::incomplete_element", message, span, expected)
    }

    /// Text where only elements (or nothing) may be.
    pub fn text_not_allowed(span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            "rngcheck::doc::text_not_allowed",
            "text not allowed here".to_string(),
            span,
            Vec::new(),
        )
    }

    /// Text content that is not a valid value.
    pub fn invalid_text(
        element: &str,
        reason: &str,
        expected: Vec<String>,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = if reason.is_empty() {
            format!("character content of element \"{element}\" invalid")
        } else {
            format!("character content of element \"{element}\" invalid; {reason}")
        };
        DocError::new("rngcheck::doc::invalid_text", message, span, expected)
    }

    /// An ID value used twice (DTD compatibility §4).
    pub fn duplicate_id(value: &str, span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            "rngcheck::doc::duplicate_id",
            format!("ID \"{value}\" has already been defined"),
            span,
            Vec::new(),
        )
    }

    /// An IDREF naming no ID in the document (DTD compatibility §4).
    pub fn unresolved_idref(value: &str, span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            "rngcheck::doc::unresolved_idref",
            format!("IDREF \"{value}\" without matching ID"),
            span,
            Vec::new(),
        )
    }

    /// The document's root element is not the one the schema starts with.
    pub fn bad_root(name: &str, expected: Vec<String>, span: std::ops::Range<usize>) -> DocError {
        let message = if expected.is_empty() {
            format!("element \"{name}\" not allowed as the document element")
        } else {
            format!(
                "element \"{name}\" not allowed as the document element; expected element {}",
                quoted_alternatives(&expected)
            )
        };
        DocError::new("rngcheck::doc::unexpected_root", message, span, expected)
    }
}
