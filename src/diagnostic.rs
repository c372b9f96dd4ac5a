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
    /// Another, earlier place the message refers to (the first of a
    /// repeated element), as its distance in bytes before `span.start`;
    /// read it with [`DocError::related`]. Renderers that have the text say
    /// its line ([`DocError::related_note`]). A small distance keeps
    /// `DocError` small; one past 4 GiB leaves the note out.
    pub related_before: Option<std::num::NonZeroU32>,
}

/// `text` with each `{uri}local` name written `prefix:local` (or `local` in
/// the default namespace) where `prefix_of` knows the namespace.
fn prefixed(text: &str, prefix_of: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        let uri = &rest[open + 1..close];
        match prefix_of(uri) {
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
    /// "; must be equal to …" or "; must be a valid \"UUID\" (define …)",
    /// or nothing when nothing is known. A raw regular expression appears
    /// only when no define names the type (see [`ValueProblem::details`]).
    fn requirement_clause(&self) -> String {
        let mut parts = Vec::new();
        if !self.literals.is_empty() {
            parts.push(format!(
                "must be equal to {}",
                quoted_alternatives(&self.literals)
            ));
        }
        for (reason, define) in &self.datatypes {
            let part = match define {
                Some(d) if reason.starts_with(PATTERN_REASON) => {
                    format!("must be a valid \"{d}\" (define \"{d}\")")
                }
                Some(d) => format!("{reason} (define \"{d}\")"),
                None => reason.clone(),
            };
            if !parts.contains(&part) {
                parts.push(part);
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

    /// The raw patterns behind named defines, for the hint.
    fn details(&self) -> Option<String> {
        let mut by_define: Vec<(&str, Vec<&str>)> = Vec::new();
        for (reason, define) in &self.datatypes {
            if let (Some(d), Some(pattern)) = (define, reason.strip_prefix(PATTERN_REASON)) {
                match by_define.iter_mut().find(|(name, _)| name == d) {
                    Some((_, patterns)) => patterns.push(pattern),
                    None => by_define.push((d, vec![pattern])),
                }
            }
        }
        let details: Vec<String> = by_define
            .iter()
            .map(|(d, patterns)| format!("\"{d}\" is a string matching {}", patterns.join(" or ")))
            .collect();
        (!details.is_empty()).then(|| details.join("; "))
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
            related_before: None,
        }
    }

    /// Adds a "did you mean" hint naming `name`.
    /// (before any other hint).
    pub fn did_you_mean(mut self, name: &str) -> DocError {
        let rest = self.help.take().map(String::from);
        self.help = Some(format!("did you mean \"{name}\"?").into());
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
            "rngcheck::doc::repeated_element" => {
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
            "rngcheck::doc::repeated_element",
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
        DocError::new("rngcheck::doc::misplaced_element", message, span, expected)
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
        DocError::new(
            "rngcheck::doc::unexpected_attribute",
            message,
            span,
            expected,
        )
    }

    /// An allowed attribute with a value that does not match: names the
    /// value and what was allowed.
    pub fn invalid_attribute_value(
        name: &str,
        value: &str,
        problem: &ValueProblem,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = format!(
            "value {} of attribute \"{name}\" is invalid{}",
            quoted_value(value),
            problem.requirement_clause()
        );
        DocError::new(
            "rngcheck::doc::invalid_attribute_value",
            message,
            span,
            problem.literals.clone(),
        )
        .with_help(problem.details())
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

    /// Text content that is not a valid value: names the text and what was
    /// allowed.
    pub fn invalid_text(
        element: &str,
        text: &str,
        problem: &ValueProblem,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = format!(
            "character content {} of element \"{element}\" is invalid{}",
            quoted_value(text.trim_matches(crate::xml::is_xml_space)),
            problem.requirement_clause()
        );
        DocError::new(
            "rngcheck::doc::invalid_text",
            message,
            span,
            problem.literals.clone(),
        )
        .with_help(problem.details())
    }

    /// An element with no content where its datatype needs a value (jing
    /// reports it as invalid character content).
    pub fn empty_content(
        element: &str,
        problem: &ValueProblem,
        span: std::ops::Range<usize>,
    ) -> DocError {
        let message = format!(
            "element \"{element}\" is empty{}",
            problem.requirement_clause()
        );
        DocError::new(
            "rngcheck::doc::invalid_text",
            message,
            span,
            problem.literals.clone(),
        )
        .with_help(problem.details())
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
