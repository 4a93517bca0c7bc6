//! What every handler and middleware shares: configuration, the store, the photo
//! store, flags, limits and caches, built once at start-up.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::assistant::{self, Assistant};
use crate::browse_cache::BrowseCache;
use crate::config::Config;
use crate::flags::Flags;
use crate::http::conditional::CachePolicy;
use crate::http::protection::LoadShedder;
use crate::http::schema_gate::SchemaGate;
use crate::mail::outbox::Outbox;
use crate::photos::upload::ConversionBudget;
use crate::photos::{PhotoStore, PhotoUrls};
use crate::ratelimit::{RateLimiter, RedisLimiter};
use crate::store::Store;

/// What every handler and middleware shares. Axum clones the state for each of
/// them on every request, so it is one reference-counted pointer.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub config: Arc<Config>,
    pub store: Store,
    pub photos: PhotoStore,
    pub photo_urls: Arc<PhotoUrls>,
    pub schema: SchemaGate,
    /// Photo conversions: how many at once and how much memory together.
    pub photo_budget: ConversionBudget,
    /// This instance's snapshot of the feature flags.
    pub flags: Flags,
    pub limiter: RateLimiter,
    pub shedder: LoadShedder,
    /// Photo uploads being read and converted: `MAX_CONCURRENT_UPLOADS`.
    pub upload_slots: Arc<Semaphore>,
    /// The assistant engine; `None` when no provider is configured.
    pub assistant: Option<Assistant>,
    /// Public browse responses, reused for `BROWSE_CACHE_SECONDS`.
    pub browse_cache: Arc<BrowseCache>,
    /// `Cache-Control` of the public catalogue (`HTTP_CACHE_*`).
    pub cache_policy: CachePolicy,
    /// Wakes the in-process outbox drainer when a request queued a message.
    pub outbox: Outbox,
}

impl AppState {
    pub fn new(config: Config, store: Store, photos: PhotoStore) -> AppState {
        let photo_urls = Arc::new(PhotoUrls::new(
            &config.public_base_url,
            config.photo_base_url.as_ref(),
        ));
        let redis = config.redis_url.as_ref().and_then(|url| {
            RedisLimiter::new(url.expose())
                .map_err(
                    |e| tracing::error!(error = %e, "REDIS_URL unusable; limits are per instance"),
                )
                .ok()
        });
        let limiter = RateLimiter::new(config.protection.rate_limits, redis);
        let shedder = LoadShedder::new(config.protection.max_concurrent_requests);
        let upload_slots = Arc::new(Semaphore::new(config.protection.max_concurrent_uploads));
        let assistant = assistant::engine(config.llm.as_ref());
        let browse_cache = Arc::new(BrowseCache::new(config.browse_cache_ttl));
        let cache_policy = CachePolicy::new(&config);
        AppState(Arc::new(Shared {
            config: Arc::new(config),
            store,
            photos,
            photo_urls,
            schema: SchemaGate::default(),
            photo_budget: ConversionBudget::new(),
            flags: Flags::default(),
            limiter,
            shedder,
            upload_slots,
            assistant,
            browse_cache,
            cache_policy,
            outbox: Outbox::default(),
        }))
    }
}
