/*!
Negative tests pinned to their error: the expected-errors file
(`--expected-errors FILE`, config key `expected_errors`).

An expected-invalid document passes only if its first error is the one
pinned for it: same line, column, error code and offending name (the
element or attribute the error's span starts with). A negative test that
breaks for an unrelated reason then fails the run instead of passing
silently. `--bless` writes the file from the current run, as rustc's
`--bless` and trybuild's overwrite mode do.

The file is plain text, one document a line, sorted by document, so a
change to one test is a one-line diff:

```text
# comment lines start with '#'
tests/domainschemadata/foo-invalid.xml<TAB>12:5<TAB>rngcheck::doc::unexpected_element<TAB>backingStore
```

Fields are separated by tabs (shown as `<TAB>`): the document's path relative to the config's
root (the current directory without a config, `/` as separator), then
`line:column`, the code, and the name (`-` when the error is about text).
*/

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::source::SourceFile;
use crate::validate::Outcome;

/// The first lines of a blessed file.
const HEADER: &str =
    "# rngcheck expected errors: each expected-invalid document and its first error\n\
# (line:column, error code, offending name), tab-separated. Regenerate with --bless.\n";

/// A document's first error, as pinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// 1-based line of the error.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The error's stable code.
    pub code: String,
    /// The element or attribute the error is about, `-` for text.
    pub name: String,
}

impl std::fmt::Display for Pin {
    /// How a pin reads in messages: `12:5 rngcheck::doc::... "name"`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{} {} \"{}\"",
            self.line, self.column, self.code, self.name
        )
    }
}

impl Pin {
    fn line(&self, key: &str) -> String {
        format!(
            "{key}\t{}:{}\t{}\t{}\n",
            self.line, self.column, self.code, self.name
        )
    }
}

/// The pinned errors, by document key.
#[derive(Debug, Default)]
pub struct Pins {
    /// The file they were read from (and are blessed into).
    pub path: PathBuf,
    entries: BTreeMap<String, Pin>,
}

impl Pins {
    /// Reads `path`; a missing file is empty when `blessing` (it is about
    /// to be written), an error otherwise.
    pub fn load(path: &Path, blessing: bool) -> Result<Pins, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Pins::parse(path, &text),
            Err(e) if blessing && e.kind() == std::io::ErrorKind::NotFound => Ok(Pins {
                path: path.to_path_buf(),
                entries: BTreeMap::new(),
            }),
            Err(e) => Err(format!(
                "cannot read expected errors {}: {}{}",
                path.display(),
                crate::loader::io_reason(&e),
                if e.kind() == std::io::ErrorKind::NotFound {
                    " (--bless writes it)"
                } else {
                    ""
                }
            )),
        }
    }

    /// Parses the file's `text` (read from `path`).
    pub fn parse(path: &Path, text: &str) -> Result<Pins, String> {
        let mut entries = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || {
                format!(
                    "{}:{}: expected DOCUMENT<TAB>LINE:COLUMN<TAB>CODE<TAB>NAME",
                    path.display(),
                    n + 1
                )
            };
            let fields: Vec<&str> = line.split('\t').collect();
            let [key, position, code, name] = fields[..] else {
                return Err(bad());
            };
            let (line_no, column) = position.split_once(':').ok_or_else(bad)?;
            let pin = Pin {
                line: line_no.parse().map_err(|_| bad())?,
                column: column.parse().map_err(|_| bad())?,
                code: code.to_string(),
                name: name.to_string(),
            };
            if entries.insert(key.to_string(), pin).is_some() {
                return Err(format!(
                    "{}:{}: {key} is pinned twice",
                    path.display(),
                    n + 1
                ));
            }
        }
        Ok(Pins {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// The pin of the document `key`.
    pub fn get(&self, key: &str) -> Option<&Pin> {
        self.entries.get(key)
    }

    /// The file after a run: the documents checked get their error from
    /// `run` (none when they no longer fail as expected); the others keep
    /// theirs while their file still exists under `root`. Sorted.
    pub fn blessed(&self, run: &BTreeMap<String, Option<Pin>>, root: &Path) -> (String, usize) {
        let mut merged: BTreeMap<&str, &Pin> = self
            .entries
            .iter()
            .filter(|(key, _)| !run.contains_key(*key) && root.join(key).exists())
            .map(|(key, pin)| (key.as_str(), pin))
            .collect();
        for (key, pin) in run {
            if let Some(pin) = pin {
                merged.insert(key, pin);
            }
        }
        let mut text = HEADER.to_string();
        for (key, pin) in &merged {
            text.push_str(&pin.line(key));
        }
        (text, merged.len())
    }
}

/// A document's key: its path relative to `root` (as given when it is not
/// below it), with `/` separators and no `.` components.
pub fn doc_key(path: &Path, root: &Path) -> String {
    let clean =
        |p: &Path| -> PathBuf { p.components().filter(|c| *c != Component::CurDir).collect() };
    let path = clean(path);
    let root = clean(root);
    let relative = path.strip_prefix(&root).unwrap_or(&path);
    let key = relative.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        key.into_owned()
    } else {
        key.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// The pin of a failing document: its first error (errors come sorted by
/// position), with the name its span starts with.
pub fn first_error(text: &str, outcome: &Outcome) -> Option<Pin> {
    let error = match outcome {
        Outcome::Valid => return None,
        Outcome::Invalid(errors) => errors.first()?,
        Outcome::NotWellFormed(e) => e,
    };
    let (line, column) = match error.line_col {
        Some(lc) => lc,
        None => {
            let lc = SourceFile::detached(text).line_col(error.at);
            (lc.line, lc.column)
        }
    };
    let name = text
        .get(error.span.clone())
        .and_then(offending_name)
        .unwrap_or("-");
    Some(Pin {
        line,
        column,
        code: error.code.to_string(),
        name: name.to_string(),
    })
}

/// The name a span of the document starts with: a start or end tag's
/// element name, or an attribute's name (`name="value"`); none for text.
fn offending_name(span: &str) -> Option<&str> {
    let is_end = |c: char| c.is_whitespace() || matches!(c, '/' | '>' | '=' | '"' | '\'');
    let name = if let Some(tag) = span.strip_prefix('<') {
        tag.strip_prefix('/').unwrap_or(tag)
    } else if span.contains('=') {
        span.trim_start()
    } else {
        return None;
    };
    let name = &name[..name.find(is_end).unwrap_or(name.len())];
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_spans() {
        let rows = [
            ("<disk type='file'>", Some("disk")),
            ("</backingStore>", Some("backingStore")),
            ("<x:a/>", Some("x:a")),
            ("type=\"bogus\"", Some("type")),
            ("some text", None),
        ];
        for (span, name) in rows {
            assert_eq!(offending_name(span), name, "{span}");
        }
    }

    #[test]
    fn keys_are_relative_to_the_root() {
        assert_eq!(
            doc_key(Path::new("/r/lv/tests/a-invalid.xml"), Path::new("/r/lv")),
            "tests/a-invalid.xml"
        );
        assert_eq!(doc_key(Path::new("./t/a.xml"), Path::new(".")), "t/a.xml");
        assert_eq!(
            doc_key(Path::new("/else/a.xml"), Path::new("/r")),
            "/else/a.xml"
        );
    }

    #[test]
    fn parse_and_bless_round_trip() {
        let text = "# c\nb.xml\t3:4\trngcheck::doc::x\tn\na.xml\t1:2\trngcheck::doc::y\t-\n";
        let pins = Pins::parse(Path::new("e.txt"), text).unwrap();
        assert_eq!(pins.get("a.xml").map(|p| p.line), Some(1));
        let mut run = BTreeMap::new();
        run.insert("a.xml".to_string(), pins.get("a.xml").cloned());
        run.insert("b.xml".to_string(), pins.get("b.xml").cloned());
        let (blessed, n) = pins.blessed(&run, Path::new("/nonexistent"));
        assert_eq!(n, 2);
        assert!(
            blessed.ends_with("a.xml\t1:2\trngcheck::doc::y\t-\nb.xml\t3:4\trngcheck::doc::x\tn\n")
        );
        assert!(Pins::parse(Path::new("e.txt"), "a.xml\t1\tc\tn\n").is_err());
        assert!(Pins::parse(Path::new("e.txt"), "a\t1:1\tc\tn\na\t1:1\tc\tn\n").is_err());
    }
}
