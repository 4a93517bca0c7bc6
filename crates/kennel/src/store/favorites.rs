//! Favourites: the puppies a user saved, newest first.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::browse::{PuppyRecord, PUPPY_COLUMNS, PUPPY_RELATIONS};
use super::{on_pool, Store};
use crate::domain::paging::{CursorKey, List, Page, PageRequest};

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    puppy: PuppyRecord,
    favorited_at: DateTime<Utc>,
}

impl Store {
    /// Saves a puppy that exists and is not deleted; `false` when there is none.
    /// Saving twice is not an error.
    pub async fn add_favorite(
        &self,
        user: Uuid,
        puppy: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "INSERT INTO favorites (user_id, puppy_id, created_at) \
                   SELECT $1, p.id, $3 FROM puppies p WHERE p.id = $2 AND p.deleted_at IS NULL \
                   ON CONFLICT DO NOTHING";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(user).bind(puppy).bind(now).execute(pool).await.map(|_| ())?
        });
        // Inserted now or before: either way it is saved if the puppy is visible.
        let exists = "SELECT COUNT(*) FROM favorites f JOIN puppies p ON p.id = f.puppy_id \
                      WHERE f.user_id = $1 AND f.puppy_id = $2 AND p.deleted_at IS NULL";
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(exists).bind(user).bind(puppy).fetch_one(pool).await?
        });
        Ok(count > 0)
    }

    pub async fn remove_favorite(&self, user: Uuid, puppy: Uuid) -> Result<(), sqlx::Error> {
        let sql = "DELETE FROM favorites WHERE user_id = $1 AND puppy_id = $2";
        on_pool!(self, pool => {
            sqlx::query(sql).bind(user).bind(puppy).execute(pool).await.map(|_| ())
        })
    }

    /// A page of favourites, most recently saved first: each puppy as it is now.
    pub async fn favorites(
        &self,
        user: Uuid,
        page: &PageRequest,
    ) -> Result<Page<PuppyRecord>, sqlx::Error> {
        // `Cursor::decode` gives this list time keys only.
        let after = page.after.as_ref().and_then(|c| match c.key {
            CursorKey::Time(time) => Some((time, c.id)),
            _ => None,
        });
        let keyset = if after.is_some() {
            "AND (f.created_at, f.puppy_id) < ($3, $4)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {PUPPY_COLUMNS}, CAST(NULL AS DOUBLE PRECISION) AS distance_km, \
             f.created_at AS favorited_at FROM favorites f JOIN puppies p ON p.id = f.puppy_id \
             {PUPPY_RELATIONS} WHERE f.user_id = $1 AND p.deleted_at IS NULL {keyset} \
             ORDER BY f.created_at DESC, f.puppy_id DESC LIMIT $2"
        );
        let rows: Vec<Row> = on_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, Row>(&sql)
                .bind(user)
                .bind(i64::from(page.fetch()));
            if let Some((time, id)) = after {
                query = query.bind(time).bind(id);
            }
            query.fetch_all(pool).await?
        });
        let page = Page::cut(rows, page.limit, List::Favorites, |last| {
            (CursorKey::Time(last.favorited_at), last.puppy.id)
        });
        Ok(page.map(|row| row.puppy))
    }
}
