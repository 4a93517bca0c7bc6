//! Inquiries and their replies.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::admin::AuditEntry;
use super::{on_pool, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InquiryRecord {
    pub id: Uuid,
    pub puppy_id: Uuid,
    pub puppy_name: String,
    pub organization_id: Uuid,
    pub user_id: Option<Uuid>,
    /// The adopter's display name and email; `None` once their account is deleted.
    pub adopter_name: Option<String>,
    pub adopter_email: Option<String>,
    pub message: String,
    pub contact_preference: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReplyRecord {
    pub id: Uuid,
    pub inquiry_id: Uuid,
    pub author_role: String,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

const INQUIRY_SELECT: &str = "SELECT i.id, i.puppy_id, p.name AS puppy_name, i.organization_id, \
    i.user_id, u.display_name AS adopter_name, u.email AS adopter_email, i.message, i.contact_preference, i.status, \
    i.created_at FROM inquiries i JOIN puppies p ON p.id = i.puppy_id \
    LEFT JOIN users u ON u.id = i.user_id";

/// Which inquiries to list.
#[derive(Debug, Clone, Copy)]
pub enum InquiryScope {
    Adopter(Uuid),
    Organization(Uuid),
}

impl Store {
    /// Creates an inquiry about a visible puppy; `None` when there is no such puppy.
    pub async fn create_inquiry(
        &self,
        id: Uuid,
        puppy: Uuid,
        user: Uuid,
        message: &str,
        contact_preference: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "INSERT INTO inquiries (id, puppy_id, organization_id, user_id, message, \
                   contact_preference, status, created_at, updated_at) \
                   SELECT $1, p.id, p.organization_id, $3, $4, $5, 'open', $6, $6 \
                   FROM puppies p WHERE p.id = $2 AND p.deleted_at IS NULL";
        let inserted = on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(id)
                .bind(puppy)
                .bind(user)
                .bind(message)
                .bind(contact_preference)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(inserted == 1)
    }

    pub async fn inquiry(&self, id: Uuid) -> Result<Option<InquiryRecord>, sqlx::Error> {
        let sql = format!("{INQUIRY_SELECT} WHERE i.id = $1");
        on_pool!(self, pool => sqlx::query_as::<_, InquiryRecord>(&sql).bind(id).fetch_optional(pool).await)
    }

    /// Newest first, before `before` (ids are time-ordered).
    pub async fn inquiries(
        &self,
        scope: InquiryScope,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<InquiryRecord>, sqlx::Error> {
        let (column, owner) = match scope {
            InquiryScope::Adopter(id) => ("i.user_id", id),
            InquiryScope::Organization(id) => ("i.organization_id", id),
        };
        let keyset = if before.is_some() {
            "AND i.id < $3"
        } else {
            ""
        };
        let sql =
            format!("{INQUIRY_SELECT} WHERE {column} = $1 {keyset} ORDER BY i.id DESC LIMIT $2");
        on_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, InquiryRecord>(&sql).bind(owner).bind(i64::from(limit));
            if let Some(before) = before {
                query = query.bind(before);
            }
            query.fetch_all(pool).await
        })
    }

    pub async fn replies(&self, inquiry_ids: &[Uuid]) -> Result<Vec<ReplyRecord>, sqlx::Error> {
        if inquiry_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=inquiry_ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, inquiry_id, author_role, message, created_at FROM inquiry_replies \
             WHERE inquiry_id IN ({}) ORDER BY created_at, id",
            placeholders.join(", ")
        );
        on_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, ReplyRecord>(&sql);
            for id in inquiry_ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })
    }

    /// Adds a reply and sets the inquiry's status (staff replies mark it answered).
    /// Staff actions are audited in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_reply(
        &self,
        inquiry: Uuid,
        author: Uuid,
        author_role: &str,
        message: &str,
        new_status: &str,
        audit: Option<&AuditEntry>,
        now: DateTime<Utc>,
    ) -> Result<Uuid, sqlx::Error> {
        let id = Uuid::now_v7();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO inquiry_replies (id, inquiry_id, author_id, author_role, message, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id)
                .bind(inquiry)
                .bind(author)
                .bind(author_role)
                .bind(message)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE inquiries SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(new_status)
                .bind(now)
                .bind(inquiry)
                .execute(&mut *tx)
                .await?;
            if let Some(audit) = audit {
                super::admin::write_audit!(tx, audit, now)?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn set_inquiry_status(
        &self,
        inquiry: Uuid,
        status: &str,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE inquiries SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(status)
                .bind(now)
                .bind(inquiry)
                .execute(&mut *tx)
                .await?;
            super::admin::write_audit!(tx, audit, now)?;
            tx.commit().await
        })
    }
}
