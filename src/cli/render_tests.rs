//! Snapshots of the `human` rendering (miette, no colour, width 80) of
//! every error of the fixtures' invalid documents and of a selection of
//! libvirt's, kept in `tests/snapshots/` beside the integration tests'.

use std::path::{Path, PathBuf};

use super::report::{document_records, render_human, HumanStyle};
use crate::validate::validate_text;
use crate::Schema;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Renders every error of `doc` against `schema`, as a person sees them.
fn render(schema: &Schema, doc: &Path, shown_as: &str) -> String {
    let text = std::fs::read_to_string(doc).unwrap();
    let mut validator = schema.validator();
    let outcome = validate_text(&mut validator, &text);
    document_records(Path::new(shown_as), &text, &outcome)
        .iter()
        .map(|r| render_human(r, HumanStyle::Graphical { color: false }, 80))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `rendered` matches the snapshot of the document `name` (`x-invalid.xml`).
fn assert_pinned(name: &str, rendered: String) {
    let name = format!("tests__diagnostics__{}", name.trim_end_matches(".xml"));
    insta::with_settings!({
        snapshot_path => "../../tests/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, rendered);
    });
}

#[test]
fn fixture_diagnostics_render_as_pinned() {
    let schema = Schema::load(repo().join("schemas/domaincommon.rng")).unwrap();
    let mut docs: Vec<PathBuf> = ["fixtures/domain", "fixtures/diagnostics"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(repo().join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("-invalid.xml"))
        .collect();
    docs.sort();
    for doc in docs {
        let name = doc.file_name().unwrap().to_string_lossy().into_owned();
        let rendered = render(&schema, &doc, &name);
        assert_pinned(&name, rendered);
    }
}

#[test]
fn libvirt_diagnostics_render_as_pinned() {
    let libvirt = repo().join("../shared/libvirt-9.0.0");
    if !libvirt.exists() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "../shared/libvirt-9.0.0 is missing"
        );
        eprintln!("SKIPPED: ../shared/libvirt-9.0.0 not found");
        return;
    }
    let cases = [
        (
            "domain.rng",
            "tests/qemuxml2argvdata/aarch64-gic-invalid.xml",
        ),
        (
            "domain.rng",
            "tests/qemuxml2argvdata/disk-cdrom-empty-network-invalid.xml",
        ),
        (
            "domain.rng",
            "tests/qemuxml2argvdata/boot-menu-enable-with-timeout-invalid.xml",
        ),
        (
            "domaincheckpoint.rng",
            "tests/qemudomaincheckpointxml2xmlin/name-invalid.xml",
        ),
        (
            "nwfilter.rng",
            "tests/nwfilterxml2xmlin/ipv6-test-invalid.xml",
        ),
        (
            "nodedev.rng",
            "tests/nodedevschemadata/ccw_0_0_10000-invalid.xml",
        ),
    ];
    for (schema, doc) in cases {
        let schema = Schema::load(libvirt.join("src/conf/schemas").join(schema)).unwrap();
        let name = Path::new(doc)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let rendered = render(&schema, &libvirt.join(doc), &name);
        assert_pinned(&format!("libvirt-{name}"), rendered);
    }
}
