//! Domain types that are valid by construction ("parse, don't validate"): once a
//! handler holds one, the store can rely on it.

pub mod account;
pub mod browse;
pub mod conversation;
pub mod geo;
pub mod listing;
pub mod mail;
pub mod matching;
pub mod paging;
pub mod puppy;
pub mod saved_search;
pub mod text;

/// One input field that does not parse: which, and what is wrong with it,
/// phrased for a person. The HTTP layer turns these into a problem document's
/// `errors`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The query parameter, path segment or body field at fault.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}
