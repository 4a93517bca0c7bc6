-- Who did what to which record, for every staff and admin action.
-- The actor is kept as NULL when the account is later deleted.

CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    actor_id    UUID REFERENCES users (id) ON DELETE SET NULL,
    -- 'api' or 'cli'.
    channel     TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    -- JSON object with the change (never secrets).
    details     TEXT NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_recent ON audit_log (created_at, id);
