//! The browse list query, built once for both databases.
//!
//! Pagination is by keyset: the page after a cursor holds the rows strictly after
//! the cursor's `(sort key, id)` in the sort order, so rows inserted meanwhile can
//! neither repeat nor push rows off a page.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{bind_params, on_pool, postgres, sqlite, Backend, Param, Store};
use crate::domain::browse::{BrowseFilter, BrowseQuery, Cursor, CursorKey, Sort};
use crate::domain::geo::{bounding_box, Coordinates, EARTH_RADIUS_KM};
use crate::domain::puppy::GoodWith;

/// One row of the browse list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PuppyRecord {
    pub id: Uuid,
    pub name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub size: String,
    pub coat: String,
    pub colour: String,
    pub mixed: bool,
    pub good_with_kids: Option<bool>,
    pub good_with_dogs: Option<bool>,
    pub good_with_cats: Option<bool>,
    pub fee_cents: i64,
    pub currency: String,
    pub status: String,
    pub listed_at: DateTime<Utc>,
    pub breed_slug: String,
    pub breed_name: String,
    pub secondary_breed_slug: Option<String>,
    pub secondary_breed_name: Option<String>,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub organization_city: String,
    pub organization_region: String,
    pub organization_country: String,
    pub organization_slug: String,
    pub organization_kind: String,
    pub organization_website: Option<String>,
    pub organization_latitude: f64,
    pub organization_longitude: f64,
    pub distance_km: Option<f64>,
}

/// The columns of `PuppyRecord`, shared with the detail query.
pub(crate) const PUPPY_COLUMNS: &str =
    "p.id, p.name, p.sex, p.birth_date, p.size, p.coat, p.colour, \
    p.mixed, p.good_with_kids, p.good_with_dogs, p.good_with_cats, p.fee_cents, p.currency, \
    p.status, p.listed_at, b.slug AS breed_slug, b.name AS breed_name, \
    b2.slug AS secondary_breed_slug, b2.name AS secondary_breed_name, \
    o.id AS organization_id, o.name AS organization_name, o.city AS organization_city, \
    o.region AS organization_region, o.country AS organization_country, \
    o.slug AS organization_slug, o.kind AS organization_kind, o.website AS organization_website, \
    o.latitude AS organization_latitude, o.longitude AS organization_longitude";

/// The tables every puppy row is joined with (after `FROM puppies p`).
pub(crate) const PUPPY_RELATIONS: &str = "JOIN breeds b ON b.id = p.breed_id \
    LEFT JOIN breeds b2 ON b2.id = p.secondary_breed_id \
    JOIN organizations o ON o.id = p.organization_id";

/// A page of results and the cursor of the next page, if there is one.
#[derive(Debug)]
pub struct Page {
    pub items: Vec<PuppyRecord>,
    pub next_cursor: Option<Cursor>,
}

/// SQL text with numbered placeholders and the values bound to them.
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    fn new() -> Self {
        Sql {
            text: String::new(),
            params: Vec::new(),
        }
    }

    /// Adds a value and returns its placeholder (`$1`, `$2`, … in both databases).
    fn bind(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    fn bind_list<T>(&mut self, values: &[T], to_param: impl Fn(&T) -> Param) -> String {
        values
            .iter()
            .map(|v| self.bind(to_param(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Haversine distance in km from bound coordinates to the organisation, the same
/// formula as `domain::geo::haversine_km`.
fn distance_sql(backend: Backend, lat: &str, lng: &str) -> String {
    let clamp = match backend {
        Backend::Sqlite => "min",
        Backend::Postgres => "LEAST",
    };
    format!(
        "(2 * {EARTH_RADIUS_KM} * asin({clamp}(1.0, sqrt(\
         power(sin(radians(o.latitude - {lat}) / 2), 2) + \
         cos(radians({lat})) * cos(radians(o.latitude)) * \
         power(sin(radians(o.longitude - {lng}) / 2), 2)))))"
    )
}

/// Builds the list query for `query` (fetching one extra row to detect a next page).
pub(crate) fn build(backend: Backend, query: &BrowseQuery, today: NaiveDate) -> Sql {
    let mut sql = Sql::new();
    let filter: &BrowseFilter = &query.filter;
    let mut conditions: Vec<String> = vec!["p.deleted_at IS NULL".into()];

    let statuses = sql.bind_list(&filter.statuses, |s| Param::Text(s.as_str().into()));
    conditions.push(format!("p.status IN ({statuses})"));
    if !filter.breeds.is_empty() {
        let slugs = sql.bind_list(&filter.breeds, |s| Param::Text(s.clone()));
        conditions.push(format!("(b.slug IN ({slugs}) OR b2.slug IN ({slugs}))"));
    }
    if !filter.sizes.is_empty() {
        let list = sql.bind_list(&filter.sizes, |s| Param::Text(s.as_str().into()));
        conditions.push(format!("p.size IN ({list})"));
    }
    if !filter.sexes.is_empty() {
        let list = sql.bind_list(&filter.sexes, |s| Param::Text(s.as_str().into()));
        conditions.push(format!("p.sex IN ({list})"));
    }
    if !filter.coats.is_empty() {
        let list = sql.bind_list(&filter.coats, |s| Param::Text(s.as_str().into()));
        conditions.push(format!("p.coat IN ({list})"));
    }
    if !filter.ages.is_empty() {
        let mut ranges = Vec::new();
        for group in &filter.ages {
            let (after, on_or_before) = group.birth_date_range(today);
            let mut parts = Vec::new();
            if let Some(after) = after {
                parts.push(format!("p.birth_date > {}", sql.bind(Param::Date(after))));
            }
            if let Some(before) = on_or_before {
                parts.push(format!("p.birth_date <= {}", sql.bind(Param::Date(before))));
            }
            ranges.push(format!("({})", parts.join(" AND ")));
        }
        conditions.push(format!("({})", ranges.join(" OR ")));
    }
    for good in &filter.good_with {
        let column = match good {
            GoodWith::Kids => "p.good_with_kids",
            GoodWith::Dogs => "p.good_with_dogs",
            GoodWith::Cats => "p.good_with_cats",
        };
        conditions.push(format!("{column} = TRUE"));
    }
    if let Some(org) = filter.organization {
        conditions.push(format!("p.organization_id = {}", sql.bind(Param::Id(org))));
    }
    if let Some(text) = &filter.text {
        match backend {
            Backend::Sqlite => {
                let q = sql.bind(Param::Text(sqlite::fts_query(&text.terms)));
                conditions.push(format!(
                    "p.rowid IN (SELECT rowid FROM puppies_fts WHERE puppies_fts MATCH {q})"
                ));
            }
            Backend::Postgres => {
                let q = sql.bind(Param::Text(postgres::tsquery(&text.terms)));
                conditions.push(format!("p.search_vector @@ to_tsquery('simple', {q})"));
            }
        }
    }

    let distance = filter.near.map(|(centre, radius)| {
        let Coordinates { lat, lng } = centre;
        let (lat_p, lng_p) = (sql.bind(Param::Float(lat)), sql.bind(Param::Float(lng)));
        let expr = distance_sql(backend, &lat_p, &lng_p);
        // Narrow by the bounding box first (indexed), then by exact distance.
        let (min_lat, max_lat, lng_range) = bounding_box(centre, radius);
        conditions.push(format!(
            "o.latitude BETWEEN {} AND {}",
            sql.bind(Param::Float(min_lat)),
            sql.bind(Param::Float(max_lat))
        ));
        if let Some((min_lng, max_lng)) = lng_range {
            conditions.push(format!(
                "o.longitude BETWEEN {} AND {}",
                sql.bind(Param::Float(min_lng)),
                sql.bind(Param::Float(max_lng))
            ));
        }
        conditions.push(format!("{expr} <= {}", sql.bind(Param::Float(radius.km()))));
        expr
    });

    let key_column = match query.sort {
        Sort::Newest | Sort::Oldest => "p.listed_at".to_string(),
        Sort::Fee | Sort::FeeDesc => "p.fee_cents".to_string(),
        // The parser guarantees `near` for distance sorts.
        Sort::Distance | Sort::DistanceDesc => distance.clone().unwrap_or_else(|| "0".into()),
    };
    let (direction, comparison) = if query.sort.descending() {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    if let Some(cursor) = &query.cursor {
        let key = match &cursor.key {
            CursorKey::Time(t) => Param::Time(*t),
            CursorKey::Integer(i) if !query.sort.needs_location() => Param::Int(*i),
            CursorKey::Integer(i) => Param::Float(*i as f64),
            CursorKey::Float(f) => Param::Float(*f),
        };
        let key = sql.bind(key);
        let id = sql.bind(Param::Id(cursor.id));
        conditions.push(format!("({key_column}, p.id) {comparison} ({key}, {id})"));
    }

    let distance_column = distance.unwrap_or_else(|| "CAST(NULL AS DOUBLE PRECISION)".into());
    let limit = sql.bind(Param::Int(i64::from(query.limit) + 1));
    sql.text = format!(
        "SELECT {PUPPY_COLUMNS}, {distance_column} AS distance_km FROM puppies p {PUPPY_RELATIONS} \
         WHERE {} ORDER BY {key_column} {direction}, p.id {direction} LIMIT {limit}",
        conditions.join(" AND ")
    );
    sql
}

fn cursor_for(sort: Sort, last: &PuppyRecord) -> Cursor {
    let key = match sort {
        Sort::Newest | Sort::Oldest => CursorKey::Time(last.listed_at),
        Sort::Fee | Sort::FeeDesc => CursorKey::Integer(last.fee_cents),
        Sort::Distance | Sort::DistanceDesc => CursorKey::Float(last.distance_km.unwrap_or(0.0)),
    };
    Cursor {
        sort,
        key,
        id: last.id,
    }
}

impl Store {
    pub async fn browse(&self, query: &BrowseQuery, today: NaiveDate) -> Result<Page, sqlx::Error> {
        let sql = build(self.backend(), query, today);
        let mut items: Vec<PuppyRecord> = on_pool!(self, pool => {
            bind_params!(sqlx::query_as::<_, PuppyRecord>(&sql.text), sql.params.clone())
                .fetch_all(pool)
                .await?
        });
        let limit = query.limit as usize;
        let next_cursor = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|last| cursor_for(query.sort, last))
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }
}
