//! The kinds of error, each with the stable code that JSON and SARIF output,
//! snapshots and scripts match on: one table, written once.

/// Declares [`ErrorKind`] from one table of variant, code and description,
/// so a code is written once.
macro_rules! error_kinds {
    ($($variant:ident = $code:literal: $description:literal;)*) => {
        /// What kind of fault a [`Diagnostic`](crate::Diagnostic) reports.
        ///
        /// Each kind has a stable [code](ErrorKind::code): `rngcheck::doc::*`
        /// for documents, `rngcheck::schema::*` for schemas.
        ///
        /// ```
        /// use rngcheck::ErrorKind;
        ///
        /// assert_eq!(ErrorKind::DocUnknownElement.code(), "rngcheck::doc::unknown_element");
        /// assert!(ErrorKind::SchemaUndefinedRef.is_schema());
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $(
                #[doc = $description]
                $variant,
            )*
        }

        impl ErrorKind {
            /// Every kind, documents' first, in a fixed order.
            pub(crate) const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant),*];

            /// The stable code, e.g. `rngcheck::doc::unexpected_element`.
            ///
            /// ```
            /// assert_eq!(
            ///     rngcheck::ErrorKind::DocMissingAttribute.code(),
            ///     "rngcheck::doc::missing_attribute",
            /// );
            /// ```
            pub fn code(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $code,)*
                }
            }

            /// What the kind means, in one sentence (SARIF's rule description).
            ///
            /// ```
            /// let text = rngcheck::ErrorKind::DocNotWellFormed.description();
            /// assert_eq!(text, "The document is not well-formed XML.");
            /// ```
            pub fn description(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $description,)*
                }
            }
        }
    };
}

error_kinds! {
    DocNotWellFormed = "rngcheck::doc::not_well_formed": "The document is not well-formed XML.";
    DocUnexpectedRoot = "rngcheck::doc::unexpected_root": "The document element is not one the schema allows.";
    DocUnexpectedElement = "rngcheck::doc::unexpected_element": "An element is not allowed at this place.";
    DocRepeatedElement = "rngcheck::doc::repeated_element": "An element given again where only one is allowed.";
    DocMisplacedElement = "rngcheck::doc::misplaced_element": "An element allowed in the document, but not at this place.";
    DocUnknownElement = "rngcheck::doc::unknown_element": "An element the schema does not define at all.";
    DocUnexpectedAttribute = "rngcheck::doc::unexpected_attribute": "An attribute is not allowed on this element.";
    DocMissingAttribute = "rngcheck::doc::missing_attribute": "A required attribute is missing.";
    DocInvalidAttributeValue = "rngcheck::doc::invalid_attribute_value": "An attribute value is not allowed.";
    DocIncompleteElement = "rngcheck::doc::incomplete_element": "An element ends before its required content.";
    DocTextNotAllowed = "rngcheck::doc::text_not_allowed": "Text where the schema allows none.";
    DocInvalidText = "rngcheck::doc::invalid_text": "Text content that the element's datatype or values reject.";
    DocDuplicateId = "rngcheck::doc::duplicate_id": "An ID value used twice in the document.";
    DocUnresolvedIdref = "rngcheck::doc::unresolved_idref": "An IDREF naming no ID of the document.";
    DocUnreadable = "rngcheck::doc::unreadable": "The document could not be read or decoded.";
    SchemaLoad = "rngcheck::schema::load": "A schema file could not be read.";
    SchemaNotWellFormed = "rngcheck::schema::not_well_formed": "A schema file is not well-formed XML.";
    SchemaTooDeep = "rngcheck::schema::too_deep": "A schema file nests too deeply.";
    SchemaSyntax = "rngcheck::schema::syntax": "A schema element or attribute breaks RELAX NG's syntax.";
    SchemaRncSyntax = "rngcheck::schema::rnc_syntax": "A compact-syntax schema does not parse.";
    SchemaRncUndeclaredPrefix = "rngcheck::schema::rnc_undeclared_prefix": "A compact-syntax prefix is not declared.";
    SchemaRncBadDeclaration = "rngcheck::schema::rnc_bad_declaration": "A compact-syntax declaration is invalid.";
    SchemaRncBadAnnotation = "rngcheck::schema::rnc_bad_annotation": "A compact-syntax annotation is invalid.";
    SchemaRncTooDeep = "rngcheck::schema::rnc_too_deep": "A compact-syntax schema nests too deeply.";
    SchemaInclude = "rngcheck::schema::include": "An include or externalRef is invalid.";
    SchemaIncludeCycle = "rngcheck::schema::include_cycle": "Schema files include each other in a cycle.";
    SchemaGrammar = "rngcheck::schema::grammar": "A grammar has no start or is otherwise malformed.";
    SchemaUndefinedRef = "rngcheck::schema::undefined_ref": "A ref names no define.";
    SchemaRecursiveRef = "rngcheck::schema::recursive_ref": "A define refers to itself outside an element.";
    SchemaCombine = "rngcheck::schema::combine": "Defines of one name are combined inconsistently.";
    SchemaNameClass = "rngcheck::schema::name_class": "A name class breaks RELAX NG's restrictions.";
    SchemaDatatype = "rngcheck::schema::datatype": "An unknown datatype or an invalid parameter or value.";
    SchemaProhibitedPath = "rngcheck::schema::prohibited_path": "A pattern where RELAX NG section 7 prohibits it.";
    SchemaStringSequence = "rngcheck::schema::string_sequence": "Data or list items grouped with other content.";
    SchemaDuplicateAttribute = "rngcheck::schema::duplicate_attribute": "Two attribute patterns can match one attribute.";
    SchemaInterleaveOverlap = "rngcheck::schema::interleave_overlap": "Interleaved patterns share element names or text.";
    SchemaIdType = "rngcheck::schema::id_type": "Conflicting DTD-compatibility ID types.";
}

impl ErrorKind {
    /// Whether the kind is a schema's fault (`rngcheck::schema::*`) rather
    /// than a document's.
    ///
    /// ```
    /// use rngcheck::ErrorKind;
    ///
    /// assert!(ErrorKind::SchemaIncludeCycle.is_schema());
    /// assert!(!ErrorKind::DocInvalidText.is_schema());
    /// ```
    pub fn is_schema(self) -> bool {
        self.code().starts_with("rngcheck::schema::")
    }
}

impl std::fmt::Display for ErrorKind {
    /// Writes the code.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
