//! Hand-made catalogue rows for tests that need exact, known data.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use kennel::domain::browse::search_words;
use kennel::store::{Param, Store};
use uuid::Uuid;

/// Runs one statement with binds on whichever database the store holds.
pub async fn execute(store: &Store, sql: &str, params: Vec<Param>) {
    store.execute(sql, params).await.unwrap();
}

pub async fn breed(store: &Store, slug: &str, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    execute(
        store,
        "INSERT INTO breeds (id, slug, name, breed_group, size, coat, temperament, description) \
         VALUES ($1, $2, $3, 'Test', 'medium', 'short', '[\"kind\"]', '')",
        vec![
            Param::Id(id),
            Param::Text(slug.into()),
            Param::Text(name.into()),
        ],
    )
    .await;
    id
}

pub async fn organization(store: &Store, slug: &str, lat: f64, lng: f64) -> Uuid {
    let id = Uuid::now_v7();
    let now = Utc::now();
    execute(
        store,
        "INSERT INTO organizations (id, slug, name, kind, description, website, email, phone, \
         city, region, country, latitude, longitude, created_at, updated_at) \
         VALUES ($1, $2, $3, 'shelter', '', NULL, 'private@example.org', '+1-555-0100', \
         'Testville', 'TS', 'US', $4, $5, $6, $6)",
        vec![
            Param::Id(id),
            Param::Text(slug.into()),
            Param::Text(format!("Org {slug}")),
            Param::Float(lat),
            Param::Float(lng),
            Param::Time(now),
        ],
    )
    .await;
    id
}

pub struct PuppySpec {
    pub name: String,
    pub breed: Uuid,
    pub organization: Uuid,
    pub fee_cents: i64,
    pub listed_at: DateTime<Utc>,
    pub status: &'static str,
    pub description: String,
    pub birth_date: NaiveDate,
}

impl PuppySpec {
    pub fn new(name: &str, breed: Uuid, organization: Uuid) -> PuppySpec {
        PuppySpec {
            name: name.into(),
            breed,
            organization,
            fee_cents: 10_000,
            listed_at: Utc::now(),
            status: "available",
            description: String::new(),
            birth_date: (Utc::now() - Duration::days(90)).date_naive(),
        }
    }
}

pub async fn puppy(store: &Store, spec: PuppySpec) -> Uuid {
    let id = Uuid::now_v7();
    let search = search_words(&format!("{} {}", spec.name, spec.description));
    execute(
        store,
        "INSERT INTO puppies (id, organization_id, name, breed_id, mixed, sex, birth_date, size, \
         coat, colour, good_with_kids, good_with_dogs, good_with_cats, house_trained, vaccinated, \
         neutered, description, fee_cents, currency, status, search_text, listed_at, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, FALSE, 'female', $5, 'medium', 'short', 'tan', \
         TRUE, NULL, FALSE, FALSE, TRUE, FALSE, $6, $7, 'USD', $8, $9, $10, $10, $10)",
        vec![
            Param::Id(id),
            Param::Id(spec.organization),
            Param::Text(spec.name),
            Param::Id(spec.breed),
            Param::Date(spec.birth_date),
            Param::Text(spec.description),
            Param::Int(spec.fee_cents),
            Param::Text(spec.status.into()),
            Param::Text(search),
            Param::Time(spec.listed_at),
        ],
    )
    .await;
    id
}

pub async fn soft_delete(store: &Store, id: Uuid) {
    execute(
        store,
        "UPDATE puppies SET deleted_at = $1 WHERE id = $2",
        vec![Param::Time(Utc::now()), Param::Id(id)],
    )
    .await;
}
