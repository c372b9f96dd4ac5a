//! Every message rngcheck can print about a schema or a document.
//!
//! Stages build these values; only `cli` renders them. Each kind has a
//! stable code (`rngcheck::schema::...`, `rngcheck::doc::...`) because JSON
//! output and snapshots depend on it.

use crate::source::Span;
use crate::ErrorKind;

/// A fault in a schema: it cannot be loaded, or it breaks a rule of RELAX NG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// The kind, with its stable code (e.g. `rngcheck::schema::undefined_ref`).
    pub code: ErrorKind,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// Where, when known.
    pub span: Option<Span>,
}

impl SchemaError {
    /// A schema error at `span`.
    pub fn new(code: ErrorKind, message: impl Into<String>, span: Option<Span>) -> SchemaError {
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
    /// The kind, with its stable code (e.g. `rngcheck::doc::unexpected_element`).
    pub code: ErrorKind,
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
    /// Another, earlier place the message refers to (the first of a
    /// repeated element), as its distance in bytes before `span.start`;
    /// read it with [`DocError::related`]. Renderers that have the text say
    /// its line ([`DocError::related_note`]). A small distance keeps
    /// `DocError` small; one past 4 GiB leaves the note out.
    pub related_before: Option<std::num::NonZeroU32>,
}

/// `text` with each `{uri}local` name written `prefix:local` (or `local` in
/// the default namespace) where `prefix_of` knows the namespace; the XML
/// namespace is always `xml:`, bound by definition.
fn prefixed(text: &str, prefix_of: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        let uri = &rest[open + 1..close];
        let prefix = prefix_of(uri).or_else(|| (uri == crate::xml::XML_NS).then(|| "xml".into()));
        match prefix {
            Some(prefix) if prefix.is_empty() => {}
            Some(prefix) => {
                out.push_str(&prefix);
                out.push(':');
            }
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Why an I/O error happened, without Rust's "(os error N)" noise.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
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

/// Longest value quoted whole in a message; longer ones are cut with "…".
const VALUE_QUOTE_LIMIT: usize = 40;

/// A document value as a message quotes it, cut past
/// [`VALUE_QUOTE_LIMIT`] characters.
pub fn quoted_value(value: &str) -> String {
    match value.char_indices().nth(VALUE_QUOTE_LIMIT) {
        Some((cut, _)) => format!("\"{}…\"", &value[..cut]),
        None => format!("\"{value}\""),
    }
}

/// What a value failed against, gathered after the failure: the words of
/// value messages are chosen here, from these facts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueProblem {
    /// The literals an enumeration allows, sorted.
    pub literals: Vec<String>,
    /// Each failing datatype: its reason ("must be an integer", "does not
    /// match the pattern …") and the schema `define` it was written in.
    pub datatypes: Vec<(String, Option<String>)>,
    /// A `list` failed.
    pub list: bool,
}

/// The prefix of a datatype reason that quotes a raw pattern.
const PATTERN_REASON: &str = "does not match the pattern ";

impl ValueProblem {
    /// The failing datatypes' reasons, grouped by the define they were
    /// written in (in order of first appearance).
    fn by_define(&self) -> Vec<(Option<&str>, Vec<&str>)> {
        let mut groups: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
        for (reason, define) in &self.datatypes {
            let define = define.as_deref();
            match groups.iter_mut().find(|(d, _)| *d == define) {
                Some((_, reasons)) => reasons.push(reason),
                None => groups.push((define, vec![reason])),
            }
        }
        groups
    }

    /// "; must be equal to …" or "; must be a valid \"UUID\" (define …)",
    /// or nothing when nothing is known. A define's own requirements
    /// appear here only when they are one plain sentence; raw regular
    /// expressions only when no define names the type (the rest is in
    /// [`ValueProblem::details`]).
    fn requirement_clause(&self) -> String {
        let mut parts = Vec::new();
        if !self.literals.is_empty() {
            parts.push(format!(
                "must be equal to {}",
                quoted_alternatives(&self.literals)
            ));
        }
        for (define, reasons) in self.by_define() {
            match (define, reasons.as_slice()) {
                (None, reasons) => parts.extend(reasons.iter().map(|r| r.to_string())),
                (Some(d), [reason]) if !reason.starts_with(PATTERN_REASON) => {
                    parts.push(format!("{reason} (define \"{d}\")"))
                }
                (Some(d), _) => parts.push(format!("must be a valid \"{d}\" (define \"{d}\")")),
            }
        }
        if self.list {
            parts.push("must be a list of valid tokens".to_string());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("; {}", parts.join(" or "))
        }
    }

    /// What each define named in the message stands for, raw patterns
    /// included, for the hint: `"uint8" is an integer … or a string
    /// matching 0x[0-9a-fA-F]{1,2}`.
    fn details(&self) -> Option<String> {
        let details: Vec<String> = self
            .by_define()
            .into_iter()
            .filter_map(|(define, reasons)| {
                let d = define?;
                if let [reason] = reasons.as_slice() {
                    if !reason.starts_with(PATTERN_REASON) {
                        return None;
                    }
                }
                let alternatives: Vec<String> = reasons
                    .iter()
                    .map(|r| match r.strip_prefix(PATTERN_REASON) {
                        Some(pattern) => format!("a string matching {pattern}"),
                        None => r.strip_prefix("must be ").unwrap_or(r).to_string(),
                    })
                    .collect();
                Some(format!("\"{d}\" is {}", alternatives.join(" or ")))
            })
            .collect();
        (!details.is_empty()).then(|| details.join("; "))
    }
}

impl DocError {
    fn new(
        code: ErrorKind,
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
            related_before: None,
        }
    }

    /// Adds a "did you mean" hint naming `name` (before any other hint).
    pub fn did_you_mean(self, name: &str) -> DocError {
        self.did_you_mean_one_of(&[name])
    }

    /// Adds a "did you mean" hint naming the likely intended names, if
    /// there are any (before any other hint).
    pub fn did_you_mean_one_of(mut self, names: &[&str]) -> DocError {
        if names.is_empty() {
            return self;
        }
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let rest = self.help.take().map(String::from);
        self.help = Some(format!("did you mean {}?", quoted_alternatives(&names)).into());
        self.with_help(rest)
    }

    /// Adds `text` to the hint (after any hint already there).
    pub fn with_help(mut self, text: Option<String>) -> DocError {
        let Some(text) = text else {
            return self;
        };
        self.help = Some(match self.help.take() {
            Some(before) => format!("{before}; {text}").into(),
            None => text.into(),
        });
        self
    }

    /// The offset of the earlier place the message refers to, if any.
    pub fn related(&self) -> Option<usize> {
        let before = self.related_before?.get() as usize;
        self.span.start.checked_sub(before)
    }

    /// The hint that places [`DocError::related`], once a renderer knows
    /// its line and column.
    pub fn related_note(&self, line: u32, column: u32) -> Option<String> {
        self.related()?;
        Some(match self.code {
            ErrorKind::DocRepeatedElement => {
                format!("the first one is at line {line}, column {column}")
            }
            _ => format!("see line {line}, column {column}"),
        })
    }

    /// An element given again where only one is allowed; `earlier` is where
    /// the first one starts.
    pub fn repeated_element(name: &str, earlier: usize, span: std::ops::Range<usize>) -> DocError {
        let span_start = span.start;
        let mut error = DocError::new(
            ErrorKind::DocRepeatedElement,
            format!("element \"{name}\" not allowed here; \"{name}\" is already given and only one is allowed"),
            span,
            Vec::new(),
        );
        error.related_before = span_start
            .checked_sub(earlier)
            .and_then(|d| u32::try_from(d).ok())
            .and_then(std::num::NonZeroU32::new);
        error
    }

    /// Writes the names in `{uri}local` form in the message, hint and
    /// expected list with the document's own prefixes (`prefix_of` gives
    /// the prefix bound to a namespace, "" for the default one); a
    /// namespace the document binds nowhere keeps its URI.
    pub fn with_document_prefixes(
        mut self,
        prefix_of: impl Fn(&str) -> Option<String>,
    ) -> DocError {
        self.message = prefixed(&self.message, &prefix_of);
        self.help = self.help.map(|h| prefixed(&h, &prefix_of).into());
        for name in &mut self.expected {
            *name = prefixed(name, &prefix_of);
        }
        self
    }

    /// Reports the error at `offset` instead of the start of its span.
    pub fn reported_at(mut self, offset: usize) -> DocError {
        self.at = offset;
        self
    }

    /// Names the namespaces when the name found (`qname` as written, in
    /// namespace `found_ns`) is also an expected name, one with no
    /// namespace: without them, `element "domain" not allowed; expected
    /// element "domain"` reads as a contradiction. (A namespaced expected
    /// name is shown with its prefix or `{uri}`, so it never looks alike.)
    pub fn namespaces_named(mut self, found_ns: &str, qname: &str) -> DocError {
        if found_ns.is_empty() || !self.expected.iter().any(|e| e == qname) {
            return self;
        }
        self.message.push_str(&format!(
            "; \"{qname}\" is expected with no namespace, but this one is in namespace \"{found_ns}\""
        ));
        self
    }

    /// The document is not well-formed XML (or not readable as text).
    pub fn not_well_formed(reason: &str, span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            ErrorKind::DocNotWellFormed,
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
        DocError::new(ErrorKind::DocUnexpectedElement, message, span, expected)
    }

    /// Says where the element left unclosed was opened.
    pub fn with_unclosed(mut self, name: &str, line: u32, column: u32) -> DocError {
        self.message = format!(
            "{}; element \"{name}\" opened at line {line}, column {column} is not closed",
            self.message
        );
        self
    }

    /// An element allowed elsewhere in the schema, not here: where it
    /// belongs, and the wrapper element that may be missing around it.
    pub fn misplaced_element(
        name: &str,
        parents: &[String],
        wrapper: Option<&str>,
        expected: Vec<String>,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let mut message = format!(
            "element \"{name}\" not allowed here; it belongs in {}",
            parents.join(" or ")
        );
        if let Some(wrapper) = wrapper {
            message.push_str(&format!(": missing \"{wrapper}\" around it?"));
        }
        DocError::new(ErrorKind::DocMisplacedElement, message, span, expected)
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
        DocError::new(ErrorKind::DocUnknownElement, message, span, expected)
    }

    /// An attribute the schema does not allow on this element.
    /// Lists the attributes the element could still take, as jing does.
    pub fn unexpected_attribute(
        name: &str,
        element: &str,
        expected: Vec<String>,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = if expected.is_empty() {
            format!("attribute \"{name}\" not allowed here; element \"{element}\" takes no more attributes")
        } else {
            format!(
                "attribute \"{name}\" not allowed here; expected attribute {}",
                quoted_alternatives(&expected)
            )
        };
        DocError::new(ErrorKind::DocUnexpectedAttribute, message, span, expected)
    }

    /// Adds where an attribute not allowed here is allowed.
    pub fn belongs_on(self, name: &str, owners: &[String]) -> DocError {
        let hint = format!("attribute \"{name}\" belongs on {}", owners.join(" or "));
        self.with_help(Some(hint))
    }

    /// An allowed attribute with a value that does not match: names the
    /// value and what was allowed.
    pub fn invalid_attribute_value(
        name: &str,
        value: &str,
        problem: &ValueProblem,
        span: std::ops::Range<usize>,
    ) -> DocError {
        DocError::value_error(
            ErrorKind::DocInvalidAttributeValue,
            format!(
                "value {} of attribute \"{name}\" is invalid",
                quoted_value(value)
            ),
            problem,
            span,
        )
    }

    /// `lead` followed by what the value must be; the allowed literals are
    /// the expected list, a define's details the hint.
    fn value_error(
        code: ErrorKind,
        lead: String,
        problem: &ValueProblem,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = format!("{lead}{}", problem.requirement_clause());
        DocError::new(code, message, span, problem.literals.clone()).with_help(problem.details())
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
        DocError::new(ErrorKind::DocMissingAttribute, message, span, missing)
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
        DocError::new(ErrorKind::DocIncompleteElement, message, span, expected)
    }

    /// Text where only elements (or nothing) may be.
    pub fn text_not_allowed(span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            ErrorKind::DocTextNotAllowed,
            "text not allowed here".to_string(),
            span,
            Vec::new(),
        )
    }

    /// Text content that is not a valid value: names the text and what was
    /// allowed.
    pub fn invalid_text(
        element: &str,
        text: &str,
        problem: &ValueProblem,
        span: std::ops::Range<usize>,
    ) -> DocError {
        DocError::value_error(
            ErrorKind::DocInvalidText,
            format!(
                "character content {} of element \"{element}\" is invalid",
                quoted_value(text.trim_matches(crate::xml::is_xml_space))
            ),
            problem,
            span,
        )
    }

    /// An element with no content where its datatype needs a value (jing
    /// reports it as invalid character content).
    pub fn empty_content(
        element: &str,
        problem: &ValueProblem,
        span: std::ops::Range<usize>,
    ) -> DocError {
        DocError::value_error(
            ErrorKind::DocInvalidText,
            format!("element \"{element}\" is empty"),
            problem,
            span,
        )
    }

    /// An ID value used twice (DTD compatibility §4).
    pub fn duplicate_id(value: &str, span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            ErrorKind::DocDuplicateId,
            format!("ID \"{value}\" has already been defined"),
            span,
            Vec::new(),
        )
    }

    /// An IDREF naming no ID in the document (DTD compatibility §4).
    pub fn unresolved_idref(value: &str, span: std::ops::Range<usize>) -> DocError {
        DocError::new(
            ErrorKind::DocUnresolvedIdref,
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
        DocError::new(ErrorKind::DocUnexpectedRoot, message, span, expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_with_an_ellipsis() {
        assert_eq!(quoted_value("vnx"), "\"vnx\"");
        let long = "é".repeat(45);
        assert_eq!(quoted_value(&long), format!("\"{}…\"", "é".repeat(40)));
    }

    #[test]
    fn clark_names_take_the_document_prefixes() {
        let prefix_of = |uri: &str| match uri {
            "urn:q" => Some("qemu".to_string()),
            "urn:default" => Some(String::new()),
            _ => None,
        };
        assert_eq!(
            prefixed(
                r#""{urn:q}arg", "{urn:default}a" or "{urn:x}b""#,
                &prefix_of
            ),
            r#""qemu:arg", "a" or "{urn:x}b""#
        );
        assert_eq!(prefixed("no { close", &prefix_of), "no { close");
        assert_eq!(
            prefixed(
                r#"attribute "{http://www.w3.org/XML/1998/namespace}lang""#,
                &prefix_of
            ),
            r#"attribute "xml:lang""#
        );
    }

    #[test]
    fn a_define_names_a_patterned_type_and_the_pattern_goes_to_the_hint() {
        let problem = ValueProblem {
            literals: Vec::new(),
            datatypes: vec![
                (
                    "does not match the pattern 0x[0-9a-f]{1,2}".to_string(),
                    Some("uint8".to_string()),
                ),
                (
                    "must be an integer less than or equal to 255".to_string(),
                    Some("uint8".to_string()),
                ),
            ],
            list: false,
        };
        let error = DocError::invalid_attribute_value("bus", "0x100", &problem, 0..1);
        assert_eq!(
            error.message,
            r#"value "0x100" of attribute "bus" is invalid; must be a valid "uint8" (define "uint8")"#
        );
        assert_eq!(
            error.help.as_deref(),
            Some(
                r#""uint8" is a string matching 0x[0-9a-f]{1,2} or an integer less than or equal to 255"#
            )
        );
    }

    #[test]
    fn one_plain_requirement_stays_in_the_message_and_no_define_keeps_the_regex() {
        let problem = ValueProblem {
            literals: vec!["vnc".to_string()],
            datatypes: vec![
                ("must be an integer".to_string(), Some("port".to_string())),
                ("does not match the pattern [a-z]+".to_string(), None),
            ],
            list: false,
        };
        let error = DocError::invalid_text("x", " two ", &problem, 0..1).did_you_mean("vnc");
        assert_eq!(
            error.message,
            r#"character content "two" of element "x" is invalid; must be equal to "vnc" or must be an integer (define "port") or does not match the pattern [a-z]+"#
        );
        assert_eq!(error.help.as_deref(), Some(r#"did you mean "vnc"?"#));
        assert_eq!(error.expected, vec!["vnc".to_string()]);
    }

    #[test]
    fn a_repeated_element_points_back_at_the_first() {
        let error = DocError::repeated_element("name", 10, 40..50);
        assert_eq!(error.related(), Some(10));
        assert_eq!(
            error.related_note(2, 3).as_deref(),
            Some("the first one is at line 2, column 3")
        );
        assert_eq!(DocError::text_not_allowed(0..1).related_note(1, 1), None);
    }
}
