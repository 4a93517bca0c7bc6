//! Domain types that are valid by construction ("parse, don't validate"): once a
//! handler holds one, the store can rely on it.

pub mod account;
pub mod browse;
pub mod conversation;
pub mod geo;
pub mod puppy;
pub mod text;
