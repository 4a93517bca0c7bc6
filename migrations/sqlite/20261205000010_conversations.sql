-- Conversations on inquiry threads: the time of the latest message (the order
-- of both inboxes), each side's read mark (the adopter's, and one shared by the
-- organisation's staff), the staff member the thread is assigned to, and a
-- version for If-Match.
ALTER TABLE inquiries ADD COLUMN last_message_at TEXT;
ALTER TABLE inquiries ADD COLUMN adopter_read_at TEXT;
ALTER TABLE inquiries ADD COLUMN staff_read_at TEXT;
ALTER TABLE inquiries ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE inquiries ADD COLUMN assignee_id BLOB REFERENCES users (id) ON DELETE SET NULL;

-- Existing threads: activity is the latest message; each side has read what
-- came before its own latest message, and staff have read every closed thread.
-- (Times are RFC 3339 text in UTC, so they compare as text.)
UPDATE inquiries SET
    last_message_at = max(created_at, coalesce(
        (SELECT max(r.created_at) FROM inquiry_replies r WHERE r.inquiry_id = inquiries.id),
        created_at)),
    adopter_read_at = max(created_at, coalesce(
        (SELECT max(r.created_at) FROM inquiry_replies r
         WHERE r.inquiry_id = inquiries.id AND r.author_role = 'adopter'),
        created_at)),
    staff_read_at = (SELECT max(r.created_at) FROM inquiry_replies r
         WHERE r.inquiry_id = inquiries.id AND r.author_role = 'staff')
WHERE last_message_at IS NULL;
UPDATE inquiries SET staff_read_at = last_message_at WHERE status = 'closed';

-- Idempotency-Key of a message sent (a new inquiry or a reply): the request's
-- fingerprint, and once done the response to replay. A row without a status is
-- a request in progress. Rows expire after 24 hours and are pruned as new ones
-- are written; deleting the account deletes them.
CREATE TABLE idempotency_keys (
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status_code INTEGER,
    response    TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
