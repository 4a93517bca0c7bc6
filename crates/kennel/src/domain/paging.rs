//! Paging, the same for every list: a page size, one opaque cursor type, and one
//! page type.
//!
//! Lists page by keyset: a page holds the rows strictly after the previous page's
//! last row in the list's order, so rows written between pages can neither repeat
//! nor push rows off a page. The cursor says which list (and order) it was made
//! for, the last row's sort key and its id; a list takes only its own cursors.

use std::borrow::Cow;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use super::browse::Sort;
use super::FieldError;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// The format of the cursors made now; a cursor of another version is refused
/// (the client starts the list again).
const VERSION: u8 = 1;
/// Longest cursor read: a cursor of this API is about 150 characters.
const MAX_CURSOR_CHARS: usize = 256;

/// A page size from the query string: 1 to `MAX_LIMIT`, `DEFAULT_LIMIT` when absent.
pub fn parse_limit(raw: Option<&str>) -> Result<u32, FieldError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(raw) => match raw.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(FieldError::new(
                "limit",
                format!("must be a whole number from 1 to {MAX_LIMIT}"),
            )),
        },
    }
}

/// The lists read a page at a time, each in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// The browse list, in one of its sort orders.
    Puppies(Sort),
    /// A user's favourites, most recently saved first.
    Favorites,
    /// A thread list (an adopter's or an organisation's inbox), newest activity first.
    Threads,
    /// Accounts, oldest first.
    Users,
    /// The audit log, newest first.
    AuditLog,
}

impl List {
    const OTHERS: [List; 4] = [List::Favorites, List::Threads, List::Users, List::AuditLog];

    /// The list's name in a cursor (the browse list's is its sort's).
    fn name(self) -> &'static str {
        match self {
            List::Puppies(sort) => sort.as_str(),
            List::Favorites => "favorites",
            List::Threads => "threads",
            List::Users => "users",
            List::AuditLog => "audit-log",
        }
    }

    fn parse(name: &str) -> Option<List> {
        Sort::parse(name)
            .map(List::Puppies)
            .or_else(|| List::OTHERS.into_iter().find(|l| l.name() == name))
    }

    /// The kind of sort key the list is ordered by (then by id).
    fn key_kind(self) -> KeyKind {
        match self {
            List::Puppies(Sort::Newest | Sort::Oldest) => KeyKind::Time,
            List::Puppies(Sort::Fee | Sort::FeeDesc) => KeyKind::Integer,
            List::Puppies(Sort::Distance | Sort::DistanceDesc) => KeyKind::Float,
            List::Favorites | List::Threads => KeyKind::Time,
            List::Users | List::AuditLog => KeyKind::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Time,
    Integer,
    Float,
    None,
}

/// The sort key of the last row of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CursorKey {
    #[serde(rename = "t")]
    Time(DateTime<Utc>),
    #[serde(rename = "n")]
    Integer(i64),
    /// Always finite.
    #[serde(rename = "f")]
    Float(f64),
    /// The list is ordered by id alone.
    #[serde(rename = "-")]
    None,
}

impl CursorKey {
    fn kind(&self) -> KeyKind {
        match self {
            CursorKey::Time(_) => KeyKind::Time,
            CursorKey::Integer(_) => KeyKind::Integer,
            CursorKey::Float(_) => KeyKind::Float,
            CursorKey::None => KeyKind::None,
        }
    }

    fn is_valid(&self) -> bool {
        match self {
            CursorKey::Float(f) => f.is_finite(),
            _ => true,
        }
    }
}

/// Where the next page of a list starts: after the row with this sort key and id.
/// Clients hold it as an opaque string (`encode`), which serialises to the same.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub list: List,
    pub key: CursorKey,
    pub id: Uuid,
}

/// A cursor as it travels: base64url of this JSON.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Token<'a> {
    v: u8,
    #[serde(borrow)]
    l: Cow<'a, str>,
    k: CursorKey,
    i: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let token = Token {
            v: VERSION,
            l: Cow::Borrowed(self.list.name()),
            k: self.key.clone(),
            i: self.id,
        };
        // Serialising this plain struct cannot fail.
        let json = serde_json::to_vec(&token).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// The cursor `value`, if it is one this API made for `list`; otherwise the
    /// problem with the `cursor` field.
    pub fn decode(value: &str, list: List) -> Result<Cursor, FieldError> {
        let invalid = || FieldError::new("cursor", "is not a cursor returned by this list");
        if value.len() > MAX_CURSOR_CHARS {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(value).map_err(|_| invalid())?;
        let token: Token = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        let made_for = List::parse(&token.l).ok_or_else(invalid)?;
        let fits =
            token.v == VERSION && token.k.kind() == made_for.key_kind() && token.k.is_valid();
        match made_for {
            _ if !fits => Err(invalid()),
            _ if made_for == list => Ok(Cursor {
                list,
                key: token.k,
                id: token.i,
            }),
            List::Puppies(_) if matches!(list, List::Puppies(_)) => Err(FieldError::new(
                "cursor",
                "belongs to a different sort order; start again without a cursor",
            )),
            _ => Err(invalid()),
        }
    }
}

impl Serialize for Cursor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

/// The page size and start a client asked of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    pub limit: u32,
    /// The page starts after this row; at the list's start when `None`.
    pub after: Option<Cursor>,
}

impl PageRequest {
    /// `limit` and `cursor` from the query string for `list`, each bad one added
    /// to `errors`. An empty cursor, like an empty limit, is the default.
    pub fn parse(
        limit: Option<&str>,
        cursor: Option<&str>,
        list: List,
        errors: &mut Vec<FieldError>,
    ) -> PageRequest {
        let limit = parse_limit(limit).unwrap_or_else(|e| {
            errors.push(e);
            DEFAULT_LIMIT
        });
        let after = cursor
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .and_then(|c| Cursor::decode(c, list).map_err(|e| errors.push(e)).ok());
        PageRequest { limit, after }
    }

    /// How many rows to fetch: one more than the page, to know whether another
    /// page follows (`Page::cut`).
    pub fn fetch(&self) -> u32 {
        self.limit + 1
    }
}

/// One page of a list: its items, and the cursor of the next page (`None` on the
/// last). It serialises as the response body of every list (`http::paging`
/// describes it).
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<Cursor>,
}

impl<T> Page<T> {
    /// The page of `rows` fetched with one to spare (`PageRequest::fetch`): the
    /// spare row, dropped here, says another page follows, which starts after
    /// the page's last row, whose sort key and id `position` gives.
    pub fn cut(
        mut rows: Vec<T>,
        limit: u32,
        list: List,
        position: impl FnOnce(&T) -> (CursorKey, Uuid),
    ) -> Page<T> {
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = match rows.last() {
            Some(last) if more => {
                let (key, id) = position(last);
                debug_assert_eq!(key.kind(), list.key_kind(), "{list:?} sorts by another key");
                Some(Cursor { list, key, id })
            }
            _ => None,
        };
        Page {
            items: rows,
            next_cursor,
        }
    }

    /// The same page with each item turned into another.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }

    /// The same page with each item turned into another, or the first error.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, E>>()?,
            next_cursor: self.next_cursor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(list: List, key: CursorKey) -> Cursor {
        Cursor {
            list,
            key,
            id: Uuid::now_v7(),
        }
    }

    fn token(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    #[test]
    fn cursors_round_trip_for_their_own_list() {
        let whole_distance = cursor(List::Puppies(Sort::Distance), CursorKey::Float(3.0));
        for c in [
            cursor(List::Puppies(Sort::Fee), CursorKey::Integer(15000)),
            cursor(List::Puppies(Sort::Oldest), CursorKey::Time(Utc::now())),
            cursor(List::Puppies(Sort::DistanceDesc), CursorKey::Float(12.345)),
            whole_distance,
            cursor(List::Favorites, CursorKey::Time(Utc::now())),
            cursor(List::Threads, CursorKey::Time(Utc::now())),
            cursor(List::Users, CursorKey::None),
            cursor(List::AuditLog, CursorKey::None),
        ] {
            let encoded = c.encode();
            assert!(encoded.len() <= MAX_CURSOR_CHARS, "{encoded}");
            assert_eq!(Cursor::decode(&encoded, c.list).unwrap(), c);
            assert_eq!(
                serde_json::to_value(&c).unwrap(),
                serde_json::Value::String(encoded)
            );
        }
    }

    #[test]
    fn garbage_and_oversized_cursors_are_refused() {
        let list = List::Threads;
        for bad in [
            "not-base64!".to_string(),
            token("{\"a\":1}"),
            token("null"),
            "A".repeat(300),
        ] {
            let e = Cursor::decode(&bad, list).unwrap_err();
            assert_eq!(e.field, "cursor");
        }
        let good = cursor(list, CursorKey::Time(Utc::now())).encode();
        let padded = format!("{good}{}", "A".repeat(MAX_CURSOR_CHARS));
        assert!(Cursor::decode(&padded, list).is_err());
    }

    #[test]
    fn a_key_of_the_wrong_kind_is_refused() {
        let json = |list: &str, key: &str, version: u8| {
            token(&format!(
                "{{\"v\":{version},\"l\":\"{list}\",\"k\":{key},\"i\":\"{}\"}}",
                Uuid::nil()
            ))
        };
        let time = r#"{"t":"2026-01-01T00:00:00Z"}"#;
        for (list, name, key) in [
            (List::Puppies(Sort::Fee), "fee", time),
            (List::Puppies(Sort::Newest), "newest", r#"{"n":5}"#),
            (List::Puppies(Sort::Distance), "distance", r#"{"f":1e999}"#),
            (List::Puppies(Sort::Distance), "distance", time),
            (List::Users, "users", time),
            (List::Threads, "threads", r#""-""#),
        ] {
            assert!(
                Cursor::decode(&json(name, key, 1), list).is_err(),
                "{name} {key}"
            );
        }
        // The same shapes are taken when the kinds fit.
        assert!(Cursor::decode(&json("fee", r#"{"n":5}"#, 1), List::Puppies(Sort::Fee)).is_ok());
        assert!(Cursor::decode(&json("users", r#""-""#, 1), List::Users).is_ok());
        // Another version, or a list this API does not have.
        assert!(Cursor::decode(&json("users", r#""-""#, 2), List::Users).is_err());
        assert!(Cursor::decode(&json("kittens", r#""-""#, 1), List::Users).is_err());
    }

    #[test]
    fn a_cursor_of_another_list_is_refused() {
        let thread = cursor(List::Threads, CursorKey::Time(Utc::now())).encode();
        for list in [
            List::Puppies(Sort::Newest),
            List::Favorites,
            List::Users,
            List::AuditLog,
        ] {
            let e = Cursor::decode(&thread, list).unwrap_err();
            assert_eq!(e.message, "is not a cursor returned by this list");
        }
        let fee = cursor(List::Puppies(Sort::Fee), CursorKey::Integer(100)).encode();
        let e = Cursor::decode(&fee, List::Puppies(Sort::FeeDesc)).unwrap_err();
        assert!(e.message.contains("different sort order"), "{}", e.message);
        assert!(Cursor::decode(&fee, List::Favorites).is_err());
    }

    #[test]
    fn a_request_reports_each_bad_field() {
        let mut errors = Vec::new();
        let request = PageRequest::parse(Some("0"), Some("zzz"), List::Users, &mut errors);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["limit", "cursor"]);
        assert_eq!(request.limit, DEFAULT_LIMIT);
        let mut errors = Vec::new();
        let request = PageRequest::parse(Some(""), Some(" "), List::Users, &mut errors);
        assert!(errors.is_empty());
        assert_eq!((request.limit, request.after), (DEFAULT_LIMIT, None));
    }

    #[test]
    fn a_page_is_cut_from_one_row_to_spare() {
        let ids: Vec<Uuid> = (0..5).map(|_| Uuid::now_v7()).collect();
        let page = Page::cut(ids.clone(), 4, List::Users, |id| (CursorKey::None, *id));
        assert_eq!(page.items, ids[..4]);
        let next = page.next_cursor.unwrap();
        assert_eq!((next.list, next.id), (List::Users, ids[3]));
        let page = Page::cut(ids[..4].to_vec(), 4, List::Users, |id| {
            (CursorKey::None, *id)
        });
        assert_eq!(page.items.len(), 4);
        assert!(page.next_cursor.is_none());
        let page = Page::cut(Vec::<Uuid>::new(), 4, List::Users, |id| {
            (CursorKey::None, *id)
        });
        assert!(page.items.is_empty() && page.next_cursor.is_none());
    }
}
