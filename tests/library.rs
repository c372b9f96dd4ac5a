//! The library's public API as an embedding program uses it: schemas from
//! files (with includes) and from text, documents from strings, readers
//! and files, every error located.

use rngcheck::{ErrorKind, LoadOptions, Schema, Syntax};

use crate::util::write_file;

const RNG: &str = "http://relaxng.org/ns/structure/1.0";

#[test]
fn a_schema_error_in_an_included_file_names_that_file_and_the_include() {
    let dir = tempfile::tempdir().unwrap();
    let main = write_file(
        dir.path(),
        "main.rng",
        &format!("<grammar xmlns='{RNG}'>\n  <include href='part.rng'/>\n</grammar>\n"),
    );
    write_file(
        dir.path(),
        "part.rng",
        &format!("<grammar xmlns='{RNG}'>\n  <start><ref name='ghost'/></start>\n</grammar>\n"),
    );
    let errors = Schema::load(&main).unwrap_err();
    let all = errors.errors();
    assert_eq!(all.len(), 1, "{errors}");
    let error = &all[0];
    assert_eq!(error.kind(), ErrorKind::SchemaUndefinedRef);
    assert_eq!(error.file(), Some(dir.path().join("part.rng").as_path()));
    assert_eq!(error.line_col(), Some((2, 10)));
    let help = error.help().unwrap();
    assert!(help.starts_with("included from "), "{help}");
    assert!(help.contains("main.rng:2:"), "{help}");
    assert_eq!(
        errors.to_string(),
        format!(
            "{}:2:10: {}",
            dir.path().join("part.rng").display(),
            error.message()
        )
    );
    let as_error: &dyn std::error::Error = &errors;
    assert!(as_error.to_string().contains("ghost"));
}

#[test]
fn every_way_in_gives_the_same_errors_at_the_same_places() {
    let schema = Schema::from_str(
        "element list { element item { xsd:integer }+ }",
        Syntax::Compact,
    )
    .unwrap();
    let doc = "<list>\n  <item>1</item>\n  <item>two</item>\n</list>\n";
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(dir.path(), "list.xml", doc);
    let mut validator = schema.validator();
    let from_str = validator.validate_str(doc).unwrap_err();
    let from_reader = validator.validate_reader(doc.as_bytes()).unwrap_err();
    let from_file = validator.validate_file(&file).unwrap_err();
    for invalid in [&from_str, &from_reader, &from_file] {
        assert!(invalid.is_well_formed());
        let error = &invalid.errors()[0];
        assert_eq!(error.kind(), ErrorKind::DocInvalidText);
        assert_eq!(error.line_col(), Some((3, 19)), "{error}");
        assert_eq!(error.span(), Some(32..35), "{error}");
    }
    assert_eq!(from_str.errors()[0].path(), "/list/item[2]");
    assert_eq!(
        from_reader.errors()[0].path(),
        "",
        "streaming keeps no tree"
    );
    assert_eq!(from_file.errors()[0].file(), Some(file.as_path()));
    assert!(from_file
        .to_string()
        .starts_with(&format!("{}:3:19: ", file.display())));
}

#[test]
fn a_document_in_another_encoding_is_decoded_and_located_in_its_text() {
    let schema = Schema::from_str("element a { attribute b { 'x' } }", Syntax::Compact).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.xml");
    // "é" as one ISO-8859-1 byte: the column counts characters.
    std::fs::write(
        &path,
        b"<?xml version='1.0' encoding='ISO-8859-1'?>\n<a b='\xe9'/>",
    )
    .unwrap();
    let mut validator = schema.validator();
    let invalid = validator.validate_file(&path).unwrap_err();
    let error = &invalid.errors()[0];
    assert_eq!(error.kind(), ErrorKind::DocInvalidAttributeValue);
    assert_eq!(error.line_col(), Some((2, 11)));
    assert!(error.message().contains('é'), "{error}");
    let bytes = std::fs::read(&path).unwrap();
    let streamed = validator.validate_reader(bytes.as_slice()).unwrap_err();
    assert_eq!(streamed.errors()[0].line_col(), Some((2, 11)));
}

#[test]
fn not_well_formed_documents_are_one_error_of_their_own_kind() {
    let schema = Schema::from_str("element a { empty }", Syntax::Compact).unwrap();
    let broken = schema.validator().validate_str("<a>\n<b></a>").unwrap_err();
    assert!(!broken.is_well_formed());
    assert_eq!(broken.errors().len(), 1);
    assert_eq!(broken.errors()[0].kind(), ErrorKind::DocNotWellFormed);
    assert!(broken.errors()[0].line_col().is_some());
}

#[test]
fn options_force_the_syntax_and_turn_id_checks_off() {
    let dir = tempfile::tempdir().unwrap();
    let schema_text = "element r { element e { attribute id { xsd:ID } }* }";
    let path = write_file(dir.path(), "ids.schema", schema_text);
    // Named neither .rnc nor .rng: read as XML it is not well-formed.
    let as_xml = Schema::load(&path).unwrap_err();
    assert_eq!(as_xml.errors()[0].kind(), ErrorKind::SchemaNotWellFormed);
    let compact = LoadOptions::new().syntax(Syntax::Compact);
    let doc = "<r><e id='a'/><e id='a'/></r>";
    let checked = Schema::load_with(&path, &compact).unwrap();
    let duplicate = checked.validator().validate_str(doc).unwrap_err();
    assert_eq!(duplicate.errors()[0].kind(), ErrorKind::DocDuplicateId);
    let unchecked = Schema::load_with(&path, &compact.id_checks(false)).unwrap();
    assert!(unchecked.validator().validate_str(doc).is_ok());
}

#[test]
fn one_schema_serves_many_threads_each_with_its_validator() {
    fn shareable<T: Send + Sync>(_: &T) {}
    let schema = Schema::from_str("element n { xsd:integer }", Syntax::Compact).unwrap();
    shareable(&schema);
    std::thread::scope(|scope| {
        for i in 0..4 {
            let schema = &schema;
            scope.spawn(move || {
                let mut validator = schema.validator();
                assert!(validator.validate_str(&format!("<n>{i}</n>")).is_ok());
                assert!(validator.validate_str("<n>x</n>").is_err());
            });
        }
    });
}
