//! DTD compatibility §4 on documents: IDs are unique, IDREF and IDREFS
//! values name an ID of the same document.

use std::collections::HashMap;
use std::ops::Range;

use crate::datatype::IdKind;
use crate::diagnostic::DocError;
use crate::xml::is_xml_space;

/// The IDs and references seen so far in one document.
#[derive(Debug, Default)]
pub struct IdTracker {
    ids: HashMap<String, Range<usize>>,
    references: Vec<(String, Range<usize>, usize)>,
}

impl IdTracker {
    /// Forgets the previous document.
    pub fn clear(&mut self) {
        self.ids.clear();
        self.references.clear();
    }

    /// Records a valid attribute value of ID-type `kind`; a repeated ID is
    /// an error, reported at `at`.
    pub fn record(
        &mut self,
        kind: IdKind,
        value: &str,
        span: &Range<usize>,
        at: usize,
    ) -> Option<DocError> {
        let tokens = value.split(is_xml_space).filter(|t| !t.is_empty());
        match kind {
            IdKind::None => None,
            IdKind::Id => {
                let id = tokens.collect::<Vec<_>>().join(" ");
                if self.ids.contains_key(&id) {
                    return Some(DocError::duplicate_id(&id, span.clone()).reported_at(at));
                }
                self.ids.insert(id, span.clone());
                None
            }
            IdKind::Idref | IdKind::Idrefs => {
                for token in tokens {
                    self.references.push((token.to_string(), span.clone(), at));
                }
                None
            }
        }
    }

    /// The references that name no ID, once the document has ended.
    pub fn unresolved(&mut self) -> Vec<DocError> {
        let references = std::mem::take(&mut self.references);
        references
            .into_iter()
            .filter(|(value, _, _)| !self.ids.contains_key(value))
            .map(|(value, span, at)| DocError::unresolved_idref(&value, span).reported_at(at))
            .collect()
    }
}
