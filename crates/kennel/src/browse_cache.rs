//! A short-lived cache of the public browse responses (the puppy list and a
//! puppy's detail), per instance.
//!
//! Browse traffic is read-heavy and the same few pages are asked for over and
//! over; building one costs database queries and JSON encoding, which dominate
//! the request (docs/performance.md). Serving the encoded bytes for a second or
//! two makes a popular page nearly free. Correctness rules:
//!
//! - Only responses that are the same for every caller are cached (no
//!   favourites, nothing signed-in), and only successful ones.
//! - Any change made through this instance (a listing created, edited or
//!   deleted, photos added, reordered or removed) empties the cache at once, so
//!   a shelter sees its own edit immediately.
//! - A change made through another instance shows here within the TTL
//!   (`BROWSE_CACHE_SECONDS`, 2 s by default; 0 turns the cache off).
//! - The cache is bounded in entries and in bytes, so memory stays small.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;

/// Most entries kept; beyond this, expired entries are dropped, then all.
const MAX_ENTRIES: usize = 512;
/// Most bytes kept in all entries together.
const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Larger responses are never cached.
const MAX_ENTRY_BYTES: usize = 512 * 1024;

/// One encoded response: the JSON body and its `ETag`, computed once when the
/// body is built, so a hit (or a 304 from one) never hashes again.
#[derive(Clone)]
pub struct Cached {
    pub body: Bytes,
    pub etag: HeaderValue,
}

struct Entry {
    generation: u64,
    stored: Instant,
    value: Cached,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    bytes: usize,
}

pub struct BrowseCache {
    ttl: Duration,
    /// Bumped by every change; entries of an older generation are stale.
    generation: AtomicU64,
    entries: RwLock<Entries>,
}

impl BrowseCache {
    pub fn new(ttl: Duration) -> BrowseCache {
        BrowseCache {
            ttl,
            generation: AtomicU64::new(0),
            entries: RwLock::new(Entries::default()),
        }
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The cached response for `key`, when it is fresh.
    pub fn get(&self, key: &str) -> Option<Cached> {
        if !self.enabled() {
            return None;
        }
        let generation = self.generation.load(Ordering::Acquire);
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.map.get(key)?;
        (entry.generation == generation && entry.stored.elapsed() < self.ttl)
            .then(|| entry.value.clone())
    }

    /// Remembers a response built at `generation` (read with [`Self::generation`]
    /// before the data was read), so a change that raced with building it is
    /// never hidden behind the cache.
    pub fn put(&self, key: &str, generation: u64, value: Cached) {
        let size = value.body.len();
        if !self.enabled() || size > MAX_ENTRY_BYTES {
            return;
        }
        if generation != self.generation.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.map.len() >= MAX_ENTRIES || entries.bytes + size > MAX_BYTES {
            let current = self.generation.load(Ordering::Acquire);
            let ttl = self.ttl;
            entries
                .map
                .retain(|_, e| e.generation == current && e.stored.elapsed() < ttl);
            entries.bytes = entries.map.values().map(|e| e.value.body.len()).sum();
            if entries.map.len() >= MAX_ENTRIES || entries.bytes + size > MAX_BYTES {
                entries.map.clear();
                entries.bytes = 0;
            }
        }
        let entry = Entry {
            generation,
            stored: Instant::now(),
            value,
        };
        if let Some(old) = entries.map.insert(key.to_string(), entry) {
            entries.bytes -= old.value.body.len();
        }
        entries.bytes += size;
    }

    /// The current generation, to pass to [`Self::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Forgets everything: called after any change to what browse shows.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        entries.map.clear();
        entries.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Cached {
        Cached {
            body: Bytes::from(text.to_string()),
            etag: HeaderValue::from_static("W/\"0\""),
        }
    }

    #[test]
    fn serves_fresh_entries_and_forgets_on_change() {
        let cache = BrowseCache::new(Duration::from_secs(60));
        let generation = cache.generation();
        cache.put("a", generation, value("one"));
        assert_eq!(cache.get("a").unwrap().body, "one");
        cache.invalidate();
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn a_response_built_before_a_change_is_not_kept() {
        let cache = BrowseCache::new(Duration::from_secs(60));
        let before = cache.generation();
        cache.invalidate();
        cache.put("a", before, value("stale"));
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn entries_expire_and_zero_turns_it_off() {
        let cache = BrowseCache::new(Duration::from_millis(20));
        cache.put("a", cache.generation(), value("one"));
        std::thread::sleep(Duration::from_millis(30));
        assert!(cache.get("a").is_none());

        let off = BrowseCache::new(Duration::ZERO);
        off.put("a", off.generation(), value("one"));
        assert!(off.get("a").is_none());
    }

    #[test]
    fn stays_within_its_bounds() {
        let cache = BrowseCache::new(Duration::from_secs(60));
        for i in 0..(MAX_ENTRIES * 3) {
            cache.put(&format!("k{i}"), cache.generation(), value("x"));
        }
        let entries = cache.entries.read().unwrap();
        assert!(entries.map.len() <= MAX_ENTRIES);
        assert_eq!(entries.bytes, entries.map.len());
        drop(entries);
        cache.put(
            "big",
            cache.generation(),
            value(&"y".repeat(MAX_ENTRY_BYTES + 1)),
        );
        assert!(cache.get("big").is_none());
    }
}
