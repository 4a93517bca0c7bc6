//! Demo and benchmark data: a deterministic, realistic catalogue.
//!
//! Everything is derived from the item's index through a seeded generator, and ids
//! are fixed UUIDv7s, so a second run inserts nothing and changes nothing. Large
//! data sets (`--puppies 1000000`) use the same generator, with one extra
//! organisation per 100 puppies spread the way real ones are: dense around the
//! demo cities, sparse over their regions, none elsewhere, and of skewed sizes.
//! Dates are anchored to a fixed day (`ANCHOR`) so the data set is the same
//! whenever it is loaded.

pub mod accounts;
pub mod data;
pub mod images;

use std::collections::HashSet;

use bytes::Bytes;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use crate::domain::browse::search_words;
use crate::domain::geo::{destination, Coordinates};
use crate::photos::PhotoStore;
use crate::store::{Param, Store};
use data::{BREEDS, NAMES, ORGANIZATIONS, PALETTES};

/// Puppies in the demo data set.
pub const DEMO_PUPPIES: usize = 300;
/// One extra organisation per this many puppies beyond the demo set.
const PUPPIES_PER_EXTRA_ORG: usize = 100;
/// Rows generated and inserted per transaction.
const BATCH: usize = 2_000;

/// The day the demo data is anchored to.
pub fn anchor() -> DateTime<Utc> {
    // A fixed, valid instant.
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A small, fast, stable pseudo-random generator (SplitMix64): the same seed gives
/// the same data on every platform and every release.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A fixed UUIDv7 for `(kind, index)` at `time`.
fn fixed_id(kind: u64, index: u64, time: DateTime<Utc>) -> Uuid {
    let mut rng = Rng::new(kind.wrapping_mul(1_000_003) ^ index);
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&rng.next().to_be_bytes());
    random[8..].copy_from_slice(&rng.next().to_be_bytes()[..2]);
    uuid::Builder::from_unix_timestamp_millis(time.timestamp_millis().max(0) as u64, &random)
        .into_uuid()
}

const KIND_BREED: u64 = 1;
const KIND_ORG: u64 = 2;
const KIND_PUPPY: u64 = 3;
const KIND_PHOTO: u64 = 4;

fn breed_id(index: usize) -> Uuid {
    fixed_id(KIND_BREED, index as u64, anchor() - Duration::days(400))
}

fn org_id(index: usize) -> Uuid {
    fixed_id(KIND_ORG, index as u64, anchor() - Duration::days(365))
}

/// What a run inserted (zero everywhere on a repeated run).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub breeds: u64,
    pub organizations: u64,
    pub puppies: u64,
    pub photos: u64,
    pub images_written: u64,
}

/// The pool image drawn for a palette and pose.
fn pool_key(palette: usize, pose: usize) -> String {
    let name = PALETTES[palette].name.replace(' ', "-");
    format!("demo/{name}-{pose}")
}

/// Draws and stores the shared demo pictures that are not stored yet.
async fn write_images(photos: &PhotoStore) -> anyhow::Result<u64> {
    let mut written = 0;
    for (palette, _) in PALETTES.iter().enumerate() {
        for pose in 0..images::POSES {
            let key = pool_key(palette, pose);
            let largest = PhotoStore::variant_key(&key, images::FULL_WIDTH);
            if photos.exists(&largest).await? {
                continue;
            }
            let rendered = tokio::task::spawn_blocking(move || {
                images::variants(&images::render(&PALETTES[palette], pose))
            })
            .await??;
            // The largest variant goes last, so its presence means the set is complete.
            for (width, bytes) in rendered {
                photos
                    .put(&PhotoStore::variant_key(&key, width), Bytes::from(bytes))
                    .await?;
                written += 1;
            }
        }
    }
    Ok(written)
}

fn org_rows(total_orgs: usize) -> Vec<Vec<Param>> {
    let created = anchor() - Duration::days(365);
    (0..total_orgs)
        .map(|i| {
            let base = &ORGANIZATIONS[i % ORGANIZATIONS.len()];
            let (slug, name, point, kind) = if i < ORGANIZATIONS.len() {
                (
                    base.slug.to_string(),
                    base.name.to_string(),
                    Coordinates {
                        lat: base.latitude,
                        lng: base.longitude,
                    },
                    base.kind,
                )
            } else {
                let mut rng = Rng::new(i as u64 * 7_919);
                let centre = Coordinates {
                    lat: base.latitude,
                    lng: base.longitude,
                };
                // Most organisations crowd around the city, fewer spread over its
                // region and a few are remote, as real ones are; whatever lies
                // farther (oceans, other regions) has none.
                let km = match rng.below(100) {
                    0..=64 => 1 + rng.below(35),
                    65..=89 => 36 + rng.below(264),
                    _ => 300 + rng.below(600),
                };
                let point = destination(centre, rng.below(360) as f64, km as f64);
                let kind = *rng.pick(&["shelter", "rescue", "rescue", "breeder"]);
                (
                    format!(
                        "{}-{}-{i}",
                        base.city.to_lowercase().replace(' ', "-"),
                        kind
                    ),
                    format!("{} Area {} #{i}", base.city, capitalise(kind)),
                    point,
                    kind,
                )
            };
            vec![
                Param::Id(org_id(i)),
                Param::Text(slug.clone()),
                Param::Text(name.clone()),
                Param::Text(kind.to_string()),
                Param::Text(format!(
                    "{name} finds loving homes for dogs and puppies in and around {}.",
                    base.city
                )),
                Param::Text(format!("https://{slug}.example.org")),
                Param::Text(format!("adopt@{slug}.example.org")),
                Param::Text(format!("+1-555-01{:02}", i % 100)),
                Param::Text(base.city.to_string()),
                Param::Text(base.region.to_string()),
                Param::Text(base.country.to_string()),
                Param::Float(point.lat),
                Param::Float(point.lng),
                Param::Time(created),
                Param::Time(created),
            ]
        })
        .collect()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const ORG_COLUMNS: &[&str] = &[
    "id",
    "slug",
    "name",
    "kind",
    "description",
    "website",
    "email",
    "phone",
    "city",
    "region",
    "country",
    "latitude",
    "longitude",
    "created_at",
    "updated_at",
];

const PUPPY_COLUMNS: &[&str] = &[
    "id",
    "organization_id",
    "name",
    "breed_id",
    "secondary_breed_id",
    "mixed",
    "sex",
    "birth_date",
    "size",
    "coat",
    "colour",
    "good_with_kids",
    "good_with_dogs",
    "good_with_cats",
    "house_trained",
    "vaccinated",
    "neutered",
    "description",
    "fee_cents",
    "currency",
    "status",
    "search_text",
    "listed_at",
    "created_at",
    "updated_at",
];

const PHOTO_COLUMNS: &[&str] = &[
    "id",
    "puppy_id",
    "position",
    "storage_key",
    "width",
    "height",
    "variants",
    "created_at",
];

/// One generated puppy and its photos, as rows.
struct GeneratedPuppy {
    id: Uuid,
    row: Vec<Param>,
    photos: Vec<Vec<Param>>,
}

fn optional_bool(rng: &mut Rng) -> Option<bool> {
    match rng.below(10) {
        0..=5 => Some(true),
        6..=7 => Some(false),
        _ => None,
    }
}

fn generate_puppy(index: usize, total_orgs: usize) -> GeneratedPuppy {
    let mut rng = Rng::new(0xD06 ^ (index as u64).wrapping_mul(0x1000_0000_01B3));
    let listed_at = if index < DEMO_PUPPIES {
        anchor() - Duration::minutes(rng.below(120 * 24 * 60) as i64)
    } else {
        anchor() - Duration::seconds((index as i64) * 31 + rng.below(31) as i64)
    };
    let id = fixed_id(KIND_PUPPY, index as u64, listed_at);
    let org_index = if index < DEMO_PUPPIES {
        index % ORGANIZATIONS.len()
    } else {
        // Shelter sizes are skewed: the first organisations (the demo cities' own)
        // hold thousands, the last a few dozen.
        let u = rng.below(1 << 20) as f64 / f64::from(1u32 << 20);
        ((u * u * total_orgs as f64) as usize).min(total_orgs - 1)
    };
    let org = &ORGANIZATIONS[org_index % ORGANIZATIONS.len()];

    let breed_index = rng.below(BREEDS.len() as u64) as usize;
    let breed = &BREEDS[breed_index];
    let secondary = if breed.slug != "mixed-breed" && rng.chance(20) {
        let other = rng.below(BREEDS.len() as u64) as usize;
        (other != breed_index && BREEDS[other].slug != "mixed-breed").then_some(other)
    } else {
        None
    };
    let mixed = secondary.is_some() || breed.slug == "mixed-breed";
    let sex = if rng.chance(50) { "female" } else { "male" };
    // Mostly young: 70% under a year, the rest up to ten years.
    let age_days = if rng.chance(70) {
        56 + rng.below(300)
    } else {
        365 + rng.below(9 * 365)
    } as i64;
    let birth_date: NaiveDate = (listed_at - Duration::days(age_days)).date_naive();
    let size = match (secondary, breed.size) {
        (Some(other), _) if rng.chance(50) => BREEDS[other].size,
        (_, size) => size,
    };
    let palette_index = rng.below(PALETTES.len() as u64) as usize;
    let colour = PALETTES[palette_index].name;
    let name = *rng.pick(NAMES);
    let (kids, dogs, cats) = (
        optional_bool(&mut rng),
        optional_bool(&mut rng),
        optional_bool(&mut rng),
    );
    let older = age_days > 180;
    let house_trained = rng.chance(if older { 75 } else { 20 });
    let vaccinated = rng.chance(90);
    let neutered = rng.chance(if older { 85 } else { 10 });
    let fee_units = match org.kind {
        "breeder" => 800 + rng.below(68) * 25,
        "rescue" => 150 + rng.below(13) * 25,
        _ => 50 + rng.below(11) * 25,
    };
    let status = match rng.below(100) {
        0..=79 => "available",
        80..=91 => "pending",
        _ => "adopted",
    };
    let breed_label = match secondary {
        Some(other) => format!("{} and {} mix", breed.name, BREEDS[other].name),
        None => breed.name.to_string(),
    };
    let [t1, t2, t3] = breed.temperament;
    let pronoun = if sex == "female" { "She" } else { "He" };
    let extras = [
        (kids == Some(true), "loves children"),
        (dogs == Some(true), "plays nicely with other dogs"),
        (cats == Some(true), "is calm around cats"),
        (house_trained, "is house-trained"),
    ];
    let extras: Vec<&str> = extras
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, t)| *t)
        .collect();
    let description = format!(
        "{name} is a {t1}, {t2} {colour} {breed_label} looking for a forever home. \
         {pronoun} is {t3} and {}. Meet {name} at {} in {}.",
        if extras.is_empty() {
            "still learning the basics".to_string()
        } else {
            extras.join(", ")
        },
        org.name,
        org.city
    );
    let search_text = search_words(&format!("{name} {breed_label} {colour} {description}"));

    let photo_count = if index < DEMO_PUPPIES {
        1 + rng.below(4) as usize
    } else {
        1
    };
    let photos = (0..photo_count)
        .map(|position| {
            let pose = (index + position) % images::POSES;
            vec![
                Param::Id(fixed_id(
                    KIND_PHOTO,
                    (index * 16 + position) as u64,
                    listed_at,
                )),
                Param::Id(id),
                Param::Int(position as i64),
                Param::Text(pool_key(palette_index, pose)),
                Param::Int(i64::from(images::FULL_WIDTH)),
                Param::Int(i64::from(images::FULL_HEIGHT)),
                Param::Text(
                    images::VARIANT_WIDTHS
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                Param::Time(listed_at),
            ]
        })
        .collect();

    let opt = Param::OptBool;
    let row = vec![
        Param::Id(id),
        Param::Id(org_id(org_index)),
        Param::Text(name.to_string()),
        Param::Id(breed_id(breed_index)),
        Param::OptId(secondary.map(breed_id)),
        Param::Bool(mixed),
        Param::Text(sex.to_string()),
        Param::Date(birth_date),
        Param::Text(size.to_string()),
        Param::Text(breed.coat.to_string()),
        Param::Text(colour.to_string()),
        opt(kids),
        opt(dogs),
        opt(cats),
        Param::Bool(house_trained),
        Param::Bool(vaccinated),
        Param::Bool(neutered),
        Param::Text(description),
        Param::Int(fee_units as i64 * 100),
        Param::Text(org.currency.to_string()),
        Param::Text(status.to_string()),
        Param::Text(search_text),
        Param::Time(listed_at),
        Param::Time(listed_at),
        Param::Time(listed_at),
    ];
    GeneratedPuppy { id, row, photos }
}

/// Loads the demo catalogue (and, with `total_puppies` above the demo size, a
/// larger generated one). Safe to run again: existing rows are left untouched.
pub async fn seed(
    store: &Store,
    photos: &PhotoStore,
    total_puppies: usize,
) -> anyhow::Result<SeedReport> {
    let mut report = SeedReport {
        images_written: write_images(photos).await?,
        ..SeedReport::default()
    };

    let breed_rows: Vec<Vec<Param>> = BREEDS
        .iter()
        .enumerate()
        .map(|(i, b)| {
            vec![
                Param::Id(breed_id(i)),
                Param::Text(b.slug.into()),
                Param::Text(b.name.into()),
                Param::Text(b.group.into()),
                Param::Text(b.size.into()),
                Param::Text(b.coat.into()),
                Param::Text(serde_json::to_string(&b.temperament).unwrap_or_else(|_| "[]".into())),
                Param::Text(format!(
                    "The {} is a {} member of the {} group, known for being {}, {} and {}.",
                    b.name, b.size, b.group, b.temperament[0], b.temperament[1], b.temperament[2]
                )),
            ]
        })
        .collect();
    report.breeds = store
        .insert_ignoring_conflicts(
            "breeds",
            &[
                "id",
                "slug",
                "name",
                "breed_group",
                "size",
                "coat",
                "temperament",
                "description",
            ],
            breed_rows,
        )
        .await?;

    let total_puppies = total_puppies.max(DEMO_PUPPIES);
    let extra_orgs = (total_puppies - DEMO_PUPPIES).div_ceil(PUPPIES_PER_EXTRA_ORG);
    let total_orgs = ORGANIZATIONS.len() + extra_orgs;
    report.organizations = store
        .insert_ignoring_conflicts("organizations", ORG_COLUMNS, org_rows(total_orgs))
        .await?;

    let mut start = 0;
    while start < total_puppies {
        let end = (start + BATCH).min(total_puppies);
        // A batch whose last puppy exists was completed by an earlier run.
        let last = generate_puppy(end - 1, total_orgs);
        if store.row_exists("puppies", last.id).await? {
            start = end;
            continue;
        }
        let mut puppy_rows = Vec::with_capacity(end - start);
        let mut photo_rows = Vec::new();
        let mut seen = HashSet::new();
        for index in start..end {
            let puppy = generate_puppy(index, total_orgs);
            if seen.insert(puppy.id) {
                puppy_rows.push(puppy.row);
                photo_rows.extend(puppy.photos);
            }
        }
        report.puppies += store
            .insert_ignoring_conflicts("puppies", PUPPY_COLUMNS, puppy_rows)
            .await?;
        report.photos += store
            .insert_ignoring_conflicts("photos", PHOTO_COLUMNS, photo_rows)
            .await?;
        if total_puppies > 10 * BATCH && end.is_multiple_of(50 * BATCH) {
            tracing::info!(done = end, total = total_puppies, "seeding puppies");
        }
        start = end;
    }
    if report.puppies > 0 {
        store.analyze().await?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let a = generate_puppy(42, ORGANIZATIONS.len());
        let b = generate_puppy(42, ORGANIZATIONS.len());
        assert_eq!(a.id, b.id);
        assert_eq!(a.row, b.row);
        assert_ne!(generate_puppy(43, ORGANIZATIONS.len()).id, a.id);
    }

    #[test]
    fn demo_data_is_varied() {
        let puppies: Vec<GeneratedPuppy> = (0..DEMO_PUPPIES)
            .map(|i| generate_puppy(i, ORGANIZATIONS.len()))
            .collect();
        let ids: HashSet<Uuid> = puppies.iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), DEMO_PUPPIES);
        let photo_counts: HashSet<usize> = puppies.iter().map(|p| p.photos.len()).collect();
        assert_eq!(photo_counts, HashSet::from([1, 2, 3, 4]));
        assert!(BREEDS.len() >= 40);
        assert_eq!(ORGANIZATIONS.len(), 15);
    }
}
