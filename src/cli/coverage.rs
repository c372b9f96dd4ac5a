/*!
Schema coverage reports (`--coverage`, `--coverage-json`, `--coverage-lcov`,
`--coverage-fail-under`); what an item is and how it is counted is
[`crate::coverage`]'s.

Items come merged by location (`coverage::MergedItems`): a schema file
included by several schemas (libvirt's basictypes.rng) is reported once,
with the hits of all of them.
An item is covered when a valid document (not expected invalid) matched
it; one matched only by invalid documents is reported as uncovered, and
says so.
*/

use std::collections::HashSet;
use std::io::{Seek, Write};
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

/// Writes the summary to `err` and the files asked for (`items` merged and
/// in report order, as `coverage::MergedItems` gives them); returns, when
/// coverage is below `--coverage-fail-under`, the message saying so (also
/// written to `err`), or why a file could not be written.
pub fn report(
    err: &mut dyn Write,
    items: &[CoveredItem],
    outputs: &Outputs,
) -> Result<Option<String>, String> {
    let percent = percent(covered(items), items.len());
    // The report comes after validation, so it adds to the run's time in
    // full: the files are formatted and written on threads of their own
    // while the summary is.
    let (json_written, lcov_written) = std::thread::scope(|scope| {
        let json = outputs
            .json
            .as_ref()
            .map(|path| alongside(scope, move || write_file(path, |out| json(items, out))));
        let lcov = outputs
            .lcov
            .as_ref()
            .map(|path| alongside(scope, move || write_file(path, |out| lcov(items, out))));
        // One write: standard error is unbuffered.
        let _ = err.write_all(summary(items, outputs.quiet).as_bytes());
        (json.map(Alongside::finish), lcov.map(Alongside::finish))
    });
    json_written.transpose()?;
    lcov_written.transpose()?;
    let shortfall = outputs
        .fail_under
        .filter(|&min| percent < min)
        .map(|min| format!("schema coverage {percent:.1}% is below --coverage-fail-under {min}%"));
    if let Some(message) = &shortfall {
        let _ = writeln!(err, "rngcheck: error: {message}");
    }
    Ok(shortfall)
}

/// Work started on a thread of its own, or, when no thread could be
/// started, not yet done.
enum Alongside<'scope, F> {
    Started(std::thread::ScopedJoinHandle<'scope, Result<(), String>>),
    NotStarted(F),
}

/// Starts `work` on a scoped thread (see [`Alongside::finish`]).
fn alongside<'scope, F>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    work: F,
) -> Alongside<'scope, F>
where
    F: FnOnce() -> Result<(), String> + Send + Clone + 'scope,
{
    match std::thread::Builder::new().spawn_scoped(scope, work.clone()) {
        Ok(handle) => Alongside::Started(handle),
        Err(_) => Alongside::NotStarted(work),
    }
}

impl<F: FnOnce() -> Result<(), String>> Alongside<'_, F> {
    /// The work's result: waited for, or done here.
    fn finish(self) -> Result<(), String> {
        match self {
            Alongside::Started(handle) => handle
                .join()
                .unwrap_or_else(|_| Err("writing a coverage file failed".to_string())),
            Alongside::NotStarted(work) => work(),
        }
    }
}

/// Writes a file with `write`, through a buffer (a whole coverage JSON is a
/// megabyte of fresh memory for libvirt's schemas).
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    // Written over the old file in place, then cut to length: a rerun's
    // file keeps its pages instead of freeing and taking a megabyte again.
    let opened = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path);
    let written = opened.and_then(|file| {
        // Not a pipe or a device (`/dev/stdout`): those have no length.
        let regular = file.metadata()?.is_file();
        let mut out = std::io::BufWriter::with_capacity(PIECE, file);
        write(&mut out)?;
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        if regular {
            let length = file.stream_position()?;
            file.set_len(length)?;
        }
        Ok(())
    });
    written.map_err(|e| {
        format!(
            "cannot write {}: {}",
            path.display(),
            crate::loader::io_reason(&e)
        )
    })
}

/// Bytes a coverage file's buffer gathers before writing.
const PIECE: usize = 1 << 16;

/// The items of each file, in order (`items` is sorted by file).
fn by_file<'i, 's>(items: &'i [CoveredItem<'s>]) -> impl Iterator<Item = &'i [CoveredItem<'s>]> {
    items.chunk_by(|a, b| same_file(a.file, b.file))
}

fn same_file(a: &Path, b: &Path) -> bool {
    a.as_os_str() == b.as_os_str()
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
fn ratio(covered: usize, total: usize) -> String {
    format!("{covered}/{total} ({:.1}%)", percent(covered, total))
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

/// The define an item counts towards in the summary: a define item its
/// own, any other item the one it is written in.
fn define_of<'s>(item: &CoveredItem<'s>) -> Option<&'s str> {
    match item.kind {
        ItemKind::Define => Some(item.name),
        _ => item.define,
    }
}

/// Totals per file and per define, then each uncovered item as a
/// `file:line:col: not covered: ...` line.
fn summary(items: &[CoveredItem], quiet: bool) -> String {
    use std::fmt::Write as _;
    let mut err = String::new();
    if !quiet {
        let _ = writeln!(
            err,
            "rngcheck: schema coverage: {} items matched by valid documents",
            ratio(covered(items), items.len())
        );
        for in_file in by_file(items) {
            let file = &in_file[0].file;
            let _ = writeln!(
                err,
                "  {}: {}",
                file.display(),
                ratio(covered(in_file), in_file.len())
            );
            let mut defines: Vec<(&str, bool)> = in_file
                .iter()
                .filter_map(|i| define_of(i).map(|d| (d, i.hits > 0)))
                .collect();
            defines.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for in_define in defines.chunk_by(|a, b| a.0 == b.0) {
                let covered = in_define.iter().filter(|(_, hit)| *hit).count();
                let _ = writeln!(
                    err,
                    "    define {}: {}",
                    in_define[0].0,
                    ratio(covered, in_define.len())
                );
            }
        }
    }
    for in_file in by_file(items) {
        let file = in_file[0].file.display().to_string();
        for item in in_file.iter().filter(|i| i.hits == 0) {
            let only_invalid = if item.invalid_hits > 0 {
                " (reached only by invalid documents)"
            } else {
                ""
            };
            let _ = writeln!(
                err,
                "{file}:{}:{}: not covered: {}{only_invalid}",
                item.line,
                item.column,
                describe(item)
            );
        }
    }
    err
}

/// Appends `s` as a JSON string.
fn push_json_string(out: &mut Vec<u8>, s: &str) {
    // Names and paths seldom need escaping: those are copied as they are.
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// `{"total", "covered", "percent", "items": [...]}`, one item a line.
fn json(items: &[CoveredItem], out: &mut dyn Write) -> std::io::Result<()> {
    let covered = covered(items);
    writeln!(
        out,
        "{{\"total\": {}, \"covered\": {covered}, \"percent\": {}, \"items\": [",
        items.len(),
        serde_json::Value::from(percent(covered, items.len()))
    )?;
    // One item's line, built in memory and written whole.
    let mut line = Vec::with_capacity(512);
    let mut n = 0;
    for in_file in by_file(items) {
        let mut file = Vec::new();
        push_json_string(&mut file, &in_file[0].file.display().to_string());
        for i in in_file {
            line.clear();
            line.extend_from_slice(b"{\"file\": ");
            line.extend_from_slice(&file);
            line.extend_from_slice(b", \"line\": ");
            push_number(&mut line, i.line);
            line.extend_from_slice(b", \"column\": ");
            push_number(&mut line, i.column);
            line.extend_from_slice(b", \"kind\": ");
            push_json_string(&mut line, i.kind.word());
            line.extend_from_slice(b", \"name\": ");
            push_json_string(&mut line, i.name);
            line.extend_from_slice(b", \"define\": ");
            match &i.define {
                Some(define) => push_json_string(&mut line, define),
                None => line.extend_from_slice(b"null"),
            }
            line.extend_from_slice(b", \"hits\": ");
            push_number(&mut line, i.hits);
            line.extend_from_slice(b", \"invalid_hits\": ");
            push_number(&mut line, i.invalid_hits);
            n += 1;
            line.extend_from_slice(if n < items.len() { b"},\n" } else { b"}\n" });
            out.write_all(&line)?;
        }
    }
    out.write_all(b"]}\n")
}

/// An lcov tracefile: per schema file, `FN`/`FNDA` for its defines and a
/// `DA` per line holding items. A line with several items shows the
/// smallest count, so it is covered only when all of them are.
fn lcov(items: &[CoveredItem], out: &mut dyn Write) -> std::io::Result<()> {
    // One file's records, built in memory and written whole.
    let mut text = Vec::new();
    for in_file in by_file(items) {
        text.clear();
        text.extend_from_slice(b"TN:\nSF:");
        text.extend_from_slice(in_file[0].file.display().to_string().as_bytes());
        text.push(b'\n');
        let mut seen: HashSet<&str> = HashSet::new();
        let defines: Vec<(std::borrow::Cow<str>, &CoveredItem)> = in_file
            .iter()
            .filter(|i| i.kind == ItemKind::Define)
            .map(|i| {
                // Function names must be unique in a file (nested grammars
                // may reuse one).
                let name = if seen.insert(i.name) {
                    i.name.into()
                } else {
                    format!("{}@{}", i.name, i.line).into()
                };
                (name, i)
            })
            .collect();
        for (name, item) in &defines {
            lcov_record(&mut text, "FN:", item.line, name);
        }
        for (name, item) in &defines {
            lcov_record(&mut text, "FNDA:", item.hits, name);
        }
        let hit = defines.iter().filter(|(_, i)| i.hits > 0).count();
        lcov_record(&mut text, "FNF:", defines.len(), "");
        lcov_record(&mut text, "FNH:", hit, "");
        // Items are in line order: each line's smallest count.
        let mut lines: Vec<(u32, u64)> = Vec::new();
        for item in in_file {
            match lines.last_mut() {
                Some((line, count)) if *line == item.line => *count = (*count).min(item.hits),
                _ => lines.push((item.line, item.hits)),
            }
        }
        for &(line, hits) in &lines {
            text.extend_from_slice(b"DA:");
            push_number(&mut text, line);
            text.push(b',');
            push_number(&mut text, hits);
            text.push(b'\n');
        }
        let lines_hit = lines.iter().filter(|(_, h)| *h > 0).count();
        lcov_record(&mut text, "LF:", lines.len(), "");
        lcov_record(&mut text, "LH:", lines_hit, "");
        text.extend_from_slice(b"end_of_record\n");
        out.write_all(&text)?;
    }
    Ok(())
}

/// One lcov line: `tag`, the number, then `,name` when there is a name.
fn lcov_record(out: &mut Vec<u8>, tag: &str, n: impl itoa::Integer, name: &str) {
    out.extend_from_slice(tag.as_bytes());
    push_number(out, n);
    if !name.is_empty() {
        out.push(b',');
        out.extend_from_slice(name.as_bytes());
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(line: u32, kind: ItemKind, name: &str, hits: u64) -> CoveredItem<'_> {
        CoveredItem {
            file: Path::new("s.rng"),
            line,
            column: 3,
            kind,
            name,
            define: Some("d"),
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
        let mut bytes = Vec::new();
        lcov(&items, &mut bytes).expect("written to memory");
        let text = String::from_utf8(bytes).expect("lcov is UTF-8");
        assert!(text.contains("SF:s.rng\nFN:1,d\nFNDA:4,d\nFNF:1\nFNH:1\n"));
        assert!(text.contains("DA:1,4\nDA:2,0\nDA:3,2\nLF:3\nLH:2\nend_of_record\n"));
    }

    #[test]
    fn json_strings_escaped_only_where_needed() {
        for s in ["plain/path.rng", "a \"q\" and \\", "tab\there", "é ü"] {
            let mut out = Vec::new();
            push_json_string(&mut out, s);
            let back: String = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, s);
        }
    }

    #[test]
    fn described_with_kind_name_and_define() {
        assert_eq!(
            describe(&item(2, ItemKind::Element, "a", 1)),
            "element \"a\" in define d"
        );
        assert_eq!(describe(&item(1, ItemKind::Define, "d", 1)), "define \"d\"");
        assert_eq!(
            describe(&item(3, ItemKind::Optional, "", 0)),
            "optional in define d"
        );
    }
}
