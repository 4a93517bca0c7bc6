-- Saved searches: an adopter's browse filters under a name, to come back to.
-- `query` is the browse query string as validated by the API (without cursor
-- and limit). `last_opened_at` marks the last visit, so the app can show what
-- was listed since. Deleting the account deletes its searches.
CREATE TABLE saved_searches (
    id             UUID PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    query          TEXT NOT NULL,
    paused         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    last_opened_at TIMESTAMPTZ,
    CONSTRAINT saved_searches_name_per_user UNIQUE (user_id, name)
);
CREATE INDEX saved_searches_user_recent ON saved_searches (user_id, created_at, id);
