/*!
`--schema-dir DIR`: each document's schema is picked by its root element,
as libvirt's `virt-xml-validate` does.

The table below is libvirt's (checked against the root elements of the
documents its test suite validates with each schema). A root element not in
the table falls back to `<name>.rng`, then `<name>.rnc`, in the directory, so
the option also serves schema sets that follow that simpler convention.
*/

use std::path::{Path, PathBuf};

/// libvirt's root element → schema file table.
pub const LIBVIRT_TABLE: &[(&str, &str)] = &[
    ("capabilities", "capability.rng"),
    ("device", "nodedev.rng"),
    ("domain", "domain.rng"),
    ("domainCapabilities", "domaincaps.rng"),
    ("domainbackup", "domainbackup.rng"),
    ("domaincheckpoint", "domaincheckpoint.rng"),
    ("domainsnapshot", "domainsnapshot.rng"),
    ("filter", "nwfilter.rng"),
    ("filterbinding", "nwfilterbinding.rng"),
    ("interface", "interface.rng"),
    ("network", "network.rng"),
    ("networkport", "networkport.rng"),
    ("pool", "storagepool.rng"),
    ("secret", "secret.rng"),
    ("storagepoolCapabilities", "storagepoolcaps.rng"),
    ("volume", "storagevol.rng"),
];

/// The schema files of a directory, and how root elements map to them.
#[derive(Debug, Clone)]
pub struct SchemaDir {
    /// The directory.
    pub dir: PathBuf,
    /// Its `.rng` and `.rnc` file names, sorted.
    pub files: Vec<String>,
}

impl SchemaDir {
    /// Lists the schema files of `dir`.
    pub fn open(dir: &Path) -> Result<SchemaDir, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            format!(
                "--schema-dir {}: {}",
                dir.display(),
                crate::loader::io_reason(&e)
            )
        })?;
        let mut files: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".rng") || n.ends_with(".rnc"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!(
                "--schema-dir {}: no .rng or .rnc schema in it",
                dir.display()
            ));
        }
        Ok(SchemaDir {
            dir: dir.to_path_buf(),
            files,
        })
    }

    /// The index in [`SchemaDir::files`] of the schema for root element
    /// `local` (its local name), if any.
    pub fn pick(&self, local: &str) -> Option<usize> {
        let find = |name: &str| self.files.iter().position(|f| f == name);
        if let Some((_, file)) = LIBVIRT_TABLE.iter().find(|(root, _)| *root == local) {
            if let Some(i) = find(file) {
                return Some(i);
            }
        }
        find(&format!("{local}.rng")).or_else(|| find(&format!("{local}.rnc")))
    }

    /// The message for a root element that no schema fits.
    pub fn no_schema_message(&self, local: &str) -> String {
        let known: Vec<&str> = LIBVIRT_TABLE
            .iter()
            .filter(|(_, file)| self.files.iter().any(|f| f == file))
            .map(|(root, _)| *root)
            .collect();
        let mut message = format!(
            "no schema in {} for root element <{local}>",
            self.dir.display()
        );
        if !known.is_empty() {
            message.push_str(&format!(" (known root elements: {})", known.join(", ")));
        }
        message
    }
}

/// The local name of the root element, found by a light scan of the prolog
/// (XML declaration, comments, processing instructions, whitespace). `None`
/// when the prolog holds anything else (a DOCTYPE, say): the caller then asks
/// the full parser, which also explains any error.
pub fn sniff_root(text: &str) -> Option<&str> {
    root_start(text).map(|(qname, _)| local_name(qname))
}

/// The RELAX NG namespace: a document whose root element is in it is a schema.
pub const RELAX_NG_NS: &str = "http://relaxng.org/ns/structure/1.0";

/// Whether `text` (the start of a file) begins, after its prolog, with a
/// root element in the RELAX NG namespace declared on that element (where a
/// schema's root declares it).
pub fn is_relax_ng(text: &str) -> bool {
    let Some((qname, attributes)) = root_start(text) else {
        return false;
    };
    let prefix = qname.rsplit_once(':').map(|(p, _)| p);
    let wanted = match prefix {
        Some(p) => format!("xmlns:{p}"),
        None => "xmlns".to_string(),
    };
    start_tag_attributes(attributes).any(|(name, value)| name == wanted && value == RELAX_NG_NS)
}

/// The root element's qualified name and the rest of its start tag.
fn root_start(text: &str) -> Option<(&str, &str)> {
    let crate::xml::PrologEnd::Root(tag) = crate::xml::prolog_end(text) else {
        return None;
    };
    let end = tag.find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')?;
    let qname = &tag[..end];
    let ok = local_name(qname)
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    ok.then_some((qname, &tag[end..]))
}

fn local_name(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

/// The `name="value"` pairs at the start of `rest` (a start tag after its
/// name), up to the end of the tag or the first thing that is not one.
fn start_tag_attributes(mut rest: &str) -> impl Iterator<Item = (&str, &str)> {
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        let eq = rest.find('=')?;
        let name = rest[..eq].trim_end();
        if name.is_empty() || name.contains(['>', '<', '/']) {
            return None;
        }
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|&q| q == '"' || q == '\'')?;
        let close = after[1..].find(quote)?;
        rest = &after[close + 2..];
        Some((name, &after[1..close + 1]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_root_after_prolog() {
        assert_eq!(sniff_root("<domain type='kvm'>"), Some("domain"));
        assert_eq!(
            sniff_root("\u{feff}<?xml version='1.0'?>\n<!-- c -->\n<?pi x?><pool/>"),
            Some("pool")
        );
        assert_eq!(sniff_root("<v:volume xmlns:v='u'>"), Some("volume"));
        assert_eq!(sniff_root("<!DOCTYPE a><a/>"), None);
        assert_eq!(sniff_root("text"), None);
        assert_eq!(sniff_root("<a"), None);
        assert_eq!(sniff_root("<!-- unterminated"), None);
        assert_eq!(sniff_root("<1a/>"), None);
        assert_eq!(sniff_root(""), None);
    }

    #[test]
    fn recognises_relax_ng_roots() {
        assert!(is_relax_ng(
            "<?xml version='1.0'?>\n<!-- s -->\n<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">"
        ));
        assert!(is_relax_ng(
            "<rng:element name='a' xmlns:a='x' xmlns:rng='http://relaxng.org/ns/structure/1.0'>"
        ));
        assert!(!is_relax_ng(
            "<rng:element xmlns='http://relaxng.org/ns/structure/1.0'>"
        ));
        assert!(!is_relax_ng("<domain type='kvm'><grammar/></domain>"));
        assert!(!is_relax_ng("<grammar>"));
        assert!(!is_relax_ng("not xml"));
    }

    #[test]
    fn picks_by_table_then_by_name() {
        let d = SchemaDir {
            dir: PathBuf::from("s"),
            files: ["cpu.rng", "domain.rng", "foo.rnc", "storagepool.rng"]
                .map(String::from)
                .to_vec(),
        };
        assert_eq!(d.pick("pool"), Some(3));
        assert_eq!(d.pick("domain"), Some(1));
        assert_eq!(d.pick("cpu"), Some(0));
        assert_eq!(d.pick("foo"), Some(2));
        assert_eq!(d.pick("volume"), None);
        let m = d.no_schema_message("volume");
        assert!(m.contains("<volume>") && m.contains("domain, pool"), "{m}");
    }
}
