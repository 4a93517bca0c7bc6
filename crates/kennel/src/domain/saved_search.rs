//! Saved searches: a name and the browse query it stands for.

use super::text::{clean, Lines};

/// The longest browse query a search may keep (a query string with every
/// filter set stays well under it).
pub const MAX_QUERY_LEN: usize = 2_000;

/// The parameters of a browse query that say where a page starts and how long
/// it is, not what is searched: never kept.
const PAGING: [&str; 2] = ["cursor", "limit"];

/// A saved search's name: one line of 1 to 80 characters, cleaned like other
/// user text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchName(String);

impl SearchName {
    pub fn parse(raw: &str) -> Result<SearchName, String> {
        clean(raw, 80, Lines::One).map(SearchName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The browse query as kept: the parameters in the order given, without
/// `cursor` and `limit`, re-encoded. Browse validation is the caller's (it
/// needs the catalogue to check breed slugs).
pub fn stored_query(raw: &str) -> Result<String, String> {
    let raw = raw.trim().trim_start_matches('?');
    if raw.len() > MAX_QUERY_LEN {
        return Err(format!(
            "must be at most {MAX_QUERY_LEN} characters (the filters of one browse query)"
        ));
    }
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
        if !PAGING.contains(&name.as_ref()) {
            kept.append_pair(&name, &value);
        }
    }
    Ok(kept.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_dropped_and_the_rest_kept_in_order() {
        assert_eq!(
            stored_query("?size=small&cursor=abc&near=45.5,-122.6&limit=5&q=calm dog").unwrap(),
            "size=small&near=45.5%2C-122.6&q=calm+dog"
        );
        assert_eq!(stored_query("").unwrap(), "");
        assert!(stored_query(&"q=a".repeat(1_000)).is_err());
    }

    #[test]
    fn names_are_one_clean_line() {
        assert_eq!(
            SearchName::parse("  Beagles  ").unwrap().as_str(),
            "Beagles"
        );
        assert!(SearchName::parse("").is_err());
        assert!(SearchName::parse("two\nlines").is_err());
        assert!(SearchName::parse(&"x".repeat(81)).is_err());
    }
}
