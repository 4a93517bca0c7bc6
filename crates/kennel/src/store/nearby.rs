//! Browse near a place: nearest first, or in another order within a radius.
//!
//! A puppy is where its organisation is, so places are few (organisations) while
//! puppies are many. The plans start from organisations, found through their
//! location index and measured in Rust (`haversine_km`, the one distance formula),
//! and never read every puppy in the radius:
//!
//! - Nearest first (`sort=distance`): the order is (distance, id), and every puppy
//!   of an organisation shares its distance, so the answer is the organisations in
//!   distance order, each contributing its puppies in id order. The search reaches
//!   out in widening circles (2.5 km, then four times wider, up to the radius), and
//!   within each reads organisations in batches that double (1, 2, 4, … up to
//!   `MAX_BATCH`, the size carried from one circle to the next) on the
//!   `(organization_id, status, id, …)` index, until the page is full: a small
//!   batch as one `ORDER BY id LIMIT n` branch per organisation, a larger one (the
//!   matches are sparse by then) as one query, each organisation giving at most a
//!   page. The cost follows the page size and the organisations passed on the way,
//!   not the puppies in the radius; an area with none costs a few index lookups.
//! - Farthest first reads every organisation in the radius, then the same way from
//!   the far edge inwards.
//! - Another order (newest, fee) with `near`: with few organisations in the radius
//!   each gives its first rows from the `(organization_id, status, sort key, id)`
//!   index and the rows are merged; with many, the sort order's own index is walked
//!   testing the distance (`store::browse::build`), since the radius then holds a
//!   large share of the puppies.
//!
//! A filter few puppies match would still make these plans read every organisation
//! in a wide radius and test its puppies one by one. So each plan reads only the
//! organisations that list a puppy of the asked status, breed, size and coat
//! (`organization_kinds`, kept by triggers: a few rows per organisation, looked up by
//! key): a combination no organisation in reach lists costs the location index and
//! one lookup per organisation, not a read of their puppies. Age, good-with, sex and
//! text are tested on the puppies themselves: all but text on the entries of
//! `puppies_organization_facets`, which holds the filtered columns, so testing an
//! organisation's puppies never reads the table's wide rows.
//!
//! Keyset pagination is exact: the cursor's distance is the very float this module
//! computed, so the organisations before it are skipped, and among those at its
//! distance only ids after the cursor's are read.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::Row;
use uuid::Uuid;

use super::browse::{
    after_cursor, direction, filter_conditions, indexed_sort_column, sort_order, text_conditions,
    PuppyRecord, Sql, PUPPY_COLUMNS, PUPPY_RELATIONS,
};
use super::{bind_params, on_pool, Backend, Param, Store};
use crate::domain::browse::{BrowseFilter, BrowseQuery};
use crate::domain::geo::{bounding_box, haversine_km, Coordinates, RadiusKm};
use crate::domain::paging::CursorKey;

/// The first circle a nearest-first search looks in; each next one is
/// `REACH_GROWTH` times wider.
const FIRST_REACH_KM: f64 = 2.5;
const REACH_GROWTH: f64 = 4.0;

/// Most organisations read in one round of a nearest-first page.
const MAX_BATCH: usize = 64;

/// From this many rings in a round, their puppies are read by one query rather than
/// a branch each (`matches_sql`).
pub const WINDOW_BATCH: usize = 8;

/// Up to this many organisations in the radius, an indexed sort merges their first
/// rows; beyond it the sort order's index is walked.
const MERGE_ORGANIZATIONS: usize = 64;

/// An organisation within the radius and its distance from the centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearOrganization {
    pub id: Uuid,
    pub distance_km: f64,
}

/// Organisations that share one distance: their puppies interleave by id.
struct Ring {
    distance_km: f64,
    organizations: Vec<Uuid>,
}

/// The condition that keeps only organisations listing a puppy of the kind `filter`
/// asks for (status, breed, size, coat), from `organization_kinds`; `None` when the
/// filter names no breed, size or coat (then nearly every organisation qualifies and
/// the test would only cost time).
fn lists_kind(sql: &mut Sql, filter: &BrowseFilter) -> Option<String> {
    if filter.breeds.is_empty() && filter.sizes.is_empty() && filter.coats.is_empty() {
        return None;
    }
    let statuses = sql.bind_list(&filter.statuses, |s| Param::Text(s.as_str().into()));
    let mut tests = vec![
        "k.organization_id = organizations.id".to_string(),
        format!("k.status IN ({statuses})"),
    ];
    if !filter.breeds.is_empty() {
        let slugs = sql.bind_list(&filter.breeds, |s| Param::Text(s.clone()));
        tests.push(format!(
            "k.breed_id IN (SELECT id FROM breeds WHERE slug IN ({slugs}))"
        ));
    }
    if !filter.sizes.is_empty() {
        let list = sql.bind_list(&filter.sizes, |s| Param::Text(s.as_str().into()));
        tests.push(format!("k.size IN ({list})"));
    }
    if !filter.coats.is_empty() {
        let list = sql.bind_list(&filter.coats, |s| Param::Text(s.as_str().into()));
        tests.push(format!("k.coat IN ({list})"));
    }
    Some(format!(
        "EXISTS (SELECT 1 FROM organization_kinds k WHERE {})",
        tests.join(" AND ")
    ))
}

/// The query for `organizations_within`.
fn organizations_sql(
    centre: Coordinates,
    radius: RadiusKm,
    filter: &BrowseFilter,
    cap: Option<usize>,
) -> Sql {
    let mut sql = Sql::new();
    let (min_lat, max_lat, lng_range) = bounding_box(centre, radius);
    let mut conditions = vec![format!(
        "latitude BETWEEN {} AND {}",
        sql.bind(Param::Float(min_lat)),
        sql.bind(Param::Float(max_lat))
    )];
    if let Some((min_lng, max_lng)) = lng_range {
        conditions.push(format!(
            "longitude BETWEEN {} AND {}",
            sql.bind(Param::Float(min_lng)),
            sql.bind(Param::Float(max_lng))
        ));
    }
    if let Some(id) = filter.organization {
        conditions.push(format!("id = {}", sql.bind(Param::Id(id))));
    }
    conditions.extend(lists_kind(&mut sql, filter));
    let limit = match cap {
        Some(cap) => format!(" LIMIT {}", sql.bind(Param::Int(cap as i64 + 1))),
        None => String::new(),
    };
    sql.text = format!(
        "SELECT id, latitude, longitude FROM organizations WHERE {}{limit}",
        conditions.join(" AND ")
    );
    sql
}

/// The organisations within `radius` of `centre` that list a puppy of the kind
/// `filter` asks for (only its `organization`, when given), nearest first and by id
/// among equals; `None` when the radius's bounding box holds more than `cap` such
/// organisations.
async fn organizations_within(
    store: &Store,
    centre: Coordinates,
    radius: RadiusKm,
    filter: &BrowseFilter,
    cap: Option<usize>,
) -> Result<Option<Vec<NearOrganization>>, sqlx::Error> {
    let sql = organizations_sql(centre, radius, filter, cap);
    let rows = on_pool!(store, pool => {
        let rows = bind_params!(sqlx::query(&sql.text), sql.params.clone())
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("latitude")?, row.try_get("longitude")?)))
            .collect::<Result<Vec<(Uuid, f64, f64)>, sqlx::Error>>()?
    });
    if cap.is_some_and(|cap| rows.len() > cap) {
        return Ok(None);
    }
    let mut within: Vec<NearOrganization> = rows
        .into_iter()
        .filter_map(|(id, lat, lng)| {
            let distance_km = haversine_km(centre, Coordinates { lat, lng });
            (distance_km <= radius.km()).then_some(NearOrganization { id, distance_km })
        })
        .collect();
    within.sort_by(|a, b| {
        a.distance_km
            .total_cmp(&b.distance_km)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(Some(within))
}

/// Groups organisations (sorted by distance) by equal distance, in the query's order.
fn rings(organizations: &[NearOrganization], descending: bool) -> Vec<Ring> {
    let mut rings: Vec<Ring> = Vec::new();
    for org in organizations {
        match rings.last_mut() {
            Some(ring) if ring.distance_km == org.distance_km => ring.organizations.push(org.id),
            _ => rings.push(Ring {
                distance_km: org.distance_km,
                organizations: vec![org.id],
            }),
        }
    }
    if descending {
        rings.reverse();
    }
    rings
}

/// The cursor's distance.
fn cursor_distance(key: &CursorKey) -> f64 {
    match key {
        CursorKey::Float(f) => *f,
        // `Cursor::decode` pairs distance orders with (finite) float keys only.
        _ => 0.0,
    }
}

/// One `SELECT {columns} FROM {from} … ORDER BY … LIMIT` per group of
/// organisations, joined by `UNION ALL`; the branches share the filter's
/// placeholders.
fn union_of_branches(
    sql: &mut Sql,
    columns: &str,
    from: &str,
    conditions: &[String],
    branches: Vec<(String, String)>,
    limit: usize,
) -> String {
    let limit = sql.bind(Param::Int(limit as i64));
    let shared = conditions.join(" AND ");
    branches
        .into_iter()
        .enumerate()
        .map(|(i, (extra, order))| {
            format!(
                "SELECT * FROM (SELECT {columns} FROM {from} \
                 WHERE {shared} AND {extra} ORDER BY {order} LIMIT {limit}) AS g{i}"
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// The ids (and organisations) of the puppies of a batch of `rings` that pass the
/// filters of `query`, at least each ring's first `room` in id order (descending
/// when asked), after `after`'s id in the first ring. The filters but text are
/// tested on the `puppies_organization_facets` entries alone; with text, only the
/// puppies that pass them are looked up in the table (as `t`) for their words.
///
/// A small batch reads each ring as its own `ORDER BY id LIMIT room` branch, which
/// stops after a page even in an organisation listing thousands. A larger batch
/// only follows rings that did not fill the page, so matches are sparse there: it
/// is one query over all its organisations, each giving at most `room` matches
/// (`ROW_NUMBER`), instead of dozens of branches to prepare and plan.
fn matches_sql(
    backend: Backend,
    query: &BrowseQuery,
    today: NaiveDate,
    rings: &[&[Uuid]],
    after: Option<Uuid>,
    descending: bool,
    room: usize,
) -> Sql {
    let mut sql = Sql::new();
    let indexed = BrowseFilter {
        text: None,
        ..query.filter.clone()
    };
    let mut conditions = filter_conditions(&mut sql, backend, &indexed, today);
    let from = match &query.filter.text {
        None => "puppies p",
        Some(text) => {
            conditions.extend(text_conditions(&mut sql, backend, text, "t"));
            "puppies p JOIN puppies t ON t.id = p.id"
        }
    };
    let (direction, op) = if descending {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    let after = after.map(|id| format!("p.id {op} {}", sql.bind(Param::Id(id))));
    if rings.len() < WINDOW_BATCH {
        let branches = rings
            .iter()
            .enumerate()
            .map(|(i, ring)| {
                let list = sql.bind_list(ring, |id| Param::Id(*id));
                let after = match (&after, i) {
                    (Some(test), 0) => format!(" AND {test}"),
                    _ => String::new(),
                };
                (
                    format!("p.organization_id IN ({list}){after}"),
                    format!("p.id {direction}"),
                )
            })
            .collect();
        sql.text = union_of_branches(
            &mut sql,
            "p.id, p.organization_id",
            from,
            &conditions,
            branches,
            room,
        );
        return sql;
    }
    let shared = conditions.join(" AND ");
    let room = sql.bind(Param::Int(room as i64));
    let all: Vec<Uuid> = rings.iter().flat_map(|ring| ring.iter().copied()).collect();
    let list = sql.bind_list(&all, |id| Param::Id(*id));
    let after = match (&after, rings.first()) {
        (Some(test), Some(first)) => {
            let first = sql.bind_list(first, |id| Param::Id(*id));
            format!(" AND (p.organization_id NOT IN ({first}) OR {test})")
        }
        _ => String::new(),
    };
    sql.text = format!(
        "SELECT id, organization_id FROM (\
           SELECT p.id, p.organization_id, ROW_NUMBER() OVER (\
             PARTITION BY p.organization_id ORDER BY p.id {direction}) AS n \
           FROM {from} WHERE {shared} AND p.organization_id IN ({list}){after}) AS m \
         WHERE n <= {room}"
    );
    sql
}

/// Where a nearest-first search resumes: organisations at `distance_km` continue
/// after `id`, farther ones from their start.
#[derive(Clone, Copy)]
struct Resume {
    distance_km: f64,
    id: Uuid,
}

impl Store {
    /// Up to `limit + 1` puppies of the answer to a `near` query, in its order, each
    /// with its distance.
    pub(crate) async fn browse_near(
        &self,
        query: &BrowseQuery,
        centre: Coordinates,
        radius: RadiusKm,
        today: NaiveDate,
    ) -> Result<Vec<PuppyRecord>, sqlx::Error> {
        if query.sort.needs_location() {
            return self.nearest_first(query, centre, radius, today).await;
        }
        let few = organizations_within(
            self,
            centre,
            radius,
            &query.filter,
            Some(4 * MERGE_ORGANIZATIONS),
        )
        .await?
        .filter(|orgs| orgs.len() <= MERGE_ORGANIZATIONS);
        match few {
            Some(orgs) if orgs.is_empty() => Ok(Vec::new()),
            Some(orgs) => {
                let mut items = self.merge_organizations(query, &orgs, today).await?;
                set_distances(&mut items, &orgs);
                Ok(items)
            }
            None => self.browse_rows(query, today, Some((centre, radius))).await,
        }
    }

    /// Nearest (or farthest) first, in widening circles.
    async fn nearest_first(
        &self,
        query: &BrowseQuery,
        centre: Coordinates,
        radius: RadiusKm,
        today: NaiveDate,
    ) -> Result<Vec<PuppyRecord>, sqlx::Error> {
        let wanted = query.limit as usize + 1;
        let resume = query.cursor.as_ref().map(|c| Resume {
            distance_km: cursor_distance(&c.key),
            id: c.id,
        });
        let mut items = Vec::with_capacity(wanted);
        if query.sort.descending() {
            let orgs = organizations_within(self, centre, radius, &query.filter, None)
                .await?
                .unwrap_or_default();
            self.read_rings(query, &orgs, true, resume, &mut 1, &mut items, today)
                .await?;
            return Ok(items);
        }
        // Organisations up to `done_km` have been read (or lie before the cursor).
        let mut done_km = resume.map_or(f64::NEG_INFINITY, |r| r.distance_km);
        let mut reach = FIRST_REACH_KM;
        let mut resume = resume;
        // Organisations read per round; it keeps growing from one circle to the next,
        // since a page not yet full means matches are sparse so far.
        let mut batch = 1;
        loop {
            while reach < done_km && reach < radius.km() {
                reach *= REACH_GROWTH;
            }
            let edge = reach.min(radius.km());
            let orgs =
                organizations_within(self, centre, RadiusKm::clamped(edge), &query.filter, None)
                    .await?
                    .unwrap_or_default();
            let fresh: Vec<NearOrganization> = orgs
                .into_iter()
                .filter(|o| match resume {
                    Some(r) => o.distance_km >= r.distance_km,
                    None => o.distance_km > done_km,
                })
                .collect();
            self.read_rings(
                query,
                &fresh,
                false,
                resume.take(),
                &mut batch,
                &mut items,
                today,
            )
            .await?;
            if items.len() >= wanted || edge >= radius.km() {
                return Ok(items);
            }
            done_km = edge;
            reach *= REACH_GROWTH;
        }
    }

    /// Appends to `items`, up to `limit + 1`, the puppies of `organizations` (sorted
    /// by distance) in (distance, id) order, ascending or descending, after
    /// `resume`: the organisations in batches that double from `batch` (left at the
    /// next batch's size), reading the matching ids first (`matches_sql`) and whole
    /// rows for the ones kept.
    #[allow(clippy::too_many_arguments)]
    async fn read_rings(
        &self,
        query: &BrowseQuery,
        organizations: &[NearOrganization],
        descending: bool,
        resume: Option<Resume>,
        batch: &mut usize,
        items: &mut Vec<PuppyRecord>,
        today: NaiveDate,
    ) -> Result<(), sqlx::Error> {
        let wanted = query.limit as usize + 1;
        let rings = rings(organizations, descending);
        let (mut next, mut after_id) = (0, None);
        if let Some(r) = resume {
            next = rings
                .iter()
                .position(|ring| {
                    if descending {
                        ring.distance_km <= r.distance_km
                    } else {
                        ring.distance_km >= r.distance_km
                    }
                })
                .unwrap_or(rings.len());
            if rings
                .get(next)
                .is_some_and(|ring| ring.distance_km == r.distance_km)
            {
                after_id = Some(r.id);
            }
        }
        while next < rings.len() && items.len() < wanted {
            let end = (next + *batch).min(rings.len());
            let room = wanted - items.len();
            let mut position = HashMap::new();
            for (index, ring) in rings[next..end].iter().enumerate() {
                for org in &ring.organizations {
                    position.insert(*org, index);
                }
            }
            let batch_rings: Vec<&[Uuid]> = rings[next..end]
                .iter()
                .map(|ring| ring.organizations.as_slice())
                .collect();
            // Only the cursor's own ring (the batch's first) continues after an id.
            let sql = matches_sql(
                self.backend(),
                query,
                today,
                &batch_rings,
                after_id.take(),
                descending,
                room,
            );
            let mut found: Vec<(Uuid, Uuid)> = on_pool!(self, pool => {
                bind_params!(sqlx::query_as(&sql.text), sql.params.clone())
                    .fetch_all(pool)
                    .await?
            });
            found.sort_by(|a, b| {
                let by_id = if descending {
                    b.0.cmp(&a.0)
                } else {
                    a.0.cmp(&b.0)
                };
                position[&a.1].cmp(&position[&b.1]).then(by_id)
            });
            found.truncate(room);
            let ids: Vec<Uuid> = found.iter().map(|(id, _)| *id).collect();
            let mut rows = self.puppies_by_id(&ids).await?;
            set_distances(&mut rows, organizations);
            let order: HashMap<Uuid, usize> =
                ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            rows.sort_by_key(|row| order[&row.id]);
            items.extend(rows);
            next = end;
            *batch = (*batch * 2).min(MAX_BATCH);
        }
        Ok(())
    }

    /// Browse rows by id, in no particular order.
    async fn puppies_by_id(&self, ids: &[Uuid]) -> Result<Vec<PuppyRecord>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new();
        let list = sql.bind_list(ids, |id| Param::Id(*id));
        sql.text = format!(
            "SELECT {PUPPY_COLUMNS}, CAST(NULL AS DOUBLE PRECISION) AS distance_km \
             FROM puppies p {PUPPY_RELATIONS} WHERE p.id IN ({list})"
        );
        self.fetch_puppies(&sql).await
    }

    /// An indexed sort within a radius holding few organisations: each one's first
    /// rows after the cursor, merged.
    async fn merge_organizations(
        &self,
        query: &BrowseQuery,
        organizations: &[NearOrganization],
        today: NaiveDate,
    ) -> Result<Vec<PuppyRecord>, sqlx::Error> {
        let mut sql = Sql::new();
        let mut conditions = filter_conditions(&mut sql, self.backend(), &query.filter, today);
        let key_column = indexed_sort_column(query.sort);
        conditions.extend(after_cursor(&mut sql, query, key_column));
        let direction = direction(query.sort);
        let branches = organizations
            .iter()
            .map(|org| {
                let id = sql.bind(Param::Id(org.id));
                (
                    format!("p.organization_id = {id}"),
                    format!("{key_column} {direction}, p.id {direction}"),
                )
            })
            .collect();
        let wanted = query.limit as usize + 1;
        let columns = format!("{PUPPY_COLUMNS}, CAST(NULL AS DOUBLE PRECISION) AS distance_km");
        let from = format!("puppies p {PUPPY_RELATIONS}");
        sql.text = union_of_branches(&mut sql, &columns, &from, &conditions, branches, wanted);
        let mut rows = self.fetch_puppies(&sql).await?;
        rows.sort_by(|a, b| sort_order(query.sort, a, b));
        rows.truncate(wanted);
        Ok(rows)
    }
}

fn set_distances(items: &mut [PuppyRecord], organizations: &[NearOrganization]) {
    let distances: HashMap<Uuid, f64> = organizations
        .iter()
        .map(|o| (o.id, o.distance_km))
        .collect();
    for item in items {
        item.distance_km = distances.get(&item.organization_id).copied();
    }
}

/// How the database runs a nearest-first search's read of a batch of `batch` rings
/// of organisations' matching puppies for `query` (its plan, one line a node): for
/// tests that keep the plan on the organisations' index, without a scan, and for
/// operators comparing plans. Postgres is asked with sequential and bitmap scans
/// disabled; on a small table it would otherwise rightly prefer a scan.
pub async fn explain_nearest_batch(
    store: &Store,
    query: &BrowseQuery,
    batch: usize,
) -> Result<Vec<String>, sqlx::Error> {
    let today = chrono::Utc::now().date_naive();
    let room = query.limit as usize + 1;
    let organizations = [Uuid::nil(), Uuid::max()];
    let rings = vec![&organizations[..]; batch];
    let sql = matches_sql(store.backend(), query, today, &rings, None, false, room);
    explain(store, &sql).await
}

/// How the database runs the organisations query of a nearest-first search for
/// `query` (its plan, one line a node), for tests that keep the kind test on its key.
pub async fn explain_organizations(
    store: &Store,
    query: &BrowseQuery,
) -> Result<Vec<String>, sqlx::Error> {
    let (centre, radius) = query.filter.near.unwrap_or((
        Coordinates { lat: 0.0, lng: 0.0 },
        RadiusKm::default_radius(),
    ));
    let sql = organizations_sql(centre, radius, &query.filter, None);
    explain(store, &sql).await
}

/// The plan of `sql`, one line a node. Postgres is asked with sequential and bitmap
/// scans disabled, which shows whether an index gives the order and the lookups; on
/// a small table it would otherwise rightly prefer a scan.
async fn explain(store: &Store, sql: &Sql) -> Result<Vec<String>, sqlx::Error> {
    let text = &sql.text;
    match store {
        Store::Sqlite(pool) => {
            let explain = format!("EXPLAIN QUERY PLAN {text}");
            let rows = bind_params!(sqlx::query(&explain), sql.params.clone())
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| row.try_get::<String, _>("detail"))
                .collect()
        }
        Store::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SET LOCAL enable_seqscan = off")
                .execute(&mut *tx)
                .await?;
            sqlx::query("SET LOCAL enable_bitmapscan = off")
                .execute(&mut *tx)
                .await?;
            let explain = format!("EXPLAIN {text}");
            let rows = bind_params!(sqlx::query(&explain), sql.params.clone())
                .fetch_all(&mut *tx)
                .await?;
            tx.rollback().await?;
            rows.iter().map(|row| row.try_get::<String, _>(0)).collect()
        }
    }
}
