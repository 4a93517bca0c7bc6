-- Account email: when an address was confirmed, the outbox every outgoing
-- message is written to first (in the transaction of the change that causes
-- it), and the single-use tokens the messages carry.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;

-- One outgoing message. `kind` names its template; `payload` holds what the
-- template needs beyond the recipient (JSON). A drainer claims due rows by
-- writing its id and a lease (`claimed_by`, `claimed_until`); a row whose lease
-- has run out (a drainer that died) is due again. Delivered rows become
-- 'sent'; rows that failed `attempts` times become 'dead'.
CREATE TABLE outbox (
    id              BLOB PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    user_id         BLOB REFERENCES users (id) ON DELETE CASCADE,
    payload         TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by      BLOB,
    claimed_until   TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient, kind, created_at);
CREATE INDEX outbox_user ON outbox (user_id);

-- A token sent by email (password reset, address confirmation). Only its hash
-- is kept; it is minted when the message is delivered, so the token in clear
-- never reaches the database. `used_at` makes it single-use.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset', 'email_change')),
    email      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
