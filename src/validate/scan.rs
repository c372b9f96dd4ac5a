//! The fast path from a document's text to validator events: the one
//! strict scanner ([`crate::xml::scan`]) in one pass, no tree.
//!
//! Building roxmltree's tree cost as much as validating, so the documents
//! that make up nearly every CI run, the scanner's common subset of XML, are
//! scanned and fed straight to an [`EventSink`]; on anything else, and
//! anything not well-formed, [`feed`] gives up with [`Unsupported`]; the
//! caller then resets its sink and takes the tree path ([`super::events`]),
//! which decides, and words any well-formedness error, as before.
//!
//! So the contract is one-sided: whatever this accepts, roxmltree accepts
//! too, and the events fed are exactly those [`super::events::feed`] feeds
//! for it (same names, values, ranges and namespace context). Being stricter
//! than roxmltree only costs time. The tests check it by feeding both paths
//! to a recorder over hand-written cases and thousands of mutated documents.

use std::ops::Range;

use super::events::{AttributeEvent, EventSink};
use crate::datatype::Context;
use crate::xml::scan::{self, ScanSink, Scope, StartTag};

pub use crate::xml::Unsupported;

/// Feeds every event of the document `text` to `sink`, or gives up. After
/// `Err(Unsupported)` the sink has seen part of the document and must be
/// reset before anything else is fed to it.
pub fn feed<S: EventSink>(text: &str, sink: &mut S) -> Result<(), Unsupported> {
    let mut events = Events {
        sink,
        pending: None,
        text_buf: String::new(),
    };
    scan::scan(text, &mut events)
}

/// The scanner's namespace scope, as the datatypes ask for it.
struct ScopeContext<'s, 't>(Scope<'s, 't>);

impl Context for ScopeContext<'_, '_> {
    fn resolve_prefix(&self, prefix: &str) -> Option<&str> {
        self.0.lookup(prefix)
    }
}

/// Text not yet given to the sink: one run from the end of the last tag to
/// the next, across comments and processing instructions (RELAX NG's data
/// model joins them, §5).
struct PendingText<'t> {
    span: Range<usize>,
    /// The run when it is one piece of the document; `None` when it is in
    /// `Events::text_buf` (references expanded or several pieces joined).
    raw: Option<&'t str>,
}

/// The scanner's pieces as validator events.
struct Events<'k, 't, S> {
    sink: &'k mut S,
    pending: Option<PendingText<'t>>,
    text_buf: String,
}

impl<'t, S: EventSink> ScanSink<'t> for Events<'_, 't, S> {
    fn start_tag(&mut self, tag: &StartTag<'_, 't>) {
        self.flush_text(tag.parent_scope());
        let sink = &mut *self.sink;
        sink.start_tag_open(tag.ns, tag.name.local(), tag.name.whole, tag.span.clone());
        let ctx = ScopeContext(tag.scope());
        for attr in tag.attributes() {
            let event = AttributeEvent {
                ns: attr.ns,
                local: attr.name.local(),
                qname: attr.name.whole,
                value: attr.value,
                span: attr.span,
            };
            sink.attribute(event, &ctx);
        }
        sink.start_tag_close();
        if tag.empty {
            sink.end_tag(tag.span.clone());
        }
    }

    fn text(&mut self, raw: &'t str, expanded: Option<&str>, span: Range<usize>, _: Scope<'_, 't>) {
        match (&mut self.pending, expanded) {
            (None, None) => {
                self.pending = Some(PendingText {
                    span,
                    raw: Some(raw),
                })
            }
            (None, Some(text)) => {
                self.text_buf.clear();
                self.text_buf.push_str(text);
                self.pending = Some(PendingText { span, raw: None });
            }
            (Some(run), text) => {
                if let Some(first) = run.raw.take() {
                    self.text_buf.clear();
                    self.text_buf.push_str(first);
                }
                self.text_buf.push_str(text.unwrap_or(raw));
                run.span.end = span.end;
            }
        }
    }

    fn end_tag(&mut self, span: Range<usize>, scope: Scope<'_, 't>) {
        self.flush_text(scope);
        self.sink.end_tag(span);
    }
}

impl<'t, S: EventSink> Events<'_, 't, S> {
    fn flush_text(&mut self, scope: Scope<'_, 't>) {
        if let Some(run) = self.pending.take() {
            let text = run.raw.unwrap_or(&self.text_buf);
            self.sink.text(text, run.span, &ScopeContext(scope));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::events::{self, EventLog};

    fn fast(doc: &str) -> Option<Vec<String>> {
        let mut log = EventLog::for_document(doc);
        feed(doc, &mut log).ok().map(|()| log.lines)
    }

    fn tree(doc: &str) -> Option<Vec<String>> {
        let mut log = EventLog::for_document(doc);
        let parsed = events::parse_document(doc).ok()?;
        events::feed(&parsed, &mut log);
        Some(log.lines)
    }

    /// Whatever the fast path takes, the tree path takes too, with the same
    /// events. Returns whether the fast path took it.
    fn agree(doc: &str) -> bool {
        match fast(doc) {
            Some(events) => {
                assert_eq!(Some(events), tree(doc), "the paths disagree on {doc:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn takes_the_common_subset_with_the_tree_paths_events() {
        let cases = [
            "<a/>",
            "<a></a>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>x</a>\n",
            "<?xml version='1.0' standalone='yes' ?><a/>",
            "<!-- before --><?pi data?>\n<a b='1' c=\"2\">text<!-- c -->more<?p?>end</a><!-- after -->\n",
            "<d:a xmlns:d='urn:d' xmlns='urn:default' d:x='1' y='2'><b>t</b><d:c/></d:a>",
            "<a xmlns:p='urn:p'><b xmlns:p='urn:q' p:v='1'>x</b><c p:v='2'/></a>",
            "<a v='&lt;&gt;&amp;&apos;&quot;&#65;&#x42;\tx\ny'>&lt;b&gt; &#233; &#x1F600;</a>",
            "<a xml:lang='en' xmlns:x='urn:x'>q: x:name</a>",
            "<a>caf\u{e9} \u{4e2d}\u{6587}</a>",
            "<a  b = '1'\n\tc='2' ></a >",
            "<a>]]</a>",
            "<a>x > y</a>",
            "<a><b/><b></b>\n  <c>1</c>\n</a>",
        ];
        for doc in cases {
            assert!(agree(doc), "the fast path refused {doc:?}");
        }
    }

    /// What roxmltree reads unlike Namespaces in XML (so `agree` cannot
    /// check it): `p:xmlns` is an ordinary attribute in `p`'s namespace,
    /// and the `xml` prefix is bound for element names too.
    #[test]
    fn takes_what_roxmltree_misreads_as_the_spec_reads_it() {
        let cases = [
            (
                "<a xmlns:p='urn:x' p:xmlns='1'/>",
                1,
                "attribute {urn:x}xmlns p:xmlns \"1\"",
            ),
            (
                "<xml:e></xml:e>",
                0,
                "start {http://www.w3.org/XML/1998/namespace}e xml:e",
            ),
        ];
        for (doc, index, event) in cases {
            let events = fast(doc).expect("the fast path takes it");
            assert!(events[index].starts_with(event), "{events:?}");
        }
    }

    #[test]
    fn leaves_everything_else_to_the_tree_path() {
        let cases = [
            "text",
            "<a>\u{1}</a>",
            "<a>\u{fffe}</a>",
            "\u{feff}<a/>",
            "<a>&#0;</a>",
            "<a>&#xD800;</a>",
            "<a>&#;</a>",
            "<a>& b</a>",
            "<xmlns:a/>",
            "<a:b:c/>",
            "<1a/>",
            "<a b='<'/>",
            "<a b='1'c='2'/>",
            "<a b=1/>",
            "<a/>text",
            "<a><!-- x ---></a>",
            "<a><?xml version='1.0'?></a>",
            "<?xml version=\"1.1\"?><a/>",
            " <?xml version=\"1.0\"?><a/>",
            "<?xml version=\"1.0\" encoding=\"\"?><a/>",
        ];
        for &doc in crate::xml::scan::REFUSED.iter().chain(&cases) {
            assert_eq!(fast(doc), None, "the fast path took {doc:?}");
        }
    }

    /// Thousands of small edits of feature-rich documents: wherever the fast
    /// path takes one, the tree path must take it with the same events.
    #[test]
    fn mutated_documents_agree() {
        let seeds = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<d:a xmlns:d='urn:d' xmlns='urn:e' d:x='1&amp;2' y=\"a\tb\">\n  <b c='&#65;'>t&lt;u<!-- c -->v</b>\n  <d:c/><?pi x?>\n</d:a>\n<!-- end -->",
            "<a xmlns:p='urn:p' xml:lang='en'><p:b p:v='x' v='y'>caf\u{e9} &#x1F600;</p:b><c></c></a>",
        ];
        crate::xml::mutations::check(&seeds, 4000, agree);
    }
}
