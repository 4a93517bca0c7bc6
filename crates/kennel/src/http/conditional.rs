//! HTTP caching of the public catalogue: entity tags, `If-None-Match` → 304, and
//! the `Cache-Control` / `Vary` that let browsers, the app and a CDN keep them.
//!
//! - The tag is a hash of the JSON bytes (XXH3-64), so it changes whenever any
//!   byte of the answer does (an edit, a photo, an organisation's name, a
//!   puppy's age turning over at midnight) and is the same on every instance
//!   for the same bytes: a CDN revalidating against any instance gets its 304.
//!   A puppy's detail tag also carries its version, which `PATCH` reads from
//!   `If-Match`. Tags are weak (`W/`): the same tag names the identity, gzip
//!   and brotli encodings of the answer, which are not byte-identical.
//! - `If-None-Match` is compared weakly (RFC 9110 §13.1.2): `*`, or any tag in
//!   the list whose opaque part equals ours. A field that does not parse as a
//!   list of entity tags is ignored, and the full answer is sent.
//! - Anonymous requests get `public, max-age, stale-while-revalidate`. A request
//!   with `Authorization` gets `private, no-cache`: the body is the same for
//!   everyone, but the response carries that caller's rate-limit state, and a
//!   signed-in shelter editing its listings should revalidate every time (a 304
//!   is cheap) instead of reading a copy that is up to `max-age` old.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use xxhash_rust::xxh3::xxh3_64;

use super::session::carries_session;
use crate::config::Config;
use crate::error::{ApiError, ApiResult};

/// `Vary` of an anonymous answer: only the encoding changes the bytes. (Not
/// `Authorization`: the body does not depend on it, and a CDN such as Cloud CDN
/// refuses to cache a response that varies on anything but a few headers.)
const VARY_PUBLIC: &str = "accept-encoding";
/// `Vary` of a signed-in caller's answer.
const VARY_PRIVATE: &str = "accept-encoding, authorization, cookie";
/// `Cache-Control` of a signed-in caller's answer: keep it, but ask first.
const PRIVATE: &str = "private, no-cache";

/// The weak entity tag of a JSON body: `W/"<xxh3 hex>"`, or with a version
/// (a puppy's detail) `W/"<version>-<xxh3 hex>"`.
///
/// XXH3-64: the tag must be cheap (it is computed once per encoded answer, on
/// pages up to ~150 KB) and stable across processes and releases (unlike the
/// standard library's hasher), and needs no resistance to deliberate
/// collisions: the bytes are the server's own.
pub fn etag(body: &[u8], version: Option<i64>) -> HeaderValue {
    let hash = xxh3_64(body);
    let tag = match version {
        Some(version) => format!("W/\"{version}-{hash:016x}\""),
        None => format!("W/\"{hash:016x}\""),
    };
    // Digits, letters, quotes, `/` and `-` only: always a valid header value.
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// The opaque part of an entity tag (between the quotes), without `W/`.
fn opaque(tag: &[u8]) -> &[u8] {
    let tag = tag.strip_prefix(b"W/").unwrap_or(tag);
    tag.strip_prefix(b"\"")
        .and_then(|t| t.strip_suffix(b"\""))
        .unwrap_or(tag)
}

/// The opaque tags of an `If-None-Match` field line, or `None` when it is not a
/// valid `#entity-tag` list. `Some(vec![])` never means "match".
fn parse_tags(value: &[u8]) -> Option<Vec<&[u8]>> {
    let is_space = |b: u8| b == b' ' || b == b'\t';
    let mut tags = Vec::new();
    let mut rest = value;
    loop {
        // Empty list elements (", ,") are allowed and skipped.
        while let Some((&b, tail)) = rest.split_first() {
            if is_space(b) || b == b',' {
                rest = tail;
            } else {
                break;
            }
        }
        if rest.is_empty() {
            return Some(tags);
        }
        rest = rest.strip_prefix(b"W/").unwrap_or(rest);
        rest = rest.strip_prefix(b"\"")?;
        let end = rest.iter().position(|&b| b == b'"')?;
        let tag = &rest[..end];
        // etagc = %x21 / %x23-7E / obs-text: no spaces or controls.
        if tag.iter().any(|&b| b <= 0x20 || b == 0x7f) {
            return None;
        }
        tags.push(tag);
        rest = &rest[end + 1..];
        while let Some((&b, tail)) = rest.split_first() {
            if is_space(b) {
                rest = tail;
            } else {
                break;
            }
        }
        match rest.first() {
            None | Some(b',') => {}
            Some(_) => return None,
        }
    }
}

/// Whether `If-None-Match` names the current representation (tagged `etag`), so
/// a GET is answered 304. Several field lines count as one list.
pub fn none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = opaque(etag.as_bytes());
    let mut lines = request.get_all(header::IF_NONE_MATCH).iter().peekable();
    if lines.peek().is_none() {
        return false;
    }
    let mut any = false;
    for line in lines {
        let bytes = line.as_bytes();
        if bytes.trim_ascii() == b"*" {
            any = true;
            continue;
        }
        match parse_tags(bytes) {
            Some(tags) => any |= tags.contains(&ours),
            // An invalid field is ignored as a whole.
            None => return false,
        }
    }
    any
}

/// The version named by `If-Match`, `None` when the header is absent. A
/// versioned tag is `W/"<version>-<hash>"` (`"<version>"` alone is accepted
/// too); only the version is compared, since the hash also covers what a change
/// does not conflict with. `from` names where the tag comes from, for the error.
pub fn if_match_version(request: &HeaderMap, from: &str) -> ApiResult<Option<i64>> {
    let Some(value) = request.get(header::IF_MATCH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .map(|v| v.split_once('-').map_or(v, |(version, _)| version))
        .and_then(|v| v.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| ApiError::field("If-Match", format!("must be the ETag from {from}")))
}

/// How public catalogue answers may be cached, from the configuration.
#[derive(Clone, Debug)]
pub struct CachePolicy {
    public: HeaderValue,
}

impl CachePolicy {
    pub fn new(config: &Config) -> CachePolicy {
        let mut value = format!("public, max-age={}", config.http_cache_max_age.as_secs());
        let stale = config.http_cache_stale_while_revalidate.as_secs();
        if stale > 0 {
            value.push_str(&format!(", stale-while-revalidate={stale}"));
        }
        CachePolicy {
            public: HeaderValue::from_str(&value)
                .unwrap_or(HeaderValue::from_static("public, max-age=0")),
        }
    }

    /// `Cache-Control` for anonymous requests.
    pub fn public_value(&self) -> &HeaderValue {
        &self.public
    }

    /// A public JSON answer (the same for every caller): 304 with the caching
    /// headers and no body when `If-None-Match` names `etag`, else 200 with it.
    pub fn respond(&self, request: &HeaderMap, body: Bytes, etag: HeaderValue) -> Response {
        let signed_in = carries_session(request);
        let (cache_control, vary) = if signed_in {
            (HeaderValue::from_static(PRIVATE), VARY_PRIVATE)
        } else {
            (self.public.clone(), VARY_PUBLIC)
        };
        let not_modified = none_match(request, &etag);
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response()
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, etag);
        headers.insert(header::CACHE_CONTROL, cache_control);
        headers.insert(header::VARY, HeaderValue::from_static(vary));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    #[test]
    fn tags_are_weak_stable_and_follow_the_bytes() {
        let a = etag(b"{\"items\":[]}", None);
        assert_eq!(a, etag(b"{\"items\":[]}", None));
        assert_ne!(a, etag(b"{\"items\":[1]}", None));
        let s = a.to_str().unwrap();
        assert!(s.starts_with("W/\"") && s.ends_with('"') && s.len() == 3 + 16 + 1);
        let versioned = etag(b"{}", Some(7));
        assert!(versioned.to_str().unwrap().starts_with("W/\"7-"));
    }

    #[test]
    fn if_none_match_compares_weakly_over_lists_and_lines() {
        let ours = HeaderValue::from_static("W/\"3-abc\"");
        assert!(none_match(&request(&["W/\"3-abc\""]), &ours));
        assert!(
            none_match(&request(&["\"3-abc\""]), &ours),
            "weak comparison"
        );
        assert!(none_match(&request(&["\"x\", W/\"3-abc\""]), &ours));
        assert!(none_match(&request(&[" , \"x\" ,W/\"3-abc\","]), &ours));
        assert!(none_match(&request(&["\"x\"", "W/\"3-abc\""]), &ours));
        assert!(none_match(&request(&["*"]), &ours));
        assert!(!none_match(&request(&["\"3-abd\""]), &ours));
        assert!(!none_match(&request(&["W/\"3\""]), &ours));
        assert!(!none_match(&request(&[]), &ours));
        assert!(!none_match(&request(&[""]), &ours));
    }

    #[test]
    fn if_match_names_a_version() {
        let with = |v: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
            if_match_version(&headers, "GET").map_err(|_| ())
        };
        assert_eq!(if_match_version(&HeaderMap::new(), "GET").ok(), Some(None));
        assert_eq!(with("W/\"7-00ab\""), Ok(Some(7)));
        assert_eq!(with("\"7\""), Ok(Some(7)));
        assert_eq!(with("*"), Err(()));
        assert_eq!(with("W/\"x-1\""), Err(()));
    }

    #[test]
    fn an_invalid_if_none_match_is_ignored() {
        let ours = HeaderValue::from_static("W/\"abc\"");
        for bad in [
            "abc",
            "W/abc",
            "\"abc",
            "\"abc\" \"def\"",
            "\"a b\"",
            "\"abc\"x",
            "W/\"abc\", junk",
        ] {
            assert!(!none_match(&request(&[bad]), &ours), "{bad}");
        }
        // Commas may appear inside a tag.
        let comma = HeaderValue::from_static("\"a,b\"");
        assert!(none_match(&request(&["\"a,b\""]), &comma));
    }

    #[test]
    fn anonymous_and_signed_in_answers_differ_only_in_caching_headers() {
        let policy = CachePolicy {
            public: HeaderValue::from_static("public, max-age=30"),
        };
        let tag = etag(b"{}", None);
        let anonymous = policy.respond(&HeaderMap::new(), Bytes::from_static(b"{}"), tag.clone());
        assert_eq!(anonymous.status(), 200);
        assert_eq!(
            anonymous.headers()[header::CACHE_CONTROL],
            "public, max-age=30"
        );
        assert_eq!(anonymous.headers()[header::VARY], "accept-encoding");

        let mut headers = request(&[tag.to_str().unwrap()]);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        let signed_in = policy.respond(&headers, Bytes::from_static(b"{}"), tag.clone());
        assert_eq!(signed_in.status(), 304);
        assert_eq!(
            signed_in.headers()[header::CACHE_CONTROL],
            "private, no-cache"
        );
        assert_eq!(signed_in.headers()[header::ETAG], tag);
        assert!(signed_in.headers().get(header::CONTENT_TYPE).is_none());
    }
}
