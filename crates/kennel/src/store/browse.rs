//! The browse list query, built once for both databases.
//!
//! Pagination is by keyset: the page after a cursor holds the rows strictly after
//! the cursor's `(sort key, id)` in the sort order, so rows inserted meanwhile can
//! neither repeat nor push rows off a page.
//!
//! Text search on SQLite picks its plan per request (`TextPlan`), so that its cost
//! does not grow with the number of puppies: a term found in many puppies is found
//! by walking the sort order's index and testing each row's words, a term found in
//! few by starting from the FTS5 index. Postgres decides the same from its
//! statistics.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::{bind_params, on_pool, postgres, sqlite, Backend, Param, Store};
use crate::domain::browse::{BrowseFilter, BrowseQuery, SearchText, Sort};
use crate::domain::geo::{bounding_box, Coordinates, RadiusKm, EARTH_RADIUS_KM};
use crate::domain::paging::{CursorKey, List, Page};
use crate::domain::puppy::{Coat, GoodWith, OrganizationKind, Sex, Size, Status};

/// One row of the browse list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PuppyRecord {
    pub id: Uuid,
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub size: Size,
    pub coat: Coat,
    pub colour: String,
    pub mixed: bool,
    pub good_with_kids: Option<bool>,
    pub good_with_dogs: Option<bool>,
    pub good_with_cats: Option<bool>,
    pub fee_cents: i64,
    pub currency: String,
    pub status: Status,
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
    pub organization_kind: OrganizationKind,
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

/// How many rows of the sort order's index a `TextPlan::Window` search tests
/// before it gives way to the FTS5 index.
const TEXT_WINDOW_ROWS: u32 = 2_000;

/// Up to how many matches a text search starts from the FTS5 index and sorts them;
/// with more, it walks the sort order's index instead.
const TEXT_MATCHES_SORTED: i64 = 2_000;

/// How SQLite finds the puppies matching a text search. Each plan returns the same
/// rows: a puppy matches when one of its words (`search_words`) starts with every
/// term, which each plan tests with `LIKE`; the FTS5 index only narrows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TextPlan {
    /// Walk the sort order's index up to and including `last`, the sort key and id
    /// of the window's last row (`None`: to the end), and test each row. Cheap
    /// whenever matches are common; the answer is complete only if it fills the
    /// page or the window reaches the end.
    Window { last: Option<(CursorKey, Uuid)> },
    /// Take every FTS5 match and sort them: for terms found in few puppies.
    Matches,
    /// Walk the sort order's index, testing each row against the set of FTS5 matches.
    Membership,
}

/// SQL text with numbered placeholders and the values bound to them.
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    pub(super) fn new() -> Self {
        Sql {
            text: String::new(),
            params: Vec::new(),
        }
    }

    /// Adds a value and returns its placeholder (`$1`, `$2`, … in both databases).
    pub(super) fn bind(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    pub(super) fn bind_list<T>(&mut self, values: &[T], to_param: impl Fn(&T) -> Param) -> String {
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

/// The conditions every browse plan applies: not deleted, status and the attribute
/// filters, and a text search's exact test (on SQLite each term as a word prefix;
/// the FTS5 index only narrows, per `TextPlan`). Not `near`, which each plan
/// applies its own way.
pub(crate) fn filter_conditions(
    sql: &mut Sql,
    backend: Backend,
    filter: &BrowseFilter,
    today: NaiveDate,
) -> Vec<String> {
    let mut conditions: Vec<String> = vec!["p.deleted_at IS NULL".into()];

    let statuses = sql.bind_list(&filter.statuses, |s| Param::Text(s.as_str().into()));
    conditions.push(format!("p.status IN ({statuses})"));
    if !filter.breeds.is_empty() {
        // By id, so the test needs no join: a plan may read the puppy from an index
        // alone (`store::nearby`).
        let slugs = sql.bind_list(&filter.breeds, |s| Param::Text(s.clone()));
        conditions.push(format!(
            "(p.breed_id IN (SELECT id FROM breeds WHERE slug IN ({slugs})) \
             OR p.secondary_breed_id IN (SELECT id FROM breeds WHERE slug IN ({slugs})))"
        ));
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
        conditions.extend(text_conditions(sql, backend, text, "p"));
    }
    conditions
}

/// The conditions that keep the puppies (as `alias`) whose words match `text`.
pub(crate) fn text_conditions(
    sql: &mut Sql,
    backend: Backend,
    text: &SearchText,
    alias: &str,
) -> Vec<String> {
    match backend {
        Backend::Sqlite => text
            .terms
            .iter()
            .map(|term| {
                let pattern = sql.bind(Param::Text(sqlite::word_prefix_pattern(term)));
                format!("' ' || {alias}.search_text LIKE {pattern}")
            })
            .collect(),
        Backend::Postgres => {
            let q = sql.bind(Param::Text(postgres::tsquery(&text.terms)));
            vec![format!(
                "{alias}.search_vector @@ to_tsquery('simple', {q})"
            )]
        }
    }
}

/// Builds the list query for `query` (fetching one extra row to detect a next page),
/// in one of the indexed sort orders (newest, fee). `text_plan` says how SQLite
/// searches text; Postgres ignores it. `within`, when given, keeps the puppies
/// within that radius, tested row by row as the sort order's index is walked (the
/// plan for a radius holding many organisations); distance sorts and radii holding
/// few organisations are `store::nearby`'s.
pub(crate) fn build(
    backend: Backend,
    query: &BrowseQuery,
    today: NaiveDate,
    text_plan: &TextPlan,
    within: Option<(Coordinates, RadiusKm)>,
) -> Sql {
    debug_assert!(
        !query.sort.needs_location(),
        "distance sorts are store::nearby's"
    );
    let mut sql = Sql::new();
    let filter: &BrowseFilter = &query.filter;
    let mut conditions = filter_conditions(&mut sql, backend, filter, today);
    let mut from = "puppies p".to_string();

    let mut text_window = None;
    if let (Some(text), Backend::Sqlite) = (&filter.text, backend) {
        match text_plan {
            TextPlan::Window { last } => text_window = last.as_ref(),
            TextPlan::Matches => {
                let q = sql.bind(Param::Text(sqlite::fts_query(&text.terms)));
                // CROSS JOIN keeps the matches as the outer loop.
                from = "puppies_fts f CROSS JOIN puppies p ON p.rowid = f.rowid".into();
                conditions.push(format!("f.puppies_fts MATCH {q}"));
            }
            TextPlan::Membership => {
                let q = sql.bind(Param::Text(sqlite::fts_query(&text.terms)));
                conditions.push(format!(
                    "p.rowid IN (SELECT rowid FROM puppies_fts WHERE puppies_fts MATCH {q})"
                ));
            }
        }
    }
    let distance = within.map(|(centre, radius)| {
        let Coordinates { lat, lng } = centre;
        let (lat_p, lng_p) = (sql.bind(Param::Float(lat)), sql.bind(Param::Float(lng)));
        let expr = distance_sql(backend, &lat_p, &lng_p);
        // Narrow by the bounding box first, then by exact distance.
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

    let key_column = indexed_sort_column(query.sort);
    let direction = direction(query.sort);
    conditions.extend(after_cursor(&mut sql, query, key_column));
    if let Some((key, id)) = text_window {
        // Up to and including the window's last row: the walk stops there even
        // when no row matches.
        let within = if query.sort.descending() { ">=" } else { "<=" };
        conditions.push(keyset_condition(&mut sql, key_column, within, key, *id));
    }

    let distance_column = distance.unwrap_or_else(|| "CAST(NULL AS DOUBLE PRECISION)".into());
    let limit = sql.bind(Param::Int(i64::from(query.limit) + 1));
    sql.text = format!(
        "SELECT {PUPPY_COLUMNS}, {distance_column} AS distance_km \
         FROM {from} {PUPPY_RELATIONS} \
         WHERE {} ORDER BY {key_column} {direction}, p.id {direction} LIMIT {limit}",
        conditions.join(" AND ")
    );
    sql
}

/// Whether a text search can walk a window of the sort order's index: the sort is
/// an indexed column and the index is read for a single status.
fn window_applies(query: &BrowseQuery) -> bool {
    query.filter.statuses.len() == 1 && !query.sort.needs_location()
}

/// The column of a sort order that has a browse index (all but distance).
pub(super) fn indexed_sort_column(sort: Sort) -> &'static str {
    match sort {
        Sort::Fee | Sort::FeeDesc => "p.fee_cents",
        _ => "p.listed_at",
    }
}

pub(super) fn direction(sort: Sort) -> &'static str {
    if sort.descending() {
        "DESC"
    } else {
        "ASC"
    }
}

/// `(sort key, id) <op> (key, id)`, with the key bound as the column's type.
fn keyset_condition(
    sql: &mut Sql,
    key_column: &str,
    op: &str,
    key: &CursorKey,
    id: Uuid,
) -> String {
    let key = match key {
        CursorKey::Time(t) => Param::Time(*t),
        CursorKey::Integer(i) => Param::Int(*i),
        CursorKey::Float(f) => Param::Float(*f),
        // A browse cursor always has a key (`Cursor::decode` checks its kind).
        CursorKey::None => return format!("p.id {op} {}", sql.bind(Param::Id(id))),
    };
    let key = sql.bind(key);
    let id = sql.bind(Param::Id(id));
    format!("({key_column}, p.id) {op} ({key}, {id})")
}

/// The rows strictly after the query's cursor in its sort order, if it has one.
pub(super) fn after_cursor(sql: &mut Sql, query: &BrowseQuery, key_column: &str) -> Option<String> {
    let cursor = query.cursor.as_ref()?;
    let after = if query.sort.descending() { "<" } else { ">" };
    Some(keyset_condition(
        sql,
        key_column,
        after,
        &cursor.key,
        cursor.id,
    ))
}

/// The sort key and id of the `rows`-th puppy after the cursor in the sort order,
/// counting every puppy of the status (the end of a `TextPlan::Window`), read from
/// the index alone.
fn window_end(query: &BrowseQuery, rows: u32) -> Sql {
    let mut sql = Sql::new();
    let key_column = indexed_sort_column(query.sort);
    let statuses = sql.bind_list(&query.filter.statuses, |s| Param::Text(s.as_str().into()));
    let mut conditions = vec![
        "p.deleted_at IS NULL".to_string(),
        format!("p.status IN ({statuses})"),
    ];
    conditions.extend(after_cursor(&mut sql, query, key_column));
    let direction = direction(query.sort);
    let offset = sql.bind(Param::Int(i64::from(rows.max(1)) - 1));
    sql.text = format!(
        "SELECT {key_column} AS sort_key, p.id AS id FROM puppies p WHERE {} \
         ORDER BY {key_column} {direction}, p.id {direction} LIMIT 1 OFFSET {offset}",
        conditions.join(" AND ")
    );
    sql
}

/// The order of an indexed sort, as the databases order it: by the sort key, then
/// by id (UUIDs compare bytewise in both).
pub(super) fn sort_order(sort: Sort, a: &PuppyRecord, b: &PuppyRecord) -> std::cmp::Ordering {
    let ascending = match sort {
        Sort::Fee | Sort::FeeDesc => a.fee_cents.cmp(&b.fee_cents),
        _ => a.listed_at.cmp(&b.listed_at),
    }
    .then_with(|| a.id.cmp(&b.id));
    if sort.descending() {
        ascending.reverse()
    } else {
        ascending
    }
}

/// Where a puppy stands in a sort order: its sort key and id.
fn position(sort: Sort, puppy: &PuppyRecord) -> (CursorKey, Uuid) {
    let key = match sort {
        Sort::Newest | Sort::Oldest => CursorKey::Time(puppy.listed_at),
        Sort::Fee | Sort::FeeDesc => CursorKey::Integer(puppy.fee_cents),
        Sort::Distance | Sort::DistanceDesc => CursorKey::Float(puppy.distance_km.unwrap_or(0.0)),
    };
    (key, puppy.id)
}

/// The page of `rows` (up to `limit + 1` of the answer, in order) and its next cursor.
fn cut(query: &BrowseQuery, rows: Vec<PuppyRecord>) -> Page<PuppyRecord> {
    Page::cut(rows, query.limit, List::Puppies(query.sort), |last| {
        position(query.sort, last)
    })
}

impl Store {
    pub async fn browse(
        &self,
        query: &BrowseQuery,
        today: NaiveDate,
    ) -> Result<Page<PuppyRecord>, sqlx::Error> {
        let limit = query.limit as usize;
        let items = if query.filter.statuses.len() > 1 && !query.sort.needs_location() {
            // The browse indexes lead with the status, so they give the sort order
            // for one status at a time; a query over several would sort every row
            // of them (seconds at a million puppies). Instead each status is read
            // in index order and the pages are merged.
            let mut merged = Vec::new();
            for status in &query.filter.statuses {
                let mut one = query.clone();
                one.filter.statuses = vec![*status];
                merged.extend(self.browse_one(&one, today).await?);
            }
            merged.sort_by(|a, b| sort_order(query.sort, a, b));
            merged.truncate(limit + 1);
            merged
        } else {
            self.browse_one(query, today).await?
        };
        Ok(cut(query, items))
    }

    /// Up to `limit + 1` rows of the answer in order.
    async fn browse_one(
        &self,
        query: &BrowseQuery,
        today: NaiveDate,
    ) -> Result<Vec<PuppyRecord>, sqlx::Error> {
        match query.filter.near {
            Some((centre, radius)) => self.browse_near(query, centre, radius, today).await,
            None => self.browse_rows(query, today, None).await,
        }
    }

    /// Up to `limit + 1` rows of the answer in an indexed sort order, walking its
    /// index (keeping only the puppies within `within`'s radius, when given).
    pub(super) async fn browse_rows(
        &self,
        query: &BrowseQuery,
        today: NaiveDate,
        within: Option<(Coordinates, RadiusKm)>,
    ) -> Result<Vec<PuppyRecord>, sqlx::Error> {
        match (self, &query.filter.text) {
            (Store::Sqlite(pool), Some(text)) => {
                self.sqlite_text_search(pool, query, &text.terms, today, within)
                    .await
            }
            _ => {
                self.fetch_puppies(&build(
                    self.backend(),
                    query,
                    today,
                    &TextPlan::Membership,
                    within,
                ))
                .await
            }
        }
    }

    /// A `TextPlan::Window` over the next `rows` puppies after the query's cursor.
    async fn window_plan(
        &self,
        pool: &sqlx::SqlitePool,
        query: &BrowseQuery,
        rows: u32,
    ) -> Result<TextPlan, sqlx::Error> {
        let sql = window_end(query, rows);
        let row = bind_params!(sqlx::query(&sql.text), sql.params.clone())
            .fetch_optional(pool)
            .await?;
        let last = match row {
            None => None,
            Some(row) => {
                let key = match query.sort {
                    Sort::Fee | Sort::FeeDesc => CursorKey::Integer(row.try_get("sort_key")?),
                    _ => CursorKey::Time(row.try_get("sort_key")?),
                };
                Some((key, row.try_get("id")?))
            }
        };
        Ok(TextPlan::Window { last })
    }

    pub(super) async fn fetch_puppies(&self, sql: &Sql) -> Result<Vec<PuppyRecord>, sqlx::Error> {
        Ok(on_pool!(self, pool => {
            bind_params!(sqlx::query_as::<_, PuppyRecord>(&sql.text), sql.params.clone())
                .fetch_all(pool)
                .await?
        }))
    }

    /// A text search on SQLite: first the next window of the sort order; when that
    /// does not fill the page, the FTS5 index says whether matches are few (sort
    /// them) or many (walk the index testing membership).
    async fn sqlite_text_search(
        &self,
        pool: &sqlx::SqlitePool,
        query: &BrowseQuery,
        terms: &[String],
        today: NaiveDate,
        within: Option<(Coordinates, RadiusKm)>,
    ) -> Result<Vec<PuppyRecord>, sqlx::Error> {
        if window_applies(query) {
            let plan = self.window_plan(pool, query, TEXT_WINDOW_ROWS).await?;
            let to_the_end = plan == TextPlan::Window { last: None };
            let items = self
                .fetch_puppies(&build(Backend::Sqlite, query, today, &plan, within))
                .await?;
            if to_the_end || items.len() > query.limit as usize {
                return Ok(items);
            }
        }
        let matches: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT 1 FROM puppies_fts WHERE puppies_fts MATCH $1 LIMIT $2)",
        )
        .bind(sqlite::fts_query(terms))
        .bind(TEXT_MATCHES_SORTED)
        .fetch_one(pool)
        .await?;
        let plan = if matches < TEXT_MATCHES_SORTED {
            TextPlan::Matches
        } else {
            TextPlan::Membership
        };
        self.fetch_puppies(&build(Backend::Sqlite, query, today, &plan, within))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::browse::BrowseParams;
    use crate::photos::PhotoStore;
    use crate::store::PoolSettings;

    const PAGE: u32 = 7;

    fn query(params: BrowseParams) -> BrowseQuery {
        BrowseParams {
            limit: Some(PAGE.to_string()),
            ..params
        }
        .parse()
        .expect("valid query")
    }

    fn ids(items: &[PuppyRecord]) -> Vec<Uuid> {
        items.iter().map(|p| p.id).collect()
    }

    /// Every row of the answer, page by page, as `plan` finds it.
    async fn all_rows(store: &Store, base: &BrowseQuery, plan: TextPlan) -> Vec<Uuid> {
        let today = crate::seed::anchor().date_naive();
        let mut query = base.clone();
        let mut rows = Vec::new();
        loop {
            let items = store
                .fetch_puppies(&build(Backend::Sqlite, &query, today, &plan, None))
                .await
                .unwrap();
            let page = cut(&query, items);
            rows.extend(ids(&page.items));
            match page.next_cursor {
                Some(cursor) => query.cursor = Some(cursor),
                None => return rows,
            }
        }
    }

    /// Every row of the answer as `Store::browse` pages through it.
    async fn browsed(store: &Store, base: &BrowseQuery) -> Vec<Uuid> {
        let today = crate::seed::anchor().date_naive();
        let mut query = base.clone();
        let mut rows = Vec::new();
        loop {
            let page = store.browse(&query, today).await.unwrap();
            rows.extend(ids(&page.items));
            match page.next_cursor {
                Some(cursor) => query.cursor = Some(cursor),
                None => return rows,
            }
        }
    }

    #[tokio::test]
    async fn every_sqlite_text_plan_finds_the_same_rows_in_the_same_order() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("kennel.db").display());
        let store = Store::connect(&url.parse().unwrap(), &PoolSettings::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let photos =
            PhotoStore::open(&format!("file://{}", dir.path().join("photos").display())).unwrap();
        crate::seed::seed(&store, &photos, 1_200).await.unwrap();
        let Store::Sqlite(pool) = &store else {
            unreachable!()
        };
        // A word found in a single puppy: the newest puppy's name.
        let rare: String =
            sqlx::query_scalar("SELECT name FROM puppies ORDER BY listed_at DESC LIMIT 1")
                .fetch_one(pool)
                .await
                .unwrap();

        let text = |q: &str, sort: &str| BrowseParams {
            q: Some(q.to_string()),
            sort: Some(sort.to_string()),
            ..Default::default()
        };
        let cases = [
            text("golden", "newest"),
            text("gold", "-newest"),
            text("retriever", "fee"),
            text("golden", "-fee"),
            text("calm", "newest"),
            text(&rare, "newest"),
            text("zzyzx", "newest"),
            BrowseParams {
                size: vec!["medium".into()],
                good_with: vec!["kids".into()],
                ..text("friendly", "newest")
            },
            BrowseParams {
                status: vec!["available,pending,adopted".into()],
                ..text("retriever", "newest")
            },
            BrowseParams {
                status: vec!["pending,adopted".into()],
                ..text("golden", "fee")
            },
        ];
        for params in cases {
            let label = format!("q={:?} sort={:?}", params.q, params.sort);
            let none_expected = params.q.as_deref() == Some("zzyzx");
            let base = query(params);
            let reference = all_rows(&store, &base, TextPlan::Membership).await;
            assert_eq!(reference.is_empty(), none_expected, "{label}");
            assert_eq!(
                all_rows(&store, &base, TextPlan::Matches).await,
                reference,
                "{label}"
            );
            assert_eq!(browsed(&store, &base).await, reference, "{label}");

            // After any page, a window finds a prefix of the rest of the answer, and
            // only that, whatever its size.
            let today = crate::seed::anchor().date_naive();
            let mut from = base.clone();
            let mut start = 0;
            loop {
                for rows in [1, 3, 40, 2_000] {
                    let plan = store.window_plan(pool, &from, rows).await.unwrap();
                    let found = ids(&store
                        .fetch_puppies(&build(Backend::Sqlite, &from, today, &plan, None))
                        .await
                        .unwrap());
                    let rest = &reference[start..];
                    assert!(found.len() <= rest.len(), "{label}");
                    assert_eq!(
                        found,
                        rest[..found.len()],
                        "{label}, window of {rows} after {start}"
                    );
                }
                let rows = store
                    .fetch_puppies(&build(
                        Backend::Sqlite,
                        &from,
                        today,
                        &TextPlan::Membership,
                        None,
                    ))
                    .await
                    .unwrap();
                let page = cut(&from, rows);
                let Some(next) = page.next_cursor else {
                    break;
                };
                start += page.items.len();
                from.cursor = Some(next);
            }
        }
    }
}
