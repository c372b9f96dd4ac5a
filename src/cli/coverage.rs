/*!
Schema coverage reports (`--coverage`, `--coverage-json`, `--coverage-lcov`,
`--coverage-fail-under`); what an item is and how it is counted is
[`crate::coverage`]'s.

Items are merged by location: a schema file included by several schemas
(libvirt's basictypes.rng) is reported once, with the hits of all of them.
An item is covered when a valid document (not expected invalid) matched
it; one matched only by invalid documents is reported as uncovered, and
says so.
*/

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::coverage::{CoveredItem, ItemKind};

/// Where coverage goes besides the summary on standard error.
#[derive(Debug, Default)]
pub struct Outputs {
    /// `--coverage-json FILE`.
    pub json: Option<PathBuf>,
    /// `--coverage-lcov FILE`.
    pub lcov: Option<PathBuf>,
    /// `--coverage-fail-under PCT`.
    pub fail_under: Option<f64>,
    /// `--quiet`: no summary (the uncovered items are still listed).
    pub quiet: bool,
}

/// Writes the summary to `err` and the files asked for; returns whether
/// coverage is at least `--coverage-fail-under` (true without it), or why
/// a file could not be written.
pub fn report(
    err: &mut dyn Write,
    items: Vec<CoveredItem>,
    outputs: &Outputs,
) -> Result<bool, String> {
    let items = merge(items);
    let percent = percent(covered(&items), items.len());
    // One write: standard error is unbuffered.
    let _ = err.write_all(summary(&items, outputs.quiet).as_bytes());
    if let Some(path) = &outputs.json {
        write_file(path, &json(&items))?;
    }
    if let Some(path) = &outputs.lcov {
        write_file(path, &lcov(&items))?;
    }
    let enough = outputs.fail_under.is_none_or(|min| percent >= min);
    if !enough {
        let _ = writeln!(
            err,
            "rngcheck: error: schema coverage {percent:.1}% is below --coverage-fail-under {}%",
            outputs.fail_under.unwrap_or(0.0)
        );
    }
    Ok(enough)
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| {
        format!(
            "cannot write {}: {}",
            path.display(),
            crate::loader::io_reason(&e)
        )
    })
}

/// One item per location, kind and name, with the hits of every schema
/// it was compiled into; in file and position order. (Files compare as
/// bytes: comparing paths component by component was most of the cost.)
fn merge(mut items: Vec<CoveredItem>) -> Vec<CoveredItem> {
    let key = |i: &CoveredItem| {
        (
            i.file.as_os_str().as_encoded_bytes().to_vec(),
            i.line,
            i.column,
            i.kind,
            i.name.clone(),
        )
    };
    items.sort_by_cached_key(key);
    let mut merged: Vec<CoveredItem> = Vec::with_capacity(items.len());
    for item in items {
        match merged.last_mut() {
            Some(seen)
                if seen.line == item.line
                    && seen.column == item.column
                    && seen.kind == item.kind
                    && seen.name == item.name
                    && seen.file == item.file =>
            {
                seen.hits += item.hits;
                seen.invalid_hits += item.invalid_hits;
            }
            _ => merged.push(item),
        }
    }
    merged
}

/// The items of each file, in order (`items` is sorted by file).
fn by_file(items: &[CoveredItem]) -> impl Iterator<Item = &[CoveredItem]> {
    items.chunk_by(|a, b| a.file == b.file)
}

fn covered(items: &[CoveredItem]) -> usize {
    items.iter().filter(|i| i.hits > 0).count()
}

fn percent(covered: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / total as f64
    }
}

/// `covered/total (pct%)`.
fn ratio(items: &[&CoveredItem]) -> String {
    let covered = items.iter().filter(|i| i.hits > 0).count();
    format!(
        "{covered}/{} ({:.1}%)",
        items.len(),
        percent(covered, items.len())
    )
}

/// How an item reads: `element "backingStore" in define diskBackingStoreLast`.
fn describe(item: &CoveredItem) -> String {
    let mut text = match item.kind {
        ItemKind::Optional | ItemKind::ZeroOrMore => item.kind.word().to_string(),
        ItemKind::Branch => format!("{} ({})", item.kind.word(), item.name),
        _ => format!("{} \"{}\"", item.kind.word(), item.name),
    };
    if let (Some(define), false) = (&item.define, item.kind == ItemKind::Define) {
        text.push_str(" in define ");
        text.push_str(define);
    }
    text
}

/// Totals per file and per define, then each uncovered item as a
/// `file:line:col: not covered: ...` line.
fn summary(items: &[CoveredItem], quiet: bool) -> String {
    use std::fmt::Write as _;
    let mut err = String::new();
    if !quiet {
        let all: Vec<&CoveredItem> = items.iter().collect();
        let _ = writeln!(
            err,
            "rngcheck: schema coverage: {} items matched by valid documents",
            ratio(&all)
        );
        for in_file in by_file(items) {
            let file = &in_file[0].file;
            let in_file: Vec<&CoveredItem> = in_file.iter().collect();
            let _ = writeln!(err, "  {}: {}", file.display(), ratio(&in_file));
            let mut defines: BTreeMap<&str, Vec<&CoveredItem>> = BTreeMap::new();
            for item in in_file {
                let name = match (&item.define, item.kind) {
                    (_, ItemKind::Define) => Some(item.name.as_str()),
                    (Some(define), _) => Some(define.as_str()),
                    (None, _) => None,
                };
                if let Some(name) = name {
                    defines.entry(name).or_default().push(item);
                }
            }
            for (name, in_define) in &defines {
                let _ = writeln!(err, "    define {name}: {}", ratio(in_define));
            }
        }
    }
    for item in items.iter().filter(|i| i.hits == 0) {
        let only_invalid = if item.invalid_hits > 0 {
            " (reached only by invalid documents)"
        } else {
            ""
        };
        let _ = writeln!(
            err,
            "{}:{}:{}: not covered: {}{only_invalid}",
            item.file.display(),
            item.line,
            item.column,
            describe(item)
        );
    }
    err
}

/// `{"total", "covered", "percent", "items": [...]}`, one item a line.
fn json(items: &[CoveredItem]) -> String {
    use std::fmt::Write as _;
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let covered = covered(items);
    let mut out = format!(
        "{{\"total\": {}, \"covered\": {covered}, \"percent\": {}, \"items\": [\n",
        items.len(),
        serde_json::Value::from(percent(covered, items.len()))
    );
    for (n, i) in items.iter().enumerate() {
        let define = i.define.as_deref().map_or("null".to_string(), quote);
        let _ = writeln!(
            out,
            "{{\"file\": {}, \"line\": {}, \"column\": {}, \"kind\": {}, \"name\": {}, \
             \"define\": {define}, \"hits\": {}, \"invalid_hits\": {}}}{}",
            quote(&i.file.display().to_string()),
            i.line,
            i.column,
            quote(i.kind.word()),
            quote(&i.name),
            i.hits,
            i.invalid_hits,
            if n + 1 < items.len() { "," } else { "" }
        );
    }
    out.push_str("]}\n");
    out
}

/// An lcov tracefile: per schema file, `FN`/`FNDA` for its defines and a
/// `DA` per line holding items. A line with several items shows the
/// smallest count, so it is covered only when all of them are.
fn lcov(items: &[CoveredItem]) -> String {
    let mut out = String::new();
    for in_file in by_file(items) {
        let file = &in_file[0].file;
        out.push_str(&format!("TN:\nSF:{}\n", file.display()));
        let mut names: Vec<String> = Vec::new();
        let defines: Vec<(String, &CoveredItem)> = in_file
            .iter()
            .filter(|i| i.kind == ItemKind::Define)
            .map(|i| {
                // Function names must be unique in a file (nested grammars
                // may reuse one).
                let name = if names.contains(&i.name) {
                    format!("{}@{}", i.name, i.line)
                } else {
                    i.name.clone()
                };
                names.push(name.clone());
                (name, i)
            })
            .collect();
        for (name, item) in &defines {
            out.push_str(&format!("FN:{},{name}\n", item.line));
        }
        for (name, item) in &defines {
            out.push_str(&format!("FNDA:{},{name}\n", item.hits));
        }
        let hit = defines.iter().filter(|(_, i)| i.hits > 0).count();
        out.push_str(&format!("FNF:{}\nFNH:{hit}\n", defines.len()));
        let mut lines: BTreeMap<u32, u64> = BTreeMap::new();
        for item in in_file {
            let count = lines.entry(item.line).or_insert(u64::MAX);
            *count = (*count).min(item.hits);
        }
        for (line, hits) in &lines {
            out.push_str(&format!("DA:{line},{hits}\n"));
        }
        let lines_hit = lines.values().filter(|&&h| h > 0).count();
        out.push_str(&format!(
            "LF:{}\nLH:{lines_hit}\nend_of_record\n",
            lines.len()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(line: u32, kind: ItemKind, name: &str, hits: u64) -> CoveredItem {
        CoveredItem {
            file: PathBuf::from("s.rng"),
            line,
            column: 3,
            kind,
            name: name.to_string(),
            define: Some("d".to_string()),
            hits,
            invalid_hits: 0,
        }
    }

    #[test]
    fn lcov_lines_take_the_smallest_count() {
        let items = vec![
            item(1, ItemKind::Define, "d", 4),
            item(2, ItemKind::Element, "a", 4),
            item(2, ItemKind::Attribute, "b", 0),
            item(3, ItemKind::Value, "v", 2),
        ];
        let text = lcov(&items);
        assert!(text.contains("SF:s.rng\nFN:1,d\nFNDA:4,d\nFNF:1\nFNH:1\n"));
        assert!(text.contains("DA:1,4\nDA:2,0\nDA:3,2\nLF:3\nLH:2\nend_of_record\n"));
    }

    #[test]
    fn merged_by_location_with_summed_hits() {
        let merged = merge(vec![
            item(2, ItemKind::Element, "a", 1),
            item(2, ItemKind::Element, "a", 2),
        ]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].hits, 3);
        assert_eq!(describe(&merged[0]), "element \"a\" in define d");
    }
}
