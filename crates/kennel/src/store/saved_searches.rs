//! Saved searches: an adopter's named browse queries, newest first, at most a
//! configured number per account.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::matching::write_search_keys;
use super::{on_pool, Store};
use crate::domain::matching::SearchKeys;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SavedSearchRecord {
    pub id: Uuid,
    pub name: String,
    pub query: String,
    pub paused: bool,
    pub created_at: DateTime<Utc>,
    pub last_opened_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, name, query, paused, created_at, last_opened_at";

/// Why a search was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SavedSearchError {
    #[error("the account has as many saved searches as it may")]
    LimitReached,
    #[error("the account has a saved search with this name")]
    NameTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn name_taken(error: sqlx::Error) -> SavedSearchError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => SavedSearchError::NameTaken,
        _ => SavedSearchError::Database(error),
    }
}

impl Store {
    /// The user's saved searches, newest first.
    pub async fn saved_searches(&self, user: Uuid) -> Result<Vec<SavedSearchRecord>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM saved_searches WHERE user_id = $1 \
             ORDER BY created_at DESC, id DESC"
        );
        on_pool!(self, pool => {
            sqlx::query_as::<_, SavedSearchRecord>(&sql).bind(user).fetch_all(pool).await
        })
    }

    /// Saves a search unless the user has `limit` already or one of this name.
    /// The count and the insert are one statement; on SQLite a writing
    /// statement holds the write lock from its start, and on Postgres the
    /// user's row is locked first, so saves at once cannot pass the limit.
    pub async fn create_saved_search(
        &self,
        id: Uuid,
        user: Uuid,
        name: &str,
        query: &str,
        limit: i64,
        now: DateTime<Utc>,
    ) -> Result<SavedSearchRecord, SavedSearchError> {
        let lock = match self {
            Store::Sqlite(_) => None,
            Store::Postgres(_) => Some("SELECT 1 FROM users WHERE id = $1 FOR UPDATE"),
        };
        let insert = "INSERT INTO saved_searches \
                      (id, user_id, name, query, paused, created_at, updated_at) \
                      SELECT $1, $2, $3, $4, FALSE, $5, $5 \
                      WHERE (SELECT COUNT(*) FROM saved_searches WHERE user_id = $2) < $6";
        let saved: Result<(), SavedSearchError> = on_pool!(self, pool => {
            async {
                let mut tx = pool.begin().await?;
                if let Some(lock) = lock {
                    sqlx::query(lock).bind(user).execute(&mut *tx).await?;
                }
                let inserted = sqlx::query(insert)
                    .bind(id)
                    .bind(user)
                    .bind(name)
                    .bind(query)
                    .bind(now)
                    .bind(limit)
                    .execute(&mut *tx)
                    .await
                    .map_err(name_taken)?
                    .rows_affected();
                if inserted == 0 {
                    return Err(SavedSearchError::LimitReached);
                }
                write_search_keys!(tx, id, SearchKeys::of_query(query));
                tx.commit().await?;
                Ok(())
            }
            .await
        });
        saved?;
        Ok(SavedSearchRecord {
            id,
            name: name.to_string(),
            query: query.to_string(),
            paused: false,
            created_at: now,
            last_opened_at: None,
        })
    }

    /// Renames or pauses one of the user's searches; `None` when the user has
    /// no search with this id. A paused search leaves the matching index and a
    /// resumed one comes back (listings made available meanwhile stay unmatched).
    pub async fn update_saved_search(
        &self,
        id: Uuid,
        user: Uuid,
        name: Option<&str>,
        paused: Option<bool>,
        now: DateTime<Utc>,
    ) -> Result<Option<SavedSearchRecord>, SavedSearchError> {
        let sql = format!(
            "UPDATE saved_searches SET name = COALESCE($1, name), paused = COALESCE($2, paused), \
             updated_at = $3 WHERE id = $4 AND user_id = $5 RETURNING {COLUMNS}"
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query_as::<_, SavedSearchRecord>(&sql)
                .bind(name)
                .bind(paused)
                .bind(now)
                .bind(id)
                .bind(user)
                .fetch_optional(&mut *tx)
                .await
                .map_err(name_taken)?;
            if let (Some(search), Some(paused)) = (&updated, paused) {
                let keys = if paused { None } else { SearchKeys::of_query(&search.query) };
                write_search_keys!(tx, id, keys);
            }
            tx.commit().await?;
            Ok(updated)
        })
    }

    /// Deletes one of the user's searches; `false` when there was none.
    pub async fn delete_saved_search(&self, id: Uuid, user: Uuid) -> Result<bool, sqlx::Error> {
        let sql = "DELETE FROM saved_searches WHERE id = $1 AND user_id = $2";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(id).bind(user).execute(pool).await.map(|r| r.rows_affected() > 0)
        })
    }

    /// Records a visit: the search as it is now and when the visit before
    /// this one was (its creation, the first time); `None` when the user has
    /// no search with this id.
    pub async fn open_saved_search(
        &self,
        id: Uuid,
        user: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Option<(SavedSearchRecord, DateTime<Utc>)>, sqlx::Error> {
        let select = format!("SELECT {COLUMNS} FROM saved_searches WHERE id = $1 AND user_id = $2");
        let update = "UPDATE saved_searches SET last_opened_at = $1 WHERE id = $2";
        let found: Option<SavedSearchRecord> = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let found = sqlx::query_as::<_, SavedSearchRecord>(&select)
                .bind(id)
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_some() {
                sqlx::query(update).bind(now).bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            found
        });
        Ok(found.map(|mut search| {
            let since = search.last_opened_at.unwrap_or(search.created_at);
            search.last_opened_at = Some(now);
            (search, since)
        }))
    }
}
