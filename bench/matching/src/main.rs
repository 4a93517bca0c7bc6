//! Matching new listings against saved searches, at 10,000, 100,000 and
//! 1,000,000 searches, on SQLite or Postgres.
//!
//! Loads the demo catalogue (organisations dense around its cities, sparse over
//! their regions), then saved searches the way adopters make them: 80% around
//! a home in one of forty US metropolitan areas drawn by population, 15%
//! anywhere in the country, 5% with no place; radii from 10 to 1,000 km
//! (mostly 25 to 50); 65% with a breed, many with sizes, ages, good-with, coat
//! or text. Each step adds searches up to the next size and
//! measures, for listings drawn at random from the catalogue:
//!
//! - match: finding the searches one listing matches (the index lookup and the
//!   exact test), one listing at a time: p50, p95, p99, and the candidates and
//!   matches per listing;
//! - bulk: 1,000 listings matched and their matches recorded (with the alerts
//!   they make due), one after the other, as the outbox job does: total time.
//!
//! Usage: kennel-bench-matching [--database-url URL] [--sizes 10000,100000,1000000]
//!                              [--puppies 10000] [--sample 300] [--bulk 1000]
//! Without --database-url it uses a SQLite file in a temporary folder. A
//! Postgres URL must name an empty database (it is migrated and loaded).

use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use uuid::Uuid;

use kennel::alerts::Alerts;
use kennel::config::{Config, Env};
use kennel::domain::browse::{BrowseFilter, SearchText};
use kennel::domain::geo::{destination, Coordinates, RadiusKm};
use kennel::domain::matching::SearchKeys;
use kennel::domain::puppy::{AgeGroup, Coat, GoodWith, Size};
use kennel::flags::Flags;
use kennel::photos::PhotoStore;
use kennel::store::{Param, PoolSettings, Store};

struct Args {
    database_url: Option<String>,
    sizes: Vec<usize>,
    puppies: usize,
    sample: usize,
    bulk: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut args = Args {
        database_url: None,
        sizes: vec![10_000, 100_000, 1_000_000],
        puppies: 10_000,
        sample: 300,
        bulk: 1_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--database-url" => args.database_url = Some(value),
            "--sizes" => {
                args.sizes = value
                    .split(',')
                    .map(|s| s.trim().parse())
                    .collect::<Result<_, _>>()
                    .context("--sizes: whole numbers separated by commas")?
            }
            "--puppies" => args.puppies = value.parse().context("--puppies")?,
            "--sample" => args.sample = value.parse().context("--sample")?,
            "--bulk" => args.bulk = value.parse().context("--bulk")?,
            other => anyhow::bail!("unknown option {other}"),
        }
    }
    Ok(args)
}

/// xorshift64*: deterministic, so every run loads the same searches.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TERMS: [&str; 8] = [
    "calm", "playful", "house", "trained", "gentle", "fetch", "quiet", "cuddly",
];

/// Metropolitan areas adopters live in: centre and population in millions
/// (rounded public figures); adopters are drawn in proportion.
const METROS: &[(f64, f64, f64)] = &[
    (40.71, -74.01, 19.5),
    (34.05, -118.24, 12.9),
    (41.88, -87.63, 9.4),
    (32.78, -96.80, 7.9),
    (29.76, -95.37, 7.3),
    (38.91, -77.04, 6.3),
    (39.95, -75.17, 6.2),
    (25.76, -80.19, 6.1),
    (33.75, -84.39, 6.2),
    (42.36, -71.06, 4.9),
    (33.45, -112.07, 5.0),
    (37.77, -122.42, 4.6),
    (33.95, -117.40, 4.6),
    (42.33, -83.05, 4.3),
    (47.61, -122.33, 4.0),
    (44.98, -93.27, 3.7),
    (32.72, -117.16, 3.3),
    (27.95, -82.46, 3.3),
    (39.74, -104.99, 3.0),
    (39.29, -76.61, 2.8),
    (38.63, -90.20, 2.8),
    (28.54, -81.38, 2.7),
    (35.23, -80.84, 2.7),
    (29.42, -98.49, 2.6),
    (45.52, -122.68, 2.5),
    (38.58, -121.49, 2.4),
    (40.44, -79.99, 2.4),
    (30.27, -97.74, 2.4),
    (36.17, -115.14, 2.3),
    (39.10, -84.51, 2.3),
    (39.10, -94.58, 2.2),
    (39.96, -83.00, 2.1),
    (39.77, -86.16, 2.1),
    (41.50, -81.69, 2.1),
    (37.34, -121.89, 2.0),
    (36.16, -86.78, 2.0),
    (40.76, -111.89, 1.3),
    (43.62, -116.20, 0.8),
    (47.66, -117.43, 0.6),
    (44.05, -123.09, 0.4),
];

/// A metro drawn in proportion to its population.
fn metro(rng: &mut Rng) -> Coordinates {
    let total: f64 = METROS.iter().map(|m| m.2).sum();
    let mut x = rng.unit() * total;
    for &(lat, lng, people) in METROS {
        if x < people {
            return Coordinates { lat, lng };
        }
        x -= people;
    }
    Coordinates {
        lat: METROS[0].0,
        lng: METROS[0].1,
    }
}

/// One saved search as an adopter might make it: near where they live (most
/// live in a metro area), sometimes anywhere in the country, rarely with no
/// place; with the filters adopters set most.
fn search(rng: &mut Rng, breeds: &[String]) -> BrowseFilter {
    let mut filter = BrowseFilter::default();
    let roll = rng.unit();
    let radius = |rng: &mut Rng| {
        let km = *rng.pick(&[
            10.0, 10.0, 10.0, 25.0, 25.0, 25.0, 25.0, 25.0, 50.0, 50.0, 50.0, 50.0, 50.0, 50.0,
            100.0, 100.0, 100.0, 250.0, 250.0, 1000.0,
        ]);
        RadiusKm::clamped(km)
    };
    if roll < 0.80 {
        let home = destination(metro(rng), rng.unit() * 360.0, rng.unit() * 40.0);
        filter.near = Some((home, radius(rng)));
    } else if roll < 0.95 {
        let home = Coordinates {
            lat: 25.0 + rng.unit() * 24.0,
            lng: -124.0 + rng.unit() * 57.0,
        };
        filter.near = Some((home, radius(rng)));
    }
    if rng.chance(0.65) {
        filter.breeds.push(rng.pick(breeds).clone());
        if rng.chance(0.15) {
            filter.breeds.push(rng.pick(breeds).clone());
        }
    }
    if rng.chance(0.45) {
        filter.sizes.push(*rng.pick(Size::ALL));
    }
    if rng.chance(0.3) {
        filter.ages.push(*rng.pick(AgeGroup::ALL));
    }
    if rng.chance(0.2) {
        filter.good_with.push(*rng.pick(GoodWith::ALL));
    }
    if rng.chance(0.1) {
        filter.coats.push(*rng.pick(Coat::ALL));
    }
    if rng.chance(0.05) {
        filter.text = SearchText::parse(TERMS[rng.below(TERMS.len())]).ok();
    }
    filter
}

/// Adds saved searches (ten per adopter) until there are `target`.
async fn load_searches(
    store: &Store,
    rng: &mut Rng,
    breeds: &[String],
    from: usize,
    target: usize,
) -> anyhow::Result<()> {
    const CHUNK: usize = 5_000;
    let now = Utc::now();
    let mut n = from;
    while n < target {
        let end = (n + CHUNK).min(target);
        let mut users = Vec::new();
        let mut searches = Vec::new();
        let mut keys = Vec::new();
        let mut owner = Uuid::nil();
        for i in n..end {
            if i % 10 == 0 {
                owner = Uuid::now_v7();
                users.push(vec![
                    Param::Id(owner),
                    Param::Text(format!("adopter-{}@bench.kennel.test", i / 10)),
                    Param::Text("not-a-hash".into()),
                    Param::Text(format!("Adopter {}", i / 10)),
                    Param::Text("adopter".into()),
                    Param::Time(now),
                    Param::Time(now),
                ]);
            }
            let id = Uuid::now_v7();
            let filter = search(rng, breeds);
            searches.push(vec![
                Param::Id(id),
                Param::Id(owner),
                Param::Text(format!("Search {i}")),
                Param::Text(String::new()),
                Param::Bool(false),
                Param::Time(now),
                Param::Time(now),
            ]);
            let Some(k) = SearchKeys::of(&filter) else {
                continue;
            };
            let axis = |i: usize| k.reach.map(|r| r.centre[i]);
            for cell in &k.cells {
                for breed in &k.breeds {
                    keys.push(vec![
                        Param::Int(*cell),
                        Param::Text(breed.clone()),
                        Param::Id(id),
                        Param::Int(k.sizes.into()),
                        Param::Int(k.sexes.into()),
                        Param::Int(k.ages.into()),
                        Param::Int(k.coats.into()),
                        Param::Int(k.good_with.into()),
                        Param::OptId(k.organization),
                        Param::OptFloat(axis(0)),
                        Param::OptFloat(axis(1)),
                        Param::OptFloat(axis(2)),
                        Param::OptFloat(k.reach.map(|r| r.min_dot)),
                        Param::OptText(k.terms.clone()),
                    ]);
                }
            }
        }
        store
            .insert_ignoring_conflicts(
                "users",
                &[
                    "id",
                    "email",
                    "password_hash",
                    "display_name",
                    "role",
                    "created_at",
                    "updated_at",
                ],
                users,
            )
            .await?;
        store
            .insert_ignoring_conflicts(
                "saved_searches",
                &[
                    "id",
                    "user_id",
                    "name",
                    "query",
                    "paused",
                    "created_at",
                    "updated_at",
                ],
                searches,
            )
            .await?;
        store
            .insert_ignoring_conflicts(
                "saved_search_keys",
                &[
                    "cell",
                    "breed",
                    "search_id",
                    "sizes",
                    "sexes",
                    "ages",
                    "coats",
                    "good_with",
                    "organization_id",
                    "x",
                    "y",
                    "z",
                    "min_dot",
                    "terms",
                ],
                keys,
            )
            .await?;
        n = end;
    }
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The available puppies (listings to match), read beside the store.
async fn catalogue(url: &str, puppies: usize) -> anyhow::Result<Vec<Uuid>> {
    let puppies_sql = format!(
        "SELECT id FROM puppies WHERE status = 'available' AND deleted_at IS NULL \
         ORDER BY id LIMIT {puppies}"
    );
    Ok(if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url).await?;
        sqlx::query_scalar(&puppies_sql).fetch_all(&pool).await?
    } else {
        let pool = sqlx::PgPool::connect(url).await?;
        sqlx::query_scalar(&puppies_sql).fetch_all(&pool).await?
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let dir = tempfile::tempdir()?;
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let config = Config::from_env(&Env::from_pairs([
        ("DATABASE_URL", url.as_str()),
        ("EXPO_PUSH_URL", "http://127.0.0.1:9"),
    ]))
    .map_err(|e| anyhow::anyhow!("{}: {}", e.variable, e.message))?;
    let store = Store::connect(&config.database_url, &PoolSettings::default()).await?;
    store.migrate().await?;
    let backend = store.backend().as_str();
    let photos = PhotoStore::open(&format!("file://{}", dir.path().join("photos").display()))?;
    let started = Instant::now();
    kennel::seed::seed(&store, &photos, args.puppies).await?;
    eprintln!(
        "catalogue of {} puppies loaded in {:.1} s",
        args.puppies,
        started.elapsed().as_secs_f64()
    );
    let breeds: Vec<String> = store.breeds().await?.into_iter().map(|b| b.slug).collect();
    let puppy_ids = catalogue(&url, args.puppies).await?;
    let alerts = Alerts::new(store.clone(), Flags::default(), &config.push)?;
    let mut facts = Vec::new();
    for id in &puppy_ids {
        if let Some(f) = store.listing_facts(*id).await? {
            facts.push(f);
        }
    }
    anyhow::ensure!(!facts.is_empty(), "the catalogue has no available puppy");

    println!(
        "| database | saved searches | listings | match p50 | p95 | p99 | candidates / listing | matches / listing | {} listings matched and recorded |",
        args.bulk
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut loaded = 0;
    for &size in &args.sizes {
        let started = Instant::now();
        load_searches(&store, &mut rng, &breeds, loaded, size).await?;
        loaded = size;
        // Fresh statistics and visibility map, as autovacuum leaves them after
        // a load (index-only scans need the latter).
        if !url.starts_with("sqlite") {
            let pool = sqlx::PgPool::connect(&url).await?;
            sqlx::query("VACUUM ANALYZE saved_search_keys")
                .execute(&pool)
                .await?;
            sqlx::query("VACUUM ANALYZE saved_searches")
                .execute(&pool)
                .await?;
            pool.close().await;
        }
        eprintln!(
            "{size} saved searches loaded in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        // One listing at a time, drawn at random; the first pass warms the cache.
        let mut times = Vec::with_capacity(args.sample);
        let (mut candidates, mut matched) = (0usize, 0usize);
        for round in 0..2 {
            times.clear();
            candidates = 0;
            matched = 0;
            for _ in 0..args.sample {
                let listing = rng.pick(&facts);
                let t = Instant::now();
                let (c, m) = alerts
                    .matching_searches(listing)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                if round == 1 {
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                candidates += c;
                matched += m.len();
            }
        }
        times.sort_by(|a, b| a.total_cmp(b));
        eprintln!(
            "{size}: match p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, {} candidates and {} matches per listing",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            candidates / args.sample,
            matched / args.sample
        );
        // Bulk: listings matched and recorded one after another, as the job does.
        let t = Instant::now();
        let mut recorded = 0;
        for i in 0..args.bulk {
            let listing = &facts[i % facts.len()];
            let (_, m) = alerts
                .matching_searches(listing)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            recorded += store
                .record_matches(listing.id, &m, Utc::now())
                .await?
                .new_matches;
        }
        let bulk = t.elapsed().as_secs_f64();
        eprintln!("{size}: match and bulk measured");
        println!(
            "| {backend} | {size} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {} | {} | {:.1} s ({recorded} matches) |",
            args.sample,
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            candidates / args.sample,
            matched / args.sample,
            bulk
        );
    }
    store.close().await;
    Ok(())
}
