//! Small helpers over roxmltree shared by the schema and document readers.

use roxmltree::Node;

/// The byte range of `node`'s start tag, up to and including its `>`.
pub fn start_tag_range(node: Node) -> std::ops::Range<usize> {
    let range = node.range();
    let text = node.document().input_text();
    let after_attrs = node
        .attributes()
        .map(|a| a.range().end)
        .max()
        .unwrap_or(range.start + 1)
        .max(range.start);
    let end = text
        .get(after_attrs..range.end)
        .and_then(|rest| rest.find('>'))
        .map(|i| after_attrs + i + 1)
        .unwrap_or(range.end);
    range.start..end
}

/// The byte range of `node`'s end tag (the start tag itself when it is an
/// empty-element tag).
pub fn end_tag_range(node: Node) -> std::ops::Range<usize> {
    let range = node.range();
    let text = node.document().input_text();
    let whole = text.get(range.clone()).unwrap_or("");
    if whole.ends_with("/>") && !node.has_children() && !whole.contains("</") {
        return start_tag_range(node);
    }
    match whole.rfind("</") {
        Some(i) => range.start + i..range.end,
        None => range,
    }
}

/// `prefix:local` as written, or `local`.
pub fn qualified_name(node: Node) -> String {
    let tag = node.tag_name();
    match tag.namespace().and_then(|ns| node.lookup_prefix(ns)) {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", tag.name()),
        _ => tag.name().to_string(),
    }
}
