//! The saved-search matching index (`saved_search_keys`, see
//! `domain::matching`), the matches found, and the alerts they make due.
//!
//! A listing that becomes available queues a `listing_available` job in the
//! transaction that changed it (`queue_listing_available!`). The job looks its
//! keys up (`match_candidates`), tests the rest exactly in Rust, and records
//! each new (search, listing) pair once (`record_matches`). A search with new
//! matches and no alert queued gets one `new_match_alert` job, due now or when
//! its alert window since the last alert ends, so several matches make one
//! alert. The alert job reads what is still unannounced (`alert_batch`) and
//! marks it announced (`finish_alert`), queueing the next alert if more came
//! meanwhile.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::{on_pool, Store};
use crate::domain::account::AlertChannel;
use crate::domain::geo::Coordinates;
use crate::domain::matching::{listing_cells, unit_vector, ListingBits, ListingFacts};
use crate::domain::puppy::{Coat, GoodWith, Sex, Size};

pub(super) const DELETE_KEYS: &str = "DELETE FROM saved_search_keys WHERE search_id = $1";
pub(super) const INSERT_KEY: &str = "INSERT INTO saved_search_keys \
    (cell, breed, search_id, sizes, sexes, ages, coats, good_with, organization_id, \
     x, y, z, min_dot, terms) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

/// In the open transaction `$tx`: replaces the matching keys of search `$id`
/// with `$keys` (`Option<SearchKeys>`; none for a paused search).
macro_rules! write_search_keys {
    ($tx:ident, $id:expr, $keys:expr) => {{
        sqlx::query($crate::store::matching::DELETE_KEYS)
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        if let Some(keys) = $keys {
            let reach = keys.reach;
            let axis = |i: usize| reach.map(|r| r.centre[i]);
            for cell in &keys.cells {
                for breed in &keys.breeds {
                    sqlx::query($crate::store::matching::INSERT_KEY)
                        .bind(*cell)
                        .bind(breed.as_str())
                        .bind($id)
                        .bind(keys.sizes)
                        .bind(keys.sexes)
                        .bind(keys.ages)
                        .bind(keys.coats)
                        .bind(keys.good_with)
                        .bind(keys.organization)
                        .bind(axis(0))
                        .bind(axis(1))
                        .bind(axis(2))
                        .bind(reach.map(|r| r.min_dot))
                        .bind(keys.terms.as_deref())
                        .execute(&mut *$tx)
                        .await?;
                }
            }
        }
    }};
}
pub(crate) use write_search_keys;

/// In the open transaction `$tx`: queues the job that matches listing `$id`
/// against saved searches, due at `$now`.
macro_rules! queue_listing_available {
    ($tx:ident, $id:expr, $now:expr) => {
        $crate::store::outbox::insert_mail!(
            &mut *$tx,
            $crate::store::outbox::NewMail {
                kind: $crate::domain::mail::OutboxKind::ListingAvailable,
                recipient: String::new(),
                user_id: None,
                payload: serde_json::json!({ "puppy_id": $id }),
            },
            $now
        )
    };
}
pub(crate) use queue_listing_available;

const INSERT_ALERT: &str = "INSERT INTO outbox \
    (id, kind, recipient, user_id, payload, status, attempts, next_attempt_at, created_at) \
    VALUES ($1, 'new_match_alert', '', $2, $3, 'pending', 0, $4, $5)";

/// In the open transaction `$tx`: queues the alert job of search `$search`
/// (owned by `$user`), due at `$due`.
macro_rules! queue_alert {
    ($tx:ident, $search:expr, $user:expr, $due:expr, $now:expr) => {
        sqlx::query(INSERT_ALERT)
            .bind(Uuid::now_v7())
            .bind($user)
            .bind(serde_json::json!({ "search_id": $search }).to_string())
            .bind($due)
            .bind($now)
            .execute(&mut *$tx)
            .await
    };
}

/// One puppy named in an alert.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MatchedPuppy {
    pub id: Uuid,
    pub name: String,
    pub breed: String,
    pub city: String,
}

/// What an alert is about: the search, its owner, and the listings not yet
/// announced (still available), newest first.
#[derive(Debug, Clone)]
pub struct AlertBatch {
    pub search_id: Uuid,
    pub search_name: String,
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub channel: AlertChannel,
    pub paused: bool,
    pub email_verified: bool,
    /// The newest unannounced matches still available, at most the number asked.
    pub puppies: Vec<MatchedPuppy>,
    /// How many unannounced matches are still available.
    pub available: usize,
    /// Every unannounced match, including any that became unavailable since.
    pub pending: Vec<Uuid>,
}

/// How many searches one set of `record_matches` statements covers (three
/// values each at most, well under either database's parameter limit).
const RECORD_CHUNK: usize = 500;

/// The search and owner columns `alert_batch` reads: name, paused, user id,
/// email, display name, alert channel, when the address was confirmed.
type AlertHead = (
    String,
    bool,
    Uuid,
    String,
    String,
    AlertChannel,
    Option<DateTime<Utc>>,
);

/// What `record_matches` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    pub new_matches: u64,
    pub alerts_queued: u64,
}

const LISTING_FACTS: &str = "SELECT p.id, b.slug AS breed, b2.slug AS secondary_breed, p.size, \
    p.sex, p.coat, p.birth_date, p.good_with_kids, p.good_with_dogs, p.good_with_cats, \
    p.organization_id, o.latitude, o.longitude, p.search_text \
    FROM puppies p JOIN breeds b ON b.id = p.breed_id \
    LEFT JOIN breeds b2 ON b2.id = p.secondary_breed_id \
    JOIN organizations o ON o.id = p.organization_id \
    WHERE p.id = $1 AND p.status = 'available' AND p.deleted_at IS NULL";

impl Store {
    /// What matching needs of a listing; `None` unless it is available.
    pub async fn listing_facts(&self, id: Uuid) -> Result<Option<ListingFacts>, sqlx::Error> {
        macro_rules! read {
            ($row:expr) => {{
                let row = $row;
                let mut breeds = vec![row.try_get::<String, _>("breed")?];
                if let Some(second) = row.try_get::<Option<String>, _>("secondary_breed")? {
                    breeds.push(second);
                }
                let mut good_with = Vec::new();
                for (column, good) in [
                    ("good_with_kids", GoodWith::Kids),
                    ("good_with_dogs", GoodWith::Dogs),
                    ("good_with_cats", GoodWith::Cats),
                ] {
                    if row.try_get::<Option<bool>, _>(column)? == Some(true) {
                        good_with.push(good);
                    }
                }
                ListingFacts {
                    id: row.try_get("id")?,
                    breeds,
                    size: row.try_get::<Size, _>("size")?,
                    sex: row.try_get::<Sex, _>("sex")?,
                    coat: row.try_get::<Coat, _>("coat")?,
                    birth_date: row.try_get::<NaiveDate, _>("birth_date")?,
                    good_with,
                    organization: row.try_get("organization_id")?,
                    at: Coordinates {
                        lat: row.try_get("latitude")?,
                        lng: row.try_get("longitude")?,
                    },
                    words: row.try_get("search_text")?,
                }
            }};
        }
        on_pool!(self, pool => {
            match sqlx::query(LISTING_FACTS).bind(id).fetch_optional(pool).await? {
                Some(row) => Ok(Some(read!(row))),
                None => Ok(None),
            }
        })
    }

    /// The searches whose keys, bit sets and circle a listing passes: the ids
    /// of those without text, and those with text with their terms (the caller
    /// tests them, `domain::matching::has_terms`). An id may appear twice (a
    /// search under both of a listing's breeds).
    pub async fn match_candidates(
        &self,
        listing: &ListingFacts,
        bits: ListingBits,
    ) -> Result<(Vec<Uuid>, Vec<(Uuid, String)>), sqlx::Error> {
        let cells = listing_cells(listing.at);
        let breeds = listing.breed_keys();
        let point = unit_vector(listing.at);
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        let cell_list: Vec<String> = cells.iter().map(|_| next()).collect();
        let breed_list: Vec<String> = breeds.iter().map(|_| next()).collect();
        let (size, sex, age, coat, not_good, org) =
            (next(), next(), next(), next(), next(), next());
        let (x, y, z) = (next(), next(), next());
        let conditions = format!(
            "cell IN ({}) AND breed IN ({}) \
             AND (sizes = 0 OR (sizes & {size}) <> 0) AND (sexes = 0 OR (sexes & {sex}) <> 0) \
             AND (ages = 0 OR (ages & {age}) <> 0) AND (coats = 0 OR (coats & {coat}) <> 0) \
             AND (good_with & {not_good}) = 0 \
             AND (organization_id IS NULL OR organization_id = {org}) \
             AND (min_dot IS NULL OR x * {x} + y * {y} + z * {z} >= min_dot)",
            cell_list.join(", "),
            breed_list.join(", ")
        );
        // Most searches have no text: their ids come back as one value, which
        // costs far less per match than a row each.
        let plain = match self {
            Store::Sqlite(_) => format!(
                "SELECT group_concat(hex(search_id)) FROM saved_search_keys \
                 WHERE {conditions} AND terms IS NULL"
            ),
            Store::Postgres(_) => format!(
                "SELECT array_agg(search_id) FROM saved_search_keys \
                 WHERE {conditions} AND terms IS NULL"
            ),
        };
        let worded = format!(
            "SELECT search_id, terms FROM saved_search_keys \
             WHERE {conditions} AND terms IS NOT NULL"
        );
        macro_rules! bound {
            ($query:expr) => {{
                let mut query = $query;
                for cell in &cells {
                    query = query.bind(*cell);
                }
                for breed in &breeds {
                    query = query.bind(breed.as_str());
                }
                query
                    .bind(bits.size)
                    .bind(bits.sex)
                    .bind(bits.age)
                    .bind(bits.coat)
                    .bind(bits.not_good_with)
                    .bind(listing.organization)
                    .bind(point[0])
                    .bind(point[1])
                    .bind(point[2])
            }};
        }
        let (ids, worded): (Vec<Uuid>, Vec<(Uuid, String)>) = match self {
            Store::Sqlite(pool) => {
                let hex: Option<String> =
                    bound!(sqlx::query_scalar(&plain)).fetch_one(pool).await?;
                let ids = hex
                    .unwrap_or_default()
                    .split(',')
                    .filter(|hex| !hex.is_empty())
                    .map(|hex| Uuid::try_parse(hex).map_err(|e| sqlx::Error::Decode(Box::new(e))))
                    .collect::<Result<Vec<Uuid>, sqlx::Error>>()?;
                (ids, bound!(sqlx::query_as(&worded)).fetch_all(pool).await?)
            }
            Store::Postgres(pool) => {
                let ids: Option<Vec<Uuid>> =
                    bound!(sqlx::query_scalar(&plain)).fetch_one(pool).await?;
                (
                    ids.unwrap_or_default(),
                    bound!(sqlx::query_as(&worded)).fetch_all(pool).await?,
                )
            }
        };
        Ok((ids, worded))
    }

    /// Records that `puppy` matches `searches`; a pair recorded before is left
    /// as it was. Each search with a new match and no alert queued gets one,
    /// due now or when its quiet time after the last alert ends. Set-based, a
    /// few statements per `RECORD_CHUNK` searches, in one transaction.
    pub async fn record_matches(
        &self,
        puppy: Uuid,
        searches: &[Uuid],
        now: DateTime<Utc>,
    ) -> Result<Recorded, sqlx::Error> {
        let mut recorded = Recorded::default();
        if searches.is_empty() {
            return Ok(recorded);
        }
        let list = |from: usize, count: usize| -> String {
            (from..from + count)
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in searches.chunks(RECORD_CHUNK) {
                let values: Vec<String> =
                    (0..chunk.len()).map(|i| format!("(${}, $1, $2)", i + 3)).collect();
                let insert = format!(
                    "INSERT INTO saved_search_matches (search_id, puppy_id, matched_at) \
                     VALUES {} ON CONFLICT DO NOTHING RETURNING search_id",
                    values.join(", ")
                );
                let mut query = sqlx::query_scalar::<_, Uuid>(&insert).bind(puppy).bind(now);
                for id in chunk {
                    query = query.bind(*id);
                }
                let fresh: Vec<Uuid> = query.fetch_all(&mut *tx).await?;
                recorded.new_matches += fresh.len() as u64;
                if fresh.is_empty() {
                    continue;
                }
                // Searches with an alert queued already keep it: it carries these.
                let schedule = format!(
                    "UPDATE saved_searches SET alert_due_at = CASE \
                     WHEN quiet_until IS NOT NULL AND quiet_until > $1 THEN quiet_until \
                     ELSE $1 END WHERE alert_due_at IS NULL AND id IN ({}) \
                     RETURNING id, user_id, alert_due_at",
                    list(2, fresh.len())
                );
                let mut query =
                    sqlx::query_as::<_, (Uuid, Uuid, DateTime<Utc>)>(&schedule).bind(now);
                for id in &fresh {
                    query = query.bind(*id);
                }
                let due: Vec<(Uuid, Uuid, DateTime<Utc>)> = query.fetch_all(&mut *tx).await?;
                if due.is_empty() {
                    continue;
                }
                let rows: Vec<String> = (0..due.len())
                    .map(|i| {
                        let n = 2 + i * 4;
                        format!(
                            "(${}, 'new_match_alert', '', ${}, ${}, 'pending', 0, ${}, $1)",
                            n,
                            n + 1,
                            n + 2,
                            n + 3
                        )
                    })
                    .collect();
                let alerts = format!(
                    "INSERT INTO outbox (id, kind, recipient, user_id, payload, status, attempts, \
                     next_attempt_at, created_at) VALUES {}",
                    rows.join(", ")
                );
                let mut query = sqlx::query(&alerts).bind(now);
                for (search, user, at) in &due {
                    query = query
                        .bind(Uuid::now_v7())
                        .bind(*user)
                        .bind(serde_json::json!({ "search_id": search }).to_string())
                        .bind(*at);
                }
                query.execute(&mut *tx).await?;
                recorded.alerts_queued += due.len() as u64;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(recorded)
    }

    /// The search an alert is about, its owner, and the matches not yet
    /// announced; `None` when the search is gone.
    pub async fn alert_batch(
        &self,
        search: Uuid,
        most: i64,
    ) -> Result<Option<AlertBatch>, sqlx::Error> {
        let head = "SELECT s.name, s.paused, u.id, u.email, u.display_name, u.new_match_alerts, \
                    u.email_verified_at \
                    FROM saved_searches s JOIN users u ON u.id = s.user_id WHERE s.id = $1";
        let pending = "SELECT puppy_id FROM saved_search_matches \
                       WHERE search_id = $1 AND alerted_at IS NULL";
        let puppies = "SELECT p.id, p.name, b.name AS breed, o.city FROM saved_search_matches m \
                       JOIN puppies p ON p.id = m.puppy_id JOIN breeds b ON b.id = p.breed_id \
                       JOIN organizations o ON o.id = p.organization_id \
                       WHERE m.search_id = $1 AND m.alerted_at IS NULL \
                       AND p.status = 'available' AND p.deleted_at IS NULL \
                       ORDER BY p.listed_at DESC, p.id DESC LIMIT $2";
        let available = "SELECT count(*) FROM saved_search_matches m \
                         JOIN puppies p ON p.id = m.puppy_id \
                         WHERE m.search_id = $1 AND m.alerted_at IS NULL \
                         AND p.status = 'available' AND p.deleted_at IS NULL";
        on_pool!(self, pool => {
            let Some((search_name, paused, user_id, email, display_name, channel, verified)): Option<
                AlertHead,
            > = sqlx::query_as(head).bind(search).fetch_optional(pool).await?
            else {
                return Ok(None);
            };
            let pending: Vec<Uuid> =
                sqlx::query_scalar(pending).bind(search).fetch_all(pool).await?;
            let rows: Vec<(Uuid, String, String, String)> =
                sqlx::query_as(puppies).bind(search).bind(most).fetch_all(pool).await?;
            let available: i64 = sqlx::query_scalar(available).bind(search).fetch_one(pool).await?;
            Ok(Some(AlertBatch {
                search_id: search,
                search_name,
                user_id,
                email,
                display_name,
                channel,
                paused,
                email_verified: verified.is_some(),
                available: usize::try_from(available).unwrap_or(0),
                puppies: rows
                    .into_iter()
                    .map(|(id, name, breed, city)| MatchedPuppy { id, name, breed, city })
                    .collect(),
                pending,
            }))
        })
    }

    /// Marks `announced` as told and the alert as sent (at `now`, when
    /// `sent`), queueing `mail` with it when the alert goes by email. Matches
    /// recorded meanwhile get the next alert, `window` later.
    pub async fn finish_alert(
        &self,
        batch: &AlertBatch,
        sent: bool,
        mail: Option<&super::outbox::NewMail>,
        window: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let mark = "UPDATE saved_search_matches SET alerted_at = $1 \
                    WHERE search_id = $2 AND puppy_id = $3";
        let done = "UPDATE saved_searches SET alert_due_at = NULL, \
                    quiet_until = CASE WHEN $1 THEN $2 ELSE quiet_until END WHERE id = $3";
        let remaining = "SELECT count(*) FROM saved_search_matches \
                         WHERE search_id = $1 AND alerted_at IS NULL";
        let schedule = "UPDATE saved_searches SET alert_due_at = $1 WHERE id = $2";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for puppy in &batch.pending {
                sqlx::query(mark).bind(now).bind(batch.search_id).bind(puppy).execute(&mut *tx).await?;
            }
            sqlx::query(done)
                .bind(sent)
                .bind(now + window)
                .bind(batch.search_id)
                .execute(&mut *tx)
                .await?;
            if let Some(mail) = mail {
                super::outbox::insert_mail!(&mut *tx, mail, now)?;
            }
            let left: i64 = sqlx::query_scalar(remaining).bind(batch.search_id).fetch_one(&mut *tx).await?;
            if left > 0 {
                let due = if sent { now + window } else { now };
                sqlx::query(schedule).bind(due).bind(batch.search_id).execute(&mut *tx).await?;
                queue_alert!(tx, batch.search_id, batch.user_id, due, now)?;
            }
            tx.commit().await
        })
    }

    /// How many of a search's matches are waiting for an alert (for tests and
    /// the operator).
    pub async fn unannounced_matches(&self, search: Uuid) -> Result<i64, sqlx::Error> {
        let sql = "SELECT count(*) FROM saved_search_matches \
                   WHERE search_id = $1 AND alerted_at IS NULL";
        on_pool!(self, pool => sqlx::query_scalar(sql).bind(search).fetch_one(pool).await)
    }
}
