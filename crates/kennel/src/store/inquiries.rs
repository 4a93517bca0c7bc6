//! Inquiries and their replies: the threads of a conversation between an
//! adopter and an organisation, with each side's read mark and an assignee.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::admin::AuditEntry;
use super::outbox::{queue_conversation_mail, ConversationMail};
use super::{bind_params, on_pool, Param, Store};
use crate::domain::conversation::{AssigneeFilter, ContactPreference, Side, ThreadStatus};
use crate::domain::paging::{CursorKey, List, Page, PageRequest};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InquiryRecord {
    pub id: Uuid,
    pub puppy_id: Uuid,
    pub puppy_name: String,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub user_id: Option<Uuid>,
    /// The adopter's display name and email; `None` once their account is deleted.
    pub adopter_name: Option<String>,
    pub adopter_email: Option<String>,
    pub message: String,
    pub contact_preference: ContactPreference,
    pub status: ThreadStatus,
    pub created_at: DateTime<Utc>,
    /// The latest message's time (the thread's place in both inboxes). A thread
    /// written before this was kept, or by a release that did not keep it, falls
    /// back to its creation.
    pub last_message_at: DateTime<Utc>,
    pub adopter_read_at: Option<DateTime<Utc>>,
    pub staff_read_at: Option<DateTime<Utc>>,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    pub version: i64,
}

impl InquiryRecord {
    /// Up to when `side` has read the thread.
    pub fn read_at(&self, side: Side) -> Option<DateTime<Utc>> {
        match side {
            Side::Adopter => self.adopter_read_at,
            Side::Staff => self.staff_read_at,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReplyRecord {
    pub id: Uuid,
    pub inquiry_id: Uuid,
    pub author_role: Side,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

/// A thread's activity time: the latest message, or its creation.
const ACTIVITY: &str = "COALESCE(i.last_message_at, i.created_at)";

const INQUIRY_SELECT: &str = "SELECT i.id, i.puppy_id, p.name AS puppy_name, i.organization_id, \
    o.name AS organization_name, \
    i.user_id, u.display_name AS adopter_name, u.email AS adopter_email, i.message, i.contact_preference, i.status, \
    i.created_at, COALESCE(i.last_message_at, i.created_at) AS last_message_at, \
    i.adopter_read_at, i.staff_read_at, i.assignee_id, a.display_name AS assignee_name, i.version \
    FROM inquiries i JOIN puppies p ON p.id = i.puppy_id \
    JOIN organizations o ON o.id = i.organization_id \
    LEFT JOIN users u ON u.id = i.user_id LEFT JOIN users a ON a.id = i.assignee_id";

/// Which inquiries to list.
#[derive(Debug, Clone, Copy)]
pub enum InquiryScope {
    Adopter(Uuid),
    Organization(Uuid),
}

/// The inbox's filters; empty `statuses` means all.
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter {
    pub statuses: Vec<ThreadStatus>,
    pub assignee: Option<AssigneeFilter>,
}

/// Unread threads and messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unread {
    pub threads: i64,
    pub messages: i64,
}

/// The outcome of a change guarded by the thread's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarded {
    Saved,
    /// The thread's version is not the one expected.
    Stale,
}

/// The column of a side's read mark (never user input).
fn read_column(side: Side) -> &'static str {
    match side {
        Side::Adopter => "adopter_read_at",
        Side::Staff => "staff_read_at",
    }
}

impl Store {
    /// Creates an inquiry about a visible puppy, and queues the email that
    /// tells its organisation; `false` when there is no such puppy.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_inquiry(
        &self,
        id: Uuid,
        puppy: Uuid,
        user: Uuid,
        message: &str,
        contact_preference: &str,
        mail: ConversationMail,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "INSERT INTO inquiries (id, puppy_id, organization_id, user_id, message, \
                   contact_preference, status, created_at, updated_at, last_message_at, \
                   adopter_read_at) \
                   SELECT $1, p.id, p.organization_id, $3, $4, $5, 'open', $6, $6, $6, $6 \
                   FROM puppies p WHERE p.id = $2 AND p.deleted_at IS NULL";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(sql)
                .bind(id)
                .bind(puppy)
                .bind(user)
                .bind(message)
                .bind(contact_preference)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if inserted == 1 {
                queue_conversation_mail!(tx, id, Side::Staff, mail, now);
            }
            tx.commit().await?;
            Ok(inserted == 1)
        })
    }

    pub async fn inquiry(&self, id: Uuid) -> Result<Option<InquiryRecord>, sqlx::Error> {
        let sql = format!("{INQUIRY_SELECT} WHERE i.id = $1");
        on_pool!(self, pool => sqlx::query_as::<_, InquiryRecord>(&sql).bind(id).fetch_optional(pool).await)
    }

    /// A page of threads, newest activity first.
    pub async fn inquiries(
        &self,
        scope: InquiryScope,
        filter: &ThreadFilter,
        page: &PageRequest,
    ) -> Result<Page<InquiryRecord>, sqlx::Error> {
        fn bind(params: &mut Vec<Param>, p: Param) -> String {
            params.push(p);
            format!("${}", params.len())
        }
        let mut params = Vec::new();
        let mut conditions = Vec::new();
        let (column, owner) = match scope {
            InquiryScope::Adopter(id) => ("i.user_id", id),
            InquiryScope::Organization(id) => ("i.organization_id", id),
        };
        conditions.push(format!(
            "{column} = {}",
            bind(&mut params, Param::Id(owner))
        ));
        if !filter.statuses.is_empty() {
            let list: Vec<String> = filter
                .statuses
                .iter()
                .map(|s| bind(&mut params, Param::Text(s.as_str().into())))
                .collect();
            conditions.push(format!("i.status IN ({})", list.join(", ")));
        }
        match filter.assignee {
            Some(AssigneeFilter::User(id)) => {
                conditions.push(format!(
                    "i.assignee_id = {}",
                    bind(&mut params, Param::Id(id))
                ));
            }
            Some(AssigneeFilter::Unassigned) => conditions.push("i.assignee_id IS NULL".into()),
            None => {}
        }
        // `Cursor::decode` gives this list time keys only.
        if let Some((time, id)) = page.after.as_ref().and_then(|c| match c.key {
            CursorKey::Time(time) => Some((time, c.id)),
            _ => None,
        }) {
            let at = bind(&mut params, Param::Time(time));
            let id = bind(&mut params, Param::Id(id));
            conditions.push(format!("({ACTIVITY}, i.id) < ({at}, {id})"));
        }
        let sql = format!(
            "{INQUIRY_SELECT} WHERE {} ORDER BY {ACTIVITY} DESC, i.id DESC LIMIT {}",
            conditions.join(" AND "),
            page.fetch()
        );
        let rows = on_pool!(self, pool => {
            bind_params!(sqlx::query_as::<_, InquiryRecord>(&sql), params)
                .fetch_all(pool)
                .await?
        });
        Ok(Page::cut(rows, page.limit, List::Threads, |last| {
            (CursorKey::Time(last.last_message_at), last.id)
        }))
    }

    /// Marks the thread read for `side` up to `now`.
    pub async fn mark_read(
        &self,
        inquiry: Uuid,
        side: Side,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "UPDATE inquiries SET {} = $1 WHERE id = $2",
            read_column(side)
        );
        on_pool!(self, pool => {
            sqlx::query(&sql).bind(now).bind(inquiry).execute(pool).await.map(|_| ())
        })
    }

    /// What `user` has not read: staff replies in their own threads and, for
    /// staff, the adopters' messages in their organisation's threads.
    pub async fn unread(
        &self,
        user: Uuid,
        organization: Option<Uuid>,
    ) -> Result<Unread, sqlx::Error> {
        // Per thread, the other side's messages after this side's read mark (an
        // unset mark: all of them); the adopter's first message is the inquiry.
        let adopter = "SELECT (SELECT COUNT(*) FROM inquiry_replies r WHERE r.inquiry_id = i.id \
             AND r.author_role = 'staff' \
             AND (i.adopter_read_at IS NULL OR r.created_at > i.adopter_read_at)) AS n \
             FROM inquiries i WHERE i.user_id = $1";
        let staff = "SELECT (CASE WHEN i.staff_read_at IS NULL OR i.created_at > i.staff_read_at \
             THEN 1 ELSE 0 END) + (SELECT COUNT(*) FROM inquiry_replies r WHERE r.inquiry_id = i.id \
             AND r.author_role = 'adopter' \
             AND (i.staff_read_at IS NULL OR r.created_at > i.staff_read_at)) AS n \
             FROM inquiries i WHERE i.organization_id = $1";
        let total = |inner: &str| {
            format!(
                "SELECT CAST(COALESCE(SUM(CASE WHEN t.n > 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(t.n), 0) AS BIGINT) FROM ({inner}) t"
            )
        };
        let mut unread = Unread::default();
        let mut scopes = vec![(total(adopter), user)];
        if let Some(organization) = organization {
            scopes.push((total(staff), organization));
        }
        for (sql, owner) in scopes {
            let (threads, messages): (i64, i64) = on_pool!(self, pool => {
                sqlx::query_as(&sql).bind(owner).fetch_one(pool).await?
            });
            unread.threads += threads;
            unread.messages += messages;
        }
        Ok(unread)
    }

    /// The display name of `user` when they are staff of `organization`.
    pub async fn staff_member(
        &self,
        organization: Uuid,
        user: Uuid,
    ) -> Result<Option<String>, sqlx::Error> {
        let sql = "SELECT display_name FROM users WHERE id = $1 AND role = 'staff' \
                   AND organization_id = $2";
        on_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(user).bind(organization).fetch_optional(pool).await
        })
    }

    /// Assigns the thread (or unassigns it) if it is still at `expected`,
    /// auditing the change in the same transaction. The assignee must still be
    /// staff of the thread's organisation when the row is written.
    pub async fn assign_inquiry(
        &self,
        inquiry: Uuid,
        assignee: Option<Uuid>,
        expected: i64,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<Guarded, sqlx::Error> {
        let staff_check = if assignee.is_some() {
            "AND EXISTS (SELECT 1 FROM users s WHERE s.id = $1 AND s.role = 'staff' \
             AND s.organization_id = inquiries.organization_id)"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE inquiries SET assignee_id = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND version = $4 {staff_check}"
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(&sql)
                .bind(assignee)
                .bind(now)
                .bind(inquiry)
                .bind(expected)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                return Ok(Guarded::Stale);
            }
            super::admin::write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(Guarded::Saved)
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

    /// Adds a reply and sets the inquiry's status (staff replies mark it answered),
    /// moves the thread to the top of both inboxes and bumps its version. The
    /// writer's side has read the thread when `reader` is given (admins write
    /// without marking the organisation's copy read). Staff actions are audited
    /// in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_reply(
        &self,
        inquiry: Uuid,
        author: Uuid,
        author_role: &str,
        message: &str,
        new_status: &str,
        reader: Option<Side>,
        audit: Option<&AuditEntry>,
        notify: (Side, ConversationMail),
        now: DateTime<Utc>,
    ) -> Result<Uuid, sqlx::Error> {
        let id = Uuid::now_v7();
        let read = reader
            .map(|side| format!(", {} = $2", read_column(side)))
            .unwrap_or_default();
        let update = format!(
            "UPDATE inquiries SET status = $1, updated_at = $2, last_message_at = $2, \
             version = version + 1{read} WHERE id = $3"
        );
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
            sqlx::query(&update)
                .bind(new_status)
                .bind(now)
                .bind(inquiry)
                .execute(&mut *tx)
                .await?;
            if let Some(audit) = audit {
                super::admin::write_audit!(tx, audit, now)?;
            }
            let (to, mail) = notify;
            queue_conversation_mail!(tx, inquiry, to, mail, now);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Sets the status if the thread is at `expected` (any version when `None`).
    pub async fn set_inquiry_status(
        &self,
        inquiry: Uuid,
        status: &str,
        expected: Option<i64>,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<Guarded, sqlx::Error> {
        let guard = if expected.is_some() {
            "AND version = $4"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE inquiries SET status = $1, updated_at = $2, version = version + 1 \
             WHERE id = $3 {guard}"
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut query = sqlx::query(&sql).bind(status).bind(now).bind(inquiry);
            if let Some(expected) = expected {
                query = query.bind(expected);
            }
            if query.execute(&mut *tx).await?.rows_affected() == 0 {
                return Ok(Guarded::Stale);
            }
            super::admin::write_audit!(tx, audit, now)?;
            tx.commit().await?;
            Ok(Guarded::Saved)
        })
    }
}
