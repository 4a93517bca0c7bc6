-- Conversations on inquiry threads: the time of the latest message (the order
-- of both inboxes), each side's read mark (the adopter's, and one shared by the
-- organisation's staff), the staff member the thread is assigned to, and a
-- version for If-Match. All nullable or with a constant default, so the release
-- still serving while this one rolls out keeps working (it never writes them).
ALTER TABLE inquiries ADD COLUMN last_message_at TIMESTAMPTZ;
ALTER TABLE inquiries ADD COLUMN adopter_read_at TIMESTAMPTZ;
ALTER TABLE inquiries ADD COLUMN staff_read_at TIMESTAMPTZ;
ALTER TABLE inquiries ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE inquiries ADD COLUMN assignee_id UUID;
-- NOT VALID: no scan under a lock now; every row is NULL, and the next
-- migration validates it.
ALTER TABLE inquiries ADD CONSTRAINT inquiries_assignee_fk
    FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE SET NULL NOT VALID;

-- Existing threads: activity is the latest message; each side has read what
-- came before its own latest message, and staff have read every closed thread.
UPDATE inquiries SET
    last_message_at = GREATEST(created_at,
        (SELECT max(r.created_at) FROM inquiry_replies r WHERE r.inquiry_id = inquiries.id)),
    adopter_read_at = GREATEST(created_at,
        (SELECT max(r.created_at) FROM inquiry_replies r
         WHERE r.inquiry_id = inquiries.id AND r.author_role = 'adopter')),
    staff_read_at = (SELECT max(r.created_at) FROM inquiry_replies r
         WHERE r.inquiry_id = inquiries.id AND r.author_role = 'staff')
WHERE last_message_at IS NULL;
UPDATE inquiries SET staff_read_at = last_message_at WHERE status = 'closed';

-- Idempotency-Key of a message sent (a new inquiry or a reply): the request's
-- fingerprint, and once done the response to replay. A row without a status is
-- a request in progress. Rows expire after 24 hours and are pruned as new ones
-- are written; deleting the account deletes them.
CREATE TABLE idempotency_keys (
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status_code INTEGER,
    response    TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
